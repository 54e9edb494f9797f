"""The three seed listing formats, read from the user's real files."""

from __future__ import annotations

from collections import Counter

import pytest
from kg.loaders import LoadOptions, detect, load, load_paths
from kg.loaders.listings import load_search_results, parse_date

from kg.errors import InputError
from kg.model import Paper, Quarantined
from tests.conftest import SEED_DAILY, SEED_FEED, SEED_SEARCH, SEEDS


def papers(path, **kw):
    return [r for r in load(path, **kw) if isinstance(r, Paper)]


def test_formats_are_detected_from_content():
    assert detect(SEED_SEARCH) == "search_results"
    assert detect(SEED_DAILY) == "daily_papers"
    assert detect(SEED_FEED) == "aggregator_feed"
    assert detect(SEEDS / "README.md") is None


def test_search_results_first_title_is_unglued_from_subscribe():
    ps = papers(SEED_SEARCH)
    assert len(ps) == 119
    assert ps[0].title == "ZIA: A Theoretical Framework for Zero-Input AI"
    assert str(ps[0].source) == "000_761299f930b716c2.txt:3"
    assert ps[0].abstract.startswith("Zero-Input AI (ZIA) introduces")
    assert ps[1].title.startswith("A Theoretical Framework for Auxiliary-Loss-Free Load Balancing")
    assert str(ps[1].source) == "000_761299f930b716c2.txt:5"
    assert all(p.title and p.abstract for p in ps)


def test_daily_papers_metadata_dates_upvotes_and_author_counts():
    ps = papers(SEED_DAILY)
    assert len(ps) == 46
    first = ps[0]
    assert first.title.startswith("The Slepian model based independent interval approximation")
    assert (first.author_count, first.published, first.year, first.upvotes) == (2, "2024-01-03", 2024, None)
    by_line = {p.source.line: p for p in ps}
    # "May 8 1": a yearless date followed by the upvote count
    assert (by_line[161].published, by_line[161].upvotes) == ("2026-05-08", 1)
    # "May 28, 2025 4": a full date followed by the upvote count; "• 17 authors"
    assert (by_line[353].published, by_line[353].upvotes, by_line[353].author_count) == ("2025-05-28", 4, 17)


def test_daily_papers_year_is_inferred_and_explained():
    ps = papers(SEED_DAILY)
    yearless = next(p for p in ps if p.source.line == 29)
    assert yearless.published == "2026-05-18"
    assert any("inferred" in n and "2025" in n and "--as-of" in n for n in yearless.notes)


def test_as_of_sets_the_listing_year():
    ps = papers(SEED_DAILY, as_of="2025-07-01")
    yearless = next(p for p in ps if p.source.line == 29)
    assert yearless.published == "2025-05-18"
    assert any("--as-of" in n for n in yearless.notes)


def test_bad_as_of_is_a_clear_error():
    with pytest.raises(InputError, match="expected YYYY"):
        papers(SEED_DAILY, as_of="last june")


def test_daily_paper_without_metadata_block_is_kept():
    ps = papers(SEED_DAILY)
    hj = next(p for p in ps if p.title == "The Hamilton-Jacobi Theory of Deep Learning")
    assert hj.author_count is None and hj.published is None
    assert hj.abstract.startswith("In this paper, training a neural network is identified")
    assert any("no metadata block" in n for n in hj.notes)
    # the next paper is not swallowed by it
    nxt = ps[ps.index(hj) + 1]
    assert nxt.title.startswith("Fisher Curvature Scaling at Critical Points")
    assert (nxt.author_count, nxt.published) == (1, "2026-03-08")


def test_aggregator_feed_keeps_its_source_line():
    ps = papers(SEED_FEED)
    assert len(ps) == 10
    assert ps[0].title == "Attention as In-Context Empirical Bayes: A Two-Stage View via Particle Dynamics"
    assert ps[0].venue == "arXiv.org Machine Learning"
    assert ps[0].abstract.startswith("We study minimal attention-only transformers")
    assert ps[0].extra["header"] == ["Goto", "Collaborating Authors", "equation"]


def test_folder_walk_quarantines_unknown_files_and_counts():
    recs = list(load_paths([SEEDS]))
    counts = Counter((type(r).__name__, r.source.file) for r in recs)
    assert counts[("Paper", "seeds/000_761299f930b716c2.txt")] == 119
    assert counts[("Paper", "seeds/001_eea2f075fb8cce27.txt")] == 46
    assert counts[("Paper", "seeds/002_5eae358206daed5b.txt")] == 10
    (q,) = [r for r in recs if isinstance(r, Quarantined)]
    assert q.source.file == "seeds/README.md" and "not a record of any known format" in q.reason


def test_broken_listing_quarantines_with_line_and_reason(tmp_path):
    text = SEED_SEARCH.read_text(encoding="utf-8").splitlines()
    # drop one abstract: the next title now stands where an abstract was expected, and a
    # paragraph stands where a title was expected
    del text[3]
    bad = tmp_path / "broken.txt"
    bad.write_text("\n".join(text[:9]) + "\n", encoding="utf-8")
    recs = list(load(bad))
    qs = [r for r in recs if isinstance(r, Quarantined)]
    assert qs, "a paragraph in a title's place must be quarantined"
    assert qs[0].source.file == "broken.txt" and qs[0].source.line > 2
    assert "expected a title" in qs[0].reason


def test_search_results_without_subscribe_is_an_input_error(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("just\ntext\n", encoding="utf-8")
    with pytest.raises(InputError, match="x.txt"):
        list(load_search_results(f, LoadOptions(display="x.txt")))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Jan 3, 2024", (2024, 1, 3, None)), ("May 8 1", (None, 5, 8, 1)), ("Sept 9", (None, 9, 9, None)),
     ("Daily Papers", None)],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_tex_accents_pasted_from_arxiv_are_letters(tmp_path):
    """A listing pasted from arXiv keeps its TeX accents ("Nystr\\"om"): they are read as letters."""
    f = tmp_path / "list.txt"
    f.write_text("Get trending papers in your email inbox!\n"
                 "SubscribeFast Kernels with the Nystr\\\"om Method\n"
                 "We study Sch\\\"olkopf's kernels and the Nystr\\\"om approximation, $\\hat{K}$.\n",
                 encoding="utf-8")
    (p,) = [r for r in load(f) if isinstance(r, Paper)]
    assert p.title == "Fast Kernels with the Nyström Method"
    assert p.abstract == "We study Schölkopf's kernels and the Nyström approximation, $\\hat{K}$."
