"""The map over records (kg.runner) and the extraction cache (kg.buildstate), on small real texts."""

from __future__ import annotations

import os
import pickle
import sqlite3
import zlib

import pytest

from kg.buildstate import ExtractCache, extractor_fingerprint, record_key
from kg.errors import InputError
from kg.model import Mention, Paper, Source
from kg.runner import Forked, Spawned, WorkerError, can_fork, extract_batch, extract_map

TEXTS = [
    ("LoRA for cats", "We fine-tune with LoRA on ImageNet."),
    ("Nothing here", "A short note without names."),
    ("Adam again", "As in (Fu et al., 2018), we train with Adam on CIFAR-10."),
    ("Graphs", "We evaluate on Cora with a graph convolutional network."),
    ("Title only", ""),
]


def papers() -> list[Paper]:
    return [Paper(title=t, abstract=a, source=Source("x.jsonl", i + 1), format="x")
            for i, (t, a) in enumerate(TEXTS)]


def test_the_map_keeps_input_order_and_equals_extract():
    from kg.extract import extract

    ps = papers()
    want = list(extract(ps, model=None))
    got = list(extract_map(iter(ps), jobs=1, model=None, batch_size=2))
    assert got == want
    assert [p.source.line for p in got] == [1, 2, 3, 4, 5]


def test_few_records_to_extract_start_no_workers_and_give_the_same_result():
    # an update with few new records extracts them here (min_records): one pipeline loaded,
    # not one per worker; with no such floor the same records start a pool (batches of 1)
    ps = papers() * 2
    want = list(extract_map(iter(ps), jobs=1, model=None, batch_size=1))
    few: dict = {}
    assert list(extract_map(iter(ps), jobs=2, model=None, batch_size=1, stats=few,
                            min_records=len(ps) + 1)) == want
    assert few["workers"] == 0 and few["batches"] == len(ps)
    pool: dict = {}
    assert list(extract_map(iter(ps), jobs=2, model=None, batch_size=1, stats=pool)) == want
    assert pool["workers"] == 2


def test_known_results_are_not_extracted_again_and_new_ones_are_stored():
    ps = papers()
    known = {2: ((Mention("Method", "Sentinel"),), ())}  # what a cache would say about record 2
    looked, stored = [], []

    def lookup(batch):
        looked.extend(p.source.line for p in batch)
        return [known.get(p.source.line) for p in batch]

    def store(batch, deltas):
        stored.extend((p.source.line, d) for p, d in zip(batch, deltas, strict=True))

    got = list(extract_map(ps, jobs=1, model=None, batch_size=2, lookup=lookup, store=store))
    assert looked == [1, 2, 3, 4, 5]
    assert [line for line, _ in stored] == [1, 3, 4, 5]
    assert [m.name for m in got[1].mentions] == ["Sentinel"]
    assert dict(stored)[1] == extract_batch([ps[0]], None)[0]


def test_the_cache_round_trips_and_depends_on_record_and_extractor(tmp_path):
    ps = papers()
    fp = extractor_fingerprint(None)
    assert fp != extractor_fingerprint("en_core_web_sm")
    deltas = extract_batch(ps, None)
    cache = ExtractCache(tmp_path / "c.sqlite", fingerprint=fp)
    cache.store(ps, deltas)
    assert cache.lookup(ps) == deltas
    changed = Paper(title="LoRA for cats", abstract="We fine-tune with LoRA on ImageNet!",
                    source=Source("x.jsonl", 1), format="x")
    assert cache.lookup([changed]) == [None]
    cache.close()
    other = ExtractCache(tmp_path / "c.sqlite", fingerprint="another extractor")
    assert other.lookup(ps) == [None] * len(ps)
    other.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.sqlite"]  # no -wal file left


class _Evil:
    def __reduce__(self):
        return (open, ("/tmp/kg-cache-was-unpickled", "w"))


