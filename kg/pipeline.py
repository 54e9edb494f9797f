"""The pipeline: the only place that knows the order of the stages.

read (:mod:`kg.loaders`) -> extract (:mod:`kg.extract`, a map over records on ``jobs``
processes: :mod:`kg.runner`) -> resolve (:mod:`kg.resolve`) -> build (:mod:`kg.build`)
-> write ``graph.json``, ``graph.lbdb`` (the query store), ``view.html``,
``quarantine.jsonl``, ``report.json`` and the build's state (``.kg/``).

``report.json`` reconciles every file: ``read = loaded + merged + quarantined``, where
*loaded* records became a node of their own, *merged* records joined another record's node,
and *quarantined* records went to ``quarantine.jsonl`` with their line and reason.

Output is atomic: a build writes into a temporary folder beside ``out`` and moves the
finished files into place at the end, so ``out`` holds the previous complete build or the
new one; a failed or killed build leaves no half-written file and no empty ``out``.

An update (``update=True``) adds inputs to the build already in ``out``: it takes each
unchanged input file's records, as read and extracted, from the build's file cache
(``out/.kg/files/``: :class:`kg.buildstate.FileCache`), reads the other files, takes each of
their unchanged records' extraction from the record cache (``out/.kg/extract.sqlite``),
extracts only new or changed records, then resolves and builds the whole graph again, so the
result equals a full build of all the inputs; ``graph.lbdb`` is a copy of the previous
build's store patched with what changed (:func:`_patchable_store`). When nothing changed
(same inputs, same file contents, same extractor and settings) it writes nothing.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import orjson
from tqdm import tqdm

from kg import loaders
from kg.build import build_graph
from kg.buildstate import (
    CACHE_FILE,
    FILES_DIR,
    STATE_DIR,
    STATE_FILE,
    STORE_FILE,
    ExtractCache,
    FileCache,
    extractor_fingerprint,
    file_digest,
    fresh_store,
    input_digests,
    new_state,
    read_state,
    stat_stamp,
)
from kg.errors import InputError, StoreError
from kg.graphio import save_graph
from kg.model import Paper, Quarantined
from kg.resolve import resolve, tag_sources
from kg.runner import BATCH_SIZE, Forked, can_fork, default_jobs, extract_map, gc_paused

if TYPE_CHECKING:
    from kg.view import PreparedView

__all__ = ["VIEW_MAX_NODES", "BuildResult", "build", "graph_stats"]

#: a graph with more nodes than this gets a view of its VIEW_TOP best-connected nodes
#: (``kg view GRAPH --top N`` or ``--focus`` shows any other part)
VIEW_MAX_NODES = 2000
VIEW_TOP = 1000

_TMP_PREFIX = ".kg-build-"

#: what a forked child of the build holds until it ends (:func:`_make` with ``forked``)
_HELD_TO_THE_END: list = []


@dataclass
class BuildResult:
    """What :func:`build` made: the graph, the report and the files written.

    ``graph`` is ``None`` when an update found nothing to do (``report["unchanged"]``), or when
    the build was asked not to keep it (``keep_graph=False``: the graph is in ``graph.json``).
    """

    graph: nx.MultiDiGraph | None
    report: dict
    files: dict[str, Path] = field(default_factory=dict)


def graph_stats(graph: nx.MultiDiGraph) -> dict:
    """Nodes per label, edges per type, and stub papers.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper:ref:fu-etal-2018", label="Paper", stub=True)
    >>> g.add_node("paper:t:x", label="Paper")
    >>> _ = g.add_edge("paper:t:x", "paper:ref:fu-etal-2018", key="CITES", type="CITES")
    >>> graph_stats(g)
    {'nodes': {'Paper': 2}, 'edges': {'CITES': 1}, 'stub_papers': 1, 'total_nodes': 2, 'total_edges': 1}
    """
    # NetworkX's own dicts under its views (a view costs a call per node or edge: 1.6 s at 75k)
    node_data = graph._node.values()
    nodes = Counter(d.get("label") for d in node_data)
    edges = Counter(d.get("type") for nbrs in graph._adj.values() for keyed in nbrs.values()
                    for d in keyed.values())
    stubs = sum(1 for d in node_data if d.get("stub") and d.get("label") == "Paper")
    return {
        "nodes": dict(sorted(nodes.items())),
        "edges": dict(sorted(edges.items())),
        "stub_papers": stubs,
        "total_nodes": graph.number_of_nodes(),
        "total_edges": sum(edges.values()),
    }


# -- timing and progress ------------------------------------------------------------------------


def _cpu() -> float:
    """CPU-seconds (user + system) of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _on_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _own_cpu() -> float:
    """CPU-seconds of this process alone (the build's critical path runs here)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _peak_rss_mib() -> float:
    """The peak resident memory of this process so far (not of its workers), in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


