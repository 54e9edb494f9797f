"""Named queries: one name, one Cypher text, one NetworkX function, the same rows everywhere.

:data:`REGISTRY` is a plain table: name -> :class:`Query` (its ``.cypher`` file(s) in this
folder, its NetworkX function in :mod:`kg.queries.graph`, parameters, columns, description,
example). :func:`run_query` checks the parameters and dispatches on the store's type
(:func:`functools.singledispatch`): a NetworkX graph, a
:class:`~kg.stores.ladybug.LadybugStore` or a :class:`~kg.stores.neo4j.Neo4jStore`.

Every query orders its rows completely (ties broken by id), so rows compare exactly across
stores. A parameter that names a node (``method``, ``paper``, ``author``, ``node``) takes
its id or its name, title or alias, case-insensitively.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("paper:t:a", label="Paper", title="A")
>>> g.add_node("method:lora", label="Method", name="LoRA")
>>> _ = g.add_edge("paper:t:a", "method:lora", key="USES_METHOD", type="USES_METHOD")
>>> run_query(g, "top-methods", {"limit": "5"})
[{'id': 'method:lora', 'name': 'LoRA', 'papers': 1}]
>>> run_query(g, "top-method")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.errors.QueryError: unknown query 'top-method'; expected one of author-activity-on-method, ...
>>> run_query(g, "papers-using-method")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.errors.QueryError: query 'papers-using-method' needs parameter 'method' (str): ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from kg.queries import graph as _nx

from kg.errors import QueryError
from kg.stores.ladybug import LadybugStore
from kg.stores.neo4j import Neo4jStore

__all__ = ["DIALECTS", "REGISTRY", "Param", "Query", "cypher_text", "parse_params", "run_query"]

HERE = Path(__file__).resolve().parent
DIALECTS = ("ladybug", "neo4j")
REQUIRED: Any = object()


@dataclass(frozen=True)
class Param:
    """A query parameter: name, type (``int`` or ``str``), default, help, allowed range/choices."""

    name: str
    type: type
    default: Any = REQUIRED
    help: str = ""
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def describe(self) -> str:
        """``name (type, default X)``, for listings."""
        extra = "required" if self.required else f"default {self.default!r}"
        if self.choices:
            extra += ", one of " + "/".join(self.choices)
        if self.min is not None and self.max is not None and self.name != "limit":
            extra += f", {self.min}..{self.max}"
        return f"{self.name} ({self.type.__name__}, {extra})"

    def convert(self, query: str, value: Any) -> Any:
        """``value`` as this parameter's type, or :class:`QueryError` saying what was expected."""
        expected = f"expected {self.describe()}"
        if self.type is int:
            if isinstance(value, bool):
                raise QueryError(f"query {query!r}: parameter {self.name}={value!r}; {expected}")
            try:
                out: Any = int(value)
            except (TypeError, ValueError):
                raise QueryError(
                    f"query {query!r}: parameter {self.name}={value!r} is not an integer; {expected}"
                ) from None
            if (self.min is not None and out < self.min) or (self.max is not None and out > self.max):
                raise QueryError(
                    f"query {query!r}: parameter {self.name}={out} is outside "
                    f"{self.min}..{self.max}; {expected}"
                )
            return out
        if not isinstance(value, str) or not value.strip():
            raise QueryError(
                f"query {query!r}: parameter {self.name}={value!r} must be non-empty text; {expected}"
            )
        if self.choices and value not in self.choices:
            raise QueryError(f"query {query!r}: parameter {self.name}={value!r}; {expected}")
        return value


@dataclass(frozen=True)
class Query:
    """A named query: what it answers, its parameters and columns, its implementations."""

    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    networkx: Callable[..., list[dict[str, Any]]]
    #: dialect -> file name in this folder; one file serves both when they are the same
    cypher: dict[str, str] = field(default_factory=dict)
    example: str = ""

    @property
    def usage(self) -> str:
        """The example as a whole command, on the graph file ``kg build`` writes.

        >>> REGISTRY["top-methods"].usage
        'kg query top-methods --graph build/graph.json --param limit=5'
        """
        head = f"kg query {self.name}"
        return f"{head} --graph build/graph.json{self.example.removeprefix(head)}"


