"""Semantic Scholar: Graph API responses (JSON) and the Academic Graph bulk datasets (JSON lines).

``s2_graph``
    A Graph API response: one paper (``/paper/{id}``), a batch (a JSON array of papers, ``null``
    for ids not found), a page (``{"data": [...]}``: search, an author's papers, or
    ``citedPaper``/``citingPaper`` items), or an author (``/author/{id}`` with ``papers``: each
    of the author's papers is a record). A paper's ``references`` become its citations. Its
    ``citations`` (the papers citing it) are *not* turned into records: they only count, in
    ``extra["citation_count"]``; load the citing papers' own responses to get those edges.
``s2_papers``, ``s2_abstracts``, ``s2_citations``
    Bulk dataset lines (``corpusid`` keys, lower case). A *papers* line is a full record.
    An *abstracts* line is a stub record (``stub=True``, empty title) holding only the corpus id
    and the abstract. A *citations* line (``citingcorpusid`` → ``citedcorpusid``) is a stub
    record of the citing paper holding one :class:`~kg.model.Citation` to the cited paper (its
    ``contexts`` kept as evidence). Resolution merges these stubs by id into the full paper
    record when it arrives; a citations line without a cited corpus id is quarantined.

**Which identifier is ``s2``.** The bulk abstracts and citations lines know papers only by
corpus id, so every record uses ``s2 = "corpus:<CorpusId>"`` when the corpus id is known (all
three bulk datasets and the Graph API's ``corpusId``), and the 40-hex ``paperId`` only when it
is not; the ``paperId`` is kept in ``extra["paper_id"]``. The same rule applies to the
identifiers of references, so a stub merges with the full paper from any S2 source.

>>> s2_key({"paperId": "2d56", "corpusId": 14636783})
'corpus:14636783'
>>> s2_key({"paperId": "2d56"})
'2d56'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.loaders import LoadOptions
from kg.loaders._common import (
    JsonError,
    citation_text,
    clean,
    first_char,
    guarded,
    json_items,
    jsonl_objects,
    parse_date,
    surname,
)

from kg.ids import normalize_arxiv_id, normalize_doi
from kg.model import Author, Citation, Paper, Quarantined, Source

__all__ = [
    "FORMAT",
    "load_s2_abstracts",
    "load_s2_citations",
    "load_s2_graph",
    "load_s2_papers",
    "s2_key",
    "sniff_s2_abstracts",
    "sniff_s2_citations",
    "sniff_s2_graph",
    "sniff_s2_papers",
]

FORMAT = "s2_graph"
_PAPER_URL = re.compile(r"semanticscholar\.org/paper/([0-9a-f]{40})")


def s2_key(d: dict) -> str | None:
    """The ``s2`` identifier of a paper object: ``corpus:<id>`` if known, else its paperId."""
    ext = d.get("externalIds") or d.get("externalids") or {}
    corpus = d.get("corpusId") or d.get("corpusid") or ext.get("CorpusId")
    if corpus:
        return f"corpus:{corpus}"
    return d.get("paperId") or None


# --------------------------------------------------------------------------- sniffing


def _first_line(head: str) -> str:
    return head.lstrip().split("\n", 1)[0]


def sniff_s2_citations(head: str, path: Path) -> bool:
    """Bulk *citations* lines (``citingcorpusid``)."""
    return first_char(head) == "{" and '"citingcorpusid"' in _first_line(head)


def sniff_s2_abstracts(head: str, path: Path) -> bool:
    """Bulk *abstracts* lines (``corpusid`` + ``abstract`` + ``openaccessinfo``)."""
    line = _first_line(head)
    return first_char(head) == "{" and '"corpusid"' in line and '"abstract"' in line and (
        '"openaccessinfo"' in line or '"title"' not in line)


def sniff_s2_papers(head: str, path: Path) -> bool:
    """Bulk *papers* lines (``corpusid`` + ``externalids`` + ``title``, lower-case keys)."""
    line = _first_line(head)
    return first_char(head) == "{" and '"corpusid"' in line and '"title"' in line


def sniff_s2_graph(head: str, path: Path) -> bool:
    """A Graph API response: ``paperId`` keys (or an author object with ``authorId``)."""
    if first_char(head) not in "{[":
        return False
    return '"paperId"' in head or ('"authorId"' in head and '"papers"' in head)


# --------------------------------------------------------------------------- Graph API


def load_s2_graph(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Each paper of a Graph API response."""
    display = options.display or path.name
    for line, obj in json_items(path, [("data",), ("papers",)], options.max_record):
        src = Source(display, line)
        if isinstance(obj, JsonError):
            yield Quarantined(src, f"{obj.message}; expected a Semantic Scholar Graph API response",
                              obj.text)
        elif obj is None:
            yield Quarantined(src, "null in a batch response (an id Semantic Scholar did not find); "
                                   "expected a paper object", "null")
        elif not isinstance(obj, dict):
            yield Quarantined(src, "expected a Semantic Scholar paper or author (a JSON object)",
                              repr(obj)[:500])
        elif "papers" in obj and "paperId" not in obj:
            papers = obj.get("papers") or []
            if not isinstance(papers, list):
                yield Quarantined(src, f"Semantic Scholar author {obj.get('authorId')}: \"papers\" is "
                                       f"{type(papers).__name__}; expected a list of paper objects",
                                  repr(obj)[:500])
                continue
            for paper in papers:
                yield _graph_guarded(paper, src)
            if not obj.get("papers"):
                yield Quarantined(src, f"Semantic Scholar author {obj.get('authorId')} response lists "
                                       "no papers; expected \"papers\": [...]", repr(obj)[:500])
        else:
            inner = obj.get("citedPaper") or obj.get("citingPaper") or obj
            yield _graph_guarded(inner, src)


