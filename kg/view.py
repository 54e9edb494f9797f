"""Interactive views of a kg graph: one self-contained, offline, escaped HTML page.

:func:`write_view` picks a part of the graph (the neighbourhood of a node, the top nodes
by degree or PageRank, some labels, some years; at most :data:`VIEW_CAP` nodes unless asked),
lays it out in advance (:func:`layout_positions`, igraph, seeded), labels the nodes that
matter without overlap (:func:`place_labels`), colours them by label or by community
(:func:`communities`) and writes one HTML file that carries everything it needs: the
vis-network build shipped inside the pyvis package, kg's own script and style, and the data
as JSON, nodes and edges in id order (the same graph gives the same bytes). Nothing is loaded
from the network (the page also says so in its Content-Security-Policy).

Safety: every string from the data travels as JSON inside a ``<script type="application/json">``
block (``<``, ``>``, ``&``, U+2028 and U+2029 escaped, so no ``</script>`` can close it) and
is put on the page by the script with ``textContent`` only; tooltips are DOM elements, never
HTML strings; links are kept only when they are ``http:`` or ``https:`` and open in a new tab
with ``rel="noopener noreferrer"``; the heading goes through Jinja's autoescape. pyvis's own
template is not used: it inserts titles as HTML when one contains "href", does not escape
its heading and loads scripts from CDNs. The view reads the graph and never changes it.

>>> import networkx as nx, tempfile, os
>>> g = nx.MultiDiGraph()
>>> g.add_node("paper:t:x", label="Paper", title="X <b>bold</b>", year=2024)
>>> g.add_node("method:lora", label="Method", name="LoRA")
>>> _ = g.add_edge("paper:t:x", "method:lora", key="USES_METHOD", type="USES_METHOD")
>>> path = os.path.join(tempfile.mkdtemp(), "view.html")
>>> summary = write_view(g, path, focus="lora", hops=1)
>>> (summary.nodes_shown, summary.edges_shown, summary.nodes_left_out)
(2, 1, 0)
>>> html = open(path, encoding="utf-8").read()
>>> "<b>bold</b>" in html, "\\\\u003cb\\\\u003ebold" in html
(False, True)
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

import networkx as nx
import numpy as np

from kg.errors import KgError
from kg.graphio import edge_count, edge_ends
from kg.schema import LABELS, check_label

__all__ = [
    "COMMUNITY_COLORS",
    "LABEL_COLORS",
    "LABEL_SHAPES",
    "VIEW_CAP",
    "AmbiguousNodeError",
    "NodeNotFoundError",
    "ViewError",
    "ViewSelection",
    "ViewSummary",
    "communities",
    "display_name",
    "find_node",
    "layout_positions",
    "paper_year",
    "prepare_view",
    "PreparedView",
    "select_view",
    "write_view",
]

#: a view shows at most this many nodes unless asked for more (``max_nodes``, ``kg view --all``)
VIEW_CAP = 1000

#: one colour per schema label, from the Okabe-Ito palette (colour-blind safe, all distinct);
#: a stub paper (a work known only from citations) is a hollow paper: white with a dashed
#: blue border
LABEL_COLORS: dict[str, str] = {
    "Paper": "#0072B2",
    "Author": "#E69F00",
    "Method": "#009E73",
    "Dataset": "#CC79A7",
    "Task": "#56B4E9",
    "Repository": "#D55E00",
    "Venue": "#F0E442",
}
_OTHER_COLOR = "#777777"
_STUB_COLOR = "#FFFFFF"
_STUB_BORDER = "#0072B2"

#: vis-network shapes per label, so that labels stay apart when colour shows communities
LABEL_SHAPES: dict[str, str] = {
    "Paper": "dot",
    "Author": "triangleDown",
    "Method": "diamond",
    "Dataset": "square",
    "Task": "hexagon",
    "Repository": "triangle",
    "Venue": "star",
}


class ViewError(KgError):
    """A view that cannot be made: a bad focus, label, year range or rank."""


class NodeNotFoundError(ViewError):
    """The focus names no node of the graph."""


class AmbiguousNodeError(ViewError):
    """The focus names several nodes; the message lists them by id."""

    def __init__(self, query: str, candidates: list[str], *, what: str = "focus") -> None:
        self.query = query
        self.candidates = candidates
        shown = ", ".join(candidates[:20]) + (" ..." if len(candidates) > 20 else "")
        super().__init__(
            f"{what} {query!r} names {len(candidates)} nodes: {shown}; pass one of these node ids instead"
        )


@dataclass(frozen=True)
class ViewSelection:
    """The nodes a view shows and, for every reason, how many it leaves out."""

    nodes: list[str]
    focus: str | None
    left_out: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ViewSummary:
    """What a written view shows: nodes and edges, and how many were left out and why."""

    path: Path
    nodes_total: int
    edges_total: int
    nodes_shown: int
    edges_shown: int
    left_out: dict[str, int]
    focus: str | None
    layout: str
    labels_shown: int = 0
    color: str = "label"

    @property
    def nodes_left_out(self) -> int:
        """How many nodes of the graph the view does not show."""
        return self.nodes_total - self.nodes_shown

    def describe(self) -> str:
        """One sentence for people: what is shown, what is left out and why.

        >>> why = {"nodes more than 1 hop from LoRA": 6}
        >>> s = ViewSummary(Path("v.html"), 10, 12, 4, 3, why, None, "precomputed")
        >>> s.describe()
        'Showing 4 of 10 nodes and 3 of 12 edges. Left out: 6 nodes more than 1 hop from LoRA.'
        """
        text = (
            f"Showing {self.nodes_shown} of {self.nodes_total} nodes and "
            f"{self.edges_shown} of {self.edges_total} edges."
        )
        if self.left_out:
            parts = [f"{n} {_singular(why) if n == 1 else why}" for why, n in self.left_out.items()]
            text += " Left out: " + "; ".join(parts) + "."
        return text


def _singular(why: str) -> str:
    for plural, one in (("nodes ", "node "), ("papers ", "paper ")):
        if why.startswith(plural):
            return one + why[len(plural) :]
    return why


# ----------------------------------------------------------------------------- names


def display_name(graph: nx.MultiDiGraph, node: str) -> str:
    """The name a person reads for ``node``: its title or name, else its id without prefix.

    >>> g = nx.MultiDiGraph(); g.add_node("paper:ref:fu-etal-2018", label="Paper", stub=True)
    >>> display_name(g, "paper:ref:fu-etal-2018")
    'fu-etal-2018'
    """
    data = graph.nodes[node]
    for key in ("title", "name"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    text = str(node)
    if text.startswith("paper:"):
        text = text.split(":", 2)[-1]
    elif ":" in text:
        text = text.split(":", 1)[1]
    return text


def paper_year(data: dict) -> int | None:
    """The year of a paper's attributes: ``year``, else the first 4 digits of ``published``.

    >>> paper_year({"published": "2024-05-03"}), paper_year({"year": 2021}), paper_year({})
    (2024, 2021, None)
    """
    year = data.get("year")
    if isinstance(year, int) and not isinstance(year, bool):
        return year
    published = data.get("published")
    if isinstance(published, str):
        m = re.match(r"\s*(\d{4})", published)
        if m:
            return int(m.group(1))
    return None


def find_node(graph: nx.MultiDiGraph, query: str, *, what: str = "focus") -> str:
    """The node ``query`` names: a node id, or a title, name or alias (exact, any case).

    Raises :class:`NodeNotFoundError` (with close names) or :class:`AmbiguousNodeError`.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("method:lora", label="Method", name="LoRA", aliases=["Low-Rank Adaptation"])
    >>> find_node(g, "method:lora"), find_node(g, "low-rank adaptation")
    ('method:lora', 'method:lora')
    """
    if query in graph:
        return query
    wanted = query.strip().casefold()
    hits = []
    for node, data in graph.nodes(data=True):
        names = [data.get("title"), data.get("name"), *(data.get("aliases") or [])]
        if any(isinstance(n, str) and n.strip().casefold() == wanted for n in names):
            hits.append(node)
    if not hits:
        hits = [n for n in graph if str(n).casefold() == wanted]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise AmbiguousNodeError(query, sorted(map(str, hits)), what=what)
    close = _close_names(graph, wanted)
    hint = f"; close names: {', '.join(close)}" if close else ""
    raise NodeNotFoundError(f"{what} {query!r} is not a node id, title, name or alias of the graph{hint}")


def _close_names(graph: nx.MultiDiGraph, wanted: str, limit: int = 5) -> list[str]:
    try:
        from rapidfuzz import fuzz, process
    except ImportError:  # pragma: no cover - rapidfuzz is a dependency
        return []
    names = {}
    for node in graph:
        names[display_name(graph, node).casefold()] = node
    found = process.extract(wanted, list(names), scorer=fuzz.WRatio, limit=limit, score_cutoff=80)
    return [f"{names[name]} ({name})" for name, _score, _i in found]


# ----------------------------------------------------------------------------- selection


def _pagerank(graph: nx.MultiDiGraph) -> dict[str, float]:
    """PageRank with every edge read both ways, so that a top-N view stays connected
    (on the directed graph the rank flows to methods and cited works only)."""
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    simple.add_edges_from((u, v) for u, v, _k in graph.edges(keys=True) if u != v)
    if simple.number_of_nodes() == 0:
        return {}
    return nx.pagerank(simple)


def select_view(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 1,
    top: int | None = None,
    rank: str = "degree",
    labels: Iterable[str] | None = None,
    years: tuple[int, int] | None = None,
    max_nodes: int | None = None,
) -> ViewSelection:
    """Choose the nodes of a view, in this order: labels, years, focus + hops, top N, cap.

    The focus node is always kept. ``max_nodes`` caps a view that no ``top`` chose: past it,
    the nodes with the highest ``rank`` are kept and the rest counted as left out. A year
    filter keeps papers whose year is in the range (both ends included) and the other nodes
    that still touch one of them. Nodes come in id order.

    >>> g = nx.MultiDiGraph()
    >>> for i in range(4): g.add_node(f"paper:t:{i}", label="Paper", year=2020 + i)
    >>> g.add_node("method:m", label="Method", name="M")
    >>> for i in range(4): _ = g.add_edge(f"paper:t:{i}", "method:m", key="USES_METHOD", type="USES_METHOD")
    >>> sel = select_view(g, years=(2021, 2022))
    >>> sorted(sel.nodes), sel.left_out
    (['method:m', 'paper:t:1', 'paper:t:2'], {'papers outside 2021-2022': 2})
    """
    if hops < 0:
        raise ViewError(f"hops is {hops}; expected 0 or more")
    if top is not None and top < 1:
        raise ViewError(f"top is {top}; expected 1 or more")
    if rank not in ("degree", "pagerank"):
        raise ViewError(f"rank {rank!r} is unknown; expected 'degree' or 'pagerank'")
    focus_id = find_node(graph, focus) if focus is not None else None
    # None: every node of the graph (a build's capped view takes no set of a whole graph's ids)
    keep: set | None = None
    left_out: dict[str, int] = {}

    def kept() -> set:
        nonlocal keep
        if keep is None:
            keep = set(graph.nodes)
        return keep

    def drop(nodes: set[str], why: str) -> None:
        nodes = nodes - ({focus_id} if focus_id else set())
        nodes &= kept()
        if nodes:
            kept().difference_update(nodes)
            left_out[why] = left_out.get(why, 0) + len(nodes)

    if labels is not None:
        wanted = {check_label(label) for label in labels}
        if wanted:
            drop(
                {n for n in kept() if graph.nodes[n].get("label") not in wanted},
                f"nodes with labels other than {', '.join(sorted(wanted))}",
            )
    if years is not None:
        lo, hi = years
        if lo > hi:
            raise ViewError(f"year range {lo}-{hi} is empty; expected FIRST-LAST with FIRST <= LAST")
        papers = {n for n in kept() if graph.nodes[n].get("label") == "Paper"}
        no_year = {n for n in papers if paper_year(graph.nodes[n]) is None}
        outside = {n for n in papers - no_year if not lo <= paper_year(graph.nodes[n]) <= hi}
        drop(outside, f"papers outside {lo}-{hi}")
        drop(no_year, "papers without a year (year filter on)")
        kept_papers = papers & kept()
        lonely = set()
        for n in kept() - papers:
            if not any(m in kept_papers for m in nx.all_neighbors(graph, n)):
                lonely.add(n)
        drop(lonely, f"nodes not linked to a paper of {lo}-{hi}")
    if focus_id is not None:
        sub = graph.subgraph(kept()).to_undirected(as_view=True)
        near = nx.single_source_shortest_path_length(sub, focus_id, cutoff=hops)
        name = display_name(graph, focus_id)
        drop(kept() - set(near), f"nodes more than {hops} {'hop' if hops == 1 else 'hops'} from {name}")

    def best(n_best: int, why: str, grow: bool = False) -> None:
        nonlocal keep
        # a subgraph view filters every lookup: over the whole graph (a build's capped view)
        # it made the selection twenty times slower than the layout
        sub = graph if keep is None else graph.subgraph(keep)
        ranked = _Ranked(sub, rank)
        if grow:
            start = ranked.index[focus_id] if focus_id is not None else None
            picked = ranked.grow(n_best, start=start)
        else:
            picked = ranked.order[:n_best].tolist()
        chosen = {ranked.nodes[i] for i in picked}
        if focus_id is not None and focus_id not in chosen:
            chosen.discard(ranked.nodes[picked[n_best - 1]])
            chosen.add(focus_id)
        total = len(ranked.nodes)
        del ranked, sub
        if keep is None:  # every node but the chosen ones (the focus is among them)
            if total > len(chosen):
                left_out[why] = left_out.get(why, 0) + total - len(chosen)
            keep = chosen
        else:
            drop(keep - chosen, why)

    n_kept = graph.number_of_nodes() if keep is None else len(keep)
    if top is not None and n_kept > top:
        best(top, f"nodes not in the top {top} by {rank}")
    elif top is None and max_nodes is not None and n_kept > max_nodes:
        best(
            max_nodes,
            f"nodes past the view's cap of {max_nodes} (it shows the dense core and what links to it)",
            grow=True,
        )
    order = sorted(kept(), key=str)
    return ViewSelection(nodes=order, focus=focus_id, left_out=left_out)


class _Ranked:
    """The nodes of ``sub`` in id order, ranked by ``rank`` (``order``: their indices, the best
    first, ties in id order), and the undirected simple graph between them as integer arrays.

    Everything over a whole build's graph is held in arrays (4-8 bytes a node or an edge), not in
    dicts and sets of its ids: a capped view's selection runs while that graph is in memory.
    """

    def __init__(self, sub: nx.MultiDiGraph, rank: str) -> None:
        self.nodes = sorted(sub, key=str)
        n = len(self.nodes)
        self.index = dict(zip(self.nodes, range(n), strict=True))
        index = self.index
        # every edge's ends (an edge's key and data are not needed), as indices: each pair of
        # nodes once with its number of edges, repeated (edge_ends reads NetworkX's own dicts)
        src: list[int] = []
        dst: list[int] = []
        counts: list[int] = []
        for u, v, c in edge_ends(sub):
            src.append(index[u])
            dst.append(index[v])
            counts.append(c)
        ends = np.repeat(np.array([src, dst], dtype=np.int32).T, np.array(counts, dtype=np.int64), axis=0)
        del src, dst, counts
        if rank == "degree":  # a MultiDiGraph's degree: its edges out and in (a loop twice)
            score = np.bincount(ends[:, 0], minlength=n) + np.bincount(ends[:, 1], minlength=n)
        else:
            pr = _pagerank(sub)
            score = np.fromiter((pr.get(x, 0.0) for x in self.nodes), dtype=np.float64, count=n)
        # the best first, ties in id order: what sorting by (-score, id) gives
        self.order = np.argsort(-score, kind="stable")
        del score
        # the distinct undirected pairs, no loops: (lower, higher) as one int64 key each
        lo = np.minimum(ends[:, 0], ends[:, 1]).astype(np.int64)
        hi = np.maximum(ends[:, 0], ends[:, 1]).astype(np.int64)
        del ends
        pair = np.unique((lo * n + hi)[lo != hi])
        del lo, hi
        lo, hi = (pair // n).astype(np.int32), (pair % n).astype(np.int32)
        del pair
        # adjacency lists (CSR): the neighbours of i are nbrs[ptr[i]:ptr[i + 1]]
        src = np.concatenate((lo, hi))
        by = np.argsort(src, kind="stable")
        self.nbrs = np.concatenate((hi, lo))[by]
        del by
        self.ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=self.ptr[1:])

    def neighbours(self, i: int) -> np.ndarray:
        return self.nbrs[self.ptr[i] : self.ptr[i + 1]]

    def two_core(self) -> np.ndarray:
        """Whether each node is in the 2-core (every node of it has two neighbours in it):
        nodes with fewer than two neighbours left are taken away, round by round."""
        size = np.diff(self.ptr)
        degree = size.copy()
        alive = np.ones(len(self.nodes), dtype=bool)
        todo = np.flatnonzero(degree < 2)
        while todo.size:
            alive[todo] = False
            starts, counts = self.ptr[todo], size[todo]
            total = int(counts.sum())
            if not total:
                break
            # the positions of the taken nodes' neighbours in nbrs, all at once
            at = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
            near = self.nbrs[at]
            near, times = np.unique(near[alive[near]], return_counts=True)
            degree[near] -= times
            todo = near[degree[near] < 2]
        return alive

    def grow(self, limit: int, start: int | None = None) -> list[int]:
        """``limit`` nodes that hang together: the nodes of the 2-core (best first), then, best
        first, the nodes that link to those already taken; when nothing more links, the best
        node left starts a new part. A hub whose links all end in leaves (a paper citing works
        cited nowhere else) would otherwise fill a capped view with unconnected dots. With a
        ``start`` (the focus), the view grows from it instead, best first."""
        import heapq

        n = len(self.nodes)
        place = np.empty(n, dtype=np.int64)  # each node's place in order: the frontier's key
        place[self.order] = np.arange(n)
        taken: list[int] = []
        seen = np.zeros(n, dtype=bool)
        frontier: list[int] = []

        def take(i: int) -> None:
            taken.append(i)
            seen[i] = True
            near = self.neighbours(i)
            for p in place[near[~seen[near]]].tolist():
                heapq.heappush(frontier, p)

        if start is not None:
            take(start)
        else:
            core = self.two_core()
            for i in self.order[core[self.order]][:limit].tolist():
                take(i)
        order = self.order
        rest = 0  # the best node not taken is at order[rest] or after
        while len(taken) < limit:
            while frontier and seen[order[frontier[0]]]:
                heapq.heappop(frontier)
            if frontier:
                take(int(order[heapq.heappop(frontier)]))
                continue
            while rest < n and seen[order[rest]]:
                rest += 1
            if rest == n:
                break
            take(int(order[rest]))
        return taken


# ----------------------------------------------------------------------------- layout

#: the box (layout units) a view is laid out in; vis-network's fit() shows it at about 1:1 on a
#: 1,100 x 900 pixel canvas, so the label sizes chosen here are about their size on screen
BOX_WIDTH = 1000.0
BOX_HEIGHT = 820.0


class _IgraphSeed:
    """igraph draws from one global random generator: give it a seeded one for a block, then
    put the previous one back (so layouts and communities are deterministic)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __enter__(self) -> None:
        import random

        import igraph

        igraph.set_random_number_generator(random.Random(self.seed))

    def __exit__(self, *exc: object) -> None:
        import random

        import igraph

        igraph.set_random_number_generator(random)


