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


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_is_the_same_file_on_another_day(tmp_path, monkeypatch, fmt):
    """Output is deterministic: no date of the export day goes into the file."""
    import time

    first = tmp_path / f"first.{fmt}"
    export_graph(small_graph(), first)
    real = time.strftime
    monkeypatch.setattr(time, "strftime", lambda f, *a: real(f, time.gmtime(0)) if not a else real(f, *a))
    again = tmp_path / f"again.{fmt}"
    export_graph(small_graph(), again)
    assert again.read_bytes() == first.read_bytes()


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


# ----------------------------------------------------------------------------- schema rules
# The rules of the GraphML 1.0 schema (graphml.xsd, graphml-structure.xsd, graphml-attributes.xsd)
# and of the GEXF 1.2 schema (gexf.xsd, data.xsd, viz.xsd) that kg's files touch, written out
# here: the official .xsd files are not installed by any package we use and are not ours to copy.

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://www.gexf.net/1.2draft}"
GRAPHML_TYPES = {"boolean": bool, "int": int, "long": int, "float": float, "double": float, "string": str}
GEXF_TYPES = {"integer": int, "long": int, "float": float, "double": float, "boolean": bool, "string": str}


def _parse(kind: type, text: str) -> None:
    if kind is bool:
        assert text in ("true", "false", "1", "0"), text
    elif kind is int:
        int(text)
    elif kind is float:
        float(text)


def check_graphml(path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == GRAPHML + "graphml"
    keys = {}
    children = list(root)
    for key in root.findall(GRAPHML + "key"):
        assert key.get("for") in ("all", "graphml", "graph", "node", "edge", "hyperedge", "port", "endpoint")
        assert key.get("id") and key.get("id") not in keys, key.get("id")
        assert key.get("attr.type", "string") in GRAPHML_TYPES, key.attrib
        keys[key.get("id")] = key
    # keys come before graphs (graphml-structure.xsd: sequence desc?, key*, (graph|data)*)
    tags = [c.tag for c in children]
    assert tags == sorted(tags, key=lambda t: t != GRAPHML + "key")
    (graph,) = root.findall(GRAPHML + "graph")
    assert graph.get("edgedefault") in ("directed", "undirected")
    nodes = set()
    for element in graph:
        name = element.tag.removeprefix(GRAPHML)
        assert name in ("desc", "data", "node", "edge", "hyperedge"), name
        if name == "node":
            assert element.get("id") and element.get("id") not in nodes
            nodes.add(element.get("id"))
    for element in graph:
        owner = element.tag.removeprefix(GRAPHML)
        if owner == "edge":
            assert element.get("source") in nodes and element.get("target") in nodes
        targets = [element] if owner == "data" else element.findall(GRAPHML + "data")
        for data in targets:
            key = keys[data.get("key")]  # every data names a declared key ...
            assert key.get("for") in ("all", "graph" if owner == "data" else owner), (owner, key.attrib)
            _parse(GRAPHML_TYPES[key.get("attr.type", "string")], data.text or "")  # ... of its type
    return root


def check_gexf(path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == GEXF + "gexf" and root.get("version") == "1.2"
    meta = root.find(GEXF + "meta")
    assert meta is not None and {c.tag.removeprefix(GEXF) for c in meta} <= {
        "creator", "keywords", "description",
    }
    (graph,) = root.findall(GEXF + "graph")
    assert graph.get("defaultedgetype") in ("directed", "undirected", "mutual")
    assert graph.get("mode", "static") in ("static", "dynamic")
    declared: dict[str, dict[str, type]] = {"node": {}, "edge": {}}
    for attributes in graph.findall(GEXF + "attributes"):
        cls = attributes.get("class")
        assert cls in declared
        for attribute in attributes.findall(GEXF + "attribute"):
            assert attribute.get("id") and attribute.get("title")
            assert attribute.get("type") in GEXF_TYPES, attribute.attrib
            declared[cls][attribute.get("id")] = GEXF_TYPES[attribute.get("type")]
    nodes = set()
    for node in graph.find(GEXF + "nodes"):
        assert node.tag == GEXF + "node" and node.get("id") not in nodes
        assert node.get("label"), node.get("id")  # Gephi shows this
        nodes.add(node.get("id"))
        for value in node.iter(GEXF + "attvalue"):
            _parse(declared["node"][value.get("for")], value.get("value"))
    edge_ids = set()
    for edge in graph.find(GEXF + "edges"):
        assert edge.tag == GEXF + "edge" and edge.get("id") not in edge_ids
        edge_ids.add(edge.get("id"))
        assert edge.get("source") in nodes and edge.get("target") in nodes
        assert edge.get("type", "directed") in ("directed", "undirected", "mutual")
        for value in edge.iter(GEXF + "attvalue"):
            _parse(declared["edge"][value.get("for")], value.get("value"))
    return root


@pytest.mark.parametrize("make", [small_graph, hostile_graph])
def test_files_follow_their_schemas_and_say_how_they_encode(tmp_path, make):
    from kg.export import ENCODING

    root = check_graphml(export_graph(make(), tmp_path / "g.graphml"))
    (key,) = [k.get("id") for k in root.iter(GRAPHML + "key") if k.get("attr.name") == "kg_encoding"]
    notes = [d.text for d in root.iter(GRAPHML + "data") if d.get("key") == key]
    assert notes == [ENCODING]
    root = check_gexf(export_graph(make(), tmp_path / "g.gexf"))
    assert root.find(f"{GEXF}meta/{GEXF}description").text == ENCODING
    assert "JSON text" in ENCODING and "kg_label" in ENCODING


def test_seeds_graph_exports_follow_their_schemas(tmp_path):
    from kg.pipeline import build
    from tests.conftest import SEEDS

    graph = build([SEEDS], tmp_path / "b", view=False).graph
    check_graphml(export_graph(graph, tmp_path / "s.graphml"))
    root = check_gexf(export_graph(graph, tmp_path / "s.gexf"))
    labels = {n.get("label") for n in root.iter(GEXF + "node")}
    assert "Diffusion Model" in labels  # readable labels, not ids
    same(read_export(tmp_path / "s.graphml"), graph)
    same(read_export(tmp_path / "s.gexf"), graph)


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(ExportError, match="the folder .*nope does not exist"):
        export_graph(small_graph(), tmp_path / "nope" / "g.gexf")
    assert not (tmp_path / "nope").exists()
