"""Neo4j store: the statements kg sends (recorded), and the same store against a real Neo4j engine.

The first tests record what kg sends through a driver-shaped object that stores every
``run(query, params)`` call (exact texts and parameters). The tests marked ``neo4j`` run
against a real Neo4j: the session fixture ``neo4j`` of tests/neo4j_server.py (the server
``NEO4J_URI`` names, or Neo4j's own engine started from docker/neo4j-test). They EMPTY its
database. The stop/restart tests stop and start the local engine in the middle of a push.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

import networkx as nx
import pytest
from neo4j.exceptions import ServiceUnavailable

from kg.errors import SchemaError, StoreError
from kg.schema import EDGE_COMMON, LABELS, NODE_PROPERTIES, REL_TYPES, RELATIONSHIPS
from kg.stores import Neo4jStore
from kg.stores.neo4j import DEFAULT_PASSWORD, DEFAULT_USER, RETURN_IDS, push_statements
from tests.conftest import ROOT
from tests.queries.conftest import (
    HOSTILE,
    assert_hostile_values_found,
    hostile_graph,
    make_fixture_graph,
)

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _merge_form(query: str) -> str:
    """A write statement with CREATE spelled as the MERGE it stands for (the same rows)."""
    query = re.sub(r"CREATE \(n:(\w+)\) SET n = row", r"MERGE (n:\1 {id: row.id}) SET n += row", query)
    return query.replace("CREATE (a)-", "MERGE (a)-").replace("SET r = row.props", "SET r += row.props")


class RecordingDriver:
    """Records every ``run(query, params)``; counters say how many rows were new; a CREATE of a row
    that exists is counted in ``duplicates`` (what a real engine would duplicate or refuse).
    ``fail_first`` transactions fail before their work, ``lose_commits`` after it (the work is
    kept, as when a commit succeeds and its answer is lost). Count queries answer how many rows
    were written so far."""

    def __init__(self, fail_first: int = 0, lose_commits: int = 0) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.transactions: list[str] = []
        self.seen: set = set()
        self.fail_first = fail_first
        self.lose_commits = lose_commits
        self.duplicates = 0
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
        records, found = [], []
        for row in params.get("rows", ()):
            # a node's elementId here is "e:" + its key, as the fake server returns it
            src = row["a"].removeprefix("e:") if "a" in row else row.get("src")
            dst = row["b"].removeprefix("e:") if "b" in row else row.get("dst")
            key = (_merge_form(query), row.get("id"), src, dst)
            if query.endswith(RETURN_IDS):
                found.append([row["id"], "e:" + row["id"]])
            if key not in self.driver.seen:
                self.driver.seen.add(key)
                if "(n:" in query:
                    created_nodes += 1
                else:
                    created_rels += 1
            elif "CREATE (" in query:
                self.driver.duplicates += 1
        if query.endswith(RETURN_IDS):  # one record: the list of [key, elementId] of the rows
            records.append(SimpleNamespace(values=lambda found=found: [found]))
        counters = SimpleNamespace(nodes_created=created_nodes, relationships_created=created_rels)
        summary = SimpleNamespace(counters=counters)
        return FakeWriteResult(summary, records)

    def execute_write(self, work, *args):
        self.driver.transactions.append("write")
        if self.driver.fail_first:
            self.driver.fail_first -= 1
            raise ServiceUnavailable("connection dropped mid-load")
        result = work(SimpleNamespace(run=self._run), *args)
        if self.driver.lose_commits:
            self.driver.lose_commits -= 1
            raise ServiceUnavailable("connection dropped before the commit was acknowledged")
        return result

    def execute_read(self, work, *args):
        self.driver.transactions.append("read")
        return work(ReadTx(self), *args)


class FakeWriteResult:
    def __init__(self, summary, records: list) -> None:
        self.summary, self.records = summary, records

    def __iter__(self):
        return iter(self.records)

    def consume(self):
        return self.summary


class ReadTx:
    def __init__(self, session: RecordingSession) -> None:
        self.session = session

    def run(self, query, params):
        self.session.driver.calls.append((query, params))
        if query.endswith(" AS c"):  # Neo4jStore.counts
            return FakeResult(["c"], [len(self.session.driver.seen)])
        return FakeResult(["id", "papers"], ["method:lora", 5])


class FakeResult:
    def __init__(self, keys: list, values: list) -> None:
        self._keys, self._values = keys, values

    def keys(self):
        return self._keys

    def __iter__(self):
        yield SimpleNamespace(values=lambda: self._values)

    def consume(self):
        return SimpleNamespace(gql_status_objects=())  # the fake server has no warnings


@pytest.fixture
def no_backoff(monkeypatch):
    """The store's waits between reconnects, skipped (the recording fake answers at once)."""
    import kg.stores.neo4j as mod

    monkeypatch.setattr(mod.time, "sleep", lambda seconds: None)


