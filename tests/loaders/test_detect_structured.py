"""Every real sample is detected as its own format; the user's seed listings never are."""

from __future__ import annotations

import gzip

import pytest
from kg.loaders import REGISTRY, detect, load_paths

from kg.model import Paper, Quarantined
from tests.conftest import SAMPLES, SEEDS

EXPECTED = {
    "arxiv_atom/search_testing_100.xml": "arxiv_atom",
    "arxiv_atom/search_10.xml": "arxiv_atom",
    "arxiv_atom/empty.xml": "arxiv_atom",
    "arxiv_atom/error_bad_id.xml": "arxiv_atom",
    "arxiv_snapshot/arxiv-metadata-oai-snapshot.head100.jsonl": "arxiv_snapshot",
    "openalex/works-300.jsonl.gz": "openalex",
    "semantic_scholar/Paper.json": "s2_graph",
    "semantic_scholar/Author.json": "s2_graph",
    "semantic_scholar/PaperWithNullValues.json": "s2_graph",
    "semantic_scholar/bulk/papers-50.jsonl.gz": "s2_papers",
    "semantic_scholar/bulk/abstracts-50.jsonl.gz": "s2_abstracts",
    "semantic_scholar/bulk/citations-50.jsonl.gz": "s2_citations",
    "crossref/query_ecology.json": "crossref",
    "crossref/work_jor.1100150407.json": "crossref",
    "crossref/work_pone.0033693.json": "crossref",
    "bibtex/biblatex-examples.bib": "bibtex",
    "ris/example_basic.ris": "ris",
    "ris/example_bom.ris": "ris",
    "ris/example_full.ris": "ris",
    "ris/example_multiline.ris": "ris",
    "ris/example_urls.ris": "ris",
    "ris/example_utf_chars.ris": "ris",
    "paperswithcode/nlp-progress.json": "paperswithcode",
    "paperswithcode/squad.json": "paperswithcode",
}
MINE = {name for name, _ in REGISTRY} - {"daily_papers", "search_results", "aggregator_feed"}


def test_every_sample_is_listed():
    on_disk = {p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*") if p.is_file()}
    on_disk.discard("PROVENANCE.md")
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_sample_detected(rel):
    assert detect(SAMPLES / rel) == EXPECTED[rel]


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_listings_are_not_claimed(seed):
    assert detect(SEEDS / seed) not in MINE


def test_renamed_copies_are_detected_by_content(tmp_path):
    """A name says little: .txt copies and gzip copies are still recognised."""
    for rel, fmt in EXPECTED.items():
        if rel.endswith(".gz") or rel.endswith("empty.xml"):
            continue
        src = SAMPLES / rel
        plain = tmp_path / (src.name.replace(".", "_") + ".txt")
        plain.write_bytes(src.read_bytes())
        assert detect(plain) == fmt, rel
        gz = tmp_path / (src.name + ".gz")
        gz.write_bytes(gzip.compress(src.read_bytes()))
        assert detect(gz) == fmt, rel


def test_load_paths_over_all_samples_reconciles():
    recs = list(load_paths(sorted(SAMPLES / rel for rel in EXPECTED)))
    papers = [r for r in recs if isinstance(r, Paper)]
    bad = [r for r in recs if isinstance(r, Quarantined)]
    assert not any("not a record of any known format" in q.reason for q in bad)
    by_file: dict[str, int] = {}
    for r in recs:
        by_file[r.source.file] = by_file.get(r.source.file, 0) + 1
    assert by_file["works-300.jsonl.gz"] == 300
    assert by_file["biblatex-examples.bib"] == 92
    assert len(papers) == 100 + 10 + 100 + 300 + 1 + 60 + 50 * 3 - 10 + 4 + 90 + 8 + 549 + 73
    assert len(bad) == 1 + 1 + 10 + 2 + 4 + 10 + 378
