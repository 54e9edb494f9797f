"""The four live sources: how to ask each for a page, and what of the answer to write.

Every source turns a request into a :class:`Page`: the records to write (JSON lines, one
record per line, keyed for de-duplication) or the raw body (arXiv's Atom feed, which the
``arxiv_atom`` loader reads as it is), the cursor of the next page and the total the source
reports.

=============  ==============================================  ===========================
source         endpoint (base URL from the environment)        written as
=============  ==============================================  ===========================
``arxiv``      ``KG_ARXIV_URL`` (``/api/query``, Atom)          the Atom page, ``.xml``
``openalex``   ``KG_OPENALEX_URL`` + ``/works``                 one work per line, ``.jsonl``
``s2``         ``KG_S2_URL`` + ``/paper/search/bulk``, batch    one paper per line, ``.jsonl``
``crossref``   ``KG_CROSSREF_URL`` + ``/works``                 one work per line, ``.jsonl``
=============  ==============================================  ===========================

>>> jsonl_line({"title": "a\\u2028b"})
'{"title": "a\\\\u2028b"}'
>>> normalize_since("2023"), normalize_since("2023-5")
('2023-01-01', '2023-05-01')
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import defusedxml.ElementTree as SafeET

from kg.fetch.http import BadResponse, Cache, FetchError, Http, HttpSettings

__all__ = [
    "ARXIV_DEFAULT_URL",
    "SOURCES",
    "Page",
    "Source",
    "jsonl_line",
    "normalize_since",
    "source",
]

ARXIV_DEFAULT_URL = "http://export.arxiv.org/api/query"
OPENALEX_DEFAULT_URL = "https://api.openalex.org"
S2_DEFAULT_URL = "https://api.semanticscholar.org/graph/v1"
CROSSREF_DEFAULT_URL = "https://api.crossref.org"

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"

#: Semantic Scholar paper fields written for each paper (what the ``s2_graph`` loader reads).
S2_FIELDS = ",".join([
    "paperId", "corpusId", "externalIds", "url", "title", "abstract", "venue", "publicationVenue",
    "year", "publicationDate", "journal", "authors", "citationCount", "fieldsOfStudy",
    "references.paperId", "references.corpusId", "references.externalIds", "references.title",
    "references.year", "references.authors",
])
S2_BATCH = 500  # ids per POST /paper/batch (the documented maximum)
_UNSAFE_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


@dataclass
class Page:
    """One answer of a source.

    ``items`` are ``(key, payload)``: the payload is the record's JSON line, or, when ``render``
    is set, what ``render`` turns into ``(key, JSON line)`` records (Semantic Scholar: ids that
    the batch endpoint fills in, asked only for the items kept). Or ``raw`` is the body to write
    as it is, ``count`` records in it. ``next`` is the next cursor (``None`` at the end);
    ``total`` what the source says matches.
    """

    items: list[tuple[str | None, Any]] = field(default_factory=list)
    raw: bytes | None = None
    count: int = 0
    next: Any = None
    total: int | None = None
    render: Callable[[list[Any]], list[tuple[str | None, str]]] | None = None

    def __post_init__(self) -> None:
        if self.raw is None:
            self.count = len(self.items)


def jsonl_line(obj: Any) -> str:
    """``obj`` as one JSON line (no line break inside, even the ones ``str.splitlines`` sees)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
    for ch, esc in _UNSAFE_LINE_BREAKS.items():
        text = text.replace(ch, esc)
    return text


