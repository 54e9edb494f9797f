"""Each source end to end against the local server: ``fetch`` then ``build`` gives the same
papers, authors and citations as building the recorded responses themselves."""

from __future__ import annotations

import gzip
import json

import pytest
from kg.loaders import detect, load

from kg.fetch import FetchError, fetch
from kg.fetch.sources import arxiv_query, jsonl_line, normalize_since
from tests.conftest import SAMPLES
from tests.kg.fetch.conftest import counts, jsonl_ids, manifest


def test_arxiv_pages_are_the_atom_bodies_and_build_like_them(api, tmp_path):
    out = tmp_path / "arxiv"
    r = fetch("arxiv", "testing", out, since="2020-01-01", progress=False)
    assert r.status == "complete" and r.records == 110
    assert [p.name for p in r.files] == ["arxiv-00001.xml", "arxiv-00002.xml"]
    # the files are the response bodies, byte for byte, so line provenance is the API's own
    assert r.files[0].read_bytes() == (SAMPLES / "arxiv_atom" / "search_testing_100.xml").read_bytes()
    starts = [int(q["query"]["start"]) for q in api.requests("/arxiv/")]
    assert starts == [0, 100, 110]
    sq = api.requests("/arxiv/")[0]["query"]
    assert sq["search_query"].startswith("(all:testing) AND submittedDate:[202001010000 TO ")
    assert sq["sortBy"] == "submittedDate"
    direct = counts([SAMPLES / "arxiv_atom" / "search_testing_100.xml",
                     SAMPLES / "arxiv_atom" / "search_10.xml"], tmp_path / "b-direct")
    assert counts([out], tmp_path / "b-fetched") == direct
    assert direct["papers"] == 110 and direct["quarantined"] == 0


def test_openalex_pages_become_one_work_per_line(api, tmp_path):
    out = tmp_path / "oa"
    r = fetch("openalex", "graphs", out, mailto="me@example.org", progress=False)
    assert r.status == "complete" and (r.records, r.total, r.duplicates) == (300, 300, 0)
    assert len(r.files) == 6 and all(detect(p) == "openalex" for p in r.files)
    q = api.requests("/openalex/")
    assert [x["query"]["cursor"] for x in q] == ["*"] + [f"off{n}" for n in range(50, 301, 50)]
    assert q[0]["query"]["search"] == "graphs" and q[0]["query"]["mailto"] == "me@example.org"
    # line provenance: record n of a page is line n of its file
    recs = list(load(r.files[1], display="openalex-00002.jsonl"))
    line7 = json.loads(r.files[1].read_text().splitlines()[6])
    assert recs[6].source.line == 7 and recs[6].openalex == line7["id"].rsplit("/", 1)[-1]
    m = manifest(out)
    assert m["command"] == {"source": "openalex", "query": "graphs", "since": None}
    assert m["streams"][0]["records"] == 300 and m["status"] == "complete" and m["streams"][0]["done"]
    fetched = counts([out], tmp_path / "b1")
    assert fetched == counts([SAMPLES / "openalex" / "works-300.jsonl.gz"], tmp_path / "b2")
    assert fetched["papers"] == 300 and fetched["cites"] > 18000 and fetched["authors"] > 2000


def test_openalex_since_is_sent_as_a_filter(api, tmp_path):
    with gzip.open(SAMPLES / "openalex" / "works-300.jsonl.gz", "rt") as fh:
        expected = sum((json.loads(x).get("publication_date") or "") >= "2015-01-01" for x in fh)
    r = fetch("openalex", "graphs", tmp_path / "oa", since="2015", progress=False)
    assert api.requests("/openalex/")[0]["query"]["filter"] == "from_publication_date:2015-01-01"
    assert r.records == expected and 0 < expected < 300