def _simple_graph(graph: nx.Graph) -> tuple[list, list[tuple[int, int]]]:
    """Nodes in id order and the undirected edges between them (once each, no loops)."""
    nodes = sorted(graph, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    edges = {
        (min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v
    }
    return nodes, sorted(edges)


def _component_layout(n: int, edges: list[tuple[int, int]], rng: np.random.Generator) -> np.ndarray:
    """Force-directed positions of one connected part (igraph's Fruchterman-Reingold in C, with
    its grid approximation above 1,000 nodes, so a layout stays near-linear in the nodes)."""
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]])
    import igraph

    g = igraph.Graph(n=n, edges=edges)
    start = rng.random((n, 2)) * math.sqrt(n)
    niter = 500 if n <= 1000 else 200
    layout = g.layout_fruchterman_reingold(
        seed=start.tolist(), niter=niter, grid="grid" if n > 1000 else "nogrid"
    )
    return np.array(layout.coords, dtype=float)


def layout_positions(
    graph: nx.Graph, *, seed: int = 7, width: float = BOX_WIDTH, height: float = BOX_HEIGHT
) -> dict[str, tuple[float, float]]:
    """Fixed x/y positions for every node, inside a ``width`` x ``height`` box.

    Each connected part is laid out force-directed (igraph), scaled to an area in proportion
    to its nodes, and the parts are packed in rows, largest first. The same graph gives the
    same positions, whatever the order its nodes and edges were added in.

    >>> pos = layout_positions(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and all(len(p) == 2 for p in pos.values())
    True
    >>> pos == layout_positions(nx.path_graph(3))
    True
    """
    nodes, edges = _simple_graph(graph)
    if not nodes:
        return {}
    rng = np.random.default_rng(seed)
    adjacency: list[list[int]] = [[] for _ in nodes]
    for a, b in edges:
        adjacency[a].append(b)
        adjacency[b].append(a)
    # connected parts, each as sorted node indices; largest first, ties by first index
    seen = np.zeros(len(nodes), dtype=bool)
    parts: list[list[int]] = []
    for s in range(len(nodes)):
        if seen[s]:
            continue
        seen[s] = True
        stack, part = [s], []
        while stack:
            v = stack.pop()
            part.append(v)
            for w in adjacency[v]:
                if not seen[w]:
                    seen[w] = True
                    stack.append(w)
        parts.append(sorted(part))
    parts.sort(key=lambda p: (-len(p), p[0]))
    unit = 1.0  # the spacing of nodes inside a part
    placed: list[tuple[list[int], np.ndarray]] = []
    with _IgraphSeed(seed):
        for part in parts:
            local = {v: i for i, v in enumerate(part)}
            part_edges = [(local[a], local[b]) for a in part for b in adjacency[a] if a < b]
            pos = _component_layout(len(part), part_edges, rng)
            pos -= pos.min(axis=0)
            span = float(max(pos.max(), 1e-9))
            side = unit * math.sqrt(len(part)) * 1.3
            pos = pos / span * side if len(part) > 1 else pos
            placed.append((part, pos))
    # shelf packing towards the box's aspect ratio
    gap = unit * 1.2
    area = sum((p.max(axis=0)[0] + gap) * (p.max(axis=0)[1] + gap) for _, p in placed)
    row_width = max(float(placed[0][1].max(axis=0)[0]), math.sqrt(area * width / height))
    coords = np.zeros((len(nodes), 2))
    x0 = y0 = row_height = 0.0
    for part, pos in placed:
        w, h = (float(v) for v in pos.max(axis=0))
        if x0 > 0 and x0 + w > row_width:
            x0, y0, row_height = 0.0, y0 + row_height + gap, 0.0
        coords[part] = pos + (x0, y0)
        x0 += w + gap
        row_height = max(row_height, h)
    coords -= coords.min(axis=0)
    extent = coords.max(axis=0)
    scale = min(width / max(float(extent[0]), 1e-9), height / max(float(extent[1]), 1e-9))
    if len(nodes) == 1:
        scale = 0.0
    coords = coords * scale - extent * scale / 2
    return {
        node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, coords, strict=True)
    }


