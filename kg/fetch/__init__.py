"""Fetch from the live sources: a question in, files ``kg build`` reads out.

:func:`fetch` asks arXiv, OpenAlex, Semantic Scholar or Crossref for the works matching a
query and writes the answers into a folder, in the formats kg's loaders read (arXiv's Atom
pages as they came; OpenAlex, Crossref and Semantic Scholar records one JSON object per line),
so every record keeps its ``file:line``. :func:`expand` snowballs a built graph: it fetches the
works its papers cite (turning stubs into full papers) and the works that cite them.

Both are polite (each source's rate limit, retries that honour ``Retry-After``), resumable (a
killed run continues where it stopped, without duplicates) and cached (a request is sent once);
see :mod:`kg.fetch.http` and :mod:`kg.fetch.run`. Base URLs come from ``KG_ARXIV_URL``,
``KG_OPENALEX_URL``, ``KG_S2_URL`` and ``KG_CROSSREF_URL``.

Example (against a mirror or a local server named by ``KG_OPENALEX_URL``)::

    result = fetch("openalex", "state space models", "papers/", since="2023", max_records=500)
    print(result.records, result.status)   # then: kg build papers/ --out build/

>>> source("semanticscholar").name
's2'
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.fetch.http import FetchError, HttpSettings
from kg.fetch.run import MANIFEST, Run
from kg.fetch.sources import SOURCES, normalize_since, source

__all__ = ["SOURCES", "FetchError", "FetchResult", "HttpSettings", "expand", "fetch", "source"]


@dataclass
class FetchResult:
    """What a fetch wrote: ``status`` is ``complete`` or ``max reached``."""

    out: Path
    status: str
    records: int
    duplicates: int
    total: int | None
    files: list[Path]
    requests: dict[str, Any] = field(default_factory=dict)
    resumed: bool = False

    @property
    def manifest(self) -> Path:
        return self.out / MANIFEST


def mailto_from(mailto: str | None) -> str | None:
    """The polite-pool e-mail: the argument, else ``KG_MAILTO``."""
    value = mailto or os.environ.get("KG_MAILTO") or None
    if value is not None and "@" not in value:
        raise FetchError(f"mailto {value!r} is not an e-mail address; expected you@example.org")
    return value


def result_of(run: Run, status: str) -> FetchResult:
    streams = run.m["streams"]
    totals = [s["total"] for s in streams if s.get("total") is not None]
    return FetchResult(
        out=run.out, status=status, records=sum(s["records"] for s in streams),
        duplicates=sum(s["duplicates"] for s in streams), total=sum(totals) if totals else None,
        files=list(run.files()), requests=dict(run.run_log), resumed=run.resumed)


def fetch(source_name: str, query: str, out: str | os.PathLike, *, max_records: int | None = None,
          since: str | None = None, mailto: str | None = None, settings: HttpSettings | None = None,
          cache_dir: str | os.PathLike | None = None, progress: bool | None = None,
          say: Callable[[str], None] | None = None) -> FetchResult:
    """Fetch the works of ``source_name`` matching ``query`` into the folder ``out``.

    ``since`` (``YYYY[-MM[-DD]]``) keeps works published from that date; ``max_records`` stops
    after that many records (run again with a larger one to continue). Running it again on the
    same folder resumes an unfinished fetch. Raises :class:`FetchError` for a bad query, a
    refused key, or a source that keeps failing (the folder keeps what was fetched).
    """
    src = source(source_name)
    query = (query or "").strip()
    if not query:
        raise FetchError("the query is empty; give what to search for, e.g. \"state space models\"")
    if max_records is not None and max_records < 1:
        raise FetchError(f"--max {max_records}: expected a positive number of records")
    since = normalize_since(since)
    mailto = mailto_from(mailto)
    run = Run(Path(out), {"source": src.name, "query": query, "since": since}, max_records,
              cache_dir=cache_dir, progress=progress, say=say)
    if src.name in ("openalex", "crossref") and not mailto:
        run.say(f"{src.title}: no mailto (--mailto or KG_MAILTO): using the common pool, which is slower")
    http = src.http(settings or HttpSettings.from_env(), run.cache, run.say, mailto)
    run.stats = http.stats
    st = run.stream(src.name, {"kind": "search"}, src.first_cursor())
    if src.ext == "jsonl":
        run.load_seen(src.key)

    def budget() -> int | None:
        return None if max_records is None else max_records - st["records"]

    total = st["total"] if max_records is None or st["total"] is None else min(st["total"], max_records)
    run.open_bar(f"{src.name}: {query[:40]}", total if total is not None else max_records, st["records"])
    try:
        run.run_stream(st, lambda cursor, want: src.search(http, query, since, cursor, want), src.ext,
                       budget)
    except BaseException:
        run.finish("interrupted")
        raise
    finally:
        http.close()
    status = "complete" if st["done"] else "max reached"
    run.finish(status)
    return result_of(run, status)


from kg.fetch.expand import expand  # noqa: E402  (uses the names above)
