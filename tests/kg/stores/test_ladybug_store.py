"""LadybugDB store: schema, idempotent pushes, growing graphs, hostile values, errors (real LadybugDB)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import kg.stores.ladybug as ladybug_module
from kg.errors import SchemaError, StoreError
from kg.graphio import save_graph
from kg.schema import KEY, NODE_PROPERTIES, RELATIONSHIPS
from kg.stores import LadybugStore, open_store
from kg.stores.ladybug import StoreLoader, TableDiff, TableFiles, write_table_files
from tests.queries.conftest import HOSTILE, assert_hostile_values_found, hostile_graph, make_fixture_graph


@pytest.fixture
def fixture_graph() -> nx.MultiDiGraph:
    return make_fixture_graph()


def dump(store: LadybugStore) -> dict:
    """Every node and relationship with every property, as plain sorted data."""
    nodes, rels = {}, {}
    for label, props in NODE_PROPERTIES.items():
        cols = ", ".join(f"n.{k} AS {k}" for k in props)
        for row in store.run(f"MATCH (n:{label}) RETURN {cols}"):
            nodes[row[KEY]] = (label, {k: v for k, v in row.items() if v is not None})
    for rel in RELATIONSHIPS.values():
        cols = "".join(f", r.{k} AS {k}" for k in rel.properties)
        for row in store.run(f"MATCH (a)-[r:{rel.name}]->(b) RETURN a.id AS src, b.id AS dst{cols}"):
            key = (row.pop("src"), row.pop("dst"), rel.name)
            assert key not in rels, f"duplicate relationship {key}"
            rels[key] = {k: v for k, v in row.items() if v is not None}
    return {"nodes": nodes, "rels": rels}


def graph_dump(g: nx.MultiDiGraph) -> dict:
    nodes = {
        n: (d["label"], {k: v for k, v in d.items() if k != "label"} | {KEY: n})
        for n, d in g.nodes(data=True)
    }
    rels = {
        (u, v, k): {a: b for a, b in d.items() if a != "type"} for u, v, k, d in g.edges(keys=True, data=True)
    }
    return {"nodes": nodes, "rels": rels}


def test_push_copies_every_node_and_property(tmp_path, fixture_graph):
    with LadybugStore(tmp_path / "kg.lbdb") as store:
        report = store.push(fixture_graph)
        assert report.nodes_created == fixture_graph.number_of_nodes() == 31
        assert report.rels_created == fixture_graph.number_of_edges() == 47
        assert dump(store) == graph_dump(fixture_graph)
        counts = store.counts()
    assert counts["Paper"] == 14 and counts["Method"] == 6 and counts["CITES"] == 9
    assert counts["INTRODUCES"] == 3  # two Paper->Method and one Paper->Dataset in one table


def test_push_twice_is_idempotent(tmp_path, fixture_graph):
    with LadybugStore(tmp_path / "kg.lbdb") as store:
        store.push(fixture_graph)
        first = dump(store)
        again = store.push(fixture_graph)
        assert (again.nodes_created, again.rels_created, again.updated) == (0, 0, 0)
        assert (again.nodes_matched, again.rels_matched) == (31, 47)
        assert dump(store) == first


def test_reopened_store_keeps_data_and_push_adds_only_the_difference(tmp_path, fixture_graph):
    small = fixture_graph.subgraph([n for n in fixture_graph if not n.startswith("author:")]).copy()
    path = tmp_path / "kg.lbdb"
    with LadybugStore(path) as store:
        first = store.push(small)
    with LadybugStore(path) as store:  # a later run, the database reopened
        report = store.push(fixture_graph)
        assert report.nodes_created == 4 and report.nodes_matched == first.nodes_created
        assert report.rels_created == 9 and report.rels_matched == first.rels_created
        assert report.updated == 0
        grown = dump(store)
    with LadybugStore(tmp_path / "direct.lbdb") as direct:
        direct.push(fixture_graph)
        assert dump(direct) == grown


def test_changed_properties_are_updated_not_duplicated(tmp_path, fixture_graph):
    g = fixture_graph.copy()
    with LadybugStore(tmp_path / "kg.lbdb") as store:
        store.push(g)
        g.nodes["method:lora"]["aliases"] = ["Low-Rank Adaptation", "LoRA adapters"]
        g.nodes["paper:t:nothing-to-see"]["year"] = 2021
        g.edges["paper:t:lora-on-cats", "paper:t:a-dataset-of-cats", "CITES"]["text"] = "Cats et al. (2024)"
        report = store.push(g)
        assert (report.nodes_created, report.rels_created, report.updated) == (0, 0, 3)
        assert dump(store) == graph_dump(g)
        rows = store.run("MATCH (m:Method {id: 'method:lora'}) RETURN m.aliases AS a")
        assert rows == [{"a": ["Low-Rank Adaptation", "LoRA adapters"]}]


def test_hostile_values_round_trip(tmp_path):
    g = hostile_graph()
    with LadybugStore(tmp_path / "kg.lbdb") as store:
        store.push(g)
        assert dump(store) == graph_dump(g)
        assert store.counts()["Paper"] == len(HOSTILE)  # nothing was deleted by a value
        assert_hostile_values_found(store)
        store.push(g)
        assert dump(store) == graph_dump(g)


def test_unknown_property_is_refused_before_writing(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("paper:t:a", label="Paper", title="A", **{"title: 'x'}) DETACH DELETE n //": "boom"})
    with LadybugStore(tmp_path / "kg.lbdb") as store:
        with pytest.raises(SchemaError, match="unknown property"):
            store.push(g)
        assert store.counts()["Paper"] == 0


def test_unknown_label_and_wrong_ends_are_refused(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("x", label="Paper) DETACH DELETE n //")
    with LadybugStore(tmp_path / "kg.lbdb") as store, pytest.raises(SchemaError, match="unknown label"):
        store.push(g)
    g = nx.MultiDiGraph()
    g.add_node("method:a", label="Method")
    g.add_node("paper:b", label="Paper")
    g.add_edge("method:a", "paper:b", key="CITES", type="CITES")
    with (
        LadybugStore(tmp_path / "kg2.lbdb") as store,
        pytest.raises(SchemaError, match="expected Paper->Paper"),
    ):
        store.push(g)


def test_wrong_value_type_names_the_property(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("paper:t:a", label="Paper", title="A", year="two thousand")
    with (
        LadybugStore(tmp_path / "kg.lbdb") as store,
        pytest.raises(StoreError, match="Paper.year: value 'two"),
    ):
        store.push(g)


def test_read_only_needs_an_existing_database(tmp_path):
    with pytest.raises(StoreError, match="no LadybugDB database here; run `kg push GRAPH --ladybug"):
        LadybugStore(tmp_path / "missing.lbdb", read_only=True)


def test_read_only_refuses_writes(tmp_path):
    path = tmp_path / "kg.lbdb"
    with LadybugStore(path) as store:
        store.push(make_fixture_graph())
    with LadybugStore(path, read_only=True) as store:
        assert store.run("MATCH (m:Method) RETURN count(m) AS n") == [{"n": 6}]
        with pytest.raises(StoreError, match="read-only"):
            store.run("MATCH (n:Method) DETACH DELETE n")
        with pytest.raises(StoreError, match="opened read-only"):
            store.push(make_fixture_graph())


def test_open_store_needs_exactly_one_store(tmp_path):
    with pytest.raises(StoreError, match="exactly one store"):
        open_store()
    with pytest.raises(StoreError, match="exactly one store"):
        open_store(ladybug=tmp_path / "a", neo4j="bolt://localhost:7687")


def test_run_returns_nodes_as_plain_dicts(tmp_path, fixture_graph):
    with LadybugStore(tmp_path / "kg.lbdb") as store:
        store.push(fixture_graph)
        (row,) = store.run("MATCH (m:Method {id: $id}) RETURN m", {"id": "method:ppo", "unused": 1})
    assert row == {
        "m": {
            "_label": "Method",
            "id": "method:ppo",
            "name": "PPO",
            "aliases": ["Proximal Policy Optimization"],
        }
    }


# -- loading a new store from table files (what kg build does) ------------------------------------


def load_from_files(graph: nx.MultiDiGraph, tmp_path) -> Path:
    """graph.json and the table files written together, then COPYd by the child process."""
    tables = tmp_path / "tables"
    with TableFiles(graph, tables) as files:
        save_graph(graph, tmp_path / "graph.json", tables=files)
    path = tmp_path / "loaded.lbdb"
    report = StoreLoader(path, tables).wait()
    assert report.nodes_created == graph.number_of_nodes()
    assert report.rels_created == graph.number_of_edges()
    return path


@pytest.mark.parametrize("make", [make_fixture_graph, hostile_graph], ids=["fixture", "hostile"])
def test_store_loaded_from_table_files_equals_a_push(tmp_path, make):
    g = make()
    path = load_from_files(g, tmp_path)
    with LadybugStore(path, read_only=True) as loaded, LadybugStore(tmp_path / "pushed.lbdb") as pushed:
        pushed.push(g)
        assert dump(loaded) == dump(pushed) == graph_dump(g)
        assert loaded.counts() == pushed.counts()
    if make is hostile_graph:
        with LadybugStore(path, read_only=True) as loaded:
            assert_hostile_values_found(loaded)


def _changed(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g`` after an update of every kind: a node gone (with its relationships), a node whose
    properties changed (a hub: its relationships must survive), new nodes and relationships, a
    relationship whose properties changed, one gone between nodes that stay, new ids sorting
    before, between and after the old ones."""
    h = g.copy()
    papers = sorted(n for n, d in h.nodes(data=True) if d["label"] == "Paper" and h.degree(n))
    methods = sorted((n for n, d in h.nodes(data=True) if d["label"] == "Method"), key=h.degree)
    h.remove_node(papers[0])
    hub = methods[-1]
    h.nodes[hub]["aliases"] = [*h.nodes[hub].get("aliases", []), "A new alias"]
    u, v, k, d = sorted(h.edges(keys=True, data=True))[3]
    h.edges[u, v, k]["provenance"] = "new.jsonl:7"
    gone = sorted(h.edges(keys=True))[-2]
    h.remove_edge(*gone)
    for pid in ("paper:a:first", "paper:m:middle", "paper:z:last"):
        h.add_node(pid, label="Paper", id=pid, title=pid.upper(), stub=False, sources=["new.jsonl:1"])
        h.add_edge(pid, hub, key="USES_METHOD", type="USES_METHOD", provenance="new.jsonl:1",
                   text="the hub", evidence="We use the hub.")
    h.add_edge(papers[1], papers[2], key="CITES", type="CITES", provenance="new.jsonl:2")
    return h


