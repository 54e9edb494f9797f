"""Snowballing: fetch the works that a build's papers cite and the works that cite them.

``kg fetch --expand build/graph.json --hops 1 --out more/`` reads the graph, and asks
OpenAlex (or Semantic Scholar) for

* **lookups** (OpenAlex): papers of the build without an OpenAlex id, by DOI (arXiv papers by
  arXiv's DOI ``10.48550/arxiv.<id>``), so the works citing them can be asked too;
* **references**: every stub paper (a work some paper cites that the build only knows by an
  id) - OpenAlex ``filter=openalex:W1|W2|...`` (or ``doi:...``), Semantic Scholar
  ``POST /paper/batch``;
* **citing works**: the works citing each full paper - OpenAlex ``filter=cites:W1|W2|...``,
  Semantic Scholar ``/paper/{id}/citations`` (then the batch endpoint, for their references,
  so the new records carry the edges to the seed).

The records are written like a query's (one per line), so ``kg build build-inputs/ more/``
turns the stubs into full papers. With ``--hops 2`` the works fetched at hop 1 are expanded in
turn. The plan of each hop (which ids, in which chunks) is stored in ``.kg-fetch/plan.json``,
so a resumed run asks for exactly the same things.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kg.fetch import FetchResult, mailto_from, result_of
from kg.fetch.http import FetchError, Http, HttpSettings
from kg.fetch.run import Run, write_atomic
from kg.fetch.sources import (
    Page,
    Source,
    chunks,
    openalex_page,
    s2_batch,
    s2_decode,
    s2_key,
    s2_request_id,
    source,
)
from kg.graphio import load_graph

__all__ = ["expand", "graph_papers"]

OPENALEX_CHUNK = 50  # ids per OR filter (OpenAlex allows up to 100)
_W = re.compile(r"^W\d+$")
_HEX40 = re.compile(r"^[0-9a-f]{40}$")

Ids = dict[str, str]


def graph_papers(path: str | os.PathLike) -> tuple[list[Ids], list[Ids]]:
    """``(full papers, stub papers)`` of a graph file, each as its identifiers
    (``openalex``, ``s2``, ``doi``, ``arxiv_id``)."""
    g = load_graph(path)
    full: list[Ids] = []
    stubs: list[Ids] = []
    for _node, d in sorted(g.nodes(data=True), key=lambda nd: nd[0]):
        if d.get("label") != "Paper":
            continue
        ids = {k: str(d[k]) for k in ("openalex", "s2", "doi", "arxiv_id") if d.get(k)}
        if ids:
            (stubs if d.get("stub") else full).append(ids)
    return full, stubs


def _records_papers(run: Run, names: Iterable[str]) -> tuple[list[Ids], list[Ids]]:
    """The papers written by the streams ``names`` and the works they cite, as identifiers."""
    from kg.loaders import load
    from kg.model import Paper

    wanted = set(names)
    full: list[Ids] = []
    cited: list[Ids] = []
    for st in run.m["streams"]:
        if st["name"] not in wanted:
            continue
        for fname in st["files"]:
            for rec in load(run.out / fname):
                if not isinstance(rec, Paper) or rec.stub:
                    continue
                full.append({k: v for k in ("openalex", "s2", "doi", "arxiv_id") if (v := getattr(rec, k))})
                for c in rec.citations:
                    ids = {k: v for k in ("openalex", "s2", "doi", "arxiv_id") if (v := getattr(c, k))}
                    if ids:
                        cited.append(ids)
    return full, cited


# --------------------------------------------------------------------------- plans


def openalex_doi(ids: Ids) -> str | None:
    """The DOI to look a paper up by in OpenAlex: its DOI, else arXiv's DataCite DOI.

    >>> openalex_doi({"arxiv_id": "2312.00752"}), openalex_doi({"doi": "10.1/a|b"})
    ('10.48550/arxiv.2312.00752', None)
    """
    doi = ids.get("doi") or (f"10.48550/arxiv.{ids['arxiv_id']}" if ids.get("arxiv_id") else None)
    if not doi or re.search(r"[|,]", doi):  # the filter syntax's own separators
        return None
    return doi.lower()


def _openalex_plan(full: list[Ids], stubs: list[Ids], known: set[str]) -> list[dict[str, Any]]:
    # papers of the build OpenAlex knows no id of (from arXiv, Crossref, BibTeX...) are looked
    # up by DOI first; the works citing them are asked once their ids are known
    lookups = sorted({d for p in full if not p.get("openalex") and (d := openalex_doi(p))})
    refs_w = sorted({s["openalex"].upper() for s in stubs if s.get("openalex")} - known)
    refs_doi = sorted({d for s in stubs if not s.get("openalex") and (d := openalex_doi(s))} - known)
    seeds = sorted({p["openalex"].upper() for p in full if p.get("openalex")})
    return ([{"kind": "lookup", "filter": "doi", "ids": c} for c in chunks(lookups, OPENALEX_CHUNK)]
            + [{"kind": "refs", "filter": "openalex", "ids": c} for c in chunks(refs_w, OPENALEX_CHUNK)]
            + [{"kind": "refs", "filter": "doi", "ids": c} for c in chunks(refs_doi, OPENALEX_CHUNK)]
            + [{"kind": "cites", "filter": "cites", "ids": c} for c in chunks(seeds, OPENALEX_CHUNK)])


def _lookup_cites(run: Run, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``cites`` specs for the works found by the ``lookup`` streams of ``specs``."""
    found, _ = _records_papers(run, [s["name"] for s in specs if s["kind"] == "lookup"])
    planned = {i for s in specs if s["kind"] == "cites" for i in s["ids"]}
    seeds = sorted({p["openalex"].upper() for p in found if p.get("openalex")} - planned)
    return [{"kind": "cites", "filter": "cites", "ids": c, "after_lookup": True}
            for c in chunks(seeds, OPENALEX_CHUNK)]


