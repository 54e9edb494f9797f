"""``kg build`` and ``kg stats``."""

from __future__ import annotations

import json

import click

from kg.graphio import load_graph
from kg.pipeline import build as build_pipeline
from kg.pipeline import graph_stats

__all__ = ["COMMANDS", "build", "stats"]


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Output folder: graph.json, view.html, quarantine.jsonl, report.json.")
@click.option("--as-of", "as_of", metavar="YYYY[-MM-DD]",
              help="The listings' date, for dates printed without a year (default: inferred).")
@click.option("--model", metavar="NAME", default="kg", show_default=True,
              help="The entity model beside the rules: kg's shipped model, or an installed spaCy pipeline.")
@click.option("--no-model", is_flag=True, help="Rules and gazetteer only, no trained model (faster).")
@click.option("--no-view", is_flag=True, help="Do not write view.html.")
@click.option("--progress/--no-progress", default=None, help="Progress bars (default: on a terminal).")
def build(inputs: tuple[str, ...], out: str, as_of: str | None, model: str | None, no_model: bool,
          no_view: bool, progress: bool | None) -> None:
    """Build the knowledge graph of INPUTS (files or folders; formats detected from content).

    Example: kg build listings/ metadata.bib --out build/
    """
    result = build_pipeline(inputs, out, as_of=as_of, model=None if no_model else model,
                            view=not no_view, progress=progress)
    click.echo(summary(result.report, result.files))


def summary(report: dict, files: dict) -> str:
    """The one-screen summary printed at the end of ``kg build``."""
    lines = ["", "kg build: done in {:.1f} s".format(report["seconds"]), "",
             f"{'file':<44} {'format':<16} {'read':>5} {'loaded':>6} {'merged':>6} {'quar.':>5}"]
    for name, f in report["files"].items():
        short = name if len(name) <= 44 else "…" + name[-43:]
        lines.append(f"{short:<44} {f['format'] or '-':<16} {f['read']:>5} {f['loaded']:>6} "
                     f"{f['merged']:>6} {f['quarantined']:>5}")
    t = report["totals"]
    lines.append(f"{'total':<44} {'':<16} {t['read']:>5} {t['loaded']:>6} {t['merged']:>6} "
                 f"{t['quarantined']:>5}")
    if not report["reconciled"]:
        lines.append("WARNING: counts do not reconcile (read != loaded + merged + quarantined)")
    g = report["graph"]
    lines += ["", "nodes: " + (", ".join(f"{k} {v}" for k, v in g["nodes"].items()) or "none")
              + f" (stub papers {g['stub_papers']})",
              "edges: " + (", ".join(f"{k} {v}" for k, v in g["edges"].items()) or "none")]
    for name, f in report["files"].items():
        if "dates" in f:
            lines.append(f"dates in {name}: {f['dates']}")
    if report.get("view"):
        lines.append(f"view: {report['view']}")
    paper_merges = [m for m in report["merges"] if m["label"] == "Paper"]
    if paper_merges:
        lines.append(f"papers merged across records: {len(paper_merges)} (see report.json 'merges')")
    lines.append("")
    lines += [f"wrote {p}" for p in files.values()]
    return "\n".join(lines)


@click.command()
@click.argument("graph", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(graph: str, as_json: bool) -> None:
    """Counts of nodes per label and edges per type of GRAPH (a graph.json).

    Example: kg stats build/graph.json --json
    """
    s = graph_stats(load_graph(graph))
    if as_json:
        click.echo(json.dumps(s, indent=2))
        return
    click.echo(f"nodes: {s['total_nodes']}  edges: {s['total_edges']}  stub papers: {s['stub_papers']}")
    for k, v in s["nodes"].items():
        click.echo(f"  {k:<12} {v:>7}")
    for k, v in s["edges"].items():
        click.echo(f"  {k:<12} {v:>7}")


COMMANDS = [build, stats]