#: the free space kept between two dots (layout units, about pixels at the first zoom)
DOT_GAP = 2.0
#: rounds of :func:`separate_dots`; each moves every overlapping pair apart
SEPARATE_ROUNDS = 500
#: views of up to this many nodes get their dots moved apart (a capped view has 1,000). In a
#: bigger view, asked for with ``--top N`` or ``--all``, the crowded cores of a force layout
#: take more rounds than a view should cost (measured on a 20k-record build's graph: 1,000
#: nodes 0.6 CPU-s, none left overlapping; 2,000 nodes 3 CPU-s, 5 left; 3,000 nodes 6 CPU-s,
#: 1,050 left), so their dots stay where the layout put them
SEPARATE_MAX_NODES = 2000


def separate_dots(
    positions: dict[str, tuple[float, float]],
    radius: dict[str, float],
    *,
    gap: float = DOT_GAP,
    width: float = BOX_WIDTH,
    height: float = BOX_HEIGHT,
    rounds: int = SEPARATE_ROUNDS,
) -> dict[str, tuple[float, float]]:
    """``positions`` moved so that no two dots overlap: ``radius`` is each dot's size, and two
    dots keep about ``gap`` between their edges (at least half of it). A force layout places
    points, not discs: drawn with sizes by importance, a hub covers the nodes around it, and a
    pointer on one hits the other.

    Each round moves every pair that is too close apart along the line between them, the
    smaller dot the further (a hub stays about where the layout put it); centres stay inside
    the ``width`` x ``height`` box. The pairs to check come from scipy's k-d tree (near-linear),
    found again only once some dot has moved far enough to meet a new one. It ends when no pair
    is too close, or after ``rounds``. Deterministic: the same input gives the same output.

    >>> pos = separate_dots({"a": (0.0, 0.0), "b": (1.0, 0.0)}, {"a": 10.0, "b": 5.0})
    >>> pos["b"][0] - pos["a"][0] >= 10.0 + 5.0 + DOT_GAP / 2
    True
    """
    from scipy.spatial import cKDTree

    names = list(positions)
    if len(names) < 2:
        return dict(positions)
    xy = np.array([positions[n] for n in names], dtype=float)
    r = np.array([radius[n] for n in names], dtype=float)
    margin = 4.0 * gap + 4.0  # how far dots may move before the pairs are looked for again
    reach = 2.0 * float(r.max()) + gap + margin
    half = np.array([width / 2, height / 2])
    moved = np.full(len(xy), np.inf)  # since the pairs were found
    for _ in range(rounds):
        if moved.max() * 2 > margin:
            pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray")
            if len(pairs) == 0:
                break
            # k-d tree's order is fixed by its input: the same positions, the same sums below
            i_all, j_all = pairs[:, 0], pairs[:, 1]
            need_all = r[i_all] + r[j_all] + gap
            moved[:] = 0.0
        delta = xy[j_all] - xy[i_all]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        close = dist < need_all - gap / 2
        if not close.any():
            break
        i, j, delta, dist, need = i_all[close], j_all[close], delta[close], dist[close], need_all[close]
        # two dots on one spot: apart along a direction fixed by their indices
        same = dist < 1e-9
        angle = (i[same] * 7 + j[same] * 13) % 360 * (math.pi / 180)
        delta[same] = np.column_stack((np.cos(angle), np.sin(angle)))
        dist[same] = 1.0
        push = (need - dist)[:, None] * delta / dist[:, None]
        share_j = (r[i] / (r[i] + r[j]))[:, None]  # the smaller dot moves the more
        move = np.zeros_like(xy)
        np.add.at(move, j, push * share_j)
        np.add.at(move, i, -push * (1.0 - share_j))
        new = np.clip(xy + move, -half, half)
        moved += np.hypot(*(new - xy).T)
        xy = new
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(names, xy, strict=True)}


