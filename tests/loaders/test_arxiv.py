"""arXiv Atom feeds and the arXiv metadata snapshot, read from the real samples."""

from __future__ import annotations

import json

from kg.loaders import LoadOptions, detect, load
from kg.loaders.arxiv import load_arxiv_atom

from kg.model import Paper, Quarantined
from tests.conftest import SAMPLES

ATOM = SAMPLES / "arxiv_atom"
SNAPSHOT = SAMPLES / "arxiv_snapshot" / "arxiv-metadata-oai-snapshot.head100.jsonl"


def split(path, **kw):
    recs = list(load(path, **kw))
    return [r for r in recs if isinstance(r, Paper)], [r for r in recs if isinstance(r, Quarantined)]


def test_atom_sample_counts():
    assert [len(split(ATOM / f)[0]) for f in ("search_testing_100.xml", "search_10.xml", "empty.xml")] == [
        100, 10, 0]
    assert all(not split(ATOM / f)[1] for f in ("search_testing_100.xml", "search_10.xml", "empty.xml"))


def test_atom_entry_fields():
    papers, _ = split(ATOM / "search_testing_100.xml")
    p = papers[0]
    assert p.title == "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    assert p.arxiv_id == "2202.12139"  # version dropped
    assert p.doi == "10.1109/icstw55395.2022.00035"
    assert (p.published, p.year) == ("2022-02-24", 2022)
    assert [(a.name, a.position) for a in p.authors] == [
        ("Mohit Kumar Ahuja", 1), ("Arnaud Gotlieb", 2), ("Helge Spieker", 3)]
    assert p.author_count == 3
    assert p.keywords == ("cs.SE", "cs.LG")
    assert p.abstract.startswith("Deep Learning (DL) has revolutionized")
    assert p.venue.startswith("Artificial Intelligence in Software Testing @ 2022 IEEE")
    assert str(p.source) == "search_testing_100.xml:10"  # the <entry> line
    assert str(papers[1].source) == "search_testing_100.xml:35"


def test_atom_old_style_id_and_whitespace():
    papers, _ = split(ATOM / "search_10.xml")
    p = papers[0]
    assert p.arxiv_id == "nucl-ex/0408020"
    assert p.abstract.startswith("It has been suggested")  # leading spaces gone
    assert p.authors[-1].name == "H. de Vries" and p.authors[-1].position == 9
    assert p.source.line == 10 and papers[1].source.line == 50


def test_atom_error_feed_is_quarantined_with_its_message():
    papers, bad = split(ATOM / "error_bad_id.xml")
    assert papers == [] and len(bad) == 1
    assert bad[0].source.file == "error_bad_id.xml" and bad[0].source.line == 9
    assert "incorrect id format for abc" in bad[0].reason


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE feed [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry><id>http://arxiv.org/abs/2401.00001v1</id><title>&lol3;</title>
  <published>2024-01-01T00:00:00Z</published></entry>
</feed>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE feed [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry><id>http://arxiv.org/abs/2401.00001v1</id><title>&xxe;</title>
  <published>2024-01-01T00:00:00Z</published></entry>
</feed>
"""


def test_entity_expansion_and_external_entities_are_refused(tmp_path):
    for name, text in (("laughs.xml", BILLION_LAUGHS), ("xxe.xml", EXTERNAL)):
        f = tmp_path / name
        f.write_text(text)
        assert detect(f) == "arxiv_atom"
        recs = list(load(f))
        assert len(recs) == 1 and isinstance(recs[0], Quarantined), name
        assert "unsafe XML" in recs[0].reason and recs[0].source.file == name
        assert "lollol" not in repr(recs) and "root:" not in repr(recs)


def test_truncated_feed_keeps_the_entries_before_the_break(tmp_path):
    text = (ATOM / "search_10.xml").read_text()
    cut = text.index("<entry>", text.index("<entry>") + 1)  # inside the second entry
    f = tmp_path / "cut.xml"
    f.write_text(text[: cut + 200])
    recs = list(load_arxiv_atom(f, LoadOptions(display="cut.xml")))
    assert isinstance(recs[0], Paper) and recs[0].arxiv_id == "nucl-ex/0408020"
    assert isinstance(recs[-1], Quarantined) and "invalid XML" in recs[-1].reason
    assert recs[-1].source.line > 50


def test_snapshot_counts_and_fields():
    papers, bad = split(SNAPSHOT)
    assert len(papers) == 100 and bad == []
    p = papers[0]
    assert p.arxiv_id == "0704.0001" and p.doi == "10.1103/physrevd.76.013009"
    assert p.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert (p.published, p.year) == ("2007-04-02", 2007)  # version 1's date
    assert [(a.name, a.position) for a in p.authors] == [
        ("C. Balázs", 1), ("E. L. Berger", 2), ("P. M. Nadolsky", 3), ("C. -P. Yuan", 4)]
    assert p.venue == "Phys.Rev.D76:013009,2007"
    assert [r.source.line for r in papers[:3]] == [1, 2, 3]


def test_snapshot_corrupted_copy(tmp_path):
    lines = SNAPSHOT.read_text().splitlines(keepends=True)
    lines[4] = lines[4][:60] + "\n"  # line 5: cut JSON
    lines[9] = lines[9].replace('"title":"', '"title":"", "x":"', 1)  # line 10: empty title
    f = tmp_path / "snap.jsonl"
    f.write_text("".join(lines))
    assert detect(f) == "arxiv_snapshot"
    papers, bad = split(f)
    assert len(papers) == 98 and len(bad) == 2
    assert [(q.source.file, q.source.line) for q in bad] == [("snap.jsonl", 5), ("snap.jsonl", 10)]
    assert "invalid JSON" in bad[0].reason and "title" in bad[1].reason
    assert bad[0].text.startswith('{"id":"0704.0005"')


def test_snapshot_tex_accents_are_letters_and_math_stays():
    """arXiv writes accents in TeX (``Koll\\'ar``, ``Gr\\"obner``, ``Petojevi\\' c``): the loaded
    text has the letters, so the same name or word matches its Unicode spelling elsewhere;
    math and other commands are left as written."""
    papers = {p.arxiv_id: p for p in split(SNAPSHOT)[0]}
    assert papers["0704.0073"].title == "A transcendental approach to Kollár's injectivity theorem"
    assert "Gröbner basis" in papers["0704.0019"].title
    assert "Djoković's" in papers["0704.0010"].abstract
    assert "Révész" in papers["0704.0028"].abstract
    assert "A. Petojević verified" in papers["0704.0068"].abstract
    assert papers["0704.0005"].title == r"From dyadic $\Lambda_{\alpha}$ to $\Lambda_{\alpha}$"
    assert r"{\it maximum" in papers["0704.0094"].abstract


def test_snapshot_tex_accents_in_author_names(tmp_path):
    rec = {"id": "2401.00001", "submitter": "B", "title": "Kernels for Fr\\'echet spaces", "versions": [],
           "abstract": "We use the Nystr\\\"om approximation, $\\hat{x}$.",
           "authors_parsed": [["Sch\\\"olkopf", "Bernhard", ""], ["Mart\\'{\\i}nez", "Ana", ""],
                              ["{\\O}bro", "Mikkel", ""]]}
    f = tmp_path / "snap.jsonl"
    f.write_text(json.dumps(rec) + "\n")
    (p,) = split(f)[0]
    assert [a.name for a in p.authors] == ["Bernhard Schölkopf", "Ana Martínez", "Mikkel Øbro"]
    assert p.title == "Kernels for Fréchet spaces"
    assert p.abstract == "We use the Nyström approximation, $\\hat{x}$."
