"""Graph stores: where a kg graph can live besides its NetworkX file.

* :class:`~kg.stores.ladybug.LadybugStore` - LadybugDB, embedded Cypher, no server;
* :class:`~kg.stores.neo4j.Neo4jStore` - a Neo4j 5 server through the official driver.

Both have the same surface: ``push(graph, progress=False) -> PushReport`` (idempotent),
``run(cypher, params) -> list[dict]`` (rows in column order), ``counts()`` and ``close()``.
The named queries of :mod:`kg.queries` run on either, and on a NetworkX graph.

>>> import tempfile, os, networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("paper:t:a", label="Paper", title="A")
>>> with open_store(ladybug=os.path.join(tempfile.mkdtemp(), "kg.lbdb")) as store:
...     print(store.push(g).summary())
nodes: 1 created, 0 matched; relationships: 0 created, 0 matched
"""

from __future__ import annotations

import os

from kg.errors import StoreError
from kg.stores.cypher import PushReport
from kg.stores.ladybug import LadybugStore
from kg.stores.neo4j import Neo4jStore

__all__ = ["LadybugStore", "Neo4jStore", "PushReport", "Store", "open_store"]

Store = LadybugStore | Neo4jStore


def open_store(
    *,
    ladybug: str | os.PathLike | None = None,
    neo4j: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    read_only: bool = False,
) -> LadybugStore | Neo4jStore:
    """Open exactly one store: a LadybugDB path or a Neo4j URI."""
    if (ladybug is None) == (neo4j is None):
        raise StoreError("name exactly one store: --ladybug PATH or --neo4j URI")
    if ladybug is not None:
        return LadybugStore(ladybug, read_only=read_only)
    return Neo4jStore(neo4j, user=user, password=password, database=database)
