"""Reading and writing kg graph files: NetworkX node-link JSON.

A kg graph is a :class:`networkx.MultiDiGraph`. Each node has the attribute ``label`` (a
schema label) and the schema's properties; each edge has the attribute ``type`` (a schema
relationship type), its key is that type, and it carries ``evidence`` and ``provenance``
(``file:line``) when it was extracted from text. The node's key is its id (no separate ``id``
attribute).

The file is standard NetworkX node-link JSON (an edge's ends under ``"source"`` and
``"target"``), so NetworkX reads it with its defaults, as do d3 and other node-link readers:
``networkx.node_link_graph(json.load(open("graph.json")))``. Files written by kg 0.1 (ends
under ``"from"``/``"to"``, provenance under ``"source"``) are still read by :func:`load_graph`.

>>> import networkx as nx, tempfile, os
>>> g = nx.MultiDiGraph()
>>> g.add_node("paper:t:x", label="Paper", title="X")
>>> _ = g.add_edge("paper:t:x", "method:lora", key="USES_METHOD", type="USES_METHOD", provenance="a.txt:3")
>>> g.add_node("method:lora", label="Method", name="LoRA")
>>> path = os.path.join(tempfile.mkdtemp(), "graph.json")
>>> save_graph(g, path)
>>> h = load_graph(path)
>>> sorted(h.nodes(data=True)) == sorted(g.nodes(data=True))
True
>>> list(h.edges(keys=True, data=True)) == list(g.edges(keys=True, data=True))
True
>>> h.edges["paper:t:x", "method:lora", "USES_METHOD"]["provenance"]
'a.txt:3'
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import networkx as nx
import orjson
from networkx.readwrite import json_graph

from kg.errors import GraphFileError

__all__ = ["LINK_KEYS", "edge_count", "edge_ends", "from_json", "load_graph", "save_graph", "to_json"]

_SURROGATE = re.compile("[\\ud800-\\udfff]")
# NetworkX's own node-link keys (its defaults since 3.4): any node-link reader opens the file.
LINK_KEYS = {"edges": "edges", "nodes": "nodes", "source": "source", "target": "target", "key": "key"}
# kg 0.1 wrote an edge's ends under "from"/"to" and its provenance under "source".
_V01_LINK_KEYS = {**LINK_KEYS, "source": "from", "target": "to"}


def to_json(graph: nx.MultiDiGraph) -> dict:
    """The node-link JSON object of ``graph`` (nodes and edges in a stable order)."""
    data = json_graph.node_link_data(graph, **LINK_KEYS)
    data["nodes"].sort(key=lambda n: n["id"])
    data["edges"].sort(key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def from_json(data: dict) -> nx.MultiDiGraph:
    """The graph of a node-link JSON object written by :func:`to_json` (or by kg 0.1)."""
    edges = data.get("edges") or []
    if edges and isinstance(edges[0], dict) and "from" in edges[0] and "to" in edges[0]:
        graph = json_graph.node_link_graph(data, directed=True, multigraph=True, **_V01_LINK_KEYS)
        for _u, _v, attrs in graph.edges(data=True):
            if "source" in attrs:
                attrs["provenance"] = attrs.pop("source")
        return graph
    return json_graph.node_link_graph(data, directed=True, multigraph=True, **LINK_KEYS)


def edge_ends(graph: nx.Graph) -> Iterator[tuple[Any, Any, int]]:
    """``(u, v, n)`` for each pair of nodes with ``n`` edges from ``u`` to ``v`` (each pair once
    in an undirected graph), read from the graph's own adjacency dicts.

    NetworkX's ``number_of_edges()`` and ``edges()`` go through a view per node and per edge:
    at 75k records (740k edges) ``number_of_edges()`` alone took 1.4 s, this 0.1 s.

    >>> g = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    >>> list(edge_ends(g))
    [('a', 'b', 2), ('b', 'c', 1)]
    >>> list(edge_ends(nx.Graph([("a", "b")])))
    [('a', 'b', 1)]
    """
    adj = getattr(graph, "_adj", None) or graph.adj  # a subgraph view has a filtered one
    multi = graph.is_multigraph()
    if graph.is_directed():
        for u, nbrs in adj.items():
            for v, keyed in nbrs.items():
                yield u, v, (len(keyed) if multi else 1)
        return
    seen: set = set()
    for u, nbrs in adj.items():
        for v, keyed in nbrs.items():
            if v not in seen:
                yield u, v, (len(keyed) if multi else 1)
        seen.add(u)


def edge_count(graph: nx.Graph) -> int:
    """``graph.number_of_edges()``, from the adjacency dicts (:func:`edge_ends`).

    >>> edge_count(nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "b")]))
    3
    >>> edge_count(nx.MultiGraph([("a", "b"), ("a", "b"), ("b", "b")]))
    3
    """
    if graph.is_directed() and graph.is_multigraph():  # the common case, in C: the keys per pair
        adj = getattr(graph, "_adj", None) or graph.adj
        return sum(map(len, chain.from_iterable(nbrs.values() for nbrs in adj.values())))
    return sum(n for _, _, n in edge_ends(graph))


def save_graph(graph: nx.MultiDiGraph, path: str | os.PathLike, *, tables: Any = None) -> None:
    """Write ``graph`` to ``path`` as node-link JSON (UTF-8, atomic rename).

    The same object as :func:`to_json`, streamed: one node or edge per line (compact JSON,
    :func:`encode_line`), nodes sorted by id, edges by (source, target, key), keys sorted, so
    equal graphs give equal bytes and no second copy of a large graph is held in memory. Text
    that UTF-8 cannot hold (a lone surrogate such as ``"\\ud800"``) is written as U+FFFD; a
    failed write leaves no ``.tmp`` file behind.

    ``tables``, when given (a :class:`kg.stores.ladybug.TableFiles`), receives each node's and
    edge's line (UTF-8 bytes) as well, for the query store: ``tables.node(node, attrs, line)``, then
    ``tables.end_nodes()``, then ``tables.edge(u, v, key, attrs, line)``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(b'{"directed":true,"multigraph":true,"graph":' + encode_line(graph.graph)
                     + b',\n"nodes":[')
            sep = b"\n"
            node_data = getattr(graph, "_node", None) or graph.nodes
            for node in sorted(node_data):
                data = node_data[node]
                line = encode_line({**data, "id": node})
                fh.write(sep + line)
                sep = b",\n"
                if tables is not None:
                    tables.node(node, data, line)
            if tables is not None:
                tables.end_nodes()
            fh.write(b'\n],\n"edges":[')
            sep = b"\n"
            for u, v, k, data in _sorted_edges(graph):
                line = encode_line({**data, "source": u, "target": v, "key": k})
                fh.write(sep + line)
                sep = b",\n"
                if tables is not None:
                    tables.edge(u, v, k, data, line)
            fh.write(b"\n]}\n")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