# ----------------------------------------------------------------------------- communities

#: Paul Tol's "muted" scheme: nine colours that colour-blind readers tell apart
COMMUNITY_COLORS = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
)
_SMALL_COMMUNITY_COLOR = "#DDDDDD"


def communities(graph: nx.Graph, *, seed: int = 7) -> list[list[str]]:
    """Louvain communities of ``graph`` (edges read both ways), largest first, each sorted.

    Deterministic: igraph's multilevel (Louvain) method run on the nodes in id order with a
    seeded random generator.

    >>> g = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> communities(g)
    [[0, 1, 2, 3], [4, 5, 6]]
    """
    import igraph

    nodes, edges = _simple_graph(graph)
    if not nodes:
        return []
    with _IgraphSeed(seed):
        parts = igraph.Graph(n=len(nodes), edges=edges).community_multilevel()
    found = [sorted((nodes[i] for i in part), key=str) for part in parts]
    return sorted(found, key=lambda c: (-len(c), str(c[0])))


# ----------------------------------------------------------------------------- labels

#: label font sizes (layout units, about pixels at the first zoom): the labelled nodes get
#: LABEL_MIN..LABEL_MAX by importance; the others LABEL_HIDDEN, under vis-network's
#: drawThreshold, so they appear once a person zooms in
LABEL_MIN, LABEL_MAX, LABEL_HIDDEN, DRAW_THRESHOLD = 12.0, 20.0, 6.0, 9.0

