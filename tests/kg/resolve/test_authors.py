"""Author resolution: name variants of one person merge on evidence; namesakes stay apart."""

from __future__ import annotations

from kg.model import Author, Paper, Source
from kg.resolve.authors import given_compatible, names_compatible, parse_name, resolve_authors


def paper(line, *names, venue=None, file="refs.bib", **ids_by_name):
    authors = []
    for k, name in enumerate(names):
        extra = ids_by_name.get(name.replace(" ", "_").replace(".", "").replace(",", ""), {})
        authors.append(Author(name, k + 1, **extra))
    return Paper(
        title=f"paper {line}", source=Source(file, line), format="test", authors=tuple(authors), venue=venue
    )


def ids(papers):
    return [[a.id for a in p.authors] for p in papers]


def test_name_forms_are_read():
    assert (parse_name("Vaswani, A.").surname, parse_name("Vaswani, A.").given) == ("vaswani", ("a",))
    assert parse_name("W. M. P. van der Aalst").surname == "vanderaalst"
    assert parse_name("Aalst, Wil van der").surname == "vanderaalst"
    assert parse_name("Ludwig van Beethoven").core == "beethoven"
    assert parse_name("José García-Molina").surname == "garciamolina"
    assert parse_name("Jean-Pierre Dupont").given == ("jeanpierre",)
    assert parse_name("Ö. Ulusoy").surname == "ulusoy"
    assert parse_name("李明").surname == "李明"
    assert parse_name("Martin Luther King Jr.").surname == "king"
    assert given_compatible(("ashish",), ("a",)) and not given_compatible(("ashish",), ("anna",))
    assert names_compatible(parse_name("Vaswani, A."), parse_name("Ashish Vaswani"))
    assert not names_compatible(parse_name("A. B. Smith"), parse_name("A. C. Smith"))


def test_variants_of_one_person_merge_through_a_shared_co_author():
    papers = [
        paper(1, "Ashish Vaswani", "Noam Shazeer", "Niki Parmar"),
        paper(2, "Vaswani, A.", "Shazeer, N."),
        paper(3, "A. Vaswani", "N. Parmar"),
    ]
    out, merges = resolve_authors(papers)
    assert ids(out) == [
        ["author:ashish-vaswani", "author:noam-shazeer", "author:niki-parmar"],
        ["author:ashish-vaswani", "author:noam-shazeer"],
        ["author:ashish-vaswani", "author:niki-parmar"],
    ]
    vaswani = [m for m in merges if m.into == "author:ashish-vaswani"]
    assert sorted(m.member for m in vaswani) == ["A. Vaswani @ refs.bib:3", "Vaswani, A. @ refs.bib:2"]
    assert all("given names compatible" in m.reason and "co-author" in m.reason for m in vaswani)
    # the input records are not changed
    assert papers[0].authors[0].id is None


def test_namesakes_with_only_a_surname_and_an_initial_stay_apart():
    papers = [
        paper(1, "J. Smith", "P. Jones"),
        paper(2, "J. Smith", "Q. Brown"),
        paper(3, "John Smith", "R. White"),
        paper(4, "Jane Smith", "P. Jones"),
    ]
    out, merges = resolve_authors(papers)
    smiths = [p.authors[0].id for p in out]
    # 1 and 4 share the co-author Jones, but J. ~ Jane only by initial and that is evidence
    # enough; 2 and 3 have nothing in common with anyone
    assert smiths[0] == smiths[3]
    assert len({smiths[0], smiths[1], smiths[2]}) == 3
    assert all(s.startswith("author:") for s in smiths)
    assert [m.reason for m in merges if m.into == smiths[0]] == [
        "given names compatible (Jane ~ J.) + co-author P. Jones"
    ]


def test_john_and_jane_never_share_a_cluster_even_with_a_bridge():
    papers = [
        paper(1, "J. Smith", "P. Jones"),
        paper(2, "John Smith", "P. Jones"),
        paper(3, "Jane Smith", "P. Jones"),
    ]
    out, _ = resolve_authors(papers)
    john, jane = out[1].authors[0].id, out[2].authors[0].id
    assert john != jane and out[0].authors[0].id in {john, jane}


def test_identifiers_merge_and_conflicting_orcids_do_not():
    orcid = {"orcid": "https://orcid.org/0000-0002-1825-0097"}
    papers = [
        paper(1, "Carberry, J.", **{"Carberry_J": orcid}),
        paper(2, "Josiah Carberry", **{"Josiah_Carberry": {"orcid": "0000-0002-1825-0097"}}),
        paper(3, "Maria Garcia", **{"Maria_Garcia": {"orcid": "0000-0001-0000-0001"}}),
        paper(4, "Maria Garcia", **{"Maria_Garcia": {"orcid": "0000-0001-0000-0002"}}),
    ]
    out, merges = resolve_authors(papers)
    assert out[0].authors[0].id == out[1].authors[0].id == "author:josiah-carberry"
    assert out[2].authors[0].id != out[3].authors[0].id
    assert [m.reason for m in merges] == ["same orcid 0000-0002-1825-0097"]


def test_same_venue_is_evidence_and_particles_hyphens_accents_are_handled():
    papers = [
        paper(1, "Wil M. P. van der Aalst", "A. J. M. M. Weijters", venue="BPM"),
        paper(2, "Aalst, W. van der", "A. Weijters", venue="Information Systems"),
        paper(3, "Héctor García-Molina", venue="VLDB"),
        paper(4, "H. Garcia-Molina", venue="VLDB"),
        paper(5, "Özsu, M. Tamer", "Patrick Valduriez"),
        paper(6, "M. Tamer Ozsu", "P. Valduriez"),
    ]
    out, merges = resolve_authors(papers)
    assert out[0].authors[0].id == out[1].authors[0].id
    assert out[2].authors[0].id == out[3].authors[0].id == "author:hector-garcia-molina"
    assert out[4].authors[0].id == out[5].authors[0].id
    assert any(m.reason.endswith("+ venue vldb") for m in merges)


