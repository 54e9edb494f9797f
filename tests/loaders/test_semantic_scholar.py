"""Semantic Scholar Graph API responses and bulk dataset lines from the real samples."""

from __future__ import annotations

import gzip
import json

from kg.loaders import detect, load

from kg.model import Paper, Quarantined
from tests.conftest import SAMPLES

S2 = SAMPLES / "semantic_scholar"
BULK = S2 / "bulk"


def split(path):
    recs = list(load(path))
    return [r for r in recs if isinstance(r, Paper)], [r for r in recs if isinstance(r, Quarantined)]


def test_paper_response_with_references():
    (p,), bad = split(S2 / "Paper.json")
    assert not bad
    assert p.title == "Computing Machinery and Intelligence"
    assert p.s2 == "corpus:14636783" and p.extra["paper_id"] == "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
    assert p.doi == "10.1093/mind/lix.236.433"
    assert (p.published, p.year) == ("1950-10-01", 1950)
    assert [(a.name, a.position, a.s2) for a in p.authors] == [("A. Turing", 1, "2262347")]
    assert len(p.citations) == 14  # references; the 1,000 citing papers are only counted
    assert p.extra["citation_count"] == 10059
    c = p.citations[0]
    assert (c.title, c.year, c.surnames, c.doi, c.s2) == (
        "Calculating Instruments and Machines", 1951, ("Hartree",), "10.2307/3610576", "corpus:58879058")
    assert sum(1 for c in p.citations if c.s2) == 8


def test_author_response_loads_the_authors_papers():
    papers, bad = split(S2 / "Author.json")
    assert len(papers) == 60 and not bad
    assert papers[0].title == "Dystopian or Utopian? Two Images of Alan Turing"
    assert all(any(a.s2 == "2262347" for a in p.authors) for p in papers)


def test_paper_with_null_values_is_quarantined():
    papers, bad = split(S2 / "PaperWithNullValues.json")
    assert papers == [] and len(bad) == 1
    assert "no title" in bad[0].reason and "2d5673caa9e6af3a7b82a43f19ee920992db07ad" in bad[0].reason


def test_bulk_papers():
    papers, bad = split(BULK / "papers-50.jsonl.gz")
    assert len(papers) == 50 and not bad
    p = papers[1]
    assert p.title == "Keine Geister und keine Götter" and p.doi == "10.30965/9783969752449_006"
    assert p.s2 == "corpus:242776559" and p.year == 2021 and p.venue == "Naturalismus"
    assert (papers[0].authors[0].name, papers[0].authors[0].s2) == ("布施 英利", "115637576")
    assert [p.source.line for p in papers[:2]] == [1, 2]


def test_bulk_abstracts_are_stubs():
    papers, bad = split(BULK / "abstracts-50.jsonl.gz")
    assert len(papers) == 50 and not bad
    p = papers[0]
    assert p.stub and p.title == "" and p.s2 == "corpus:128598635"
    assert p.abstract.startswith("The Bouguer gravity of mass anomalies")
    assert papers[1].doi == "10.1086/169230"


def test_bulk_citations_counts_reconcile():
    papers, bad = split(BULK / "citations-50.jsonl.gz")
    with gzip.open(BULK / "citations-50.jsonl.gz", "rt") as fh:
        rows = [json.loads(line) for line in fh]
    assert len(papers) + len(bad) == 50
    assert len(bad) == sum(1 for r in rows if not r["citedcorpusid"]) == 10
    p = papers[0]
    assert p.stub and p.s2 == "corpus:87536795"
    assert [c.s2 for c in p.citations] == ["corpus:9751615"]
    assert bad[0].source.line == 2 and "citedcorpusid" in bad[0].reason


def test_bulk_corrupted_copy(tmp_path):
    with gzip.open(BULK / "papers-50.jsonl.gz", "rt") as fh:
        lines = fh.readlines()
    lines[6] = "{not json\n"
    f = tmp_path / "papers.jsonl.gz"
    with gzip.open(f, "wt") as fh:
        fh.writelines(lines)
    assert detect(f) == "s2_papers"
    papers, bad = split(f)
    assert len(papers) == 49 and len(bad) == 1
    assert (bad[0].source.file, bad[0].source.line, bad[0].text) == ("papers.jsonl.gz", 7, "{not json\n")


def test_batch_response_with_null(tmp_path):
    paper = json.loads((S2 / "Paper.json").read_text())
    paper.pop("citations")
    f = tmp_path / "batch.json"
    f.write_text(json.dumps([paper, None], indent=2))
    assert detect(f) == "s2_graph"
    papers, bad = split(f)
    assert len(papers) == 1 and len(bad) == 1 and "null" in bad[0].reason
    assert papers[0].source.line == 2 and bad[0].source.line > 2