@pytest.mark.parametrize("make", [make_fixture_graph, hostile_graph], ids=["fixture", "hostile"])
def test_a_store_patched_with_what_changed_equals_one_loaded_afresh(tmp_path, make):
    old = make()
    base = load_from_files(old, tmp_path / "old")
    new = _changed(old)
    tables = tmp_path / "diff"
    with TableDiff(new, tables, tmp_path / "old" / "graph.json") as diff:
        save_graph(new, tmp_path / "graph.json", tables=diff)
    # only what changed is written: not every node and relationship again (the hub's are kept)
    assert diff.changes["nodes new"] == 3 and diff.changes["nodes deleted"] == 1
    assert diff.changes["nodes changed"] == 1  # the hub, set in place
    assert diff.changes["edges deleted"] == 2  # one gone, one changed (the gone node's go with it)
    assert diff.changes["edges written"] == 5  # one changed, four new
    patched = tmp_path / "patched.lbdb"
    before = base.read_bytes()
    StoreLoader(patched, tables, base=base).wait()
    assert base.read_bytes() == before  # the previous build's store is not touched
    with LadybugStore(patched, read_only=True) as got:
        assert dump(got) == graph_dump(new)
        assert got.counts()["Paper"] == sum(1 for _, d in new.nodes(data=True) if d["label"] == "Paper")