_NARROW = set("iljtfrI.,:;'!|() -")
_WIDE = set("mwMWOQGDHNU@%&")


def text_width(text: str, size: float) -> float:
    """A generous estimate of ``text``'s width at font ``size`` in a common sans-serif font
    (DejaVu Sans, the widest of the usual ones), so that labels kept apart here stay apart.

    >>> text_width("LoRA", 10) > text_width("ill", 10)
    True
    """
    total = 0.0
    for ch in text:
        if ch in _NARROW:
            total += 0.36
        elif ch in _WIDE or ch.isupper():
            total += 0.78
        else:
            total += 0.64
    return total * size


def short_label(name: str, kind: str, limit: int = 28) -> str:
    """A short label: a paper's title up to its colon (``"LoRA: Low-Rank ..."`` -> ``"LoRA"``)
    when that part is a name, else the first words; any text cut to ``limit`` characters.

    >>> short_label("LoRA: Low-Rank Adaptation of Large Language Models", "Paper")
    'LoRA'
    >>> short_label("Attention Is All You Need For Everything We Ever Wanted", "Paper")
    'Attention Is All You Need…'
    >>> short_label("ImageNet", "Dataset")
    'ImageNet'
    """
    name = " ".join(name.split())
    if kind == "Paper":
        head = name.split(":", 1)[0].strip()
        if ":" in name and 2 <= len(head) <= limit:
            return head
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "\u2026"


#: how many of the most important nodes (the hubs a view must label) no label may cover, even
#: before they are labelled; reserving more leaves a crowded hub no free line for its own label
_HUB_DOTS = 5


