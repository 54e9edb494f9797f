"""Resuming: a ``kg fetch`` killed mid-run continues where it stopped, without duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from kg.fetch import FetchError, fetch
from tests.kg.fetch.conftest import jsonl_ids, manifest


def kg_fetch(api, *args: str) -> list[str]:
    return [sys.executable, "-m", "kg", "fetch", *args, "--no-progress"]


def test_a_killed_fetch_resumes_without_duplicates(api, tmp_path):
    out = tmp_path / "oa"
    env = {**os.environ, **api.env()}
    # the 4th page hangs: the process is killed while waiting for it
    api.faults.append((lambda r: r["query"].get("cursor") == "off150", {"delay": 60}))
    proc = subprocess.Popen(kg_fetch(api, "openalex", "graphs", "--out", str(out)), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(r["query"].get("cursor") == "off150" for r in api.log):
                break
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        else:
            pytest.fail("the fetch never reached the 4th page")
    finally:
        proc.kill()
        proc.wait()
    m = manifest(out)
    assert m["status"] == "running" and m["streams"][0]["pages"] == 3 and m["streams"][0]["records"] == 150
    assert len(jsonl_ids(out)) == 150
    before = len(api.log)
    done = subprocess.run(kg_fetch(api, "openalex", "graphs", "--out", str(out)), env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "complete (resumed)" in done.stdout and "records: 300 in 6 files" in done.stdout
    # it went on from the page it was on: the three pages written were not asked again
    assert [r["query"]["cursor"] for r in api.log[before:]] == ["off150", "off200", "off250", "off300"]
    ids = jsonl_ids(out)
    assert len(ids) == 300 == len(set(ids))
    m = manifest(out)
    assert m["status"] == "complete" and len(m["runs"]) == 2 and m["records"] == 300
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_killed_between_writing_a_page_and_the_manifest(api, tmp_path):
    out = tmp_path / "cr"
    fetch("crossref", "ecology", out, progress=False)
    page2 = (out / "crossref-00002.jsonl").read_bytes()
    # roll the manifest back to before page 2, as if the run died right after writing it
    path = out / ".kg-fetch" / "manifest.json"
    m = json.loads(path.read_text())
    st = m["streams"][0]
    st.update(cursor="page2", pages=1, records=2, done=False, files=st["files"][:1])
    path.write_text(json.dumps(m))
    sent = len(api.log)
    r = fetch("crossref", "ecology", out, progress=False)
    assert r.records == 4 and r.duplicates == 0 and r.resumed
    assert (out / "crossref-00002.jsonl").read_bytes() == page2
    assert len(jsonl_ids(out, "DOI")) == 4
    assert len(api.log) == sent and r.requests["cached"] == 1  # page 2 came from the cache


def test_a_complete_fetch_is_not_asked_again(api, tmp_path):
    fetch("crossref", "ecology", tmp_path / "cr", progress=False)
    sent = len(api.log)
    r = fetch("crossref", "ecology", tmp_path / "cr", progress=False)
    assert len(api.log) == sent and r.records == 4 and r.status == "complete"


def test_a_folder_holding_another_fetch_is_refused(api, tmp_path):
    fetch("crossref", "ecology", tmp_path / "cr", progress=False)
    with pytest.raises(FetchError, match="already holds another fetch .crossref 'ecology'"):
        fetch("crossref", "oceans", tmp_path / "cr", progress=False)
    with pytest.raises(FetchError, match="already holds another fetch"):
        fetch("crossref", "ecology", tmp_path / "cr", since="2020", progress=False)


def test_a_failed_fetch_keeps_its_pages_and_says_so(api, tmp_path):
    api.faults.extend([(lambda r: r["query"].get("cursor") == "off100", {"status": 503})] * 3)
    from kg.fetch.http import HttpSettings

    with pytest.raises(FetchError, match="failed 2 times"):
        fetch("openalex", "graphs", tmp_path / "oa", settings=HttpSettings(retries=1, backoff=0.01),
              progress=False)
    m = manifest(tmp_path / "oa")
    assert m["status"] == "interrupted" and m["records"] == 100
    r = fetch("openalex", "graphs", tmp_path / "oa", progress=False)
    assert r.records == 300 and len(set(jsonl_ids(tmp_path / "oa"))) == 300


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(api, tmp_path):
    out = tmp_path / "oa"
    api.faults.append((lambda r: r["query"].get("cursor") == "off100", {"delay": 60}))
    proc = subprocess.Popen(kg_fetch(api, "openalex", "graphs", "--out", str(out)),
                            env={**os.environ, **api.env()}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while not any(r["query"].get("cursor") == "off100" for r in api.log):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted; run the same command again to resume" in err and "Traceback" not in err
    m = manifest(out)
    assert m["status"] == "interrupted" and m["records"] == 100 and m["runs"][0]["ended"]
