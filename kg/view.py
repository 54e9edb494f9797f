"""Interactive views of a kg graph: one self-contained, offline, escaped HTML page.

:func:`write_view` picks a part of the graph (the neighbourhood of a node, the top nodes
by degree or PageRank, some labels, some years), lays it out and writes one HTML file that
carries everything it needs: the vis-network build shipped inside the pyvis package, kg's
own script and style, and the data as JSON. Nothing is loaded from the network (the page
also says so in its Content-Security-Policy).

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
from kg.schema import LABELS, check_label

__all__ = [
    "LABEL_COLORS",
    "AmbiguousNodeError",
    "NodeNotFoundError",
    "ViewError",
    "ViewSelection",
    "ViewSummary",
    "display_name",
    "find_node",
    "paper_year",
    "select_view",
    "write_view",
]

#: above this many nodes the layout is computed in Python and physics is off
LAYOUT_THRESHOLD = 1000

#: one colour per schema label (colour-blind friendly, from the Okabe-Ito palette)
LABEL_COLORS: dict[str, str] = {
    "Paper": "#0072B2",
    "Author": "#E69F00",
    "Method": "#009E73",
    "Dataset": "#CC79A7",
    "Task": "#F0E442",
    "Repository": "#D55E00",
    "Venue": "#56B4E9",
}
_OTHER_COLOR = "#999999"
_STUB_COLOR = "#9DC3E6"


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

    @property
    def nodes_left_out(self) -> int:
        """How many nodes of the graph the view does not show."""
        return self.nodes_total - self.nodes_shown

    def describe(self) -> str:
        """One sentence for people: what is shown, what is left out and why.

        >>> why = {"nodes more than 1 hop from LoRA": 6}
        >>> s = ViewSummary(Path("v.html"), 10, 12, 4, 3, why, None, "physics")
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
) -> ViewSelection:
    """Choose the nodes of a view, in this order: labels, years, focus + hops, top N.

    The focus node is always kept. A year filter keeps papers whose year is in the range
    (both ends included) and the other nodes that still touch one of them.

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
    keep = set(graph.nodes)
    left_out: dict[str, int] = {}

    def drop(nodes: set[str], why: str) -> None:
        nodes = nodes - ({focus_id} if focus_id else set())
        nodes &= keep
        if nodes:
            keep.difference_update(nodes)
            left_out[why] = left_out.get(why, 0) + len(nodes)

    if labels is not None:
        wanted = {check_label(label) for label in labels}
        if wanted:
            drop(
                {n for n in keep if graph.nodes[n].get("label") not in wanted},
                f"nodes with labels other than {', '.join(sorted(wanted))}",
            )
    if years is not None:
        lo, hi = years
        if lo > hi:
            raise ViewError(f"year range {lo}-{hi} is empty; expected FIRST-LAST with FIRST <= LAST")
        papers = {n for n in keep if graph.nodes[n].get("label") == "Paper"}
        no_year = {n for n in papers if paper_year(graph.nodes[n]) is None}
        outside = {n for n in papers - no_year if not lo <= paper_year(graph.nodes[n]) <= hi}
        drop(outside, f"papers outside {lo}-{hi}")
        drop(no_year, "papers without a year (year filter on)")
        kept_papers = papers & keep
        lonely = set()
        for n in keep - papers:
            if not any(m in kept_papers for m in nx.all_neighbors(graph, n)):
                lonely.add(n)
        drop(lonely, f"nodes not linked to a paper of {lo}-{hi}")
    if focus_id is not None:
        sub = graph.subgraph(keep).to_undirected(as_view=True)
        near = nx.single_source_shortest_path_length(sub, focus_id, cutoff=hops)
        name = display_name(graph, focus_id)
        drop(keep - set(near), f"nodes more than {hops} {'hop' if hops == 1 else 'hops'} from {name}")
    if top is not None and len(keep) > top:
        sub = graph.subgraph(keep)
        score = dict(sub.degree()) if rank == "degree" else _pagerank(sub)
        ordered = sorted(keep, key=lambda n: (-score.get(n, 0), str(n)))
        chosen = set(ordered[:top])
        if focus_id is not None and focus_id not in chosen:
            chosen.discard(ordered[top - 1])
            chosen.add(focus_id)
        drop(keep - chosen, f"nodes not in the top {top} by {rank}")
    order = [n for n in graph.nodes if n in keep]
    return ViewSelection(nodes=order, focus=focus_id, left_out=left_out)


# ----------------------------------------------------------------------------- layout


def _fruchterman_reingold(n: int, edges: np.ndarray, iterations: int, rng: np.random.Generator) -> np.ndarray:
    """Force-directed positions in the unit square (vectorised, rows in chunks to bound memory)."""
    pos = rng.random((n, 2)).astype(np.float32)
    if n == 1:
        return pos
    k2 = np.float32(1.0 / n)  # k = 1/sqrt(n), the ideal distance
    k = np.float32(math.sqrt(k2))
    t = 0.1
    dt = t / (iterations + 1)
    chunk = max(1, 2_000_000 // n)
    disp = np.zeros((n, 2), dtype=np.float32)
    for _ in range(iterations):
        for start in range(0, n, chunk):
            delta = pos[start : start + chunk, None, :] - pos[None, :, :]
            dist2 = np.einsum("ijk,ijk->ij", delta, delta)
            np.maximum(dist2, 1e-6, out=dist2)
            np.divide(k2, dist2, out=dist2)
            disp[start : start + chunk] = np.einsum("ijk,ij->ik", delta, dist2)
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            dist = np.sqrt(np.maximum(np.einsum("ij,ij->i", delta, delta), 1e-6))
            force = delta * (dist / k)[:, None]
            np.add.at(disp, edges[:, 0], -force)
            np.add.at(disp, edges[:, 1], force)
        length = np.sqrt(np.maximum(np.einsum("ij,ij->i", disp, disp), 1e-9))
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t -= dt
    return pos.astype(np.float64)


def layout_positions(
    graph: nx.Graph, *, seed: int = 7, scale: float = 60.0
) -> dict[str, tuple[float, float]]:
    """Fixed x/y positions (pixels) for every node: each connected part laid out force-directed,
    the parts packed in rows, largest first. Deterministic for a given ``seed``.

    >>> pos = layout_positions(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and all(len(p) == 2 for p in pos.values())
    True
    """
    rng = np.random.default_rng(seed)
    undirected = nx.Graph()
    undirected.add_nodes_from(graph)
    undirected.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    parts = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(map(str, c))))
    total = max(1, undirected.number_of_nodes())
    positions: dict[str, tuple[float, float]] = {}
    x0 = y0 = 0.0
    row_height = 0.0
    row_width = scale * math.sqrt(total) * 1.5
    for part in parts:
        members = sorted(part, key=str)
        index = {node: i for i, node in enumerate(members)}
        n = len(members)
        edges = np.array([(index[u], index[v]) for u, v in undirected.subgraph(members).edges()], dtype=int)
        iterations = 50 if n <= 2000 else max(15, int(50 * 2000 / n))
        pos = _fruchterman_reingold(n, edges.reshape(-1, 2), iterations, rng)
        pos -= pos.min(axis=0)
        span = max(float(pos.max()), 1e-9)
        size = scale * max(1.0, math.sqrt(n)) * 1.2
        pos = pos / span * size if n > 1 else pos * 0
        if x0 > 0 and x0 + size > row_width:
            x0, y0, row_height = 0.0, y0 + row_height + scale, 0.0
        for node, (x, y) in zip(members, pos, strict=True):
            positions[node] = (round(float(x + x0), 1), round(float(y + y0), 1))
        x0 += size + scale
        row_height = max(row_height, size)
    return positions


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


def _node_record(graph: nx.MultiDiGraph, node: str, degree: int, pos: tuple[float, float] | None) -> dict:
    data = graph.nodes[node]
    kind = data.get("label") if data.get("label") in LABELS else "Other"
    name = display_name(graph, node)
    stub = bool(data.get("stub"))
    record: dict = {
        "id": str(node),
        "kind": kind,
        "name": name,
        "short": name if len(name) <= 40 else name[:39].rstrip() + "\u2026",
        "color": _STUB_COLOR if stub else LABEL_COLORS.get(kind, _OTHER_COLOR),
        "size": round(min(40.0, 8 + 3 * math.sqrt(degree)), 1),
        "degree": degree,
    }
    if stub:
        record["stub"] = True
    if pos is not None:
        record["x"], record["y"] = pos
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
            papers = {p for p in nx.all_neighbors(graph, node) if graph.nodes[p].get("label") == "Paper"}
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
    layout_threshold: int = LAYOUT_THRESHOLD,
) -> ViewSummary:
    """Write an interactive HTML view of ``graph`` (or of a part of it) to ``path``.

    ``focus`` (a node id, or a title/name/alias) with ``hops`` keeps its neighbourhood;
    ``top`` keeps the N nodes with the highest ``rank`` (``degree`` or ``pagerank``);
    ``labels`` keeps those labels; ``years`` keeps papers of those years (both included).
    Above ``layout_threshold`` nodes the positions are computed here and physics is off.
    Returns a :class:`ViewSummary`; the page says the same in its header.
    """
    labels = list(labels) if labels is not None else None
    selection = select_view(graph, focus=focus, hops=hops, top=top, rank=rank, labels=labels, years=years)
    shown = set(selection.nodes)
    sub = graph.subgraph(selection.nodes)
    edges = [(u, v, k, d) for u, v, k, d in sub.edges(keys=True, data=True)]
    precomputed = len(selection.nodes) > layout_threshold
    positions = layout_positions(sub) if precomputed else {}
    degrees = dict(graph.degree(selection.nodes))
    nodes = [_node_record(graph, n, degrees[n], positions.get(n)) for n in selection.nodes]
    if title is None:
        title = "kg view"
        if selection.focus is not None:
            title = (
                f"kg view: {display_name(graph, selection.focus)} ({hops} {'hop' if hops == 1 else 'hops'})"
            )
    summary = ViewSummary(
        path=Path(path),
        nodes_total=graph.number_of_nodes(),
        edges_total=graph.number_of_edges(),
        nodes_shown=len(shown),
        edges_shown=len(edges),
        left_out=dict(selection.left_out),
        focus=selection.focus,
        layout="precomputed" if precomputed else "physics",
    )
    counts = Counter(n["kind"] for n in nodes)
    legend = [
        {"kind": kind, "color": LABEL_COLORS[kind], "count": counts[kind]} for kind in LABELS if counts[kind]
    ]
    if any(n.get("stub") for n in nodes):
        legend.append(
            {
                "kind": "Paper (cited only, stub)",
                "color": _STUB_COLOR,
                "count": sum(1 for n in nodes if n.get("stub")),
                "stub": True,
            }
        )
    if counts["Other"]:
        legend.append({"kind": "Other", "color": _OTHER_COLOR, "count": counts["Other"]})
    payload = {
        "title": title,
        "nodes": nodes,
        "edges": [_edge_record(u, v, k, d) for u, v, k, d in edges],
        "legend": legend,
        "focus": str(selection.focus) if selection.focus is not None else None,
        "physics": not precomputed,
        "summary": summary.describe(),
    }
    html = render_page(title, summary.describe(), payload)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)
    return summary