class _Stages:
    """Wall and CPU seconds (``cpu``: with the workers that ended in the stage; ``cpu_main``: this
    process alone), peak memory at the end of each stage and its ``start`` (seconds after
    ``started``); a line on a terminal while one runs."""

    def __init__(self, disable: bool | None, started: float | None = None) -> None:
        self.disable = disable
        self.started = time.perf_counter() if started is None else started
        self.times: dict[str, dict[str, float]] = {}

    @contextmanager
    def stage(self, name: str, *, tick: bool = True) -> Iterator[None]:
        wall, cpu, own = time.perf_counter(), _cpu(), _own_cpu()
        bar = tqdm(total=1, desc=name, bar_format="{desc}: {elapsed}", disable=self.disable, leave=False)
        stop = threading.Event()
        ticker = None
        if tick and not bar.disable:  # keep the elapsed time moving on a terminal
            def tick() -> None:
                while not stop.wait(0.5):
                    bar.refresh()

            ticker = threading.Thread(target=tick, daemon=True)
            ticker.start()
        try:
            yield
        finally:
            stop.set()
            if ticker is not None:
                ticker.join()
            bar.close()
            self.times[name] = {"start": round(wall - self.started, 3),
                                "wall": round(time.perf_counter() - wall, 3), "cpu": round(_cpu() - cpu, 3),
                                "cpu_main": round(_own_cpu() - own, 3),
                                "peak_rss_mib": round(_peak_rss_mib())}

    @contextmanager
    def more(self, name: str) -> Iterator[None]:
        """More time for the stage ``name`` (a stage begun in another process, finished here)."""
        wall, cpu, own = time.perf_counter(), _cpu(), _own_cpu()
        try:
            yield
        finally:
            t = self.times.setdefault(name, {"start": round(wall - self.started, 3), "wall": 0.0,
                                             "cpu": 0.0, "cpu_main": 0.0, "peak_rss_mib": 0})
            t["wall"] = round(t["wall"] + time.perf_counter() - wall, 3)
            t["cpu"] = round(t["cpu"] + _cpu() - cpu, 3)
            t["cpu_main"] = round(t["cpu_main"] + _own_cpu() - own, 3)
            t["peak_rss_mib"] = max(t["peak_rss_mib"], round(_peak_rss_mib()))

    def bar(self, desc: str, unit: str, position: int = 0) -> tqdm:
        return tqdm(desc=desc, unit=unit, disable=self.disable, leave=False, position=position)


# -- atomic output -----------------------------------------------------------------------------


class _Staging:
    """A temporary folder beside ``out``; :meth:`commit` moves its files into ``out``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._made: list[Path] = []
        parent = out.parent
        missing = []
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        for p in reversed(missing):
            p.mkdir()
            self._made.append(p)
        _recover(out)
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{out.name}-{os.getpid()}-", dir=out.parent))

    def commit(self) -> None:
        """Move every finished file into ``out``; the build's state last.

        The state is removed first, so a reader never takes the query store of one build for
        the graph of another (their stamps would not match either way).
        """
        (self.tmp / ".complete").write_text("")
        _commit(self.tmp, self.out)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        for p in reversed(self._made):
            with suppress(OSError):
                p.rmdir()


def _commit(tmp: Path, out: Path) -> None:
    out.mkdir(exist_ok=True)
    state = out / STATE_DIR / STATE_FILE
    if state.exists():
        state.unlink()
    names = sorted(n for n in os.listdir(tmp) if n not in (".complete", STATE_DIR))
    for name in names:
        _move(tmp / name, out / name)
    if (tmp / STATE_DIR).is_dir():
        (out / STATE_DIR).mkdir(exist_ok=True)
        for name in sorted(os.listdir(tmp / STATE_DIR)):
            if name != STATE_FILE:
                _move(tmp / STATE_DIR / name, out / STATE_DIR / name)
        if (tmp / STATE_DIR / STATE_FILE).exists():
            os.replace(tmp / STATE_DIR / STATE_FILE, state)
    shutil.rmtree(tmp, ignore_errors=True)


def _move(src: Path, dst: Path) -> None:
    if dst.is_dir() and not dst.is_symlink():
        shutil.rmtree(dst)
    os.replace(src, dst)


def _recover(out: Path) -> None:
    """Finish or discard what a killed build left beside ``out``.

    A staging folder of a process that is gone: if it was complete (killed while moving its
    files) the move is finished, otherwise it is removed.
    """
    prefix = f"{_TMP_PREFIX}{out.name}-"
    try:
        siblings = sorted(out.parent.iterdir())
    except OSError:
        return
    for tmp in siblings:
        if not (tmp.name.startswith(prefix) and tmp.is_dir()):
            continue
        pid = tmp.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue
        if (tmp / ".complete").exists():
            _commit(tmp, out)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- the build -----------------------------------------------------------------------------------


def _input_entries(inputs: list[str]) -> list[dict]:
    return [{"path": str(i), "abs": str(Path(i).resolve())} for i in inputs]


def _merge_inputs(previous: list[dict], new: list[str]) -> list[dict]:
    """The previous build's inputs, then the new ones not already among them."""
    entries = list(previous)
    seen = {e["abs"] for e in entries}
    for e in _input_entries(new):
        if e["abs"] not in seen:
            seen.add(e["abs"])
            entries.append(e)
    return entries


