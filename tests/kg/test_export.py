"""kg.export: GraphML and GEXF files that networkx (and so Gephi/Cytoscape) read back whole."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export import ExportError, export_graph, read_export, to_flat_graph
from kg.graphio import load_graph, save_graph
from tests.kg.view_graphs import hostile_graph, small_graph


def same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("make", [small_graph, hostile_graph])
def test_round_trip(tmp_path, fmt, make):
    g = make()
    path = export_graph(g, tmp_path / f"g.{fmt}")
    same(read_export(path), g)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_plain_networkx_reads_labels_and_properties(tmp_path, fmt):
    g = small_graph()
    path = export_graph(g, tmp_path / f"g.{fmt}")
    raw = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert set(raw.nodes) == set(g.nodes) and raw.number_of_edges() == g.number_of_edges()
    lora = raw.nodes["paper:arxiv:2106.09685"]
    assert lora["kg_label"] == "Paper"
    assert lora["label"] == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert lora["year"] == 2021 and lora["author_count"] == 8
    assert json.loads(lora["sources"]) == ["a.txt:3", "b.txt:9"]
    assert raw.nodes["paper:ref:hu-etal-2021"]["stub"] is True
    assert raw.nodes["paper:doi:10.1000/xyz"]["stub"] is False
    assert json.loads(raw.nodes["method:lora"]["aliases"]) == ["Low-Rank Adaptation", "LoRA"]
    types = sorted(d.get("type", d.get("kg_type")) for *_e, d in raw.edges(data=True))
    assert types == sorted(k for *_e, k in g.edges(keys=True))


def test_files_are_well_formed_xml(tmp_path):
    for fmt in ("graphml", "gexf"):
        root = ET.parse(export_graph(hostile_graph(), tmp_path / f"h.{fmt}")).getroot()
        assert root.tag.endswith("graphml" if fmt == "graphml" else "gexf")


def test_none_removed_and_input_unchanged():
    g = small_graph()
    g.nodes["method:lora"]["note"] = None
    flat = to_flat_graph(g)
    assert "note" not in flat.nodes["method:lora"]
    assert g.nodes["method:lora"]["note"] is None and g.nodes["method:lora"]["label"] == "Method"


def test_unknown_format(tmp_path):
    with pytest.raises(ExportError, match="expected one of graphml, gexf"):
        export_graph(small_graph(), tmp_path / "g.csv")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_read_export_refuses_entity_expansion(tmp_path, fmt):
    """A "billion laughs" file is refused before networkx's standard-library parser sees it."""
    path = tmp_path / f"bomb.{fmt}"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
        '<graphml><graph edgedefault="directed"><node id="&b;"/></graph></graphml>\n',
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match=f"bomb.{fmt}: not a plain, well-formed XML file"):
        read_export(path)


def test_read_export_refuses_broken_xml(tmp_path):
    path = tmp_path / "broken.graphml"
    path.write_text("<graphml><graph>", encoding="utf-8")
    with pytest.raises(ExportError, match="broken.graphml: not a plain, well-formed XML file"):
        read_export(path)


def test_cli_export(tmp_path):
    graph = tmp_path / "graph.json"
    save_graph(small_graph(), graph)
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"out.{fmt}"
        r = CliRunner().invoke(main, ["export", str(graph), "--format", fmt, "--out", str(out)])
        assert r.exit_code == 0, r.output
        assert "12 nodes, 11 edges" in r.output
        same(read_export(out), load_graph(graph))
