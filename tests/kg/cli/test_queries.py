"""``kg query``, ``kg push`` and ``kg cypher`` through click's CliRunner (real LadybugDB, real files)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from kg.queries import REGISTRY

from kg.cli import main
from kg.graphio import save_graph
from tests.queries.conftest import make_fixture_graph


@pytest.fixture
def graph_file(tmp_path):
    path = tmp_path / "graph.json"
    save_graph(make_fixture_graph(), path)
    return path


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return CliRunner()


def invoke(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_query_list(runner):
    result = invoke(runner, "query", "--list")
    assert result.exit_code == 0
    for name, q in REGISTRY.items():
        assert f"{name}: {q.description}" in result.output
    assert "method (str, required)" in result.output
    assert "hops (int, default 1, 1..3)" in result.output
    listing = json.loads(invoke(runner, "query", "--list", "--json").output)
    assert [q["name"] for q in listing] == list(REGISTRY)


def test_query_top_methods_json_on_a_graph_file(runner, graph_file):
    result = invoke(runner, "query", "top-methods", "--graph", graph_file, "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert rows[0] == {"id": "method:lora", "name": "LoRA", "papers": 5}
    assert len(rows) == 6


def test_query_table_output(runner, graph_file):
    result = invoke(runner, "query", "papers-using-method", "--graph", graph_file, "--param", "method=PPO")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "title", "year"]
    assert lines[2].split()[:5] == ["paper:arxiv:2401.00002", "Scaling", "PPO", "with", "LoRA"]
    assert lines[-1] == "(3 rows)"


def test_push_then_query_and_cypher_on_ladybug(runner, graph_file, tmp_path):
    db = tmp_path / "kg.lbdb"
    first = invoke(runner, "push", graph_file, "--ladybug", db, "--no-progress")
    assert first.exit_code == 0
    assert "nodes: 31 created, 0 matched; relationships: 47 created, 0 matched" in first.output
    second = invoke(runner, "push", graph_file, "--ladybug", db, "--json")
    assert json.loads(second.output[second.output.index("{") :]) == {
        "nodes_created": 0,
        "nodes_matched": 31,
        "rels_created": 0,
        "rels_matched": 47,
        "updated": 0,
    }
    on_file = json.loads(
        invoke(
            runner, "query", "co-authors", "--graph", graph_file, "-p", "author=ada lovelace", "--json"
        ).output
    )
    on_db = json.loads(
        invoke(runner, "query", "co-authors", "--ladybug", db, "-p", "author=ada lovelace", "--json").output
    )
    assert (
        on_db
        == on_file
        == [
            {"id": "author:alan-turing", "name": "Alan Turing", "papers": 2},
            {"id": "author:grace-hopper", "name": "Grace Hopper", "papers": 1},
        ]
    )
    result = invoke(
        runner,
        "cypher",
        "MATCH (m:Method) WHERE m.name STARTS WITH $p RETURN m.name AS name ORDER BY name",
        "--ladybug",
        db,
        "--param",
        "p=Q",
    )
    assert result.exit_code == 0
    assert result.output.splitlines() == ["name", "-----", "QLoRA", "(1 row)"]
    result = invoke(
        runner,
        "cypher",
        "MATCH (p:Paper) RETURN count(p) AS n LIMIT $k",
        "--ladybug",
        db,
        "-p",
        "k=1",
        "--json",
    )
    assert json.loads(result.output) == [{"n": 14}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "nope", "--graph", "{graph}"], "unknown query 'nope'; expected one of"),
        (["query", "co-authors", "--graph", "{graph}"], "needs parameter 'author'"),
        (["query", "top-methods", "--graph", "{graph}", "-p", "limit"], "expected NAME=VALUE"),
        (["query", "top-methods", "--ladybug", "{tmp}/missing.lbdb"], "no LadybugDB database here"),
        (["cypher", "MATCH (n) DETACH DELETE n", "--ladybug", "{db}"], "read-only"),
        (["push", "{tmp}/none.json", "--ladybug", "{db}"], "no such graph file"),
    ],
)
def test_errors_are_one_line_and_exit_code_2(runner, graph_file, tmp_path, args, message):
    db = tmp_path / "kg.lbdb"
    invoke(runner, "push", graph_file, "--ladybug", db, "--no-progress")
    args = [a.format(graph=graph_file, tmp=tmp_path, db=db) for a in args]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output


def test_query_needs_exactly_one_store(runner, graph_file, tmp_path):
    result = runner.invoke(main, ["query", "top-methods"])
    assert result.exit_code == 2 and "exactly one of --graph" in result.output
    result = runner.invoke(main, ["query", "top-methods", "--graph", str(graph_file), "--ladybug", "x.lbdb"])
    assert result.exit_code == 2 and "exactly one of --graph" in result.output


@pytest.mark.parametrize("command", ["query", "push", "cypher"])
def test_help(runner, command):
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and "--ladybug" in result.output and "--neo4j" in result.output


@pytest.mark.parametrize("store", ["graph", "ladybug"])
def test_unknown_names_are_an_error_with_close_names(runner, graph_file, tmp_path, store):
    if store == "graph":
        where = ["--graph", graph_file]
    else:
        db = tmp_path / "kg.lbdb"
        invoke(runner, "push", graph_file, "--ladybug", db, "--no-progress")
        where = ["--ladybug", db]
    result = runner.invoke(main, ["query", "author-papers", *map(str, where), "-p", "author=Ada Lovelance"])
    assert result.exit_code == 2, result.output
    assert "author='Ada Lovelance': no Author has this id, name or alias" in result.output
    assert "closest: Ada Lovelace (author:ada-lovelace)" in result.output
    args = ["query", "papers-using-method", *map(str, where), "-p", "method=NoSuchMethod"]
    result = runner.invoke(main, args)
    assert result.exit_code == 2 and "no Method has this id, name or alias" in result.output
    # a known name by its alias, and a query whose empty answer is an answer, stay exit 0
    ok = runner.invoke(main, ["query", "author-papers", *map(str, where), "-p", "author=a. lovelace"])
    assert ok.exit_code == 0 and "(no rows)" not in ok.output
    path = runner.invoke(
        main,
        ["query", "shortest-path", *map(str, where), "-p", "source=NeurIPS", "-p", "target=Edsger Dijkstra"],
    )
    assert path.exit_code == 0, path.output


def test_table_prints_whole_ids(runner, tmp_path):
    from tests.queries.conftest import make_fixture_graph

    g = make_fixture_graph()
    long_id = "paper:t:" + "-".join(["a-very-long-title-word"] * 6)
    assert len(long_id) > 100
    g.add_node(long_id, label="Paper", id=long_id, title="A long title " * 10, year=2024)
    g.add_edge(long_id, "method:lora", key="USES_METHOD", type="USES_METHOD")
    path = tmp_path / "g.json"
    save_graph(g, path)
    result = invoke(runner, "query", "papers-using-method", "--graph", path, "-p", "method=LoRA")
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if x.startswith("paper:t:a-very"))
    assert line.split()[0] == long_id  # the id whole, ready for --param paper=...
    assert "…" in line  # the title is still cut


def test_push_draws_no_progress_bar_into_logs(runner, graph_file, tmp_path):
    """Not a terminal (a log, a pipe, CliRunner): no bar unless --progress asks for one."""
    result = runner.invoke(main, ["push", str(graph_file), "--ladybug", str(tmp_path / "a.lbdb")])
    assert result.exit_code == 0
    assert "ladybug:" not in result.stderr and "row/s" not in result.output
    asked = runner.invoke(
        main, ["push", str(graph_file), "--ladybug", str(tmp_path / "b.lbdb"), "--progress"]
    )
    assert asked.exit_code == 0 and "ladybug: 100%" in asked.stderr