def _openable(entry: dict) -> str:
    """An input as given when it still names the same file from here, else its absolute path."""
    given = Path(entry["path"])
    if given.exists() and str(given.resolve()) == entry["abs"]:
        return entry["path"]
    return entry["abs"]


def build(
    inputs: Iterable[str | os.PathLike],
    out: str | os.PathLike,
    *,
    as_of: str | None = None,
    model: str | None = None,
    view: bool = True,
    progress: bool | None = None,
    jobs: int | None = None,
    update: bool = False,
    query_store: bool = True,
    batch_size: int = BATCH_SIZE,
    max_field: int = loaders.DEFAULT_MAX_FIELD,
    max_record: int = loaders.DEFAULT_MAX_RECORD,
    keep_graph: bool = True,
) -> BuildResult:
    """Read ``inputs`` (files or folders), build the graph, write everything into ``out``.

    ``as_of`` is the listing date for dates printed without a year; ``model`` is ``"kg"``
    (kg's trained model beside the rules; the default, ``None``, means it, or on ``update``
    the previous build's), ``""`` (the rules alone: ``kg build --no-model``) or another
    installed spaCy pipeline that may add entity candidates; ``progress`` shows progress bars
    (default: when standard error is a terminal); ``jobs`` is the number of processes that
    extract (default: all cores; the output is the same for any number); ``update`` adds
    ``inputs`` to the build already in ``out`` (its inputs, ``as_of`` and ``model`` are kept
    unless given); ``query_store`` also writes ``graph.lbdb``, which ``kg query --graph
    out/graph.json`` then uses; ``batch_size`` is the number of records per task sent to a
    worker; ``max_field`` and ``max_record`` are the loaders' size limits
    (:class:`kg.loaders.LoadOptions`). ``keep_graph=False`` (what ``kg build`` does) lets the
    graph go once ``graph.json`` and the view are written, before the child that writes
    ``graph.lbdb`` starts, so the two never hold their memory at once (``result.graph`` is then
    ``None``); by default the graph is kept and returned, and with ``jobs`` > 1 that child
    runs beside the writes of the edges and the view.

    A file that cannot be read never stops the build: it is in ``report["files"]`` with its
    ``error`` and in ``report["failed_files"]``, and its quarantined record says why.

    >>> import json, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> rec = {"id": "2401.00001", "submitter": None, "title": "LoRA for cats", "versions": [],
    ...        "abstract": "We fine-tune with LoRA.", "authors_parsed": [["Lovelace", "Ada", ""]]}
    >>> _ = (d / "papers.jsonl").write_text(json.dumps(rec))
    >>> r = build([d / "papers.jsonl"], d / "out", view=False, jobs=1, query_store=False)
    >>> r.report["totals"]
    {'read': 1, 'loaded': 1, 'merged': 0, 'quarantined': 0}
    >>> sorted(p.name for p in (d / "out").iterdir())
    ['.kg', 'graph.json', 'quarantine.jsonl', 'report.json']
    >>> build([d / "papers.jsonl"], d / "out", view=False, query_store=False, update=True).report["unchanged"]
    True
    """
    started = time.perf_counter()
    out = Path(out)
    # tqdm's own disable=None would still start its monitor thread off a terminal
    disable = not _on_terminal() if progress is None else not progress
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    given = [str(i) for i in inputs]

    previous = read_state(out) if update else None
    if previous is not None:
        entries = _merge_inputs(previous["inputs"], given)
        as_of = as_of if as_of is not None else previous.get("as_of")
        model = model if model is not None else previous.get("model")
    else:
        entries = _merge_inputs([], given)
    model = "kg" if model is None else model  # "": the rules alone
    input_names = [e["path"] for e in entries]
    openable = [_openable(e) for e in entries]
    fingerprint = extractor_fingerprint(model or None)
    # the files are listed once: the build reads exactly the files whose digests it records
    listed = list(loaders.iter_files(openable))
    digests = input_digests(listed)
    settings = {"as_of": as_of, "model": model, "fingerprint": fingerprint, "view": view,
                "query_store": query_store, "max_field": max_field, "max_record": max_record}

    if (previous is not None and previous.get("inputs") == entries
            and previous.get("digests") == digests
            and all(previous.get(k) == v for k, v in settings.items())
            and all(stat_stamp(out / name) == stamp for name, stamp in previous.get("stamps", {}).items())):
        report = {"inputs": input_names, "unchanged": True,
                  "seconds": round(time.perf_counter() - started, 2)}
        return BuildResult(None, report, {})

    stages = _Stages(disable, started)
    staging = _Staging(out)
    store_base = _patchable_store(out, previous) if previous is not None and query_store else None
    try:
        files = [(path, name, digest) for (path, name), (_, digest) in zip(listed, digests, strict=True)]
        result = _build(staging.tmp, out, entries, input_names, files, settings, digests, stages,
                        jobs=jobs, update=previous is not None, started=started, batch_size=batch_size,
                        keep_graph=keep_graph, store_base=store_base)
        staging.commit()
    except BaseException:
        staging.abort()
        raise
    result.files = {k: out / p.relative_to(staging.tmp) for k, p in result.files.items()}
    return result


