"""End to end on the user's seed listings: `kg build ../shared/seeds --out build/`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphio import load_graph
from tests.conftest import SEEDS

SEARCH = "seeds/000_761299f930b716c2.txt"
DAILY = "seeds/001_eea2f075fb8cce27.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def paper_by_title(g, start):
    (pid,) = [n for n, d in g.nodes(data=True)
              if d["label"] == "Paper" and d.get("title", "").startswith(start)]
    return pid


def test_build_writes_its_four_files_and_a_summary(built):
    out, output = built
    for name in ("graph.json", "view.html", "quarantine.jsonl", "report.json"):
        assert (out / name).stat().st_size > 0, name
    assert "kg build: done" in output and "Paper" in output and "reconcile" not in output


def test_report_reconciles_every_file(built):
    out, _ = built
    report = json.loads((out / "report.json").read_text())
    files = report["files"]
    assert files[SEARCH] == {**files[SEARCH], "format": "search_results", "read": 119, "loaded": 119,
                             "merged": 0, "quarantined": 0}
    assert (files[DAILY]["read"], files[DAILY]["loaded"], files[DAILY]["merged"]) == (46, 45, 1)
    assert files["seeds/README.md"]["quarantined"] == 1
    for f in files.values():
        assert f["read"] == f["loaded"] + f["merged"] + f["quarantined"]
    assert report["reconciled"] is True
    assert "inferred" in files[DAILY]["dates"]
    lines = (out / "quarantine.jsonl").read_text().splitlines()
    assert [json.loads(x)["file"] for x in lines] == ["seeds/README.md"]


def test_the_shared_paper_is_one_node_listing_both_sources(built):
    g = load_graph(built[0] / "graph.json")
    pid = paper_by_title(g, "How to Train Your HiPPO")
    assert g.nodes[pid]["sources"] == [f"{SEARCH}:77", f"{DAILY}:217"]
    assert g.nodes[pid]["merged_from"][0].startswith(f"{DAILY}:217")
    # each property remembers the record it came from
    assert f"title: {SEARCH}:77" in g.nodes[pid]["field_sources"]
    assert f"published: {DAILY}:217" in g.nodes[pid]["field_sources"]


def test_look_alike_titles_stay_apart(built):
    g = load_graph(built[0] / "graph.json")
    titles = [d["title"] for _, d in g.nodes(data=True) if d["label"] == "Paper" and not d.get("stub")]
    assert len(titles) == 174
    assert sum("Theoretical Framework" in t for t in titles) == 3


@pytest.mark.parametrize(
    ("title", "repo"),
    [
        ("Theoretical Understanding of Learning from Adversarial Perturbations",
         "repo:github:s-kumano/learning-from-adversarial-perturbations"),
        ("Understanding Self-supervised Learning with Dual Deep Networks",
         "repo:github:facebookresearch/luckmatters"),
        ("Adversarial Example Does Good", "repo:github:mist-project/mist"),
        ("Information-Theoretic Causal Bounds", "repo:github:yonghanjung/information-theretic-bounds"),
        ("PerturbDiff: Functional Diffusion", "repo:github:deepgraphlearning/perturbdiff"),
        ("RouterBench: A Benchmark", "repo:github:withmartian/routerbench"),
    ],
)
def test_papers_link_to_their_code(built, title, repo):
    g = load_graph(built[0] / "graph.json")
    pid = paper_by_title(g, title)
    code = [v for _, v, k in g.out_edges(pid, keys=True) if k == "HAS_CODE"]
    assert code == [repo]
    edge = g.edges[pid, repo, "HAS_CODE"]
    assert "github.com" in edge["evidence"] and edge["provenance"].startswith("seeds/")


def test_project_pages_are_not_repositories(built):
    g = load_graph(built[0] / "graph.json")
    repos = [d["url"] for _, d in g.nodes(data=True) if d["label"] == "Repository"]
    assert repos and not any("github.io" in u or "goo.gl" in u for u in repos)


def test_methods_datasets_introductions_and_citations(built):
    g = load_graph(built[0] / "graph.json")
    router = paper_by_title(g, "RouterBench: A Benchmark")
    introduced = {g.nodes[v]["name"] for _, v, k in g.out_edges(router, keys=True) if k == "INTRODUCES"}
    assert "RouterBench" in introduced
    zia = paper_by_title(g, "ZIA: A Theoretical Framework")
    (zia_node,) = [v for _, v, k in g.out_edges(zia, keys=True) if k == "INTRODUCES"]
    assert (g.nodes[zia_node]["name"], g.nodes[zia_node]["aliases"]) == ("ZIA", ["Zero-Input AI"])
    irl = paper_by_title(g, "Reward Transfer from Inverse Reinforcement Learning")
    cited = {v for _, v, k in g.out_edges(irl, keys=True) if k == "CITES"}
    assert {"paper:ref:ng-russell-2000", "paper:ref:abbeel-ng-2004", "paper:ref:fu-etal-2018",
            "paper:ref:ziebart-etal-2008", "paper:ref:geng-etal-2020",
            "paper:ref:schlaginhaufen-kamgarpour-2024"} <= cited
    assert g.nodes["paper:ref:fu-etal-2018"]["stub"] is True
    moe = paper_by_title(g, "A Theoretical Framework for Auxiliary-Loss-Free")
    assert "paper:ref:wang-etal-2024" in {v for _, v, k in g.out_edges(moe, keys=True) if k == "CITES"}
    methods = {g.nodes[v]["name"] for _, v, k in g.out_edges(keys=True) if k == "USES_METHOD"}
    generic = {"framework", "model", "approach", "method", "dataset"}
    assert not {m.lower() for m in methods} & generic
    # every extracted edge keeps its sentence and its file:line
    for _, _, k, d in g.edges(keys=True, data=True):
        if k in ("USES_METHOD", "USES_DATASET", "INTRODUCES", "HAS_CODE", "CITES"):
            assert d["evidence"] and d["provenance"].startswith("seeds/")


def test_stats_count_what_the_issue_asks(built):
    result = CliRunner().invoke(main, ["stats", str(built[0] / "graph.json"), "--json"])
    data = json.loads(result.output)
    for label in ("Paper", "Method", "Dataset", "Repository"):
        assert data["nodes"][label] > 0
    assert data["stub_papers"] > 5


def test_building_twice_gives_the_same_graph(built, tmp_path):
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path), "--no-view"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "graph.json").read_bytes() == (built[0] / "graph.json").read_bytes()


def test_a_name_in_latex_bold_is_built_clean_and_quoted_as_written(tmp_path):
    # an arXiv snapshot record as arXiv writes it: the paper's own name set in bold
    record = {"id": "2601.00001", "title": "QuillNet: Parsing Recipes at Scale",
              "abstract": "Recipes are hard to parse.\n  We introduce \\textbf{QuillNet}, a parser "
                          "of\nrecipes, and \\emph{QuillSet}, a benchmark of 900 recipes.",
              "authors": "Ada Quill, Bo Set", "update_date": "2026-01-02", "categories": "cs.CL",
              "versions": [], "authors_parsed": [["Quill", "Ada", ""], ["Set", "Bo", ""]]}
    path = tmp_path / "papers.jsonl"
    path.write_text(json.dumps(record) + "\n")
    from kg.pipeline import build

    graph = build([path], tmp_path / "out", view=False, query_store=False, progress=False).graph
    names = {d.get("name"): (d.get("label"), n) for n, d in graph.nodes(data=True)}
    assert names["QuillNet"][0] == "Method" and names["QuillSet"][0] == "Dataset"
    assert not any("\\" in str(name) for name in names)
    for name in ("QuillNet", "QuillSet"):
        (edge,) = [d for _, v, d in graph.edges(data=True) if v == names[name][1]]
        assert edge["type"] == "INTRODUCES" and edge["provenance"].endswith("papers.jsonl:1")
    # the evidence is the sentence as the record writes it, command and all
    (edge,) = [d for _, v, d in graph.edges(data=True) if v == names["QuillSet"][1]]
    assert "\\emph{QuillSet}, a benchmark of 900 recipes." in edge["evidence"]


def test_report_of_a_file_whose_name_is_not_utf8_is_valid_json(tmp_path):
    """A file name that is not UTF-8 (Linux allows any bytes) reaches the report as a lone
    surrogate; report.json is still UTF-8 JSON, naming both files (the bad byte shown as U+FFFD)."""
    import os

    src = tmp_path / "src"
    src.mkdir()
    name = os.fsdecode(b"bad\xff.jsonl")
    (src / name).write_text(json.dumps({"title": "A Paper on Graphs", "year": 2020}) + "\n")
    (src / "good.jsonl").write_text(json.dumps({"title": "Another Paper", "year": 2021}) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(out), "--no-view", "--no-store"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_bytes().decode("utf-8"))
    assert report["totals"]["read"] == 2 and report["reconciled"]
    assert sorted(Path(f).name for f in report["files"]) == ["bad\ufffd.jsonl", "good.jsonl"]


def test_a_build_pauses_the_collector_and_gives_it_back(tmp_path, monkeypatch):
    # the collector is paused for the build's work (kg.pipeline._make): no automatic collection
    # walks the records and the graph; the extraction loop collects the young generation itself,
    # pausing it again (srsly's msgpack reader, which loads the model, turns it back on)
    import gc

    from kg import pipeline

    seen: dict[str, bool] = {}

    def watching(name, fn):
        def call(*args, **kwargs):
            seen[name] = gc.isenabled()
            return fn(*args, **kwargs)
        return call

    monkeypatch.setattr(pipeline, "resolve", watching("resolve", pipeline.resolve))
    monkeypatch.setattr(pipeline, "build_graph", watching("build", pipeline.build_graph))
    monkeypatch.setattr(pipeline, "save_graph", watching("write", pipeline.save_graph))
    gc.enable()
    pipeline.build([SEEDS], tmp_path / "out", view=False, query_store=False, jobs=1, progress=False)
    assert seen == {"resolve": False, "build": False, "write": False}
    assert gc.isenabled()


# -- kg build --update against a full rebuild (issue 9) ------------------------------------------


def _arxiv(arxiv_id: str, title: str, abstract: str, authors: list[tuple[str, str]]) -> dict:
    return {"id": arxiv_id, "title": title, "abstract": abstract, "update_date": "2026-01-02",
            "categories": "cs.CL", "versions": [], "authors": ", ".join(f"{g} {s}" for s, g in authors),
            "authors_parsed": [[s, g, ""] for s, g in authors]}


_BASE = [
    _arxiv("2601.00001", "QuillNet: Parsing Recipes at Scale",
           "Recipes are hard to parse. We introduce QuillNet, a parser of recipes.",
           [("Quill", "Ada"), ("Set", "Bo")]),
    _arxiv("2601.00002", "Sorting Spices with Graphs",
           "We sort spices with graph neural networks on the SpiceBench dataset.",
           [("Pepper", "Cy"), ("Mint", "Dee")]),
]

#: what each update adds: a record that is another listing of a known paper, a known author
#: written with initials (with a known co-author), a known method, and nothing known
_UPDATES = {
    "paper": "@article{quill2026,\n  title = {QuillNet: Parsing Recipes at Scale},\n"
             "  author = {Quill, Ada and Set, Bo},\n  year = {2026}\n}\n",
    "author": _arxiv("2601.00003", "Folding Dough with Robots",
                     "We fold dough with a robot arm.", [("Quill", "A."), ("Set", "Bo")]),
    "entity": _arxiv("2601.00004", "Parsing Menus",
                     "We fine-tune QuillNet on restaurant menus.",
                     [("Olive", "Eve")]),
    "nothing": _arxiv("2601.00005", "Weather of Distant Moons",
                      "We model the weather of distant moons with a climate simulator.",
                      [("Frost", "Gil")]),
}


def _made_the_same(out: Path, full: Path) -> None:
    for name in ("graph.json", "quarantine.jsonl"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name
    got, want = (json.loads((d / "report.json").read_text(encoding="utf-8")) for d in (out, full))
    for r in (got, want):  # what says how it was made, not what was made
        for key in ("update", "stages", "seconds", "extraction_cache", "file_cache", "workers"):
            r.pop(key)
    assert got == want


@pytest.mark.parametrize("case", sorted(_UPDATES))
def test_an_update_equals_a_full_rebuild_whatever_the_new_record_touches(case, tmp_path):
    from kg.pipeline import build

    added = _UPDATES[case]
    base, new = tmp_path / "base.jsonl", tmp_path / ("new.bib" if isinstance(added, str) else "new.jsonl")
    base.write_text("".join(json.dumps(r) + "\n" for r in _BASE), encoding="utf-8")
    new.write_text(added if isinstance(added, str) else json.dumps(added) + "\n", encoding="utf-8")
    out, full = tmp_path / "out", tmp_path / "full"
    first = build([base], out, view=False, query_store=False, progress=False, jobs=2)
    upd = build([new], out, update=True, view=False, query_store=False, progress=False, jobs=2)
    build([base, new], full, view=False, query_store=False, progress=False, jobs=2)
    _made_the_same(out, full)
    assert upd.report["workers"] == 0  # one new record: extracted in the build's own process
    merges = upd.report["merges"]
    g = load_graph(out / "graph.json")
    if case == "paper":  # joined the known paper's node
        assert upd.report["totals"]["merged"] == 1 and any(m["label"] == "Paper" for m in merges)
    elif case == "author":  # "A. Quill" is Ada Quill (a shared co-author)
        assert any(m["label"] == "Author" and m["member"].startswith("A. Quill") for m in merges)
        assert g.nodes["author:ada-quill"]["aliases"] == ["A. Quill"]
    elif case == "entity":  # a second paper uses the known method
        (method,) = [n for n, d in g.nodes(data=True) if d.get("name") == "QuillNet"]
        assert g.in_degree(method) == 2
    else:  # no merge more than the first build's
        assert upd.report["totals"]["merged"] == 0 and merges == first.report["merges"]
    # the same update again changes nothing
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    again = build([new], out, update=True, view=False, query_store=False, progress=False, jobs=2)
    assert again.report.get("unchanged") is True
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