def test_defaults_match_docker_compose():
    from tests.conftest import ROOT

    compose = (ROOT / "docker" / "compose.yml").read_text()
    assert f"NEO4J_AUTH: {DEFAULT_USER}/{DEFAULT_PASSWORD}" in compose
    assert "127.0.0.1:7687:7687" in compose and "127.0.0.1:7474:7474" in compose
    assert "neo4j:5" in compose


def test_push_sends_constraints_then_batched_creates_into_an_empty_database():
    g = make_fixture_graph()
    driver = RecordingDriver()
    store = Neo4jStore("bolt://example:7687", driver=driver, batch_size=5)
    report = store.push(g)
    texts = [q for q, p in driver.calls if not q.endswith(" AS c")]
    constraints = [t for t in texts if t.startswith("CREATE CONSTRAINT")]
    assert constraints == [
        f"CREATE CONSTRAINT kg_{label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in LABELS
    ]
    assert texts.index(constraints[-1]) == len(LABELS) - 1  # constraints come first
    writes = [(q, p) for q, p in driver.calls if p]
    assert all(len(p["rows"]) <= 5 for _, p in writes)
    # nothing was there: every row is a CREATE, which needs no lookup
    assert sum(len(p["rows"]) for q, p in writes if "CREATE (n:" in q) == g.number_of_nodes()
    assert sum(len(p["rows"]) for q, p in writes if "CREATE (a)-" in q) == g.number_of_edges()
    assert not [q for q, _ in writes if "MERGE" in q]
    assert driver.transactions.count("write") == len(writes)  # each batch its own managed transaction
    assert (report.nodes_created, report.rels_created, driver.duplicates) == (31, 47, 0)
    # every node before any relationship
    last_node = max(i for i, (q, _) in enumerate(writes) if "(n:" in q)
    assert all("(n:" not in q for q, _ in writes[last_node + 1 :])
    # every node write returns the elementIds; the relationships find their ends by them
    assert all(q.endswith(RETURN_IDS) for q, _ in writes[: last_node + 1])
    intro = [(q, p) for q, p in writes if ":INTRODUCES]" in q]
    assert {q for q, _ in intro} == {
        "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a MATCH (b) WHERE elementId(b) = row.b "
        "CREATE (a)-[r:INTRODUCES]->(b) SET r = row.props"
    }
    ends = {(row["a"], row["b"]) for _, p in intro for row in p["rows"]}
    assert ends == {("e:" + u, "e:" + v) for u, v, k in g.edges(keys=True) if k == "INTRODUCES"}


def test_second_push_merges_the_same_rows_and_creates_nothing():
    g = make_fixture_graph()
    driver = RecordingDriver()
    store = Neo4jStore("bolt://example:7687", driver=driver)
    store.push(g)
    first = [(q, p) for q, p in driver.calls if p]
    again = store.push(g)
    assert (again.nodes_created, again.rels_created) == (0, 0)
    assert (again.nodes_matched, again.rels_matched) == (31, 47)
    second = [(q, p) for q, p in driver.calls if p][len(first) :]
    assert second == [(_merge_form(q), p) for q, p in first]  # the same rows, as MERGE
    assert all("CREATE (" not in q for q, _ in second)
    assert driver.duplicates == 0


def test_a_create_batch_tried_again_is_sent_as_merge(no_backoff):
    """A commit whose answer is lost is retried: as MERGE, so it cannot duplicate what it wrote."""
    g = make_fixture_graph()
    driver = RecordingDriver(lose_commits=3)
    store = Neo4jStore("bolt://example:7687", driver=driver)
    report = store.push(g)
    assert driver.duplicates == 0
    nodes, rels = report.nodes_created + report.nodes_matched, report.rels_created + report.rels_matched
    assert (nodes, rels) == (31, 47)
    writes = [q for q, p in driver.calls if p]
    assert writes[1] == _merge_form(writes[0]) != writes[0]  # the first batch again, merged


