"""Loaders for paper listings saved as plain text from web pages.

Three shapes, each detected from the file's content:

``search_results``
    A paper search-results page: header lines, then one line per title followed by one line
    of abstract. The first title is glued to the page's "Subscribe" button text.
``daily_papers``
    A "Daily Papers" page: header lines ending with the page date (no year), then blocks
    separated by blank lines: title, abstract and a metadata block ``• N authors`` / ``·`` /
    date, where a date may lack its year and may be followed by the upvote count. A paper
    may have no metadata block.
``aggregator_feed``
    An aggregator's feed: header lines, then blocks separated by blank lines: title, source
    line (``arXiv.org Machine Learning``), abstract.

Text before the first record is the page's header: it is reported (``header`` in
``report.json``), not loaded. Any other text that does not fit the shape goes to quarantine
with its line and the reason.

**Dates without a year.** A daily-papers page prints dates of its own year without the year.
Unless ``--as-of`` gives the listing's date, the year is inferred as one after the latest
year printed in the listing (the page would have omitted that year had it been the current
one), and never later than today's year; a yearless date later in the year than the page
date belongs to the year before. Every inferred date is explained in the paper's ``notes``.

>>> parse_date("May 28, 2025 4")
(2025, 5, 28, 4)
>>> parse_date("Jun 4")
(None, 6, 4, None)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from kg.loaders import DEFAULT_MAX_RECORD, LoadOptions, clean_text, open_text
from kg.loaders._common import bounded_lines

from kg.errors import InputError
from kg.model import Paper, Quarantined, Source
from kg.text import latex_accents

__all__ = [
    "load_aggregator_feed",
    "load_daily_papers",
    "load_search_results",
    "parse_date",
    "sniff_aggregator_feed",
    "sniff_daily_papers",
    "sniff_search_results",
]

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_DATE = re.compile(
    r"^(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"(?:,\s*(?P<year>\d{4}))?(?:\s+(?P<upvotes>\d+))?\s*$"
)
_AUTHORS = re.compile(r"^[•·*\-]\s*(?P<n>\d+)\s+authors?\s*$", re.I)
_SUBSCRIBE = re.compile(r"^Subscribe(?=\S)")
_SOURCE_LINE = re.compile(r"^[\w-]+(?:\.[\w-]+)+(?:\s+[\w&,()/-]+){0,8}$")
_TITLE_MAX = 400  # characters: a longer "title" is a paragraph, not a title


def parse_date(text: str) -> tuple[int | None, int, int, int | None] | None:
    """``(year or None, month, day, upvotes or None)`` of a listing date line, else ``None``."""
    m = _DATE.match(text.strip())
    if not m:
        return None
    year = int(m["year"]) if m["year"] else None
    upvotes = int(m["upvotes"]) if m["upvotes"] else None
    return year, _MONTHS[m["mon"][:3].lower()], int(m["day"]), upvotes


def _paragraphs(path: Path) -> Iterator[tuple[int, str]]:
    """Blank-line separated paragraphs of a file: (first line number, text joined by spaces)."""
    start, parts = 0, []
    with open_text(path) as fh:
        for n, line, _length in bounded_lines(fh, DEFAULT_MAX_RECORD):
            # a line of control characters is a blank line; TeX accents pasted from arXiv's
            # pages ("Nystr\\"om") are letters (kg.text.latex_accents)
            text = latex_accents(clean_text(line).strip())
            if text:
                if not parts:
                    start = n
                parts.append(text)
            elif parts:
                yield start, " ".join(parts)
                parts = []
    if parts:
        yield start, " ".join(parts)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with open_text(path) as fh:
        for n, line, _length in bounded_lines(fh, DEFAULT_MAX_RECORD):
            yield n, latex_accents(clean_text(line).strip())


# --------------------------------------------------------------------------- search results


def sniff_search_results(head: str, path: Path) -> bool:
    """A search-results page: a title glued to "Subscribe" within its first lines."""
    return any(_SUBSCRIBE.match(line) for line in head.splitlines()[:10])


def load_search_results(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Title line, abstract line, repeated; the first title follows "Subscribe"."""
    display = options.display or path.name
    header: list[str] = []
    started = False
    title: tuple[int, str] | None = None
    for n, text in _lines(path):
        if not text:
            continue
        if not started:
            if _SUBSCRIBE.match(text):
                started = True
                text = text[len("Subscribe"):]
            else:
                header.append(text)
                continue
        if title is None:
            if len(text) > _TITLE_MAX:
                yield Quarantined(Source(display, n), "expected a title line (under 400 characters); "
                                  "got a paragraph with no title before it", text[:500])
                continue
            title = (n, text)
        else:
            yield Paper(title=title[1], abstract=text, source=Source(display, title[0]),
                        format="search_results", extra={"header": header}, abstract_line=n)
            title = None
    if title is not None:
        yield Quarantined(Source(display, title[0]), "expected an abstract line after this title; "
                          "the file ends", title[1])
    if not started:
        raise InputError(display, None, "no title glued to 'Subscribe' found; expected a search-results page")


