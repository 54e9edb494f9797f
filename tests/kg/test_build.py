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
    assert g.has_edge(pid, "method:lora", "USES_METHOD")
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
