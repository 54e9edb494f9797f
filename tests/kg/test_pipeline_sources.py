"""`kg build` over the seed listings and the structured samples together: one graph with
authors, co-authorship and citations (issue 4)."""

from __future__ import annotations

import itertools
import json

import pytest

from kg.pipeline import build
from tests.conftest import SAMPLES, SEEDS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build-all")
    return build([SEEDS, SAMPLES], out, progress=False)


def test_every_file_reconciles(built):
    files = built.report["files"]
    assert len(files) >= 25
    for name, f in files.items():
        assert f["read"] == f["loaded"] + f["merged"] + f["quarantined"], name
    assert files["samples/openalex/works-300.jsonl.gz"]["read"] == 300
    assert files["samples/arxiv_atom/search_testing_100.xml"]["loaded"] == 100
    # the arXiv error feed is quarantined with the error it carries, not dropped
    q = [json.loads(x) for x in built.files["quarantine"].read_text().splitlines()]
    assert any(x["file"] == "samples/arxiv_atom/error_bad_id.xml" for x in q)


def test_authors_keep_their_order_and_co_authors_meet(built):
    g = built.graph
    authors = [n for n, d in g.nodes(data=True) if d["label"] == "Author"]
    assert len(authors) > 1000
    pairs = {}
    for p, d in g.nodes(data=True):
        if d["label"] == "Paper":
            names = sorted(u for u, _, k in g.in_edges(p, keys=True) if k == "AUTHORED")
            for a, b in itertools.combinations(names, 2):
                pairs[(a, b)] = pairs.get((a, b), 0) + 1
    assert pairs[("author:alfons-g-hoekstra", "author:maxim-a-yurkin")] == 4
    positions = [d["position"] for _, _, k, d in g.edges(keys=True, data=True) if k == "AUTHORED"]
    assert min(positions) == 1 and max(positions) > 5


def test_one_paper_from_two_sources_keeps_both_and_its_references(built):
    g = built.graph
    pid = "paper:doi:10.1093/mind/lix.236.433"  # Computing Machinery and Intelligence
    d = g.nodes[pid]
    assert d["title"] == "Computing Machinery and Intelligence"
    assert d["sources"] == ["samples/semantic_scholar/Author.json:1", "samples/semantic_scholar/Paper.json:1"]
    assert "same doi" in d["merged_from"][0]
    cited = [v for _, v, k in g.out_edges(pid, keys=True) if k == "CITES"]
    assert len(cited) == 14
    assert [u for u, _, k in g.in_edges(pid, keys=True) if k == "AUTHORED"] == ["author:a-turing"]


def test_a_citation_of_a_paper_in_the_corpus_lands_on_the_full_paper(built):
    g = built.graph
    full = [(u, v) for u, v, k in g.edges(keys=True) if k == "CITES" and not g.nodes[v].get("stub")]
    assert ("paper:doi:10.1007/s11426-019-9669-3", "paper:doi:10.1002/adma.201404317") in full
    stubs = [n for n, d in g.nodes(data=True) if d.get("stub")]
    assert len(stubs) > 1000


def test_the_listings_shared_paper_is_still_one_node(built):
    g = built.graph
    hippo = [n for n, d in g.nodes(data=True) if d.get("title", "").startswith("How to Train Your HiPPO")]
    assert len(hippo) == 1


def test_a_large_graph_gets_a_view_of_its_best_connected_nodes(built):
    assert built.graph.number_of_nodes() > 2000
    assert built.report["view"].startswith("Showing 1000 of ")
    assert "past the view's cap of 1000 (it shows the dense core" in built.report["view"]
    assert built.files["view"].stat().st_size > 0


def test_adding_sources_keeps_every_node_and_edge_of_the_smaller_graph(built, tmp_path):
    # so that pushing the bigger graph to a store later only adds the difference
    small = build([SEEDS], tmp_path, view=False, progress=False).graph
    big = built.graph
    assert set(small.nodes) <= set(big.nodes)
    assert set(small.edges(keys=True)) <= set(big.edges(keys=True))