# --------------------------------------------------------------------------- daily papers


def sniff_daily_papers(head: str, path: Path) -> bool:
    """A daily-papers page: "• N authors" metadata lines and a "Daily Papers" heading."""
    lines = [line.strip() for line in head.splitlines()]
    return "Daily Papers" in lines[:20] and any(_AUTHORS.match(line) for line in lines)


def _listing_year(path: Path, paras: list[tuple[int, str]], as_of: str | None) -> tuple[int, str]:
    """The listing's year and a sentence saying how it was found (``paras``: the page's
    paragraphs; a metadata paragraph holds its date between "·" separators)."""
    if as_of:
        try:
            year = int(as_of[:4])
        except ValueError:
            raise InputError(str(path), None, f"--as-of {as_of!r}: expected YYYY or YYYY-MM-DD") from None
        return year, f"year {year} from --as-of"
    explicit = [d[0] for _, text in paras for part in re.split(r"\s*·\s*", text)
                if (d := parse_date(part)) and d[0]]
    today = dt.date.today().year
    if not explicit:
        return today, f"year {today} assumed (today's year): the listing prints no year anywhere; set --as-of"
    latest = max(explicit)
    year = min(latest + 1, today)
    return year, (f"year {year} inferred: the listing omits the year of its own dates and prints years up "
                  f"to {latest}, so it is from {latest + 1} or later; set --as-of to override")


