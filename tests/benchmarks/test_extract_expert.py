"""The Method/Dataset dev2 to dev7 golds (benchmarks/data/methods_gold_dev2.jsonl, _dev3, _dev4,
_dev5, _dev6, _dev7) and their selection (``select_dev2`` ... ``select_dev7`` in
benchmarks/extract_expert.py): each file parses, its ids are the fixed selection of the arXiv
corpus in ``../shared``, none of them is in an earlier gold file, and every gold name is written
in its paper's title or abstract."""

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


#: each split: its selection, its gold file's name in the module, and the gold files before it
SPLITS = {
    "dev2": ("select_dev2", "GOLD_DEV2", ()),
    "dev3": ("select_dev3", "GOLD_DEV3", ("GOLD_DEV2",)),
    "dev4": ("select_dev4", "GOLD_DEV4", ("GOLD_DEV2", "GOLD_DEV3")),
    "dev5": ("select_dev5", "GOLD_DEV5", ("GOLD_DEV2", "GOLD_DEV3", "GOLD_DEV4")),
    "dev6": ("select_dev6", "GOLD_DEV6", ("GOLD_DEV2", "GOLD_DEV3", "GOLD_DEV4", "GOLD_DEV5")),
    "dev7": ("select_dev7", "GOLD_DEV7", ("GOLD_DEV2", "GOLD_DEV3", "GOLD_DEV4", "GOLD_DEV5", "GOLD_DEV6")),
}


@pytest.fixture(scope="module")
def selected(bench):
    """Each split's records, selected once (a selection reads the whole corpus)."""
    cache: dict[str, list[dict]] = {}

    def records(split: str) -> list[dict]:
        if split not in cache:
            cache[split] = [json.loads(x) for x in getattr(bench, SPLITS[split][0])()]
        return cache[split]

    return records


@pytest.mark.parametrize("split", SPLITS)
def test_gold_is_the_selection(bench, selected, split):
    records = selected(split)
    gold = bench.load_gold(getattr(bench, SPLITS[split][1]))
    assert len(records) == bench.DEV2_COUNT == 50
    assert [g["id"] for g in gold] == [r["id"] for r in records]
    assert {g["split"] for g in gold} == {split}


@pytest.mark.parametrize(("split", "size"), [("dev2", 400), ("dev3", 450), ("dev4", 500),
                                             ("dev5", 550), ("dev6", 600), ("dev7", 650)])
def test_split_is_disjoint_from_earlier_gold(bench, selected, split, size):
    before = (*bench.EARLIER, bench.GOLD, *(getattr(bench, name) for name in SPLITS[split][2]))
    earlier = {g["id"] for p in before for g in bench.load_gold(p)}
    assert len(earlier) == size
    assert not earlier & {r["id"] for r in selected(split)}


@pytest.mark.parametrize("split", SPLITS)
def test_every_name_is_written_in_its_paper(bench, selected, split):
    records = selected(split)
    text = {r["id"]: " ".join((r["title"] + " " + r["abstract"]).split()).lower() for r in records}
    squash = {k: re.sub(r"[^a-z0-9]", "", v) for k, v in text.items()}
    for g in bench.load_gold(getattr(bench, SPLITS[split][1])):
        for key in ("methods", "datasets", "neutral"):
            for entry in g[key]:
                assert any(bench.norm(n) in squash[g["id"]] for n in entry), (g["id"], entry)
