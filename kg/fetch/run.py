"""A fetch run: pages written as files, a manifest that says how far it got, resume.

The output folder holds the pages (``openalex-00001.jsonl``, ``arxiv-00001.xml``, ...), each
written whole under a hidden temporary name and renamed, so ``kg build DIR`` never sees half a
page. ``DIR/.kg-fetch/`` (hidden: ``kg build`` skips it) holds ``manifest.json`` and the
request cache. The manifest is rewritten (atomically) after every page with each stream's
cursor, so a run that is killed resumes at the page it was on: that page is asked again (from
the cache if it had arrived) and written under the same name, and records already written
(known by their id) are not written twice.

>>> import tempfile, json
>>> run = Run(Path(tempfile.mkdtemp()), {"source": "openalex", "query": "x"}, None)
>>> st = run.stream("openalex", {"kind": "search"}, "*")
>>> st["cursor"], st["done"]
('*', False)
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

from kg.fetch.http import Cache, FetchError, Stats
from kg.fetch.sources import Page

__all__ = ["MANIFEST", "STATE_DIR", "Run", "write_atomic"]

STATE_DIR = ".kg-fetch"
MANIFEST = f"{STATE_DIR}/manifest.json"
VERSION = 1


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a hidden temporary file and a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)  # no fsync: the rename is what a killed process needs
    tmp.replace(path)


class Run:
    """The state of one fetch into ``out``: its manifest, cache, de-duplication set and pages.

    ``command`` identifies the fetch (source, query, since; or the graph expanded); a folder
    that holds another fetch is refused rather than mixed.
    """

    def __init__(self, out: Path, command: dict[str, Any], max_records: int | None, *,
                 cache_dir: str | os.PathLike | None = None, progress: bool | None = None,
                 say: Callable[[str], None] | None = None) -> None:
        self.out = Path(out)
        if self.out.exists() and not self.out.is_dir():
            raise FetchError(f"{self.out}: is a file; --out must be a folder")
        self.out.mkdir(parents=True, exist_ok=True)
        self.state = self.out / STATE_DIR
        self.state.mkdir(exist_ok=True)
        self.manifest_path = self.out / MANIFEST
        self.cache = Cache(Path(cache_dir) if cache_dir else self.state / "cache")
        self.progress = sys.stderr.isatty() if progress is None else progress
        self._say = say
        self.bar: tqdm | None = None
        self.seen: set[str] = set()
        self._seen_loaded = False
        m = self._read_manifest()
        if m is not None:
            if m.get("command") != command:
                raise FetchError(
                    f"{self.out} already holds another fetch ({_describe(m.get('command') or {})}, see "
                    f"{self.manifest_path}); use another --out folder, or delete that one to start over")
            self.resumed = True
        else:
            m = {"kg_fetch": VERSION, "command": command, "started": _now(), "streams": [], "runs": []}
            self.resumed = False
        m["max"] = max_records
        m["status"] = "running"
        self.m = m
        self.max = max_records
        self.stats: Stats | None = None
        self.run_log: dict[str, Any] = {"started": _now()}
        m["runs"].append(self.run_log)

    # ------------------------------------------------------------------ manifest
    def _read_manifest(self) -> dict | None:
        try:
            text = self.manifest_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            m = json.loads(text)
        except ValueError as exc:
            raise FetchError(f"{self.manifest_path}: not a kg fetch manifest ({exc}); delete the folder "
                             "to start over") from None
        if not isinstance(m, dict) or m.get("kg_fetch") != VERSION:
            raise FetchError(f"{self.manifest_path}: not a kg fetch manifest of version {VERSION}")
        return m

    def save(self) -> None:
        """Write the manifest (atomically)."""
        if self.stats is not None:
            self.run_log.update(self.stats.as_dict())
        self.m["updated"] = _now()
        self.m["records"] = sum(s["records"] for s in self.m["streams"])
        # one stream a line: readable, and encoded by json's fast (C) encoder on every page
        head = {k: v for k, v in self.m.items() if k != "streams"}
        streams = ",\n  ".join(json.dumps(st, ensure_ascii=False) for st in self.m["streams"])
        text = json.dumps(head, ensure_ascii=False)[:-1] + f', "streams": [\n  {streams}\n]}}\n'
        write_atomic(self.manifest_path, text.encode("utf-8"))

    def finish(self, status: str) -> None:
        self.m["status"] = status
        self.run_log["ended"] = _now()
        self.save()
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    # ------------------------------------------------------------------ output
    def say(self, msg: str) -> None:
        if self._say is None:
            return
        if self.bar is not None:
            self.bar.clear()
            self._say(msg)
            self.bar.refresh()
        else:
            self._say(msg)

    def open_bar(self, desc: str, total: int | None, initial: int = 0) -> None:
        if self.bar is not None:
            self.bar.close()
        self.bar = tqdm(total=total, initial=initial, desc=desc, unit="rec", disable=not self.progress,
                        file=sys.stderr, dynamic_ncols=True)

    # ------------------------------------------------------------------ streams
    def stream(self, name: str, spec: dict[str, Any], cursor: Any) -> dict[str, Any]:
        """The stream called ``name`` (made, at ``cursor``, the first time)."""
        for st in self.m["streams"]:
            if st["name"] == name:
                return st
        st = {"name": name, "spec": spec, "cursor": cursor, "skip": 0, "pages": 0, "records": 0,
              "duplicates": 0, "total": None, "done": False, "files": []}
        self.m["streams"].append(st)
        return st

    def files(self) -> Iterator[Path]:
        """The page files written so far, in order."""
        for st in self.m["streams"]:
            for name in st["files"]:
                yield self.out / name

    def load_seen(self, key: Callable[[dict], str | None]) -> None:
        """Rebuild the set of record ids already written (JSON-lines pages) on resume."""
        if self._seen_loaded:
            return
        self._seen_loaded = True
        for path in self.files():
            if path.suffix != ".jsonl" or not path.exists():
                continue
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    try:
                        k = key(json.loads(line))
                    except ValueError:
                        continue
                    if k:
                        self.seen.add(k)

    def run_stream(self, st: dict[str, Any], page_fn: Callable[[Any, int | None], Page], ext: str,
                   budget: Callable[[], int | None], set_total: bool = True) -> bool:
        """Page through ``st`` until its end or until ``budget()`` (records still allowed) is 0.

        ``page_fn(cursor, want)`` returns the page at ``cursor``. Returns whether the budget
        stopped it.
        """
        while not st["done"]:
            want = budget()
            if want is not None and want <= 0:
                return True
            page = page_fn(st["cursor"], want)
            page_no = st["pages"] + 1
            fname = f"{st['name']}-{page_no:05d}.{ext}"
            if page.total is not None and (page.count or st["total"] is None):
                st["total"] = page.total
                if set_total and self.bar is not None and self.bar.total is None:
                    self.bar.total = page.total if self.max is None else min(page.total, self.max)
            if page.raw is not None:
                written = page.count
                if written:
                    write_atomic(self.out / fname, page.raw)
                consumed_all = True
            else:
                items = page.items[st["skip"]:]
                kept: list[tuple[str | None, Any]] = []
                consumed = dups = 0
                for k, payload in items:
                    if want is not None and len(kept) >= want:
                        break
                    consumed += 1
                    if k is not None and k in self.seen:
                        dups += 1
                        continue
                    if k is not None:
                        self.seen.add(k)
                    kept.append((k, payload))
                lines = page.render([p for _, p in kept]) if page.render and kept else kept
                written = len(lines)
                if lines:
                    write_atomic(self.out / fname, "".join(line + "\n" for _, line in lines).encode("utf-8"))
                st["duplicates"] += dups
                consumed_all = consumed >= len(items)
                if not consumed_all:
                    st["skip"] += consumed
            if written and fname not in st["files"]:
                st["files"].append(fname)
            st["pages"] = page_no
            st["records"] += written
            if consumed_all:
                if page.next is not None and page.next == st["cursor"] and page.count:
                    raise FetchError(f"{st['name']}: the source answered the same cursor {page.next!r} "
                                     "twice; stopping rather than looping")
                st["cursor"], st["skip"] = page.next, 0
                st["done"] = page.next is None
            self.save()
            if self.bar is not None:
                self.bar.update(written)
        return False


def _describe(command: dict[str, Any]) -> str:
    if command.get("expand"):
        return f"{command.get('source')} expansion of {command['expand']}"
    return f"{command.get('source')} {command.get('query')!r}" + (
        f" since {command['since']}" if command.get("since") else "")
