"""Build: a :class:`~kg.resolve.Resolution` in, a NetworkX graph of kg's schema out.

Only schema labels, relationship types and property keys are written
(:data:`kg.schema.NODE_PROPERTIES`, :data:`kg.schema.RELATIONSHIPS`); absent values are
left out, never stored as ``None``. Every extracted edge carries ``evidence`` (its sentence)
and ``provenance`` (``file:line``).

>>> from kg.model import Paper, Source, Mention
>>> from kg.resolve import resolve
>>> p = Paper(title="LoRA for cats", source=Source("a.txt", 1), format="x",
...           mentions=(Mention("Method", "LoRA", evidence="We use LoRA."),))
>>> g = build_graph(resolve([p]))
>>> sorted(g.nodes(data="label"))
[('method:lora', 'Method'), ('paper:t:lora-for-cats', 'Paper')]
>>> g.edges["paper:t:lora-for-cats", "method:lora", "USES_METHOD"]["provenance"]
'a.txt:1'
"""

from __future__ import annotations

import networkx as nx

from kg.ids import entity_id
from kg.model import Paper
from kg.resolve import Resolution
from kg.schema import NODE_PROPERTIES, RELATIONSHIPS

__all__ = ["build_graph"]

_MENTION_EDGE = {"Method": "USES_METHOD", "Dataset": "USES_DATASET", "Repository": "HAS_CODE"}


def _props(label: str, values: dict) -> dict:
    allowed = NODE_PROPERTIES[label]
    out = {"label": label}  # the node's key is its id: no "id" attribute
    for key, value in values.items():
        if key not in allowed or value is None or value == [] or value == ():
            continue
        out[key] = list(value) if isinstance(value, tuple | list) else value
    return out


def _add_edge(g: nx.MultiDiGraph, u: str, v: str, rel: str, **props) -> None:
    if g.has_edge(u, v, key=rel):
        return  # first evidence wins; the same fact twice is one edge
    allowed = RELATIONSHIPS[rel].properties
    clean = {k: v for k, v in props.items() if k in allowed and v not in (None, "")}
    g.add_edge(u, v, key=rel, type=rel, **clean)


def _paper_node(p: Paper) -> dict:
    return _props("Paper", {
        "title": p.title, "abstract": p.abstract or None, "published": p.published,
        "year": p.year, "author_count": p.author_count, "upvotes": p.upvotes, "arxiv_id": p.arxiv_id,
        "doi": p.doi, "openalex": p.openalex, "s2": p.s2, "url": p.url, "stub": p.stub,
        "sources": [str(s) for s in (p.sources or (p.source,))],
        "formats": p.extra.get("formats") or [p.format], "keywords": p.keywords, "notes": p.notes,
        "conflicts": p.extra.get("conflicts"), "field_sources": p.extra.get("field_sources"),
    })


def build_graph(res: Resolution) -> nx.MultiDiGraph:
    """The graph of a resolved corpus, nodes and edges added in a stable order."""
    g = nx.MultiDiGraph()
    merged_from: dict[str, list[str]] = {}
    for m in res.merges:
        merged_from.setdefault(m.into, []).append(str(m))
    for p in res.papers:
        g.add_node(p.id, **_paper_node(p))
    for s in res.stubs:
        if s.id not in g:
            g.add_node(s.id, **_paper_node(s))
    for eid, e in sorted(res.entities.items()):
        g.add_node(eid, **_props(e.label, {"name": e.name, "aliases": e.aliases}))
    for p in res.papers:
        src = str(p.source)
        for a in p.authors:
            if not a.id:
                continue
            if a.id not in g:
                g.add_node(a.id, **_props("Author", {
                    "name": a.name, "orcid": a.orcid, "openalex": a.openalex, "s2": a.s2,
                    "affiliations": a.affiliations}))
            elif a.name != g.nodes[a.id]["name"]:  # another name of a merged author
                aliases = g.nodes[a.id].setdefault("aliases", [])
                if a.name not in aliases:
                    aliases.append(a.name)
            _add_edge(g, a.id, p.id, "AUTHORED", position=a.position, provenance=src)
        if p.venue:
            vid = entity_id("Venue", p.venue)
            if vid not in g:
                g.add_node(vid, **_props("Venue", {"name": p.venue}))
            _add_edge(g, p.id, vid, "PUBLISHED_IN", provenance=src)
        for m in p.mentions:
            if m.label == "Repository" and m.id not in g:
                g.add_node(m.id, **_props("Repository", {"name": m.name, "host": m.host,
                                                        "url": m.url}))
            if m.id not in g:
                continue
            msrc = str(m.source or p.source)
            _add_edge(g, p.id, m.id, _MENTION_EDGE[m.label], evidence=m.evidence, provenance=msrc)
            if m.introduces and m.label in ("Method", "Dataset"):
                _add_edge(g, p.id, m.id, "INTRODUCES", evidence=m.evidence, provenance=msrc)
        for c in p.citations:
            if c.target and c.target in g:
                _add_edge(g, p.id, c.target, "CITES", evidence=c.evidence, text=c.text,
                          provenance=str(c.source or p.source))
    for node, notes in merged_from.items():
        if node in g:
            g.nodes[node]["merged_from"] = sorted(set(notes))
    return g
