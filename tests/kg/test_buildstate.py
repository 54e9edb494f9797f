"""The file cache of a build (kg.buildstate.FileCache): real records read and extracted from real
files, stored and taken back; damaged, foreign or hostile entries are never used."""

from __future__ import annotations

import gzip
import itertools
import marshal
from pathlib import Path

import pytest

from kg import loaders
from kg.buildstate import FileCache, _read_entry, file_digest
from kg.model import Paper, Quarantined
from kg.runner import extract_map
from tests.conftest import SHARED

SETTINGS = {"as_of": "2025-06-01", "max_field": loaders.DEFAULT_MAX_FIELD,
            "max_record": loaders.DEFAULT_MAX_RECORD}


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory) -> Path:
    """30 real arXiv records with two broken lines among them (quarantined when read)."""
    with gzip.open(SHARED / "corpora" / "arxiv_75k.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = list(itertools.islice(fh, 30))
    lines[10:10] = ['{"id": "2401.0", "title": \n']
    lines[20:20] = ['{"id": "2401.1", "title": "", "authors_parsed": []}\n']
    path = tmp_path_factory.mktemp("files") / "papers.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    recs = list(loaders.load(path, as_of=SETTINGS["as_of"]))
    assert sum(isinstance(r, Quarantined) for r in recs) == 2 and len(recs) == 32
    return path


def store(cache: FileCache, path: Path, key: bytes) -> tuple[list, loaders.FileInfo]:
    """Read and extract ``path`` as a build does, writing its entry; its records and FileInfo."""
    infos = []
    writer = cache.writer(key, lambda: file_digest(path) == file_digest(path))
    read = list(loaders.load(path, as_of=SETTINGS["as_of"], on_file=infos.append))
    for rec in read:
        if isinstance(rec, Quarantined):
            writer.quarantined_read(rec)
        else:
            writer.paper_read()
    papers = list(extract_map([r for r in read if isinstance(r, Paper)], jobs=1, model=None))
    assert any(p.mentions for p in papers), "nothing extracted: a weak test"
    for p in papers:
        writer.paper_extracted(p)
    writer.read_done(infos[0])
    it = iter(papers)
    return [r if isinstance(r, Quarantined) else next(it) for r in read], infos[0]


def test_an_entry_gives_back_the_records_as_read_and_extracted(seed_file, tmp_path):
    first = FileCache(None, tmp_path / "a", fingerprint="f")
    key = first.key(seed_file.name, file_digest(seed_file), **SETTINGS)
    records, info = store(first, seed_file, key)
    assert first.written == 1
    again = FileCache(tmp_path / "a", tmp_path / "b", fingerprint="f")
    entry = again.load(key)
    assert entry is not None and again.reused == 1
    assert entry.records == records and entry.info == info
    assert [p.extra for p in entry.records if isinstance(p, Paper)] == [
        p.extra for p in records if isinstance(p, Paper)]
    # the entry used is kept in the new build's folder (and only it)
    assert [p.name for p in (tmp_path / "b").iterdir()] == [key.hex() + ".kgf"]


def test_the_key_depends_on_content_name_settings_and_extractor(seed_file):
    cache = FileCache(None, Path("unused"), fingerprint="f")
    digest = file_digest(seed_file)
    key = cache.key(seed_file.name, digest, **SETTINGS)
    assert key == cache.key(seed_file.name, digest, **SETTINGS)
    others = {
        cache.key(seed_file.name, "0" * 64, **SETTINGS),
        cache.key("other.jsonl", digest, **SETTINGS),
        cache.key(seed_file.name, digest, **{**SETTINGS, "as_of": "2024"}),
        cache.key(seed_file.name, digest, **{**SETTINGS, "max_field": 10}),
        cache.key(seed_file.name, digest, **{**SETTINGS, "max_record": 10}),
        FileCache(None, Path("unused"), fingerprint="another").key(seed_file.name, digest, **SETTINGS),
    }
    assert key not in others and len(others) == 6


def test_a_damaged_or_foreign_entry_is_not_used(seed_file, tmp_path):
    cache = FileCache(None, tmp_path / "a", fingerprint="f")
    key = cache.key(seed_file.name, file_digest(seed_file), **SETTINGS)
    store(cache, seed_file, key)
    path = tmp_path / "a" / (key.hex() + ".kgf")
    good = path.read_bytes()
    reader = FileCache(tmp_path / "a", tmp_path / "b", fingerprint="f")
    for bad in (good[:-10], good[:40], good[:-1] + bytes([good[-1] ^ 1]),
                good[:200] + bytes([good[200] ^ 0x40]) + good[201:], b"", b"KGF1" + bytes(100)):
        path.write_bytes(bad)
        assert reader.load(key) is None
    # another file's entry under this file's name
    other_key = cache.key("other.jsonl", file_digest(seed_file), **SETTINGS)
    path.write_bytes(good)
    (tmp_path / "a" / (other_key.hex() + ".kgf")).write_bytes(good)
    assert reader.load(other_key) is None
    assert reader.load(key) is not None


def test_an_entry_that_holds_code_is_not_run(tmp_path):
    # an entry made by hand with a valid digest and key: a code object where a record should be is
    # a malformed entry (never called), and marshal data cannot name a function to call
    import hashlib

    from kg.buildstate import _MAGIC, _frame

    ran = tmp_path / "ran"
    code = compile(f"open({str(ran)!r}, 'w').write('x')", "<entry>", "exec")
    key = bytes(32)
    body = _frame(("P", [code])) + _frame(("E", b"\1", [], ("a.txt", "x", 1, 0, None)))
    data = _MAGIC + key + hashlib.blake2b(body, digest_size=32, key=key).digest() + body
    with pytest.raises((TypeError, ValueError)):
        _read_entry(data, key)
    cache_dir = tmp_path / "a"
    cache_dir.mkdir()
    (cache_dir / (key.hex() + ".kgf")).write_bytes(data)
    assert FileCache(cache_dir, tmp_path / "b", fingerprint="f").load(key) is None
    assert not ran.exists()
    assert marshal.loads(marshal.dumps(code)) is not None  # marshal reads it: only kg decides what it is


def test_a_file_that_changed_while_read_or_failed_gets_no_entry(seed_file, tmp_path):
    cache = FileCache(None, tmp_path / "a", fingerprint="f")
    key = cache.key(seed_file.name, file_digest(seed_file), **SETTINGS)
    writer = cache.writer(key, lambda: False)  # the file no longer holds the digest's bytes
    writer.read_done(loaders.FileInfo(seed_file.name, "x", 0, 0))
    failed = cache.writer(key, None)
    failed.paper_read()
    failed.paper_extracted(next(r for r in loaders.load(seed_file) if isinstance(r, Paper)))
    failed.read_done(loaders.FileInfo(seed_file.name, "x", 1, 1, error="a read error"))
    assert cache.written == 0
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())


def test_the_key_changes_with_the_readers_code_and_with_the_year_when_no_date_is_given(
        seed_file, monkeypatch):
    import datetime as dt

    import kg.buildstate as buildstate

    cache = FileCache(None, Path("unused"), fingerprint="f")
    digest = file_digest(seed_file)
    key = cache.key(seed_file.name, digest, **SETTINGS)
    undated = cache.key(seed_file.name, digest, **{**SETTINGS, "as_of": None})
    monkeypatch.setattr(buildstate, "_reader_fingerprint_value", ["loaders edited"])
    assert cache.key(seed_file.name, digest, **SETTINGS) != key

    next_year = dt.date(dt.date.today().year + 1, 1, 1)

    class NextYear(dt.date):
        @classmethod
        def today(cls):
            return next_year

    monkeypatch.setattr(buildstate, "_reader_fingerprint_value", [])
    monkeypatch.setattr(buildstate.dt, "date", NextYear)
    # a listing page without --as-of may take today's year: another year, another key
    assert cache.key(seed_file.name, digest, **{**SETTINGS, "as_of": None}) != undated
    assert cache.key(seed_file.name, digest, **SETTINGS) == key
