"""kg.view without a browser: selection, summaries, escaping, offline page, CLI, seeds graph."""

from __future__ import annotations

import copy
import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphio import load_graph, save_graph
from kg.view import (
    AmbiguousNodeError,
    NodeNotFoundError,
    ViewError,
    _vis_assets,
    embed_json,
    find_node,
    layout_positions,
    select_view,
    write_view,
)
from tests.kg.view_graphs import big_graph, hostile_graph, small_graph


def page_data(path) -> dict:
    html = path.read_text(encoding="utf-8")
    m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def test_view_does_not_change_the_graph(tmp_path):
    g = small_graph()
    before = copy.deepcopy(g)
    write_view(g, tmp_path / "v.html", focus="LoRA", hops=2, top=5)
    assert nx.utils.graphs_equal(g, before)
    assert list(g.nodes(data=True)) == list(before.nodes(data=True))
    assert list(g.edges(keys=True, data=True)) == list(before.edges(keys=True, data=True))


def test_full_view_shows_everything(tmp_path):
    s = write_view(small_graph(), tmp_path / "v.html")
    assert (s.nodes_shown, s.edges_shown, s.nodes_total, s.edges_total) == (12, 11, 12, 11)
    assert s.left_out == {} and s.layout == "physics"
    data = page_data(tmp_path / "v.html")
    assert len(data["nodes"]) == 12 and len(data["edges"]) == 11
    assert data["physics"] is True
    assert {i["kind"]: i["count"] for i in data["legend"]} == {
        "Paper": 5,
        "Author": 2,
        "Method": 2,
        "Dataset": 1,
        "Repository": 1,
        "Venue": 1,
        "Paper (cited only, stub)": 1,
    }


def test_focus_by_name_hops_and_left_out_reason(tmp_path):
    s = write_view(small_graph(), tmp_path / "v.html", focus="lora", hops=1)
    assert s.focus == "method:lora"
    data = page_data(tmp_path / "v.html")
    assert {n["id"] for n in data["nodes"]} == {
        "method:lora",
        "paper:arxiv:2106.09685",
        "paper:t:qlora-efficient-finetuning",
    }
    assert s.left_out == {"nodes more than 1 hop from LoRA": 9}
    assert "Left out: 9 nodes more than 1 hop from LoRA." in (tmp_path / "v.html").read_text()
    s2 = write_view(small_graph(), tmp_path / "v2.html", focus="method:lora", hops=2)
    # two hops: the papers' authors, code, cited stub
    assert s2.nodes_shown == 7
    assert "repo:github:artidoro/qlora" in {n["id"] for n in page_data(tmp_path / "v2.html")["nodes"]}


def test_find_node_by_id_title_alias_and_errors():
    g = small_graph()
    assert find_node(g, "paper:doi:10.1000/xyz") == "paper:doi:10.1000/xyz"
    assert (
        find_node(g, "qlora: efficient finetuning of quantized llms") == "paper:t:qlora-efficient-finetuning"
    )
    assert find_node(g, "ADAPTERS") == "method:adapter"
    g.add_node("dataset:lora", label="Dataset", name="LoRA")
    with pytest.raises(AmbiguousNodeError) as err:
        find_node(g, "LoRA")
    assert "dataset:lora" in str(err.value) and "method:lora" in str(err.value)
    with pytest.raises(NodeNotFoundError, match="close names: method:adapter"):
        find_node(g, "Adaptor")


def test_top_by_degree_and_pagerank_keep_focus(tmp_path):
    g = small_graph()
    sel = select_view(g, top=3)
    degrees = dict(g.degree())
    assert len(sel.nodes) == 3
    assert min(degrees[n] for n in sel.nodes) >= max(degrees[n] for n in g if n not in sel.nodes)
    assert sel.left_out == {"nodes not in the top 3 by degree": 9}
    pr = select_view(g, top=2, rank="pagerank")
    ranks = nx.pagerank(nx.Graph(g.to_undirected()))
    assert set(pr.nodes) == set(sorted(ranks, key=ranks.get, reverse=True)[:2])
    assert "paper:t:qlora-efficient-finetuning" in pr.nodes  # the paper with the most links
    kept = select_view(g, focus="venue:neurips", hops=3, top=2)
    assert "venue:neurips" in kept.nodes and len(kept.nodes) == 2


