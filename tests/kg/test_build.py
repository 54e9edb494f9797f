"""The graph builder writes only schema labels, types and keys, with evidence on every edge."""

from __future__ import annotations

from kg.build import build_graph
from kg.graphio import from_json, to_json
from kg.model import Author, Citation, Mention, Paper, Source
from kg.resolve import resolve
from kg.schema import NODE_PROPERTIES, RELATIONSHIPS


def corpus():
    return [
        Paper(
            title="LoRA adapters for ImageNet", source=Source("a.txt", 3), format="x", year=2024,
            venue="NeurIPS", authors=(Author("Ada Lovelace", 1, id="author:ada-lovelace"),),
            mentions=(
                Mention("Method", "LoRA", evidence="We adapt LoRA.", introduces=True),
                Mention("Dataset", "ImageNet", evidence="On ImageNet we win."),
                Mention("Repository", "Me/Repo", host="github", url="https://github.com/Me/Repo",
                        evidence="Code: https://github.com/Me/Repo."),
            ),
            citations=(Citation(surnames=("Hu",), year=2021, et_al=True, text="Hu et al. (2021)",
                                evidence="LoRA (Hu et al. (2021)) is cheap."),),
        ),
        Paper(title="Another paper", source=Source("b.txt", 7), format="x",
              mentions=(Mention("Method", "lora", evidence="we reuse lora"),)),
    ]


def test_nodes_edges_and_evidence():
    g = build_graph(resolve(corpus()))
    pid = "paper:t:lora-adapters-for-imagenet"
    assert g.nodes[pid]["label"] == "Paper" and g.nodes[pid]["sources"] == ["a.txt:3"]
    assert g.nodes["method:lora"]["aliases"] == ["lora"]
    assert g.nodes["repo:github:me/repo"]["name"] == "Me/Repo"
    assert g.nodes["paper:ref:hu-etal-2021"]["stub"] is True
    e = g.edges[pid, "method:lora", "INTRODUCES"]
    assert (e["type"], e["evidence"], e["provenance"]) == ("INTRODUCES", "We adapt LoRA.", "a.txt:3")
    assert not g.has_edge(pid, "method:lora", "USES_METHOD")  # introduced: not also used
    assert g.has_edge("paper:t:another-paper", "method:lora", "USES_METHOD")
    assert g.edges["author:ada-lovelace", pid, "AUTHORED"]["position"] == 1
    assert g.edges[pid, "paper:ref:hu-etal-2021", "CITES"]["text"] == "Hu et al. (2021)"
    assert g.has_edge(pid, "venue:neurips", "PUBLISHED_IN")


def test_only_schema_keys_and_no_none_values():
    g = build_graph(resolve(corpus()))
    for _, data in g.nodes(data=True):
        allowed = set(NODE_PROPERTIES[data["label"]]) | {"label"}
        assert set(data) <= allowed
        assert None not in data.values()
    for _, _, key, data in g.edges(keys=True, data=True):
        assert key == data["type"]
        assert set(data) <= set(RELATIONSHIPS[key].properties) | {"type"}


def test_building_twice_gives_the_same_graph():
    a = to_json(build_graph(resolve(corpus())))
    b = to_json(build_graph(resolve(corpus())))
    assert a == b
    assert to_json(from_json(a)) == a


def test_tasks_metrics_and_text_on_every_extracted_edge():
    p = Paper(
        title="Forecasting with Zeta", source=Source("f.txt", 10), format="x", abstract_line=11,
        mentions=(
            Mention("Method", "Zeta", text="Zeta", evidence="We propose Zeta.", introduces=True,
                    source=Source("f.txt", 11)),
            Mention("Method", "Zeta", text="ZETA", evidence="ZETA wins.", source=Source("f.txt", 12)),
            Mention("Dataset", "ETTh1", text="ETTh1 benchmark", evidence="On ETTh1 benchmark.",
                    source=Source("f.txt", 12)),
            Mention("Task", "time-series forecasting", text="time series forecasting",
                    evidence="We study time series forecasting.", source=Source("f.txt", 11)),
            Mention("Metric", "MSE", text="MSE", evidence="MSE drops."),
            Mention("Metric", "MSE", text="mse", evidence="mse drops."),
        ),
    )
    g = build_graph(resolve([p]))
    pid = "paper:t:forecasting-with-zeta"
    rels = sorted((v, k) for _, v, k in g.out_edges(pid, keys=True))
    assert rels == [("dataset:etth1", "USES_DATASET"), ("method:zeta", "INTRODUCES"),
                    ("task:time-series-forecasting", "ADDRESSES")]
    assert g.nodes["task:time-series-forecasting"]["label"] == "Task"
    assert g.nodes[pid]["metrics"] == ["MSE"]
    for _, _, k, data in g.out_edges(pid, keys=True, data=True):
        assert data["text"] and data["evidence"] and data["provenance"].startswith("f.txt:"), k
    assert g.edges[pid, "dataset:etth1", "USES_DATASET"]["text"] == "ETTh1 benchmark"
    assert g.edges[pid, "dataset:etth1", "USES_DATASET"]["provenance"] == "f.txt:12"


def test_edges_from_one_line_share_its_provenance_string():
    src = Source("a.txt", 4)
    p = Paper(title="T", source=src, format="x", authors=(Author("Ada Lovelace", 1),),
              mentions=(Mention("Method", "LoRA", text="LoRA", evidence="We use LoRA and Adam.", source=src),
                        Mention("Method", "Adam", text="Adam", evidence="We use LoRA and Adam.",
                                source=Source("a.txt", 4))))
    g = build_graph(resolve([p]))
    provenance = [d["provenance"] for _, _, d in g.edges(data=True)]
    assert provenance == ["a.txt:4"] * 3
    assert all(x is provenance[0] for x in provenance)


def test_consume_gives_the_same_graph_and_lets_the_papers_go():
    a, b = resolve(corpus()), resolve(corpus())
    papers = b.papers
    assert papers
    assert to_json(build_graph(b, consume=True)) == to_json(build_graph(a))
    assert b.papers == [] and b.stubs == [] and b.entities == {} and b.merges == a.merges
    assert papers == [None] * len(papers)  # the list it was given no longer holds them


def test_the_graph_is_what_networkx_builds_with_its_own_methods():
    """Nodes and edges go into NetworkX's dicts directly (faster than add_node / add_edge):
    the graph equals one built by NetworkX's public methods, and every view agrees with it
    (successors, predecessors, in and out degrees, the same key dict both ways)."""
    import networkx as nx

    g = build_graph(resolve(corpus()))
    h = nx.MultiDiGraph()
    h.add_nodes_from(g.nodes(data=True))
    h.add_edges_from(g.edges(keys=True, data=True))
    assert nx.utils.graphs_equal(g, h)
    assert dict(g.in_degree()) == dict(h.in_degree()) and dict(g.out_degree()) == dict(h.out_degree())
    assert {n: set(g.predecessors(n)) for n in g} == {n: set(h.predecessors(n)) for n in h}
    for u, v in g.edges():
        assert g._pred[v][u] is g._succ[u][v]  # one key dict, as add_edge shares it
    assert g.number_of_edges() == h.number_of_edges() > 5
    # NetworkX's own add_edge on the built graph still works (and knows the existing keys)
    g.add_edge("paper:t:another-paper", "method:lora", key="USES_METHOD", type="USES_METHOD")
    assert g.number_of_edges() == h.number_of_edges()
