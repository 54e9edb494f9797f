"""``kg dedupe``: cluster duplicate paper records of a CSV or JSON-lines file.

The command parses its options, calls :func:`kg.resolve.papers.dedupe_file` (the same
matcher the pipeline uses) and prints a short summary.
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.resolve.papers import dedupe_file

__all__ = ["COMMANDS", "dedupe"]


@click.command("dedupe")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help='Where to write one JSON line per record: {"id": ..., "cluster": ...}.',
)
@click.option(
    "--sep",
    default=None,
    help="Field separator of a CSV file, one character or 'tab' (default: detected, else ',').",
)
@click.option(
    "--conflicts",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write one JSON line per match refused because the records carry different "
    'identifiers: {"ids", "identifier", "values", "score", "reason"}.',
)
def dedupe(file: Path, out: Path, sep: str | None, conflicts: Path | None) -> None:
    """Cluster duplicate paper records of FILE (CSV or JSON lines).

    FILE has columns id and title, and where known authors, venue, year (doi, arxiv_id,
    openalex, s2 are used too; other columns are kept). Each output line names the id of
    the first record of the record's cluster; merged records also carry score and reason.
    Records that read as one paper but carry different DOIs or arXiv ids are kept apart,
    side by side, and counted; --conflicts lists them.

    Example: kg dedupe records.csv --sep '%' --out clusters.jsonl --conflicts conflicts.jsonl
    """
    if sep in ("\\t", "tab"):
        sep = "\t"
    if sep is not None and len(sep) != 1:
        raise click.BadParameter(f"expected one character, got {sep!r}", param_hint="--sep")
    summary = dedupe_file(file, out, sep=sep, conflicts=conflicts)
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    shown = "JSON lines" if summary.separator is None else f"separator {summary.separator!r}"
    click.echo(
        f"{summary.records} records ({shown}, {summary.encoding}) -> {summary.clusters} clusters, "
        f"{summary.merged} merged; {summary.comparisons} comparisons; wrote {summary.out}"
    )
    if summary.conflicts or conflicts is not None:
        where = f"; wrote {summary.conflicts_out}" if summary.conflicts_out else "; see --conflicts FILE"
        click.echo(f"{summary.conflicts} matches refused for different identifiers (kept apart){where}")


COMMANDS = [dedupe]
