"""arXiv: API responses (Atom XML) and the metadata snapshot (JSON lines).

``arxiv_atom``
    The body of an ``export.arxiv.org/api/query`` response: a feed of ``<entry>`` elements.
    Parsed with defusedxml's SAX reader, fed in chunks (the feed is never held whole); DTDs
    with entity declarations and external entities are refused: such a file becomes one
    quarantined record, nothing is expanded. An error feed (an entry whose id is under
    ``/api/errors``) is quarantined with the API's message.
``arxiv_snapshot``
    The Kaggle/Cornell ``arxiv-metadata-oai-snapshot.json``: one JSON object per line with
    ``id``, ``authors_parsed``, ``versions``, ``journal-ref``, ``doi``... Each line is a record
    (its ``Source`` line is the line number); ``published`` is the date of version 1.

Identifiers are kept without version (``2202.12139v1`` → ``2202.12139``).

>>> sniff_arxiv_snapshot('{"id":"0704.0001","submitter":"P","authors_parsed":[]}', Path("x"))
True
"""

from __future__ import annotations

import email.utils
from collections.abc import Iterator
from pathlib import Path
from xml.sax import SAXParseException
from xml.sax.expatreader import ExpatLocator
from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import DefusedXmlException
from kg.loaders import DEFAULT_MAX_RECORD, LoadOptions, open_text
from kg.loaders._common import (
    clean,
    first_char,
    guarded,
    has_ext,
    is_jsonl,
    jsonl_objects,
    parse_date,
    too_large,
)

from kg.ids import normalize_arxiv_id, normalize_doi
from kg.model import Author, Paper, Quarantined, Source
from kg.text import latex_accents

__all__ = [
    "FORMAT",
    "load_arxiv_atom",
    "load_arxiv_snapshot",
    "sniff_arxiv_atom",
    "sniff_arxiv_snapshot",
]

FORMAT = "arxiv_atom"
ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
_CHUNK = 1 << 16
_KEEP = {(ATOM, k) for k in ("id", "title", "summary", "published", "updated")} | {
    (ARXIV, k) for k in ("doi", "journal_ref", "comment")}



def _text(value: object) -> str:
    """A field's text with its TeX accents as letters: arXiv's metadata is written in TeX
    (``Nystr\\"om``, ``Fr\\'echet``, ``Sch\\"olkopf``), other sources write the same words in
    Unicode. Math and other commands stay as written.

    >>> _text('Sch\\\\"olkopf, Bernhard')
    'Schölkopf, Bernhard'
    """
    return latex_accents(clean(value))


# --------------------------------------------------------------------------- Atom


def sniff_arxiv_atom(head: str, path: Path) -> bool:
    """An Atom feed from the arXiv API (the Atom namespace and arXiv's schema or ids)."""
    if first_char(head) != "<":
        return False
    return "<feed" in head and ATOM in head and ("arxiv.org" in head)


class _Handler(ContentHandler):
    """Collects each ``<entry>`` as a small dict; finished entries wait in ``done``."""

    def __init__(self, limit: int = DEFAULT_MAX_RECORD) -> None:
        super().__init__()
        self.limit = limit
        self.size = 0
        self.done: list[dict] = []
        self.entry: dict | None = None
        self.author: dict | None = None
        self.text: list[str] = []
        self.locator = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX API)
        self.locator = locator

    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802
        ns, local = name
        self.text = []
        if ns == ATOM and local == "entry":
            line = self.locator.getLineNumber() if self.locator else 1
            self.entry = {"line": line, "authors": [], "links": [], "categories": []}
            self.size = 0
        elif self.entry is None:
            return
        elif ns == ATOM and local == "author":
            self.author = {"name": "", "affiliations": []}
        elif ns == ATOM and local == "link":
            self.entry["links"].append({k[1]: v for k, v in attrs.items()})
        elif ns == ATOM and local == "category":
            self.entry["categories"].append(attrs.get((None, "term"), ""))
        elif ns == ARXIV and local == "primary_category":
            self.entry["primary"] = attrs.get((None, "term"), "")

    def characters(self, content: str) -> None:
        self.size += len(content)
        if self.size > self.limit:  # an entry past the size limit: its text is not kept
            if self.entry is not None:
                self.entry["too_large"] = self.size
            self.text = []
            return
        self.text.append(content)

    def endElementNS(self, name, qname) -> None:  # noqa: N802
        ns, local = name
        text = "".join(self.text)
        self.text = []
        if self.entry is None:
            return
        if ns == ATOM and local == "entry":
            self.done.append(self.entry)
            self.entry = None
        elif self.author is not None:
            if ns == ATOM and local == "name":
                self.author["name"] = text
            elif ns == ARXIV and local == "affiliation":
                self.author["affiliations"].append(clean(text))
            elif ns == ATOM and local == "author":
                self.entry["authors"].append(self.author)
                self.author = None
        elif (ns, local) in _KEEP:
            self.entry[local] = text