def test_a_tampered_cache_entry_runs_no_code(tmp_path):
    import os

    p = papers()[0]
    cache = ExtractCache(tmp_path / "c.sqlite", fingerprint="f")
    cache.close()
    with sqlite3.connect(tmp_path / "c.sqlite") as db:
        db.execute("INSERT INTO extract VALUES (?, ?)",
                   (record_key(p, "f"), zlib.compress(pickle.dumps(_Evil()))))
    cache = ExtractCache(tmp_path / "c.sqlite", fingerprint="f")
    assert cache.lookup([p]) == [None]  # extracted again instead
    cache.close()
    assert not os.path.exists("/tmp/kg-cache-was-unpickled")


def _whoami(values: list[int]) -> tuple[int, int]:
    import os

    return os.getpid(), sum(values)


def test_a_forked_task_runs_in_another_process_on_this_ones_memory():
    import os

    values = list(range(100_000))  # not pickled: the child sees this process's memory
    pid, total = Forked(_whoami, values).result()
    assert total == sum(values)
    assert (pid != os.getpid()) == can_fork()


def test_an_error_in_a_forked_task_is_raised_here_with_its_traceback():
    job = Forked(int, "not a number")
    with pytest.raises(WorkerError, match="ValueError: invalid literal") as err:
        job.result()
    assert "Traceback" in err.value.child_traceback


def test_a_forked_task_that_dies_is_an_error_not_a_hang():
    import os

    with pytest.raises(WorkerError, match="ended without its result"):
        Forked(os._exit, 3).result()


def _raise_input_error() -> None:
    raise InputError("refs.bib", 12, "expected a 4-digit year")


class _Unpicklable(Exception):
    def __init__(self, a: int, b: int) -> None:  # pickle would call it with one argument
        super().__init__(f"{a} and {b}")


def _raise_unpicklable() -> None:
    raise _Unpicklable(1, 2)


@pytest.mark.skipif(not can_fork(), reason="the task runs in this process without fork")
def test_a_forked_task_can_raise_its_own_error_here():
    # own_errors: what the child raised is raised here (the CLI prints a KgError the same way),
    # with the child's traceback as a note; an error that does not pickle is a WorkerError
    with pytest.raises(InputError, match="refs.bib:12: expected a 4-digit year") as err:
        Forked(_raise_input_error, own_errors=True).result()
    assert (err.value.file, err.value.line) == ("refs.bib", 12)
    assert "Traceback" in "".join(err.value.__notes__)
    with pytest.raises(WorkerError, match="_Unpicklable: 1 and 2"):
        Forked(_raise_unpicklable, own_errors=True).result()
    with pytest.raises(WorkerError, match="InputError: refs.bib:12"):
        Forked(_raise_input_error).result()


def _collected(n: int) -> tuple[bool, int]:
    import gc

    return gc.isenabled(), n


@pytest.mark.skipif(not can_fork(), reason="the task runs in this process without fork")
def test_a_forked_task_runs_without_the_collector_unless_asked():
    assert Forked(_collected, 1).result() == (False, 1)
    assert Forked(_collected, n=2, collect=True).result() == (True, 2)


