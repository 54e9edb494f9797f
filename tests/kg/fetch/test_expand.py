"""Snowballing a build: the works its papers cite (stubs become full papers) and the works
citing them, from OpenAlex and Semantic Scholar (local server, recorded records)."""

from __future__ import annotations

import gzip
import json

import pytest

from kg.fetch import FetchError, expand
from kg.graphio import load_graph
from tests.conftest import SAMPLES
from tests.kg.fetch.apiserver import TURING
from tests.kg.fetch.conftest import build, jsonl_ids, manifest

W = "https://openalex.org/"


@pytest.fixture
def openalex_seed(tmp_path):
    """A build of two works: one cites a work of the recorded 300 (W2082019533), one is cited
    by one of them (W2100892302 is cited by W2101893050)."""
    with gzip.open(SAMPLES / "openalex" / "works-300.jsonl.gz", "rt") as fh:
        works = {w["id"]: w for w in map(json.loads, fh)}
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "seed.jsonl").write_text(
        "".join(json.dumps(works[W + i]) + "\n" for i in ("W3007098444", "W2100892302")))
    built = build([seeds], tmp_path / "b0")
    return seeds, built


def paper(graph, openalex):
    return next(d for _, d in graph.nodes(data=True) if d.get("openalex") == openalex)


def test_openalex_expansion_turns_stubs_into_papers_and_adds_citing_works(api, tmp_path, openalex_seed):
    seeds, built = openalex_seed
    assert paper(built.graph, "W2082019533")["stub"] is True
    out = tmp_path / "more"
    r = expand(built.files["graph"], out, source_name="openalex", progress=False)
    assert r.status == "complete"
    assert sorted(jsonl_ids(out)) == [W + "W2082019533", W + "W2101893050"]
    filters = [q["query"]["filter"] for q in api.requests("/openalex/")]
    refs = [f for f in filters if f.startswith("openalex:")]
    assert "W2082019533" in "|".join(refs) and all(len(f.split("|")) <= 50 for f in refs)
    assert "cites:W2100892302|W3007098444" in filters
    g = build([seeds, out], tmp_path / "b1").graph
    assert paper(g, "W2082019533")["stub"] is False
    citing = [u for u, v, k in g.edges(keys=True) if k == "CITES"
              and g.nodes[v].get("openalex") == "W2100892302"]
    assert [g.nodes[u]["openalex"] for u in citing] == ["W2101893050"]
    stubs_before = sum(bool(d.get("stub")) for _, d in built.graph.nodes(data=True) if d["label"] == "Paper")
    full_after = sum(not d.get("stub") for _, d in g.nodes(data=True) if d["label"] == "Paper")
    assert full_after == 4 and stubs_before > 100


def test_a_second_hop_expands_what_the_first_fetched(api, tmp_path, openalex_seed):
    _, built = openalex_seed
    out = tmp_path / "more"
    expand(built.files["graph"], out, hops=1, progress=False)
    sent = len(api.log)
    r = expand(built.files["graph"], out, hops=2, progress=False)
    m = manifest(out)
    plan = json.loads((out / ".kg-fetch" / "plan.json").read_text())
    assert m["hops_done"] == 2 and len(plan["hops"]) == 2
    assert len((out / ".kg-fetch" / "manifest.json").read_text()) < 20_000  # the ids live in the plan
    hop2 = [q["query"]["filter"] for q in api.requests("/openalex/")[sent - len(api.log):]]
    # hop 2 asks who cites the two works of hop 1; W3007098444 cites W2082019533 but is in the
    # build already, so it is not written again
    assert "cites:W2082019533|W2101893050" in hop2
    assert r.records == 2 and r.duplicates >= 1


