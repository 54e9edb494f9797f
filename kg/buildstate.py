"""What a build keeps beside its results so that it can be updated and queried quickly.

``DIR/.kg/`` holds:

* ``state.json`` - the build's inputs (as given and absolute), its settings (``as_of``,
  ``model``), the fingerprint of the extractor, a content hash of every input file, and the
  size and modification time of ``graph.json`` and ``graph.lbdb`` when they were written
  (so a reader can tell that the query store belongs to that ``graph.json``);
* ``extract.sqlite`` - the extraction cache: what extraction added to each record, keyed by
  a hash of the record's whole content and of the extractor (its code, its gazetteer files,
  the spaCy version and the model). A record that did not change is not extracted again; a
  changed extractor never meets an old entry;
* ``files/`` - the file cache: one entry per input file, keyed by a hash of the file's
  content, its recorded name, the reading settings (``as_of``, the size limits), the code that
  reads it and the extractor. An entry holds the file's records as read and extracted (its
  quarantined ones too) and what reading it gave (:class:`kg.loaders.FileInfo`), so that an
  update reads no unchanged file again (:class:`FileCache`). An entry is plain data
  (``marshal`` of tuples, strings, numbers; zstd frames), checked against a digest and its key
  before it is read: it holds no code and names no class, and a damaged or foreign entry is
  not used (the file is read again).

>>> import tempfile
>>> from kg.model import Mention, Paper, Source
>>> p = Paper(title="T", source=Source("a.txt", 1), format="x")
>>> cache = ExtractCache(Path(tempfile.mkdtemp()) / "extract.sqlite", fingerprint="f1")
>>> cache.lookup([p])
[None]
>>> cache.store([p], [((Mention("Method", "LoRA"),), ())])
>>> cache.lookup([p])[0][0][0].name
'LoRA'
>>> cache.close()
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import marshal
import os
import pickle
import sqlite3
import struct
import sys
import typing
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kg.loaders import FileInfo
from kg.model import Author, Citation, Mention, Paper, Quarantined, Source
from kg.runner import Delta

__all__ = [
    "CACHE_FILE",
    "STATE_DIR",
    "STATE_FILE",
    "STORE_FILE",
    "FILES_DIR",
    "ExtractCache",
    "FileCache",
    "FileEntry",
    "extractor_fingerprint",
    "file_digest",
    "fresh_store",
    "input_digests",
    "new_state",
    "read_state",
    "reader_fingerprint",
    "record_key",
    "stat_stamp",
]

STATE_DIR = ".kg"
STATE_FILE = "state.json"
CACHE_FILE = "extract.sqlite"
#: the file cache's folder (:class:`FileCache`)
FILES_DIR = "files"
#: the query store written beside graph.json
STORE_FILE = "graph.lbdb"
_STATE_VERSION = 1


def extractor_fingerprint(model: str | None) -> str:
    """A hash of everything extraction depends on: kg's extraction code and data files,
    the record model, the spaCy version and the model's name and version.

    >>> extractor_fingerprint(None) == extractor_fingerprint(None) != extractor_fingerprint("x")
    True
    """
    import importlib.metadata
    import importlib.util

    spacy_version = importlib.metadata.version("spacy")  # without importing spaCy (seconds)
    h = hashlib.blake2b(digest_size=16)
    h.update(f"spacy {spacy_version}\nmodel {model}\n".encode())
    if model is not None:
        try:
            h.update(f"model version {importlib.metadata.version(model)}\n".encode())
        except (importlib.metadata.PackageNotFoundError, ValueError):  # a path: its meta.json
            meta = Path(model) / "meta.json"
            if meta.is_file():
                h.update(meta.read_bytes())
    spec = importlib.util.find_spec("kg.extract")
    roots = [Path(p) for p in (spec.submodule_search_locations or [])]
    files = [Path(importlib.util.find_spec("kg.model").origin)]
    for root in roots:
        for dirpath, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            files += [Path(dirpath) / n for n in sorted(names) if not n.endswith((".pyc", ".pyo"))]
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def record_key(paper: Paper, fingerprint: str) -> bytes:
    """The cache key of a record: its whole content (every field, its source) and the extractor.

    >>> from kg.model import Source
    >>> a = Paper(title="T", source=Source("a.txt", 1), format="x")
    >>> record_key(a, "f") == record_key(Paper(title="T", source=Source("a.txt", 1), format="x"), "f")
    True
    >>> record_key(a, "f") == record_key(Paper(title="T", source=Source("a.txt", 2), format="x"), "f")
    False
    """
    text = repr(paper).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=20, key=fingerprint.encode()[:64]).digest()


class _Unpickler(pickle.Unpickler):
    """Reads only kg's record classes and builtins: a cache file cannot run code."""

    _ALLOWED = {("kg.model", "Mention"), ("kg.model", "Citation"), ("kg.model", "Source")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in kg's extraction cache")


class ExtractCache:
    """What extraction added to each record, in SQLite, keyed by :func:`record_key`."""

    def __init__(self, path: str | os.PathLike, *, fingerprint: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fingerprint = fingerprint
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS extract (key BLOB PRIMARY KEY, value BLOB) WITHOUT ROWID")
        self.hits = 0
        self.misses = 0
        # the keys of the records a lookup missed, until they are stored (a key hashes the
        # whole record: computed once, not again by store); the record is kept with its key so
        # that another object at the same address can never take it
        self._missed: dict[int, tuple[Paper, bytes]] = {}

    def lookup(self, papers: list[Paper]) -> list[Delta | None]:
        """The cached result of each paper, ``None`` where there is none."""
        keys = [record_key(p, self.fingerprint) for p in papers]
        found: dict[bytes, bytes] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT key, value FROM extract WHERE key IN ({marks})", chunk))
        out: list[Delta | None] = []
        for p, k in zip(papers, keys, strict=True):
            blob = found.get(k)
            if blob is not None:
                try:
                    out.append(_Unpickler(io.BytesIO(zlib.decompress(blob))).load())
                    self.hits += 1
                    continue
                except (pickle.UnpicklingError, zlib.error, EOFError, TypeError, AttributeError, ValueError):
                    pass  # a damaged entry is extracted again
            out.append(None)
            self.misses += 1
            self._missed[id(p)] = (p, k)
        return out

    def store(self, papers: list[Paper], deltas: list[Delta]) -> None:
        """Remember what extraction added to each of ``papers``."""
        rows = [(self._key(p), zlib.compress(pickle.dumps(d, protocol=5), 1))
                for p, d in zip(papers, deltas, strict=True)]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO extract (key, value) VALUES (?, ?)", rows)

    def _key(self, p: Paper) -> bytes:
        missed = self._missed.pop(id(p), None)
        return missed[1] if missed is not None and missed[0] is p else record_key(p, self.fingerprint)

    def close(self) -> None:
        """Write everything and close the file (no ``-wal`` file is left behind)."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.execute("PRAGMA journal_mode=DELETE")
        self._db.close()


def file_digest(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def stat_stamp(path: str | os.PathLike) -> list[int] | None:
    """``[size, mtime_ns]`` of a file (a folder: of its files), ``None`` if it is missing."""
    path = Path(path)
    if not path.exists():
        return None
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def read_state(out: str | os.PathLike) -> dict | None:
    """The ``state.json`` of the build in ``out``, or ``None`` (no build, or an unreadable one)."""
    path = Path(out) / STATE_DIR / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("version") != _STATE_VERSION:
        return None
    return state


def new_state(**values: Any) -> dict:
    """A ``state.json`` object of the current version."""
    return {"version": _STATE_VERSION, **values}


def fresh_store(graph_file: str | os.PathLike) -> Path | None:
    """The query store written with ``graph_file`` by ``kg build``, if both are unchanged since.

    ``kg build`` writes ``DIR/graph.lbdb`` beside ``DIR/graph.json`` and records the size and
    modification time of both; when either differs (the graph was edited, or replaced by
    another program) this gives ``None`` and queries read ``graph.json`` itself.
    """
    graph_file = Path(graph_file)
    out = graph_file.parent
    state = read_state(out)
    if state is None or graph_file.name != "graph.json":
        return None
    store = out / STORE_FILE
    stamps = state.get("stamps") or {}
    if stamps.get("graph.json") is None or stamps.get(STORE_FILE) is None:
        return None
    if stat_stamp(graph_file) != stamps["graph.json"] or stat_stamp(store) != stamps[STORE_FILE]:
        return None
    return store


def input_digests(files: Iterable[tuple[Path, str]]) -> list[list[str]]:
    """``[recorded name, sha256]`` of each input file, in reading order. A path that is not a
    regular file (a FIFO, a socket, a device, a broken or looping link) or cannot be read gets a
    marker instead of a digest: it is never opened here (a FIFO would block), and the loaders
    report why it was not read."""
    out = []
    for path, name in files:
        try:
            digest = file_digest(path) if Path(path).is_file() else "not a regular file"
        except OSError as exc:
            digest = f"unreadable ({exc.strerror or exc})"
        out.append([name, digest])
    return out


# -- the file cache --------------------------------------------------------------------------------

#: the first bytes of a file cache entry (the format's version is in them)
_MAGIC = b"KGF2"
#: papers per frame of an entry (a frame is written as soon as it is full)
_FRAME = 1000


def reader_fingerprint() -> str:
    """A hash of everything reading a file depends on besides the file and the settings: kg's
    loaders, the record model, the code that stores and replays an entry (this module, the map
    over records), the libraries the loaders parse with, pyarrow (its zstd codec writes the
    entries) and Python's version (its ``marshal`` format and its Unicode tables).

    >>> reader_fingerprint() == reader_fingerprint()
    True
    """
    import importlib.metadata
    import importlib.util

    h = hashlib.blake2b(digest_size=16)
    h.update(f"python {sys.version}\\nmarshal {marshal.version}\\n".encode())
    for lib in ("pylatexenc", "defusedxml", "pyarrow"):
        try:
            h.update(f"{lib} {importlib.metadata.version(lib)}\\n".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{lib} none\\n".encode())
    spec = importlib.util.find_spec("kg.loaders")
    files: list[Path] = []
    for root in [Path(p) for p in (spec.submodule_search_locations or [])]:
        files += sorted(f for f in root.glob("*.py"))
    for module in ("kg.model", "kg.ids", "kg.text", "kg.errors", "kg.runner", __name__):
        files.append(Path(importlib.util.find_spec(module).origin))
    for f in files:
        h.update(f.name.encode() + b"\\0" + f.read_bytes() + b"\\0")
    return h.hexdigest()


# A record is stored as the tuple of its fields' values, in the order of the dataclass's fields,
# each record-model value inside it (a Source, a tuple of Authors ...) as such a tuple too.
_MODEL_CLASSES = (Source, Author, Citation, Mention, Paper, Quarantined)


def _field_kinds(cls: type) -> list[tuple[int, type | None]]:
    """For each field of ``cls``: ``(0, None)`` plain data, ``(1, C)`` a ``C`` (or ``None``),
    ``(2, C)`` a tuple of ``C``, where ``C`` is one of the record model's classes."""
    hints = typing.get_type_hints(cls)
    kinds = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        args = typing.get_args(hint)
        if hint in _MODEL_CLASSES:
            kinds.append((1, hint))
        elif typing.get_origin(hint) is tuple and args and args[0] in _MODEL_CLASSES:
            kinds.append((2, args[0]))
        elif any(a in _MODEL_CLASSES for a in args):  # C | None
            kinds.append((1, next(a for a in args if a in _MODEL_CLASSES)))
        else:
            kinds.append((0, None))
    return kinds


def _codec(cls: type) -> tuple[Callable[[Any], tuple], Callable[[tuple], Any]]:
    """The encoder (a record to plain tuples) and the decoder (back) of a record-model class.

    The decoder sets the slots of a new object (what unpickling a frozen dataclass does,
    without its per-object call of ``dataclasses.fields``); a tuple of the wrong length is an
    error, never a half-made record.
    """
    import operator

    names = [f.name for f in dataclasses.fields(cls)]
    setters = [cls.__dict__[n].__set__ for n in names]
    kinds = _field_kinds(cls)
    nested = [(i, kind, sub) for i, (kind, sub) in enumerate(kinds) if kind]
    values_of = operator.attrgetter(*names)  # every field's value at once, as a tuple
    new = object.__new__
    encoders: dict[type, Callable] = {}
    decoders: dict[type, Callable] = {}

    def encode(obj: Any) -> tuple:
        values = values_of(obj)
        if not nested:
            return values
        out = list(values)
        for i, kind, sub in nested:
            value = out[i]
            if kind == 1:
                if value is not None:
                    out[i] = encoders[sub](value)
            elif value:
                enc = encoders[sub]
                out[i] = tuple([enc(v) for v in value])
        return tuple(out)

    def decode(values: tuple) -> Any:
        if len(values) != len(setters):
            raise ValueError(f"a {cls.__name__} of {len(values)} fields, expected {len(setters)}")
        if nested:
            values = list(values)
            for i, kind, sub in nested:
                value = values[i]
                if kind == 1:
                    if value is not None:
                        values[i] = decoders[sub](value)
                else:
                    dec = decoders[sub]
                    values[i] = tuple([dec(v) for v in value])
        obj = new(cls)
        for setter, value in zip(setters, values):  # noqa: B905 - the lengths are checked above
            setter(obj, value)
        return obj

    encode.subs, decode.subs = encoders, decoders  # type: ignore[attr-defined]
    return encode, decode


def _codecs() -> dict[type, tuple[Callable, Callable]]:
    codecs = {cls: _codec(cls) for cls in _MODEL_CLASSES}
    for enc, dec in codecs.values():
        for cls, (e, d) in codecs.items():
            enc.subs[cls] = e
            dec.subs[cls] = d
    return codecs


_CODECS = _codecs()
_encode_paper, _decode_paper = _CODECS[Paper]
_encode_quarantined, _decode_quarantined = _CODECS[Quarantined]


@dataclasses.dataclass
class FileEntry:
    """What reading (and extracting) one file gave: its records in reading order (extracted
    papers and quarantined records) and its :class:`~kg.loaders.FileInfo`."""

    records: list[Paper | Quarantined]
    info: FileInfo


class FileCache:
    """One entry per input file (see the module's docstring): the records of a file that did not
    change, as read and extracted before, so that an update neither reads nor extracts it again.

    ``read_dir`` holds the previous build's entries (``None``: none are read); new entries, and
    the previous ones that were used (hard links, or copies), go into ``write_dir``, so that a
    build's ``files/`` holds the entries of its own inputs only.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> cache = FileCache(None, d / "files", fingerprint="f")
    >>> key = cache.key("a.txt", "0" * 64, as_of=None, max_field=10, max_record=10)
    >>> w = cache.writer(key, None)
    >>> p = Paper(title="T", source=Source("a.txt", 1), format="x")
    >>> w.paper_read(); w.paper_extracted(p)
    >>> w.read_done(FileInfo("a.txt", "x", 1, 0))
    True
    >>> FileCache(d / "files", d / "next", fingerprint="f").load(key).records == [p]
    True
    """

    def __init__(self, read_dir: Path | None, write_dir: Path, *, fingerprint: str) -> None:
        self.read_dir = read_dir
        self.write_dir = write_dir
        write_dir.mkdir(parents=True, exist_ok=True)  # even empty: it replaces the previous build's
        self.fingerprint = fingerprint
        self.reused = 0
        self.written = 0

    def key(self, display: str, digest: str, *, as_of: str | None, max_field: int, max_record: int) -> bytes:
        """The key of a file's entry: its content digest, its recorded name, the reading settings,
        the extractor's fingerprint (``fingerprint``) and the reader's (:func:`reader_fingerprint`).

        Without ``as_of`` a listing page may take today's year: the year is in the key then."""
        year = "" if as_of else str(dt.date.today().year)
        text = json.dumps([_MAGIC.decode(), digest, display, as_of, max_field, max_record, year,
                           self.fingerprint, _reader_fingerprint()], ensure_ascii=True)
        return hashlib.blake2b(text.encode(), digest_size=32).digest()

    def load(self, key: bytes) -> FileEntry | None:
        """The entry of ``key`` (kept for the new build), or ``None`` when there is none, or when it
        is damaged or not the entry of this key (then the file is read again)."""
        if self.read_dir is None:
            return None
        path = self.read_dir / (key.hex() + ".kgf")
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            entry = _read_entry(data, key)
        except Exception:  # noqa: BLE001 - whatever is wrong with an entry, the file is read again
            return None
        self._keep(path)
        self.reused += 1
        return entry

    def _keep(self, path: Path) -> None:
        target = self.write_dir / path.name
        if path.resolve() == target.resolve():
            return
        try:
            os.link(path, target)
        except FileExistsError:
            pass
        except OSError:  # no hard links here (another device, a file system without them)
            import shutil

            shutil.copyfile(path, target)

    def writer(self, key: bytes, check: Callable[[], bool] | None) -> _EntryWriter:
        """A writer of the entry of ``key``; ``check()``, called once the file is read, says whether
        the file is still the one the key was made for (else nothing is kept)."""
        return _EntryWriter(self, key, check)


_reader_fingerprint_value: list[str] = []


def _reader_fingerprint() -> str:
    if not _reader_fingerprint_value:
        _reader_fingerprint_value.append(reader_fingerprint())
    return _reader_fingerprint_value[0]


def _codec() -> Any:
    """pyarrow's zstd codec (pyarrow is a dependency of kg: the query store's tables)."""
    import pyarrow as pa

    return pa.Codec("zstd")


def _frame(obj: Any) -> bytes:
    """One frame of an entry: its compressed and plain sizes, then ``obj`` marshalled and compressed."""
    data = marshal.dumps(obj, 4)
    packed = _codec().compress(data, asbytes=True)
    return struct.pack("<QQ", len(packed), len(data)) + packed


def _read_entry(data: bytes, key: bytes) -> FileEntry:
    """An entry's records, after its digest and key are checked (:class:`FileCache`)."""
    head = len(_MAGIC) + 64
    if len(data) < head or data[:len(_MAGIC)] != _MAGIC:
        raise ValueError("not a file cache entry")
    if data[len(_MAGIC):len(_MAGIC) + 32] != key:
        raise ValueError("the entry of another key")
    body = memoryview(data)[head:]
    if hashlib.blake2b(body, digest_size=32, key=key).digest() != data[len(_MAGIC) + 32:head]:
        raise ValueError("a damaged entry")
    codec = _codec()
    pos = 0
    papers: list[Paper] = []
    tail = None
    while tail is None:
        if pos + 16 > len(body):
            raise EOFError("an entry that ends before its last frame")
        packed, size = struct.unpack_from("<QQ", body, pos)
        pos += 16
        if pos + packed > len(body) or size > 1 << 40:
            raise EOFError("a frame larger than the entry")
        value = marshal.loads(codec.decompress(body[pos:pos + packed], decompressed_size=size, asbytes=True))
        pos += packed
        if value[0] == "P":
            papers.extend(map(_decode_paper, value[1]))
        elif value[0] == "E":
            tail = value
        else:
            raise ValueError("an unknown frame")
    if pos != len(body):
        raise ValueError("bytes after the last frame")
    _, kinds, quarantined, info = tail
    quarantined = list(map(_decode_quarantined, quarantined))
    if len(kinds) != len(papers) + len(quarantined) or sum(kinds) != len(papers):
        raise ValueError("an entry whose records do not add up")
    p_iter, q_iter = iter(papers), iter(quarantined)
    records = [next(p_iter) if k else next(q_iter) for k in kinds]
    return FileEntry(records, FileInfo(*info))


class _EntryWriter:
    """Writes one file's entry as its records come: the quarantined ones as they are read, the
    papers as they come back from extraction (a frame at a time, compressed into a temporary
    file); the entry is kept once the file is read and all its papers are in."""

    def __init__(self, cache: FileCache, key: bytes, check: Callable[[], bool] | None) -> None:
        self.cache = cache
        self.key = key
        self.check = check
        self.kinds = bytearray()
        self.quarantined: list[tuple] = []
        self.expected = 0
        self.received = 0
        self.info: FileInfo | None = None
        self.frame: list[tuple] = []
        self.failed = False
        self.done = False
        self._fh = None
        self._tmp: Path | None = None
        self._hash = hashlib.blake2b(digest_size=32, key=key)

    def quarantined_read(self, rec: Quarantined) -> None:
        """A quarantined record of the file, in reading order."""
        if not self.failed:
            self.kinds.append(0)
            self.quarantined.append(_encode_quarantined(rec))

    def paper_read(self) -> None:
        """A paper of the file was read (it comes back from extraction later)."""
        self.kinds.append(1)
        self.expected += 1

    def paper_extracted(self, paper: Paper) -> None:
        """The next paper of the file, extracted."""
        self.received += 1
        if not self.failed:
            self.frame.append(_encode_paper(paper))
            if len(self.frame) >= _FRAME:
                self._flush()
        self._maybe_finish()

    def read_done(self, info: FileInfo) -> bool:
        """The file is read (``info``); ``True`` when the entry was written now."""
        self.info = info
        return self._maybe_finish()

    def _write(self, data: bytes) -> None:
        if self._fh is None:
            import tempfile

            # a name of its own: two inputs may have the same name and content (the same key)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.key.hex()[:16]}-", suffix=".tmp",
                                       dir=self.cache.write_dir)
            self._tmp = Path(tmp)
            self._fh = os.fdopen(fd, "wb")
            self._fh.write(_MAGIC + self.key + bytes(32))
        self._hash.update(data)
        self._fh.write(data)

    def _flush(self) -> None:
        if not self.frame:
            return
        try:
            self._write(_frame(("P", self.frame)))
        except ValueError:  # a value marshal cannot write: this file gets no entry
            self.discard()
        self.frame = []

    def _maybe_finish(self) -> bool:
        if self.done or self.info is None or self.received < self.expected:
            return False
        self.done = True
        if self.failed or self.info.error is not None or (self.check is not None and not self.check()):
            self.discard()  # a file that failed may read otherwise next time; a changed one is another
            return False
        self._flush()
        if self.failed:
            return False
        try:
            self._write(_frame(("E", bytes(self.kinds), self.quarantined, tuple(
                dataclasses.astuple(self.info)))))
            self._fh.seek(len(_MAGIC) + 32)
            self._fh.write(self._hash.digest())
            self._fh.close()
            self._fh = None
            os.replace(self._tmp, self.cache.write_dir / (self.key.hex() + ".kgf"))
        except (ValueError, OSError):
            self.discard()
            return False
        self.cache.written += 1
        self._release()
        return True

    def _release(self) -> None:
        """Let go of what writing needed (a folder of many files has a writer for each)."""
        self.quarantined = []
        self.frame = []
        self.kinds = bytearray()
        self._hash = None

    def discard(self) -> None:
        """Write nothing (and remove what was written)."""
        self.failed = True
        self.done = True
        self._release()
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