def _limit(default: int) -> Param:
    return Param("limit", int, default, "how many rows", min=1, max=100_000)


def _one(file: str) -> dict[str, str]:
    return dict.fromkeys(DIALECTS, file)


METHOD = Param("method", str, help="a Method id, name or alias (case-insensitive)")
PAPER = Param("paper", str, help="a Paper id or title (case-insensitive)")
AUTHOR = Param("author", str, help="an Author id, name or alias (case-insensitive)")
NODE = Param("node", str, help="any node id, or a name, title or alias (case-insensitive)")

#: name -> Query: the plain table of every named query
REGISTRY: dict[str, Query] = {
    q.name: q
    for q in (
        Query("top-methods", "the methods that the most papers use or introduce",
              (_limit(10),), ("id", "name", "papers"), _nx.top_methods,
              _one("top_methods.cypher"), "kg query top-methods --param limit=5"),
        Query("top-datasets", "the datasets that the most papers use or introduce",
              (_limit(10),), ("id", "name", "papers"), _nx.top_datasets,
              _one("top_datasets.cypher"), "kg query top-datasets"),
        Query("papers-using-method", "the papers that use or introduce a method, newest first",
              (METHOD, _limit(50)), ("id", "title", "year"), _nx.papers_using_method,
              _one("papers_using_method.cypher"), "kg query papers-using-method --param method=LoRA"),
        Query("co-occurring-methods", "the other methods used by the papers that use a method",
              (METHOD, _limit(10)), ("id", "name", "papers"), _nx.co_occurring_methods,
              _one("co_occurring_methods.cypher"), "kg query co-occurring-methods --param method=LoRA"),
        Query("papers-with-code", "papers and the code repositories they link to",
              (_limit(50),), ("id", "title", "repository", "url"), _nx.papers_with_code,
              _one("papers_with_code.cypher"), "kg query papers-with-code"),
        Query("most-cited", "the works cited by the most papers (stubs included)",
              (_limit(10),), ("id", "title", "year", "stub", "citations"), _nx.most_cited,
              _one("most_cited.cypher"), "kg query most-cited"),
        Query("paper-citations", "what a paper cites",
              (PAPER, _limit(100)), ("citing", "id", "title", "year", "stub", "text"), _nx.paper_citations,
              _one("paper_citations.cypher"),
              "kg query paper-citations --param paper=paper:arxiv:2401.01234"),
        Query("similar-papers", "papers sharing methods, datasets, repositories or cited works with a paper",
              (PAPER, _limit(10)), ("id", "title", "shared"), _nx.similar_papers,
              _one("similar_papers.cypher"), "kg query similar-papers --param paper=paper:arxiv:2401.01234"),
        Query("neighbourhood", "the nodes within a few hops of any node, either direction",
              (NODE, Param("hops", int, 1, "how many hops", min=1, max=3), _limit(50)),
              ("id", "name", "distance"), _nx.neighbourhood,
              _one("neighbourhood.cypher"), "kg query neighbourhood --param node=LoRA --param hops=2"),
        Query("co-authors", "the people who wrote papers with an author",
              (AUTHOR, _limit(20)), ("id", "name", "papers"), _nx.co_authors,
              _one("co_authors.cypher"), "kg query co-authors --param 'author=Ada Lovelace'"),
        Query("author-papers", "an author's papers, newest first, with the author's position",
              (AUTHOR, _limit(100)), ("id", "title", "year", "position"), _nx.author_papers,
              _one("author_papers.cypher"), "kg query author-papers --param 'author=Ada Lovelace'"),
        Query("collaboration-path",
              "every shortest co-authorship path (AUTHORED only, at most 12 hops) between two authors",
              (Param("source", str, help=AUTHOR.help), Param("target", str, help=AUTHOR.help), _limit(10)),
              ("path", "hops"), _nx.collaboration_path,
              {"ladybug": "collaboration_path.ladybug.cypher", "neo4j": "collaboration_path.neo4j.cypher"},
              "kg query collaboration-path --param 'source=Ada Lovelace' --param 'target=Grace Hopper'"),
        Query("author-activity-on-method", "the authors with the most papers that use or introduce a method",
              (METHOD, _limit(10)), ("id", "name", "papers"), _nx.author_activity_on_method,
              _one("author_activity_on_method.cypher"),
              "kg query author-activity-on-method --param method=LoRA"),
        Query("method-trend", "papers per year or month that use or introduce a method",
              (METHOD, Param("by", str, "year", "the period", choices=("year", "month"))),
              ("period", "papers"), _nx.method_trend,
              _one("method_trend.cypher"), "kg query method-trend --param method=LoRA --param by=month"),
        Query("shortest-path", "every shortest path (either direction, at most 6 hops) between two nodes",
              (Param("source", str, help=NODE.help), Param("target", str, help=NODE.help), _limit(10)),
              ("path", "hops"), _nx.shortest_path,
              {"ladybug": "shortest_path.ladybug.cypher", "neo4j": "shortest_path.neo4j.cypher"},
              "kg query shortest-path --param source=LoRA --param target=method:ppo"),
        Query("datasets-with-method", "the datasets used by the papers that use a method",
              (METHOD, _limit(10)), ("id", "name", "papers"), _nx.datasets_with_method,
              _one("datasets_with_method.cypher"), "kg query datasets-with-method --param method=LoRA"),
    )
}