def s2_id(ids: Ids) -> str | None:
    """The id to ask Semantic Scholar for a paper known by ``ids``.

    >>> s2_id({"s2": "corpus:42"}), s2_id({"doi": "10.1/x"}), s2_id({"openalex": "W1"})
    ('CorpusId:42', 'DOI:10.1/x', None)
    """
    s2 = ids.get("s2")
    if s2 and s2.startswith("corpus:"):
        return f"CorpusId:{s2[7:]}"
    if s2 and _HEX40.match(s2):
        return s2
    if ids.get("doi"):
        return f"DOI:{ids['doi']}"
    if ids.get("arxiv_id"):
        return f"ARXIV:{ids['arxiv_id']}"
    return None


def _s2_known(ids: Ids) -> set[str]:
    return {v for v in (s2_id(ids), ids.get("s2")) if v}


def _s2_plan(full: list[Ids], stubs: list[Ids], known: set[str]) -> list[dict[str, Any]]:
    refs = sorted({rid for s in stubs if (rid := s2_id(s)) and not (_s2_known(s) & known)})
    seeds = sorted({rid for p in full if (rid := s2_id(p))})
    return ([{"kind": "refs", "ids": c} for c in chunks(refs, 500)]
            + [{"kind": "cites", "ids": [seed]} for seed in seeds])


# --------------------------------------------------------------------------- pages


def _openalex_pages(src: Source, http: Http, spec: dict[str, Any]) -> Callable[[Any, int | None], Page]:
    value = "|".join(spec["ids"])
    params = {"filter": f"{spec['filter']}:{value}"}
    return lambda cursor, want: openalex_page(src, http, params, cursor)


def _s2_pages(src: Source, http: Http, spec: dict[str, Any]) -> Callable[[Any, int | None], Page]:
    if spec["kind"] == "refs":
        def refs_page(cursor: Any, want: int | None) -> Page:
            records = s2_batch(src, http, spec["ids"])
            return Page(items=records, next=None, total=len(spec["ids"]))
        return refs_page

    seed = spec["ids"][0]

    def cites_page(cursor: Any, want: int | None) -> Page:
        offset = int(cursor or 0)
        data = http.get(f"{src.base_url}/paper/{seed}/citations", s2_decode,
                        {"fields": "paperId,corpusId", "offset": offset, "limit": 1000})
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise FetchError(f"Semantic Scholar: unexpected answer for the citations of {seed}")
        citing = [c.get("citingPaper") for c in data["data"] if isinstance(c, dict)]
        items = [(s2_key(p), s2_request_id(p)) for p in citing if isinstance(p, dict) and s2_request_id(p)]
        nxt = data.get("next")
        return Page(items=items, next=nxt if isinstance(nxt, int) and data["data"] else None,
                    render=lambda ids: s2_batch(src, http, ids))
    return cites_page


# --------------------------------------------------------------------------- expand


