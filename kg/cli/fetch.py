"""``kg fetch``: works from arXiv, OpenAlex, Semantic Scholar or Crossref, written for ``kg build``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from kg.fetch import FetchResult

__all__ = ["COMMANDS", "fetch_command"]


@click.command("fetch", options_metavar="[OPTIONS]")
@click.argument("source", required=False, metavar="SOURCE")
@click.argument("query", required=False, metavar="QUERY")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Folder to write into (then: kg build DIR). Run again to resume.")
@click.option("--max", "max_records", type=click.IntRange(min=1), metavar="N",
              help="Stop after N records (per hop with --expand). Default: all that match.")
@click.option("--since", metavar="YYYY[-MM[-DD]]", help="Only works published from this date.")
@click.option("--mailto", metavar="EMAIL",
              help="Your e-mail for the OpenAlex and Crossref polite pools (default: $KG_MAILTO).")
@click.option("--expand", "graph", type=click.Path(dir_okay=False, exists=True), metavar="GRAPH",
              help="Snowball a build: fetch what the papers of GRAPH (a graph.json) cite, and what "
                   "cites them.")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(min=1),
              help="With --expand: how many rounds of snowballing.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Request cache folder (default: OUT/.kg-fetch/cache), to share one between fetches.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
def fetch_command(source: str | None, query: str | None, out: str, max_records: int | None,
                  since: str | None, mailto: str | None, graph: str | None, hops: int,
                  cache_dir: str | None, progress: bool | None) -> None:
    """Fetch the works matching QUERY from SOURCE into OUT, as files `kg build` reads.

    SOURCE is arxiv, openalex, s2 (Semantic Scholar) or crossref. An interrupted fetch
    resumes when run again with the same arguments; the manifest is OUT/.kg-fetch/manifest.json.

    \b
    Examples:
      kg fetch openalex "state space models" --since 2023 --max 500 --out papers/
      kg fetch arxiv 'ti:"state space" AND cat:cs.LG' --max 200 --out papers/arxiv/
      kg fetch openalex --expand build/graph.json --hops 1 --out papers/expand/
    """
    from kg.fetch import expand, fetch  # httpx loads only when a fetch runs, not for every command

    def say(msg: str) -> None:
        click.echo(msg, err=True)

    try:
        if graph is not None:
            if query is not None:
                raise click.UsageError("--expand takes no QUERY: the graph's papers are the query")
            result = expand(graph, out, source_name=source or "openalex", hops=hops,
                            max_records=max_records, mailto=mailto, cache_dir=cache_dir,
                            progress=progress, say=say)
            what = f"{source or 'openalex'} expansion of {graph} ({hops} hop{'s' * (hops > 1)})"
        else:
            if not source or query is None:
                raise click.UsageError("give SOURCE and QUERY (e.g. kg fetch openalex \"state space models\" "
                                       "--out papers/), or --expand GRAPH")
            result = fetch(source, query, out, max_records=max_records, since=since, mailto=mailto,
                           cache_dir=cache_dir, progress=progress, say=say)
            what = f"{source} {query!r}" + (f" since {since}" if since else "")
    except KeyboardInterrupt:
        click.echo("kg fetch: interrupted; run the same command again to resume", err=True)
        sys.exit(130)
    click.echo(summary(what, result, expanded=graph is not None))


def summary(what: str, r: FetchResult, expanded: bool = False) -> str:
    """The lines printed at the end of ``kg fetch``."""
    req = r.requests
    lines = [
        f"kg fetch: {what}: {r.status}" + (" (resumed)" if r.resumed else ""),
        f"records: {r.records} in {len(r.files)} files"
        + (f"; {r.duplicates} duplicates skipped" if r.duplicates else "")
        + (f"; the source reports {r.total} matching" if r.total is not None else ""),
        f"requests this run: {req.get('sent', 0)} sent, {req.get('cached', 0)} from the cache, "
        f"{req.get('retries', 0)} retries",
        f"manifest: {r.manifest}",
    ]
    if r.status == "max reached":
        lines.append("stopped at --max: run again with a larger --max to continue")
    if expanded:
        lines.append(f"next: kg build YOUR_INPUTS {r.out} --out build/  (the expansion with what was built)")
    else:
        lines.append(f"next: kg build {r.out} --out build/")
    return "\n".join(lines)


COMMANDS = [fetch_command]