def test_label_and_year_filters():
    g = small_graph()
    sel = select_view(g, labels=["Paper", "Method"])
    assert {g.nodes[n]["label"] for n in sel.nodes} == {"Paper", "Method"}
    assert sel.left_out == {"nodes with labels other than Method, Paper": 5}
    sel = select_view(g, years=(2022, 2023))
    assert "paper:arxiv:2106.09685" not in sel.nodes and "paper:t:qlora-efficient-finetuning" in sel.nodes
    assert sel.left_out["papers outside 2022-2023"] == 2  # the 2021 paper and the 2021 stub
    assert sel.left_out["papers without a year (year filter on)"] == 1
    assert "author:edward-hu" not in sel.nodes  # only linked to a 2021 paper
    assert "method:lora" in sel.nodes  # QLoRA (2023) uses it


def test_bad_arguments():
    g = small_graph()
    with pytest.raises(ViewError, match="hops is -1"):
        select_view(g, focus="LoRA", hops=-1)
    with pytest.raises(ViewError, match="rank 'betweenness'"):
        select_view(g, top=2, rank="betweenness")
    with pytest.raises(ViewError, match="empty"):
        select_view(g, years=(2024, 2020))


def test_tooltip_data_links_and_authors(tmp_path):
    write_view(small_graph(), tmp_path / "v.html")
    nodes = {n["id"]: n for n in page_data(tmp_path / "v.html")["nodes"]}
    lora = nodes["paper:arxiv:2106.09685"]
    assert lora["date"] == "2021-06-17" and lora["authors"] == ["Edward Hu"] and lora["author_count"] == 8
    assert {"text": "arXiv 2106.09685", "url": "https://arxiv.org/abs/2106.09685"} in lora["links"]
    qlora = nodes["paper:t:qlora-efficient-finetuning"]
    assert {"text": "Code: artidoro/qlora", "url": "https://github.com/artidoro/qlora"} in qlora["links"]
    assert nodes["paper:doi:10.1000/xyz"]["links"] == [
        {"text": "DOI 10.1000/xyz", "url": "https://doi.org/10.1000/xyz"}
    ]
    assert nodes["paper:ref:hu-etal-2021"]["stub"] is True


def test_hostile_strings_are_escaped_and_links_dropped(tmp_path):
    path = tmp_path / "h.html"
    write_view(hostile_graph(), path, title='<script>alert("t")</script></title><h1>x')
    html = path.read_text(encoding="utf-8")
    # the only script elements are ours: the data block, vis-network and kg's script
    ours = html.replace(_vis_assets()[0], "")  # vis-network's code has "<script>" in a string
    assert len(re.findall(r"<script\b", ours)) == 3
    assert "<script>window" not in html and "</script><script>" not in html
    assert "<img src=x" not in html and "<svg onload" not in html and "<iframe" not in html
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;&lt;/title&gt;&lt;h1&gt;x" in html
    head = html[: html.index("<style>")]
    assert "<title>&lt;script&gt;" in head
    data = page_data(path)
    for node in data["nodes"]:
        for link in node.get("links", []):
            assert link["url"].startswith(("https://", "http://")), link
    x1 = next(n for n in data["nodes"] if n["id"] == "paper:t:x1")
    assert x1["name"].startswith("<script>window.__pwned")  # the text itself is kept, as text
    assert "links" not in x1  # javascript: url dropped
    x2 = next(n for n in data["nodes"] if n["id"] == "paper:t:x2")
    # the hostile DOI becomes a percent-encoded https link: no quote or angle bracket survives
    assert [link["url"] for link in x2["links"]] == [
        "https://doi.org/10.1/%22%3E%3Cimg%20src%3Dx%3E",
        "https://example.org/ok",
    ]