def _patchable_store(out: Path, previous: dict) -> Path | None:
    """The query store of the build in ``out`` when an update can patch a copy of it (with what
    changed in the graph: :class:`kg.stores.ladybug.TableDiff`) instead of loading every table
    again: written with that build's ``graph.json`` (both unchanged since), under this kg's store
    schema and LadybugDB version, closed (no file beside it, such as a write-ahead log), and
    ``graph.json`` in the compact form that the comparison reads. Else ``None``."""
    from kg.stores.ladybug import TableDiff, schema_digest

    store = fresh_store(out / "graph.json")
    if store is None or previous.get("store_schema") != schema_digest():
        return None
    if any(p.name != store.name for p in out.glob(store.name + "*")):
        return None
    return store if TableDiff.is_compact(out / "graph.json") else None


def _make(tmp: Path, out: Path, input_names: list[str], listed: list[tuple[Path, str, str]], settings: dict,
          stages: _Stages, *, jobs: int, batch_size: int, update: bool, keep_graph: bool,
          forked: bool = False, store_base: Path | None = None) -> _Made:
    """:func:`_make_paused` with no automatic garbage collection from the first record read to
    the last file written (:func:`kg.runner.gc_paused`).

    The records, the resolution and the graph are millions of objects that live to the end and
    hold almost no reference cycles, and each automatic collection walks the objects alive: in
    the extraction loop the full collections, and at each stage's start the young collection of
    everything the stage before made under its own pause, took about 4% of a build's CPU. The
    extraction loop collects the young generation itself (:data:`_YOUNG_EVERY`), so what spaCy
    leaves in cycles goes as it did; the rest is freed when its last reference goes.
    """
    with gc_paused():
        return _make_paused(tmp, out, input_names, listed, settings, stages, jobs=jobs,
                            batch_size=batch_size, update=update, keep_graph=keep_graph,
                            forked=forked, store_base=store_base)


#: papers extracted between two collections of the young generation while a build runs with
#: the collector paused (:func:`_make`): each collection walks only what was made since the last
_YOUNG_EVERY = 2000


def _collect_young() -> None:
    """Collect the young generation, with the collector paused again: a library may have
    turned it back on (srsly's msgpack reader, which spaCy loads a model's weights with, ends
    with an unconditional ``gc.enable()``)."""
    gc.disable()
    gc.collect(0)