def test_kg_asks_for_server_notifications_only_for_the_users_own_text():
    """Counts of labels a first push has not written yet would each log a notification."""
    driver = RecordingDriver()
    opened: list[dict] = []
    session = driver.session
    driver.session = lambda **kwargs: opened.append(kwargs) or session(**kwargs)
    store = Neo4jStore("bolt://example:7687", driver=driver)
    store.push(make_fixture_graph())
    store.run("MATCH (n:Paper) RETURN n.id AS id")
    assert opened and all(k.get("notifications_min_severity") == "OFF" for k in opened)
    opened.clear()
    store.run("MATCH (n:Paper) RETURN n.id AS id", notes=[])
    assert opened == [{}]  # kg cypher: the server's warnings are asked for, and printed one line each


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
    titles = [row["title"] for p in sent for row in p["rows"] if "title" in row]
    assert sorted(titles) == sorted(t or "untitled" for t in HOSTILE)
    aliases = [row["aliases"] for p in sent for row in p["rows"] if "aliases" in row]
    assert aliases == [HOSTILE] * len(HOSTILE)  # lists stay lists of strings


def test_nothing_is_sent_for_a_graph_outside_the_schema():
    g = nx.MultiDiGraph()
    g.add_node("x", label="Paper", **{"n.title = 1 //": "x"})
    driver = RecordingDriver()
    with pytest.raises(SchemaError):
        Neo4jStore("bolt://example:7687", driver=driver).push(g)
    assert driver.calls == []


def test_a_dropped_connection_is_retried_without_duplicates(no_backoff):
    g = make_fixture_graph()
    driver = RecordingDriver(fail_first=2)
    store = Neo4jStore("bolt://example:7687", driver=driver)
    report = store.push(g)
    assert (report.nodes_created, report.rels_created, driver.duplicates) == (31, 47, 0)
    assert driver.transactions.count("write") == len([p for _, p in push_statements(g) if p]) + 2


def test_a_connection_that_stays_down_is_a_store_error(no_backoff):
    driver = RecordingDriver(fail_first=100)
    store = Neo4jStore("bolt://example:7687", driver=driver)
    with pytest.raises(StoreError, match="connection lost 4 times"):
        store.push(make_fixture_graph())


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


# -- a real Neo4j -----------------------------------------------------------------------------


def _norm(value):
    if isinstance(value, tuple | list | set | frozenset):
        return [str(v) for v in value]
    return value


def expected_dump(g: nx.MultiDiGraph) -> tuple[list, list]:
    """What a clean push of ``g`` must leave: every node's label and properties, every relationship."""
    nodes = sorted(
        (
            (node, [data["label"]], {"id": node, **{k: _norm(v) for k, v in data.items()
                                                  if k != "label" and v is not None}})
            for node, data in g.nodes(data=True)
        ),
        key=lambda t: t[0],
    )
    rels = sorted(
        (data.get("type", key), u, v, {k: _norm(x) for k, x in data.items() if k != "type" and x is not None})
        for u, v, key, data in g.edges(keys=True, data=True)
    )
    return [(labels, props) for _, labels, props in nodes], [list(r) for r in rels]


def dump(store) -> tuple[list, list]:
    """Every node (labels, all properties) and relationship (type, ends, all properties) in the database."""
    nodes = store.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id")
    rels = store.run(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS src, b.id AS dst, properties(r) AS props "
        "ORDER BY type, src, dst"
    )
    return [(r["labels"], r["props"]) for r in nodes], sorted(
        [r["type"], r["src"], r["dst"], r["props"]] for r in rels
    )