def test_non_latin_names_and_determinism():
    papers = [paper(1, "李明", "王芳"), paper(2, "李明", "王芳"), paper(3, "李明", "张伟")]
    out1, m1 = resolve_authors(papers)
    out2, m2 = resolve_authors(papers)
    assert ids(out1) == ids(out2) and m1 == m2
    assert out1[0].authors[0].id == out1[1].authors[0].id  # shared co-author 王芳
    assert out1[2].authors[0].id != out1[0].authors[0].id  # the same name, nothing else in common
    assert len({a.id for p in out1 for a in p.authors}) == 4


def test_two_authors_of_one_record_are_two_people():
    out, merges = resolve_authors([paper(1, "J. Smith", "John Smith")])
    assert out[0].authors[0].id != out[0].authors[1].id and merges == []


def test_a_longer_given_name_and_a_common_co_author_surname_are_not_evidence():
    # seen in the OpenAlex sample: "Xin Wang" and "Xingya Wang", each with some "Zhang"
    papers = [paper(1, "Xin Wang", "Wei Zhang"), paper(2, "Xingya Wang", "Yu Zhang"),
              paper(3, "Tong Li", "Jun Wang"), paper(4, "Tongyang Li", "Jun Wang")]
    out, merges = resolve_authors(papers)
    assert out[0].authors[0].id != out[1].authors[0].id
    assert out[2].authors[0].id != out[3].authors[0].id
    assert out[2].authors[1].id == out[3].authors[1].id  # the same "Jun Wang" written twice


def test_a_lone_initial_joins_the_one_compatible_full_name():
    # seeds + samples: "D. Knuth" and "Donald E. Knuth", nothing else in common
    papers = [paper(1, "D. Knuth"), paper(2, "Donald E. Knuth"), paper(3, "C. Shannon"),
              paper(4, "Claude E. Shannon")]
    out, merges = resolve_authors(papers)
    assert out[0].authors[0].id == out[1].authors[0].id == "author:donald-e-knuth"
    assert out[2].authors[0].id == out[3].authors[0].id == "author:claude-e-shannon"
    assert all("the only" in m.reason for m in merges)
    # two full names it could be: ambiguous, so it stays apart
    out, _ = resolve_authors([paper(1, "J. Smith"), paper(2, "John Smith"), paper(3, "Jane Smith")])
    assert out[0].authors[0].id not in (out[1].authors[0].id, out[2].authors[0].id)


def test_one_orcid_with_two_openalex_ids_is_kept_apart_and_reported():
    orcid = "0000-0002-1825-0097"
    papers = [
        paper(1, "Maria Rossi", **{"Maria_Rossi": {"orcid": orcid, "openalex": "A111"}}),
        paper(2, "Maria Rossi", **{"Maria_Rossi": {"orcid": orcid, "openalex": "A222"}}),
    ]
    conflicts: list[str] = []
    out, merges = resolve_authors(papers, conflicts)
    assert out[0].authors[0].id != out[1].authors[0].id and merges == []
    (line,) = conflicts
    assert orcid in line and "openalex ids differ" in line and "refs.bib:1" in line and "refs.bib:2" in line


def test_a_paper_of_ten_thousand_authors_resolves_against_its_copy():
    letters = "bcdfghklmnprstvz"
    surnames = [f"{a}{b}{c}er".title() for a in letters for b in "aeiou" for c in letters][:1000]
    names = [f"{first} {last}" for first in ("Ada", "Ben", "Cleo", "Dan", "Eva", "Finn", "Gia", "Hal",
                                             "Ida", "Jon") for last in surnames]
    big = paper(1, *names)
    copy = paper(2, *[f"{n.split()[1]}, {n[0]}." for n in names])
    out, merges = resolve_authors([big, copy])
    assert [a.id for a in out[0].authors] == [a.id for a in out[1].authors]
    assert len({a.id for a in out[0].authors}) == 10_000 and len(merges) == 10_000


def test_rows_resolve_as_the_papers_do_and_are_let_go_as_read():
    """resolve_author_rows (what the author worker runs) reads plain rows, gives per paper the ids
    that resolve_authors sets and the same merges, and with consume empties the rows it read."""
    from kg.resolve.authors import author_rows, resolve_author_rows

    papers = [
        paper(1, "Ashish Vaswani", "Noam Shazeer", "??", venue="NeurIPS"),
        paper(2, "Vaswani, A.", "N. Shazeer", venue="NeurIPS"),
        paper(3, "J. Smith", "P. Jones", file="other.bib", J_Smith={"orcid": "0000-0001-2345-6789"}),
        paper(4, "John Smith", John_Smith={"orcid": "https://orcid.org/0000-0001-2345-6789"}),
        paper(5),
    ]
    out, merges = resolve_authors(papers)
    rows = author_rows(papers)
    assert rows[3][2] == (("John Smith", "https://orcid.org/0000-0001-2345-6789", None, None),)
    kept = list(rows)
    row_ids, row_merges = resolve_author_rows(rows)
    assert rows == kept  # not consumed unless asked
    assert row_ids == [tuple(a.id for a in p.authors) for p in out]
    assert row_ids[0][2] is None and row_ids[4] == ()
    assert row_ids[2][0] == row_ids[3][0]  # one ORCID
    assert row_merges == merges and any("same orcid" in m.reason for m in merges)
    assert resolve_author_rows(rows, consume=True) == (row_ids, row_merges)
    assert rows == []
