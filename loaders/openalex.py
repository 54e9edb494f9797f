"""OpenAlex works: JSON lines (snapshot files, ``.gz`` read transparently), a JSON array of
works, a single work, or an API page (``{"meta": ..., "results": [...]}``).

Mapping: ``id`` → ``openalex`` (short ``W…`` id), ``doi``, ``ids.arxiv`` when present,
``display_name``/``title``, the abstract rebuilt from ``abstract_inverted_index``,
``publication_date``/``publication_year``, ``authorships`` (in order, with ORCID, OpenAlex
author id and institutions), venue from ``primary_location.source`` or the older
``host_venue``, ``concepts``/``keywords`` → keywords, and each of ``referenced_works`` → a
:class:`~kg.model.Citation` with its OpenAlex id.

>>> rebuild_abstract({"Deep": [0], "nets": [1, 3], "learn": [2]})
'Deep nets learn nets'
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.loaders import LoadOptions
from kg.loaders._common import clean, first_char, guarded, json_objects, parse_date

from kg.ids import normalize_arxiv_id, normalize_doi
from kg.model import Author, Citation, Paper, Quarantined, Source

__all__ = ["FORMAT", "load", "rebuild_abstract", "short_id", "sniff"]

FORMAT = "openalex"


def sniff(head: str, path: Path) -> bool:
    """JSON with OpenAlex work ids and OpenAlex-only keys."""
    if first_char(head) not in "{[" or not head.strip():
        return False
    return '"https://openalex.org/W' in head and any(
        k in head for k in ('"authorships"', '"abstract_inverted_index"', '"referenced_works"',
                            '"publication_year"'))


def short_id(value: Any) -> str | None:
    """``https://openalex.org/W123`` → ``W123``.

    >>> short_id("https://openalex.org/W2100301546")
    'W2100301546'
    """
    if not value:
        return None
    return str(value).rstrip("/").rsplit("/", 1)[-1].upper() or None


def rebuild_abstract(index: dict[str, list[int]] | None) -> str:
    """The abstract text from OpenAlex's inverted index (word → positions)."""
    if not index:
        return ""
    slots: dict[int, str] = {}
    for word, positions in index.items():
        for p in positions or ():
            slots[int(p)] = word
    return clean(" ".join(slots[p] for p in sorted(slots)))


def load(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Each OpenAlex work of the file, streamed."""
    for src, obj in json_objects(path, options, "an OpenAlex work (a JSON object)", ("results",)):
        yield obj if isinstance(obj, Quarantined) else guarded(
            lambda w, s: work_record(w, s, FORMAT), obj, src, "OpenAlex work")


def work_record(w: dict, src: Source, fmt: str) -> Paper | Quarantined:
    """One OpenAlex work as a :class:`Paper` (or the reason it cannot be one)."""
    title = clean(w.get("display_name") or w.get("title"))
    wid = short_id(w.get("id"))
    text = f"{w.get('id')} | {title}"[:500]
    if not title:
        return Quarantined(src, f"OpenAlex work {wid} has no title; expected \"display_name\"", text)
    date = parse_date(w.get("publication_date"))
    if date is None or date == (None, None):
        date = parse_date(w.get("publication_year"))
    if date is None:
        return Quarantined(src, f"OpenAlex work {wid}: publication date {w.get('publication_date')!r} / "
                                f"year {w.get('publication_year')!r} is not a date; expected YYYY-MM-DD",
                           text)
    authors = []
    for i, a in enumerate(w.get("authorships") or [], start=1):
        person = a.get("author") or {}
        name = clean(person.get("display_name") or a.get("raw_author_name"))
        if not name:
            continue
        insts = tuple(clean(inst.get("display_name")) for inst in a.get("institutions") or []
                      if inst and clean(inst.get("display_name")))
        orcid = person.get("orcid")
        authors.append(Author(name=name, position=i, openalex=short_id(person.get("id")),
                              orcid=str(orcid).rsplit("/", 1)[-1] if orcid else None,
                              affiliations=insts))
    ids = w.get("ids") or {}
    venue = None
    for loc in (w.get("primary_location"), w.get("host_venue")):
        if isinstance(loc, dict):
            source = loc.get("source") if "source" in loc else loc
            if isinstance(source, dict) and clean(source.get("display_name")):
                venue = clean(source["display_name"])
                break
    keywords = [clean(k.get("display_name")) for k in (w.get("keywords") or w.get("concepts") or [])
                if isinstance(k, dict) and clean(k.get("display_name"))]
    citations = tuple(
        Citation(openalex=short_id(ref), text=short_id(ref) or "", source=src)
        for ref in w.get("referenced_works") or [] if short_id(ref)
    )
    return Paper(
        title=title, source=src, format=fmt, abstract=rebuild_abstract(w.get("abstract_inverted_index")),
        published=date[0], year=date[1], author_count=len(authors) or None,
        arxiv_id=normalize_arxiv_id(ids.get("arxiv")) if ids.get("arxiv") else None,
        doi=normalize_doi(w.get("doi") or ids.get("doi")), openalex=wid,
        url=w.get("doi") or w.get("id"), venue=venue, authors=tuple(authors), citations=citations,
        keywords=tuple(keywords),
        extra={k: w[k] for k in ("type", "cited_by_count") if w.get(k) is not None},
    )