#: the standard library's encoder, for what orjson refuses (:func:`encode_line`)
_STDLIB_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def encode_line(obj: object) -> bytes:
    """``obj`` as one line of compact JSON in UTF-8, keys sorted: the same bytes for equal objects.

    orjson writes it (about four times as fast as the standard library's encoder, which a
    75k-record graph's 1.1 million lines made a visible part of a build); what orjson refuses
    is written by the standard library's encoder in the same compact form: a lone surrogate
    (``"\\ud800"``, which UTF-8 cannot hold) becomes U+FFFD, and an integer beyond 64 bits is
    written in full. A float that is not a number (NaN, infinity) is written as ``null``.

    >>> encode_line({"b": 1, "a": [1.5, None, "é"]})
    b'{"a":[1.5,null,"\xc3\xa9"],"b":1}'
    >>> encode_line({"t": "bad \\ud800", "n": 2**70}).decode()
    '{"n":1180591620717411303424,"t":"bad \ufffd"}'
    """
    try:
        return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return _SURROGATE.sub("\ufffd", _STDLIB_ENCODE(obj)).encode("utf-8")


def _sorted_edges(graph: nx.MultiDiGraph):
    """Every edge ``(u, v, key, data)`` sorted by ``(u, v, key)``, from the adjacency (no list
    of all edges to sort; the same order as sorting them)."""
    # NetworkX's own dicts under its read-only views (the views cost a call per lookup)
    adj = getattr(graph, "_adj", None) or graph.adj
    for u in sorted(adj):
        nbrs = adj[u]
        for v in sorted(nbrs):
            keys = nbrs[v]
            for k in sorted(keys):
                yield u, v, k, keys[k]


def load_graph(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a graph file written by :func:`save_graph` (or ``kg build``)."""
    path = Path(path)
    if not path.is_file():
        raise GraphFileError(
            f"{path}: no such graph file; run `kg build INPUT --out DIR` to make DIR/graph.json"
        )
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise GraphFileError(
            f"{path}:{exc.lineno}: not JSON ({exc.msg}); expected kg's node-link graph.json"
        ) from exc
    except UnicodeDecodeError as exc:
        raise GraphFileError(
            f"{path}: not text (byte {exc.start} is not UTF-8); expected kg's node-link graph.json"
        ) from exc
    except (RecursionError, ValueError, MemoryError) as exc:
        raise GraphFileError(f"{path}: not a graph kg can read ({type(exc).__name__}); "
                             "expected kg's node-link graph.json") from exc
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not isinstance(data, dict) or "nodes" not in data or "edges" not in data:
        raise GraphFileError(f"{path}: not a node-link graph; expected an object with 'nodes' and 'edges'")
    try:
        return from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise GraphFileError(f"{path}: a node or edge is malformed ({type(exc).__name__}: {exc}); expected "
                             "nodes with an 'id' and edges with 'source', 'target' and 'key'") from exc