def kg_cli(*args: str) -> subprocess.CompletedProcess:
    """``python -m kg ARGS`` in a child process, without NEO4J_* from the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300, check=False)


def assert_one_line_error(done: subprocess.CompletedProcess, *fragments: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.mark.neo4j
def test_neo4j_push_creates_the_uniqueness_constraints(neo4j, fixture_graph):
    with neo4j.fresh() as store:
        for label in LABELS:
            store._with_session(lambda s, label=label: s.run(
                f"DROP CONSTRAINT kg_{label.lower()}_id IF EXISTS").consume())
        store.push(fixture_graph)
        rows = store.run("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                         "WHERE name STARTS WITH 'kg_' RETURN * ORDER BY name")
        assert rows == sorted(
            ({"labelsOrTypes": [label], "name": f"kg_{label.lower()}_id", "properties": ["id"],
              "type": "UNIQUENESS"} for label in LABELS),
            key=lambda r: r["name"],
        )
        # the engine itself now refuses a second Paper with the same id
        with pytest.raises(StoreError, match="ConstraintValidationFailed"):
            store._with_session(lambda s: s.run(
                "CREATE (:Paper {id: $id})", {"id": "paper:arxiv:2401.00001"}).consume())


@pytest.mark.neo4j
def test_neo4j_push_twice_leaves_the_database_identical(neo4j, seeds_samples_graph):
    g = seeds_samples_graph
    with neo4j.fresh() as store:
        first = store.push(g)
        assert (first.nodes_created, first.rels_created) == (g.number_of_nodes(), g.number_of_edges())
        before, counts = dump(store), store.counts()
        assert before == expected_dump(g)  # every property value as in the graph
        again = store.push(g)
        assert (again.nodes_created, again.rels_created) == (0, 0)
        assert (again.nodes_matched, again.rels_matched) == (g.number_of_nodes(), g.number_of_edges())
        assert store.counts() == counts
        assert dump(store) == before


@pytest.mark.neo4j
def test_neo4j_create_that_meets_an_existing_key_is_merged(neo4j, seeds_graph, monkeypatch):
    """A label counted empty that fills before its batch (another writer) is merged, not refused."""
    g = seeds_graph
    with neo4j.fresh() as store:
        store.push(g)
        before = dump(store)
        real_counts = Neo4jStore.counts
        # every label looks empty, every relationship type not: nodes go as CREATE and meet their keys
        monkeypatch.setattr(Neo4jStore, "counts", lambda self: {
            k: (0 if k in LABELS else v) for k, v in real_counts(self).items()})
        again = store.push(g)
        assert (again.nodes_created, again.rels_created) == (0, 0)
        assert dump(store) == before


@pytest.mark.neo4j
def test_neo4j_relationships_reach_their_ends_by_element_id_whatever_was_there(neo4j, seeds_graph):
    """The relationships of a push go to the nodes by the elementId their node writes returned:
    nodes already there, written in another order, beside deleted ones (whose elementIds the
    engine reuses) and unrelated ones, still get exactly the graph's relationships."""
    g = seeds_graph
    with neo4j.fresh() as store:
        def prepare(s):
            s.run("UNWIND range(1, 500) AS i CREATE (:Paper {id: 'paper:gone:' + i})").consume()
            s.run("MATCH (n:Paper) WHERE n.id STARTS WITH 'paper:gone:' DELETE n").consume()
            # half of the graph's nodes, in reverse key order, with no other property
            half = sorted(g, reverse=True)[::2]
            for node in half:
                s.run(f"CREATE (:{g.nodes[node]['label']} {{id: $id}})", {"id": node}).consume()
            s.run("UNWIND range(1, 50) AS i CREATE (:Paper {id: 'paper:other:' + i})").consume()

        store._with_session(prepare)
        store.push(g)
        store._with_session(lambda s: s.run(
            "MATCH (n:Paper) WHERE n.id STARTS WITH 'paper:other:' DELETE n").consume())
        assert dump(store) == expected_dump(g)


@pytest.mark.neo4j
def test_neo4j_push_of_a_bigger_graph_adds_only_the_difference(neo4j, seeds_graph, seeds_samples_graph):
    small, big = seeds_graph, seeds_samples_graph
    new_nodes = set(big) - set(small)
    new_rels = set(big.edges(keys=True)) - set(small.edges(keys=True))
    assert new_nodes and new_rels
    with neo4j.fresh() as store:
        store.push(small)
        grown = store.push(big)
        assert (grown.nodes_created, grown.rels_created) == (len(new_nodes), len(new_rels))
        assert grown.nodes_matched == big.number_of_nodes() - len(new_nodes)
        nodes, rels = dump(store)
    union = nx.compose(small, big)  # a node or edge of both keeps the big graph's values
    assert (nodes, rels) == expected_dump(union)


