"""``kg build`` and ``kg stats``."""

from __future__ import annotations

import json
import sys

import click

from kg.cli.params import GRAPH_FILE
from kg.graphio import load_graph
from kg.loaders import DEFAULT_MAX_FIELD, DEFAULT_MAX_RECORD
from kg.pipeline import build as build_pipeline
from kg.pipeline import graph_stats

__all__ = ["COMMANDS", "build", "stats"]


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Output folder: graph.json, view.html, quarantine.jsonl, report.json.")
@click.option("--as-of", "as_of", metavar="YYYY[-MM-DD]",
              help="The listings' date, for dates printed without a year (default: inferred).")
@click.option("--model", metavar="NAME",
              help="The entity model beside the rules (default: kg's shipped model 'kg'; or an installed "
                   "spaCy pipeline).")
@click.option("--no-model", is_flag=True, help="Rules and gazetteer only, no trained model (faster).")
@click.option("--no-view", is_flag=True, help="Do not write view.html.")
@click.option("--progress/--no-progress", default=None, help="Progress bars (default: on a terminal).")
@click.option("--strict", is_flag=True,
              help="Exit with status 1 when any record or file was quarantined (output still written).")
@click.option("--max-field", type=click.IntRange(min=1), default=DEFAULT_MAX_FIELD, show_default=True,
              help="Characters in one text field (title, abstract, name, expanded @string) before its "
                   "record is quarantined.")
@click.option("--max-record", type=click.IntRange(min=1), default=DEFAULT_MAX_RECORD, show_default=True,
              help="Characters in one record (a JSON line or value, a BibTeX entry, a RIS record) before "
                   "it is quarantined.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default="all cores",
              help="Processes that extract (0: all cores); the output is the same for any number.")
@click.option("--update", is_flag=True,
              help="Add INPUTS to the build already in --out (unchanged records are not extracted again); "
                   "the result equals a full build of all the inputs.")
@click.option("--no-store", is_flag=True,
              help="Do not write graph.lbdb (the query store that `kg query --graph DIR/graph.json` uses).")
def build(inputs: tuple[str, ...], out: str, as_of: str | None, model: str | None, no_model: bool,
          no_view: bool, progress: bool | None, strict: bool, max_field: int, max_record: int, jobs: int,
          update: bool, no_store: bool) -> None:
    """Build the knowledge graph of INPUTS (files or folders; formats detected from content).

    A bad value quarantines its record, a bad record never stops its file, a bad file never
    stops the build: report.json and the summary name every file that failed and why.
    Exit status: 0 built; 1 built, but --strict and something was quarantined; 2 nothing built
    (an error on one line, e.g. no input files).

    Examples: kg build listings/ metadata.bib --out build/;
    kg build new.jsonl --out build/ --update
    """
    result = build_pipeline(inputs, out, as_of=as_of, model="" if no_model else model,
                            view=not no_view, progress=progress,
                            max_field=max_field, max_record=max_record, jobs=jobs or None, update=update,
                            query_store=not no_store, keep_graph=False)
    if result.report.get("unchanged"):
        click.echo(f"kg build: {out} is up to date (same inputs, same contents); nothing written")
        return
    click.echo(summary(result.report, result.files))
    if strict and result.report["totals"]["quarantined"]:
        click.echo(f"kg build --strict: {result.report['totals']['quarantined']} record(s) quarantined "
                   f"({len(result.report.get('failed_files', []))} file(s) failed); exit status 1", err=True)
        sys.exit(1)


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
    failed = report.get("failed_files") or []
    if failed:
        lines += ["", f"files that could not be read ({len(failed)}; see quarantine.jsonl):"]
        lines += [f"  {f['file']}: {f['error']}" for f in failed]
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
@click.argument("graph", type=GRAPH_FILE)
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