def _make_paused(tmp: Path, out: Path, input_names: list[str], listed: list[tuple[Path, str, str]],
                 settings: dict, stages: _Stages, *, jobs: int, batch_size: int, update: bool,
                 keep_graph: bool, forked: bool = False, store_base: Path | None = None) -> _Made:
    """Read, extract, resolve, build; write ``graph.json``, the store's table files and the view.

    With ``keep_graph`` the graph is kept and ``graph.lbdb`` written here too (its child beside
    the edges and the view with ``jobs`` > 1); without, the graph is let go at the end and the
    caller writes ``graph.lbdb`` from the table files. ``forked``: this is a child that ends once
    it returns; the view is prepared here and written by the caller (``_Made.prepared``), and
    the graph is not let go object by object (the child's end frees it at once).
    ``store_base``: the previous build's store, which the store's child patches a copy of
    (:func:`_patchable_store`); the table files then hold what changed since its ``graph.json``.

    ``listed``: each input file, its recorded name and its digest (:func:`kg.buildstate.input_digests`).
    """
    as_of, model = settings["as_of"], settings["model"]
    per_file: dict[str, dict] = {}
    files = {"graph": tmp / "graph.json", "quarantine": tmp / "quarantine.jsonl",
             "report": tmp / "report.json"}
    state_dir = tmp / STATE_DIR
    state_dir.mkdir()
    map_stats: dict = {}
    if update:  # the cache stays where it is and grows; entries are keyed by content
        cache = ExtractCache(out / STATE_DIR / CACHE_FILE, fingerprint=settings["fingerprint"])
    else:
        cache = ExtractCache(state_dir / CACHE_FILE, fingerprint=settings["fingerprint"])
    # the file cache: an update takes the previous build's entries of unchanged files; the new
    # build's folder holds the entries of its own files (used ones are linked, new ones written)
    file_cache = FileCache(out / STATE_DIR / FILES_DIR if update else None, state_dir / FILES_DIR,
                           fingerprint=settings["fingerprint"])
    # the papers of a file taken from the file cache, already extracted (by id, with the paper:
    # another object at the same address never takes its place)
    replayed: dict[int, Paper] = {}
    # for each paper read, in order: the writer of its file's entry (None: taken from the cache)
    owners: deque = deque()
    writers: list = []
    counts = {"replayed": 0}

    def _file_done(info: loaders.FileInfo) -> None:  # every file, even one that gave no record
        stats = per_file.setdefault(info.display, {
            "format": None, "read": 0, "loaded": 0, "merged": 0, "quarantined": 0})
        stats["format"] = stats["format"] or info.format
        if info.error:
            stats["error"] = info.error

    def records(qfh, bar) -> Iterator[Paper]:
        loaders.check_as_of(as_of)  # even with no file to read
        for path, display, digest in listed:
            key = None
            if len(digest) == 64:  # a regular file that could be read (else a marker, and no entry)
                key = file_cache.key(display, digest, as_of=as_of, max_field=settings["max_field"],
                                     max_record=settings["max_record"])
            with gc_paused():  # many small objects, no cycles (kg.runner.gc_paused)
                entry = file_cache.load(key) if key is not None else None
            if entry is not None:
                for rec in entry.records:
                    bar.update(1)
                    if _account(rec, qfh):
                        replayed[id(rec)] = rec
                        owners.append(None)
                        yield rec
                _file_done(entry.info)
                continue
            writer = None
            if key is not None:
                writer = file_cache.writer(key, lambda path=path, digest=digest: _same_file(path, digest))
                writers.append(writer)

            def on_file(info: loaders.FileInfo, writer=writer) -> None:
                _file_done(info)
                if writer is not None:
                    writer.read_done(info)

            for rec in loaders.load(path, as_of=as_of, display=display, max_field=settings["max_field"],
                                    max_record=settings["max_record"], on_file=on_file):
                bar.update(1)
                if _account(rec, qfh):
                    if writer is not None:
                        writer.paper_read()
                    owners.append(writer)
                    yield rec
                elif writer is not None:
                    writer.quarantined_read(rec)

    def lookup(batch: list[Paper]) -> list:
        """The extraction of each paper of ``batch``: nothing more for a paper from the file cache
        (it is extracted), else the record cache's."""
        known: list = [None] * len(batch)
        rest = []
        for i, p in enumerate(batch):
            if replayed.pop(id(p), None) is p:
                known[i] = _NOTHING_MORE
            else:
                rest.append(i)
        if len(rest) < len(batch):
            counts["replayed"] += len(batch) - len(rest)
        if rest:
            for i, d in zip(rest, cache.lookup([batch[i] for i in rest]), strict=True):
                known[i] = d
        return known

    def _account(rec: Paper | Quarantined, qfh) -> bool:
        """Count a record in its file's figures (a quarantined one is written to ``qfh``);
        ``True`` for a paper."""
        stats = per_file.setdefault(rec.source.file, {
            "format": None, "read": 0, "loaded": 0, "merged": 0, "quarantined": 0})
        stats["read"] += 1
        if isinstance(rec, Quarantined):
            stats["quarantined"] += 1
            stats["format"] = stats["format"] or rec.format
            qfh.write(json.dumps(rec.as_dict(), ensure_ascii=False) + "\n")
            return False
        stats["format"] = rec.format
        if header := rec.extra.get("header"):
            stats.setdefault("header", header)
        for note in rec.notes:
            if note.startswith("published: "):
                stats.setdefault("dates", note.removeprefix("published: "))
        return True

    try:
        with (stages.stage("read + extract", tick=False),
              files["quarantine"].open("w", encoding="utf-8", errors="replace") as qfh,
              stages.bar("read", " rec", 1) as read_bar,
              stages.bar("extract", " paper", 2) as ex_bar):
            extracted: list[Paper] = []
            for p in extract_map(records(qfh, read_bar), jobs=jobs, model=model or None,
                                 batch_size=batch_size, lookup=lookup, store=cache.store, stats=map_stats,
                                 min_records=_UPDATE_MIN_RECORDS if update else 0):
                writer = owners.popleft()
                if writer is not None:
                    writer.paper_extracted(p)
                extracted.append(tag_sources(p))  # as resolve would: no second copy there
                ex_bar.update(1)
                if len(extracted) % _YOUNG_EVERY == 0:
                    _collect_young()
            _collect_young()
        # hits: the records whose extraction was not done again (from either cache)
        cache_stats = {"hits": cache.hits + counts["replayed"], "misses": cache.misses}
        file_stats = {"reused": file_cache.reused, "stored": file_cache.written}
    finally:
        cache.close()
        for writer in writers:
            if not writer.done:
                writer.discard()
    if not keep_graph and not map_stats.get("workers"):
        # this process extracted (one job, or too few records for workers): its pipeline and
        # the extractors' caches would stay in memory beside the graph until the build ends
        _release_extraction()

    if not per_file:
        raise InputError(", ".join(input_names), None,
                         "no files found; expected listing pages or metadata files (folders are walked)")
    record_files = [p.source.file for p in extracted]
    handed = [extracted]
    del extracted  # resolve holds the only reference and lets the records go when done with them
    with stages.stage("resolve"):
        # with a worker for the authors, the graph is begun before their ids are back (the
        # build stage waits for them once all else is in)
        # An update resolves the authors here: their worker's start and the rows sent to it and
        # back cost about 0.9 CPU-s at 20k records beside about 3 CPU-s of resolution, which
        # for an update (whose measure is its CPU-seconds) is more than the wall time it saves
        res = resolve(handed.pop(), jobs=1 if update else jobs, defer_authors=True)
    with stages.stage("build"), gc_paused():  # millions of dicts, no cycles (kg.runner.gc_paused)
        graph = build_graph(res, consume=True)
        graph.graph.update({"kg": "graph", "inputs": input_names, "as_of": as_of})
    merges = [{"label": m.label, "into": m.into, "member": m.member, "score": round(m.score, 2),
               "reason": m.reason} for m in res.merges]
    merged_records = res.merged_records
    conflicts = res.conflicts
    del res

    for i, name in enumerate(record_files):
        per_file[name]["merged" if i in merged_records else "loaded"] += 1
    del record_files, merged_records
    totals = {k: sum(f[k] for f in per_file.values()) for k in ("read", "loaded", "merged", "quarantined")}

    # graph.lbdb: save_graph also writes each node and edge line into a file per store table;
    # a child process COPYs them into the store while this one writes the edges and the view
    # (with one job it starts after graph.json and is waited for at once: one process at a time).
    # Without keep_graph the caller starts that child once the graph is gone (after the view):
    # LadybugDB's COPY of a large store needs about as much memory as the graph does.
    beside = keep_graph
    loader = None
    view_summary = None
    prepared = None
    table_dir = tmp / ".lbdb-tables"
    title = "kg: " + ", ".join(input_names)
    if settings["query_store"]:
        from kg.stores.ladybug import StoreLoader, TableDiff, TableFiles
    try:
        with gc_paused():  # the writes and the view read the graph: nothing for a collection to find
            with stages.stage("write graph.json"):
                if settings["query_store"]:
                    tables = (TableDiff(graph, table_dir, out / "graph.json") if store_base is not None
                              else TableFiles(graph, table_dir))
                    with tables:
                        if jobs > 1 and beside:  # COPYs the nodes while the edges are written
                            loader = StoreLoader(tmp / STORE_FILE, table_dir, base=store_base)
                        save_graph(graph, files["graph"], tables=tables)
                    del tables  # it holds the graph
                    if loader is None and beside:
                        loader = StoreLoader(tmp / STORE_FILE, table_dir, base=store_base)
                else:
                    save_graph(graph, files["graph"])
            if loader is not None and jobs <= 1:
                _finish_store(loader, stages, files, tmp)
                loader = None
            stats = graph_stats(graph)
            if settings["view"]:
                # prepared here after graph.json (and drawn here, or by the caller when this is its
                # forked child, while the store's child loads): a forked worker drawing
                # it beside graph.json saved little wall time (the store's child is the longer wait)
                # and held about 1 GB more at 75k records (it copies the pages of the graph it reads).
                # The view's nodes and what it shows of them are taken from the graph first; without
                # keep_graph the graph is let go before the layout and the page are made
                files["view"] = tmp / "view.html"
                with stages.stage("write view.html"):
                    prepared = _prepare_view(graph, title)
                    if not forked:
                        if not keep_graph:
                            graph = None
                            _release_memory()
                        view_summary = prepared.write(files["view"]).describe()
                        prepared = None
            if not keep_graph:
                if forked:  # the child ends with os._exit once it returns: its memory goes at once,
                    _HELD_TO_THE_END.append(graph)  # not object by object (about 1 CPU-s at 75k records)
                graph = None
                if not forked:
                    _release_memory()
            if loader is not None:
                _finish_store(loader, stages, files, tmp)
                loader = None
    finally:
        if loader is not None:
            loader.kill()
    return _Made(files=files, per_file=per_file, totals=totals, merges=merges, conflicts=conflicts,
                 stats=stats, view=view_summary, map_stats=map_stats, cache_stats=cache_stats,
                 file_stats=file_stats,
                 times=stages.times, graph=graph, prepared=prepared)


