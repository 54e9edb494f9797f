"""The INTRODUCES gold (benchmarks/data/introduces_gold.jsonl) and its scorer
(benchmarks/extract_introduces.py): the file parses, its ids are the fixed selection of the
arXiv corpus in ``../shared``, the dev/test split is the CRC32 rule's, every gold name is
written in its paper's title or abstract, and the scorer counts what it says it counts."""

from __future__ import annotations

import doctest
import gzip
import importlib.util
import json
import sys

import pytest

from tests.conftest import ROOT, SHARED

CORPUS = SHARED / "corpora" / "arxiv_75k.jsonl.gz"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "extract_introduces", ROOT / "benchmarks" / "extract_introduces.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def lines(bench):
    return bench.select()


@pytest.fixture(scope="module")
def gold(bench):
    return bench.load_gold()


def test_gold_parses_and_is_well_formed(gold):
    assert len(gold) == 160
    assert len({g["id"] for g in gold}) == 160
    for g in gold:
        assert set(g) == {"id", "split", "introduces", "neutral"}, g["id"]
        assert g["split"] in ("dev", "test")
        for e in g["introduces"]:
            assert set(e) == {"names", "label", "main"}, g["id"]
            assert e["label"] in ("Method", "Dataset"), g["id"]
            assert e["names"] and all(n.strip() == n and n for n in e["names"]), g["id"]
        for e in g["neutral"]:
            assert set(e) == {"names", "kind"} and e["names"], g["id"]
            assert e["kind"] in ("Metric", "Task", "Unnamed", "URL", "Other"), g["id"]
        if g["introduces"]:
            assert any(e["main"] for e in g["introduces"]), f"{g['id']}: no main entry"


def test_ids_are_the_fixed_selection_and_split(bench, gold, lines):
    """Line i of the corpus with i % 467 == 11, the first 160, in corpus order; dev = the 80
    first by (crc32(id), id). Read here independently of the script's own selection."""
    ids = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 467 == 11 and len(ids) < 160:
                ids.append(json.loads(line)["id"])
    assert [g["id"] for g in gold] == ids
    assert [json.loads(x)["id"] for x in lines] == ids
    split = bench.split_of(ids)
    assert {g["id"]: g["split"] for g in gold} == split
    assert sum(s == "dev" for s in split.values()) == 80


def test_every_gold_name_is_written_in_its_paper(gold, lines):
    """The first name of every entry is the surface string as the title or abstract writes it
    (line breaks read as spaces; later names may be renderings: ``LLM×MapReduce-V2`` for
    ``LLM$\\times$MapReduce-V2``)."""
    records = {r["id"]: r for r in map(json.loads, lines)}
    for g in gold:
        text = " ".join((records[g["id"]]["title"] + " " + records[g["id"]]["abstract"]).split())
        for e in g["introduces"] + g["neutral"]:
            assert e["names"][0] in text, (g["id"], e["names"][0])


def test_scorer_counts_hits_misses_neutral_and_false_edges(bench, capsys):
    gold = [
        {"id": "a", "split": "dev", "neutral": [],
         "introduces": [{"names": ["Mind2Web 2"], "label": "Dataset", "main": True},
                        {"names": ["Geometry-Temporal Alignment", "GTA"], "label": "Method", "main": False}]},
        {"id": "b", "split": "dev", "neutral": [],
         "introduces": [{"names": ["XMANet"], "label": "Method", "main": True}]},
        {"id": "c", "split": "dev", "neutral": [{"names": ["SUSS"], "kind": "Metric"}], "introduces": []},
    ]
    run = bench.Run(edges={
        "a": [("INTRODUCES", "mind2web-2", [], "Mind2Web 2"), ("INTRODUCES", "Mind2Web", [], "Mind2Web")],
        "b": [("USES_METHOD", "XMANet", [], "XMANet")],
        "c": [("INTRODUCES", "Structured Score", ["SUSS"], "SUSS"), ("INTRODUCES", "QBBN", [], "QBBN")],
    })
    bench.score(gold, run, errors=5, label="t")
    out = capsys.readouterr().out
    assert "recall 0.500 (1 of 2 papers)" in out
    assert "name recall 0.333 (1 of 3)" in out
    assert "precision 0.333 (1 of 3 INTRODUCES; 1 neutral)" in out
    assert "false on empty 1 edges on 1 of 1 papers" in out
    assert "miss b: gold ['XMANet']; kg INTRODUCES []; as USES_METHOD: 'XMANet'" in out
    assert "wrong a: INTRODUCES 'Mind2Web' (text 'Mind2Web') [overlaps gold]" in out
    assert "part not found a: ['Geometry-Temporal Alignment']" in out


def test_docstring_examples(bench):
    assert doctest.testmod(bench).failed == 0


@pytest.mark.skipif(not CORPUS.exists(), reason="needs ../shared/corpora/arxiv_75k.jsonl.gz")
def test_dev3_is_the_fixed_selection_and_well_formed(bench, lines):
    """dev3: the 100 records first by (crc32("d3:" + id), id) outside the 160, dev2's 120 and
    methods_gold's 120, in corpus order; each entry shaped as the main file's."""
    ids = [json.loads(x)["id"] for x in lines]
    exclude = set(ids) | {json.loads(x)["id"] for x in bench.select_dev2(exclude=set(ids))}
    exclude |= {g["id"] for g in bench.load_gold(bench.METHODS_GOLD)}
    assert len(exclude) == 400
    gold3 = bench.load_gold(bench.GOLD3)
    chosen = [json.loads(x)["id"] for x in bench.select_dev3(exclude=exclude)]
    assert [g["id"] for g in gold3] == chosen and len(chosen) == 100
    for g in gold3:
        assert g["split"] == "dev3" and set(g) == {"id", "split", "introduces", "neutral"}
        for e in g["introduces"]:
            assert set(e) == {"names", "label", "main"} and e["label"] in ("Method", "Dataset")
        if g["introduces"]:
            assert any(e["main"] for e in g["introduces"]), g["id"]