def get_query(name: str) -> Query:
    """The registered query ``name``, or :class:`QueryError` listing the valid names.

    >>> get_query("top-methods").columns
    ('id', 'name', 'papers')
    """
    try:
        return REGISTRY[name]
    except KeyError:
        raise QueryError(f"unknown query {name!r}; expected one of {', '.join(sorted(REGISTRY))}") from None


def cypher_text(name: str, dialect: str) -> str:
    """The Cypher text of query ``name`` for ``dialect`` (``ladybug`` or ``neo4j``).

    >>> print(cypher_text("top-methods", "neo4j").splitlines()[0])
    // top-methods: the methods that the most papers use or introduce.
    """
    if dialect not in DIALECTS:
        raise QueryError(f"unknown Cypher dialect {dialect!r}; expected one of {', '.join(DIALECTS)}")
    return (HERE / get_query(name).cypher[dialect]).read_text(encoding="utf-8")


def parse_params(query: Query, given: Mapping[str, Any] | None) -> dict[str, Any]:
    """The query's parameters from ``given`` (strings from the CLI are converted), defaults filled.

    >>> parse_params(REGISTRY["neighbourhood"], {"node": "LoRA", "hops": "2"})
    {'node': 'LoRA', 'hops': 2, 'limit': 50}
    """
    given = dict(given or {})
    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        expected = ", ".join(p.describe() for p in query.params) or "no parameters"
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)}; expected {expected}")
    out = {}
    for p in query.params:
        if p.name in given:
            out[p.name] = p.convert(query.name, given[p.name])
        elif p.required:
            raise QueryError(
                f"query {query.name!r} needs parameter {p.name!r} ({p.type.__name__}): {p.help}; "
                f"e.g. {query.usage}"
            )
        else:
            out[p.name] = p.default
    return out


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``["k=v", ...]`` from the command line as a dict.

    >>> parse_pairs(["method=LoRA", "limit=5"])
    {'method': 'LoRA', 'limit': '5'}
    """
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {pair!r}: expected NAME=VALUE, e.g. --param limit=5")
        out[key.strip()] = value
    return out


@functools.singledispatch
def _execute(store: Any, query: Query, params: dict[str, Any]) -> list[dict[str, Any]]:
    raise QueryError(
        f"cannot run query {query.name!r} on {type(store).__name__}; expected a networkx.MultiDiGraph, "
        "a LadybugStore or a Neo4jStore"
    )


@_execute.register
def _(store: nx.MultiDiGraph, query: Query, params: dict[str, Any]) -> list[dict[str, Any]]:
    return query.networkx(store, **params)


@_execute.register
def _(store: LadybugStore, query: Query, params: dict[str, Any]) -> list[dict[str, Any]]:
    return store.run(cypher_text(query.name, "ladybug"), params)


@_execute.register
def _(store: Neo4jStore, query: Query, params: dict[str, Any]) -> list[dict[str, Any]]:
    return store.run(cypher_text(query.name, "neo4j"), params)


def run_query(store: Any, name: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run the named query on ``store`` (a NetworkX graph, LadybugDB or Neo4j); rows as dicts."""
    query = get_query(name)
    return _execute(store, query, parse_params(query, params))