def place_labels(
    order: list[str],
    positions: dict[str, tuple[float, float]],
    radius: dict[str, float],
    texts: dict[str, str],
    sizes: dict[str, float],
    *,
    limit: int = 80,
) -> dict[str, float]:
    """Greedy label placement: in ``order`` (most important first), keep a node's label if its
    box, below or else above the node (or one or two lines further), overlaps no label kept before and
    no kept node's dot, nor the dot of one of the first few nodes (the hubs).

    Returns, for each kept node, the vertical shift of its label (0: below the dot, as
    vis-network draws it; negative: above). Boxes are in layout units, which vis-network
    scales with the zoom, so labels apart at one zoom are apart at all.

    >>> pos = {"a": (0.0, 0.0), "b": (5.0, 0.0), "c": (400.0, 0.0)}
    >>> r = {"a": 5.0, "b": 5.0, "c": 5.0}
    >>> t = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
    >>> place_labels(["a", "b", "c"], pos, r, t, {"a": 12, "b": 12, "c": 12})
    {'a': 0.0, 'b': -37.0, 'c': 0.0}
    """
    boxes: list[tuple[float, float, float, float]] = []
    # the dots of the labelled nodes, and from the start those of the first few (the hubs),
    # so that no earlier label covers a hub and leaves it without its own
    dots: list[tuple[float, float, float, float]] = [
        (positions[n][0] - radius[n], positions[n][1] - radius[n],
         positions[n][0] + radius[n], positions[n][1] + radius[n]) for n in order[:_HUB_DOTS]]
    kept: dict[str, float] = {}

    def free(box: tuple[float, float, float, float], own: tuple[float, float, float, float]) -> bool:
        x1, y1, x2, y2 = box
        for bx1, by1, bx2, by2 in (*boxes, *dots):
            if x1 < bx2 and bx1 < x2 and y1 < by2 and by1 < y2:
                return False
        ox1, oy1, ox2, oy2 = own  # nor may it cover the dot of a node labelled before
        return not any(
            ox1 < bx2 and bx1 < ox2 and oy1 < by2 and by1 < oy2 for bx1, by1, bx2, by2 in boxes
        )

    for node in order:
        if len(kept) >= limit:
            break
        x, y = positions[node]
        r = radius[node]
        own = (x - r, y - r, x + r, y + r)
        for size in (sizes[node],):
            w = text_width(texts[node], size) + 6
            # vis-network draws a label's box from about 10-12.5 units below the dot's edge
            below = (x - w / 2, y + r + 8, x + w / 2, y + r + 14 + size)
            shift = -(2 * r + size + 15)
            above = (below[0], below[1] + shift, below[2], below[3] + shift)
            step = size + 8  # one line further below or above, past a neighbour's dot
            tries = [(below, 0.0), (above, shift)] + [
                ((b[0], b[1] + v, b[2], b[3] + v), v0 + v)
                for k in range(1, 5) for b, v0, v in ((below, 0.0, k * step), (above, shift, -k * step))]
            placed = next(((box, v) for box, v in tries if free(box, own)), None)
            if placed is not None:
                boxes.append(placed[0])
                dots.append(own)
                kept[node] = round(placed[1], 1)
                sizes[node] = size
                break
    return kept


# ----------------------------------------------------------------------------- page data


def _safe_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) URL, else ``None`` (no ``javascript:``, no ``data:``).

    >>> _safe_url("https://arxiv.org/abs/1"), _safe_url("javascript:alert(1)"), _safe_url(" JaVaScRiPt:x")
    ('https://arxiv.org/abs/1', None, None)
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in url for c in "\x00\n\r\t<>\"'` "):
        return None
    return url


def _links(graph: nx.MultiDiGraph, node: str, data: dict) -> list[dict[str, str]]:
    links: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(text: str, url: str | None) -> None:
        if url and url not in seen:
            seen.add(url)
            links.append({"text": text, "url": url})

    arxiv = data.get("arxiv_id")
    if isinstance(arxiv, str) and re.fullmatch(r"[\w.\-/]+", arxiv.strip()):
        add(f"arXiv {arxiv.strip()}", f"https://arxiv.org/abs/{quote(arxiv.strip(), safe='/.')}")
    doi = data.get("doi")
    if isinstance(doi, str) and doi.strip().startswith("10."):
        add(f"DOI {doi.strip()}", f"https://doi.org/{quote(doi.strip(), safe='/.;:()-_')}")
    url = _safe_url(data.get("url"))
    if url:
        host = urlsplit(url).netloc.lower()
        text = "GitHub" if host.endswith("github.com") else "arXiv" if "arxiv.org" in host else host
        if data.get("label") == "Repository" and isinstance(data.get("name"), str):
            text = f"{text} {data['name']}"
        add(text, url)
    if data.get("label") == "Paper":
        for _u, repo, key in graph.out_edges(node, keys=True):
            if key == "HAS_CODE":
                rdata = graph.nodes[repo]
                rurl = _safe_url(rdata.get("url"))
                if rurl:
                    add(f"Code: {rdata.get('name') or display_name(graph, repo)}", rurl)
    return links


def _node_record(graph: nx.MultiDiGraph, node: str, degree: int) -> dict:
    data = graph.nodes[node]
    kind = data.get("label") if data.get("label") in LABELS else "Other"
    name = display_name(graph, node)
    stub = bool(data.get("stub"))
    record: dict = {
        "id": str(node),
        "kind": kind,
        "name": name,
        "short": short_label(name, kind),
        "shape": LABEL_SHAPES.get(kind, "dot"),
        "degree": degree,
    }
    if stub:
        record["stub"] = True
    facts: list[list[str]] = []
    if kind == "Paper":
        date = data.get("published") or (str(data["year"]) if "year" in data else None)
        if date:
            record["date"] = str(date)
        authors = sorted(
            (
                (d.get("position", 1_000_000), display_name(graph, a))
                for a, _p, k, d in graph.in_edges(node, keys=True, data=True)
                if k == "AUTHORED"
            ),
            key=lambda pair: (pair[0] if isinstance(pair[0], int) else 1_000_000, pair[1]),
        )
        if authors:
            names = [a for _pos, a in authors]
            record["authors"] = names[:10] + ([f"and {len(names) - 10} more"] if len(names) > 10 else [])
        if isinstance(data.get("author_count"), int):
            record["author_count"] = data["author_count"]
        if isinstance(data.get("upvotes"), int):
            facts.append(["Upvotes", str(data["upvotes"])])
        if stub:
            facts.append(["Cited work", "known only from citations"])
    else:
        aliases = [a for a in data.get("aliases") or [] if isinstance(a, str) and a != name]
        if aliases:
            facts.append(["Also", ", ".join(aliases[:8])])
        if kind in ("Method", "Dataset", "Repository", "Venue", "Author"):
            node_data = getattr(graph, "_node", None) or graph.nodes  # no view per neighbour of a hub
            papers = {p for p in nx.all_neighbors(graph, node) if node_data[p].get("label") == "Paper"}
            facts.append(["Papers", str(len(papers))])
    facts.append(["Links in graph", str(degree)])
    record["facts"] = facts
    links = _links(graph, node, data)
    if links:
        record["links"] = links
    return record


