"""What a build keeps beside its results so that it can be updated and queried quickly.

``DIR/.kg/`` holds:

* ``state.json`` - the build's inputs (as given and absolute), its settings (``as_of``,
  ``model``), the fingerprint of the extractor, a content hash of every input file, and the
  size and modification time of ``graph.json`` and ``graph.lbdb`` when they were written
  (so a reader can tell that the query store belongs to that ``graph.json``);
* ``extract.sqlite`` - the extraction cache: what extraction added to each record, keyed by
  a hash of the record's whole content and of the extractor (its code, its gazetteer files,
  the spaCy version and the model). A record that did not change is not extracted again; a
  changed extractor never meets an old entry.

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

import hashlib
import io
import json
import os
import pickle
import sqlite3
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.model import Paper
from kg.runner import Delta

__all__ = [
    "CACHE_FILE",
    "STATE_DIR",
    "STATE_FILE",
    "STORE_FILE",
    "ExtractCache",
    "extractor_fingerprint",
    "file_digest",
    "fresh_store",
    "input_digests",
    "new_state",
    "read_state",
    "record_key",
    "stat_stamp",
]

STATE_DIR = ".kg"
STATE_FILE = "state.json"
CACHE_FILE = "extract.sqlite"
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
