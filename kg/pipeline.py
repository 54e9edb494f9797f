"""The pipeline: the only place that knows the order of the stages.

read (:mod:`kg.loaders`) -> extract (:mod:`kg.extract`) -> resolve (:mod:`kg.resolve`)
-> build (:mod:`kg.build`) -> write ``graph.json``, ``view.html``, ``quarantine.jsonl``,
``report.json``.

``report.json`` reconciles every file: ``read = loaded + merged + quarantined``, where
*loaded* records became a node of their own, *merged* records joined another record's node,
and *quarantined* records went to ``quarantine.jsonl`` with their line and reason.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from tqdm import tqdm

from kg import loaders
from kg.build import build_graph
from kg.errors import InputError
from kg.graphio import save_graph
from kg.model import Paper, Quarantined
from kg.resolve import resolve

__all__ = ["VIEW_MAX_NODES", "BuildResult", "build", "graph_stats"]

#: a graph with more nodes than this gets a view of its VIEW_TOP best-connected nodes
#: (``kg view GRAPH --top N`` or ``--focus`` shows any other part)
VIEW_MAX_NODES = 2000
VIEW_TOP = 1000


@dataclass
class BuildResult:
    """What :func:`build` made: the graph, the report and the files written."""

    graph: nx.MultiDiGraph
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
    nodes = Counter(label for _, label in graph.nodes(data="label"))
    edges = Counter(t for _, _, t in graph.edges(data="type"))
    stubs = sum(1 for _, d in graph.nodes(data=True) if d.get("label") == "Paper" and d.get("stub"))
    return {
        "nodes": dict(sorted(nodes.items())),
        "edges": dict(sorted(edges.items())),
        "stub_papers": stubs,
        "total_nodes": graph.number_of_nodes(),
        "total_edges": graph.number_of_edges(),
    }


def build(
    inputs: Iterable[str | os.PathLike],
    out: str | os.PathLike,
    *,
    as_of: str | None = None,
    model: str | None = None,
    view: bool = True,
    progress: bool | None = None,
) -> BuildResult:
    """Read ``inputs`` (files or folders), build the graph, write everything into ``out``.

    ``as_of`` is the listing date for dates printed without a year; ``model`` names an
    installed spaCy pipeline that may add entity candidates; ``progress`` shows progress bars
    (default: when standard error is a terminal).
    """
    from kg.extract import extract  # spaCy loads only when a build runs

    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    disable = None if progress is None else not progress
    inputs = list(inputs)

    per_file: dict[str, dict] = {}
    papers: list[Paper] = []
    quarantine_path = out / "quarantine.jsonl"
    with quarantine_path.open("w", encoding="utf-8") as qfh:
        records = loaders.load_paths(inputs, as_of=as_of)
        for rec in tqdm(records, desc="read", unit=" rec", disable=disable, leave=False):
            stats = per_file.setdefault(rec.source.file, {
                "format": None, "read": 0, "loaded": 0, "merged": 0, "quarantined": 0})
            stats["read"] += 1
            if isinstance(rec, Quarantined):
                stats["quarantined"] += 1
                stats["format"] = stats["format"] or rec.format
                qfh.write(json.dumps(rec.as_dict(), ensure_ascii=False) + "\n")
            else:
                stats["format"] = rec.format
                if header := rec.extra.get("header"):
                    stats.setdefault("header", header)
                for note in rec.notes:
                    if note.startswith("published: "):
                        stats.setdefault("dates", note.removeprefix("published: "))
                papers.append(rec)

    if not per_file:
        raise InputError(", ".join(str(i) for i in inputs), None,
                         "no files found; expected listing pages or metadata files (folders are walked)")
    extracted = list(tqdm(extract(papers, model=model), total=len(papers), desc="extract",
                          unit=" paper", disable=disable, leave=False))
    res = resolve(extracted)
    graph = build_graph(res)
    graph.graph.update({"kg": "graph", "inputs": [str(i) for i in inputs], "as_of": as_of})

    for i, p in enumerate(extracted):
        per_file[p.source.file]["merged" if i in res.merged_records else "loaded"] += 1
    totals = {k: sum(f[k] for f in per_file.values()) for k in ("read", "loaded", "merged", "quarantined")}
    files = {"graph": out / "graph.json", "quarantine": quarantine_path, "report": out / "report.json"}
    save_graph(graph, files["graph"])
    view_summary = None
    if view:
        from kg.view import write_view

        files["view"] = out / "view.html"
        # write_view caps a big graph's view itself (VIEW_CAP nodes: the dense core first)
        view_summary = write_view(graph, files["view"], title="kg: " + ", ".join(str(i) for i in inputs))

    report = {
        "inputs": [str(i) for i in inputs],
        "as_of": as_of,
        "files": dict(sorted(per_file.items())),
        "totals": totals,
        "reconciled": all(
            f["read"] == f["loaded"] + f["merged"] + f["quarantined"] for f in per_file.values()
        ),
        "graph": graph_stats(graph),
        "merges": [
            {"label": m.label, "into": m.into, "member": m.member, "score": round(m.score, 2),
             "reason": m.reason}
            for m in res.merges
        ],
        "view": view_summary.describe() if view_summary is not None else None,
        "seconds": round(time.perf_counter() - started, 2),
    }
    with files["report"].open("w", encoding="utf-8") as fh:
        json.dump(report, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return BuildResult(graph, report, files)