@pytest.mark.parametrize("make", [make_fixture_graph, hostile_graph], ids=["fixture", "hostile"])
def test_table_files_made_from_graph_json_load_the_graph(tmp_path, make):
    """What an update loads when the previous store cannot be patched: the table files split
    from the new graph.json (its lines as written)."""
    g = make()
    save_graph(g, tmp_path / "graph.json")
    write_table_files(tmp_path / "graph.json", tmp_path / "tables")
    report = StoreLoader(tmp_path / "kg.lbdb", tmp_path / "tables").wait()
    assert (report.nodes_created, report.rels_created) == (g.number_of_nodes(), g.number_of_edges())
    with LadybugStore(tmp_path / "kg.lbdb", read_only=True) as store:
        assert dump(store) == graph_dump(g)


def test_a_patch_moves_a_node_whose_label_changed_with_its_relationships(tmp_path):
    """An id that names a node of another label now (a graph from another kind of build) is
    deleted and written again, its old relationships with it."""
    old = nx.MultiDiGraph()
    old.add_node("x:1", label="Method", name="A")
    old.add_node("paper:t:a", label="Paper", title="A")
    old.add_edge("paper:t:a", "x:1", key="USES_METHOD", type="USES_METHOD")
    # INTRODUCES may end at a Method or a Dataset: its line is the same for both
    old.add_edge("paper:t:a", "x:1", key="INTRODUCES", type="INTRODUCES")
    base = load_from_files(old, tmp_path / "old")
    new = nx.MultiDiGraph()
    new.add_node("x:1", label="Dataset", name="A")
    new.add_node("paper:t:a", label="Paper", title="A")
    new.add_edge("paper:t:a", "x:1", key="USES_DATASET", type="USES_DATASET")
    new.add_edge("paper:t:a", "x:1", key="INTRODUCES", type="INTRODUCES")
    with TableDiff(new, tmp_path / "diff", tmp_path / "old" / "graph.json") as diff:
        save_graph(new, tmp_path / "graph.json", tables=diff)
    assert (diff.changes["nodes deleted"], diff.changes["nodes new"]) == (1, 1)
    StoreLoader(tmp_path / "patched.lbdb", tmp_path / "diff", base=base).wait()
    with LadybugStore(tmp_path / "patched.lbdb", read_only=True) as got:
        assert dump(got) == graph_dump(new)


