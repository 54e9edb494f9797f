"""RIS (``.ris``): tagged records ``TY  - `` … ``ER  - ``, read line by line.

Tags: ``TI``/``T1``/``CT``/``BT`` title (``ST`` short title as a fallback), ``AU``/``A1``
authors in order (``A2``… editors are not authors), ``PY``/``Y1``/``DA`` date
(``1948/07//``, ``2014//``, ``2009``), ``DO`` DOI, ``JO``/``JF``/``T2``/``JA``/``J2`` venue,
``UR`` URLs (several, or separated by ``;``), ``AB``/``N2`` abstract, ``KW`` keywords. A line
without a tag continues the field above it (multi-line fields). A byte-order mark is
removed. Each record's ``Source`` line is its ``TY`` line. A record whose ``ER`` is missing
ends at the next ``TY`` (it is loaded, with a note saying so).

A record without a title is quarantined (with the identifiers it had), as is one with a date
that has no year. Text outside records is quarantined too, except record numbers (``1.``)
and blank lines.

>>> ris_name("Shannon,Claude E."), ris_name("Dobrokhotova, Yu E."), ris_name("Ada Lovelace")
('Claude E. Shannon', 'Yu E. Dobrokhotova', 'Ada Lovelace')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from kg.loaders import LoadOptions, open_text
from kg.loaders._common import bounded_lines, clean, has_ext, parse_date, too_large

from kg.ids import normalize_arxiv_id, normalize_doi
from kg.model import Author, Paper, Quarantined, Source

__all__ = ["FORMAT", "load", "ris_name", "sniff"]

FORMAT = "ris"
_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*)|\s*)$")
_NUMBER = re.compile(r"^\s*\d+\.?\s*$")
_TITLE_TAGS = ("TI", "T1", "CT", "BT", "ST")
_DATE_TAGS = ("PY", "Y1", "DA")
_VENUE_TAGS = ("JO", "JF", "T2", "JA", "J2", "J1")


def sniff(head: str, path: Path) -> bool:
    """A ``TY  - `` line among the first lines (or a ``.ris`` name)."""
    lines = [ln.lstrip("\ufeff") for ln in head.splitlines()[:50]]
    if any(ln.startswith("TY  -") for ln in lines) and any(_TAG.match(ln) for ln in lines[1:]):
        return True
    return has_ext(path, ".ris") and not head.strip()


def ris_name(value: str) -> str:
    """``Last, First`` (or ``Last,First``) as ``First Last``.

    >>> ris_name("Lovelace, Ada"), ris_name("Hopper,Grace, Jr."), ris_name("Alan Turing")
    ('Ada Lovelace', 'Grace Hopper', 'Alan Turing')
    """
    value = clean(value)
    if "," in value:
        last, first = (p.strip() for p in value.split(",", 1))
        first = first.split(",")[0].strip()  # "Last, First, Suffix"
        return clean(f"{first} {last}")
    return value


def load(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Each ``TY`` … ``ER`` record of the file, streamed line by line.

    A ``TY`` line inside a record ends the record before it (its ``ER`` is missing: it is loaded
    with a note); a record larger than ``options.max_record`` characters is quarantined (it is
    not kept in memory past the limit). A field's continuation lines are collected in a list,
    never by rebuilding a growing string.
    """
    display = options.display or path.name
    limit = options.max_record
    record: list[tuple[str, list[str]]] | None = None
    start = size = 0
    raw: list[str] = []
    with open_text(path) as fh:
        for n, line, length in bounded_lines(fh, limit):
            line = line.rstrip("\r\n").lstrip("\ufeff")
            m = _TAG.match(line) if length <= limit else None
            if record is not None and m and m.group(1) == "TY":  # the record before has no ER
                yield _finish(record, Source(display, start), raw, size, limit,
                              f"record ends without 'ER  - ' (line {n} starts the next one)")
                record = None
            if record is None:
                if m and m.group(1) == "TY":
                    record, start, raw, size = [("TY", [m.group(2) or ""])], n, [line], length
                elif length > limit:
                    yield Quarantined(Source(display, n), too_large(length, limit, "a line"), "")
                elif line.strip() and not _NUMBER.match(line):
                    yield Quarantined(Source(display, n), "text outside a RIS record; expected 'TY  - ' "
                                                          "to start a record", line[:500])
                continue
            size += length
            if size > limit:
                if raw:
                    raw, record = [], [("TY", [""])]  # past the limit: stop keeping it
                if m and m.group(1) == "ER":
                    yield Quarantined(Source(display, start), too_large(size, limit, "a RIS record"), "")
                    record = None
                continue
            if len(raw) < 60:  # the text shown for a quarantined record: its first lines
                raw.append(line)
            if m and m.group(1) == "ER":
                yield _finish(record, Source(display, start), raw, size, limit)
                record = None
            elif m:
                record.append((m.group(1), [m.group(2) or ""]))
            elif line.strip() and record:
                record[-1][1].append(line.strip())
    if record is not None:
        yield Quarantined(Source(display, start), "RIS record without 'ER  - ' before the end of the "
                          "file; expected every record to end with ER", "\n".join(raw)[:500])


def _finish(record: list[tuple[str, list[str]]], src: Source, raw: list[str], size: int, limit: int,
            note: str = "") -> Paper | Quarantined:
    if size > limit:
        return Quarantined(src, too_large(size, limit, "a RIS record"), "")
    fields = [(tag, "\n".join(parts)) for tag, parts in record]
    rec = _record(fields, src, "\n".join(raw))
    if note and isinstance(rec, Paper):
        rec = replace(rec, notes=(*rec.notes, note))
    return rec


def _record(fields: list[tuple[str, str]], src: Source, text: str) -> Paper | Quarantined:
    def first(*tags: str) -> str:
        return next((clean(v) for t in tags for k, v in fields if k == t and clean(v)), "")

    title = first(*_TITLE_TAGS)
    doi = normalize_doi(first("DO"))
    if not title:
        have = ", ".join(sorted({k for k, v in fields if clean(v)} - {"TY"})) or "nothing"
        with_doi = f"; DOI {doi}" if doi else ""
        return Quarantined(src, f"RIS record without a title (it has: {have}{with_doi}); expected TI or T1",
                           text[:500])
    raw_date = first(*_DATE_TAGS)
    date = parse_date(raw_date) if raw_date else (None, None)
    if date is None:
        return Quarantined(src, f"RIS record date {raw_date!r} has no year; expected YYYY or YYYY/MM/DD",
                           text[:500])
    names = [ris_name(v) for k, v in fields if k in ("AU", "A1") and clean(v)]
    authors = tuple(Author(name=n, position=i) for i, n in enumerate(names, start=1))
    urls = [u.strip() for k, v in fields if k == "UR" for u in re.split(r"[;\s]+", v) if u.strip()]
    arxiv = next((normalize_arxiv_id(u) for u in urls if "arxiv.org" in u), None)
    return Paper(
        title=title, source=src, format=FORMAT, abstract=first("AB", "N2"), published=date[0],
        year=date[1], author_count=len(authors) or None, doi=doi, arxiv_id=arxiv,
        url=urls[0] if urls else None, venue=first(*_VENUE_TAGS) or None, authors=authors,
        keywords=tuple(clean(v) for k, v in fields if k == "KW" and clean(v)),
        extra={"type": first("TY"), **({"urls": urls} if len(urls) > 1 else {})},
    )