def _edge_record(u: str, v: str, key: object, data: dict) -> dict:
    record = {"from": str(u), "to": str(v), "type": str(data.get("type", key))}
    for prop in ("evidence", "provenance", "text"):
        value = data.get(prop)
        if isinstance(value, str) and value:
            record[prop] = value if len(value) <= 400 else value[:399] + "\u2026"
    return record


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def embed_json(value: object) -> str:
    """JSON that is safe inside an HTML ``<script>`` element: no ``<``, ``>``, ``&``, U+2028/9.

    >>> embed_json({"t": "</script><b>&"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def _vis_assets() -> tuple[str, str]:
    """The vis-network script and style that the pyvis package ships (read, never fetched)."""
    import pyvis

    base = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    js = (base / "vis-network.min.js").read_text(encoding="utf-8")
    css = (base / "vis-network.css").read_text(encoding="utf-8")
    # a library text never closes our script or style element early
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def _asset(name: str) -> str:
    return resources.files("kg").joinpath("assets", name).read_text(encoding="utf-8")


def render_page(title: str, summary_text: str, payload: dict) -> str:
    """The HTML page: kg's Jinja template with autoescape, assets inline, data as safe JSON."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_asset("view.html.j2"))
    vis_js, vis_css = _vis_assets()
    return template.render(
        title=title,
        summary_text=summary_text,
        data_json=Markup(embed_json(payload)),
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        kg_js=Markup(_asset("view.js").replace("</script", "<\\/script")),
        kg_css=Markup(_asset("view.css").replace("</style", "<\\/style")),
    )


# ----------------------------------------------------------------------------- write


def _importance(graph: nx.MultiDiGraph, nodes: list[str], rank: str) -> dict[str, float]:
    """How much each shown node matters, for its size and its label: its degree in the whole
    graph, or its PageRank in the view (``rank="pagerank"``)."""
    if rank == "pagerank":
        pr = _pagerank(graph.subgraph(nodes))
        return {n: pr.get(n, 0.0) for n in nodes}
    return {n: float(d) for n, d in graph.degree(nodes)}


def write_view(
    graph: nx.MultiDiGraph,
    path: str | os.PathLike,
    *,
    focus: str | None = None,
    hops: int = 1,
    top: int | None = None,
    rank: str = "degree",
    labels: Iterable[str] | None = None,
    years: tuple[int, int] | None = None,
    title: str | None = None,
    color: str = "label",
    max_nodes: int | None = VIEW_CAP,
    max_labels: int = 80,
) -> ViewSummary:
    """Write an interactive HTML view of ``graph`` (or of a part of it) to ``path``.

    ``focus`` (a node id, or a title/name/alias) with ``hops`` keeps its neighbourhood;
    ``top`` keeps the N nodes with the highest ``rank`` (``degree`` or ``pagerank``);
    ``labels`` keeps those labels; ``years`` keeps papers of those years (both included).
    Without ``top``, a view shows at most ``max_nodes`` nodes (the best-connected; ``None``
    for no cap). ``color`` is ``"label"`` (one colour per schema label) or ``"community"``
    (Louvain communities, named in the legend by their best-connected members).

    The layout is computed here, the same for the same graph (no physics in the page); the
    ``max_labels`` most important nodes that have room get a label sized by importance (the
    focus and its neighbours first), the others show theirs when a person zooms in. The
    page is the same, byte for byte, for the same graph and arguments. The folder of
    ``path`` must exist. Returns a :class:`ViewSummary`; the page says the same in its header.
    It is :func:`prepare_view` (what needs the whole graph), then :meth:`PreparedView.write`.
    """
    _check_options(color, max_nodes)
    out = Path(path)
    if not out.parent.is_dir():
        raise ViewError(f"{out}: the folder {out.parent} does not exist; create it first")
    prepared = prepare_view(graph, focus=focus, hops=hops, top=top, rank=rank, labels=labels, years=years,
                            title=title, color=color, max_nodes=max_nodes, max_labels=max_labels)
    return prepared.write(out)


def _check_options(color: str, max_nodes: int | None) -> None:
    if color not in ("label", "community"):
        raise ViewError(f"color {color!r} is unknown; expected 'label' or 'community'")
    if max_nodes is not None and max_nodes < 1:
        raise ViewError(f"max_nodes is {max_nodes}; expected 1 or more, or None for no cap")


@dataclass
class PreparedView:
    """Everything a view takes from its graph: the chosen nodes' records (their facts and
    links, the names of their authors), the edges between them, their degree in the whole graph
    and their importance. It holds no reference to the graph, so a caller that is done with
    a large graph can let it go before :meth:`write` lays the view out and writes the page."""

    title: str
    selection: ViewSelection
    records: list[dict]
    edges: list[tuple[str, str, str, dict]]
    links: list[tuple]
    importance: dict[str, float]
    near_focus: set[str]
    nodes_total: int
    edges_total: int
    color: str
    max_labels: int

    def write(self, path: str | os.PathLike) -> ViewSummary:
        """Lay the view out and write its page to ``path`` (its folder must exist)."""
        out = Path(path)
        if not out.parent.is_dir():
            raise ViewError(f"{out}: the folder {out.parent} does not exist; create it first")
        return _draw(self, out)