def test_a_patch_of_an_unchanged_graph_writes_nothing(tmp_path):
    g = make_fixture_graph()
    load_from_files(g, tmp_path / "old")
    with TableDiff(g, tmp_path / "diff", tmp_path / "old" / "graph.json") as diff:
        save_graph(g, tmp_path / "graph.json", tables=diff)
    assert set(diff.changes.values()) == {0}
    assert (tmp_path / "graph.json").read_bytes() == (tmp_path / "old" / "graph.json").read_bytes()


def test_a_patch_names_labels_and_types_only_from_the_schema(tmp_path):
    """The delete lists are read back with the schema's checks: a label from a file is never
    pasted into Cypher unchecked."""
    g = make_fixture_graph()
    base = load_from_files(g, tmp_path / "old")
    tables = tmp_path / "diff"
    with TableDiff(g, tables, tmp_path / "old" / "graph.json") as diff:
        save_graph(g, tmp_path / "graph.json", tables=diff)
    (tables / TableDiff.DELETED_NODES).write_text('{"label":"Paper) DETACH DELETE (m","id":"x"}\n')
    with pytest.raises(StoreError, match="unknown label"):
        StoreLoader(tmp_path / "patched.lbdb", tables, base=base).wait()


def test_store_loaded_in_small_copies_keeps_every_row(tmp_path, monkeypatch):
    # several COPY statements per table, the chunks of the JSON reader joined and split
    monkeypatch.setattr(ladybug_module, "_COPY_ROWS", 4)
    monkeypatch.setattr(ladybug_module, "_BLOCK", 256)
    g = make_fixture_graph()
    tables = tmp_path / "tables"
    with TableFiles(g, tables) as files:
        save_graph(g, tmp_path / "graph.json", tables=files)
    with LadybugStore(tmp_path / "kg.lbdb") as store:
        report = store.load_tables(tables)
        assert (report.nodes_created, report.rels_created) == (31, 47)
        assert dump(store) == graph_dump(g)


def test_table_files_refuse_what_a_push_refuses(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("paper:t:a", label="Paper", title="A", **{"title: 'x'}) DETACH DELETE n //": "boom"})
    with TableFiles(g, tmp_path / "t") as files, pytest.raises(SchemaError, match="unknown property"):
        save_graph(g, tmp_path / "graph.json", tables=files)
    g = nx.MultiDiGraph()
    g.add_node("method:a", label="Method")
    g.add_node("paper:b", label="Paper")
    g.add_edge("method:a", "paper:b", key="CITES", type="CITES")
    with TableFiles(g, tmp_path / "t2") as files, pytest.raises(SchemaError, match="expected Paper->Paper"):
        save_graph(g, tmp_path / "graph.json", tables=files)
    assert not (tmp_path / "graph.json").exists()


@pytest.mark.parametrize(("value", "shown"), [("two thousand", "'two thousand'"), (2**70, "71 bits")])
def test_a_value_of_the_wrong_type_is_named_by_the_loader(tmp_path, value, shown):
    g = nx.MultiDiGraph()
    for i in range(5):
        g.add_node(f"paper:t:{i}", label="Paper", title=str(i), year=2020 + i)
    g.nodes["paper:t:3"]["year"] = value
    tables = tmp_path / "tables"
    with TableFiles(g, tables) as files:
        save_graph(g, tmp_path / "graph.json", tables=files)
    with pytest.raises(StoreError, match=rf"Paper\.year: value .*{shown}.* of node 'paper:t:3' is not INT64"):
        StoreLoader(tmp_path / "kg.lbdb", tables).wait()
