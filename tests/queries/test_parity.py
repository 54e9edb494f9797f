"""Every named query gives the same rows on NetworkX, on LadybugDB and on a real Neo4j.

Neo4j is the session fixture ``neo4j`` (tests/neo4j_server.py): the server ``NEO4J_URI``
names, or Neo4j's own engine started from ``docker/neo4j-test``.

The cases are made from the registry, so a new query is covered as soon as it is registered.
Parameter values come from the graph itself (:func:`sample_values`): ids, names, aliases in
another case, titles. A new parameter name must be added there, or these tests fail loudly.
"""

from __future__ import annotations

import networkx as nx
import pytest
from kg.queries import REGISTRY, run_query

from kg.stores import LadybugStore
from tests.queries.conftest import make_fixture_graph


def _nodes(g: nx.MultiDiGraph, label: str) -> list[tuple[str, dict]]:
    return sorted((n, d) for n, d in g.nodes(data=True) if d.get("label") == label)


def _spread(values: list[str], k: int) -> list[str]:
    """At most ``k`` values spread over the sorted list (deterministic)."""
    values = sorted(set(values))
    if len(values) <= k:
        return values
    step = len(values) / k
    return [values[int(i * step)] for i in range(k)]


def sample_values(g: nx.MultiDiGraph, param: str, k: int) -> list[str]:
    """Values to try for a node-naming parameter: ids, names, upper-cased aliases, titles."""
    if param == "method" or param == "author":
        label = "Method" if param == "method" else "Author"
        nodes = _nodes(g, label)
        values = [n for n, _ in nodes] + [d["name"].lower() for _, d in nodes if d.get("name")]
        values += [a.upper() for _, d in nodes for a in d.get("aliases", [])]
        return _spread(values, k) + ["no such thing"]
    if param == "paper":
        nodes = [(n, d) for n, d in _nodes(g, "Paper") if g.out_degree(n)]
        values = [n for n, _ in nodes] + [d["title"].upper() for _, d in nodes if d.get("title")]
        return _spread(values, k) + ["no such paper"]
    if param in ("node", "source", "target"):
        return _spread([n for n in g.nodes if g.degree(n)], k)
    raise AssertionError(f"the parity test has no sample values for parameter {param!r}; add them here")


def cases(g: nx.MultiDiGraph, k: int) -> list[tuple[str, dict]]:
    """(query name, params) pairs covering every registered query and parameter."""
    out = []
    for name, q in REGISTRY.items():
        required = [p.name for p in q.params if p.required]
        choices = {p.name: p.choices for p in q.params if p.choices}
        small = {"limit": 3} if any(p.name == "limit" for p in q.params) else {}
        if not required:
            out += [(name, {}), (name, small)]
            continue
        if required == ["source", "target"]:
            nodes = sample_values(g, "node", k)
            out += [(name, {"source": a, "target": b}) for a in nodes[:4] for b in nodes[-4:]]
            out.append((name, {"source": nodes[0], "target": nodes[0]}))
            people = sample_values(g, "author", k)  # author pairs, for collaboration-path
            out += [(name, {"source": a, "target": b}) for a in people[:4] for b in people[-4:]]
            continue
        (param,) = required
        for value in sample_values(g, param, k):
            out.append((name, {param: value}))
        for choice, options in choices.items():
            out += [(name, {param: sample_values(g, param, k)[0], choice: o}) for o in options]
        if any(p.name == "hops" for p in q.params):
            out += [(name, {param: v, "hops": 2}) for v in sample_values(g, param, 3)]
        out.append((name, {param: sample_values(g, param, k)[0], **small}))
    return out


def _ids(case: tuple[str, dict]) -> str:
    name, params = case
    return name + "[" + ",".join(f"{k}={v}" for k, v in params.items()) + "]"


FIXTURE_CASES = cases(make_fixture_graph(), 12)


@pytest.fixture(scope="module")
def fixture_ladybug(fixture_graph, tmp_path_factory):
    with LadybugStore(tmp_path_factory.mktemp("lb") / "fixture.lbdb") as store:
        store.push(fixture_graph)
        yield store


