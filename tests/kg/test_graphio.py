"""graph.json: standard node-link JSON that NetworkX reads with its defaults; kg 0.1 files still load."""

import json

import networkx as nx

from kg.graphio import encode_line, load_graph, save_graph


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


def test_save_graph_writes_what_orjson_refuses_and_reads_back(tmp_path):
    """A lone surrogate (not UTF-8), an integer beyond 64 bits and a non-text key: orjson refuses
    each; the line is written by the standard library's encoder instead, in the same compact form."""
    g = nx.MultiDiGraph(name="x")
    g.add_node("paper:t:a", label="Paper", title="Bad \ud800 title", big=2**70, extra={1: "one"})
    g.add_node("paper:t:b", label="Paper", title="Plain", score=0.5)
    g.add_edge("paper:t:a", "paper:t:b", key="CITES", type="CITES", evidence="é \udfff")
    path = tmp_path / "graph.json"
    save_graph(g, path)
    raw = path.read_bytes()
    raw.decode("utf-8")  # valid UTF-8 throughout
    lines = raw.split(b"\n")
    assert lines[:2] == [b'{"directed":true,"multigraph":true,"graph":{"name":"x"},', b'"nodes":[']
    assert lines[2] == (b'{"big":1180591620717411303424,"extra":{"1":"one"},"id":"paper:t:a",'
                        b'"label":"Paper","title":"Bad \xef\xbf\xbd title"},')
    assert lines[3] == b'{"id":"paper:t:b","label":"Paper","score":0.5,"title":"Plain"}'
    h = load_graph(path)
    assert h.nodes["paper:t:a"]["title"] == "Bad \ufffd title"
    assert h.nodes["paper:t:a"]["big"] == 2**70
    assert h.edges["paper:t:a", "paper:t:b", "CITES"]["evidence"] == "é \ufffd"
    assert h.nodes["paper:t:b"] == g.nodes["paper:t:b"]


def test_encode_line_is_compact_sorted_and_equal_for_equal_objects():
    a = encode_line({"b": [1, 2.5, None, True], "a": "ü", "c": {"z": 1, "y": (1, 2)}})
    assert a == '{"a":"ü","b":[1,2.5,null,true],"c":{"y":[1,2],"z":1}}'.encode()
    assert a == encode_line({"c": {"y": [1, 2], "z": 1}, "a": "ü", "b": [1, 2.5, None, True]})
    assert json.loads(a) == {"a": "ü", "b": [1, 2.5, None, True], "c": {"y": [1, 2], "z": 1}}
