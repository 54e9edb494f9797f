"""The NetworkX implementation of each named query, beside its ``.cypher`` file.

Each function takes the graph and the query's parameters (already checked by
:func:`kg.queries.run_query`) and returns the rows the Cypher text returns on LadybugDB and
Neo4j: the same columns, the same order (ties broken by id), absent properties as ``None``.

"Linked to a method" means a ``USES_METHOD`` or ``INTRODUCES`` edge from the paper (the
same for datasets), as in the Cypher.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("paper:t:a", label="Paper", title="A")
>>> g.add_node("method:lora", label="Method", name="LoRA", aliases=["Low-Rank Adaptation"])
>>> _ = g.add_edge("paper:t:a", "method:lora", key="USES_METHOD", type="USES_METHOD")
>>> top_methods(g, limit=10)
[{'id': 'method:lora', 'name': 'LoRA', 'papers': 1}]
>>> papers_using_method(g, method="low-rank ADAPTATION", limit=5)
[{'id': 'paper:t:a', 'title': 'A', 'year': None}]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

__all__ = [
    "author_activity_on_method",
    "author_papers",
    "co_authors",
    "collaboration_path",
    "co_occurring_methods",
    "datasets_with_method",
    "method_trend",
    "most_cited",
    "neighbourhood",
    "paper_citations",
    "papers_using_method",
    "papers_with_code",
    "shortest_path",
    "similar_papers",
    "top_datasets",
    "top_methods",
]

Row = dict[str, Any]
METHOD_LINKS = ("USES_METHOD", "INTRODUCES")
DATASET_LINKS = ("USES_DATASET", "INTRODUCES")
SIMILARITY_LINKS = ("USES_METHOD", "USES_DATASET", "INTRODUCES", "HAS_CODE", "CITES")
MAX_PATH_HOPS = 6
MAX_COLLABORATION_HOPS = 12


def _label(g: nx.MultiDiGraph, node: str) -> str | None:
    return g.nodes[node].get("label")


def _lower(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) else None


def find(g: nx.MultiDiGraph, label: str | None, value: str, fields: Iterable[str]) -> list[str]:
    """The nodes (of ``label``, or any) whose id is ``value`` or whose ``fields`` match it.

    Matching is case-insensitive; ``aliases`` matches any alias.

    >>> g = nx.MultiDiGraph(); g.add_node("method:ppo", label="Method", name="PPO")
    >>> find(g, "Method", "ppo", ("name", "aliases"))
    ['method:ppo']
    """
    key = value.lower()
    fields = tuple(fields)
    out = []
    for node, data in g.nodes(data=True):
        if label is not None and data.get("label") != label:
            continue
        if node == value:
            out.append(node)
            continue
        for field in fields:
            v = data.get(field)
            if field == "aliases":
                if any(_lower(a) == key for a in v or ()):
                    out.append(node)
                    break
            elif _lower(v) == key:
                out.append(node)
                break
    return out


def _entity(g: nx.MultiDiGraph, label: str, value: str) -> list[str]:
    return find(g, label, value, ("name", "aliases"))


def _any_node(g: nx.MultiDiGraph, value: str) -> list[str]:
    return find(g, None, value, ("name", "title", "aliases"))


def _out(g: nx.MultiDiGraph, node: str, types: Iterable[str], label: str | None = None) -> set[str]:
    types = set(types)
    return {
        v for _, v, k in g.out_edges(node, keys=True)
        if k in types and (label is None or _label(g, v) == label)
    }


def _in(g: nx.MultiDiGraph, node: str, types: Iterable[str], label: str | None = None) -> set[str]:
    types = set(types)
    return {
        u for u, _, k in g.in_edges(node, keys=True)
        if k in types and (label is None or _label(g, u) == label)
    }


def _ranked(
    g: nx.MultiDiGraph, counts: dict[str, set], column: str, limit: int, name: str = "name"
) -> list[Row]:
    rows = [{"id": n, name: g.nodes[n].get(name), column: len(s)} for n, s in counts.items()]
    rows.sort(key=lambda r: (-r[column], r["id"]))
    return rows[:limit]


def _top(g: nx.MultiDiGraph, label: str, links: tuple[str, ...], limit: int) -> list[Row]:
    counts = {n: _in(g, n, links, "Paper") for n, d in g.nodes(data=True) if d.get("label") == label}
    return _ranked(g, {n: s for n, s in counts.items() if s}, "papers", limit)


def top_methods(g: nx.MultiDiGraph, *, limit: int) -> list[Row]:
    """The methods that the most papers use or introduce."""
    return _top(g, "Method", METHOD_LINKS, limit)


def top_datasets(g: nx.MultiDiGraph, *, limit: int) -> list[Row]:
    """The datasets that the most papers use or introduce."""
    return _top(g, "Dataset", DATASET_LINKS, limit)


def _method_papers(g: nx.MultiDiGraph, method: str) -> dict[str, set[str]]:
    return {m: _in(g, m, METHOD_LINKS, "Paper") for m in _entity(g, "Method", method)}


def papers_using_method(g: nx.MultiDiGraph, *, method: str, limit: int) -> list[Row]:
    """The papers that use or introduce a method, newest first."""
    papers = set().union(*_method_papers(g, method).values())
    rows = [{"id": p, "title": g.nodes[p].get("title"), "year": g.nodes[p].get("year")} for p in papers]
    rows.sort(key=lambda r: (-(r["year"] or 0), r["id"]))
    return rows[:limit]


def _tally(
    g: nx.MultiDiGraph, method: str, related: Callable[[str, str], set[str]]
) -> dict[str, set[str]]:
    """For each node ``related(method node, paper)`` names, the papers of the method naming it."""
    counts: dict[str, set[str]] = defaultdict(set)
    for m, papers in _method_papers(g, method).items():
        for p in papers:
            for x in related(m, p):
                counts[x].add(p)
    return counts


def co_occurring_methods(g: nx.MultiDiGraph, *, method: str, limit: int) -> list[Row]:
    """The other methods used by the papers that use a method."""
    counts = _tally(g, method, lambda m, p: _out(g, p, METHOD_LINKS, "Method") - {m})
    return _ranked(g, counts, "papers", limit)


def datasets_with_method(g: nx.MultiDiGraph, *, method: str, limit: int) -> list[Row]:
    """The datasets used by the papers that use a method."""
    counts = _tally(g, method, lambda _m, p: _out(g, p, DATASET_LINKS, "Dataset"))
    return _ranked(g, counts, "papers", limit)


def author_activity_on_method(g: nx.MultiDiGraph, *, method: str, limit: int) -> list[Row]:
    """The authors with the most papers that use or introduce a method."""
    counts = _tally(g, method, lambda _m, p: _in(g, p, ("AUTHORED",), "Author"))
    return _ranked(g, counts, "papers", limit)


def method_trend(g: nx.MultiDiGraph, *, method: str, by: str) -> list[Row]:
    """Papers per year (``by="year"``) or month (``by="month"``) for a method."""
    width = 7 if by == "month" else 4
    counts: dict[str, set[str]] = defaultdict(set)
    for papers in _method_papers(g, method).values():
        for p in papers:
            published = g.nodes[p].get("published")
            if isinstance(published, str) and len(published) >= width:
                counts[published[:width]].add(p)
    return [{"period": k, "papers": len(v)} for k, v in sorted(counts.items())]


def papers_with_code(g: nx.MultiDiGraph, *, limit: int) -> list[Row]:
    """Papers and the code repositories they link to."""
    rows = []
    for u, v, k in g.edges(keys=True):
        if k == "HAS_CODE" and _label(g, u) == "Paper" and _label(g, v) == "Repository":
            d = g.nodes[u]
            rows.append({"id": u, "title": d.get("title"), "repository": v, "url": g.nodes[v].get("url")})
    rows.sort(key=lambda r: (r["id"], r["repository"]))
    return rows[:limit]


def most_cited(g: nx.MultiDiGraph, *, limit: int) -> list[Row]:
    """The works cited by the most papers (stubs included)."""
    rows = []
    for n, d in g.nodes(data=True):
        if d.get("label") != "Paper":
            continue
        citing = _in(g, n, ("CITES",), "Paper")
        if citing:
            rows.append({
                "id": n, "title": d.get("title"), "year": d.get("year"), "stub": bool(d.get("stub", False)),
                "citations": len(citing),
            })
    rows.sort(key=lambda r: (-r["citations"], r["id"]))
    return rows[:limit]


def _papers(g: nx.MultiDiGraph, paper: str) -> list[str]:
    return find(g, "Paper", paper, ("title",))


def paper_citations(g: nx.MultiDiGraph, *, paper: str, limit: int) -> list[Row]:
    """What a paper cites."""
    rows = []
    for p in _papers(g, paper):
        for _, c, k, data in g.out_edges(p, keys=True, data=True):
            if k == "CITES" and _label(g, c) == "Paper":
                d = g.nodes[c]
                rows.append({
                    "citing": p, "id": c, "title": d.get("title"), "year": d.get("year"),
                    "stub": bool(d.get("stub", False)), "text": data.get("text"),
                })
    rows.sort(key=lambda r: (r["citing"], r["id"]))
    return rows[:limit]


def similar_papers(g: nx.MultiDiGraph, *, paper: str, limit: int) -> list[Row]:
    """Papers that share methods, datasets, repositories or cited works with a paper."""
    shared: dict[str, set[str]] = defaultdict(set)
    for p in _papers(g, paper):
        for x in _out(g, p, SIMILARITY_LINKS):
            for q in _in(g, x, SIMILARITY_LINKS, "Paper") - {p}:
                shared[q].add(x)
    return _ranked(g, shared, "shared", limit, name="title")


def neighbourhood(g: nx.MultiDiGraph, *, node: str, hops: int, limit: int) -> list[Row]:
    """The nodes within ``hops`` of a node, either direction, with their distance."""
    undirected = g.to_undirected(as_view=True)
    best: dict[str, int] = {}
    for a in _any_node(g, node):
        for n, dist in nx.single_source_shortest_path_length(undirected, a, cutoff=hops).items():
            if n != a and (n not in best or dist < best[n]):
                best[n] = dist
    rows = []
    for n, dist in best.items():
        d = g.nodes[n]
        name = d.get("title") if d.get("title") is not None else d.get("name")
        rows.append({"id": n, "name": name, "distance": dist})
    rows.sort(key=lambda r: (r["distance"], r["id"]))
    return rows[:limit]


def _shortest_paths(
    graph: nx.Graph, sources: list[str], targets: list[str], max_hops: int, limit: int
) -> list[Row]:
    """Every shortest path of at most ``max_hops`` edges from a source to a different target."""
    paths: set[tuple[str, ...]] = set()
    for a in sources:
        for b in targets:
            if a == b or a not in graph or b not in graph:
                continue
            try:
                found = list(nx.all_shortest_paths(graph, a, b))
            except nx.NetworkXNoPath:
                continue
            paths.update(tuple(p) for p in found if len(p) - 1 <= max_hops)
    rows = [{"path": list(p), "hops": len(p) - 1} for p in paths]
    rows.sort(key=lambda r: (r["hops"], " ".join(r["path"])))
    return rows[:limit]


def shortest_path(g: nx.MultiDiGraph, *, source: str, target: str, limit: int) -> list[Row]:
    """Every shortest path (ignoring direction, at most 6 hops) between two nodes."""
    undirected = g.to_undirected(as_view=True)
    return _shortest_paths(undirected, _any_node(g, source), _any_node(g, target), MAX_PATH_HOPS, limit)


def co_authors(g: nx.MultiDiGraph, *, author: str, limit: int) -> list[Row]:
    """The people who wrote papers with an author."""
    counts: dict[str, set[str]] = defaultdict(set)
    for a in _entity(g, "Author", author):
        for p in _out(g, a, ("AUTHORED",), "Paper"):
            for c in _in(g, p, ("AUTHORED",), "Author") - {a}:
                counts[c].add(p)
    return _ranked(g, counts, "papers", limit)


def author_papers(g: nx.MultiDiGraph, *, author: str, limit: int) -> list[Row]:
    """An author's papers, newest first (no year last), then id, with the author's position.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("author:ada", label="Author", name="Ada Lovelace", aliases=["A. Lovelace"])
    >>> g.add_node("paper:t:a", label="Paper", title="A", year=2023)
    >>> g.add_node("paper:t:b", label="Paper", title="B", year=2024)
    >>> for p, pos in [("paper:t:a", 2), ("paper:t:b", 1)]:
    ...     _ = g.add_edge("author:ada", p, key="AUTHORED", type="AUTHORED", position=pos)
    >>> author_papers(g, author="a. lovelace", limit=10)  # doctest: +NORMALIZE_WHITESPACE
    [{'id': 'paper:t:b', 'title': 'B', 'year': 2024, 'position': 1},
     {'id': 'paper:t:a', 'title': 'A', 'year': 2023, 'position': 2}]
    """
    rows = []
    for a in _entity(g, "Author", author):
        for _, p, k, data in g.out_edges(a, keys=True, data=True):
            if k == "AUTHORED" and _label(g, p) == "Paper":
                d = g.nodes[p]
                rows.append({
                    "id": p, "title": d.get("title"), "year": d.get("year"), "position": data.get("position"),
                })
    rows.sort(key=lambda r: (-(r["year"] or 0), r["id"], r["position"] or 0))
    return rows[:limit]


def collaboration_path(g: nx.MultiDiGraph, *, source: str, target: str, limit: int) -> list[Row]:
    """Every shortest co-authorship path (AUTHORED edges only, at most 12 hops) between two authors.

    Paths alternate authors and papers; ``hops`` counts edges, so two co-authors are 2 hops apart.

    >>> g = nx.MultiDiGraph()
    >>> for a in ("ada", "alan", "grace"):
    ...     g.add_node(f"author:{a}", label="Author", name=a.title())
    >>> g.add_node("paper:t:1", label="Paper"); g.add_node("paper:t:2", label="Paper")
    >>> for a, p in [("ada", 1), ("alan", 1), ("alan", 2), ("grace", 2)]:
    ...     _ = g.add_edge(f"author:{a}", f"paper:t:{p}", key="AUTHORED", type="AUTHORED")
    >>> collaboration_path(g, source="ADA", target="author:grace", limit=10)  # doctest: +NORMALIZE_WHITESPACE
    [{'path': ['author:ada', 'paper:t:1', 'author:alan', 'paper:t:2', 'author:grace'], 'hops': 4}]
    """
    sources, targets = _entity(g, "Author", source), _entity(g, "Author", target)
    if not sources or not targets:
        return []
    coauthorship = nx.Graph()
    coauthorship.add_edges_from(
        (u, v) for u, v, k in g.edges(keys=True)
        if k == "AUTHORED" and _label(g, u) == "Author" and _label(g, v) == "Paper"
    )
    return _shortest_paths(coauthorship, sources, targets, MAX_COLLABORATION_HOPS, limit)