def _graph_guarded(d: Any, src: Source) -> Paper | Quarantined:
    if not isinstance(d, dict):
        return Quarantined(src, "expected a Semantic Scholar paper object", repr(d)[:500])
    return guarded(_graph_paper, d, src, "Semantic Scholar paper")


def _authors(items: Any) -> tuple[Author, ...]:
    out = []
    for i, a in enumerate(items or [], start=1):
        if not isinstance(a, dict) or not clean(a.get("name")):
            continue
        ext = a.get("externalIds") or {}
        orcid = ext.get("ORCID") if isinstance(ext, dict) else None
        out.append(Author(
            name=clean(a["name"]), position=i, s2=str(a["authorId"]) if a.get("authorId") else None,
            orcid=orcid if isinstance(orcid, str) else None,
            affiliations=tuple(clean(x) for x in a.get("affiliations") or [] if clean(x))))
    return tuple(out)


def _ids(d: dict) -> dict[str, Any]:
    ext = d.get("externalIds") or d.get("externalids") or {}
    return {
        "doi": normalize_doi(ext.get("DOI")),
        "arxiv_id": normalize_arxiv_id(ext.get("ArXiv")) if ext.get("ArXiv") else None,
        "s2": s2_key(d),
    }


def _date(d: dict) -> tuple[str | None, int | None] | None:
    date = parse_date(d.get("publicationDate") or d.get("publicationdate"))
    if date == (None, None) or date is None and not (d.get("publicationDate") or d.get("publicationdate")):
        date = parse_date(d.get("year"))
    return date


def _graph_paper(d: Any, src: Source) -> Paper | Quarantined:
    if not isinstance(d, dict):
        return Quarantined(src, "expected a Semantic Scholar paper object", repr(d)[:500])
    title = clean(d.get("title"))
    text = f"{d.get('paperId')} | {title}"[:500]
    if not title:
        filled = sorted(k for k, v in d.items() if v not in (None, [], {}, ""))
        return Quarantined(src, f"Semantic Scholar paper {d.get('paperId')} has no title (fields with "
                                f"values: {', '.join(filled) or 'none'}); expected \"title\"", text)
    date = _date(d)
    if date is None:
        return Quarantined(src, f"Semantic Scholar paper {d.get('paperId')}: publicationDate "
                                f"{d.get('publicationDate')!r} / year {d.get('year')!r} is not a date",
                           text)
    authors = _authors(d.get("authors"))
    citations = []
    for ref in d.get("references") or []:
        if not isinstance(ref, dict):
            continue
        rtitle = clean(ref.get("title")) or None
        ry = ref.get("year") if isinstance(ref.get("year"), int) else None
        rsur = (surname(ref["authors"][0]["name"]),) if ref.get("authors") and isinstance(
            ref["authors"][0], dict) and ref["authors"][0].get("name") else ()
        rids = _ids(ref)
        if not (rtitle or any(rids.values())):
            continue
        et_al = len(ref.get("authors") or []) > 2
        citations.append(Citation(title=rtitle, year=ry, surnames=rsur, et_al=et_al,
                                  text=citation_text(rsur, ry, rtitle, rids["s2"] or ""), source=src,
                                  **rids))
    venue = clean((d.get("publicationVenue") or {}).get("name")) or clean(d.get("venue")) or clean(
        (d.get("journal") or {}).get("name")) or None
    extra = {"paper_id": d["paperId"]} if d.get("paperId") else {}
    if d.get("citationCount") is not None:
        extra["citation_count"] = d["citationCount"]
    fos = [clean(f) for f in d.get("fieldsOfStudy") or [] if clean(f)]
    return Paper(
        title=title, source=src, format="s2_graph", abstract=clean(d.get("abstract")),
        published=date[0], year=date[1], author_count=len(authors) or None,
        url=d.get("url"), venue=venue, authors=authors, citations=tuple(citations),
        keywords=tuple(fos), extra=extra, **_ids(d),
    )


