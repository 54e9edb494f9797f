"""``kg view``, ``kg plot`` and ``kg export``: each parses, calls one library function, prints."""

from __future__ import annotations

import re

import click

from kg.cli.params import GRAPH_FILE
from kg.graphio import load_graph
from kg.schema import LABELS
from kg.view import VIEW_CAP

__all__ = ["COMMANDS", "export", "plot", "view"]


def _years(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-:]\s*(\d{4})\s*)?", value)
    if not m:
        raise click.BadParameter(f"{value!r} is not a year range; expected YYYY or YYYY-YYYY, e.g. 2020-2024")
    first = int(m.group(1))
    last = int(m.group(2) or first)
    if first > last:
        raise click.BadParameter(f"{value!r} is empty; expected FIRST-LAST with FIRST <= LAST")
    return first, last


@click.command()
@click.argument("graph_file", metavar="GRAPH", type=GRAPH_FILE)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
@click.option(
    "--focus", metavar="ID|NAME", help="Show the neighbourhood of this node (id, title, name or alias)."
)
@click.option(
    "--hops", default=1, show_default=True, type=click.IntRange(min=0), help="Neighbourhood radius."
)
@click.option("--top", type=click.IntRange(min=1), help="Keep the N highest-ranked nodes.")
@click.option(
    "--rank",
    type=click.Choice(["degree", "pagerank"]),
    default="degree",
    show_default=True,
    help="How --top ranks nodes.",
)
@click.option(
    "--label",
    "labels",
    multiple=True,
    type=click.Choice(LABELS),
    help="Keep nodes of this label (repeat for several).",
)
@click.option("--years", callback=_years, metavar="YYYY[-YYYY]", help="Keep papers of these years.")
@click.option(
    "--color",
    type=click.Choice(["label", "community"]),
    default="label",
    show_default=True,
    help="Colour nodes by schema label, or by Louvain community (the legend names each community).",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=f"No cap: show every node selected (a view shows at most {VIEW_CAP} unless --top or --all).",
)
@click.option("--title", help="The page's heading (default: from the focus).")
def view(
    graph_file: str,
    out: str,
    focus: str | None,
    hops: int,
    top: int | None,
    rank: str,
    labels: tuple[str, ...],
    years: tuple[int, int] | None,
    color: str,
    show_all: bool,
    title: str | None,
) -> None:
    """Write an interactive HTML view of GRAPH (or of a part of it) that opens offline.

    The layout is computed in advance; the most important nodes are labelled. A view shows
    at most 1,000 nodes (the dense core first) unless --top N or --all asks for more.

    Example: kg view build/graph.json --focus LoRA --hops 2 --color community --out lora.html
    """
    from kg.view import write_view

    summary = write_view(
        load_graph(graph_file),
        out,
        focus=focus,
        hops=hops,
        top=top,
        rank=rank,
        labels=labels or None,
        years=years,
        title=title,
        color=color,
        max_nodes=None if show_all else VIEW_CAP,
    )
    click.echo(summary.describe())
    if summary.nodes_shown > VIEW_CAP:
        click.echo(
            f"warning: this view has {summary.nodes_shown} nodes, more than the usual {VIEW_CAP}: "
            "it may take a while to open and be hard to read; --top N or --focus shows a part",
            err=True,
        )
    click.echo(f"wrote {summary.path} ({summary.labels_shown} labels, {summary.color} colours)")


@click.group()
def plot() -> None:
    """Plots of a graph as PNG or SVG: trend, top, degree."""


def _save(fig, out: str) -> None:
    from kg.plot import save_figure

    for path in save_figure(fig, out):
        click.echo(f"wrote {path}")


@plot.command("trend")
@click.argument("graph_file", metavar="GRAPH", type=GRAPH_FILE)
@click.option("--method", "methods", multiple=True, metavar="NAME", help="A method (repeat for several).")
@click.option("--dataset", "datasets", multiple=True, metavar="NAME", help="A dataset (repeat for several).")
@click.option("--by", type=click.Choice(["month", "year"]), default="month", show_default=True)
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False), help="FILE.png or FILE.svg (no suffix: both)."
)
def trend(graph_file: str, methods: tuple[str, ...], datasets: tuple[str, ...], by: str, out: str) -> None:
    """Papers per month (or year) that use or introduce chosen methods or datasets.

    Example: kg plot trend build/graph.json --method LoRA --by month --out lora.png
    """
    from kg.plot import trend_figure

    _save(trend_figure(load_graph(graph_file), [*methods, *datasets], by=by), out)


@plot.command("top")
@click.argument("graph_file", metavar="GRAPH", type=GRAPH_FILE)
@click.option("--label", type=click.Choice(LABELS), default="Method", show_default=True)
@click.option("-n", "--n", "n", default=15, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False), help="FILE.png or FILE.svg (no suffix: both)."
)
def top(graph_file: str, label: str, n: int, out: str) -> None:
    """The N methods, datasets, ... linked to the most papers (papers: the most cited).

    Example: kg plot top build/graph.json --label Dataset -n 10 --out datasets.svg
    """
    from kg.plot import top_figure

    _save(top_figure(load_graph(graph_file), label, n), out)


@plot.command("degree")
@click.argument("graph_file", metavar="GRAPH", type=GRAPH_FILE)
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False), help="FILE.png or FILE.svg (no suffix: both)."
)
def degree(graph_file: str, out: str) -> None:
    """The degree distribution per label, on log-log axes.

    Example: kg plot degree build/graph.json --out degree.png
    """
    from kg.plot import degree_figure

    _save(degree_figure(load_graph(graph_file)), out)


@click.command()
@click.argument("graph_file", metavar="GRAPH", type=GRAPH_FILE)
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "neo4j-admin"]),
              help="Default: the suffix of --out. neo4j-admin: a folder of CSV files for Neo4j's import.")
@click.option("--out", required=True, type=click.Path(), help="The file to write (a folder for neo4j-admin).")
def export(graph_file: str, fmt: str | None, out: str) -> None:
    """Export GRAPH as GraphML or GEXF for Gephi and Cytoscape (lists as JSON text), or as CSV files
    for `neo4j-admin database import full` (big graphs into Neo4j).

    Examples: kg export build/graph.json --format gexf --out graph.gexf;
    kg export build/graph.json --format neo4j-admin --out build/neo4j-import
    """
    from kg.export import export_graph

    graph = load_graph(graph_file)
    if fmt == "neo4j-admin":
        from kg.export_neo4j_admin import export_neo4j_admin

        result = export_neo4j_admin(graph, out)
        click.echo(f"wrote {len(result.nodes) + len(result.relationships)} CSV files to {result.folder}: "
                   f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges. With the Neo4j "
                   "server stopped, import them into a new database (it replaces 'neo4j') with:")
        click.echo(result.command)
        return
    path = export_graph(graph, out, fmt)
    click.echo(f"wrote {path}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")


COMMANDS = [view, plot, export]
