"""Every hostile input alone, and the folder of them, through the loaders: nothing escapes,
nothing hangs, every file is accounted for, and each failure says which file and why.

The corpus is generated from the real samples and seeds by ``tests/loaders/hostile.py``
(``benchmarks/hostile.py`` measures the same corpus, larger, with ``kg build``).
"""

from __future__ import annotations

import gzip
import json
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from kg.loaders import FileInfo, load, load_paths

from kg.model import Paper, Quarantined
from tests.conftest import SAMPLES
from tests.loaders.hostile import TEXT_SAMPLES, make_corpus

HANG_SECONDS = 60  # a guard against hangs, not a speed test: every input takes well under a second


@contextmanager
def no_hang(seconds: int = HANG_SECONDS):
    """Fail (instead of hanging the test run) when the block runs ``seconds`` of wall time."""
    def alarm(_sig, _frame):
        raise AssertionError(f"still running after {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    cases = make_corpus(folder, big=False)
    return folder, cases


def read(path: Path, **kw) -> tuple[list[Paper], list[Quarantined], FileInfo]:
    infos: list[FileInfo] = []
    with no_hang():
        recs = list(load(path, on_file=infos.append, **kw))
    (info,) = infos
    assert info.records == len(recs)
    assert info.quarantined == sum(isinstance(r, Quarantined) for r in recs)
    return [r for r in recs if isinstance(r, Paper)], [r for r in recs if isinstance(r, Quarantined)], info


def test_each_input_alone_never_raises_and_is_accounted_for(corpus):
    folder, cases = corpus
    assert len(cases) > 150
    for case in cases:
        papers, bad, info = read(folder / case.name)
        for q in bad:
            assert q.reason and q.source.file == info.display, case.name
        for p in papers:
            assert p.title or p.stub, case.name
            text = p.title + p.abstract + "".join(a.name for a in p.authors)
            assert not any(0xD800 <= ord(c) <= 0xDFFF or ord(c) < 9 or c == "\x1b" for c in text), case.name
            assert p.url is None or p.url.lower().startswith(("http://", "https://")), case.name
            json.dumps([p.title, p.abstract, p.url, p.source.file]).encode("utf-8")


def test_the_folder_as_a_whole_names_every_file(corpus):
    folder, cases = corpus
    infos: list[FileInfo] = []
    with no_hang(300):
        recs = list(load_paths([folder], on_file=infos.append))
    assert len(infos) == len(cases)
    assert sum(i.records for i in infos) == len(recs)
    # every record names its file exactly as the file's FileInfo does (one report entry per file)
    assert {r.source.file for r in recs} <= {i.display for i in infos}
    failed = {i.display.split("/", 1)[1]: i.error for i in infos if i.error}
    assert {"fifo.json", "socket.ris", "loop.bib", "zero.jsonl", "dangling.ris"} <= set(failed)
    assert "FIFO" in failed["fifo.json"] and "socket" in failed["socket.ris"]
    assert "character device" in failed["zero.jsonl"]
    assert "truncated" in failed["gzcut_openalex_works-300.jsonl.gz"]
    bad_files = {r.source.file for r in recs if isinstance(r, Quarantined) and r.file_failed}
    assert bad_files == {i.display for i in infos if i.error}


def test_truncated_gzip_keeps_the_records_before_the_cut(corpus):
    folder, _ = corpus
    papers, bad, info = read(folder / "gzcut_openalex_works-300.jsonl.gz")
    assert 50 < len(papers) < 300
    assert bad[-1].file_failed and "truncated" in bad[-1].reason and "after" in bad[-1].reason
    _, bad, info = read(folder / "not_gzip.jsonl.gz")
    assert info.error and "gzip" in info.error and bad[0].file_failed


def test_string_macro_bomb_is_capped_and_the_next_entry_survives(corpus):
    folder, _ = corpus
    papers, bad, _ = read(folder / "bomb_strings.bib")
    assert [p.title for p in papers] == ["Survives"]
    assert any("more than 200,000 characters" in q.reason for q in bad)
    assert any("s28" in q.reason for q in bad)  # the entry that used the bomb: its macro is undefined


def test_unbalanced_brace_costs_one_entry(corpus, tmp_path):
    folder, _ = corpus
    papers, bad, _ = read(folder / "unbalanced_brace.bib")
    # the same file without the broken entry
    good = (folder / "unbalanced_brace.bib").read_text().replace(
        "@article{broken, title = {Open {brace}, year = 2020,\n", "")
    (tmp_path / "good.bib").write_text(good)
    good_papers, good_bad, _ = read(tmp_path / "good.bib")
    assert len(papers) == len(good_papers) >= 3
    broken = [q for q in bad if "broken" in q.text]
    assert len(broken) == 1 and "unbalanced braces" in broken[0].reason
    papers, _, _ = read(folder / "unbalanced_comment.bib")
    (tmp_path / "closed.bib").write_text((folder / "unbalanced_comment.bib").read_text().replace(
        "@comment{ never closed\n", "@comment{ closed }\n"))
    closed, _, _ = read(tmp_path / "closed.bib")
    assert len(papers) == len(closed) >= 1


def test_ris_without_er_loses_nothing(corpus):
    folder, _ = corpus
    papers, bad, _ = read(folder / "no_er.ris")
    assert len(papers) == 3 and len(bad) == 1  # the last one runs into the end of the file
    assert all(any("without 'ER" in n for n in p.notes) for p in papers)
    assert "ER" in bad[0].reason


def test_atom_entries_before_junk_are_kept(corpus):
    folder, _ = corpus
    papers, bad, _ = read(folder / "junk_after_feed.xml")
    assert len(papers) == 10 and len(bad) == 1 and "invalid XML" in bad[0].reason
    papers, bad, info = read(folder / "empty.xml")
    assert (papers, bad, info.format, info.error) == ([], [], "arxiv_atom", None)


def test_xml_bombs_and_doctype_defaults(corpus):
    folder, _ = corpus
    for name in ("bomb_laughs.xml", "xxe.xml"):
        papers, bad, _ = read(folder / name)
        assert not papers and "unsafe XML" in bad[0].reason
    papers, bad, _ = read(folder / "doctype_default.xml")
    assert all(p.url is None or p.url.startswith("http") for p in papers)


def test_json_lines_with_a_first_record_past_the_sniffing_window(corpus):
    folder, _ = corpus
    papers, bad, info = read(folder / "big_first_line.jsonl")
    assert info.format == "arxiv_snapshot" and len(papers) == 3 and not bad
    papers, bad, _ = read(folder / "concatenated.json")  # two records on line 1: that line is quarantined
    assert len(papers) == 1 and len(bad) == 1 and bad[0].source.line == 1 and "Extra data" in bad[0].reason


def test_utf16_and_utf32_files_are_decoded(corpus):
    folder, cases = corpus
    for case in cases:
        if case.family != "encoding" or case.name.startswith("latin1"):
            continue
        original = next(rel for rel in TEXT_SAMPLES + ["crossref/query_ecology.json"]
                        if case.name.endswith(rel.replace("/", "_")))
        expected, _, _ = read(SAMPLES / original)
        assert expected, original
        papers, _, _ = read(folder / case.name)
        assert [p.title for p in papers] == [p.title for p in expected], case.name


def test_wrong_types_name_the_field_and_what_was_expected(corpus):
    folder, _ = corpus
    _, bad, _ = read(folder / "type_openalex_doi.jsonl")
    assert bad and all("field 'doi'" in q.reason and "expected a DOI string" in q.reason for q in bad)
    _, bad, _ = read(folder / "type_crossref_DOI.json")
    assert bad and "field 'DOI'" in bad[0].reason
    papers, bad, _ = read(folder / "deep100000_values.jsonl")
    assert len(papers) + len(bad) == 2 and "nested too deeply" in bad[0].reason
    papers, bad, _ = read(folder / "bigint.jsonl")
    assert len(papers) == 1 and "4300 digits" in bad[0].reason


def test_hygiene_of_titles_names_and_file_names(corpus):
    folder, _ = corpus
    papers, _, _ = read(folder / "surrogate_openalex.jsonl")
    assert papers and any("\ufffd" in p.title for p in papers)
    papers, _, _ = read(folder / "controls_crossref.json")
    assert papers and not any("\x00" in p.title or "\x1b" in p.title for p in papers)
    papers, _, info = read(next(p for p in folder.iterdir() if p.name.startswith("name_\udcff")))
    assert info.display == "name_\ufffd\ufffd.ris" and papers[0].source.file == info.display


def test_out_of_range_counts_are_quarantined(corpus):
    folder, _ = corpus
    _, bad, _ = read(folder / "bigint_listing.txt")
    assert any("field 'author_count'" in q.reason for q in bad)


def test_size_limits_quarantine_with_the_limit_in_the_reason(tmp_path):
    line = (SAMPLES / "arxiv_snapshot/arxiv-metadata-oai-snapshot.head100.jsonl").read_text().splitlines()[0]
    rec = json.loads(line)
    f = tmp_path / "big.jsonl"
    f.write_text(json.dumps(dict(rec, abstract="word " * 3000)) + "\n" + line + "\n")
    papers, bad, _ = read(f, max_field=10_000)
    assert len(papers) == 1 and "field 'abstract' has 14,999 characters" in bad[0].reason
    assert "--max-field" in bad[0].reason
    papers, bad, _ = read(f, max_record=10_000)
    assert len(papers) == 1 and "--max-record" in bad[0].reason and bad[0].source.line == 1
    ris = tmp_path / "long.ris"
    ris.write_text("TY  - JOUR\nTI  - Long\nAB  - a\n" + "more text\n" * 5000 + "ER  - \n"
                   "TY  - JOUR\nTI  - Short\nER  - \n")
    papers, bad, _ = read(ris, max_record=10_000)
    assert [p.title for p in papers] == ["Short"] and "RIS record" in bad[0].reason
    papers, bad, _ = read(ris)
    assert len(papers) == 2 and len(papers[0].abstract) > 5000 * 9
    bib = tmp_path / "big.bib"
    bib.write_text("@article{a, title = {" + "x " * 20_000 + "},\n year = 2020}\n"
                   "@article{b, title = {B}, year = 2021}\n@article{c,\n title = {" + "y " * 20_000 + "}}\n")
    papers, bad, _ = read(bib, max_record=10_000)
    assert [p.title for p in papers] == ["B"] and len(bad) == 2
    assert "a line of 40,024 characters" in bad[0].reason and "entry of more than" in bad[1].reason


def test_gzip_of_zeros_stays_bounded(tmp_path):
    f = tmp_path / "zeros.jsonl.gz"
    f.write_bytes(gzip.compress(b"{}\n" + b"\x00" * (8 << 20), compresslevel=1))
    papers, bad, _ = read(f, max_record=1 << 20)
    assert not papers and bad


def test_links_to_folders_are_listed_not_followed(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.ris").write_bytes((SAMPLES / "ris/example_basic.ris").read_bytes())
    (tmp_path / "in" / "up").symlink_to("..")  # a loop: in/up/in/up/...
    infos: list[FileInfo] = []
    with no_hang():
        recs = list(load_paths([tmp_path / "in"], on_file=infos.append))
    assert sorted(i.display for i in infos) == ["in/a.ris", "in/up"]
    assert [r.title for r in recs if isinstance(r, Paper)] == ["A Mathematical Theory of Communication"]
    (q,) = [r for r in recs if isinstance(r, Quarantined)]
    assert q.file_failed and "link to a folder" in q.reason


def test_a_title_without_words_and_no_identifier_is_quarantined(corpus):
    folder, _ = corpus
    papers, bad, _ = read(folder / "surrogate_paperswithcode.json")
    assert any("no letters or digits" in q.reason for q in bad)
    assert all(p.title.strip("\ufffd ") for p in papers)


def test_latin1_and_windows1252_files_keep_their_letters(tmp_path):
    """A real sample saved by an older tool in Windows-1252 (or Latin-1) reads as its UTF-8
    original: every title and author the same, no U+FFFD (before, each accent was lost)."""
    checked = 0
    for rel in TEXT_SAMPLES:
        text = (SAMPLES / rel).read_bytes().decode("utf-8-sig")
        if text.isascii():
            continue
        for codec in ("cp1252", "latin-1"):
            try:
                data = text.encode(codec)
            except UnicodeEncodeError:  # letters this code page has not: not such a file
                continue
            legacy = tmp_path / f"{codec}_{Path(rel).name}"
            legacy.write_bytes(data)
            expected, _, _ = read(SAMPLES / rel)
            papers, _, _ = read(legacy)
            assert [(p.title, p.authors) for p in papers] == [(p.title, p.authors) for p in expected], legacy
            assert not any("\ufffd" in p.title for p in papers)
            checked += 1
    assert checked >= 2


def test_a_stray_latin1_byte_in_a_utf8_file_is_read_as_its_letter(tmp_path):
    ris = tmp_path / "mixed.ris"
    ris.write_bytes("TY  - JOUR\nTI  - Große Sprachmodelle\nAU  - Sch".encode()
                    + b"\xe4fer, Anna\nPY  - 2024\nER  - \n")
    papers, bad, _ = read(ris)
    assert not bad and papers[0].title == "Große Sprachmodelle"
    assert [a.name for a in papers[0].authors] == ["Anna Schäfer"]


def test_a_latin1_bibtex_file_keeps_its_accents(tmp_path):
    bib = tmp_path / "jabref-latin1.bib"
    bib.write_bytes("@article{m1,\n  title = {\u00dcber die M\u00fcller-Lyer T\u00e4uschung},\n"
                    "  author = {M\u00fcller, J\u00fcrgen and \u00c5ngstr\u00f6m, Anders},\n"
                    "  journal = {Zeitschrift f\u00fcr Psychologie}, year = {1999}\n}\n".encode("latin-1"))
    papers, bad, info = read(bib)
    assert info.format == "bibtex" and not bad
    assert papers[0].title == "\u00dcber die M\u00fcller-Lyer T\u00e4uschung"
    assert [a.name for a in papers[0].authors] == ["J\u00fcrgen M\u00fcller", "Anders \u00c5ngstr\u00f6m"]
    assert papers[0].venue == "Zeitschrift f\u00fcr Psychologie"


def test_hygiene_cleans_nested_values_and_keeps_clean_records_as_they_are():
    from kg.loaders import hygiene

    from kg.model import Author, Source

    clean = Paper(title="A title", source=Source("f", 1), format="x",
                  authors=(Author("Ada Lovelace", 1),), extra={"k": ["v", 1]})
    assert hygiene(clean) is clean  # nothing to change: the same object, no copy
    dirty = Paper(title="A title", source=Source("f", 1), format="x", url=5,  # type: ignore[arg-type]
                  authors=(Author("Ada\x00 Love\x1b[31mlace", 1), Author("Bo\ud800b", 2)),
                  extra={"k": ["v\x07", 1], 3: ("x\u202e",)})
    out = hygiene(dirty)
    assert [a.name for a in out.authors] == ["Ada Lovelace", "Bo\ufffdb"]
    assert out.extra == {"k": ["v", 1], "3": ("x",)} and out.url is None
    assert type(out.authors) is tuple and out.authors[1] is not dirty.authors[1]
