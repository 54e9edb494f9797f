"""Build: a :class:`~kg.resolve.Resolution` in, a NetworkX graph of kg's schema out.

Only schema labels, relationship types and property keys are written
(:data:`kg.schema.NODE_PROPERTIES`, :data:`kg.schema.RELATIONSHIPS`); absent values are
left out, never stored as ``None``. Every extracted edge carries ``text`` (the words as
written), ``evidence`` (its sentence) and ``provenance`` (``file:line`` of the line that holds
the sentence). A paper's own method or dataset gets ``INTRODUCES`` instead of (not as well as)
``USES_METHOD`` / ``USES_DATASET``; a Task gets ``ADDRESSES``; Metric names become the paper's
``metrics`` property.

>>> from kg.model import Paper, Source, Mention
>>> from kg.resolve import resolve
>>> p = Paper(title="LoRA for cats", source=Source("a.txt", 1), format="x",
...           mentions=(Mention("Method", "LoRA", text="LoRA", evidence="We use LoRA."),
...                     Mention("Method", "CatNet", text="CatNet", evidence="We propose CatNet.",
...                             introduces=True, source=Source("a.txt", 2)),
...                     Mention("Task", "image classification", text="image classification"),
...                     Mention("Metric", "accuracy", text="accuracy")))
>>> g = build_graph(resolve([p]))
>>> sorted(g.nodes(data="label"))  # doctest: +NORMALIZE_WHITESPACE
[('method:catnet', 'Method'), ('method:lora', 'Method'), ('paper:t:lora-for-cats', 'Paper'),
 ('task:image-classification', 'Task')]
>>> sorted((v, k) for _, v, k in g.out_edges("paper:t:lora-for-cats", keys=True))
[('method:catnet', 'INTRODUCES'), ('method:lora', 'USES_METHOD'), ('task:image-classification', 'ADDRESSES')]
>>> e = g.edges["paper:t:lora-for-cats", "method:catnet", "INTRODUCES"]
>>> e["text"], e["evidence"], e["provenance"]
('CatNet', 'We propose CatNet.', 'a.txt:2')
>>> g.nodes["paper:t:lora-for-cats"]["metrics"]
['accuracy']
"""

from __future__ import annotations

import networkx as nx

from kg.ids import entity_id
from kg.model import Author, Paper
from kg.resolve import Resolution
from kg.schema import NODE_PROPERTIES, RELATIONSHIPS

__all__ = ["build_graph"]

_MENTION_EDGE = {"Method": "USES_METHOD", "Dataset": "USES_DATASET", "Task": "ADDRESSES",
                 "Repository": "HAS_CODE"}


def _props(label: str, values: dict) -> dict:
    allowed = NODE_PROPERTIES[label]
    out = {"label": label}  # the node's key is its id: no "id" attribute
    for key, value in values.items():
        if key not in allowed or value is None or value == [] or value == ():
            continue
        out[key] = list(value) if isinstance(value, tuple | list) else value
    return out


#: per relationship type, the property keys the schema gives it
_EDGE_KEYS = {name: frozenset(rel.properties) for name, rel in RELATIONSHIPS.items()}


def _add_edge(g: nx.MultiDiGraph, u: str, v: str, rel: str, props: tuple) -> None:
    """Edge ``u -> v`` of type ``rel``; ``props`` are (key, value) pairs, of which those the
    schema gives ``rel`` and that have a value are kept. The same fact twice is one edge: the
    first evidence wins. (Pairs, not keyword arguments: at 750k edges, a second a build.)

    Between two nodes already in ``g`` (every edge a build adds) the edge goes straight into
    NetworkX's adjacency dicts, as :meth:`networkx.MultiDiGraph.add_edge` puts it there (one
    key dict shared by the successor and predecessor maps): 740k edges at 75k records, 2.5 ->
    1 CPU-s; :func:`build_graph` then clears the graph's cache, as ``add_edge`` does.
    """
    succ = g._succ
    nbrs = succ.get(u)
    if nbrs is None or v not in succ:  # an end that is no node yet: NetworkX adds it
        if g.has_edge(u, v, key=rel):
            return
        g.add_edge(u, v, rel, **_edge_data(rel, props))
        return
    keys = nbrs.get(v)
    if keys is None:
        keys = nbrs[v] = g._pred[v][u] = g.edge_key_dict_factory()
    elif rel in keys:
        return
    keys[rel] = _edge_data(rel, props)


def _add_node(g: nx.MultiDiGraph, node: str, attrs: dict) -> None:
    """Node ``node`` with ``attrs`` (its own dict, kept as the node's): into NetworkX's dicts as
    :meth:`networkx.MultiDiGraph.add_node` puts a new node there; a node already in ``g`` gets
    ``attrs`` added by ``add_node`` itself."""
    if node in g._node:
        g.add_node(node, **attrs)
        return
    g._succ[node] = g.adjlist_inner_dict_factory()
    g._pred[node] = g.adjlist_inner_dict_factory()
    g._node[node] = attrs


def _edge_data(rel: str, props: tuple) -> dict:
    allowed = _EDGE_KEYS[rel]
    data = {"type": rel}
    for k, x in props:
        if x is not None and x != "" and k in allowed:
            data[k] = x
    return data