def test_s2_expansion_fetches_references_and_citing_papers(api, tmp_path):
    seed = SAMPLES / "semantic_scholar" / "Paper.json"
    built = build([seed], tmp_path / "b0")
    out = tmp_path / "more"
    r = expand(built.files["graph"], out, source_name="s2", max_records=150, progress=False)
    assert r.status == "max reached"
    data = json.loads(seed.read_text())
    refs = {p["paperId"] for p in data["references"] if p.get("paperId")}
    citing = [c["paperId"] for c in data["citations"] if c.get("paperId")]
    written = jsonl_ids(out, "paperId")
    assert len(written) == 150 == len(set(written))
    # first the references (stubs in the build), then the citing papers in the order S2 lists them
    assert set(written[:len(refs)]) == refs and written[len(refs):] == citing[:150 - len(refs)]
    assert api.requests("/citations")[0]["path"] == "/s2/paper/CorpusId:14636783/citations"
    assert json.loads(api.requests("/paper/batch")[0]["body"])["ids"][0].startswith("CorpusId:")
    # the citing papers come with their references (the batch endpoint), so the edge is theirs
    cites_file = next(p for p in r.files if p.name.split("-")[3] == "cites")
    first = json.loads(cites_file.read_text().splitlines()[0])
    assert TURING in {ref["paperId"] for ref in first["references"]}
    g = build([seed, out], tmp_path / "b1").graph
    turing = next(n for n, d in g.nodes(data=True) if d.get("s2") == "corpus:14636783")
    cited_by = {u for u, _, k in g.in_edges(turing, keys=True) if k == "CITES"}
    assert len(cited_by) >= 0.95 * (150 - len(refs))  # a few citing records merge (same DOI / title)
    ref_nodes = {v for _, v, k in g.out_edges(turing, keys=True) if k == "CITES"}
    full_refs = {v for v in ref_nodes if not g.nodes[v].get("stub")}
    assert len(full_refs) == len(refs) and g.nodes[turing]["stub"] is False
    # resuming with a larger budget continues from the cut page, without duplicates
    r = expand(built.files["graph"], out, source_name="s2", max_records=400, progress=False)
    written = jsonl_ids(out, "paperId")
    assert len(written) == 400 == len(set(written)) and written[len(refs):] == citing[:400 - len(refs)]


def test_expansion_needs_a_source_with_citation_links(tmp_path, openalex_seed):
    _, built = openalex_seed
    with pytest.raises(FetchError, match="use openalex or s2, not crossref"):
        expand(built.files["graph"], tmp_path / "x", source_name="crossref")
    with pytest.raises(Exception, match="no such graph file"):
        expand(tmp_path / "missing.json", tmp_path / "x")
    assert load_graph(built.files["graph"]).number_of_nodes() > 0


def test_papers_without_an_openalex_id_are_looked_up_by_doi(api, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "refs.bib").write_text(
        "@article{schulz2001,\n  title = {Multi stage three-dimensional sweeping and annealing of disc"
        " galaxies in clusters},\n  author = {Schulz, Steven and Struck, Curtis},\n  year = {2001},\n"
        "  doi = {10.1046/j.1365-8711.2001.04847.x}\n}\n")
    built = build([seeds], tmp_path / "b0")
    out = tmp_path / "more"
    r = expand(built.files["graph"], out, progress=False)
    filters = [q["query"]["filter"] for q in api.requests("/openalex/")]
    # a page shorter than its page size is the last: one request each
    assert filters == ["doi:10.1046/j.1365-8711.2001.04847.x", "cites:W2100892302"]
    assert jsonl_ids(out) == [W + "W2100892302", W + "W2101893050"] and r.records == 2
    g = build([seeds, out], tmp_path / "b1").graph
    node = next(n for n, d in g.nodes(data=True) if d.get("openalex") == "W2100892302")
    # the BibTeX entry and the OpenAlex work are one paper, now cited by the work citing it
    assert g.nodes[node]["doi"] == "10.1046/j.1365-8711.2001.04847.x"
    assert any(s.startswith("seeds/refs.bib:") for s in g.nodes[node]["sources"])
    citing = [g.nodes[u].get("openalex") for u, _, k in g.in_edges(node, keys=True) if k == "CITES"]
    assert citing == ["W2101893050"]
