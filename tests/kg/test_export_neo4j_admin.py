"""``kg export --format neo4j-admin``: the CSV files of ``neo4j-admin database import full``.

The format tests read the files back by the rules of Neo4j's "CSV header format" page
(typed header columns, ``"`` quoting with doubled quotes, empty unquoted field = no
property, array delimiter). The import test runs Neo4j's own import tool (``neo4j-admin``'s
``AdminTool`` from the Maven artifacts of docker/neo4j-test) on the files, starts the engine
on the imported database and compares every node and relationship with the graph.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export_neo4j_admin import export_neo4j_admin
from kg.graphio import save_graph
from kg.schema import EDGE_COMMON
from tests.queries.conftest import HOSTILE

TEXTS = [*HOSTILE, 'a,b "c" \\"d\\" ,,', "semi;colon", "x" * 100_000, "tab\tand\r\nCRLF"]


def hostile_export_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i, text in enumerate(TEXTS):
        pid = f"paper:t:{i}-{text[:100]}"
        g.add_node(pid, label="Paper", title=text or "untitled", abstract=text, year=2000 + i,
                   stub=i % 2 == 0, sources=[text or "empty", f"a.txt:{i}"])
        mid = f"method:{i}"
        g.add_node(mid, label="Method", name=text or "x", aliases=[t for t in TEXTS if t][:4])
        g.add_edge(pid, mid, key="USES_METHOD", type="USES_METHOD", **{k: f"{text}:{k}" for k in EDGE_COMMON})
    g.add_node("author:a", label="Author", name="A. Author")
    g.add_edge("author:a", next(iter(g)), key="AUTHORED", type="AUTHORED", position=1)
    return g


def read_import_csv(path, delimiter: str) -> list[dict]:
    """A file of the import format as rows of typed values (absent = not in the row)."""
    with open(path, encoding="utf-8", newline="") as f:  # keep \r\n inside values as written
        text = f.read()
    header_line, _, body = text.partition("\n")
    header = header_line.split(",")
    out = []
    for cells in csv.reader(io.StringIO(body), strict=True):
        row = {}
        for column, cell in zip(header, cells, strict=True):
            name, _, kind = column.partition(":")
            if cell == "" and kind in ("long", "boolean", "string[]"):
                continue
            value = {"long": int, "boolean": lambda c: {"true": True, "false": False}[c],
                     "string[]": lambda c: c.split(delimiter)}.get(kind, str)(cell)
            row[name or kind] = value
        out.append(row)
    return out


def test_headers_types_and_quoting_follow_the_import_format(tmp_path):
    g = hostile_export_graph()
    result = export_neo4j_admin(g, tmp_path / "out")
    assert result.array_delimiter == "|"  # ';' occurs in a list element
    papers = (result.folder / "nodes_Paper.csv").read_text().split("\n", 1)[0]
    assert papers == "id:ID,title:string,abstract:string,year:long,stub:boolean,sources:string[]"
    rels = (result.folder / "relationships_USES_METHOD.csv").read_text().split("\n", 1)[0]
    assert rels == ":START_ID,:END_ID," + ",".join(f"{k}:string" for k in EDGE_COMMON)
    rows = read_import_csv(result.folder / "nodes_Paper.csv", "|")
    want = sorted((n, d) for n, d in g.nodes(data=True) if d["label"] == "Paper")
    assert [r["id"] for r in rows] == [n for n, _ in want]
    for row, (node, data) in zip(rows, want, strict=True):
        assert row == {"id": node, **{k: v for k, v in data.items() if k != "label"}}
    edges = read_import_csv(result.folder / "relationships_USES_METHOD.csv", "|")
    assert sorted(r["evidence"] for r in edges) == sorted(f"{t}:evidence" for t in TEXTS)
    assert "--array-delimiter=|" in result.arguments and "--multiline-fields=true" in result.arguments
    assert "'--array-delimiter=|'" in result.command  # quoted for the shell


def test_export_is_deterministic_and_replaces_an_earlier_export(tmp_path):
    g = hostile_export_graph()
    first = export_neo4j_admin(g, tmp_path / "a")
    export_neo4j_admin(g, tmp_path / "b")
    for path in first.folder.iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
    small = g.subgraph([n for n in g if not n.startswith("author:")]).copy()
    again = export_neo4j_admin(small, tmp_path / "a")
    assert sorted(p.name for p in again.folder.iterdir()) == ["nodes_Method.csv", "nodes_Paper.csv",
                                                             "relationships_USES_METHOD.csv"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_kg_export_neo4j_admin_prints_the_command(tmp_path):
    path = tmp_path / "graph.json"
    save_graph(hostile_export_graph(), path)
    result = CliRunner().invoke(main, ["export", str(path), "--format", "neo4j-admin", "--out",
                                       str(tmp_path / "import")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    command = result.output.strip().splitlines()[-1]
    assert command.startswith("neo4j-admin database import full neo4j --overwrite-destination")
    assert f"--nodes=Paper={tmp_path / 'import' / 'nodes_Paper.csv'}" in command
    assert f"--relationships=AUTHORED={tmp_path / 'import' / 'relationships_AUTHORED.csv'}" in command


@pytest.mark.neo4j
def test_neo4j_admin_imports_the_files(neo4j, seeds_graph, tmp_path):
    """Neo4j's own import tool reads the files; the imported database equals the graph."""
    from tests.kg.stores.test_neo4j_store import dump, expected_dump
    from tests.neo4j_server import CLASSPATH, JAR, USER, Neo4jServer, _java, build_launcher, missing_tools

    if missing_tools():
        pytest.skip(f"Neo4j's import tool runs from docker/neo4j-test: {missing_tools()}")
    g = nx.compose(seeds_graph, hostile_export_graph())
    result = export_neo4j_admin(g, tmp_path / "import")
    build_launcher()
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("")
    command = result.arguments
    assert command[:4] == ["neo4j-admin", "database", "import", "full"]
    classpath = os.pathsep.join([str(JAR), CLASSPATH.read_text().strip()])
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    done = subprocess.run([_java(), "-Xmx512m", "-cp", classpath, "org.neo4j.cli.AdminTool", *command[1:],
                           f"--report-file={tmp_path / 'import.report'}"],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    server = Neo4jServer(home)
    server.start()
    try:
        from kg.stores import Neo4jStore

        with Neo4jStore(server.uri, user=USER, password=server.password) as store:
            nodes, rels = dump(store)
    finally:
        server.stop()
    want_nodes, want_rels = expected_dump(g)
    # the import format has no empty list: an empty list is an absent property
    want_nodes = [(labels, {k: v for k, v in props.items() if v != []}) for labels, props in want_nodes]
    assert (nodes, rels) == (want_nodes, want_rels)