def load_daily_papers(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Title, abstract, optional metadata block ("• N authors · date [upvotes]").

    The header runs to the page date (a date without a year); with no page date, to the
    paragraph before the first paper's title. A listing page is small: its paragraphs are
    read into memory (a page, not a dump).
    """
    display = options.display or path.name
    paras = list(_paragraphs(path))
    year, how = _listing_year(path, paras, options.as_of)
    body_start, page_date = _daily_header_end(paras)
    header = [text for _, text in paras[:body_start]]
    pending: dict | None = None

    def finish(rec: dict) -> Paper:
        return Paper(
            title=rec["title"], abstract=rec.get("abstract", ""), source=Source(display, rec["line"]),
            format="daily_papers", author_count=rec.get("author_count"), upvotes=rec.get("upvotes"),
            published=rec.get("published"), year=rec.get("year"), notes=tuple(rec.get("notes", ())),
            extra={"header": header}, abstract_line=rec.get("abstract_line"),
        )

    for n, text in paras[body_start:]:
        if text.startswith(("•", "·")):
            if pending is None:
                yield Quarantined(Source(display, n), "expected a title and an abstract before this "
                                  "metadata block", text)
                continue
            meta = _metadata(text, year, how, page_date)
            if "error" in meta:
                yield Quarantined(Source(display, n), meta.pop("error"), text)
            pending.update(meta)
            yield finish(pending)
            pending = None
        elif pending is not None and "abstract" not in pending:
            pending["abstract"] = text
            pending["abstract_line"] = n
        else:
            if pending is not None:  # a paper without a metadata block
                pending["notes"] = ["no metadata block (authors, date) in the listing"]
                yield finish(pending)
                pending = None
            if len(text) > _TITLE_MAX:
                yield Quarantined(Source(display, n), "expected a title (under 400 characters); got a "
                                  "paragraph", text[:500])
                continue
            pending = {"title": text, "line": n}
    if pending is not None:
        pending.setdefault("notes", ["no metadata block (authors, date) in the listing"])
        yield finish(pending)


def _daily_header_end(paras: list[tuple[int, str]]) -> tuple[int, tuple[int, int] | None]:
    """Index of the first body paragraph, and the page date (month, day) if printed."""
    for i, (_, text) in enumerate(paras[:20]):
        d = parse_date(text)
        if d and d[0] is None and d[3] is None:
            return i + 1, (d[1], d[2])
    first_meta = next((i for i, (_, t) in enumerate(paras) if t.startswith("•")), 0)
    return max(first_meta - 2, 0), None


def _metadata(text: str, year: int, how: str, page_date: tuple[int, int] | None) -> dict:
    out: dict = {"notes": []}
    date_seen = False
    for tok in (t.strip() for t in re.split(r"\s*·\s*", text.lstrip("•").strip())):
        if not tok:
            continue
        if m := _AUTHORS.match("• " + tok):
            out["author_count"] = int(m["n"])
        elif d := parse_date(tok):
            date_seen = True
            y, mon, day, up = d
            if up is not None:
                out["upvotes"] = up
            if y is None:
                y, note = year, how
                if page_date and (mon, day) > page_date:
                    y -= 1
                    note = f"{how}; {mon:02d}-{day:02d} is after the page date, so the year before"
                out["notes"].append(f"published: {note}")
            out["published"] = f"{y:04d}-{mon:02d}-{day:02d}"
            out["year"] = y
        else:
            out["error"] = (f"unexpected text {tok!r} in a metadata block; expected '• N authors', "
                            "'·' and a date like 'Jan 3, 2024' or 'May 8' (optionally followed by upvotes)")
    if not date_seen:
        out["notes"].append("metadata block without a date")
    return out


# --------------------------------------------------------------------------- aggregator feed


def _is_source_line(text: str) -> bool:
    return len(text) < 80 and bool(_SOURCE_LINE.match(text))


def sniff_aggregator_feed(head: str, path: Path) -> bool:
    """An aggregator feed: at least two "site.tld Category" source lines between paragraphs."""
    return sum(1 for line in head.splitlines() if _is_source_line(line.strip())) >= 2


def load_aggregator_feed(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Title, source line, abstract; blocks separated by blank lines."""
    display = options.display or path.name
    header: list[str] = []
    window: list[tuple[int, str]] = []  # paragraphs not yet part of a record
    started = False
    for n, text in _paragraphs(path):
        window.append((n, text))
        # a record is complete when we hold: title, source line, abstract
        if len(window) >= 3 and _is_source_line(window[-2][1]) and not _is_source_line(window[-1][1]):
            *rest, (tn, title), (_, src), (an, abstract) = window
            for rn, rtext in rest:
                if started:
                    yield Quarantined(Source(display, rn), "expected a title, a source line and an abstract; "
                                      "this paragraph is none of a record's parts", rtext[:500])
                else:
                    header.append(rtext)
            started = True
            window = []
            yield Paper(title=title, abstract=abstract, venue=src, source=Source(display, tn),
                        format="aggregator_feed", extra={"header": header}, abstract_line=an)
    for rn, rtext in window:
        yield Quarantined(Source(display, rn), "expected a title, a source line and an abstract; "
                          "the file ends before the record is complete", rtext[:500])
