"""The map over records: extraction in batches, on one core or on a pool of processes.

Loading and extraction are a map over records: each record's result depends on that record
alone. :func:`extract_batch` is the unit of work (a list of records in, the mentions and
citations each one gained out); :func:`extract_map` runs it over a stream of records, in
this process (``jobs=1``) or on ``jobs`` worker processes, and yields the results in input
order, so the output is the same for any number of jobs. A distributed runner can call
:func:`extract_batch` on its partitions unchanged.

Each worker loads the spaCy pipeline once (:func:`kg.extract.extract` keeps it), receives
batches of records and sends back only what extraction added (no ``Doc`` objects), and at
most a few batches are in flight, so memory stays bounded however long the input is.

>>> from kg.model import Paper, Source
>>> p = Paper(title="LoRA for cats", abstract="We fine-tune with LoRA on ImageNet.",
...           source=Source("a.txt", 1), format="x")
>>> [m.name for m in next(extract_map([p], jobs=1)).mentions if m.label == "Dataset"]
['ImageNet']
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import replace

from kg.errors import KgError
from kg.model import Citation, Mention, Paper

__all__ = ["BATCH_SIZE", "Delta", "Forked", "Spawned", "WorkerError", "apply_delta", "can_fork",
           "default_jobs", "extract_batch", "extract_map", "gc_paused"]

#: records per task sent to a worker: large enough that sending costs little next to
#: extracting, small enough that every worker stays busy until the end
BATCH_SIZE = 128

#: batches to extract before a pool of workers is started (fewer run in this process)
_MIN_BATCHES = 4

#: what extraction added to one record: its new mentions and its new citations
Delta = tuple[tuple[Mention, ...], tuple[Citation, ...]]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block (as it was after it).

    Resolution and the graph build millions of small objects and almost no reference cycles
    (a few hundred at 75k records), and each automatic collection walks every object alive: at
    75k records the collections took about 40% of the resolve stage's CPU and half of the
    graph's. Objects are still freed when their last reference goes.

    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def default_jobs() -> int:
    """The number of cores this process may use (``kg build --jobs`` default).

    >>> default_jobs() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def extract_batch(papers: list[Paper], model: str | None = None) -> list[Delta]:
    """What :func:`kg.extract.extract` adds to each paper of ``papers``: (mentions, citations).

    The unit of work of the map; runs anywhere the package is installed.

    >>> from kg.model import Paper, Source
    >>> p = Paper(title="T", abstract="As in (Fu et al., 2018), we use Adam.",
    ...           source=Source("a", 2), format="x")
    >>> mentions, citations = extract_batch([p])[0]
    >>> [m.name for m in mentions], [(c.surnames, str(c.source)) for c in citations]
    (['Adam'], [(('Fu',), 'a:2')])
    """
    from kg.extract import extract

    out: list[Delta] = []
    for before, after in zip(papers, extract(papers, model=model), strict=True):
        out.append((after.mentions[len(before.mentions):], after.citations[len(before.citations):]))
    return out


def apply_delta(paper: Paper, delta: Delta) -> Paper:
    """``paper`` with what extraction found in it (a :data:`Delta`) added."""
    mentions, citations = delta
    if not mentions and not citations:
        return paper
    return replace(paper, mentions=paper.mentions + mentions, citations=paper.citations + citations)


# -- workers ---------------------------------------------------------------------------------

_MODEL: str | None = None


def _init_worker(model: str | None, parent: int) -> None:
    """Load the pipeline once per worker process; end the worker if the build is killed."""
    global _MODEL
    # what the worker inherited from the build (with --update, the records read so far: the
    # pool starts at the first records to extract) is left to the parent: moved out of the
    # collector's reach (gc.freeze: no object is touched), collections never walk it, so its
    # pages stay shared instead of being copied into each worker
    gc.freeze()
    # a worker forked while the build paused the collector (kg.pipeline._make) extracts with
    # it running, as spaCy expects: its objects live for one batch
    gc.enable()
    _MODEL = model
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from kg.extract import extract

    for _ in extract([], model=model):  # builds and keeps the pipeline (kg.extract's cache)
        pass