def test_embedded_json_cannot_close_the_script():
    text = embed_json({"a": "</script><!-- \u2028 \u2029 &amp;"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 \u2029 &amp;"}


def test_page_is_offline(tmp_path):
    write_view(small_graph(), tmp_path / "v.html")
    html = (tmp_path / "v.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)=", html)
    assert "cdn" not in html.lower().replace("cdnjs", "") or "cdnjs.cloudflare" not in html
    assert "default-src 'none'" in html and "connect-src 'none'" in html
    assert "vis.Network" in html  # vis-network inline


def test_large_graph_gets_a_fixed_layout(tmp_path):
    g = big_graph()
    s = write_view(g, tmp_path / "big.html")
    assert s.nodes_shown == g.number_of_nodes() > 1000 and s.layout == "precomputed"
    data = page_data(tmp_path / "big.html")
    assert data["physics"] is False
    xs = [n["x"] for n in data["nodes"]]
    ys = [n["y"] for n in data["nodes"]]
    assert len(set(zip(xs, ys, strict=True))) > 0.95 * len(xs)  # spread out, not stacked
    small = write_view(g, tmp_path / "small.html", top=200)
    assert small.layout == "physics" and "x" not in page_data(tmp_path / "small.html")["nodes"][0]


def test_layout_is_deterministic_and_separates_components():
    g = nx.disjoint_union(nx.cycle_graph(6), nx.path_graph(4))
    a, b = layout_positions(g), layout_positions(g)
    assert a == b
    first = [a[n] for n in range(6)]
    second = [a[n] for n in range(6, 10)]
    assert max(x for x, _ in first) < min(x for x, _ in second) or max(y for _, y in first) < min(
        y for _, y in second
    )


def test_cli_view(tmp_path):
    graph = tmp_path / "graph.json"
    save_graph(small_graph(), graph)
    out = tmp_path / "m.html"
    result = CliRunner().invoke(
        main, ["view", str(graph), "--focus", "LoRA", "--hops", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Showing 3 of 12 nodes" in result.output and out.is_file()
    result = CliRunner().invoke(
        main,
        [
            "view",
            str(graph),
            "--years",
            "2021-2022",
            "--label",
            "Paper",
            "--top",
            "2",
            "--rank",
            "pagerank",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert len(page_data(out)["nodes"]) == 2
    result = CliRunner().invoke(main, ["view", str(graph), "--focus", "nothing here", "--out", str(out)])
    assert result.exit_code == 2 and "kg: error: focus 'nothing here'" in result.output
    result = CliRunner().invoke(main, ["view", str(graph), "--years", "20-21", "--out", str(out)])
    assert result.exit_code == 2 and "YYYY-YYYY" in result.output


@pytest.fixture(scope="module")
def seeds_graph(tmp_path_factory):
    from kg.pipeline import build
    from tests.conftest import SEEDS

    out = tmp_path_factory.mktemp("seeds")
    build([SEEDS], out, view=False)
    return load_graph(out / "graph.json")


def test_seeds_views(seeds_graph, tmp_path):
    s = write_view(seeds_graph, tmp_path / "all.html")
    assert s.nodes_shown == seeds_graph.number_of_nodes() > 300 and s.left_out == {}
    s = write_view(seeds_graph, tmp_path / "diff.html", focus="Diffusion Model", hops=2)
    assert s.focus == "method:diffusion-model"
    data = page_data(tmp_path / "diff.html")
    ids = {n["id"] for n in data["nodes"]}
    users = {p for p, _m, k in seeds_graph.in_edges("method:diffusion-model", keys=True)}
    assert users <= ids and len(users) >= 10
    assert s.nodes_shown + sum(s.left_out.values()) == s.nodes_total
    s = write_view(seeds_graph, tmp_path / "top.html", top=40, rank="pagerank")
    assert s.nodes_shown == 40 and s.edges_shown > 20
