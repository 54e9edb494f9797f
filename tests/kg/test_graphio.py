"""graph.json: standard node-link JSON that NetworkX reads with its defaults; kg 0.1 files still load."""

import json

import networkx as nx

from kg.graphio import load_graph, save_graph


def _graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("paper:t:x", label="Paper", title="X")
    g.add_node("method:lora", label="Method", name="LoRA")
    g.add_edge("paper:t:x", "method:lora", key="USES_METHOD", type="USES_METHOD",
               evidence="We use LoRA.", provenance="a.txt:3")
    return g


def test_networkx_reads_graph_json_with_its_defaults(tmp_path):
    path = tmp_path / "graph.json"
    save_graph(_graph(), path)
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    assert {"source": "paper:t:x", "target": "method:lora"}.items() <= data["edges"][0].items()
    h = nx.node_link_graph(data)
    assert isinstance(h, nx.MultiDiGraph)
    assert h.edges["paper:t:x", "method:lora", "USES_METHOD"]["provenance"] == "a.txt:3"
    assert dict(h.nodes(data="label")) == {"paper:t:x": "Paper", "method:lora": "Method"}


def test_kg_0_1_files_still_load(tmp_path):
    old = {"directed": True, "multigraph": True, "graph": {},
           "nodes": [{"id": "paper:t:x", "label": "Paper"}, {"id": "method:lora", "label": "Method"}],
           "edges": [{"from": "paper:t:x", "to": "method:lora", "key": "USES_METHOD", "type": "USES_METHOD",
                      "source": "a.txt:3"}]}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    g = load_graph(path)
    edge = g.edges["paper:t:x", "method:lora", "USES_METHOD"]
    assert edge == {"type": "USES_METHOD", "provenance": "a.txt:3"}


def test_edge_count_and_ends_agree_with_networkx_on_every_kind_of_graph():
    from kg.graphio import edge_count, edge_ends

    pairs = [("a", "b"), ("a", "b"), ("b", "a"), ("b", "b"), ("b", "c"), ("c", "a")]
    for kind in (nx.MultiDiGraph, nx.MultiGraph, nx.DiGraph, nx.Graph):
        g = kind(pairs)
        g.add_node("lonely")
        assert edge_count(g) == g.number_of_edges(), kind
        assert sum(n for _, _, n in edge_ends(g)) == g.number_of_edges(), kind
        view = g.subgraph(["a", "b", "lonely"])  # a filtered view, as a view's selection reads
        assert edge_count(view) == view.number_of_edges(), kind
        ends = sorted((u, v) for u, v, n in edge_ends(view) for _ in range(n))
        assert ends == sorted(tuple(e) for e in view.edges()) or not g.is_directed(), kind
    multi = nx.MultiDiGraph(pairs)
    assert sorted(edge_ends(multi)) == [("a", "b", 2), ("b", "a", 1), ("b", "b", 1), ("b", "c", 1),
                                        ("c", "a", 1)]