def hostile_texts() -> list[str]:
    """HOSTILE plus backticks alone, a Cypher comment, non-Latin scripts and 100 KB strings."""
    return [*HOSTILE, "`", "``) RETURN 1 //", "*/ MATCH (n) DETACH DELETE n /*", "ελληνικά · עברית · हिन्दी",
            "q'`\"\n" * 25_000, "長" * 100_000]


def test_hostile_texts_are_big_enough():
    assert max(len(t.encode()) for t in hostile_texts()) >= 100_000


@pytest.mark.neo4j
def test_neo4j_hostile_values_round_trip(neo4j):
    texts = hostile_texts()
    g = nx.MultiDiGraph()
    for i, text in enumerate(texts):
        pid = f"paper:t:{i}-{text[:200]}"
        g.add_node(pid, label="Paper", title=text or "untitled", abstract=text, sources=[text, "a.txt:1"])
        mid = f"method:{i}"
        g.add_node(mid, label="Method", name=text or "x", aliases=texts)
        g.add_edge(pid, mid, key="USES_METHOD", type="USES_METHOD", **{k: f"{text}:{k}" for k in EDGE_COMMON})
    with neo4j.fresh() as store:
        store.push(g)
        assert store.counts()["Paper"] == len(texts)
        assert dump(store) == expected_dump(g)
        for text in texts:  # and each one, as a parameter, finds its own paper
            rows = store.run("MATCH (p:Paper)-[r:USES_METHOD]->(m) WHERE p.abstract = $t "
                             "RETURN p.title AS title, r.evidence AS ev", {"t": text})
            assert rows == [{"title": text or "untitled", "ev": f"{text}:evidence"}]
        store.push(g)
        assert dump(store) == expected_dump(g)
    with neo4j.fresh() as store:  # the shared hostile graph too
        store.push(hostile_graph())
        assert_hostile_values_found(store)


@pytest.mark.neo4j
def test_kg_push_and_cypher_on_neo4j(neo4j, tmp_path):
    from kg.graphio import save_graph

    path = tmp_path / "graph.json"
    save_graph(make_fixture_graph(), path)
    auth = ["--neo4j", neo4j.uri, "--user", neo4j.user, "--password", neo4j.password]
    with neo4j.fresh():
        pass
    first = kg_cli("push", str(path), *auth, "--json", "--no-progress")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["nodes_created"] == 31
    # counting labels and types that do not exist yet is kg's own business: no driver log dump
    assert first.stderr == "", first.stderr
    again = kg_cli("push", str(path), *auth, "--json", "--no-progress")
    assert (json.loads(again.stdout)["nodes_created"], json.loads(again.stdout)["rels_created"]) == (0, 0)
    read = kg_cli("cypher", "MATCH (p:Paper) WHERE p.year = $y RETURN count(p) AS papers", "-p", "y=2024",
                  *auth, "--json")
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout) == [{"papers": 8}]


@pytest.mark.neo4j
def test_kg_query_on_neo4j_gives_the_graphs_rows_and_a_clean_stderr(neo4j):
    """A named query prints its rows and nothing else (the push counted labels it had not seen)."""
    from kg.queries import run_query

    g = make_fixture_graph()
    with neo4j.fresh() as store:
        store.push(g)
    auth = ["--neo4j", neo4j.uri, "--user", neo4j.user, "--password", neo4j.password]
    done = kg_cli("query", "top-methods", *auth, "--json")
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert json.loads(done.stdout) == json.loads(json.dumps(run_query(g, "top-methods", {})))


@pytest.mark.neo4j
def test_kg_cypher_on_neo4j_prints_the_servers_warnings_one_line_each(neo4j):
    with neo4j.fresh() as store:
        store.push(make_fixture_graph())
    auth = ["--neo4j", neo4j.uri, "--user", neo4j.user, "--password", neo4j.password]
    done = kg_cli("cypher", "MATCH (n:Paperz) RETURN count(n) AS c", *auth, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"c": 0}]  # stdout: the rows alone
    assert "Traceback" not in done.stderr and "Received notification" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("note from Neo4j: "), done.stderr
    assert "Paperz" in lines[0] and "does not exist" in lines[0], lines[0]
    clean = kg_cli("cypher", "MATCH (n:Paper) RETURN count(n) AS c", *auth, "--json")
    assert (clean.returncode, clean.stderr) == (0, ""), clean.stderr