def test_crossref_pages_build_like_the_recorded_works(api, tmp_path):
    out = tmp_path / "cr"
    r = fetch("crossref", "ecology", out, since="2001", mailto="me@example.org", progress=False)
    assert (r.status, r.records) == ("complete", 4)
    q = api.requests("/crossref/")
    # the second page is shorter than its page size: the last one, no third request
    assert [x["query"]["cursor"] for x in q] == ["*", "page2"]
    assert q[0]["query"]["filter"] == "from-pub-date:2001-01-01" and q[0]["query"]["rows"] == "100"
    assert "mailto:me@example.org" in q[0]["headers"]["user-agent"]
    assert all(detect(p) == "crossref" for p in r.files)
    direct = counts(sorted((SAMPLES / "crossref").glob("*.json")), tmp_path / "b2")
    assert counts([out], tmp_path / "b1") == direct
    assert direct["papers"] == 4 and direct["cites"] == 93


def test_s2_search_then_batch_builds_like_the_author_response(api, tmp_path):
    out = tmp_path / "s2"
    r = fetch("s2", "turing", out, progress=False)
    assert (r.status, r.records, r.total) == ("complete", 60, 60)
    assert [x["query"].get("token") for x in api.requests("/search/bulk")] == [None, "t25", "t50"]
    batches = api.requests("/paper/batch")
    assert [len(json.loads(b["body"])["ids"]) for b in batches] == [25, 25, 10]
    assert "references.title" in batches[0]["query"]["fields"]
    assert json.loads(batches[0]["body"])["ids"][0].startswith("CorpusId:")
    assert all(detect(p) == "s2_graph" for p in r.files)
    assert len(set(jsonl_ids(out, "paperId"))) == 60
    fetched = counts([out], tmp_path / "b1")
    direct = counts([SAMPLES / "semantic_scholar" / "Author.json"], tmp_path / "b2")
    assert {k: fetched[k] for k in ("papers", "authors", "read")} == {
        k: direct[k] for k in ("papers", "authors", "read")}
    # the batch endpoint adds what the author listing lacks: the references of each paper
    # (of these papers only Turing's 1950 paper has them recorded: 14)
    assert fetched["cites"] == direct["cites"] + 14


def test_max_stops_and_a_larger_max_continues_without_duplicates(api, tmp_path):
    out = tmp_path / "oa"
    r = fetch("openalex", "graphs", out, max_records=120, progress=False)
    assert (r.status, r.records) == ("max reached", 120)
    assert [len(p.read_text().splitlines()) for p in r.files] == [50, 50, 20]
    sent = len(api.requests("/openalex/"))
    r = fetch("openalex", "graphs", out, max_records=260, progress=False)
    assert (r.status, r.records, r.resumed) == ("max reached", 260, True)
    # the page cut at 120 came from the cache: the next request sent is the page after it
    assert api.requests("/openalex/")[sent]["query"]["cursor"] == "off150"
    r = fetch("openalex", "graphs", out, progress=False)
    ids = jsonl_ids(out)
    assert r.status == "complete" and len(ids) == 300 == len(set(ids))


def test_s2_max_cuts_a_page_and_asks_the_batch_only_for_what_it_keeps(api, tmp_path):
    r = fetch("s2", "turing", tmp_path / "s2", max_records=30, progress=False)
    assert r.records == 30
    assert [len(json.loads(b["body"])["ids"]) for b in api.requests("/paper/batch")] == [25, 5]


def test_arxiv_bad_query_is_a_clear_error(api, tmp_path):
    with pytest.raises(FetchError, match="incorrect id format for abc"):
        fetch("arxiv", "id:abc", tmp_path / "bad", progress=False)


def test_arguments_are_checked():
    with pytest.raises(FetchError, match="unknown source 'scholar'"):
        fetch("scholar", "x", "unused")
    with pytest.raises(FetchError, match="not a date"):
        normalize_since("2023-13")
    with pytest.raises(FetchError, match="query is empty"):
        fetch("openalex", "  ", "unused")


def test_small_forms():
    assert arxiv_query('ti:"state space"', None) == 'ti:"state space"'
    assert arxiv_query("mamba", None) == "all:mamba"
    line = jsonl_line({"t": "a\u2028b\x85c"})
    assert "\u2028" not in line and json.loads(line)["t"] == "a\u2028b\x85c"
