"""Hugging Face daily-papers API JSON (a fixture shaped like the API: no sample is shipped)."""

from __future__ import annotations

from pathlib import Path

from kg.loaders import detect, load

from kg.model import Paper, Quarantined

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "hf_daily_papers.json"


def test_items_and_bare_papers():
    assert detect(FIXTURE) == "hf_daily_papers"
    recs = list(load(FIXTURE))
    papers = [r for r in recs if isinstance(r, Paper)]
    bad = [r for r in recs if isinstance(r, Quarantined)]
    assert len(papers) == 2 and len(bad) == 2
    p = papers[0]
    assert (p.arxiv_id, p.title, p.upvotes) == ("2401.01234", "Tiny Recursive Models for Reasoning", 42)
    assert (p.published, p.year) == ("2024-01-03", 2024)
    assert [(a.name, a.position) for a in p.authors] == [("Ada Lovelace", 1), ("Alan Turing", 2)]
    assert p.keywords == ("recursion", "small models")
    assert [(m.label, m.name, m.host, m.origin) for m in p.mentions] == [
        ("Repository", "Example-Org/tiny-rec", "github", "source")]
    assert p.extra["submittedOnDailyAt"].startswith("2024-01-04") and p.source.line == 2
    q = papers[1]
    assert (q.arxiv_id, q.upvotes, q.authors[0].name) == ("2402.05678", 7, "Grace Hopper")
    assert "no title" in bad[0].reason and "2403.00001" in bad[0].reason
    assert "'soon'" in bad[1].reason and bad[1].source.line > bad[0].source.line