def load_arxiv_atom(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Each ``<entry>`` of an arXiv API feed, streamed; error entries are quarantined."""
    display = options.display or path.name
    handler = _Handler(options.max_record)
    parser = defusedxml.sax.make_parser()
    parser.setFeature("http://xml.org/sax/features/namespaces", True)
    parser.setContentHandler(handler)
    handler.setDocumentLocator(ExpatLocator(parser))  # feed() does not set one (only parse() does)
    with open_text(path) as fh:
        try:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    parser.close()
                else:
                    parser.feed(chunk)
                for entry in handler.done:
                    yield _atom_record(entry, display, options.max_record)
                handler.done.clear()
                if not chunk:
                    break
        except DefusedXmlException as exc:
            yield from (_atom_record(entry, display, options.max_record) for entry in handler.done)
            line = handler.locator.getLineNumber() if handler.locator else 1
            yield Quarantined(Source(display, line),
                              f"refused unsafe XML ({type(exc).__name__}: {exc}); expected an arXiv "
                              "Atom feed without DTD entities or external references", "")
        except SAXParseException as exc:
            # the entries that ended before the error are good: keep them
            yield from (_atom_record(entry, display, options.max_record) for entry in handler.done)
            yield Quarantined(Source(display, exc.getLineNumber() or 1),
                              f"invalid XML ({exc.getMessage()}); expected a well-formed arXiv Atom feed",
                              "")


def _atom_record(e: dict, display: str, limit: int = DEFAULT_MAX_RECORD) -> Paper | Quarantined:
    src = Source(display, e["line"])
    if e.get("too_large"):
        return Quarantined(src, too_large(e["too_large"], limit, "an entry with more than"),
                           clean(e.get("id"))[:500])
    raw_id = clean(e.get("id"))
    snippet = f"{raw_id} | {clean(e.get('title'))} | {clean(e.get('summary'))}"[:500]
    if "/api/errors" in raw_id:
        return Quarantined(src, f"arXiv API error entry: {clean(e.get('summary'))!r}; "
                                "expected a paper entry", snippet)
    title = _text(e.get("title"))
    if not title:
        return Quarantined(src, "arXiv entry without a title; expected <title>", snippet)
    arxiv_id = normalize_arxiv_id(raw_id)
    if arxiv_id is None:
        return Quarantined(src, f"arXiv entry id {raw_id!r} is not an arXiv id; "
                                "expected http://arxiv.org/abs/<id>", snippet)
    date = parse_date(e.get("published"))
    if date is None:
        return Quarantined(src, f"arXiv entry {arxiv_id}: published {e.get('published')!r} "
                                "is not a date; expected YYYY-MM-DD...", snippet)
    authors = tuple(
        Author(name=_text(a["name"]), position=i, affiliations=tuple(a["affiliations"]))
        for i, a in enumerate((a for a in e["authors"] if clean(a["name"])), start=1)
    )
    cats = [c for c in e["categories"] if c]
    url = next((lk.get("href") for lk in e["links"] if lk.get("rel", "alternate") == "alternate"), None)
    return Paper(
        title=title, source=src, format="arxiv_atom", abstract=_text(e.get("summary")),
        published=date[0], year=date[1], author_count=len(authors) or None,
        arxiv_id=arxiv_id, doi=normalize_doi(e.get("doi")),
        url=url or f"https://arxiv.org/abs/{arxiv_id}",
        venue=_text(e.get("journal_ref")) or None, authors=authors, keywords=tuple(cats),
        extra={k: _text(e[k]) for k in ("comment", "updated", "primary") if e.get(k)},
    )


# --------------------------------------------------------------------------- snapshot


def sniff_arxiv_snapshot(head: str, path: Path) -> bool:
    """JSON lines with the snapshot's own keys (``authors_parsed`` or ``submitter``+``versions``)."""
    if first_char(head) != "{":
        return False
    first = head.lstrip().split("\n", 1)[0]
    # a record's first 64 KiB may end inside its abstract, before "versions" and "authors_parsed"
    return '"authors_parsed"' in first or ('"submitter"' in first and (
        '"versions"' in first or first.startswith('{"id"'))) or (
        is_jsonl(head) and '"submitter"' in head and has_ext(path, ".json", ".jsonl"))


def load_arxiv_snapshot(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """One record per line of the arXiv metadata snapshot."""
    for src, line, obj in jsonl_objects(path, options, "arXiv snapshot record"):
        yield obj if isinstance(obj, Quarantined) else guarded(
            lambda d, s, line=line: _snapshot_record(d, s, line), obj, src, "arXiv snapshot record")


def _snapshot_record(d: dict, src: Source, line: str) -> Paper | Quarantined:
    title = _text(d.get("title"))
    arxiv_id = normalize_arxiv_id(str(d.get("id") or ""))
    if not title:
        return Quarantined(src, "arXiv snapshot record without a title; expected \"title\"", line[:500])
    if not arxiv_id:
        return Quarantined(src, f"arXiv snapshot record id {d.get('id')!r} is not an arXiv id; "
                                "expected \"id\" like 0704.0001", line[:500])
    published, year = _first_version_date(d)
    if published is None and d.get("update_date"):
        date = parse_date(d["update_date"])
        if date is None:
            return Quarantined(src, f"arXiv snapshot record {arxiv_id}: update_date "
                                    f"{d['update_date']!r} is not a date; expected YYYY-MM-DD", line[:500])
        published, year = date
    authors: list[Author] = []
    parsed = d.get("authors_parsed") or []
    for i, parts in enumerate(parsed, start=1):
        last, first = (parts + ["", ""])[:2]
        suffix = parts[2] if len(parts) > 2 else ""
        name = _text(" ".join(p for p in (first, last, suffix) if p))
        if name:
            authors.append(Author(name=name, position=i))
    cats = tuple(clean(d.get("categories")).split()) if d.get("categories") else ()
    extra = {k: _text(d[k]) for k in ("comments", "report-no", "license", "submitter") if d.get(k)}
    return Paper(
        title=title, source=src, format="arxiv_snapshot", abstract=_text(d.get("abstract")),
        published=published, year=year, author_count=len(authors) or None, arxiv_id=arxiv_id,
        doi=normalize_doi(d.get("doi")), url=f"https://arxiv.org/abs/{arxiv_id}",
        venue=_text(d.get("journal-ref")) or None, authors=tuple(authors), keywords=cats, extra=extra,
    )


def _first_version_date(d: dict) -> tuple[str | None, int | None]:
    for v in d.get("versions") or []:
        if isinstance(v, dict) and v.get("version") == "v1" and v.get("created"):
            try:
                when = email.utils.parsedate_to_datetime(v["created"])
            except (TypeError, ValueError):
                return None, None
            return when.date().isoformat(), when.year
    return None, None
