"""Neo4j store: the statements and parameters kg sends (recorded), and a real server when NEO4J_URI is set.

No Neo4j server can be installed on CI, so the unit tests record what kg sends through a
driver-shaped object that stores every ``run(query, params)`` call; the integration tests
at the bottom run against a real Neo4j 5 when ``NEO4J_URI`` is set (they empty its database).
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import networkx as nx
import pytest
from neo4j.exceptions import ServiceUnavailable

from kg.errors import SchemaError, StoreError
from kg.schema import LABELS, NODE_PROPERTIES, REL_TYPES, RELATIONSHIPS
from kg.stores import Neo4jStore
from kg.stores.neo4j import DEFAULT_PASSWORD, DEFAULT_USER, push_statements
from tests.queries.conftest import (
    HOSTILE,
    NEO4J_SKIP,
    NEO4J_URI,
    assert_hostile_values_found,
    fresh_neo4j,
    hostile_graph,
    make_fixture_graph,
)

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class RecordingDriver:
    """Records every ``run(query, params)``; MERGE counters say how many rows were new."""

    def __init__(self, fail_first: int = 0) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.transactions: list[str] = []
        self.seen: set = set()
        self.fail_first = fail_first
        self.closed = False

    def session(self, **kwargs):
        return RecordingSession(self, kwargs)

    def close(self) -> None:
        self.closed = True


class RecordingSession:
    def __init__(self, driver: RecordingDriver, kwargs: dict) -> None:
        self.driver = driver
        self.kwargs = kwargs

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, query, params=None):
        return self._run(query, params or {})

    def _run(self, query, params):
        self.driver.calls.append((query, params))
        created_nodes = created_rels = 0
        for row in params.get("rows", ()):
            key = (query, row.get("id"), row.get("src"), row.get("dst"))
            if key not in self.driver.seen:
                self.driver.seen.add(key)
                if "MERGE (n:" in query:
                    created_nodes += 1
                else:
                    created_rels += 1
        counters = SimpleNamespace(nodes_created=created_nodes, relationships_created=created_rels)
        summary = SimpleNamespace(counters=counters)
        return SimpleNamespace(consume=lambda: summary)

    def execute_write(self, work, *args):
        self.driver.transactions.append("write")
        if self.driver.fail_first:
            self.driver.fail_first -= 1
            raise ServiceUnavailable("connection dropped mid-load")
        return work(SimpleNamespace(run=self._run), *args)

    def execute_read(self, work, *args):
        self.driver.transactions.append("read")
        return work(ReadTx(self), *args)


class ReadTx:
    def __init__(self, session: RecordingSession) -> None:
        self.session = session

    def run(self, query, params):
        self.session.driver.calls.append((query, params))
        return FakeResult()


class FakeResult:
    def keys(self):
        return ["id", "papers"]

    def __iter__(self):
        yield SimpleNamespace(values=lambda: ["method:lora", 5])


def test_defaults_match_docker_compose():
    from tests.conftest import ROOT

    compose = (ROOT / "docker" / "compose.yml").read_text()
    assert f"NEO4J_AUTH: {DEFAULT_USER}/{DEFAULT_PASSWORD}" in compose
    assert "127.0.0.1:7687:7687" in compose and "127.0.0.1:7474:7474" in compose
    assert "neo4j:5" in compose


def test_push_sends_constraints_then_batched_merges():
    g = make_fixture_graph()
    driver = RecordingDriver()
    store = Neo4jStore("bolt://example:7687", driver=driver, batch_size=5)
    report = store.push(g)
    texts = [q for q, _ in driver.calls]
    constraints = [t for t in texts if t.startswith("CREATE CONSTRAINT")]
    assert constraints == [
        f"CREATE CONSTRAINT kg_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in LABELS
    ]
    assert texts.index(constraints[-1]) == len(LABELS) - 1  # constraints come first
    writes = [(q, p) for q, p in driver.calls if p]
    assert all(len(p["rows"]) <= 5 for _, p in writes)
    assert sum(len(p["rows"]) for q, p in writes if "MERGE (n:" in q) == g.number_of_nodes()
    assert sum(len(p["rows"]) for q, p in writes if "MERGE (a)-" in q) == g.number_of_edges()
    assert driver.transactions.count("write") == len(writes)  # each batch its own managed transaction
    assert (report.nodes_created, report.rels_created) == (31, 47)
    # INTRODUCES goes to two labels: one statement per pair
    intro = {q for q, _ in writes if ":INTRODUCES]" in q}
    assert intro == {
        "UNWIND $rows AS row MATCH (a:Paper {id: row.src}) MATCH (b:Method {id: row.dst}) "
        "MERGE (a)-[r:INTRODUCES]->(b) SET r += row.props",
        "UNWIND $rows AS row MATCH (a:Paper {id: row.src}) MATCH (b:Dataset {id: row.dst}) "
        "MERGE (a)-[r:INTRODUCES]->(b) SET r += row.props",
    }


def test_second_push_creates_nothing():
    g = make_fixture_graph()
    driver = RecordingDriver()
    store = Neo4jStore("bolt://example:7687", driver=driver)
    store.push(g)
    first = list(driver.calls)
    again = store.push(g)
    assert (again.nodes_created, again.rels_created) == (0, 0)
    assert (again.nodes_matched, again.rels_matched) == (31, 47)
    assert driver.calls[len(first) :] == first  # the very same statements and parameters


def test_identifiers_only_from_the_schema_and_values_only_as_parameters():
    g = hostile_graph()
    allowed = set(LABELS) | set(REL_TYPES) | {k for p in NODE_PROPERTIES.values() for k in p}
    allowed |= {k for r in RELATIONSHIPS.values() for k in r.properties}
    allowed |= {
        "UNWIND",
        "AS",
        "row",
        "MERGE",
        "SET",
        "MATCH",
        "n",
        "a",
        "b",
        "r",
        "rows",
        "src",
        "dst",
        "props",
        "CREATE",
        "CONSTRAINT",
        "IF",
        "NOT",
        "EXISTS",
        "FOR",
        "REQUIRE",
        "IS",
        "UNIQUE",
    }
    allowed |= {f"kg_{label.lower()}_id" for label in LABELS}
    statements = push_statements(g)
    for text, _params in statements:
        assert set(IDENT.findall(text)) <= allowed, text
        for value in HOSTILE:
            if value:
                assert value not in text
    sent = [p for _, p in statements if p]
    titles = [row["props"]["title"] for p in sent for row in p["rows"] if "title" in row.get("props", {})]
    assert sorted(titles) == sorted(t or "untitled" for t in HOSTILE)
    aliases = [
        row["props"]["aliases"] for p in sent for row in p["rows"] if "aliases" in row.get("props", {})
    ]
    assert aliases == [HOSTILE] * len(HOSTILE)  # lists stay lists of strings


def test_nothing_is_sent_for_a_graph_outside_the_schema():
    g = nx.MultiDiGraph()
    g.add_node("x", label="Paper", **{"n.title = 1 //": "x"})
    driver = RecordingDriver()
    with pytest.raises(SchemaError):
        Neo4jStore("bolt://example:7687", driver=driver).push(g)
    assert driver.calls == []


def test_a_dropped_connection_is_retried_without_duplicates():
    g = make_fixture_graph()
    driver = RecordingDriver(fail_first=2)
    store = Neo4jStore("bolt://example:7687", driver=driver)
    import kg.stores.neo4j as mod

    mod_sleep, mod.time.sleep = mod.time.sleep, lambda s: None
    try:
        report = store.push(g)
    finally:
        mod.time.sleep = mod_sleep
    assert (report.nodes_created, report.rels_created) == (31, 47)
    assert driver.transactions.count("write") == len([p for _, p in push_statements(g) if p]) + 2


def test_a_connection_that_stays_down_is_a_store_error():
    driver = RecordingDriver(fail_first=100)
    store = Neo4jStore("bolt://example:7687", driver=driver)
    import kg.stores.neo4j as mod

    mod_sleep, mod.time.sleep = mod.time.sleep, lambda s: None
    try:
        with pytest.raises(StoreError, match="connection lost 4 times"):
            store.push(make_fixture_graph())
    finally:
        mod.time.sleep = mod_sleep


def test_queries_run_in_read_transactions_with_parameters():
    from kg.queries import cypher_text, run_query

    driver = RecordingDriver()
    store = Neo4jStore("bolt://example:7687", driver=driver, database="kg")
    rows = run_query(store, "papers-using-method", {"method": "'}) DETACH DELETE n //"})
    assert rows == [{"id": "method:lora", "papers": 5}]  # what the fake server answered
    assert driver.transactions == ["read"]
    ((text, params),) = driver.calls
    assert text == cypher_text("papers-using-method", "neo4j")
    assert params == {"method": "'}) DETACH DELETE n //", "limit": 50}


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(StoreError, match="(?s)cannot reach Neo4j at bolt://127.0.0.1:1 .*docker compose"):
        Neo4jStore("bolt://127.0.0.1:1", user="neo4j", password="x")


def test_credentials_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEO4J_USER", "alice")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    store = Neo4jStore("bolt://example:7687", driver=RecordingDriver())
    assert (store.user, store.password) == ("alice", "secret")
    monkeypatch.delenv("NEO4J_USER")
    monkeypatch.delenv("NEO4J_PASSWORD")
    store = Neo4jStore("bolt://example:7687", driver=RecordingDriver())
    assert (store.user, store.password) == ("neo4j", "kgpassword")


# -- a real Neo4j 5 server ---------------------------------------------------------------------


@pytest.mark.neo4j
@pytest.mark.skipif(not NEO4J_URI, reason=NEO4J_SKIP)
def test_neo4j_push_twice_is_idempotent():
    g = make_fixture_graph()
    with fresh_neo4j() as store:
        first = store.push(g)
        assert (first.nodes_created, first.rels_created) == (31, 47)
        before = store.counts()
        props = store.run("MATCH (n) RETURN n.id AS id, properties(n) AS p ORDER BY id")
        again = store.push(g)
        assert (again.nodes_created, again.rels_created) == (0, 0)
        assert store.counts() == before
        assert store.run("MATCH (n) RETURN n.id AS id, properties(n) AS p ORDER BY id") == props
        small = g.subgraph([n for n in g if not n.startswith("author:")]).copy()
    with fresh_neo4j() as store:
        store.push(small)
        grown = store.push(g)
        assert (grown.nodes_created, grown.rels_created) == (4, 9)


@pytest.mark.neo4j
@pytest.mark.skipif(not NEO4J_URI, reason=NEO4J_SKIP)
def test_neo4j_hostile_values_round_trip():
    g = hostile_graph()
    with fresh_neo4j() as store:
        store.push(g)
        assert store.counts()["Paper"] == len(HOSTILE)
        assert_hostile_values_found(store)