def expand(graph: str | os.PathLike, out: str | os.PathLike, *, source_name: str = "openalex",
           hops: int = 1, max_records: int | None = None, mailto: str | None = None,
           settings: HttpSettings | None = None, cache_dir: str | os.PathLike | None = None,
           progress: bool | None = None, say: Callable[[str], None] | None = None) -> FetchResult:
    """Fetch, into ``out``, the works the papers of ``graph`` cite and the works citing them,
    ``hops`` times over. ``max_records`` caps the records of each hop.

    Running it again resumes; a larger ``hops`` continues from the last finished hop.
    """
    src = source(source_name)
    if not src.can_expand:
        raise FetchError(f"snowballing needs citation links: use openalex or s2, not {src.name}")
    if hops < 1:
        raise FetchError(f"--hops {hops}: expected 1 or more")
    if max_records is not None and max_records < 1:
        raise FetchError(f"--max {max_records}: expected a positive number of records")
    graph_path = Path(graph).resolve()
    full, stubs = graph_papers(graph_path)
    mailto = mailto_from(mailto)
    run = Run(Path(out), {"source": src.name, "expand": str(graph_path)}, max_records,
              cache_dir=cache_dir, progress=progress, say=say)
    http = src.http(settings or HttpSettings.from_env(), run.cache, run.say, mailto)
    run.stats = http.stats
    if src.name == "openalex":
        known = {p["openalex"].upper() for p in full if p.get("openalex")} | {
            p["doi"].lower() for p in full if p.get("doi")}
        plan, pages = _openalex_plan, _openalex_pages
    else:
        known = set().union(*(_s2_known(p) for p in full)) if full else set()
        plan, pages = _s2_plan, _s2_pages
    run.seen |= {k for k in known if not k.startswith(("DOI:", "ARXIV:", "CorpusId:"))}
    if src.name == "s2":
        run.seen |= {f"corpus:{k[9:]}" for k in known if k.startswith("CorpusId:")}
    run.load_seen(src.key)
    # the plan (the ids of each request) is kept beside the manifest, written when it changes,
    # so the manifest rewritten after every page stays small
    plan_path = run.state / "plan.json"
    saved = json.loads(plan_path.read_text(encoding="utf-8")) if run.resumed and plan_path.exists() else {}
    hop_plans: list[list[dict[str, Any]]] = saved.get("hops", [])
    looked_up: list[int] = saved.get("looked_up", [])

    def save_plan() -> None:
        write_atomic(plan_path, json.dumps({"hops": hop_plans, "looked_up": looked_up}).encode("utf-8"))

    status = "complete"
    try:
        for hop in range(1, hops + 1):
            if hop > len(hop_plans):
                if hop > 1:
                    prev = [st["name"] for st in run.m["streams"] if st["spec"].get("hop") == hop - 1]
                    full, stubs = _records_papers(run, prev)
                    asked = {i for s in hop_plans[hop - 2] if s["kind"] == "cites" for i in s["ids"]}
                    # the looked-up papers of the build: their citing works were asked already
                    full = [p for p in full if p.get("openalex", "").upper() not in asked]
                    if src.name == "openalex":
                        known |= {p["openalex"].upper() for p in full if p.get("openalex")}
                    else:
                        for p in full:
                            known |= _s2_known(p)
                specs = plan(full, stubs, known)
                for i, spec in enumerate(specs, start=1):
                    spec["hop"] = hop
                    spec["name"] = f"{src.name}-h{hop}-{i:04d}-{spec['kind']}"
                hop_plans.append(specs)
                save_plan()
            specs = hop_plans[hop - 1]
            names = {s["name"] for s in specs}

            def budget(names: set[str] = names) -> int | None:
                if max_records is None:
                    return None
                return max_records - sum(st["records"] for st in run.m["streams"] if st["name"] in names)

            run.open_bar(f"{src.name}: hop {hop}", max_records,
                         sum(st["records"] for st in run.m["streams"] if st["name"] in names))
            count = {k: sum(len(s["ids"]) for s in specs if s["kind"] == k)
                     for k in ("lookup", "refs", "cites")}
            run.say(f"{src.title}: hop {hop}: {count['refs']} cited works to fetch, citing works of "
                    f"{count['cites']} papers" + (f", {count['lookup']} papers to look up by DOI"
                                                  if count["lookup"] else ""))
            i = 0
            while i < len(specs):
                spec = specs[i]
                brief = {"hop": hop, "kind": spec["kind"], "ids": len(spec["ids"])}
                st = run.stream(spec["name"], brief, None)
                if run.run_stream(st, pages(src, http, spec), "jsonl", budget, set_total=False):
                    status = "max reached"
                    break
                i += 1
                last_lookup = spec["kind"] == "lookup" and (i == len(specs) or specs[i]["kind"] != "lookup")
                if last_lookup and hop not in looked_up:
                    more = _lookup_cites(run, specs)
                    for n, extra in enumerate(more, start=len(specs) + 1):
                        extra.update(hop=hop, name=f"{src.name}-h{hop}-{n:04d}-cites")
                        names.add(extra["name"])
                    specs.extend(more)
                    looked_up.append(hop)
                    save_plan()
            run.m["hops_done"] = hop
            run.save()
    except BaseException:
        run.finish("interrupted")
        raise
    finally:
        http.close()
    run.finish(status)
    return result_of(run, status)