_SINCE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def normalize_since(value: str | None) -> str | None:
    """``YYYY[-MM[-DD]]`` as ``YYYY-MM-DD`` (``None`` stays ``None``)."""
    if value is None or value == "":
        return None
    m = _SINCE.match(value.strip())
    if not m or not 1 <= int(m.group(2) or 1) <= 12 or not 1 <= int(m.group(3) or 1) <= 31:
        raise FetchError(f"--since {value!r} is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = m.group(1), int(m.group(2) or 1), int(m.group(3) or 1)
    return f"{y}-{mo:02d}-{d:02d}"


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadResponse(f"not JSON: {exc}") from None


def _env(name: str, *more: str) -> str | None:
    for n in (name, *more):
        if os.environ.get(n):
            return os.environ[n]
    return None


@dataclass
class Source:
    """A live source: its name, URL, pacing, key and the file extension of what it writes."""

    name: str
    title: str
    ext: str
    url_env: str
    default_url: str
    min_interval: float
    key_hint: str = ""
    page_size: int = 100
    can_expand: bool = False
    key: Callable[[dict], str | None] = lambda _obj: None

    @property
    def base_url(self) -> str:
        """The base URL from the environment (a trailing ``/works`` of OpenAlex or Crossref is
        taken off: kg adds it)."""
        url = (os.environ.get(self.url_env) or self.default_url).rstrip("/")
        if self.name in ("openalex", "crossref") and url.endswith("/works"):
            url = url[: -len("/works")]
        return url

    def http(self, settings: HttpSettings, cache: Cache | None, say: Callable[[str], None],
             mailto: str | None = None) -> Http:
        headers: dict[str, str] = {}
        params: dict[str, str] = {}
        interval = self.min_interval
        if self.name == "s2":
            key = _env("KG_S2_API_KEY", "S2_API_KEY")
            if key:
                headers["x-api-key"] = key
        elif self.name == "openalex":
            key = _env("KG_OPENALEX_API_KEY", "OPENALEX_API_KEY")
            if key:
                params["api_key"] = key
            if mailto:
                params["mailto"] = mailto
        elif self.name == "crossref":
            token = _env("KG_CROSSREF_PLUS_TOKEN")
            if token:
                headers["Crossref-Plus-API-Token"] = f"Bearer {token}"
            if mailto:
                params["mailto"] = mailto
                headers["User-Agent"] = f"kg-toolkit (mailto:{mailto})"
            else:
                interval = max(interval, 0.2)  # the public pool: 5 requests a second
        return Http(self.title, interval, settings=settings, cache=cache, headers=headers,
                    secret_params=params, key_hint=self.key_hint, say=say)

    # ------------------------------------------------------------------ searching
    def search(self, http: Http, query: str, since: str | None, cursor: Any, want: int | None) -> Page:
        """The page of a query at ``cursor`` (``want``: records still wanted, or ``None``)."""
        return _SEARCH[self.name](self, http, query, since, cursor, want)

    def first_cursor(self) -> Any:
        return 0 if self.name == "arxiv" else ("*" if self.name in ("openalex", "crossref") else None)


# --------------------------------------------------------------------------- arXiv


def arxiv_decode(body: bytes) -> Page:
    """An arXiv Atom page: the raw body, its entries counted, the reported total.

    An error feed (an entry under ``/api/errors``) raises :class:`FetchError` with the API's
    message; a body that is not a whole feed raises :class:`BadResponse` (retried).
    """
    try:
        root = SafeET.fromstring(body)
    except SafeET.ParseError as exc:
        raise BadResponse(f"not a whole Atom feed: {exc}") from None
    except Exception as exc:  # defusedxml refusals
        raise FetchError(f"arXiv answered with XML kg refuses to read ({type(exc).__name__})") from None
    if root.tag != f"{ATOM}feed":
        raise BadResponse(f"expected an Atom <feed>, found <{root.tag}>")
    entries = root.findall(f"{ATOM}entry")
    ids = [(e.findtext(f"{ATOM}id") or "").strip() for e in entries]
    for e, eid in zip(entries, ids, strict=True):
        if "/api/errors" in eid:
            msg = (e.findtext(f"{ATOM}summary") or "").strip()
            raise FetchError(f"arXiv: the API rejected the query: {msg!r}; see "
                             "https://info.arxiv.org/help/api/user-manual.html#query_details")
    total_text = root.findtext(f"{OPENSEARCH}totalResults")
    total = int(total_text) if total_text and total_text.strip().isdigit() else None
    return Page(raw=body, count=len(entries), total=total)


def arxiv_query(query: str, since: str | None) -> str:
    """The ``search_query`` for a query: arXiv syntax as given (a bare phrase searches all
    fields), with ``submittedDate`` from ``since`` when given.

    >>> arxiv_query("state space models", "2023-01-01").startswith('(all:"state space models") AND')
    True
    """
    q = query.strip()
    if not re.search(r"\b(ti|au|abs|co|jr|cat|rn|id|all|submittedDate):", q):
        q = f'all:"{q}"' if " " in q else f"all:{q}"
    if since:
        today = time.strftime("%Y%m%d", time.gmtime())
        q = f"({q}) AND submittedDate:[{since.replace('-', '')}0000 TO {today}2359]"
    return q


def _arxiv_search(src: Source, http: Http, query: str, since: str | None, cursor: Any,
                  want: int | None) -> Page:
    start = int(cursor or 0)
    size = src.page_size if want is None else max(1, min(src.page_size, want))
    params = {"search_query": arxiv_query(query, since), "start": start, "max_results": size,
              "sortBy": "submittedDate", "sortOrder": "descending"}
    page = http.get(src.base_url, arxiv_decode, params)
    if page.count == 0 and page.total is not None and start < page.total:
        # arXiv sometimes answers a page with no entries though more match: ask again once
        page = http.request("GET", src.base_url, arxiv_decode, params=params, use_cache=False)
    page.next = start + page.count if page.count and (page.total is None or start + page.count
                                                      < page.total) else None
    return page


# --------------------------------------------------------------------------- OpenAlex


def _short(n: int, per_page: Any) -> bool:
    """Whether a page of ``n`` results is the last: fewer than the page size the source reports."""
    return isinstance(per_page, int) and 0 < n < per_page


def openalex_key(w: dict) -> str | None:
    wid = w.get("id")
    return str(wid).rstrip("/").rsplit("/", 1)[-1].upper() if wid else None


def openalex_decode(body: bytes) -> dict:
    data = _json(body)
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise BadResponse("expected an OpenAlex page {\"meta\": ..., \"results\": [...]}")
    return data


def openalex_page(src: Source, http: Http, params: dict[str, Any], cursor: Any) -> Page:
    """One page of ``/works`` with ``params`` (cursor paging)."""
    data = http.get(f"{src.base_url}/works", openalex_decode,
                    {**params, "per_page": src.page_size, "cursor": cursor or "*"})
    works = [w for w in data["results"] if isinstance(w, dict)]
    meta = data.get("meta") or {}
    last = not works or _short(len(data["results"]), meta.get("per_page"))
    nxt = None if last else meta.get("next_cursor")
    return Page(items=[(openalex_key(w), jsonl_line(w)) for w in works], next=nxt,
                total=meta.get("count") if isinstance(meta.get("count"), int) else None)


def _openalex_search(src: Source, http: Http, query: str, since: str | None, cursor: Any,
                     want: int | None) -> Page:
    params: dict[str, Any] = {"search": query}
    if since:
        params["filter"] = f"from_publication_date:{since}"
    return openalex_page(src, http, params, cursor)


# --------------------------------------------------------------------------- Crossref


def crossref_key(w: dict) -> str | None:
    doi = w.get("DOI")
    return str(doi).lower() if doi else None


def crossref_decode(body: bytes) -> dict:
    data = _json(body)
    msg = data.get("message") if isinstance(data, dict) else None
    if not isinstance(msg, dict) or not isinstance(msg.get("items"), list):
        raise BadResponse("expected a Crossref work-list {\"message\": {\"items\": [...]}}")
    return msg


def _crossref_search(src: Source, http: Http, query: str, since: str | None, cursor: Any,
                     want: int | None) -> Page:
    params: dict[str, Any] = {"query": query, "rows": src.page_size, "cursor": cursor or "*"}
    if since:
        params["filter"] = f"from-pub-date:{since}"
    msg = http.get(f"{src.base_url}/works", crossref_decode, params)
    items = [w for w in msg["items"] if isinstance(w, dict)]
    total = msg.get("total-results")
    last = not items or _short(len(msg["items"]), msg.get("items-per-page"))
    return Page(items=[(crossref_key(w), jsonl_line(w)) for w in items],
                next=None if last else msg.get("next-cursor"),
                total=total if isinstance(total, int) else None)


# --------------------------------------------------------------------------- Semantic Scholar


def s2_key(p: dict) -> str | None:
    """The ``s2`` identifier the loader gives a paper (``corpus:<id>`` or the paperId)."""
    ext = p.get("externalIds") or {}
    corpus = p.get("corpusId") or (ext.get("CorpusId") if isinstance(ext, dict) else None)
    return f"corpus:{corpus}" if corpus else (p.get("paperId") or None)


def s2_request_id(p: dict) -> str | None:
    """The id to ask the batch endpoint for a paper object (``CorpusId:N`` or the paperId)."""
    key = s2_key(p)
    return f"CorpusId:{key[7:]}" if key and key.startswith("corpus:") else key


def s2_decode(body: bytes) -> Any:
    data = _json(body)
    if not isinstance(data, dict | list):
        raise BadResponse("expected a Semantic Scholar JSON object or array")
    return data


def s2_batch(src: Source, http: Http, ids: list[str]) -> list[tuple[str | None, str]]:
    """The full papers (with references) of ``ids``, in order; ids S2 does not know are left out."""
    out: list[tuple[str | None, str]] = []
    for i in range(0, len(ids), S2_BATCH):
        chunk = ids[i:i + S2_BATCH]
        data = http.request("POST", f"{src.base_url}/paper/batch", s2_decode,
                            params={"fields": S2_FIELDS}, json_body={"ids": chunk})
        if not isinstance(data, list):
            raise BadResponse("expected a JSON array from /paper/batch")
        out += [(s2_key(p), jsonl_line(p)) for p in data if isinstance(p, dict)]
    return out


def _s2_search(src: Source, http: Http, query: str, since: str | None, cursor: Any,
               want: int | None) -> Page:
    params: dict[str, Any] = {"query": query, "fields": "paperId,corpusId"}
    if since:
        params["publicationDateOrYear"] = f"{since}:"
    if cursor:
        params["token"] = cursor
    data = http.get(f"{src.base_url}/paper/search/bulk", s2_decode, params)
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise FetchError(f"Semantic Scholar: unexpected answer to a search ({str(data)[:200]})")
    items = [(s2_key(p), s2_request_id(p)) for p in data["data"] if isinstance(p, dict) and s2_request_id(p)]
    total = data.get("total")
    return Page(items=items, next=data.get("token") if data["data"] else None,
                total=total if isinstance(total, int) else None, render=lambda ids: s2_batch(src, http, ids))


_SEARCH: dict[str, Callable[..., Page]] = {
    "arxiv": _arxiv_search, "openalex": _openalex_search, "crossref": _crossref_search, "s2": _s2_search,
}

SOURCES: dict[str, Source] = {
    "arxiv": Source("arxiv", "arXiv", "xml", "KG_ARXIV_URL", ARXIV_DEFAULT_URL, 3.0, page_size=200),
    "openalex": Source(
        "openalex", "OpenAlex", "jsonl", "KG_OPENALEX_URL", OPENALEX_DEFAULT_URL, 0.1,
        key_hint="set KG_OPENALEX_API_KEY to your OpenAlex API key (free at https://openalex.org), "
                 "or check that it is valid", page_size=100, can_expand=True, key=openalex_key),
    "s2": Source(
        "s2", "Semantic Scholar", "jsonl", "KG_S2_URL", S2_DEFAULT_URL, 1.0,
        key_hint="set KG_S2_API_KEY (or S2_API_KEY) to a valid Semantic Scholar API key, or unset it "
                 "to use the shared pool (https://www.semanticscholar.org/product/api#api-key)",
        page_size=1000, can_expand=True, key=s2_key),
    "crossref": Source(
        "crossref", "Crossref", "jsonl", "KG_CROSSREF_URL", CROSSREF_DEFAULT_URL, 0.1,
        key_hint="Crossref needs no key; if KG_CROSSREF_PLUS_TOKEN is set, check that it is valid",
        page_size=100, key=crossref_key),
}
ALIASES = {"semanticscholar": "s2", "semantic_scholar": "s2", "semantic-scholar": "s2"}


def source(name: str) -> Source:
    """The source called ``name`` (``arxiv``, ``openalex``, ``s2``, ``crossref``)."""
    key = ALIASES.get(name.lower(), name.lower())
    if key not in SOURCES:
        raise FetchError(f"unknown source {name!r}; expected one of: {', '.join(SOURCES)}")
    return SOURCES[key]


def chunks(items: Iterable[str], size: int) -> list[list[str]]:
    """``items`` in lists of at most ``size``.

    >>> chunks("abcde", 2)
    [['a', 'b'], ['c', 'd'], ['e']]
    """
    items = list(items)
    return [items[i:i + size] for i in range(0, len(items), size)]
