"""Crossref REST API ``/works`` responses: one work (``"message-type": "work"``), a page of
works (``"work-list"``, items under ``message.items``), a bare work object or an array of them,
or JSON lines of works.

Mapping: ``DOI``, ``title[0]``, ``abstract`` (JATS tags removed), date from ``issued`` (else
``published``, ``published-print``, ``published-online``, ``created``), ``author`` (in order,
``given family``, ``ORCID``, ``affiliation``), ``container-title[0]`` → venue, ``subject`` →
keywords, and each entry of ``reference`` → a :class:`~kg.model.Citation` with its DOI,
title (``article-title``/``volume-title``), year, first author surname and the unstructured text.

>>> strip_tags("<jats:title>Abstract</jats:title><jats:p>Twenty beagles</jats:p>")
'Twenty beagles'
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from kg.loaders import LoadOptions
from kg.loaders._common import JsonError, citation_text, clean, first_char, guarded, json_items, parse_date

from kg.ids import normalize_doi
from kg.model import Author, Citation, Paper, Quarantined, Source

__all__ = ["FORMAT", "load", "sniff", "strip_tags"]

FORMAT = "crossref"
_TAG = re.compile(r"<[^>]+>")
_ABSTRACT_HEADING = re.compile(r"^\s*<(?:jats:)?title>\s*Abstract\s*</(?:jats:)?title>", re.I)


def sniff(head: str, path: Path) -> bool:
    """A Crossref response (``message-type``) or works with Crossref's own keys."""
    if first_char(head) not in "{[":
        return False
    if '"message-type"' in head and '"message"' in head:
        return True
    return '"DOI"' in head and '"container-title"' in head and '"is-referenced-by-count"' in head


def strip_tags(text: str | None) -> str:
    """Markup (JATS, HTML) removed, entities decoded, white space collapsed; a leading
    "Abstract" heading is dropped.

    >>> strip_tags("<jats:p>Cats &amp;\\n dogs</jats:p>")
    'Cats & dogs'
    """
    return clean(html.unescape(_TAG.sub(" ", _ABSTRACT_HEADING.sub("", text or ""))))


def load(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Each Crossref work of the file, streamed (items of a page one at a time)."""
    display = options.display or path.name
    for line, obj in json_items(path, [("message", "items"), ("items",)], options.max_record):
        src = Source(display, line)
        if isinstance(obj, JsonError):
            yield Quarantined(src, f"{obj.message}; expected a Crossref work (a JSON object)", obj.text)
            continue
        if isinstance(obj, dict) and isinstance(obj.get("message"), dict):
            if obj.get("status") not in (None, "ok"):
                yield Quarantined(src, f"Crossref response status {obj.get('status')!r}; expected 'ok'",
                                  str(obj.get("message"))[:500])
                continue
            obj = obj["message"]
        if not isinstance(obj, dict):
            yield Quarantined(src, "expected a Crossref work (a JSON object)", repr(obj)[:500])
            continue
        yield guarded(work_record, obj, src, "Crossref work")


def _first(value) -> str:
    if isinstance(value, list):
        return clean(value[0]) if value else ""
    return clean(value)


def work_record(w: dict, src: Source) -> Paper | Quarantined:
    """One Crossref work as a :class:`Paper` (or the reason it cannot be one)."""
    title = strip_tags(_first(w.get("title")))
    doi = normalize_doi(w.get("DOI"))
    text = f"{w.get('DOI')} | {title}"[:500]
    if not title:
        return Quarantined(src, f"Crossref work {doi} has no title; expected \"title\": [...]", text)
    date: tuple[str | None, int | None] | None = (None, None)
    for key in ("issued", "published", "published-print", "published-online", "created"):
        parts = (w.get(key) or {}).get("date-parts")
        if parts and parts[0] and parts[0][0] is not None:
            date = parse_date(parts)
            if date is None:
                return Quarantined(src, f"Crossref work {doi}: {key} {parts!r} is not a date; "
                                        "expected date-parts [[year, month, day]]", text)
            break
    authors = []
    for i, a in enumerate(w.get("author") or [], start=1):
        name = clean(" ".join(p for p in (a.get("given"), a.get("family")) if p)) or clean(a.get("name"))
        if not name:
            continue
        orcid = a.get("ORCID")
        authors.append(Author(
            name=name, position=i, orcid=str(orcid).rsplit("/", 1)[-1] if orcid else None,
            affiliations=tuple(clean(x.get("name")) for x in a.get("affiliation") or []
                               if isinstance(x, dict) and clean(x.get("name")))))
    citations = []
    for ref in w.get("reference") or []:
        if not isinstance(ref, dict):
            continue
        rtitle = clean(ref.get("article-title") or ref.get("volume-title") or ref.get("series-title")) or None
        ryear = parse_date(ref.get("year"))
        year = ryear[1] if ryear else None
        surnames = (clean(ref["author"]).split(",")[0].split(" ")[0],) if clean(ref.get("author")) else ()
        rdoi = normalize_doi(ref.get("DOI"))
        citations.append(Citation(
            doi=rdoi, title=rtitle, year=year, surnames=surnames,
            text=citation_text(surnames, year, rtitle, clean(ref.get("unstructured"))[:200] or (rdoi or "")),
            source=src))
    return Paper(
        title=title, source=src, format=FORMAT, abstract=strip_tags(w.get("abstract")),
        published=date[0], year=date[1], author_count=len(authors) or None, doi=doi,
        url=w.get("URL") or (f"https://doi.org/{doi}" if doi else None),
        venue=_first(w.get("container-title")) or None, authors=tuple(authors),
        citations=tuple(citations), keywords=tuple(clean(s) for s in w.get("subject") or [] if clean(s)),
        extra={k: w[k] for k in ("type", "publisher", "is-referenced-by-count") if w.get(k) is not None},
    )
