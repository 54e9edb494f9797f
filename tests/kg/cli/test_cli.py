"""The command line: every command has help; errors are one clean line and exit code 2."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphio import save_graph

EXPECTED = {"build", "stats", "query", "push", "cypher", "view", "plot", "export", "dedupe"}


def test_every_command_is_there_and_has_help():
    assert set(main.commands) >= EXPECTED
    runner = CliRunner()
    for name in sorted(main.commands):
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output and len(result.output.splitlines()) > 3


@pytest.fixture
def small_graph(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("paper:t:a", label="Paper", title="A")
    g.add_node("paper:ref:fu-etal-2018", label="Paper", title="Fu et al., 2018", stub=True)
    g.add_node("method:lora", label="Method", name="LoRA")
    g.add_edge("paper:t:a", "method:lora", key="USES_METHOD", type="USES_METHOD")
    g.add_edge("paper:t:a", "paper:ref:fu-etal-2018", key="CITES", type="CITES")
    path = tmp_path / "graph.json"
    save_graph(g, path)
    return path


def test_stats_json(small_graph):
    result = CliRunner().invoke(main, ["stats", str(small_graph), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["nodes"] == {"Method": 1, "Paper": 2}
    assert data["edges"] == {"CITES": 1, "USES_METHOD": 1}
    assert data["stub_papers"] == 1


def test_a_build_folder_stands_for_its_graph_json(small_graph, tmp_path):
    folder = small_graph.parent
    runner = CliRunner()
    by_file = runner.invoke(main, ["stats", str(small_graph), "--json"])
    by_folder = runner.invoke(main, ["stats", str(folder), "--json"])
    assert by_folder.exit_code == 0, by_folder.output
    assert json.loads(by_folder.output) == json.loads(by_file.output)
    rows = runner.invoke(main, ["query", "top-methods", "--graph", str(folder), "--json"])
    assert rows.exit_code == 0, rows.output
    assert json.loads(rows.output)[0]["name"] == "LoRA"
    view = runner.invoke(main, ["view", str(folder), "--out", str(tmp_path / "v.html")])
    assert view.exit_code == 0, view.output
    assert "LoRA" in (tmp_path / "v.html").read_text(encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["stats", str(empty)])
    assert result.exit_code == 2 and "is a folder without graph.json" in result.output
    assert "Traceback" not in result.output


def test_stats_of_a_missing_graph_is_one_clean_error(tmp_path):
    result = CliRunner().invoke(main, ["stats", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "no such graph file" in result.output and "Traceback" not in result.output


def test_stats_of_a_file_that_is_not_a_graph(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": [', encoding="utf-8")
    result = CliRunner().invoke(main, ["stats", str(bad)])
    assert result.exit_code == 2 and "bad.json:1" in result.output


def test_build_of_an_empty_folder_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["build", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no files found" in result.output and "Traceback" not in result.output


def test_build_quarantines_files_of_no_known_format(tmp_path):
    src = tmp_path / "mixed"
    src.mkdir()
    (src / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (src / "notes.txt").write_text("just some notes\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "out"), "--no-view"])
    assert result.exit_code == 0, result.output
    assert "nodes: none" in result.output
    lines = [json.loads(x) for x in (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()]
    assert sorted(x["file"] for x in lines) == ["mixed/blob.bin", "mixed/notes.txt"]
    assert all("not a record of any known format" in x["reason"] for x in lines)
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["totals"] == {"read": 2, "loaded": 0, "merged": 0, "quarantined": 2}
