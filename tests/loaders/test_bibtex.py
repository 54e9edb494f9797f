"""BibTeX/BibLaTeX from the real biblatex-examples.bib."""

from __future__ import annotations

import re

from kg.loaders import detect, load

from kg.model import Paper, Quarantined
from tests.conftest import SAMPLES

BIB = SAMPLES / "bibtex" / "biblatex-examples.bib"


def split(path):
    recs = list(load(path))
    return [r for r in recs if isinstance(r, Paper)], [r for r in recs if isinstance(r, Quarantined)]


def by_key(papers):
    return {p.extra["key"]: p for p in papers}


def test_counts_reconcile_with_the_entries():
    papers, bad = split(BIB)
    text = BIB.read_text()
    types = re.findall(r"^@(\w+)", text, re.M)
    assert len(types) == 100 and types.count("string") == 8 and types.count("set") == 2
    assert len(papers) == 90  # 100 blocks - 8 @string - 2 @set
    assert len(bad) == 2 and all(q.reason.startswith("@set") for q in bad)
    assert [q.source.line for q in bad] == [26, 31]


def test_latex_names_and_macros():
    p = by_key(split(BIB)[0])["aksin"]
    assert [(a.name, a.position) for a in p.authors] == [
        ("Özge Aksın", 1), ("Hayati Türkmen", 2), ("Levent Artok", 3), ("Bekir Çetinkaya", 4),
        ("Chaoying Ni", 5), ("Orhan Büyükgüngör", 6), ("Erhan Özkal", 7)]
    assert p.venue == "J. Organomet. Chem."  # @string jomch
    assert p.title == ("Effect of immobilization on catalytic characteristics of saturated Pd-N-heterocyclic "
                       "carbenes in Mizoroki-Heck reactions")
    assert p.year == 2006 and p.source.line == 37


def test_crossref_parent_after_child_is_inherited():
    papers = split(BIB)[0]
    p = by_key(papers)["westfahl:space"]
    assert p.title.startswith("The True Frontier: Confronting and Avoiding")
    assert p.venue == "Space and Beyond" and p.year == 2000  # from westfahl:frontier, further down
    assert p.source.line == 10
    assert any("crossref" in n for n in p.notes)


def test_identifiers_dates_and_logos():
    k = by_key(split(BIB)[0])
    assert k["kastenholz"].doi == "10.1063/1.2172593"
    assert k["baez/article"].arxiv_id == "math/0307200"
    assert k["itzhaki"].arxiv_id == "hep-th/9603067" and k["itzhaki"].published == "1996-03-11"
    assert k["knuth:ct:a"].title == "The TeXbook"
    assert k["knuth:ct:b"].title == "TeX: The Program"
    assert k["knuth:ct"].published == "1984"  # date 1984/1986 is a range, not a month
    assert k["shore"].published == "1991-03"
    assert k["malinowski"].authors[0].name == "Bronisław Malinowski"
    assert k["vangennep"].authors[0].name == "Arnold van Gennep"
    assert k["angenendt"].venue == "Revue d'Histoire Ecclésiastique"


def test_corrupted_copy(tmp_path):
    text = BIB.read_text()
    text = text.replace("date         = 2002,", "date         = {n.d.},", 1)  # angenendt
    text = text.replace("journaltitle = jomch,", "journaltitle = nosuchmacro,", 1)  # aksin
    text = text.replace("  title        = {A Model of Leptons},\n", "", 1)  # weinberg
    f = tmp_path / "refs.bib"
    f.write_text(text)
    assert detect(f) == "bibtex"
    papers, bad = split(f)
    reasons = {q.source.line: q.reason for q in bad if not q.reason.startswith("@set")}
    assert len(papers) == 87 and len(reasons) == 3
    assert "n.d." in reasons[52] and "4-digit year" in reasons[52]
    assert "nosuchmacro" in reasons[37]
    assert "weinberg" in reasons[348] and "no title" in reasons[348]
    assert all(q.source.file == "refs.bib" for q in bad)