def _paper_node(p: Paper) -> dict:
    return _props("Paper", {
        "title": p.title, "abstract": p.abstract or None, "published": p.published,
        "year": p.year, "author_count": p.author_count, "upvotes": p.upvotes, "arxiv_id": p.arxiv_id,
        "doi": p.doi, "openalex": p.openalex, "s2": p.s2, "url": p.url, "stub": p.stub,
        "sources": [str(s) for s in (p.sources or (p.source,))],
        "formats": p.extra.get("formats") or [p.format], "keywords": p.keywords, "notes": p.notes,
        "conflicts": p.extra.get("conflicts"), "field_sources": p.extra.get("field_sources"),
    })


def _add_paper_edges(g: nx.MultiDiGraph, p: Paper, src: str, where) -> None:
    """A paper's venue, mentions, metrics and citations (all but its authors)."""
    if p.venue:
        vid = entity_id("Venue", p.venue)
        if vid not in g:
            _add_node(g, vid, _props("Venue", {"name": p.venue}))
        _add_edge(g, p.id, vid, "PUBLISHED_IN", (("provenance", src),))
    introduced = {m.id for m in p.mentions if m.introduces and m.label in ("Method", "Dataset")}
    metrics: list[str] = []
    for m in p.mentions:
        if m.label == "Metric":
            if m.name not in metrics:
                metrics.append(m.name)
            continue
        if m.label == "Repository" and m.id not in g:
            _add_node(g, m.id, _props("Repository", {"name": m.name, "host": m.host, "url": m.url}))
        if m.id not in g or m.label not in _MENTION_EDGE:
            continue
        if m.id in introduced and not m.introduces:
            continue  # the paper's own method: INTRODUCES, not also USES
        rel = "INTRODUCES" if m.id in introduced else _MENTION_EDGE[m.label]
        _add_edge(g, p.id, m.id, rel, (("text", m.text or m.name), ("evidence", m.evidence),
                                       ("provenance", where(m.source or p.source))))
    if metrics:
        g.nodes[p.id]["metrics"] = metrics
    for c in p.citations:
        if c.target and c.target in g:
            _add_edge(g, p.id, c.target, "CITES", (("evidence", c.evidence), ("text", c.text),
                                                   ("provenance", where(c.source or p.source))))


def build_graph(res: Resolution, *, consume: bool = False) -> nx.MultiDiGraph:
    """The graph of a resolved corpus, nodes and edges added in a stable order.

    ``consume=True`` lets each paper of ``res.papers`` go once its edges are in the graph
    (``res.papers``, ``res.stubs`` and ``res.entities`` are left empty): the memory of its
    records is then reused for the graph's instead of being held beside it (what
    :func:`kg.pipeline.build` does). A resolution whose authors are still being resolved
    (``res.pending_authors``) is waited for after every node and edge but the authors' are in.
    """
    g = nx.MultiDiGraph()
    for p in res.papers:
        _add_node(g, p.id, _paper_node(p))
    for s in res.stubs:
        if s.id not in g:
            _add_node(g, s.id, _paper_node(s))
    for eid, e in sorted(res.entities.items()):
        _add_node(g, eid, _props(e.label, {"name": e.name, "aliases": e.aliases}))
    if consume:
        res.stubs, res.entities = [], {}
    provenance: dict = {}  # one string per file:line, shared by the edges that cite it

    def where(source) -> str:
        text = provenance.get(source)
        if text is None:
            text = provenance[source] = str(source)
        return text

    papers = res.papers
    if consume:
        res.papers = []
    # the authors come last, paper by paper in the same order: their ids may still be being
    # resolved in a worker (res.pending_authors) while everything else is added
    authored: list[tuple[str, str, tuple[Author, ...]]] = []
    pending = res.pending_authors
    try:
        for i, p in enumerate(papers):
            if consume:
                papers[i] = None  # p is its last reference
            src = where(p.source)
            authored.append((p.id, src, p.authors))
            _add_paper_edges(g, p, src, where)
        ids = pending.result(res) if pending is not None else None
    except BaseException:
        if pending is not None:
            pending.kill()  # the build failed here: the worker is not waited for
        raise
    res.pending_authors = None
    del papers
    for k, (pid, src, authors) in enumerate(authored):
        row = ids[k] if ids is not None else None
        for n, a in enumerate(authors):
            aid = row[n] if row is not None else a.id
            if not aid:
                continue
            if aid not in g:
                _add_node(g, aid, _props("Author", {
                    "name": a.name, "orcid": a.orcid, "openalex": a.openalex, "s2": a.s2,
                    "affiliations": a.affiliations}))
            elif a.name != g.nodes[aid]["name"]:  # another name of a merged author
                aliases = g.nodes[aid].setdefault("aliases", [])
                if a.name not in aliases:
                    aliases.append(a.name)
            _add_edge(g, aid, pid, "AUTHORED", (("position", a.position), ("provenance", src)))
    merged_from: dict[str, list[str]] = {}
    for m in res.merges:
        merged_from.setdefault(m.into, []).append(str(m))
    for node, notes in merged_from.items():
        if node in g:
            g.nodes[node]["merged_from"] = sorted(set(notes))
    nx._clear_cache(g)  # edges went in past add_edge (_add_edge), which would have cleared it
    return g