@pytest.mark.neo4j
@pytest.mark.parametrize("text", [
    "CREATE (n:Paper {id: 'paper:t:new'}) RETURN n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (m:Method) SET m.name = 'x' RETURN count(m) AS c",
    "CREATE INDEX kg_oops IF NOT EXISTS FOR (n:Paper) ON (n.title)",
])
def test_kg_cypher_on_neo4j_cannot_write(neo4j, text):
    with neo4j.fresh() as store:
        store.push(make_fixture_graph())
        before = dump(store)
        auth = ["--neo4j", neo4j.uri, "--user", neo4j.user, "--password", neo4j.password]
        done = kg_cli("cypher", text, *auth)
        assert_one_line_error(done, "read", "cannot change the graph")
        assert dump(store) == before
        assert not store.run("SHOW INDEXES YIELD name WHERE name = 'kg_oops' RETURN name")


@pytest.mark.neo4j
def test_wrong_password_and_wrong_scheme_are_one_clear_line(neo4j, tmp_path):
    done = kg_cli("cypher", "RETURN 1 AS one", "--neo4j", neo4j.uri, "--user", neo4j.user,
                  "--password", "not-the-password")
    assert_one_line_error(done, f"Neo4j at {neo4j.uri} refused user '{neo4j.user}'", "wrong user or password")
    host_port = neo4j.uri.split("://", 1)[1]
    for uri in (f"http://{host_port}", f"https://{host_port}", host_port):
        done = kg_cli("cypher", "RETURN 1 AS one", "--neo4j", uri, "--password", neo4j.password)
        assert_one_line_error(done, "kg speaks Bolt", "expected bolt://HOST:7687")
    path = tmp_path / "graph.json"
    from kg.graphio import save_graph

    save_graph(make_fixture_graph(), path)
    done = kg_cli("push", str(path), "--neo4j", f"http://{host_port}", "--no-progress")
    assert_one_line_error(done, "not http://")


def _count(store) -> tuple[int, int]:
    row = store.run("MATCH (n) WITH count(n) AS n MATCH ()-[r]->() RETURN n, count(r) AS r")
    return (row[0]["n"], row[0]["r"]) if row else (0, 0)


#: (phase, fraction of that phase's rows already written, how the server stops)
MOMENTS = [("nodes", 0.3, "kill"), ("relationships", 0.15, "stop"), ("relationships", 0.7, "kill")]


@pytest.mark.neo4j
@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: f"{m[2]}-at-{m[1]:.0%}-of-{m[0]}")
def test_neo4j_stopped_mid_push_then_pushed_again_equals_a_clean_push(local_neo4j, seeds_samples_graph,
                                                                     moment):
    phase, fraction, how = moment
    g, server = seeds_samples_graph, local_neo4j.server
    want = expected_dump(g)
    nodes_goal = int(fraction * g.number_of_nodes()) if phase == "nodes" else g.number_of_nodes()
    rels_goal = int(fraction * g.number_of_edges()) if phase == "relationships" else 0
    with local_neo4j.fresh():
        pass
    outcome: dict = {}

    def push() -> None:
        try:
            with local_neo4j.store(batch_size=400) as store:
                outcome["report"] = store.push(g)
        except StoreError as exc:
            outcome["error"] = str(exc)

    worker = threading.Thread(target=push, daemon=True)
    with local_neo4j.store() as watcher:
        worker.start()
        while worker.is_alive():
            n, r = _count(watcher)
            if n >= nodes_goal and r >= rels_goal:
                break
            time.sleep(0.02)
    assert worker.is_alive(), "the push ended before the server could be stopped in its middle"
    server.stop(kill=(how == "kill"))
    if moment == MOMENTS[0]:  # a stopped server: one clear line from the CLI
        done = kg_cli("cypher", "RETURN 1 AS one", "--neo4j", local_neo4j.uri, "--password", server.password)
        assert_one_line_error(done, f"cannot reach Neo4j at {local_neo4j.uri}")
    server.start()
    worker.join(timeout=600)
    assert not worker.is_alive()
    with local_neo4j.store() as store:
        assert _count(store) <= (g.number_of_nodes(), g.number_of_edges())
        store.push(g)  # the same push again
        assert dump(store) == want