def _watch_parent(parent: int) -> None:
    """A killed build cannot stop its workers; each one ends itself when its parent is gone
    (the workers share the task pipe, so they would otherwise wait on it forever)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _work(papers: list[Paper]) -> list[Delta]:
    return extract_batch(papers, _MODEL)


def _for_worker(p: Paper) -> Paper:
    """What extraction reads of a record (title, abstract and where they are, what the loader
    found): the record sent to a worker, without its authors, notes and other metadata, which
    would cost more to send than to extract (the result is the same: extraction adds to
    ``mentions`` and ``citations`` only from the text)."""
    return Paper(title=p.title, source=p.source, format=p.format, abstract=p.abstract,
                 abstract_line=p.abstract_line, mentions=p.mentions, citations=p.citations)


def _context() -> multiprocessing.context.BaseContext:
    """Fork on Linux: workers start at once with spaCy already imported, a script that calls
    :func:`kg.pipeline.build` needs no ``if __name__ == "__main__"`` guard, and the workers are
    this process's children, so their CPU time is accounted to it. Nothing here holds a lock
    while the pool starts (the only other thread may be tqdm's monitor, which the workers never
    use). Elsewhere (macOS, Windows) spawn, the platforms' safe default."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_map(
    papers: Iterable[Paper],
    *,
    jobs: int = 1,
    model: str | None = None,
    batch_size: int = BATCH_SIZE,
    lookup: Callable[[list[Paper]], list[Delta | None]] | None = None,
    store: Callable[[list[Paper], list[Delta]], None] | None = None,
    stats: dict | None = None,
    min_records: int = 0,
) -> Iterator[Paper]:
    """Each paper of ``papers`` with its mentions and citations added, in input order.

    ``jobs`` worker processes extract (``1``: this process; a pool is started only once
    there are a few batches to extract). ``lookup(batch)`` may give known results (a cache:
    ``None`` where unknown); ``store(batch, deltas)`` receives the results it did not know.
    ``stats``, when given, receives ``workers`` (processes started, 0 when none was) and
    ``batches`` (batches extracted). ``min_records``: the pool is started only once at least
    this many records (and :data:`_MIN_BATCHES` batches) are to be extracted; until then, and
    when the input ends first, this process extracts them (each worker loads the pipeline,
    about 1 CPU-s with kg's model: for a small extraction, one load here costs less CPU than
    ``jobs`` loads in workers).
    """
    stats = stats if stats is not None else {}
    stats.update(workers=0, batches=0)
    pending: deque[tuple[list[Paper], list[Delta | None], list[int], Future | list[Delta] | None]] = deque()
    pool: ProcessPoolExecutor | None = None
    window = 2 * jobs + 2
    queued: list[tuple[list[Paper], list[Delta | None], list[int], list[Paper]]] = []

    def finish(item) -> Iterator[Paper]:
        batch, known, missing, work = item
        if missing:
            if isinstance(work, Future):
                try:
                    deltas = work.result()
                except BrokenProcessPool:
                    # a worker died (it could not load the pipeline, or was killed): this
                    # process does the batch, and so raises the worker's own error if any
                    deltas = extract_batch([batch[i] for i in missing], model)
            else:
                deltas = work
            if store is not None:
                store([batch[i] for i in missing], deltas)
            for i, d in zip(missing, deltas, strict=True):
                known[i] = d
        for p, d in zip(batch, known, strict=True):
            yield apply_delta(p, d)

    def submit(batch, known, missing, todo) -> None:
        if missing:
            stats["batches"] += 1
        if not missing:
            pending.append((batch, known, missing, None))
        elif jobs <= 1 or pool is None:
            pending.append((batch, known, missing, extract_batch(todo, model)))
        else:
            try:
                pending.append((batch, known, missing, pool.submit(_work, [_for_worker(p) for p in todo])))
            except BrokenProcessPool:
                pending.append((batch, known, missing, extract_batch(todo, model)))

    try:
        for batch in _batches(papers, batch_size):
            known = lookup(batch) if lookup is not None else [None] * len(batch)
            missing = [i for i, d in enumerate(known) if d is None]
            todo = [batch[i] for i in missing]
            if jobs > 1 and pool is None and missing:
                queued.append((batch, known, missing, todo))
                if (sum(1 for q in queued if q[2]) < _MIN_BATCHES
                        or sum(len(q[2]) for q in queued) < min_records):
                    continue  # a few batches are not worth starting workers for
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                                           initializer=_init_worker, initargs=(model, os.getpid()))
                stats["workers"] = jobs
                for q in queued:
                    submit(*q)
                queued = []
            else:
                for q in queued:
                    submit(*q)
                queued = []
                submit(batch, known, missing, todo)
            while len(pending) > window or (pending and not isinstance(pending[0][3], Future)):
                yield from finish(pending.popleft())
        for q in queued:
            submit(*q)
        while pending:
            yield from finish(pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


# -- one task beside the main process ---------------------------------------------------------


class WorkerError(KgError):
    """A worker process of the build failed: its own error (with its traceback), or it ended
    (killed, out of memory) before it gave its result. ``child_traceback`` is the child's
    traceback, when it raised."""

    child_traceback: str = ""


def _child_failed(text: str) -> WorkerError:
    """The error for a child that raised: its traceback's last line, the whole traceback kept."""
    last = text.strip().splitlines()[-1] if text.strip() else "unknown error"
    err = WorkerError(f"a worker process of the build failed: {last}")
    err.child_traceback = text
    return err


def can_fork() -> bool:
    """Whether :class:`Forked` runs its task in another process here (Linux: fork).

    >>> isinstance(can_fork(), bool)
    True
    """
    return sys.platform.startswith("linux")


def _forked_main(send, fn: Callable, args: tuple, kwargs: dict, own_errors: bool, collect: bool) -> None:
    """The child of :class:`Forked`: run the task, send ``(ok, value)``, end at once.

    ``os._exit``: a forked child must not run the parent's exit handlers, flush its streams
    (another thread may have held their locks at the fork) or free a large heap object by object.
    """
    _die_with_parent()
    code = 0
    if not collect:
        gc.disable()  # a collection would touch every object inherited from the parent (copying its pages)
    try:
        try:
            result = (True, fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
            import traceback

            text = traceback.format_exc()
            result = (False, (_portable(exc) if own_errors else None, text))
            code = 1
        send.send(result)
        send.close()
    except BaseException:  # noqa: BLE001 - the parent is gone or the result cannot be sent
        code = 2
    finally:
        os._exit(code)


def _die_with_parent() -> None:
    """Have the kernel end this (forked) process when its parent ends (Linux), so a killed build
    leaves no child writing on; else nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def _portable(exc: BaseException) -> BaseException | None:
    """``exc`` if it goes through pickle as itself (same type, same message), else ``None``."""
    try:
        back = pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any exception may fail to pickle in its own way
        return None
    return back if type(back) is type(exc) and str(back) == str(exc) else None


class Forked:
    """``fn(*args, **kwargs)`` in a forked child process, beside this one; :meth:`result` waits for it.

    The child starts with this process's memory as it is (nothing is pickled on the way in:
    the records of a large build are shared, not copied), and only the return value comes back;
    the kernel ends it if this process ends first (Linux). Where fork is not available
    (:func:`can_fork`) the task runs in this process, in :meth:`result`. An error in the child,
    or a child that ends without its result, raises :class:`WorkerError` there; so does a child
    that is killed. With ``own_errors`` the child's own exception is raised instead when it
    pickles (a :class:`kg.errors.KgError` says what it says in this process: the CLI prints it the
    same), with the child's traceback as a note. The child runs without the garbage collector
    (a collection would copy every page it scans) unless ``collect``: a long task that makes
    garbage of its own (the objects of this process are never scanned: they are frozen).

    >>> job = Forked(sorted, [3, 1, 2])
    >>> job.result()
    [1, 2, 3]
    >>> try:
    ...     Forked(int, "x").result()
    ... except WorkerError as e:
    ...     print(e)
    a worker process of the build failed: ValueError: invalid literal for int() with base 10: 'x'
    """

    def __init__(self, fn: Callable, *args, own_errors: bool = False, collect: bool = False,
                 **kwargs) -> None:
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._proc = None
        self._recv = None
        self._own_errors = own_errors
        if can_fork():
            ctx = multiprocessing.get_context("fork")
            self._recv, send = ctx.Pipe(duplex=False)
            # not a daemon: the task may start processes of its own (the kernel ends it with this one)
            self._proc = ctx.Process(target=_forked_main, args=(send, fn, args, kwargs, own_errors, collect))
            # what this process holds is shared with the child until either writes it: frozen,
            # the objects are not touched by the child's garbage collector (gc.freeze's purpose)
            gc.freeze()
            try:
                self._proc.start()
            finally:
                gc.unfreeze()
            send.close()
            self._fn, self._args, self._kwargs = None, (), {}  # the child has them

    def result(self):
        """The task's return value (waits for the child); raises :class:`WorkerError` if it failed."""
        if self._proc is None:
            if self._fn is None:
                raise WorkerError("a worker process of the build failed: its result was already taken")
            fn, args, kwargs = self._fn, self._args, self._kwargs
            self._fn, self._args, self._kwargs = None, (), {}
            return fn(*args, **kwargs)
        try:
            ok, value = self._recv.recv()
        except (EOFError, OSError):
            self._proc.join()
            code = self._proc.exitcode
            raise WorkerError(
                f"a worker process of the build ended without its result (exit code {code})") from None
        finally:
            self._recv.close()
        self._proc.join()
        self._proc = None
        if not ok:
            exc, text = value
            if exc is not None:
                exc.add_note("in a worker process of the build:\n" + text.rstrip())
                raise exc
            raise _child_failed(text)
        return value

    def kill(self) -> None:
        """End the child if it still runs (the build failed elsewhere)."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.join()
            self._proc = None
            if self._recv is not None:
                self._recv.close()


def _spawned_main() -> None:
    """The child of :class:`Spawned`: ``(fn, args)`` from standard input, ``(ok, value)`` to
    standard output (the task's own prints go to standard error), then end at once.

    ``argv[1]``: the parent's pid; the child ends itself when that process is gone.
    """
    threading.Thread(target=_watch_parent, args=(int(sys.argv[1]),), daemon=True).start()
    out = sys.stdout.buffer
    sys.stdout = sys.stderr
    code = 0
    try:
        try:
            fn, args = pickle.load(sys.stdin.buffer)
            while fn is _prepare:  # work to do while the task is still being made (Spawned.send)
                _prepare(*args)
                fn, args = pickle.load(sys.stdin.buffer)
            result = (True, fn(*args))
        except BaseException:  # noqa: BLE001 - every failure goes back to the parent
            import traceback

            result = (False, traceback.format_exc())
            code = 1
        pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
    except BaseException:  # noqa: BLE001 - the parent is gone or the result cannot be sent
        code = 2
    finally:
        os._exit(code)  # a large heap is not freed object by object


def _prepare(fn: Callable, args: tuple) -> None:
    """In a :class:`Spawned` child: ``fn(*args)`` before the task, its result dropped."""
    fn(*args)


class Spawned:
    """``fn(*args)`` in a new Python process, beside this one; :meth:`result` waits for it.

    Unlike :class:`Forked`, the child starts empty: it holds only the modules it imports and
    what it is sent (``fn`` and ``args``, pickled: ``fn`` must be importable by name), so a task
    that reads a little of a large process costs the memory of that little, not of the process
    (a forked child keeps every page its parent writes afterwards). The child sees this
    process's ``sys.path``; it ends itself if this process is killed. An error in the child,
    or a child that ends without its result, raises :class:`WorkerError` in :meth:`result`.

    >>> Spawned(sorted, [3, 1, 2]).result()
    [1, 2, 3]
    >>> try:
    ...     Spawned(int, "x").result()
    ... except WorkerError as e:
    ...     print(e)
    a worker process of the build failed: ValueError: invalid literal for int() with base 10: 'x'
    """

    def __init__(self, fn: Callable | None, *args, prepare: tuple | None = None) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in result() or kill()
        self._proc: subprocess.Popen | None = subprocess.Popen(
            [sys.executable, "-c", "from kg.runner import _spawned_main; _spawned_main()", str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, env=env)
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._sent = False
        self._writer = threading.Thread(target=self._write, args=(self._proc.stdin, self._queue), daemon=True)
        self._writer.start()
        if prepare is not None:
            self._queue.put(pickle.dumps((_prepare, prepare), protocol=pickle.HIGHEST_PROTOCOL))
        if fn is not None:
            self.send(fn, *args)

    def send(self, fn: Callable, *args) -> None:
        """Give the task to a child started without one (``Spawned(None, prepare=(f, args))``:
        the child starts, imports and runs ``f(*args)`` while this process makes the task).

        >>> job = Spawned(None, prepare=(print, ("warming up",)))
        >>> job.send(sum, [1, 2])
        >>> job.result()
        3
        """
        if self._sent:
            raise WorkerError("a worker process of the build was given a second task")
        self._sent = True
        self._queue.put(pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL))
        self._queue.put(None)

    @staticmethod
    def _write(pipe, items: queue.SimpleQueue) -> None:
        with suppress(OSError):  # the child is gone: result() says why
            try:
                while (data := items.get()) is not None:
                    pipe.write(data)
                    pipe.flush()
            finally:
                pipe.close()

    def _stderr_tail(self) -> str:
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace").strip()
        return text.splitlines()[-1] if text else ""

    def result(self):
        """The task's return value (waits for the child); raises :class:`WorkerError` if it failed."""
        proc = self._proc
        if proc is None:
            raise WorkerError("a worker process of the build failed: its result was already taken")
        if not self._sent:
            self.kill()
            raise WorkerError("a worker process of the build was given no task")
        self._proc = None
        try:
            try:
                ok, value = pickle.load(proc.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                proc.wait()
                tail = self._stderr_tail()
                raise WorkerError(f"a worker process of the build ended without its result "
                                  f"(exit code {proc.returncode})" + (f": {tail}" if tail else "")) from None
            proc.wait()
        finally:
            proc.stdout.close()
            self._writer.join()
            self._log.close()
        if not ok:
            raise _child_failed(value)
        return value

    def kill(self) -> None:
        """End the child if it still runs (the build failed elsewhere)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            self._queue.put(None)  # a writer still waiting for the task ends
            proc.kill()
            proc.wait()
            proc.stdout.close()
            self._writer.join()
            self._log.close()
