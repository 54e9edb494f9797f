"""RIS files from the real samples (BOM, UTF-8, multi-line fields, URLs)."""

from __future__ import annotations

from kg.loaders import detect, load

from kg.model import Paper, Quarantined
from tests.conftest import SAMPLES

RIS = SAMPLES / "ris"


def split(path):
    recs = list(load(path))
    return [r for r in recs if isinstance(r, Paper)], [r for r in recs if isinstance(r, Quarantined)]


def test_counts():
    counts = {f.name: tuple(map(len, split(f))) for f in sorted(RIS.glob("*.ris"))}
    assert counts == {
        "example_basic.ris": (1, 0), "example_bom.ris": (0, 1), "example_full.ris": (2, 0),
        "example_multiline.ris": (0, 3), "example_urls.ris": (4, 0), "example_utf_chars.ris": (1, 0)}


def test_basic_record():
    (p,), _ = split(RIS / "example_basic.ris")
    assert p.title == "A Mathematical Theory of Communication"
    assert [(a.name, a.position) for a in p.authors] == [("Claude E. Shannon", 1)]
    assert (p.published, p.year, p.venue) == ("1948-07", 1948, "Bell System Technical Journal")


def test_full_records_lines_and_tags():
    papers, _ = split(RIS / "example_full.ris")
    assert [p.source.line for p in papers] == [2, 27]  # the TY lines ("1." before is a number)
    p = papers[0]
    assert [a.name for a in p.authors] == ["Karl Marx", "Astrid Lindgren"]  # A2 editors are not authors
    assert p.year == 2014 and p.url == "http://example_url.com"
    assert p.keywords == ("Pippi", "Nordwind", "Piraten")
    assert p.abstract.startswith("BACKGROUND: Lorem ipsum") and p.venue == "Lorem"


def test_bom_and_untitled_records_are_quarantined_with_what_they_had():
    _, (q,) = split(RIS / "example_bom.ris")
    assert q.source.line == 1 and "10.1186/s40981-020-0316-0" in q.reason and "title" in q.reason
    _, bad = split(RIS / "example_multiline.ris")
    assert [q.source.line for q in bad] == [1, 8, 17]
    assert "ER then second line" in bad[2].text  # a continuation line, not the end of the record


def test_utf8_and_urls():
    (p,), _ = split(RIS / "example_utf_chars.ris")
    assert p.title.startswith("Состояние рецепторного аппарата")
    assert p.authors[0].name == "Yu E. Dobrokhotova" and len(p.authors) == 5
    assert p.abstract.endswith("in the late reproductive period")  # multi-line AB joined
    papers, _ = split(RIS / "example_urls.ris")
    assert [p.extra.get("urls") for p in papers] == [
        None, ["http://example.com", "http://www.example.com"],
        ["http://example.com", "http://www.example.com"], ["http://example.com", "http://www.example.com"]]


def test_corrupted_copy(tmp_path):
    text = (RIS / "example_urls.ris").read_text()
    text = text.replace("PY  - 1948/07//", "PY  - undated", 1)  # first record
    text = text.rstrip().rsplit("ER  -", 1)[0]  # last record never ends
    f = tmp_path / "refs.ris"
    f.write_text(text)
    assert detect(f) == "ris"
    papers, bad = split(f)
    assert len(papers) == 2
    assert [(q.source.file, q.source.line) for q in bad] == [("refs.ris", 1), ("refs.ris", 35)]
    assert "undated" in bad[0].reason and "ER" in bad[1].reason
