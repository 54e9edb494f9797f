"""``kg dedupe``: cluster duplicate paper records of a CSV or JSON-lines file.

The command parses its options, calls :func:`kg.resolve.papers.dedupe_file` (the same
matcher the pipeline uses) and prints a short summary.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.resolve.papers import dedupe_file

__all__ = ["COMMANDS", "dedupe"]

#: quarantined records named on the terminal (all of them are in the quarantine file)
SHOWN = 5


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
@click.option(
    "--quarantine",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write one JSON line per record that cannot be used (not JSON, a field too many, "
    'no id or title, a repeated id): {"file", "line", "format", "reason", "text"}, as kg build writes '
    "(default: OUT's name + .quarantine.jsonl, when there is one).",
)
@click.option("--progress/--no-progress", default=None, help="Progress bars (default: on a terminal).")
@click.option("--strict", is_flag=True,
              help="Exit with status 1 when any record was quarantined (the output is still written).")
def dedupe(file: Path, out: Path, sep: str | None, conflicts: Path | None, quarantine: Path | None,
           progress: bool | None, strict: bool) -> None:
    """Cluster duplicate paper records of FILE (CSV or JSON lines).

    FILE has columns id and title, and where known authors, venue, year (doi, arxiv_id,
    openalex, s2 are used too; other columns are kept). Each output line names the id of
    the first record of the record's cluster; merged records also carry score and reason.
    Records that read as one paper but carry different DOIs or arXiv ids are kept apart,
    side by side, and counted; --conflicts lists them. A record that cannot be used is
    quarantined (with its line, reason and text) and the rest of the file is read on.

    Exit status: 0 done; 1 done, but --strict and a record was quarantined; 2 the file could
    not be read (no output written).

    Example: kg dedupe records.csv --sep '%' --out clusters.jsonl --conflicts conflicts.jsonl
    """
    if sep in ("\\t", "tab"):
        sep = "\t"
    if sep is not None and len(sep) != 1:
        raise click.BadParameter(f"expected one character, got {sep!r}", param_hint="--sep")
    if progress is None:
        progress = _on_terminal()
    summary = dedupe_file(file, out, sep=sep, conflicts=conflicts, quarantine=quarantine, progress=progress)
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    shown = "JSON lines" if summary.separator is None else f"separator {summary.separator!r}"
    bad = summary.quarantined
    click.echo(
        f"{summary.read:,} records read ({shown}, {summary.encoding}): {summary.records:,} clustered -> "
        f"{summary.clusters:,} clusters, {summary.merged:,} merged; {len(bad):,} quarantined; "
        f"{summary.comparisons:,} comparisons; wrote {summary.out}"
    )
    if bad:
        click.echo(f"{len(bad):,} record(s) quarantined, written to {summary.quarantine_out}:", err=True)
        for q in bad[:SHOWN]:
            click.echo(f"  {q.source}: {q.reason}", err=True)
        if len(bad) > SHOWN:
            click.echo(f"  ... and {len(bad) - SHOWN:,} more", err=True)
    if summary.conflicts or conflicts is not None:
        where = f"; wrote {summary.conflicts_out}" if summary.conflicts_out else "; see --conflicts FILE"
        click.echo(f"{summary.conflicts} matches refused for different identifiers (kept apart){where}")
    if strict and bad:
        click.echo(f"kg dedupe --strict: {len(bad)} record(s) quarantined (see {summary.quarantine_out})",
                   err=True)
        raise SystemExit(1)


def _on_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


COMMANDS = [dedupe]
