"""``kg fetch`` as a user runs it, against the local server: fetch, then ``kg build``."""

from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner

from kg.cli import main
from tests.kg.fetch.conftest import api  # noqa: F401  (the local server fixture)


def run(api, *args: str) -> subprocess.CompletedProcess:  # noqa: F811
    return subprocess.run([sys.executable, "-m", "kg", *args], env={**os.environ, **api.env()},
                          capture_output=True, text=True, timeout=300)


def test_fetch_then_build(api, tmp_path):  # noqa: F811
    out = tmp_path / "papers"
    done = run(api, "fetch", "crossref", "ecology", "--since", "2000", "--mailto", "me@example.org",
               "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "kg fetch: crossref 'ecology' since 2000: complete" in done.stdout
    assert "records: 4 in 2 files; the source reports 4 matching" in done.stdout
    assert f"next: kg build {out} --out build/" in done.stdout
    built = run(api, "build", str(out), "--out", str(tmp_path / "build"), "--no-view", "--no-progress",
                "--no-model", "--jobs", "1")
    assert built.returncode == 0, built.stderr
    assert "papers/crossref-00001.jsonl" in built.stdout
    total = next(line for line in built.stdout.splitlines() if line.startswith("total"))
    assert total.split()[1:] == ["4", "4", "0", "0"]  # read, loaded, merged, quarantined
    assert ".kg-fetch" not in built.stdout  # the manifest and cache are not inputs


def test_errors_are_one_line(api, tmp_path, monkeypatch):  # noqa: F811
    runner = CliRunner()
    r = runner.invoke(main, ["fetch", "arxiv", "id:abc", "--out", str(tmp_path / "a"), "--no-progress"])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [
        "kg: error: arXiv: HTTP 400 for " + api.env()["KG_ARXIV_URL"]
        + ": the source rejected the query: incorrect id format for abc; check the query syntax"]
    r = runner.invoke(main, ["fetch", "openalex", "--out", str(tmp_path / "b")])
    assert r.exit_code == 2 and "give SOURCE and QUERY" in r.output
    r = runner.invoke(main, ["fetch", "openalex", "x", "--since", "last year", "--out", str(tmp_path / "c")])
    assert r.exit_code == 2 and "--since 'last year' is not a date" in r.output
    graph = tmp_path / "g.json"
    graph.write_text("{}")
    r = runner.invoke(main, ["fetch", "openalex", "x", "--expand", str(graph), "--out", str(tmp_path / "d")])
    assert r.exit_code == 2 and "--expand takes no QUERY" in r.output


def test_expand_from_the_command_line(api, tmp_path):  # noqa: F811
    papers = tmp_path / "papers"
    assert run(api, "fetch", "openalex", "galaxies", "--max", "20", "--out", str(papers / "oa"),
               "--no-progress").returncode == 0
    built = run(api, "build", str(papers), "--out", str(tmp_path / "build"), "--no-view", "--no-progress",
                "--no-model", "--jobs", "1")
    assert built.returncode == 0, built.stderr
    r = CliRunner().invoke(main, ["fetch", "--expand", str(tmp_path / "build" / "graph.json"), "--hops", "1",
                                  "--out", str(papers / "expand"), "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "openalex expansion of" in r.output and "(1 hop): complete" in r.output
    assert "OpenAlex: hop 1:" in r.output and "cited works to fetch" in r.output
    assert f"next: kg build YOUR_INPUTS {papers / 'expand'} --out build/" in r.output
