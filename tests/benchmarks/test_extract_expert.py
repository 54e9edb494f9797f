"""The Method/Dataset dev2, dev3 and dev4 golds (benchmarks/data/methods_gold_dev2.jsonl, _dev3,
_dev4) and their selection (``select_dev2``, ``select_dev3``, ``select_dev4`` in
benchmarks/extract_expert.py): each file parses, its ids are the fixed selection of the arXiv corpus
in ``../shared``, none of them is in an earlier gold file, and every gold name is written in its
paper's title or abstract."""

from __future__ import annotations

import importlib.util
import json
import re
import sys

import pytest

from tests.conftest import ROOT, SHARED

CORPUS = SHARED / "corpora" / "arxiv_75k.jsonl.gz"
pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="needs ../shared/corpora/arxiv_75k.jsonl.gz")


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("extract_expert", ROOT / "benchmarks" / "extract_expert.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def records(bench):
    return [json.loads(x) for x in bench.select_dev2()]


def test_dev2_gold_is_the_selection(bench, records):
    gold = bench.load_gold(bench.GOLD_DEV2)
    assert len(records) == bench.DEV2_COUNT == 50
    assert [g["id"] for g in gold] == [r["id"] for r in records]
    assert {g["split"] for g in gold} == {"dev2"}


def test_dev2_is_disjoint_from_earlier_gold(bench, records):
    earlier = {g["id"] for p in (*bench.EARLIER, bench.GOLD) for g in bench.load_gold(p)}
    assert len(earlier) == 400
    assert not earlier & {r["id"] for r in records}


def test_every_dev2_name_is_written_in_its_paper(bench, records):
    text = {r["id"]: " ".join((r["title"] + " " + r["abstract"]).split()).lower() for r in records}
    squash = {k: re.sub(r"[^a-z0-9]", "", v) for k, v in text.items()}
    for g in bench.load_gold(bench.GOLD_DEV2):
        for key in ("methods", "datasets", "neutral"):
            for entry in g[key]:
                assert any(bench.norm(n) in squash[g["id"]] for n in entry), (g["id"], entry)


@pytest.fixture(scope="module")
def records3(bench):
    return [json.loads(x) for x in bench.select_dev3()]


def test_dev3_gold_is_the_selection(bench, records3):
    gold = bench.load_gold(bench.GOLD_DEV3)
    assert len(records3) == 50
    assert [g["id"] for g in gold] == [r["id"] for r in records3]
    assert {g["split"] for g in gold} == {"dev3"}


def test_dev3_is_disjoint_from_earlier_gold_and_dev2(bench, records3):
    earlier = {g["id"] for p in (*bench.EARLIER, bench.GOLD, bench.GOLD_DEV2) for g in bench.load_gold(p)}
    assert len(earlier) == 450
    assert not earlier & {r["id"] for r in records3}


def test_every_dev3_name_is_written_in_its_paper(bench, records3):
    text = {r["id"]: " ".join((r["title"] + " " + r["abstract"]).split()).lower() for r in records3}
    squash = {k: re.sub(r"[^a-z0-9]", "", v) for k, v in text.items()}
    for g in bench.load_gold(bench.GOLD_DEV3):
        for key in ("methods", "datasets", "neutral"):
            for entry in g[key]:
                assert any(bench.norm(n) in squash[g["id"]] for n in entry), (g["id"], entry)


@pytest.fixture(scope="module")
def records4(bench):
    return [json.loads(x) for x in bench.select_dev4()]


def test_dev4_gold_is_the_selection(bench, records4):
    gold = bench.load_gold(bench.GOLD_DEV4)
    assert len(records4) == 50
    assert [g["id"] for g in gold] == [r["id"] for r in records4]
    assert {g["split"] for g in gold} == {"dev4"}


def test_dev4_is_disjoint_from_earlier_gold_dev2_and_dev3(bench, records4):
    earlier = {g["id"] for p in (*bench.EARLIER, bench.GOLD, bench.GOLD_DEV2, bench.GOLD_DEV3)
               for g in bench.load_gold(p)}
    assert len(earlier) == 500
    assert not earlier & {r["id"] for r in records4}


def test_every_dev4_name_is_written_in_its_paper(bench, records4):
    text = {r["id"]: " ".join((r["title"] + " " + r["abstract"]).split()).lower() for r in records4}
    squash = {k: re.sub(r"[^a-z0-9]", "", v) for k, v in text.items()}
    for g in bench.load_gold(bench.GOLD_DEV4):
        for key in ("methods", "datasets", "neutral"):
            for entry in g[key]:
                assert any(bench.norm(n) in squash[g["id"]] for n in entry), (g["id"], entry)