def prepare_view(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 1,
    top: int | None = None,
    rank: str = "degree",
    labels: Iterable[str] | None = None,
    years: tuple[int, int] | None = None,
    title: str | None = None,
    color: str = "label",
    max_nodes: int | None = VIEW_CAP,
    max_labels: int = 80,
) -> PreparedView:
    """Choose a view's nodes and take from ``graph`` what drawing them needs (the arguments
    are :func:`write_view`'s); :meth:`PreparedView.write` then writes the page.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("method:lora", label="Method", name="LoRA")
    >>> prepared = prepare_view(g)
    >>> del g  # the prepared view does not need the graph any more
    >>> [r["name"] for r in prepared.records], prepared.nodes_total
    (['LoRA'], 1)
    """
    _check_options(color, max_nodes)
    labels = list(labels) if labels is not None else None
    selection = select_view(
        graph, focus=focus, hops=hops, top=top, rank=rank, labels=labels, years=years, max_nodes=max_nodes
    )
    nodes_order = selection.nodes
    sub = graph.subgraph(nodes_order)
    edges = sorted(
        ((str(u), str(v), str(k), d) for u, v, k, d in sub.edges(keys=True, data=True)),
        key=lambda e: (e[0], e[1], e[2], embed_json(e[3])),
    )
    degrees = dict(graph.degree(nodes_order))
    importance = _importance(graph, nodes_order, rank)
    records = [_node_record(graph, n, degrees[n]) for n in nodes_order]
    near: set[str] = set()
    if selection.focus is not None:
        near = {n for n in nx.all_neighbors(graph, selection.focus) if n in sub}
    if title is None:
        title = "kg view"
        if selection.focus is not None:
            title = (
                f"kg view: {display_name(graph, selection.focus)} ({hops} {'hop' if hops == 1 else 'hops'})"
            )
    links = list(sub.edges())  # the edges' ends as the graph has them (ids need not be text)
    return PreparedView(title=title, selection=selection, records=records, edges=edges, links=links,
                        importance=importance, near_focus=near, nodes_total=graph.number_of_nodes(),
                        edges_total=edge_count(graph), color=color, max_labels=max_labels)


def _draw(view: PreparedView, out: Path) -> ViewSummary:
    """Lay out a prepared view, label and colour it, write its page to ``out``."""
    selection, importance, color = view.selection, view.importance, view.color
    nodes_order = selection.nodes
    nodes = view.records
    edges = view.edges
    # the view's own graph: its nodes and the edges between them (all the layout and the
    # communities read, in id order whatever the order here)
    sub = nx.MultiDiGraph()
    sub.add_nodes_from(nodes_order)
    sub.add_edges_from(view.links)
    positions = layout_positions(sub)

    # sizes by importance (square root, so hubs stand out without hiding the rest)
    top_score = max(importance.values(), default=0.0) or 1.0
    weight = {n: math.sqrt(importance[n] / top_score) for n in nodes_order}
    radius = {n: round(4.0 + 14.0 * weight[n], 1) for n in nodes_order}
    if len(nodes_order) <= SEPARATE_MAX_NODES:
        positions = separate_dots(positions, radius)
    font = {n: round(LABEL_MIN + (LABEL_MAX - LABEL_MIN) * weight[n], 1) for n in nodes_order}
    by_importance = sorted(nodes_order, key=lambda n: (-importance[n], str(n)))
    if selection.focus is not None:
        near = view.near_focus
        by_importance = (
            [selection.focus]
            + [n for n in by_importance if n in near and n != selection.focus]
            + [n for n in by_importance if n not in near and n != selection.focus]
        )
        font[selection.focus] = LABEL_MAX
    texts = {n: rec["short"] for n, rec in zip(nodes_order, nodes, strict=True)}
    shown_labels = place_labels(by_importance, positions, radius, texts, font, limit=view.max_labels)

    # colours and legend
    legend: list[dict] = []
    if color == "community":
        groups = communities(sub)
        record_of = dict(zip(nodes_order, nodes, strict=True))
        legend_of: dict[str, int] = {}
        small = [c for c in groups[len(COMMUNITY_COLORS) :]]
        for i, members in enumerate(groups[: len(COMMUNITY_COLORS)]):
            # a record's kind is its label when that is a schema label; its name, display_name's
            named = sorted(
                members, key=lambda n: (record_of[n]["kind"] == "Paper", -importance[n], str(n))
            )
            legend.append(
                {
                    "text": ", ".join(short_label(record_of[n]["name"], "") for n in named[:3]),
                    "color": COMMUNITY_COLORS[i],
                    "count": len(members),
                }
            )
            legend_of.update({n: i for n in members})
        if small:
            legend.append(
                {
                    "text": f"{len(small)} smaller {'community' if len(small) == 1 else 'communities'}",
                    "color": _SMALL_COMMUNITY_COLOR,
                    "count": sum(len(c) for c in small),
                }
            )
            legend_of.update({n: len(legend) - 1 for c in small for n in c})
        for n, rec in zip(nodes_order, nodes, strict=True):
            rec["legend"] = legend_of[n]
            rec["color"] = legend[legend_of[n]]["color"]
            if rec.get("stub"):
                rec["border"] = "#555555"
    else:
        counts = Counter("stub" if n.get("stub") else n["kind"] for n in nodes)
        kinds = [k for k in LABELS if counts[k]]
        entries = [(k, k, LABEL_COLORS[k]) for k in kinds]
        if counts["stub"]:
            entries.append(("stub", "Paper (cited only, stub)", _STUB_COLOR))
        if counts["Other"]:
            entries.append(("Other", "Other", _OTHER_COLOR))
        index = {}
        for key, text, colour in entries:
            index[key] = len(legend)
            item = {"text": text, "color": colour, "count": counts[key]}
            if key == "stub":
                item["border"] = _STUB_BORDER
            legend.append(item)
        for rec in nodes:
            key = "stub" if rec.get("stub") else rec["kind"]
            rec["legend"] = index[key]
            rec["color"] = legend[index[key]]["color"]
            if key == "stub":
                rec["border"] = _STUB_BORDER
    for n, rec in zip(nodes_order, nodes, strict=True):
        rec["x"], rec["y"] = positions[n]
        rec["size"] = radius[n]
        if n in shown_labels:
            rec["font"] = font[n]
            if shown_labels[n]:
                rec["vadjust"] = shown_labels[n]
        else:
            rec["font"] = LABEL_HIDDEN

    title = view.title
    summary = ViewSummary(
        path=out,
        nodes_total=view.nodes_total,
        edges_total=view.edges_total,
        nodes_shown=len(nodes),
        edges_shown=len(edges),
        left_out=dict(selection.left_out),
        focus=selection.focus,
        layout="precomputed",
        labels_shown=len(shown_labels),
        color=color,
    )
    payload = {
        "title": title,
        "nodes": nodes,
        "edges": [_edge_record(u, v, k, d) for u, v, k, d in edges],
        "legend": legend,
        "color": color,
        "shapes": [{"text": k, "shape": LABEL_SHAPES[k]} for k in LABELS],
        "focus": str(selection.focus) if selection.focus is not None else None,
        "drawThreshold": DRAW_THRESHOLD,
        "summary": summary.describe(),
    }
    html = render_page(title, summary.describe(), payload)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)
    return summary