#: an update extracts in this process unless at least this many records are new or changed:
#: each worker loads the extraction pipeline (about 1 CPU-s with kg's model), so two workers for
#: 1,000 new records (about 3 CPU-s of extraction) cost about 1 CPU-s more than one load here,
#: for about 2 s of wall time saved
_UPDATE_MIN_RECORDS = 2048

#: what extraction adds to a paper that is already extracted (taken from the file cache)
_NOTHING_MORE: tuple = ((), ())


def _same_file(path: Path, digest: str) -> bool:
    """Whether ``path`` still holds the bytes of ``digest`` (it was read after it was hashed)."""
    try:
        return file_digest(path) == digest
    except OSError:
        return False


def _prepare_view(graph: nx.MultiDiGraph, title: str) -> PreparedView:
    """The default view of ``graph``, ready to be written (:class:`kg.view.PreparedView`)."""
    from kg.view import prepare_view

    # prepare_view caps a big graph's view itself (VIEW_CAP nodes: the dense core first)
    return prepare_view(graph, title=title)


def _draw_view(prepared: PreparedView, path: Path, stages: _Stages) -> str:
    """Lay out and write a view :func:`_prepare_view` made (in a forked child); its time is
    added to the stage ``write view.html``. What it shows, in a sentence."""
    with stages.more("write view.html"):
        return prepared.write(path).describe()


