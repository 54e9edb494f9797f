"""Property-based tests: every loader fed random and mutated versions of the real samples.

Properties, for any input: no exception escapes :func:`kg.loaders.load`; every record is
accounted for (the file's :class:`~kg.loaders.FileInfo` counts what was yielded, a bad JSON
record costs exactly its own line or element, garbage between BibTeX entries or RIS records
costs no entry); nothing hangs (a 30 s guard per example, not a speed test: each takes
milliseconds). Examples are few (50 per test, derandomized) so that the whole file runs in well
under a minute on CI; ``KG_FUZZ_EXAMPLES=2000 pytest tests/loaders/test_fuzz.py`` searches longer.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kg.loaders import FileInfo, load

from kg.model import Paper, Quarantined
from tests.conftest import SAMPLES, SEEDS
from tests.loaders.hostile import FIXTURES
from tests.loaders.test_hostile import no_hang

FUZZ = settings(max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "50")), deadline=None,
                derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: small seed texts, one or more per loader: (file name to write, bytes)
_SEED_FILES: dict = {
    "full.ris": lambda: (SAMPLES / "ris/example_full.ris").read_bytes(),
    "multiline.ris": lambda: (SAMPLES / "ris/example_multiline.ris").read_bytes(),
    "refs.bib": lambda: _bib_head(),
    "feed.xml": lambda: (SAMPLES / "arxiv_atom/search_10.xml").read_bytes(),
    "snapshot.jsonl": lambda: _lines(SAMPLES / "arxiv_snapshot/arxiv-metadata-oai-snapshot.head100.jsonl", 4),
    "works.jsonl": lambda: _lines(SAMPLES / "openalex/works-300.jsonl.gz", 3),
    "papers.jsonl": lambda: _lines(SAMPLES / "semantic_scholar/bulk/papers-50.jsonl.gz", 4),
    "citations.jsonl": lambda: _lines(SAMPLES / "semantic_scholar/bulk/citations-50.jsonl.gz", 4),
    "work.json": lambda: (SAMPLES / "crossref/work_jor.1100150407.json").read_bytes(),
    "nulls.json": lambda: (SAMPLES / "semantic_scholar/PaperWithNullValues.json").read_bytes(),
    "paper.json": lambda: _trimmed(SAMPLES / "semantic_scholar/Paper.json"),
    "daily.json": lambda: (FIXTURES / "hf_daily_papers.json").read_bytes(),
    "pwc.json": lambda: (FIXTURES / "pwc_code_links.json").read_bytes(),
    "listing.txt": lambda: (SEEDS / "001_eea2f075fb8cce27.txt").read_bytes()[:4000],
    "search.txt": lambda: (SEEDS / "000_761299f930b716c2.txt").read_bytes()[:4000],
}
_TOKENS = [b"{", b"}", b"[", b"]", b'"', b"\\", b",", b"\n", b"@article{", b"@string{x = x # x}", b"TY  - ",
           b"ER  - ", b"</entry>", b"<entry>", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"\x00", b"\xff\xfe",
           b"\\ud800", b"\x1b[31m", b"9" * 400, b"[" * 3000, b"NaN", b"null", b"\r", b"\t", b"&amp;"]


def _lines(path: Path, n: int) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return b"".join(data.splitlines(keepends=True)[:n])


def _trimmed(path: Path) -> bytes:
    """A Graph API paper with its long lists cut to three elements."""
    obj = json.loads(path.read_text(encoding="utf-8"))
    return json.dumps({k: v[:3] if isinstance(v, list) else v for k, v in obj.items()}, indent=1).encode()


def _bib_head() -> bytes:
    text = (SAMPLES / "bibtex/biblatex-examples.bib").read_bytes()
    return text[: text.index(b"\n@", 6000) + 1]


@functools.cache
def seed(name: str) -> bytes:
    return _SEED_FILES[name]()


def run(path: Path) -> list[Paper | Quarantined]:
    infos: list[FileInfo] = []
    with no_hang(30):
        recs = list(load(path, on_file=infos.append))
    (info,) = infos
    assert info.records == len(recs)
    assert info.quarantined == sum(isinstance(r, Quarantined) for r in recs)
    for r in recs:
        if isinstance(r, Quarantined):
            assert r.reason and r.source.line >= 1
        else:
            assert r.title or r.stub
            assert r.url is None or r.url.lower().startswith(("http://", "https://"))
    return recs


@st.composite
def mutated(draw, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "token", "delete", "duplicate", "truncate"]))
        pos = draw(st.integers(0, len(b)))
        if kind == "flip" and b:
            b[min(pos, len(b) - 1)] = draw(st.integers(0, 255))
        elif kind == "insert":
            b[pos:pos] = draw(st.binary(max_size=16))
        elif kind == "token":
            b[pos:pos] = draw(st.sampled_from(_TOKENS))
        elif kind == "delete":
            del b[pos:pos + draw(st.integers(1, 200))]
        elif kind == "duplicate":
            b[pos:pos] = b[pos:pos + draw(st.integers(1, 400))]
        elif kind == "truncate":
            del b[pos:]
    return bytes(b)


@FUZZ
@given(name=st.sampled_from(sorted(_SEED_FILES)), data=st.data(), gz=st.booleans())
def test_mutated_samples_never_raise_and_are_accounted_for(name, data, gz):
    raw = data.draw(mutated(seed(name)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (name + (".gz" if gz else ""))
        path.write_bytes(gzip.compress(raw) if gz else raw)
        run(path)
        if gz:  # the same bytes cut short as a .gz: the records before the cut are kept
            comp = gzip.compress(raw)
            path.write_bytes(comp[: max(10, len(comp) * 2 // 3)])
            recs = run(path)
            assert recs and isinstance(recs[-1], Quarantined)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)

#: one record of each JSON loader, and how a file holds three of them
_RECORDS = {
    "openalex": ("works.jsonl", "jsonl"), "s2_papers": ("papers.jsonl", "jsonl"),
    "s2_citations": ("citations.jsonl", "jsonl"), "arxiv_snapshot": ("snapshot.jsonl", "jsonl"),
    "crossref": ("work.json", "array"), "hf_daily_papers": ("daily.json", "array"),
    "s2_graph": ("paper.json", "array"),
}


def _first(name: str) -> dict:
    text = seed(name).decode("utf-8")
    if name.endswith(".jsonl"):
        return json.loads(text.splitlines()[0])
    obj = json.loads(text)
    obj = obj[0] if isinstance(obj, list) else obj
    return obj.get("message", obj) if isinstance(obj.get("message"), dict) else obj


def _set_path(obj, path: list[int], value):
    """Replace the value reached by following ``path`` (indexes into keys/elements, taken modulo)."""
    cur = obj
    for step in path[:-1]:
        children = list(cur.items()) if isinstance(cur, dict) else list(enumerate(cur))
        nxt = [(k, v) for k, v in children if isinstance(v, dict | list) and v]
        if not nxt:
            break
        k, _ = nxt[step % len(nxt)]
        cur = cur[k]
    keys = list(cur) if isinstance(cur, dict) else list(range(len(cur)))
    if keys:
        cur[keys[path[-1] % len(keys)]] = value


@FUZZ
@given(fmt=st.sampled_from(sorted(_RECORDS)), changes=st.lists(
    st.tuples(st.lists(st.integers(0, 50), min_size=1, max_size=4), _JSON), min_size=1, max_size=4))
def test_a_bad_json_record_costs_only_itself(fmt, changes):
    name, shape = _RECORDS[fmt]
    good = _first(name)
    bad = json.loads(json.dumps(good))
    for path, value in changes:
        _set_path(bad, path, value)
    recs3 = [good, bad, good]
    if shape == "jsonl":
        text = "".join(json.dumps(r) + "\n" for r in recs3)
    else:
        text = "[\n" + ",\n".join(json.dumps(r) for r in recs3) + "\n]"
    file = "x.jsonl" if shape == "jsonl" else "x.json"
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as tmp2:
        path = Path(tmp) / file
        path.write_text(text, encoding="utf-8")
        clean = Path(tmp2) / file
        clean.write_text(text.replace(json.dumps(bad), json.dumps(good)), encoding="utf-8")
        expected = run(clean)
        got = run(path)
    assert len(expected) == 3 and all(isinstance(r, Paper) for r in expected)
    # the good records around the bad one load as they would alone; the bad one is one record
    assert len(got) == 3
    assert got[0] == expected[0] and got[2] == expected[2]


_GARBAGE = st.text(alphabet=st.characters(blacklist_characters="@\r\x85\u2028\u2029",
                                          blacklist_categories=("Cs",)), max_size=80)


@FUZZ
@given(junk=st.lists(_GARBAGE, min_size=1, max_size=6), where=st.lists(st.integers(0, 1000), max_size=6))
def test_garbage_between_bibtex_entries_costs_no_entry(junk, where):
    text = seed("refs.bib").decode("utf-8")
    entries = re.split(r"\n(?=@)", text)
    for w, j in zip(where, junk, strict=False):
        entries.insert(w % (len(entries) + 1), j.replace("\n", " ") + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "clean.bib", Path(tmp) / "junk.bib"
        a.write_text(text, encoding="utf-8")
        b.write_text("\n".join(entries), encoding="utf-8")
        keys = {p.extra["key"] for p in run(a) if isinstance(p, Paper)}
        got = {p.extra["key"] for p in run(b) if isinstance(p, Paper)}
    assert keys and keys <= got


@FUZZ
@given(junk=st.lists(_GARBAGE.filter(lambda s: not re.match(r"[A-Z][A-Z0-9]  -", s)), min_size=1, max_size=6),
       where=st.lists(st.integers(0, 1000), max_size=6), drop_er=st.booleans())
def test_garbage_between_ris_records_costs_no_record(junk, where, drop_er):
    text = seed("full.ris").decode("utf-8").lstrip("\ufeff") * 3
    records = [r + "ER  - \n" for r in text.split("ER  - \n") if r.strip()]
    if drop_er:  # the middle record loses its ER: the next TY still ends it
        records[1] = records[1].replace("ER  - \n", "")
    for w, j in zip(where, junk, strict=False):
        records.insert(w % (len(records) + 1), j.replace("\n", " ") + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "junk.ris"
        path.write_text("".join(records), encoding="utf-8")
        recs = run(path)
    papers = [r for r in recs if isinstance(r, Paper)]
    assert len(papers) == 6
