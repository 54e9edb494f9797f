"""`kg build` at scale (issue 9): any --jobs gives the same bytes, --update equals a full rebuild,
the query store answers like graph.json, output is atomic, bars only on a terminal.

Real records: slices of ../shared/corpora/arxiv_75k.jsonl.gz (real arXiv metadata), the seeds.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from kg.queries import REGISTRY

from kg.buildstate import STATE_DIR, fresh_store, read_state
from kg.cli import main
from kg.errors import InputError, StoreError
from kg.graphio import load_graph
from kg.pipeline import build
from tests.conftest import SEEDS, SHARED

CORPUS = SHARED / "corpora" / "arxiv_75k.jsonl.gz"
BATCH = 16  # small batches, so a few hundred records start a pool of workers


def corpus_lines(start: int, stop: int) -> list[str]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        return list(itertools.islice(fh, start, stop))


@pytest.fixture(scope="module")
def slices(tmp_path_factory) -> tuple[Path, Path]:
    """Two files of real arXiv records: 120 in a.jsonl, the next 24 in b.jsonl."""
    d = tmp_path_factory.mktemp("corpus")
    (d / "a.jsonl").write_text("".join(corpus_lines(0, 120)), encoding="utf-8")
    (d / "b.jsonl").write_text("".join(corpus_lines(120, 144)), encoding="utf-8")
    return d / "a.jsonl", d / "b.jsonl"


@pytest.fixture(scope="module")
def full_one_job(slices, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("full1") / "out"
    r = build(slices, out, jobs=1, view=False, batch_size=BATCH)
    assert r.report["workers"] == 0
    return out


def test_two_jobs_give_the_same_bytes_on_a_corpus_slice(slices, full_one_job, tmp_path):
    r = build(slices, tmp_path / "out", jobs=2, view=False, batch_size=BATCH)
    assert r.report["workers"] == 2, "the pool of workers did not start"
    assert (tmp_path / "out" / "graph.json").read_bytes() == (full_one_job / "graph.json").read_bytes()
    assert r.report["totals"]["read"] == 144 and r.report["reconciled"]
    one = json.loads((full_one_job / "report.json").read_text(encoding="utf-8"))
    # authors are resolved in a worker process with two jobs: the same merges, in the same order
    assert r.report["merges"] == one["merges"] and r.report["conflicts"] == one["conflicts"]
    assert any(m["label"] == "Author" for m in one["merges"])
    g = load_graph(tmp_path / "out" / "graph.json")
    assert sum(1 for _, _, k in g.edges(keys=True) if k == "USES_METHOD") > 50  # extraction did run


def test_two_jobs_give_the_same_bytes_on_the_seeds(tmp_path):
    one = build([SEEDS], tmp_path / "one", jobs=1, batch_size=8)
    two = build([SEEDS], tmp_path / "two", jobs=2, batch_size=8)
    assert two.report["workers"] == 2 and one.report["workers"] == 0
    for name in ("graph.json", "view.html", "quarantine.jsonl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_update_equals_a_full_rebuild(slices, full_one_job, tmp_path):
    a, b = slices
    out = tmp_path / "out"
    first = build([a], out, jobs=2, view=False, batch_size=BATCH)
    assert first.report["extraction_cache"] == {"hits": 0, "misses": 120}
    upd = build([b], out, update=True, jobs=2, view=False, batch_size=BATCH)
    # only the new records were extracted; the old ones came from the cache
    assert upd.report["extraction_cache"] == {"hits": 120, "misses": 24}
    assert upd.report["inputs"] == [str(a), str(b)] and upd.report["update"] is True
    assert (out / "graph.json").read_bytes() == (full_one_job / "graph.json").read_bytes()
    got, want = load_graph(out / "graph.json"), load_graph(full_one_job / "graph.json")
    assert sorted(got.nodes(data=True)) == sorted(want.nodes(data=True))
    assert sorted(got.edges(keys=True, data=True)) == sorted(want.edges(keys=True, data=True))
    report, full_report = (json.loads((d / "report.json").read_text()) for d in (out, full_one_job))
    for key in ("files", "totals", "graph", "merges"):
        assert report[key] == full_report[key], key
    assert fresh_store(out / "graph.json") == out / "graph.lbdb"
    # with two jobs the store's child patches a copy of the first build's store beside the edges
    from kg.stores import LadybugStore
    from tests.kg.stores.test_ladybug_store import dump

    assert upd.report["stages"]["write graph.lbdb"]["patched"] is True
    with (LadybugStore(out / "graph.lbdb", read_only=True) as got_store,
          LadybugStore(full_one_job / "graph.lbdb", read_only=True) as want_store):
        assert dump(got_store) == dump(want_store)


def test_the_query_store_holds_the_graph_for_any_jobs(slices, full_one_job, tmp_path):
    # graph.lbdb is COPYd from table files by a child process (beside the edges and the view
    # with two jobs, after graph.json with one): the same rows as a push of graph.json
    from kg.stores import LadybugStore
    from tests.kg.stores.test_ladybug_store import dump

    r = build(slices, tmp_path / "two", jobs=2, view=True, batch_size=BATCH)
    assert r.report["stages"]["write graph.lbdb"]["child_wall"] > 0
    graph = load_graph(full_one_job / "graph.json")
    with LadybugStore(tmp_path / "pushed.lbdb") as pushed:
        pushed.push(graph)
        want = dump(pushed)
    for out in (full_one_job, tmp_path / "two"):
        with LadybugStore(out / "graph.lbdb", read_only=True) as store:
            assert dump(store) == want, out
        assert sorted(p.name for p in out.iterdir()) == sorted(
            n for n in (".kg", "graph.json", "graph.lbdb", "quarantine.jsonl", "report.json", "view.html")
            if (out / n).exists()), "a table file or log was left behind"
    assert len(want["nodes"]) == graph.number_of_nodes() and len(want["rels"]) == graph.number_of_edges()


def test_kg_build_lets_the_graph_go_before_the_store_child_starts(slices, tmp_path, monkeypatch):
    # keep_graph=False (what `kg build` does): the same files, no graph returned; the records and
    # the graph live in a forked child (where fork is available) that ends before the child that
    # COPYs graph.lbdb starts, after the view's nodes are chosen, so the two never hold their
    # memory at once; by
    # default (keep_graph) the graph is built here and that child starts beside the writes
    import weakref

    import kg.pipeline
    import kg.stores.ladybug as ladybug_module
    from kg.runner import can_fork
    from kg.stores import LadybugStore
    from tests.kg.stores.test_ladybug_store import dump

    graphs: list = []
    built_in = tmp_path / "built_in"  # the pid of each process that built a graph
    seen: list[tuple[bool, bool]] = []  # per child started: (graph alive here, view.html written)
    real_build, real_init = kg.pipeline.build_graph, ladybug_module.StoreLoader.__init__

    def build_graph(res, **kw):
        g = real_build(res, **kw)
        graphs.append((os.getpid(), weakref.ref(g)))
        with built_in.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        return g

    def init(self, path, folder, **kw):
        pid, ref = graphs[-1] if graphs else (None, None)
        seen.append((pid == os.getpid() and ref() is not None, (Path(path).parent / "view.html").exists()))
        real_init(self, path, folder, **kw)

    monkeypatch.setattr(kg.pipeline, "build_graph", build_graph)
    monkeypatch.setattr(ladybug_module.StoreLoader, "__init__", init)
    kept = build(slices, tmp_path / "kept", jobs=2, batch_size=BATCH)
    assert kept.graph is not None and seen == [(True, False)]  # beside graph.json's edges
    assert built_in.read_text().split() == [str(os.getpid())]
    with LadybugStore(tmp_path / "kept" / "graph.lbdb", read_only=True) as store:
        want = dump(store)
    for jobs in (1, 2):
        seen.clear()
        built_in.unlink()
        graphs.clear()  # a graph built in the forked child is not seen here
        out = tmp_path / f"let{jobs}"
        r = build(slices, out, jobs=jobs, batch_size=BATCH, keep_graph=False)
        # the view is prepared in the forked child and drawn here: beside the store's child with
        # two jobs, after it with one (one process at a time)
        assert r.graph is None and seen == [(False, not can_fork())]
        assert (built_in.read_text().split() != [str(os.getpid())]) == can_fork()
        assert r.report["graph"] == kept.report["graph"]
        assert r.report["totals"] == kept.report["totals"] and r.report["merges"] == kept.report["merges"]
        for name in ("graph.json", "view.html"):
            assert (out / name).read_bytes() == (tmp_path / "kept" / name).read_bytes(), name
        with LadybugStore(out / "graph.lbdb", read_only=True) as store:
            assert dump(store) == want
        stages = r.report["stages"]
        assert list(stages) == list(kept.report["stages"]) or jobs == 1
        assert stages["write graph.lbdb"]["start"] >= stages["write view.html"]["start"]
        assert stages["read + extract"]["cpu"] > 0 and stages["resolve"]["wall"] > 0
    cli = CliRunner().invoke(main, ["build", *map(str, slices), "--out", str(tmp_path / "cli"), "-j", "2"])
    assert cli.exit_code == 0, cli.output
    assert seen[-1] == (False, not can_fork())  # `kg build -j 2`: the view is drawn beside it
    assert (tmp_path / "cli" / "graph.json").read_bytes() == (tmp_path / "kept" / "graph.json").read_bytes()


def _die(*args, **kwargs):
    os._exit(9)  # as by the OOM killer


@pytest.mark.skipif(sys.platform != "linux", reason="the build's forked child needs fork")
def test_a_failing_or_killed_build_child_fails_the_build_cleanly(slices, tmp_path, monkeypatch):
    # kg build's child (keep_graph=False): its error is raised here as itself, a child that dies is
    # a WorkerError; the previous build stays and nothing is left behind
    import kg.pipeline
    from kg.runner import WorkerError

    a, _ = slices
    out = tmp_path / "out"
    build([SEEDS / "000_761299f930b716c2.txt"], out, jobs=1, view=False, query_store=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def refuse(records, **kw):
        raise InputError("x.bib", 3, "refused in the child")

    monkeypatch.setattr(kg.pipeline, "resolve", refuse)
    with pytest.raises(InputError, match="x.bib:3: refused in the child") as err:
        build([a], out, jobs=1, batch_size=BATCH, keep_graph=False)
    assert "in a worker process of the build" in "".join(err.value.__notes__)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert _leftovers(tmp_path) == []
    monkeypatch.setattr(kg.pipeline, "resolve", _die)
    with pytest.raises(WorkerError, match="exit code 9"):
        build([a], out, jobs=2, batch_size=BATCH, keep_graph=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert _leftovers(tmp_path) == []
    empty = tmp_path / "empty"
    empty.mkdir()
    cli = CliRunner().invoke(main, ["build", str(empty), "--out", str(tmp_path / "cli")])
    assert cli.exit_code == 2 and "no files found" in cli.output and "Traceback" not in cli.output


def test_a_store_that_cannot_be_written_fails_the_build_and_keeps_the_previous_one(slices, tmp_path,
                                                                                   monkeypatch):
    import kg.stores.ladybug as ladybug_module

    a, _ = slices
    out = tmp_path / "out"
    build([SEEDS / "000_761299f930b716c2.txt"], out, jobs=1, view=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    # the child process that COPYs the tables ends at once, having written nothing (the other
    # processes of the build start as they do)
    real_init = ladybug_module.StoreLoader.__init__

    def init(self, path, folder, **kw):
        with monkeypatch.context() as m:
            m.setattr(ladybug_module.sys, "executable", shutil.which("false"))
            real_init(self, path, folder, **kw)

    monkeypatch.setattr(ladybug_module.StoreLoader, "__init__", init)
    for jobs in (1, 2):
        with pytest.raises(StoreError, match="writing the query store failed: exit status 1"):
            build([a], out, jobs=jobs, view=False, batch_size=BATCH)
        assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
        assert _leftovers(tmp_path) == []


def test_rerunning_an_update_changes_nothing(slices, tmp_path):
    a, b = slices
    out = tmp_path / "out"
    build([a, b], out, jobs=1, view=False, batch_size=BATCH)
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir() if p.is_file()}
    result = CliRunner().invoke(main, ["build", str(b), "--out", str(out), "--update", "--no-view"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir() if p.is_file()}
    assert after == before


def test_update_after_a_file_changed_equals_a_full_rebuild(slices, tmp_path):
    a, b = slices
    b2 = tmp_path / "b.jsonl"
    lines = b.read_text(encoding="utf-8").splitlines(keepends=True)
    rec = json.loads(lines[3])
    rec["title"] = "A changed title about LoRA on ImageNet"
    lines[3] = json.dumps(rec) + "\n"
    b2.write_text("".join(lines[:3]), encoding="utf-8")
    out = tmp_path / "out"
    build([a, b2], out, jobs=1, view=False, query_store=False, batch_size=BATCH)
    b2.write_text("".join(lines), encoding="utf-8")  # a record changes... and new ones are added
    upd = build([b2], out, update=True, jobs=1, view=False, query_store=False, batch_size=BATCH)
    assert upd.report["extraction_cache"] == {"hits": 123, "misses": 21}
    full = build([a, b2], tmp_path / "full", jobs=1, view=False, query_store=False, batch_size=BATCH)
    assert full.report["extraction_cache"]["hits"] == 0
    assert (out / "graph.json").read_bytes() == (tmp_path / "full" / "graph.json").read_bytes()


def test_update_with_records_that_merge_into_existing_nodes_equals_a_full_rebuild(slices, tmp_path):
    # new records that are other listings of papers already in the build (another id, the same
    # title and authors) merge into existing Paper and Author nodes: the update's graph.json and
    # its query store must hold what a full rebuild of all inputs holds
    from kg.stores import LadybugStore
    from tests.kg.stores.test_ladybug_store import dump

    a, b = slices
    again = tmp_path / "again.jsonl"
    lines = []
    for line in a.read_text(encoding="utf-8").splitlines()[:10]:
        rec = json.loads(line)
        rec["id"] = "9" + rec["id"]  # another listing of the same paper
        lines.append(json.dumps(rec) + "\n")
    again.write_text("".join(lines) + b.read_text(encoding="utf-8"), encoding="utf-8")
    out, full = tmp_path / "out", tmp_path / "full"
    build([a], out, jobs=1, view=False, batch_size=BATCH)
    upd = build([again], out, update=True, jobs=1, view=False, batch_size=BATCH)
    want = build([a, again], full, jobs=1, view=False, batch_size=BATCH)
    assert upd.report["totals"]["merged"] >= 10, "the copies did not merge into existing papers"
    assert upd.report["totals"] == want.report["totals"] and upd.report["merges"] == want.report["merges"]
    assert (out / "graph.json").read_bytes() == (full / "graph.json").read_bytes()
    # the update patched a copy of the first build's store with what changed; the full build loaded one
    assert upd.report["stages"]["write graph.lbdb"]["patched"] is True
    assert want.report["stages"]["write graph.lbdb"]["patched"] is False
    with (LadybugStore(out / "graph.lbdb", read_only=True) as got_store,
          LadybugStore(full / "graph.lbdb", read_only=True) as want_store):
        assert dump(got_store) == dump(want_store)


def _how_made(out: Path) -> dict:
    """report.json without what says how the build was made (times, caches, workers, update)."""
    r = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for key in ("update", "stages", "seconds", "extraction_cache", "file_cache", "workers"):
        r.pop(key)
    return r


def test_an_update_takes_unchanged_files_from_the_file_cache_and_equals_a_rebuild(slices, tmp_path):
    # an unchanged file (with quarantined lines) is neither read nor extracted again: its records
    # come from out/.kg/files/; a changed file is read again. graph.json, quarantine.jsonl and
    # report.json (but for how it was made) are those of a full rebuild
    a, b = slices
    d = tmp_path / "in"
    d.mkdir()
    lines = a.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5:5] = ['{"id": "2401.0", "title": \n']  # a broken line: quarantined
    (d / "a.jsonl").write_text("".join(lines), encoding="utf-8")
    b_lines = b.read_text(encoding="utf-8").splitlines(keepends=True)
    (d / "b.jsonl").write_text("".join(b_lines[:10]), encoding="utf-8")
    out, full = tmp_path / "out", tmp_path / "full"
    first = build([d], out, jobs=1, view=False, query_store=False, batch_size=BATCH)
    assert first.report["file_cache"] == {"reused": 0, "stored": 2}
    assert sorted(p.name for p in (out / STATE_DIR / "files").iterdir()) == sorted(
        [p.name for p in (out / STATE_DIR / "files").iterdir() if p.suffix == ".kgf"])
    (d / "b.jsonl").write_text("".join(b_lines), encoding="utf-8")  # b grows
    (d / "c.jsonl").write_text("".join(corpus_lines(200, 210)), encoding="utf-8")  # a new file

    def no_second_read(path, *args, **kw):
        assert Path(path).name != "a.jsonl", "an unchanged file was read again"
        return real_load(path, *args, **kw)

    from kg import loaders

    real_load = loaders.load
    loaders.load = no_second_read
    try:
        upd = build([d], out, update=True, jobs=1, view=False, query_store=False, batch_size=BATCH)
    finally:
        loaders.load = real_load
    assert upd.report["file_cache"] == {"reused": 1, "stored": 2}
    # a's 120 papers from the file cache, b's first 10 from the record cache, 14 + 10 extracted
    assert upd.report["extraction_cache"] == {"hits": 130, "misses": 24}
    assert len(list((out / STATE_DIR / "files").iterdir())) == 3  # b's old entry is gone
    build([d], full, jobs=1, view=False, query_store=False, batch_size=BATCH)
    for name in ("graph.json", "quarantine.jsonl"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name
    assert (out / "quarantine.jsonl").read_text(encoding="utf-8").count("\n") == 1
    assert _how_made(out) == _how_made(full)


def test_an_update_reads_a_file_whose_cache_entry_is_damaged(slices, tmp_path):
    a, b = slices
    out, full = tmp_path / "out", tmp_path / "full"
    build([a], out, jobs=1, view=False, query_store=False, batch_size=BATCH)
    (entry,) = (out / STATE_DIR / "files").iterdir()
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0xFF
    entry.write_bytes(bytes(data))
    upd = build([b], out, update=True, jobs=1, view=False, query_store=False, batch_size=BATCH)
    assert upd.report["file_cache"] == {"reused": 0, "stored": 2}
    assert upd.report["extraction_cache"] == {"hits": 120, "misses": 24}  # the record cache still serves
    build([a, b], full, jobs=1, view=False, query_store=False, batch_size=BATCH)
    assert (out / "graph.json").read_bytes() == (full / "graph.json").read_bytes()
    assert _how_made(out) == _how_made(full)


def test_a_change_of_settings_does_not_take_the_file_cache(slices, tmp_path):
    a, _ = slices
    out = tmp_path / "out"
    build([a], out, jobs=1, view=False, query_store=False, batch_size=BATCH, max_field=100_000)
    upd = build([a], out, update=True, jobs=1, view=False, query_store=False, batch_size=BATCH)
    assert upd.report["file_cache"] == {"reused": 0, "stored": 1}


def test_update_of_an_empty_folder_is_a_full_build(slices, tmp_path):
    a, _ = slices
    r = build([a], tmp_path / "out", update=True, jobs=1, view=False, query_store=False)
    assert r.report["update"] is False and r.report["totals"]["read"] == 120
    assert read_state(tmp_path / "out")["inputs"][0]["path"] == str(a)


# -- the query store --------------------------------------------------------------------------------


def test_queries_on_graph_json_are_served_by_the_fresh_store(full_one_job, monkeypatch):
    from tests.queries.test_parity import cases

    graph_file = full_one_job / "graph.json"
    assert fresh_store(graph_file) == full_one_job / "graph.lbdb"
    g = load_graph(graph_file)
    want = {}
    runner = CliRunner()
    chosen = []
    for name, params in cases(g, 3):  # two cases of every query: without and with parameters
        if sum(1 for n, _ in chosen if n == name) < 2:
            chosen.append((name, params))
    assert {n for n, _ in chosen} == set(REGISTRY)
    for name, params in chosen:
        args = ["query", name, "--graph", str(graph_file), "--json", "--no-store"]
        args += [x for k, v in params.items() for x in ("--param", f"{k}={v}")]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        want[(name, json.dumps(params))] = json.loads(result.output)
    assert any(want.values())

    def no_json(path):
        raise AssertionError("graph.json was read although graph.lbdb is fresh")

    monkeypatch.setattr("kg.cli.queries.load_graph", no_json)
    for name, params in chosen:
        args = ["query", name, "--graph", str(graph_file), "--json"]
        args += [x for k, v in params.items() for x in ("--param", f"{k}={v}")]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == want[(name, json.dumps(params))], (name, params)


def test_an_edited_graph_json_is_not_served_by_the_old_store(slices, tmp_path):
    a, _ = slices
    out = tmp_path / "out"
    build([a], out, jobs=1, view=False, batch_size=BATCH)
    assert fresh_store(out / "graph.json") is not None
    g = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    g["nodes"] = [n for n in g["nodes"] if n.get("label") != "Method"]
    g["edges"] = [e for e in g["edges"] if e["key"] not in ("USES_METHOD", "INTRODUCES")]
    (out / "graph.json").write_text(json.dumps(g), encoding="utf-8")
    assert fresh_store(out / "graph.json") is None
    result = CliRunner().invoke(main, ["query", "top-methods", "--graph", str(out / "graph.json"), "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == []


# -- atomic output --------------------------------------------------------------------------------


def _leftovers(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith(".kg-build-")]


def test_a_failed_build_leaves_no_out_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "deeper" / "out"
    result = CliRunner().invoke(main, ["build", str(empty), "--out", str(out)])
    assert result.exit_code == 2 and "no files found" in result.output
    assert not out.exists() and not out.parent.exists()
    assert _leftovers(tmp_path) == []


def test_a_failed_build_keeps_the_previous_one(slices, tmp_path):
    a, _ = slices
    out = tmp_path / "out"
    build([a], out, jobs=1, view=False, query_store=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError):
        build([empty], out, jobs=1, view=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert _leftovers(tmp_path) == []


def test_a_killed_build_leaves_the_previous_one_and_is_cleaned_up(tmp_path):
    big = tmp_path / "big.jsonl"
    big.write_text("".join(corpus_lines(0, 3000)), encoding="utf-8")  # seconds of work, at any speed
    out = tmp_path / "out"
    build([SEEDS / "000_761299f930b716c2.txt"], out, jobs=1, view=False, query_store=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(big), "--out", str(out), "--jobs", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _leftovers(tmp_path) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the build ended before it could be killed"
    time.sleep(0.3)  # inside the build, writing into its staging folder
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert _leftovers(tmp_path), "the killed build left no staging folder (did it finish?)"
    build([SEEDS / "000_761299f930b716c2.txt"], out, jobs=1, view=False, query_store=False)
    assert _leftovers(tmp_path) == []


def test_a_build_killed_while_moving_its_files_is_finished_by_the_next(tmp_path):
    from kg.pipeline import _recover

    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.json").write_text("old")
    (out / "report.json").write_text("old")
    staging = tmp_path / ".kg-build-out-999999999-x"  # a process that is gone
    staging.mkdir()
    (staging / "report.json").write_text("new")  # graph.json was already moved
    (staging / ".complete").write_text("")
    (out / "graph.json").write_text("new")
    _recover(out)
    assert (out / "graph.json").read_text() == (out / "report.json").read_text() == "new"
    assert not staging.exists()


# -- progress -------------------------------------------------------------------------------------


def test_no_bars_in_logs_and_every_phase_on_a_terminal(slices, tmp_path):
    a, _ = slices
    quiet = CliRunner().invoke(main, ["build", str(a), "--out", str(tmp_path / "q"), "--no-view", "-j", "1"])
    assert quiet.exit_code == 0
    assert "\r" not in quiet.output and "it/s" not in quiet.output and "resolve:" not in quiet.output
    loud = CliRunner().invoke(main, ["build", str(a), "--out", str(tmp_path / "l"), "--no-view", "-j", "1",
                                     "--progress"])
    assert loud.exit_code == 0
    for phase in ("read", "extract", "resolve", "build", "write graph.json", "write graph.lbdb"):
        assert f"{phase}:" in loud.output, phase
    report = json.loads((tmp_path / "l" / "report.json").read_text())
    assert set(report["stages"]) == {"read + extract", "resolve", "build", "write graph.json",
                                     "write graph.lbdb"}
    assert read_state(tmp_path / "l")["inputs"][0]["path"] == str(a)
    assert (tmp_path / "l" / STATE_DIR / "extract.sqlite").is_file()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _descendants(pid: int) -> list[int]:
    out = []
    for child in _children(pid):
        out += [child, *_descendants(child)]
    return out


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to find the workers")
def test_the_workers_of_a_killed_build_end_too(tmp_path):
    big = tmp_path / "big.jsonl"
    big.write_text("".join(corpus_lines(0, 3000)), encoding="utf-8")
    cmd = [sys.executable, "-m", "kg", "build", str(big), "--out", str(tmp_path / "out"), "--jobs", "2",
           "--no-model"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    # kg build's forked child (which reads and extracts) and its two workers
    while len(_descendants(proc.pid)) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _descendants(proc.pid)
    assert len(workers) >= 3, "the build did not start its workers"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 60
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if _running(w)], "workers outlived their killed build"


def test_a_pipeline_the_workers_cannot_load_is_a_clear_error(tmp_path):
    from kg.errors import ExtractionError

    with pytest.raises(ExtractionError, match="cannot load the spaCy pipeline 'no_such_pipeline'"):
        build([SEEDS], tmp_path / "out", jobs=2, batch_size=8, model="no_such_pipeline")
    assert not (tmp_path / "out").exists() and _leftovers(tmp_path) == []


def test_resolution_is_the_same_in_a_worker_process(slices):
    """resolve(jobs=2) resolves the authors in a worker process: the same Resolution as jobs=1."""
    from kg import loaders
    from kg.model import Quarantined
    from kg.resolve import resolve
    from kg.runner import extract_map

    records = [r for r in loaders.load_paths([str(p) for p in slices]) if not isinstance(r, Quarantined)]
    records = list(extract_map(records, jobs=1, model=None))
    one, two = resolve(records, jobs=1), resolve(records, jobs=2)
    assert two.papers == one.papers and two.stubs == one.stubs and two.entities == one.entities
    assert two.merges == one.merges and two.conflicts == one.conflicts
    assert two.merged_records == one.merged_records
    assert sum(1 for p in one.papers for a in p.authors if a.id) > 300


def _broken_author_task(rows):
    raise RuntimeError("the author worker broke")


def test_a_failing_worker_of_resolution_fails_the_build_cleanly(slices, tmp_path, monkeypatch):
    import kg.resolve
    from kg.runner import WorkerError

    a, _ = slices
    out = tmp_path / "out"
    build([SEEDS / "000_761299f930b716c2.txt"], out, jobs=1, view=False, query_store=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    # the worker (a new process) imports this function by name and runs it
    monkeypatch.setattr(kg.resolve, "_author_ids_sent", _broken_author_task)
    with pytest.raises(WorkerError, match="the author worker broke") as err:
        build([a], out, jobs=2, view=False, batch_size=BATCH)
    assert "RuntimeError" in err.value.child_traceback
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert _leftovers(tmp_path) == []


def test_a_worker_that_dies_fails_the_build_cleanly(slices, tmp_path, monkeypatch):
    import kg.resolve
    from kg.runner import WorkerError

    a, _ = slices
    out = tmp_path / "out"
    monkeypatch.setattr(kg.resolve, "_author_ids_sent", _die)  # killed, as by the OOM killer
    with pytest.raises(WorkerError, match="exit code 9"):
        build([a], out, jobs=2, batch_size=BATCH)
    assert not out.exists() and _leftovers(tmp_path) == []


def test_author_conflicts_and_merges_come_back_from_the_worker_in_order():
    """Records whose authors share an ORCID but not an OpenAlex id: the conflict, the merges and
    the ids are the same whether the authors are resolved here or in a worker process."""
    from kg.model import Author, Paper, Source
    from kg.resolve import resolve

    def paper(line, title, *authors, venue=None):
        return Paper(title=title, source=Source("refs.jsonl", line), format="x", venue=venue,
                     authors=tuple(Author(n, k + 1, orcid=o, openalex=oa)
                                   for k, (n, o, oa) in enumerate(authors)))

    orcid = "0000-0001-2345-6789"
    records = [
        paper(1, "Sparse attention", ("Ada Lovelace", orcid, "A1"), ("Noam Shazeer", None, None)),
        paper(2, "Dense attention", ("A. Lovelace", orcid, "A2"), ("N. Shazeer", None, None)),
        paper(3, "Sparse attention", ("Ada Lovelace", None, None)),  # the same paper again: merged
        paper(4, "Other work", ("Grace Hopper", None, None), ("Noam Shazeer", None, None), venue="NeurIPS"),
    ]
    one, two = resolve(records, jobs=1), resolve(records, jobs=2)
    assert one.conflicts and two.conflicts == one.conflicts
    assert two.merges == one.merges and two.papers == one.papers
    assert any(m.label == "Author" for m in one.merges) and any(m.label == "Paper" for m in one.merges)


def test_a_graph_begun_before_the_authors_are_back_is_the_same_graph(slices):
    """resolve(jobs=2, defer_authors=True) returns while its worker still resolves the authors;
    build_graph adds everything else, then waits: the same graph, merges and conflicts as jobs=1."""
    from kg import loaders
    from kg.build import build_graph
    from kg.graphio import to_json
    from kg.model import Quarantined
    from kg.resolve import resolve
    from kg.runner import extract_map

    records = [r for r in loaders.load_paths([str(p) for p in slices]) if not isinstance(r, Quarantined)]
    records = list(extract_map(records, jobs=1, model=None))
    one = resolve(records, jobs=1)
    later = resolve(records, jobs=2, defer_authors=True)
    assert later.pending_authors is not None
    assert not any(a.id for p in later.papers for a in p.authors)  # not yet
    g_one, g_later = build_graph(one), build_graph(later, consume=True)
    assert later.pending_authors is None
    assert json.dumps(to_json(g_later), sort_keys=True) == json.dumps(to_json(g_one), sort_keys=True)
    assert later.merges == one.merges and later.conflicts == one.conflicts
    assert sum(1 for _, label in g_one.nodes(data="label") if label == "Author") > 300


def _slow_author_task(rows):
    time.sleep(60)


def test_a_build_that_fails_before_the_authors_are_back_ends_their_worker(slices, monkeypatch):
    import kg.build
    import kg.resolve
    from kg import loaders
    from kg.model import Quarantined
    from kg.resolve import resolve

    monkeypatch.setattr(kg.resolve, "_author_ids_sent", _slow_author_task)  # still busy when the build fails
    records = [r for r in loaders.load_paths([str(slices[0])]) if not isinstance(r, Quarantined)]
    res = resolve(records, jobs=2, defer_authors=True)
    proc = res.pending_authors._job._proc

    def broken(*args):
        raise RuntimeError("the graph broke")

    monkeypatch.setattr(kg.build, "_add_paper_edges", broken)
    with pytest.raises(RuntimeError, match="the graph broke"):
        kg.build.build_graph(res)
    assert proc.poll() is not None  # the worker was ended, not left waiting


def test_an_update_patches_the_store_only_when_it_belongs_to_the_graph(slices, tmp_path):
    """The previous store is patched only when it was written with that graph.json (both
    unchanged since), under this store schema, closed, and graph.json is in the compact form;
    otherwise the update loads a new store, which holds the same graph."""
    from kg.buildstate import STATE_FILE, stat_stamp
    from kg.pipeline import _patchable_store
    from kg.stores import LadybugStore
    from tests.kg.stores.test_ladybug_store import dump

    a, b = slices
    out = tmp_path / "out"
    build([a], out, jobs=1, view=False, batch_size=BATCH)
    state_file = out / STATE_DIR / STATE_FILE
    state = json.loads(state_file.read_text())
    assert _patchable_store(out, state) == out / "graph.lbdb"
    assert _patchable_store(out, {**state, "store_schema": "another"}) is None  # another kg or LadybugDB
    (out / "graph.lbdb.wal").write_bytes(b"")  # not closed
    assert _patchable_store(out, state) is None
    (out / "graph.lbdb.wal").unlink()
    # graph.json written by an older kg (spaces after ':' and ','), its stamp recorded: not read
    graph = out / "graph.json"
    compact = graph.read_bytes()
    graph.write_text(json.dumps(json.loads(compact), indent=1))
    spaced = {**state, "stamps": {**state["stamps"], "graph.json": stat_stamp(graph)}}
    assert _patchable_store(out, spaced) is None
    state_file.write_text(json.dumps(spaced))
    # the update then loads a new store, which holds what a full build's holds
    upd = build([b], out, update=True, jobs=1, view=False, batch_size=BATCH)
    assert upd.report["stages"]["write graph.lbdb"]["patched"] is False
    full = build([a, b], tmp_path / "full", jobs=1, view=False, batch_size=BATCH)
    assert graph.read_bytes() == (tmp_path / "full" / "graph.json").read_bytes()
    with (LadybugStore(out / "graph.lbdb", read_only=True) as got,
          LadybugStore(tmp_path / "full" / "graph.lbdb", read_only=True) as want):
        assert dump(got) == dump(want)
    assert full.report["stages"]["write graph.lbdb"]["patched"] is False


def test_a_patch_that_fails_its_check_is_replaced_by_a_store_loaded_afresh(slices, tmp_path, monkeypatch):
    """The patched store is counted against the graph; when the counts differ (here: the
    patch is told the graph has one Paper more) the update loads the store from the new
    graph.json instead, says so in the report, and the store holds the graph."""
    from kg.stores import LadybugStore
    from kg.stores.ladybug import TableDiff
    from tests.kg.stores.test_ladybug_store import dump

    real_close = TableDiff.close

    def wrong_close(self):
        self._expected["Paper"] += 1
        real_close(self)

    monkeypatch.setattr(TableDiff, "close", wrong_close)
    a, b = slices
    out = tmp_path / "out"
    build([a], out, jobs=1, view=False, batch_size=BATCH)
    upd = build([b], out, update=True, jobs=1, view=False, batch_size=BATCH)
    times = upd.report["stages"]["write graph.lbdb"]
    assert times["patched"] is False
    assert "does not hold the graph: Paper" in times["patch_failed"]
    full = tmp_path / "full"
    build([a, b], full, jobs=1, view=False, batch_size=BATCH)
    with (LadybugStore(out / "graph.lbdb", read_only=True) as got,
          LadybugStore(full / "graph.lbdb", read_only=True) as want):
        assert dump(got) == dump(want)
    assert fresh_store(out / "graph.json") == out / "graph.lbdb"
