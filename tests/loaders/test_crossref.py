"""Crossref /works responses from the real samples."""

from __future__ import annotations

from kg.loaders import detect, load

from kg.model import Paper, Quarantined
from tests.conftest import SAMPLES

CR = SAMPLES / "crossref"


def split(path):
    recs = list(load(path))
    return [r for r in recs if isinstance(r, Paper)], [r for r in recs if isinstance(r, Quarantined)]


def test_counts():
    assert {f.name: len(split(f)[0]) for f in sorted(CR.glob("*.json"))} == {
        "query_ecology.json": 2, "work_jor.1100150407.json": 1, "work_pone.0033693.json": 1}
    assert all(not split(f)[1] for f in CR.glob("*.json"))


def test_single_work_with_references():
    (p,), _ = split(CR / "work_jor.1100150407.json")
    assert p.doi == "10.1002/jor.1100150407"
    assert p.title == ("Growth hormone secretagogue increases muscle strength during remobilization after "
                       "canine hindlimb immobilization")
    assert (p.published, p.year) == ("1997-07", 1997)
    assert p.venue == "Journal of Orthopaedic Research"
    assert p.abstract.startswith("Twenty‐two beagles were divided")  # JATS and heading removed
    assert [(a.name, a.position) for a in p.authors[:2]] == [("Richard L. Lieber", 1), ("Thomas M. Jacks", 2)]
    assert len(p.authors) == 12
    assert len(p.citations) == 36
    c = p.citations[2]
    assert (c.doi, c.year, c.surnames) == ("10.1152/jappl.1979.47.2.435", 1979, ("Booth",))
    assert c.title == "Recovery of skeletal muscle after 3 mo of hindlimb immobilization in rats"
    assert c.text.startswith("Booth (1979)") and c.source == p.source


def test_other_work_and_page():
    (p,), _ = split(CR / "work_pone.0033693.json")
    assert p.doi == "10.1016/j.neurobiolaging.2010.03.024" and len(p.citations) == 57
    assert p.venue == "Neurobiology of Aging" and p.published == "2012-03"
    page, _ = split(CR / "query_ecology.json")
    assert [x.title for x in page] == ["Communicating Ecology", "Chemical Ecology"]
    assert page[0].doi == "10.1093/obo/9780199830060-0238"


def test_corrupted_page(tmp_path):
    text = (CR / "query_ecology.json").read_text()
    f = tmp_path / "page.json"
    # the second item loses its title: quarantined, the first is still loaded
    i = text.index('"title":["Chemical Ecology"]')
    f.write_text(text[:i] + '"title":[]' + text[i + len('"title":["Chemical Ecology"]'):])
    assert detect(f) == "crossref"
    papers, bad = split(f)
    assert [p.title for p in papers] == ["Communicating Ecology"]
    assert len(bad) == 1 and "no title" in bad[0].reason and bad[0].source.file == "page.json"
    # a truncated document: what was read is kept, the break is quarantined with its line
    f.write_text(text[: text.index('"title":["Chemical Ecology"]')])
    papers, bad = split(f)
    assert [p.title for p in papers] == ["Communicating Ecology"]
    assert len(bad) == 1 and "invalid JSON" in bad[0].reason and bad[0].source.line == 1
