"""Fixtures of the fetch tests: a real HTTP server on 127.0.0.1 answering from recorded bodies,
and the environment that points ``kg fetch`` at it (no test reaches the internet)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.pipeline import build as _build
from tests.kg.fetch.apiserver import ApiServer


@pytest.fixture
def api(monkeypatch):
    with ApiServer() as server:
        for k, v in server.env().items():
            monkeypatch.setenv(k, v)
        for k in ("KG_S2_API_KEY", "S2_API_KEY", "KG_OPENALEX_API_KEY", "OPENALEX_API_KEY", "KG_MAILTO",
                  "KG_CROSSREF_PLUS_TOKEN", "KG_FETCH_RETRIES"):
            monkeypatch.delenv(k, raising=False)
        yield server


def build(inputs, out: Path):
    """``kg build`` of ``inputs`` into ``out``: no view, the rules without the trained model (what
    is compared here, papers, authors and citations, does not depend on it), one process."""
    return _build(inputs, out, view=False, progress=False, model=None, jobs=1)


def counts(inputs, out: Path) -> dict:
    """Papers (full and stub), authors and citation edges of a build of ``inputs``."""
    result = build(inputs, out)
    g = result.graph
    papers = [d for _, d in g.nodes(data=True) if d["label"] == "Paper"]
    return {"papers": sum(not d.get("stub") for d in papers),
            "stubs": sum(bool(d.get("stub")) for d in papers),
            "authors": sum(d["label"] == "Author" for _, d in g.nodes(data=True)),
            "cites": sum(k == "CITES" for _, _, k in g.edges(keys=True)),
            "read": result.report["totals"]["read"], "quarantined": result.report["totals"]["quarantined"]}


def manifest(out: Path) -> dict:
    return json.loads((out / ".kg-fetch" / "manifest.json").read_text())


def jsonl_ids(out: Path, key: str = "id") -> list:
    ids = []
    for path in sorted(out.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            ids.append(json.loads(line)[key])
    return ids