def _rss_mib() -> float:
    import os

    with open(f"/proc/{os.getpid()}/status", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _pid_and_sum(values: list[int]) -> tuple[int, int, float]:
    import os

    return os.getpid(), sum(values), _rss_mib()


def test_a_spawned_task_runs_in_a_new_process_that_holds_only_what_it_was_sent():
    import os

    big = [str(i) * 20 for i in range(2_000_000)]  # this process: ~200 MB more
    values = list(range(1000))
    pid, total, child_rss = Spawned(_pid_and_sum, values).result()
    assert pid != os.getpid() and total == sum(values)
    if os.path.exists("/proc/self/status"):  # the child never held this process's memory
        assert child_rss < _rss_mib() - 100, (child_rss, _rss_mib())
    del big


def test_an_error_in_a_spawned_task_is_raised_here_with_its_traceback():
    with pytest.raises(WorkerError, match="ValueError: invalid literal") as err:
        Spawned(int, "not a number").result()
    assert "Traceback" in err.value.child_traceback
    job = Spawned(sorted, [2, 1])
    assert job.result() == [1, 2]
    with pytest.raises(WorkerError, match="already taken"):
        job.result()


def test_a_spawned_task_that_dies_is_an_error_not_a_hang():
    import os

    with pytest.raises(WorkerError, match="ended without its result .exit code 3."):
        Spawned(os._exit, 3).result()


def test_a_spawned_task_can_be_killed():
    import time

    job = Spawned(time.sleep, 60)
    started = time.monotonic()
    job.kill()
    assert time.monotonic() - started < 30
    job.kill()  # again: nothing to do


def test_records_go_to_workers_without_what_extraction_does_not_read():
    """The records sent to workers lack authors and metadata: extraction gives the same result."""
    from kg.model import Author
    from kg.runner import _for_worker

    full = [Paper(title=t, abstract=a, source=Source("x.jsonl", i + 1), format="x", year=2020,
                  authors=(Author("Ada Lovelace", 1),), keywords=("cs.LG",), notes=("n",),
                  abstract_line=i + 2)
            for i, (t, a) in enumerate(TEXTS)]
    assert extract_batch([_for_worker(p) for p in full], None) == extract_batch(full, None)
    assert pickle.dumps(_for_worker(full[0])).count(b"Lovelace") == 0


def _remember(value: str) -> None:
    os.environ["KG_TEST_PREPARED"] = value


def _recall() -> str | None:
    return os.environ.get("KG_TEST_PREPARED")


def test_a_spawned_child_prepares_while_its_task_is_made():
    # the child runs the preparation before the task arrives; its work shows in the task
    job = Spawned(None, prepare=(_remember, ("yes",)))
    job.send(_recall)
    assert job.result() == "yes"
    assert "KG_TEST_PREPARED" not in os.environ  # it ran in the child, not here
    with pytest.raises(WorkerError, match="no task"):
        Spawned(None, prepare=(sorted, ([1],))).result()


def test_gc_paused_pauses_the_collector_and_restores_it_as_it_was():
    import gc

    from kg.runner import gc_paused

    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        assert not gc.isenabled()
        raise ValueError("the block failed")
    assert gc.isenabled()  # back on after an error too
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()


def test_resolution_runs_without_the_collector_and_gives_it_back(monkeypatch):
    # resolution and the graph make millions of objects and no cycles: the collector is paused
    # while the authors are resolved (the unit of work a worker runs too) and switched on after
    import gc

    from kg.model import Author
    from kg.resolve import authors, resolve

    seen: list[bool] = []
    real = authors.resolve_author_rows

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(authors, "resolve_author_rows", spy)
    papers = [Paper(title=f"Paper {i}", authors=(Author("Ada Lovelace", 1),), source=Source("a.txt", i + 1),
                    format="x") for i in range(3)]
    res = resolve(papers)
    assert seen == [False]
    assert gc.isenabled()
    assert len({a.id for p in res.papers for a in p.authors}) == 1


def _worker_start_leaves_inherited_objects_alone() -> tuple[bool, bool]:
    import gc

    from kg.runner import _init_worker

    inherited = [object() for _ in range(10)]  # what a worker forked from a busy build holds
    gc.unfreeze()
    before = gc.get_freeze_count()
    _init_worker(None, os.getppid())
    return before == 0, gc.get_freeze_count() >= len(inherited)


@pytest.mark.skipif(not can_fork(), reason="fork is Linux's")
def test_an_extraction_worker_keeps_what_it_inherited_out_of_its_collector():
    # a pool started late in a build (--update: after the records known from the cache) forks
    # from a process holding them; the worker's collections must not walk (and so copy) them
    was_unfrozen, frozen_now = Forked(_worker_start_leaves_inherited_objects_alone, collect=True).result()
    assert was_unfrozen and frozen_now
