"""The command line with bad input: a bad file never stops `kg build`, the report and the
summary name it, `--strict` sets the exit status; graph-reading commands on a binary file give
one line; `kg cypher` refuses file and network access; `kg push` refuses values that do not fit."""

from __future__ import annotations

import gzip
import json
import os

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import StoreError
from kg.graphio import load_graph, save_graph
from kg.stores.ladybug import LadybugStore, refuse_io
from tests.conftest import SAMPLES


@pytest.fixture
def hostile(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.ris").write_bytes((SAMPLES / "ris/example_full.ris").read_bytes())
    works = (SAMPLES / "openalex/works-300.jsonl.gz").read_bytes()
    (src / "cut.jsonl.gz").write_bytes(works[: len(works) // 4])
    (src / "empty.xml").write_bytes((SAMPLES / "arxiv_atom/empty.xml").read_bytes())
    (src / "fake.jsonl.gz").write_text('{"id": 1}\n', encoding="utf-8")
    line = (SAMPLES / "arxiv_snapshot/arxiv-metadata-oai-snapshot.head100.jsonl").read_text().splitlines()[0]
    rec = json.loads(line)
    odd = dict(rec, id="0704.9999", title="Bad \ud800 title \x1b[31m\x00 here",
               authors_parsed=[["X\ud800", "Y"]])
    (src / "odd.jsonl").write_text(json.dumps(odd) + "\n" + line + "\n", encoding="utf-8")
    (src / "utf16.ris").write_bytes(b"\xff\xfe" + "TY  - JOUR\nTI  - Sixteen bits\nPY  - 2020\nER  - \n"
                                    .encode("utf-16-le"))
    os.mkfifo(src / "pipe.json")
    return src


def test_build_over_bad_files_finishes_and_names_them(hostile, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(hostile), "--out", str(out), "--no-view", "--no-model",
                                       "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    failed = {f["file"]: f["error"] for f in report["failed_files"]}
    assert set(failed) == {"in/cut.jsonl.gz", "in/fake.jsonl.gz", "in/pipe.json"}
    assert "truncated" in failed["in/cut.jsonl.gz"] and "gzip" in failed["in/fake.jsonl.gz"]
    assert "FIFO" in failed["in/pipe.json"]
    for name in failed:
        assert name in result.output  # the summary names every failed file
    assert report["files"]["in/empty.xml"]["read"] == 0  # a file that yields nothing is still there
    assert report["files"]["in/cut.jsonl.gz"]["loaded"] > 10  # what came before the cut is kept
    assert report["files"]["in/utf16.ris"]["loaded"] == 1
    assert report["reconciled"]
    q = [json.loads(x) for x in (out / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {x["file"] for x in q if x.get("file_failed")} == set(failed)
    graph = load_graph(out / "graph.json")
    titles = [d.get("title", "") for _, d in graph.nodes(data=True) if d["label"] == "Paper"]
    assert "Bad \ufffd title here" in titles and "Sixteen bits" in titles
    assert not any("\x1b" in t or "\x00" in t for t in titles)
    assert not list(out.glob("*.tmp"))


def test_strict_fails_the_build_when_anything_is_quarantined(hostile, tmp_path):
    result = CliRunner().invoke(main, ["build", str(hostile), "--out", str(tmp_path / "out"), "--no-view",
                                       "--no-model", "--jobs", "1", "--strict"])
    assert result.exit_code == 1 and (tmp_path / "out" / "report.json").is_file()
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.ris").write_bytes((SAMPLES / "ris/example_full.ris").read_bytes())
    result = CliRunner().invoke(main, ["build", str(good), "--out", str(tmp_path / "out2"), "--no-view",
                                       "--no-model", "--jobs", "1", "--strict"])
    assert result.exit_code == 0, result.output


def test_size_limits_from_the_command_line(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.ris").write_text("TY  - JOUR\nTI  - Short\nAB  - " + "long " * 400 + "\nER  - \n",
                               encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(out), "--no-view", "--no-model",
                                       "--jobs", "1", "--max-field", "1000"])
    assert result.exit_code == 0, result.output
    (q,) = [json.loads(x) for x in (out / "quarantine.jsonl").read_text().splitlines()]
    assert "field 'abstract'" in q["reason"] and "--max-field" in q["reason"]


@pytest.mark.parametrize("content", [os.urandom(3000), gzip.compress(b"x" * 100), b"[" * 100_000,
                                     b'{"nodes": [{"x": 1}], "edges": [1]}'])
def test_graph_commands_on_a_file_that_is_not_a_graph(tmp_path, content):
    bad = tmp_path / "graph.json"
    bad.write_bytes(content)
    for args in (["stats", str(bad)], ["query", "top-methods", "--graph", str(bad)],
                 ["export", str(bad), "--format", "gexf", "--out", str(tmp_path / "g.gexf")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and result.output.count("\n") == 1
        assert "graph.json" in result.output


def test_lone_surrogates_are_written_as_replacement_characters(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("paper:t:\ud800x", label="Paper", title="bad \udcff")
    save_graph(g, tmp_path / "graph.json")
    nodes = list(load_graph(tmp_path / "graph.json").nodes(data="title"))
    assert nodes == [("paper:t:\ufffdx", "bad \ufffd")]
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]


@pytest.fixture
def store(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("paper:t:a", label="Paper", title="A", year=2024, author_count=3)
    g.add_node("method:lora", label="Method", name="LoRA")
    g.add_edge("paper:t:a", "method:lora", key="USES_METHOD", type="USES_METHOD")
    save_graph(g, tmp_path / "graph.json")
    db = tmp_path / "kg.lbdb"
    with LadybugStore(db) as s:
        s.push(g)
    return db


@pytest.mark.parametrize("text", [
    "LOAD FROM '/etc/passwd' RETURN *",
    "load  from \"/etc/hostname\" (header=false) RETURN *",
    "COPY (MATCH (p:Paper) RETURN p.title) TO '/tmp/kg-exfiltrated.csv'",
    "INSTALL httpfs",
    "LOAD EXTENSION httpfs",
    "ATTACH '/tmp/other.lbdb' AS other (dbtype lbug)",
    "EXPORT DATABASE '/tmp/kg-export'",
    "MATCH (n) WITH n /* hidden */ LOAD FROM 'x.csv' RETURN *",
])
def test_cypher_refuses_file_and_network_access(store, tmp_path, text):
    result = CliRunner().invoke(main, ["cypher", text, "--ladybug", str(store)])
    assert result.exit_code == 2 and "refused" in result.output and "--allow-io" in result.output
    assert not os.path.exists("/tmp/kg-exfiltrated.csv")


def test_cypher_still_runs_queries_that_only_mention_those_words(store):
    text = "MATCH (p:Paper) WHERE p.title <> 'LOAD FROM /etc/passwd' RETURN p.title AS copy_of_title"
    result = CliRunner().invoke(main, ["cypher", text, "--ladybug", str(store), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"copy_of_title": "A"}]
    refuse_io("MATCH (n) RETURN n.load AS `COPY`")  # a property and a quoted name: no error


def test_cypher_allow_io_lets_the_user_read_a_file(store, tmp_path):
    f = tmp_path / "rows.csv"
    f.write_text("a\n1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["cypher", f"LOAD FROM '{f}' (header=true) RETURN *", "--ladybug",
                                       str(store), "--allow-io", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"a": 1}]


def test_push_refuses_an_integer_beyond_64_bits_before_writing(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("paper:t:a", label="Paper", title="A", year=2024, author_count=3)
    g.add_node("paper:t:b", label="Paper", title="B", year=2024, author_count=10**40)
    with LadybugStore(tmp_path / "db") as s:
        expected = r"Paper.author_count: value an integer of 133 bits of node 'paper:t:b'.*nothing was pushed"
        with pytest.raises(StoreError, match=expected):
            s.push(g)
        assert s.counts()["Paper"] == 0
        g.nodes["paper:t:b"]["author_count"] = 5
        assert s.push(g).nodes_created == 2
