"""Plots of a kg graph with matplotlib (no display needed): trends, top entities, degrees.

Each plot has a function that counts (plain data, easy to test) and one that draws a
:class:`matplotlib.figure.Figure`; :func:`save_figure` writes it as PNG and/or SVG.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("method:lora", label="Method", name="LoRA")
>>> for i, d in enumerate(["2024-01-05", "2024-01-20", "2024-03-02"]):
...     g.add_node(f"paper:t:{i}", label="Paper", title=f"P{i}", published=d)
...     _ = g.add_edge(f"paper:t:{i}", "method:lora", key="USES_METHOD", type="USES_METHOD")
>>> t = trend_counts(g, ["LoRA"], by="month")
>>> t.periods, t.counts
(['2024-01', '2024-02', '2024-03'], {'LoRA': [2, 0, 1]})
>>> top_entities(g, "Method")
[('method:lora', 'LoRA', 3)]
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from matplotlib import rc_context
from matplotlib.figure import Figure

from kg.errors import KgError
from kg.schema import LABELS, check_label
from kg.view import LABEL_COLORS, display_name, find_node, paper_year

__all__ = [
    "PlotError",
    "Trend",
    "degree_counts",
    "degree_figure",
    "save_figure",
    "top_entities",
    "top_figure",
    "trend_counts",
    "trend_figure",
]

#: relationship types that tie a paper to a method or dataset
_LINKS = ("USES_METHOD", "USES_DATASET", "INTRODUCES")


class PlotError(KgError):
    """A plot that cannot be drawn: unknown period, nothing to plot, unknown file type."""


@dataclass(frozen=True)
class Trend:
    """Papers per period for each entity; ``left_out`` papers had no date fine enough."""

    periods: list[str]
    counts: dict[str, list[int]]
    by: str
    left_out: dict[str, int] = field(default_factory=dict)


def _period(data: dict, by: str) -> str | None:
    if by == "year":
        year = paper_year(data)
        return str(year) if year is not None else None
    published = data.get("published")
    if isinstance(published, str):
        m = re.match(r"\s*(\d{4})-(\d{2})", published)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{m.group(2)}"
    return None


def _all_periods(first: str, last: str, by: str) -> list[str]:
    if by == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    y, m = map(int, first.split("-"))
    ly, lm = map(int, last.split("-"))
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def papers_of(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """The papers that use or introduce the method or dataset ``node``."""
    return {
        p
        for p, _n, key in graph.in_edges(node, keys=True)
        if key in _LINKS and graph.nodes[p].get("label") == "Paper"
    }


def trend_counts(graph: nx.MultiDiGraph, entities: Iterable[str], *, by: str = "month") -> Trend:
    """Papers per month (or year) that use or introduce each entity (id, name or alias)."""
    if by not in ("month", "year"):
        raise PlotError(f"period {by!r} is unknown; expected 'month' or 'year'")
    entities = list(entities)
    if not entities:
        raise PlotError("no method or dataset to plot; name at least one (--method NAME or --dataset NAME)")
    per_entity: dict[str, Counter] = {}
    left_out: dict[str, int] = {}
    for query in entities:
        node = find_node(graph, query, what="method or dataset")
        name = display_name(graph, node)
        counter: Counter = Counter()
        missing = 0
        for paper in papers_of(graph, node):
            period = _period(graph.nodes[paper], by)
            if period is None:
                missing += 1
            else:
                counter[period] += 1
        per_entity[name] = counter
        if missing:
            left_out[name] = missing
    seen = sorted({p for c in per_entity.values() for p in c})
    periods = _all_periods(seen[0], seen[-1], by) if seen else []
    counts = {name: [c.get(p, 0) for p in periods] for name, c in per_entity.items()}
    return Trend(periods=periods, counts=counts, by=by, left_out=left_out)


def trend_figure(graph: nx.MultiDiGraph, entities: Iterable[str], *, by: str = "month") -> Figure:
    """A line chart of :func:`trend_counts`: papers per period, one line per entity."""
    trend = trend_counts(graph, entities, by=by)
    fig = Figure(figsize=(9, 4.8), layout="constrained")
    ax = fig.add_subplot()
    x = range(len(trend.periods))
    for name, values in trend.counts.items():
        ax.plot(list(x), values, marker="o", linewidth=2, label=name)
    step = max(1, len(trend.periods) // 14)
    ax.set_xticks(list(x)[::step], trend.periods[::step], rotation=45, ha="right")
    ax.set_xlabel("month of publication" if by == "month" else "year of publication")
    ax.set_ylabel("papers")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(title="method or dataset")
    title = f"Papers per {by} using " + ", ".join(trend.counts)
    ax.set_title(title if len(title) <= 90 else title[:89] + "\u2026")
    if trend.left_out:
        note = "; ".join(f"{n}: {k}" for n, k in trend.left_out.items())
        ax.set_xlabel(f"{ax.get_xlabel()}\n(not shown, papers without a {by}: {note})")
    if not trend.periods:
        ax.text(0.5, 0.5, f"no paper has a {by}", ha="center", va="center", transform=ax.transAxes)
    return fig


def top_entities(graph: nx.MultiDiGraph, label: str = "Method", n: int = 15) -> list[tuple[str, str, int]]:
    """The ``n`` nodes of ``label`` linked to the most papers: (id, name, papers), most first."""
    check_label(label)
    rows = []
    for node, data in graph.nodes(data=True):
        if data.get("label") != label:
            continue
        if label == "Paper":
            papers = {p for p, _n, k in graph.in_edges(node, keys=True) if k == "CITES"}
        else:
            papers = {p for p in nx.all_neighbors(graph, node) if graph.nodes[p].get("label") == "Paper"}
        rows.append((str(node), display_name(graph, node), len(papers)))
    rows.sort(key=lambda r: (-r[2], r[1].casefold(), r[0]))
    return rows[:n]


def top_figure(graph: nx.MultiDiGraph, label: str = "Method", n: int = 15) -> Figure:
    """A horizontal bar chart of :func:`top_entities` (for papers: the most cited)."""
    rows = top_entities(graph, label, n)
    fig = Figure(figsize=(9, max(3.0, 0.38 * len(rows) + 1.4)), layout="constrained")
    ax = fig.add_subplot()
    names = [r[1] if len(r[1]) <= 50 else r[1][:49] + "\u2026" for r in rows][::-1]
    values = [r[2] for r in rows][::-1]
    bars = ax.barh(range(len(rows)), values, color=LABEL_COLORS.get(label, "#777"))
    ax.set_yticks(range(len(rows)), names)
    ax.bar_label(bars, padding=3)
    what = "citing papers" if label == "Paper" else "papers"
    ax.set_xlabel(f"number of {what}")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"Top {len(rows)} {label} nodes by number of {what}")
    ax.grid(axis="x", alpha=0.3)
    if not rows:
        ax.text(0.5, 0.5, f"the graph has no {label} node", ha="center", va="center", transform=ax.transAxes)
    return fig


def degree_counts(graph: nx.MultiDiGraph) -> dict[str, Counter]:
    """For each label, how many nodes have each degree (edges in and out, all types).

    >>> g = nx.MultiDiGraph(); g.add_node("a", label="Paper"); g.add_node("b", label="Method")
    >>> _ = g.add_edge("a", "b", key="USES_METHOD")
    >>> {k: dict(v) for k, v in degree_counts(g).items()}
    {'Paper': {1: 1}, 'Method': {1: 1}}
    """
    out: dict[str, Counter] = {}
    for node, degree in graph.degree():
        label = graph.nodes[node].get("label", "Other")
        out.setdefault(label, Counter())[degree] += 1
    order = {label: i for i, label in enumerate(LABELS)}
    return dict(sorted(out.items(), key=lambda kv: order.get(kv[0], len(order))))


def degree_figure(graph: nx.MultiDiGraph) -> Figure:
    """The degree distribution per label on log-log axes (degree 0 drawn at 0.5)."""
    counts = degree_counts(graph)
    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.add_subplot()
    for label, counter in counts.items():
        degrees = sorted(counter)
        xs = [d if d > 0 else 0.5 for d in degrees]
        ax.plot(
            xs,
            [counter[d] for d in degrees],
            marker="o",
            linestyle="-",
            linewidth=1,
            color=LABEL_COLORS.get(label, "#777"),
            label=f"{label} ({sum(counter.values())})",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("degree (links in and out; 0 drawn at 0.5)")
    ax.set_ylabel("number of nodes")
    ax.set_title(f"Degree distribution of {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    ax.grid(alpha=0.3, which="both")
    if counts:
        ax.legend(title="label (nodes)")
    return fig


def save_figure(fig: Figure, path: str | os.PathLike, *, dpi: int = 150) -> list[Path]:
    """Write ``fig`` to ``path``: ``.png`` or ``.svg`` by suffix; no suffix writes both.

    The folder of ``path`` must exist (as for ``kg view`` and ``kg export``)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise PlotError(f"{path}: the folder {path.parent} does not exist; create it first")
    suffix = path.suffix.lower()
    if suffix in (".png", ".svg"):
        targets = [path]
    elif suffix == "":
        targets = [path.with_suffix(".png"), path.with_suffix(".svg")]
    else:
        raise PlotError(
            f"{path}: cannot write a plot as {suffix!r}; expected .png or .svg (or no suffix for both)"
        )
    for target in targets:
        # SVG text stays text (searchable, selectable), not glyph outlines
        with rc_context({"svg.fonttype": "none"}):
            fig.savefig(target, dpi=dpi, metadata={"Date": None} if target.suffix == ".svg" else None)
    return targets