def test_every_query_has_cases():
    assert {name for name, _ in FIXTURE_CASES} == set(REGISTRY)


@pytest.mark.parametrize("case", FIXTURE_CASES, ids=_ids)
def test_fixture_parity_ladybug(case, fixture_graph, fixture_ladybug):
    name, params = case
    expected = run_query(fixture_graph, name, params)
    assert run_query(fixture_ladybug, name, params) == expected
    assert all(list(row) == list(REGISTRY[name].columns) for row in expected)


def test_fixture_cases_are_not_all_empty(fixture_graph):
    """The parity test would pass vacuously if every row list were empty."""
    for name in REGISTRY:
        sizes = [len(run_query(fixture_graph, n, p)) for n, p in FIXTURE_CASES if n == name]
        assert max(sizes) > 0, f"{name}: no case returns rows on the fixture graph"


# -- the seeds graph (kg.pipeline.build on ../shared/seeds) -------------------------------------


@pytest.fixture(scope="module")
def seeds_ladybug(seeds_graph, tmp_path_factory):
    with LadybugStore(tmp_path_factory.mktemp("lb") / "seeds.lbdb") as store:
        store.push(seeds_graph)
        yield store


def test_seeds_parity_ladybug(seeds_graph, seeds_ladybug):
    failures = []
    seeds_cases = cases(seeds_graph, 8)
    for name, params in seeds_cases:
        expected = run_query(seeds_graph, name, params)
        got = run_query(seeds_ladybug, name, params)
        if got != expected:
            failures.append(f"{_ids((name, params))}:\n  networkx {expected[:3]}\n  ladybug  {got[:3]}")
    assert not failures, "\n".join(failures)
    assert {n for n, _ in seeds_cases} == set(REGISTRY)
    assert run_query(seeds_graph, "top-methods"), "the seeds graph has no methods"


# -- the seeds + samples graph, and Neo4j ------------------------------------------------------


_EXPECTED: dict[tuple[int, int], list[tuple[str, dict, list]]] = {}


def _expected(graph: nx.MultiDiGraph, k: int) -> list[tuple[str, dict, list]]:
    """(name, params, NetworkX rows) of every case, computed once per graph and session."""
    key = (id(graph), k)
    if key not in _EXPECTED:
        _EXPECTED[key] = [(name, params, run_query(graph, name, params)) for name, params in cases(graph, k)]
    return _EXPECTED[key]


def _compare(graph: nx.MultiDiGraph, stores: dict, k: int) -> list[str]:
    """Every case on the graph and on each store; a message per differing answer."""
    failures = []
    for name, params, expected in _expected(graph, k):
        for store_name, store in stores.items():
            got = run_query(store, name, params)
            if got != expected:
                failures.append(
                    f"{_ids((name, params))}:\n  networkx {expected[:3]}\n  {store_name:<8} {got[:3]}"
                )
    return failures


def test_seeds_samples_parity_ladybug(seeds_samples_graph, tmp_path):
    g = seeds_samples_graph
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert {"Author", "Paper"} <= labels
    assert any(d.get("stub") for _, d in g.nodes(data=True)), "no stubs in the seeds + samples graph"
    assert any(d.get("type") == "CITES" for *_, d in g.edges(data=True)), "no citations"
    with LadybugStore(tmp_path / "seeds_samples.lbdb") as store:
        store.push(g)
        failures = _compare(g, {"ladybug": store}, 8)
    assert not failures, "\n".join(failures)


@pytest.mark.neo4j
@pytest.mark.parametrize("which", ["fixture", "seeds", "seeds_samples"])
def test_parity_neo4j(which, request, neo4j):
    """Empties the Neo4j database, pushes the graph, compares every case with NetworkX."""
    graph = request.getfixturevalue(f"{which}_graph")
    with neo4j.fresh() as store:
        report = store.push(graph)
        created = (report.nodes_created, report.rels_created)
        assert created == (graph.number_of_nodes(), graph.number_of_edges())
        failures = _compare(graph, {"neo4j": store}, 12 if which == "fixture" else 8)
    assert not failures, "\n".join(failures)
