"""kg.plot: the counts behind each plot, and PNG/SVG files written by the library and the CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graphio import save_graph
from kg.plot import (
    PlotError,
    degree_counts,
    degree_figure,
    save_figure,
    top_entities,
    top_figure,
    trend_counts,
    trend_figure,
)
from kg.view import NodeNotFoundError
from tests.kg.view_graphs import small_graph

PNG = b"\x89PNG\r\n\x1a\n"


def test_trend_counts_by_year_and_month():
    g = small_graph()
    t = trend_counts(g, ["LoRA", "method:adapter"], by="year")
    assert t.periods == ["2021", "2022", "2023"]
    assert t.counts == {"LoRA": [1, 0, 1], "Adapter": [0, 1, 0]}
    assert t.left_out == {"Adapter": 1}  # the paper without a year
    m = trend_counts(g, ["lora"], by="month")
    assert m.periods[0] == "2021-06" and m.periods[-1] == "2023-05" and len(m.periods) == 24
    assert sum(m.counts["LoRA"]) == 2
    assert trend_counts(g, ["ImageNet"], by="year").counts == {"ImageNet": [1]}


def test_trend_errors():
    g = small_graph()
    with pytest.raises(PlotError, match="'week'"):
        trend_counts(g, ["LoRA"], by="week")
    with pytest.raises(PlotError, match="no method or dataset"):
        trend_counts(g, [], by="year")
    with pytest.raises(NodeNotFoundError):
        trend_counts(g, ["BERT"], by="year")


def test_top_entities_and_degrees():
    g = small_graph()
    assert top_entities(g, "Method") == [("method:adapter", "Adapter", 2), ("method:lora", "LoRA", 2)]
    assert top_entities(g, "Paper", 1) == [("paper:ref:hu-etal-2021", "hu-etal-2021", 1)]
    counts = degree_counts(g)
    assert sum(sum(c.values()) for c in counts.values()) == g.number_of_nodes()
    assert counts["Method"] == {3: 1, 2: 1}


def test_figures_have_titles_and_labels(tmp_path):
    g = small_graph()
    fig = trend_figure(g, ["LoRA", "Adapter"], by="year")
    ax = fig.axes[0]
    assert ax.get_title() == "Papers per year using LoRA, Adapter"
    assert ax.get_xlabel().startswith("year of publication\n") and ax.get_ylabel() == "papers"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021", "2022", "2023"]
    assert "(not shown, papers without a year: Adapter: 1)" in ax.get_xlabel()
    ax = top_figure(g, "Method").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["LoRA", "Adapter"]
    assert ax.get_xlabel() == "number of papers"
    ax = degree_figure(g).axes[0]
    assert ax.get_xscale() == "log" and ax.get_ylabel() == "number of nodes"


def test_save_png_and_svg(tmp_path):
    fig = top_figure(small_graph(), "Method")
    (png,) = save_figure(fig, tmp_path / "t.png")
    assert png.read_bytes().startswith(PNG) and png.stat().st_size > 5000
    both = save_figure(fig, tmp_path / "both")
    assert [p.suffix for p in both] == [".png", ".svg"]
    svg = both[1].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    with pytest.raises(PlotError, match="expected .png or .svg"):
        save_figure(fig, tmp_path / "t.jpg")


def test_cli_plots(tmp_path):
    graph = tmp_path / "graph.json"
    save_graph(small_graph(), graph)
    runner = CliRunner()
    r = runner.invoke(
        main,
        [
            "plot",
            "trend",
            str(graph),
            "--method",
            "LoRA",
            "--dataset",
            "ImageNet",
            "--by",
            "month",
            "--out",
            str(tmp_path / "trend.png"),
        ],
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "trend.png").read_bytes().startswith(PNG)
    r = runner.invoke(
        main, ["plot", "top", str(graph), "--label", "Dataset", "--out", str(tmp_path / "top.svg")]
    )
    assert r.exit_code == 0, r.output
    assert "ImageNet" in (tmp_path / "top.svg").read_text(encoding="utf-8") or "<svg" in (
        tmp_path / "top.svg"
    ).read_text(encoding="utf-8")
    r = runner.invoke(main, ["plot", "degree", str(graph), "--out", str(tmp_path / "deg")])
    assert r.exit_code == 0 and (tmp_path / "deg.png").is_file() and (tmp_path / "deg.svg").is_file()
    r = runner.invoke(
        main, ["plot", "trend", str(graph), "--method", "BERT", "--out", str(tmp_path / "x.png")]
    )
    assert r.exit_code == 2
    assert "method or dataset 'BERT' is not a node id, title, name or alias" in r.output


def test_missing_folder_is_an_error(tmp_path):
    from kg.plot import PlotError, degree_figure, save_figure
    from tests.kg.view_graphs import small_graph

    with pytest.raises(PlotError, match="the folder .*nope does not exist; create it first"):
        save_figure(degree_figure(small_graph()), tmp_path / "nope" / "d.png")
    assert not (tmp_path / "nope").exists()