# --------------------------------------------------------------------------- bulk datasets


def load_s2_papers(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Bulk *papers* lines: full records."""
    for src, line, d in jsonl_objects(path, options, "Semantic Scholar papers record"):
        yield d if isinstance(d, Quarantined) else guarded(
            lambda d, s, ln=line: _bulk_paper(d, s, ln), d, src, "Semantic Scholar papers record")


def _bulk_paper(d: dict, src: Source, line: str) -> Paper | Quarantined:
    title = clean(d.get("title"))
    if not title:
        return Quarantined(src, f"bulk paper corpus:{d.get('corpusid')} has no title; expected \"title\"",
                           line[:500])
    date = _date(d)
    if date is None:
        return Quarantined(src, f"bulk paper corpus:{d.get('corpusid')}: year {d.get('year')!r} is not "
                                "a year; expected a 4-digit year", line[:500])
    authors = _authors(d.get("authors"))
    m = _PAPER_URL.search(d.get("url") or "")
    fos = [clean(f.get("category")) for f in d.get("s2fieldsofstudy") or []
           if isinstance(f, dict) and clean(f.get("category"))]
    extra: dict[str, Any] = {"paper_id": m.group(1)} if m else {}
    if d.get("citationcount") is not None:
        extra["citation_count"] = d["citationcount"]
    return Paper(title=title, source=src, format="s2_papers", published=date[0], year=date[1],
                author_count=len(authors) or None, url=d.get("url"),
                venue=clean(d.get("venue")) or None, authors=authors,
                keywords=tuple(dict.fromkeys(fos)), extra=extra, **_ids(d))


def load_s2_abstracts(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Bulk *abstracts* lines: stub records with the corpus id and the abstract."""
    for src, line, d in jsonl_objects(path, options, "Semantic Scholar abstracts record"):
        yield d if isinstance(d, Quarantined) else guarded(
            lambda d, s, ln=line: _bulk_abstract(d, s, ln), d, src, "Semantic Scholar abstracts record")


def _bulk_abstract(d: dict, src: Source, line: str) -> Paper | Quarantined:
    if not d.get("corpusid") or not clean(d.get("abstract")):
        return Quarantined(src, "bulk abstract line without corpusid or abstract; expected both",
                           line[:500])
    ext = (d.get("openaccessinfo") or {}).get("externalids") or {}
    return Paper(title="", source=src, format="s2_abstracts", abstract=clean(d["abstract"]),
                s2=f"corpus:{d['corpusid']}", doi=normalize_doi(ext.get("DOI")),
                arxiv_id=normalize_arxiv_id(ext.get("ArXiv")) if ext.get("ArXiv") else None,
                stub=True)


def load_s2_citations(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Bulk *citations* lines: a stub of the citing paper with one citation."""
    for src, line, d in jsonl_objects(path, options, "Semantic Scholar citations record"):
        yield d if isinstance(d, Quarantined) else guarded(
            lambda d, s, ln=line: _bulk_citation(d, s, ln), d, src, "Semantic Scholar citations record")


def _bulk_citation(d: dict, src: Source, line: str) -> Paper | Quarantined:
    citing, cited = d.get("citingcorpusid"), d.get("citedcorpusid")
    if not citing or not cited:
        missing = "citingcorpusid" if not citing else "citedcorpusid"
        return Quarantined(src, f"bulk citation line with {missing} null (the other paper is not in "
                                f"Semantic Scholar's corpus); expected both corpus ids", line[:500])
    contexts = [clean(c) for c in d.get("contexts") or [] if clean(c)]
    cite = Citation(s2=f"corpus:{cited}", text=f"corpus:{cited}",
                    evidence=contexts[0] if contexts else "", source=src)
    return Paper(title="", source=src, format="s2_citations", s2=f"corpus:{citing}", stub=True,
                citations=(cite,),
                extra={"isinfluential": bool(d.get("isinfluential")), "intents": d.get("intents") or []})
