"""A real HTTP server on 127.0.0.1 that answers like arXiv, OpenAlex, Semantic Scholar and
Crossref, from the real recorded bodies in ``../shared/samples/``.

* arXiv ``/arxiv/api/query``: ``start=0`` → ``search_testing_100.xml`` (100 entries),
  ``start=100`` → ``search_10.xml`` (10), later → ``empty.xml``; a query with ``id:abc`` → HTTP
  400 with ``error_bad_id.xml``.
* OpenAlex ``/openalex/works``: the 300 works of ``works-300.jsonl.gz`` in pages
  ``{"meta": ..., "results": [...]}`` (at most 50 per page, cursor paging), filters
  ``from_publication_date``, ``openalex``, ``doi``, ``cites``.
* Crossref ``/crossref/works``: the recorded query page (2 works), then a page of the two
  recorded single works, then an empty page (cursor paging).
* Semantic Scholar ``/s2/paper/search/bulk`` (the 60 papers of ``Author.json``, 25 a page),
  ``POST /s2/paper/batch`` (any recorded paper: the author's, ``Paper.json``, its references
  and citations), ``/s2/paper/{id}/citations`` (the 1,000 citations of ``Paper.json``).

``faults`` is a list of ``(predicate, action)``: the first whose predicate accepts a request
is used once. Actions: ``{"status": 429, "headers": {...}, "body": b"..."}``,
``{"truncate": "connection" | "body"}``, ``{"delay": seconds}``. ``log`` records each request.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.conftest import SAMPLES

ARXIV = SAMPLES / "arxiv_atom"
TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
TURING_CORPUS = 14636783


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


class Data:
    """The recorded records, loaded once."""

    def __init__(self) -> None:
        with gzip.open(SAMPLES / "openalex" / "works-300.jsonl.gz", "rt", encoding="utf-8") as fh:
            self.works = [json.loads(line) for line in fh if line.strip()]
        self.crossref_query = (SAMPLES / "crossref" / "query_ecology.json").read_bytes()
        self.crossref_works = [_load_json(SAMPLES / "crossref" / name)["message"]
                               for name in ("work_jor.1100150407.json", "work_pone.0033693.json")]
        self.author = _load_json(SAMPLES / "semantic_scholar" / "Author.json")
        self.paper = _load_json(SAMPLES / "semantic_scholar" / "Paper.json")
        self.citing_ids = set()
        pool: dict[str, dict] = {}
        for p in [*self.author["papers"], *self.paper["references"]]:
            pool.setdefault(p["paperId"], p)
        for p in self.paper["citations"]:
            if p.get("paperId"):
                self.citing_ids.add(p["paperId"])
                pool.setdefault(p["paperId"], p)
        pool[TURING] = self.paper
        self.s2 = pool
        self.s2_index: dict[str, str] = {}
        for pid, p in pool.items():
            self.s2_index[pid] = pid
            if p.get("corpusId"):
                self.s2_index[f"CorpusId:{p['corpusId']}"] = pid
            doi = (p.get("externalIds") or {}).get("DOI")
            if doi:
                self.s2_index[f"DOI:{doi}".lower()] = pid


DATA: Data | None = None


def data() -> Data:
    global DATA
    if DATA is None:
        DATA = Data()
    return DATA


class ApiServer:
    """The server; use as a context manager. ``url(name)`` gives each source's base URL."""

    def __init__(self) -> None:
        self.data = data()
        self.log: list[dict[str, Any]] = []
        self.faults: list[tuple[Callable[[dict], bool], dict]] = []
        self.s2_key: str | None = None  # when set, requests without it get 403
        self.s2_page = 25
        self.openalex_page = 50
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def setup(self) -> None:
                super().setup()
                # headers and body go out in two writes: without this, Nagle's algorithm and the
                # client's delayed ACK hold every answer back by ~40 ms
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:  # noqa: N802
                server.handle(self, None)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                server.handle(self, self.rfile.read(length))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ApiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def env(self) -> dict[str, str]:
        """The environment that points kg fetch at this server, without waits worth noticing."""
        return {"KG_ARXIV_URL": f"{self.root}/arxiv/api/query", "KG_OPENALEX_URL": f"{self.root}/openalex",
                "KG_S2_URL": f"{self.root}/s2", "KG_CROSSREF_URL": f"{self.root}/crossref",
                "KG_FETCH_MIN_INTERVAL": "0", "KG_FETCH_BACKOFF": "0.05", "KG_FETCH_MAX_WAIT": "5"}

    def requests(self, path_part: str) -> list[dict[str, Any]]:
        return [r for r in self.log if path_part in r["path"]]

    # ------------------------------------------------------------------ dispatch
    def handle(self, h: BaseHTTPRequestHandler, body: bytes | None) -> None:
        parts = urlsplit(h.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        req = {"path": parts.path, "query": query, "body": body, "time": time.monotonic(),
               "headers": {k.lower(): v for k, v in h.headers.items()}}
        with self.lock:
            self.log.append(req)
            action = None
            for i, (pred, act) in enumerate(self.faults):
                if pred(req):
                    action = act
                    del self.faults[i]
                    break
        if action and "delay" in action:
            time.sleep(action["delay"])
        if action and "status" in action:
            self.send(h, action["status"], action.get("body", b'{"message": "injected"}'),
                      headers=action.get("headers"))
            return
        status, payload, ctype = self.route(parts.path, query, body, req["headers"])
        if action and action.get("truncate") == "connection":
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(payload)))
            h.end_headers()
            h.wfile.write(payload[: len(payload) // 2])
            h.wfile.flush()
            h.close_connection = True
            return
        if action and action.get("truncate") == "body":
            payload = payload[: len(payload) // 2]
        self.send(h, status, payload, ctype)

    def send(self, h: BaseHTTPRequestHandler, status: int, payload: bytes, ctype: str = "application/json",
             headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(payload)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(payload)

    def route(self, path: str, q: dict[str, str], body: bytes | None,
              headers: dict[str, str]) -> tuple[int, bytes, str]:
        if path == "/arxiv/api/query":
            return self.arxiv(q)
        if path == "/openalex/works":
            return 200, json.dumps(self.openalex(q)).encode(), "application/json"
        if path == "/crossref/works":
            return self.crossref(q)
        if path.startswith("/s2/"):
            if self.s2_key is not None and headers.get("x-api-key") != self.s2_key:
                return 403, b'{"message": "Forbidden"}', "application/json"
            return self.s2(path[3:], q, body)
        return 404, b'{"message": "no such endpoint"}', "application/json"

    # ------------------------------------------------------------------ arXiv
    def arxiv(self, q: dict[str, str]) -> tuple[int, bytes, str]:
        ctype = "application/atom+xml; charset=utf-8"
        if "id:abc" in q.get("search_query", ""):
            return 400, (ARXIV / "error_bad_id.xml").read_bytes(), ctype
        start = int(q.get("start", "0"))
        name = {0: "search_testing_100.xml", 100: "search_10.xml"}.get(start, "empty.xml")
        return 200, (ARXIV / name).read_bytes(), ctype

    # ------------------------------------------------------------------ OpenAlex
    def openalex(self, q: dict[str, str]) -> dict:
        works = self.data.works
        for f in filter(None, (q.get("filter") or "").split(",")):
            key, _, value = f.partition(":")
            values = set(value.split("|"))
            if key == "from_publication_date":
                works = [w for w in works if (w.get("publication_date") or "") >= value]
            elif key == "openalex":
                works = [w for w in works if w["id"].rsplit("/", 1)[-1] in values]
            elif key == "doi":
                works = [w for w in works if (w.get("doi") or "").lower().removeprefix("https://doi.org/")
                         in {v.lower().removeprefix("https://doi.org/") for v in values}]
            elif key == "cites":
                full = {f"https://openalex.org/{v}" for v in values}
                works = [w for w in works if full & set(w.get("referenced_works") or [])]
            else:
                raise AssertionError(f"filter {key} not served")
        size = min(int(q.get("per_page", "25")), self.openalex_page)
        cursor = q.get("cursor", "*")
        start = 0 if cursor == "*" else int(cursor.removeprefix("off"))
        page = works[start:start + size]
        nxt = f"off{start + size}" if page else None
        return {"meta": {"count": len(works), "db_response_time_ms": 12, "page": None, "per_page": size,
                         "next_cursor": nxt, "groups_count": None}, "results": page}

    # ------------------------------------------------------------------ Crossref
    def crossref(self, q: dict[str, str]) -> tuple[int, bytes, str]:
        cursor = q.get("cursor", "*")
        if cursor == "*":
            page = json.loads(self.data.crossref_query)
            page["message"]["next-cursor"] = "page2"
            page["message"]["total-results"] = 4
        else:
            items = self.data.crossref_works if cursor == "page2" else []
            page = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                    "message": {"facets": {}, "total-results": 4, "items": items, "items-per-page": 20,
                                "next-cursor": "page3", "query": {"start-index": 0,
                                                                  "search-terms": q.get("query")}}}
        return 200, json.dumps(page).encode(), "application/json"

    # ------------------------------------------------------------------ Semantic Scholar
    def s2(self, path: str, q: dict[str, str], body: bytes | None) -> tuple[int, bytes, str]:
        ctype = "application/json"
        if path == "/paper/search/bulk":
            papers = self.data.author["papers"]
            since = (q.get("publicationDateOrYear") or "").rstrip(":")
            if since:
                papers = [p for p in papers if (p.get("publicationDate") or str(p.get("year") or ""))
                          >= since]
            start = int((q.get("token") or "t0")[1:])
            page = papers[start:start + self.s2_page]
            nxt = f"t{start + self.s2_page}" if start + self.s2_page < len(papers) else None
            fields = q.get("fields", "paperId").split(",")
            data = [{k: p.get(k) for k in ["paperId", *fields]} for p in page]
            return 200, json.dumps({"total": len(papers), "token": nxt, "data": data}).encode(), ctype
        if path == "/paper/batch":
            ids = json.loads(body or b"{}").get("ids") or []
            if len(ids) > 500:
                return 400, b'{"error": "No more than 500 ids"}', ctype
            out = []
            for rid in ids:
                pid = self.data.s2_index.get(rid) or self.data.s2_index.get(rid.lower())
                paper = dict(self.data.s2[pid]) if pid else None
                if paper is not None and pid in self.data.citing_ids and "references" in q.get("fields", ""):
                    # the real API lists each citing paper's references; the recording kept only
                    # the citation itself, which is the reference to Paper.json
                    t = self.data.paper
                    paper["references"] = [{"paperId": TURING, "corpusId": t["corpusId"],
                                            "externalIds": t["externalIds"], "title": t["title"],
                                            "year": t["year"], "authors": t["authors"]}]
                out.append(paper)
            return 200, json.dumps(out).encode(), ctype
        if path.endswith("/citations"):
            pid = path.split("/")[2]
            if self.data.s2_index.get(pid) != TURING:
                return 200, json.dumps({"offset": 0, "data": []}).encode(), ctype
            offset, limit = int(q.get("offset", "0")), int(q.get("limit", "100"))
            cites = self.data.paper["citations"]
            page = [{"citingPaper": {"paperId": c.get("paperId"), "corpusId": c.get("corpusId")}}
                    for c in cites[offset:offset + min(limit, 400)]]
            doc: dict[str, Any] = {"offset": offset, "data": page}
            if offset + len(page) < len(cites):
                doc["next"] = offset + len(page)
            return 200, json.dumps(doc).encode(), ctype
        return 404, b'{"error": "Not found"}', ctype
