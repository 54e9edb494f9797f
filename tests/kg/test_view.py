"""kg.view without a browser: selection, summaries, escaping, offline page, CLI, seeds graph."""

from __future__ import annotations

import copy
import itertools
import json
import math
import random
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphio import load_graph, save_graph
from kg.view import (
    BOX_HEIGHT,
    BOX_WIDTH,
    COMMUNITY_COLORS,
    DOT_GAP,
    LABEL_COLORS,
    LABEL_HIDDEN,
    LABEL_MIN,
    LABEL_SHAPES,
    VIEW_CAP,
    AmbiguousNodeError,
    NodeNotFoundError,
    ViewError,
    _Ranked,
    _vis_assets,
    communities,
    embed_json,
    find_node,
    layout_positions,
    prepare_view,
    select_view,
    separate_dots,
    text_width,
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
    assert s.left_out == {} and s.layout == "precomputed"
    data = page_data(tmp_path / "v.html")
    assert len(data["nodes"]) == 12 and len(data["edges"]) == 11
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert {i["text"]: i["count"] for i in data["legend"]} == {
        "Paper": 4,  # and the stub, counted once, as a stub
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


def test_large_graph_gets_a_fixed_layout_and_a_cap(tmp_path):
    g = big_graph()
    assert g.number_of_nodes() > VIEW_CAP
    s = write_view(g, tmp_path / "big.html")
    assert s.nodes_shown == VIEW_CAP and s.layout == "precomputed"
    (why,) = s.left_out
    assert why.startswith(f"nodes past the view's cap of {VIEW_CAP}")
    assert s.left_out[why] == g.number_of_nodes() - VIEW_CAP
    data = page_data(tmp_path / "big.html")
    xs = [n["x"] for n in data["nodes"]]
    ys = [n["y"] for n in data["nodes"]]
    assert len(set(zip(xs, ys, strict=True))) > 0.95 * len(xs)  # spread out, not stacked
    assert max(xs) - min(xs) <= BOX_WIDTH + 1 and max(ys) - min(ys) <= BOX_HEIGHT + 1
    # the capped view hangs together: few of its nodes are left without a link in it
    sub = g.subgraph(n["id"] for n in data["nodes"])
    assert sum(1 for n in sub if sub.degree(n) == 0) < 0.05 * VIEW_CAP
    every = write_view(g, tmp_path / "all.html", max_nodes=None)
    assert every.nodes_shown == g.number_of_nodes() and every.left_out == {}
    top = write_view(g, tmp_path / "top.html", top=1200)  # an explicit top is not capped
    assert top.nodes_shown == 1200


def test_hub_of_leaves_does_not_fill_a_capped_view():
    g = nx.MultiDiGraph()
    for i in range(30):  # a paper citing 30 works cited nowhere else: degree 30, core 1
        g.add_node(f"paper:ref:r{i}", label="Paper", stub=True)
        g.add_edge("paper:t:hub", f"paper:ref:r{i}", key="CITES", type="CITES")
    for i in range(6):  # a small dense cluster: papers sharing methods
        for j in range(3):
            g.add_edge(f"paper:t:p{i}", f"method:m{j}", key="USES_METHOD", type="USES_METHOD")
    sel = select_view(g, max_nodes=10)
    assert len(sel.nodes) == 10
    assert {f"method:m{j}" for j in range(3)} | {f"paper:t:p{i}" for i in range(6)} <= set(sel.nodes)
    assert "paper:t:hub" in select_view(g, top=10).nodes  # top N is plain top N by degree


def _overlapping(nodes: list[dict], gap: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of drawn dots (x, y, size = radius) closer than their radii plus ``gap``."""
    return [(a["id"], b["id"]) for a, b in itertools.combinations(nodes, 2)
            if math.hypot(a["x"] - b["x"], a["y"] - b["y"]) < a["size"] + b["size"] + gap]


def test_separate_dots_leaves_no_overlap_and_keeps_the_box():
    rng = random.Random(3)  # 400 dots of radius 4-18 crowded into a third of the box
    pos = {f"n{i}": (rng.uniform(-150, 150), rng.uniform(-120, 120)) for i in range(400)}
    pos["twin"] = pos["n0"]  # two dots on one spot
    radius = {n: rng.choice([4.0, 4.0, 4.0, 6.0, 9.0, 18.0]) for n in pos}
    moved = separate_dots(pos, radius)
    assert moved == separate_dots(pos, radius)  # deterministic
    nodes = [{"id": n, "x": x, "y": y, "size": radius[n]} for n, (x, y) in moved.items()]
    assert _overlapping(nodes, gap=DOT_GAP / 2 - 0.1) == []  # 0.1: positions are rounded
    assert all(abs(x) <= BOX_WIDTH / 2 and abs(y) <= BOX_HEIGHT / 2 for x, y in moved.values())
    apart = {"a": (0.0, 0.0), "b": (100.0, 0.0)}
    assert separate_dots(apart, {"a": 5.0, "b": 5.0}) == apart  # nothing to do: nothing moves


def test_view_dots_do_not_overlap(tmp_path):
    write_view(big_graph(), tmp_path / "big.html")  # a capped view of a dense graph
    nodes = page_data(tmp_path / "big.html")["nodes"]
    assert len(nodes) == VIEW_CAP and _overlapping(nodes) == []


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
    assert "3 labels, label colours" in result.output
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
    missing = tmp_path / "no" / "such" / "v.html"
    result = CliRunner().invoke(main, ["view", str(graph), "--out", str(missing)])
    assert result.exit_code == 2
    assert f"the folder {missing.parent} does not exist; create it first" in result.output
    assert not (tmp_path / "no").exists()
    result = CliRunner().invoke(main, ["view", str(graph), "--color", "community", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert page_data(out)["color"] == "community"


def test_cli_view_all_warns_about_size(tmp_path):
    graph = tmp_path / "graph.json"
    save_graph(big_graph(), graph)
    out = tmp_path / "v.html"
    capped = CliRunner().invoke(main, ["view", str(graph), "--out", str(out)])
    assert capped.exit_code == 0 and "warning" not in capped.output
    assert f"past the view's cap of {VIEW_CAP}" in capped.output
    every = CliRunner().invoke(main, ["view", str(graph), "--all", "--out", str(out)])
    assert every.exit_code == 0, every.output
    assert f"warning: this view has {big_graph().number_of_nodes()} nodes" in every.output


def test_same_graph_same_page_bytes(tmp_path):
    """The page depends on the graph, not on the order its nodes and edges were added in."""
    g = small_graph()
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(reversed(list(g.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    for color in ("label", "community"):
        a, b = tmp_path / f"a-{color}.html", tmp_path / f"b-{color}.html"
        write_view(g, a, color=color)
        write_view(shuffled, b, color=color)
        assert a.read_bytes() == b.read_bytes()


def test_palette_is_distinct_and_shapes_per_label(tmp_path):
    colours = [*LABEL_COLORS.values()]
    assert len(set(colours)) == len(colours) == len(LABEL_SHAPES)
    write_view(small_graph(), tmp_path / "v.html")
    data = page_data(tmp_path / "v.html")
    legend = [item["color"] for item in data["legend"]]
    assert len(set(legend)) == len(legend)  # paper, stub and venue are no longer three blues
    stub = next(n for n in data["nodes"] if n.get("stub"))
    assert stub["color"] == "#FFFFFF" and stub["border"] == LABEL_COLORS["Paper"]
    assert {n["kind"]: n["shape"] for n in data["nodes"]}["Method"] == "diamond"


def test_labels_by_importance_do_not_overlap(seeds_graph, tmp_path):
    write_view(seeds_graph, tmp_path / "v.html")
    data = page_data(tmp_path / "v.html")
    labelled = [n for n in data["nodes"] if n["font"] >= LABEL_MIN]
    assert len(labelled) >= 20
    assert all(n["font"] == LABEL_HIDDEN for n in data["nodes"] if n not in labelled)
    # the hubs are labelled, the biggest labels go to the most linked nodes
    hubs = sorted(data["nodes"], key=lambda n: -n["degree"])[:5]
    assert all(h in labelled for h in hubs)
    assert max(labelled, key=lambda n: n["font"])["degree"] == hubs[0]["degree"]
    boxes = []
    for n in labelled:
        w = text_width(n["short"], n["font"])
        top = n["y"] + n["size"] + 8 + n.get("vadjust", 0)
        boxes.append((n["x"] - w / 2, top, n["x"] + w / 2, top + n["font"]))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    # short labels for papers, full text kept for the tooltip
    papers = [n for n in data["nodes"] if n["kind"] == "Paper" and len(n["name"]) > 40]
    assert papers and all(len(n["short"]) <= 28 and n["name"] != n["short"] for n in papers)


def test_focus_and_its_neighbours_are_labelled_first(seeds_graph, tmp_path):
    write_view(seeds_graph, tmp_path / "v.html", focus="Diffusion Model", hops=2, max_labels=5)
    data = page_data(tmp_path / "v.html")
    labelled = {n["id"] for n in data["nodes"] if n["font"] >= LABEL_MIN}
    assert "method:diffusion-model" in labelled and len(labelled) <= 5
    near = set(nx.all_neighbors(seeds_graph, "method:diffusion-model"))
    assert labelled - {"method:diffusion-model"} <= near


def test_community_colours_and_legend(seeds_graph, tmp_path):
    s = write_view(seeds_graph, tmp_path / "c.html", color="community")
    assert s.color == "community"
    data = page_data(tmp_path / "c.html")
    legend = data["legend"]
    assert 3 <= len(legend) <= len(COMMUNITY_COLORS) + 1
    assert [i["color"] for i in legend[: len(COMMUNITY_COLORS)]] == list(COMMUNITY_COLORS[: len(legend)])[
        : min(len(legend), len(COMMUNITY_COLORS))
    ]
    assert sum(i["count"] for i in legend) == len(data["nodes"])
    assert all(n["color"] == legend[n["legend"]]["color"] for n in data["nodes"])
    # each community is named by its best-connected entities: the biggest method hub is in a name
    names = " ".join(i["text"] for i in legend)
    hub = max((n for n in data["nodes"] if n["kind"] == "Method"), key=lambda n: n["degree"])
    assert hub["short"] in names
    groups = communities(seeds_graph)
    assert groups == communities(seeds_graph)  # seeded: the same every time
    assert sum(len(c) for c in groups) == seeds_graph.number_of_nodes()


def test_bad_color_and_cap():
    with pytest.raises(ViewError, match="color 'rainbow' is unknown"):
        write_view(small_graph(), "v.html", color="rainbow")
    with pytest.raises(ViewError, match="max_nodes is 0"):
        write_view(small_graph(), "v.html", max_nodes=0)


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


def test_a_capped_focus_view_grows_from_the_focus():
    g = big_graph()
    sel = select_view(g, focus="paper:t:p5", hops=6, max_nodes=50)
    assert len(sel.nodes) == 50 and "paper:t:p5" in sel.nodes
    sub = g.subgraph(sel.nodes).to_undirected(as_view=True)
    assert nx.is_connected(sub)  # every node shown links back to the focus


def _random_multigraph(seed: int, n: int = 300) -> nx.MultiDiGraph:
    """Hubs, chains, loops, parallel edges and isolated nodes: what a capped view meets."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    g.add_nodes_from(f"n{i:03d}" for i in range(n))
    for _ in range(n):
        u, v = rnd.sample(range(n), 2)
        g.add_edge(f"n{u:03d}", f"n{v:03d}", key=rnd.choice(["CITES", "USES_METHOD"]))
    for i in range(40, 60):  # a chain hanging off the rest (peeled one node a round)
        g.add_edge(f"n{i:03d}", f"n{i + 1:03d}", key="CITES")
    g.add_edge("n007", "n007", key="CITES")  # a loop
    g.add_edge("n008", "n009", key="CITES")
    g.add_edge("n008", "n009", key="USES_METHOD")  # parallel edges
    return g


def _reference_grow(g: nx.MultiDiGraph, limit: int, start: str | None = None) -> list[str]:
    """The capped view's growth written plainly (NetworkX's core numbers, sets and a heap)."""
    import heapq

    score = dict(g.degree())
    ordered = sorted(g, key=lambda n: (-score[n], n))
    simple = nx.Graph(g.to_undirected())
    simple.remove_edges_from(nx.selfloop_edges(simple))
    cores = nx.core_number(simple)
    taken, seen, frontier = [], set(), []

    def take(node: str) -> None:
        taken.append(node)
        seen.add(node)
        for m in simple[node]:
            if m not in seen:
                heapq.heappush(frontier, (-score[m], m))

    if start is not None:
        take(start)
    else:
        for node in ordered:
            if len(taken) < limit and cores[node] >= 2:
                take(node)
    rest = iter(ordered)
    while len(taken) < limit:
        while frontier and frontier[0][1] in seen:
            heapq.heappop(frontier)
        if frontier:
            take(heapq.heappop(frontier)[1])
            continue
        node = next((n for n in rest if n not in seen), None)
        if node is None:
            break
        take(node)
    return taken


@pytest.mark.parametrize("seed", range(5))
def test_capped_selection_in_arrays_matches_the_plain_rules(seed):
    g = _random_multigraph(seed)
    ranked = _Ranked(g, "degree")
    degree = dict(g.degree())
    assert [ranked.nodes[i] for i in ranked.order] == sorted(g, key=lambda n: (-degree[n], n))
    simple = nx.Graph(g.to_undirected())
    simple.remove_edges_from(nx.selfloop_edges(simple))
    core = ranked.two_core()
    assert {ranked.nodes[i] for i in range(len(ranked.nodes)) if core[i]} == set(nx.k_core(simple, 2))
    for limit in (5, 60, 250):
        assert [ranked.nodes[i] for i in ranked.grow(limit)] == _reference_grow(g, limit)
        sel = select_view(g, max_nodes=limit)
        assert sel.nodes == sorted(_reference_grow(g, limit))
        assert sum(sel.left_out.values()) == g.number_of_nodes() - limit
    start = ranked.nodes[int(ranked.order[-1])]  # the least connected node grows a view too
    grown = ranked.grow(30, start=ranked.index[start])
    assert [ranked.nodes[i] for i in grown] == _reference_grow(g, 30, start)


def test_a_prepared_view_holds_no_graph(tmp_path):
    import gc
    import weakref

    g = big_graph()
    alive = weakref.ref(g)
    prepared = prepare_view(g, title="big")
    del g
    gc.collect()
    assert alive() is None  # a build lets its graph go before the layout
    s = prepared.write(tmp_path / "prepared.html")
    direct = write_view(big_graph(), tmp_path / "direct.html", title="big")
    assert s.describe() == direct.describe() and s.nodes_shown == VIEW_CAP
    assert (tmp_path / "prepared.html").read_bytes() == (tmp_path / "direct.html").read_bytes()


@pytest.mark.parametrize("color", ["label", "community"])
def test_empty_tiny_and_unlabelled_graphs(tmp_path, color):
    cases = {
        "empty": nx.MultiDiGraph(),
        "loop": nx.MultiDiGraph([("a", "a")]),
        "int-ids": nx.MultiDiGraph([(1, 2), (2, 3)]),  # ids that are not strings, no labels
    }
    for name, g in cases.items():
        s = write_view(g, tmp_path / f"{name}.html", color=color)
        data = page_data(tmp_path / f"{name}.html")
        assert s.nodes_shown == len(data["nodes"]) == g.number_of_nodes()
        assert all(n["kind"] == "Other" for n in data["nodes"])
    assert {n["id"] for n in page_data(tmp_path / "int-ids.html")["nodes"]} == {"1", "2", "3"}


def test_same_page_bytes_across_processes_and_hash_seeds(seeds_graph, tmp_path):
    """Issue 8 saw edge order differ between builds: two processes with different hash
    seeds write the same view of the same graph.json, byte for byte."""
    import os
    import subprocess
    import sys

    graph = tmp_path / "graph.json"
    save_graph(seeds_graph, graph)
    code = (
        "import sys; from kg.graphio import load_graph; from kg.view import write_view; "
        "write_view(load_graph(sys.argv[1]), sys.argv[2], color=sys.argv[3])"
    )
    for color in ("label", "community"):
        pages = []
        for seed in ("1", "2"):
            out = tmp_path / f"v-{color}-{seed}.html"
            env = {**os.environ, "PYTHONHASHSEED": seed}
            subprocess.run([sys.executable, "-c", code, str(graph), str(out), color], check=True, env=env)
            pages.append(out.read_bytes())
        assert pages[0] == pages[1]