def _release_memory() -> None:
    """Collect what was let go and give the freed heap back to the system (glibc's
    ``malloc_trim``: Python's freed objects otherwise stay in this process's resident memory)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): the memory is freed, not trimmed
            pass


def _release_extraction() -> None:
    """Let go of the extraction pipeline this process loaded and of the extractors' caches
    (a later extraction here loads them again), then :func:`_release_memory`."""
    for name, module in list(sys.modules.items()):
        if name == "kg.extract" or name.startswith("kg.extract."):
            for value in list(vars(module).values()):  # functools.lru_cache's functions
                if callable(getattr(value, "cache_clear", None)) and hasattr(value, "cache_info"):
                    value.cache_clear()
    _release_memory()


def _writes_to_a_file(stream) -> bool:
    """Whether ``stream`` writes to a file descriptor (which a forked child shares)."""
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return False
    return True


def _finish_store(loader, stages: _Stages, files: dict[str, Path], tmp: Path) -> None:
    """Wait for the child that writes graph.lbdb; its CPU-seconds are this stage's.

    A patch of the previous build's store (``loader.base``) that fails (its check finds counts
    other than the graph's, or the copy cannot be made) is not kept: the store is then loaded
    afresh from the new ``graph.json``, and the report says why (``patch_failed``)."""
    patch_failed = None
    with stages.stage("write graph.lbdb"):
        try:
            loader.wait()
        except StoreError as exc:
            if loader.base is None:
                raise
            from kg.stores.ladybug import StoreLoader, write_table_files

            patch_failed = str(exc)
            for leftover in tmp.glob(STORE_FILE + "*"):
                leftover.unlink()
            folder = loader.folder / "full"
            write_table_files(files["graph"], folder)
            loader = StoreLoader(tmp / STORE_FILE, folder)
            try:
                loader.wait()
            except BaseException:
                loader.kill()
                raise
    times = stages.times["write graph.lbdb"]
    times["child_wall"] = round(loader.seconds or 0.0, 3)
    # an update patched a copy of the previous build's store with what changed
    times["patched"] = loader.base is not None
    if patch_failed:
        times["patch_failed"] = patch_failed
    files["store"] = tmp / STORE_FILE


@dataclass
class _Made:
    """What :func:`_make` made before the query store: the files written into the staging folder
    and the figures of the report; with ``keep_graph`` the graph (and ``graph.lbdb`` is written)."""

    files: dict[str, Path]
    per_file: dict[str, dict]
    totals: dict[str, int]
    merges: list[dict]
    conflicts: list[str]
    stats: dict
    view: str | None
    map_stats: dict
    cache_stats: dict
    file_stats: dict
    times: dict[str, dict[str, float]]
    graph: nx.MultiDiGraph | None = None
    prepared: PreparedView | None = None  # the view the caller writes (made in a forked child)


def _build(tmp: Path, out: Path, entries: list[dict], input_names: list[str],
           listed: list[tuple[Path, str, str]], settings: dict, digests: list[list[str]], stages: _Stages,
           *, jobs: int, update: bool, started: float, batch_size: int, keep_graph: bool = True,
           store_base: Path | None = None) -> BuildResult:
    args = (tmp, out, input_names, listed, settings, stages)
    kw = {"jobs": jobs, "batch_size": batch_size, "update": update, "keep_graph": keep_graph,
          "store_base": store_base}
    table_dir = tmp / ".lbdb-tables"
    loader = None
    try:
        if not keep_graph and can_fork() and (stages.disable or _writes_to_a_file(sys.stderr)):
            # everything up to the view in a forked child: the records, the graph and the heap
            # they leave in pieces are gone with it, before the child that writes graph.lbdb starts
            # (this process, which holds little, waits). Not when the progress bars would be lost:
            # standard error is no file the child can write to (a notebook's, a test runner's)
            # The view is prepared there and drawn here (a layout and a page: a small task), beside
            # the child that writes graph.lbdb with jobs > 1, after it with one job (one process
            # at a time; the layout's libraries stay in this process, about 100 MB)
            made = Forked(_make, *args, **kw, forked=True, own_errors=True, collect=True).result()
            stages.times.update(made.times)
        else:
            made = _make(*args, **kw)
        files = made.files
        if settings["query_store"] and "store" not in files:
            from kg.stores.ladybug import StoreLoader

            loader = StoreLoader(tmp / STORE_FILE, table_dir, base=store_base)
            if made.prepared is not None and jobs > 1:
                made.view = _draw_view(made.prepared, files["view"], stages)
            _finish_store(loader, stages, files, tmp)
            loader = None
        if made.prepared is not None and made.view is None:
            made.view = _draw_view(made.prepared, files["view"], stages)
    finally:
        if loader is not None:
            loader.kill()
        shutil.rmtree(table_dir, ignore_errors=True)
    graph, per_file, stats, map_stats = made.graph, made.per_file, made.stats, made.map_stats
    totals, merges, conflicts, view_summary, cache_stats = (made.totals, made.merges, made.conflicts,
                                                            made.view, made.cache_stats)
    file_stats = made.file_stats
    del made

    report = {
        "inputs": input_names,
        "as_of": settings["as_of"],
        "update": update,
        "files": dict(sorted(per_file.items())),
        "totals": totals,
        "reconciled": all(
            f["read"] == f["loaded"] + f["merged"] + f["quarantined"] for f in per_file.values()
        ),
        "failed_files": [{"file": name, "error": f["error"]}
                         for name, f in sorted(per_file.items()) if f.get("error")],
        "graph": stats,
        "merges": merges,
        "conflicts": conflicts,
        "view": view_summary,
        "jobs": jobs,
        "workers": map_stats.get("workers", 0),
        "extraction_cache": cache_stats,
        "file_cache": file_stats,
        "stages": stages.times,
        "seconds": round(time.perf_counter() - started, 2),
    }
    try:  # orjson: the same bytes as the standard library's json.dump, 20 times as fast (1 CPU-s
        # for the 295k merges of a 75k-record build)
        text = orjson.dumps(report, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:  # text UTF-8 cannot hold (a lone surrogate in a file name)
        text = json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8", "replace")
    files["report"].write_bytes(text + b"\n")
    stamps = {"graph.json": stat_stamp(files["graph"])}
    store_schema = None
    if "store" in files:
        from kg.stores.ladybug import schema_digest

        stamps[STORE_FILE] = stat_stamp(files["store"])
        store_schema = schema_digest()
    state = new_state(inputs=entries, digests=digests, stamps=stamps, store_schema=store_schema,
                      **settings)
    (tmp / STATE_DIR / STATE_FILE).write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
    return BuildResult(graph, report, files)
