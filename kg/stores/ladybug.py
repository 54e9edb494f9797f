"""LadybugDB (the maintained successor of Kùzu): kg's embedded Cypher store, no server.

kg declares one node table per schema label and one relationship table per schema type
(``INTRODUCES`` has two FROM/TO pairs), then bulk-loads with ``COPY ... FROM`` an Arrow
table. A push is idempotent: kg reads the keys already there, COPYs only the new nodes and
relationships and updates (``SET``) only the properties that changed, so pushing the same
graph twice leaves the store unchanged and a bigger graph adds only the difference.

>>> import tempfile, os, networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("paper:t:a", label="Paper", title="A", year=2024)
>>> g.add_node("method:lora", label="Method", name="LoRA", aliases=["Low-Rank Adaptation"])
>>> _ = g.add_edge("paper:t:a", "method:lora", key="USES_METHOD", type="USES_METHOD")
>>> path = os.path.join(tempfile.mkdtemp(), "kg.lbdb")
>>> with LadybugStore(path) as store:
...     print(store.push(g).summary())
...     print(store.push(g).summary())
...     store.run("MATCH (p:Paper)-[:USES_METHOD]->(m:Method) RETURN p.title AS t, m.aliases AS a")
nodes: 2 created, 0 matched; relationships: 1 created, 0 matched
nodes: 0 created, 2 matched; relationships: 0 created, 1 matched
[{'t': 'A', 'a': ['Low-Rank Adaptation']}]
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ladybug
import networkx as nx
import orjson
import pyarrow as pa
from tqdm import tqdm

from kg.errors import SchemaError, StoreError
from kg.schema import (
    BOOL,
    DOUBLE,
    INT64,
    KEY,
    LABELS,
    NODE_PROPERTIES,
    RELATIONSHIPS,
    STRING,
    STRING_LIST,
    check_label,
    check_property,
    check_rel_type,
)
from kg.stores.cypher import NodeRow, PushReport, RelRow, count_statements, node_rows, rel_rows, set_clause

__all__ = ["LadybugStore", "StoreLoader", "TableFiles", "schema_statements"]

_ARROW = {
    STRING: pa.string(),
    INT64: pa.int64(),
    DOUBLE: pa.float64(),
    BOOL: pa.bool_(),
    STRING_LIST: pa.list_(pa.string()),
}
_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)
_PARAM = re.compile(r"\$(\w+)")


#: rows copied into a store before :meth:`LadybugStore.load_tables` closes and opens it again
#: (LadybugDB's buffer pool keeps the pages written until then)
_REOPEN_ROWS = 50_000


def schema_digest() -> str:
    """A hash of the store's schema (:func:`schema_statements`) and of LadybugDB's version: a
    store written under another is never patched (``kg build --update`` loads it afresh).

    >>> schema_digest() == schema_digest() and len(schema_digest())
    32
    """
    text = "\n".join([f"ladybug {getattr(ladybug, '__version__', '?')}", *schema_statements()])
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def schema_statements() -> list[str]:
    """The DDL that declares kg's schema in LadybugDB (idempotent: ``IF NOT EXISTS``).

    >>> print(schema_statements()[5])
    CREATE NODE TABLE IF NOT EXISTS Repository(id STRING PRIMARY KEY, name STRING, host STRING, url STRING)
    >>> print(schema_statements()[11])  # doctest: +NORMALIZE_WHITESPACE
    CREATE REL TABLE IF NOT EXISTS INTRODUCES(FROM Paper TO Method, FROM Paper TO Dataset,
    text STRING, evidence STRING, provenance STRING)
    """
    out = []
    for label, props in NODE_PROPERTIES.items():
        cols = [f"{KEY} STRING PRIMARY KEY"] + [f"{k} {t}" for k, t in props.items() if k != KEY]
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({', '.join(cols)})")
    for rel in RELATIONSHIPS.values():
        cols = [f"FROM {a} TO {b}" for a, b in rel.ends] + [f"{k} {t}" for k, t in rel.properties.items()]
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rel.name}({', '.join(cols)})")
    return out


def _plain(value: Any) -> Any:
    """A LadybugDB value as plain Python: nodes and relationships become dicts of their properties."""
    if isinstance(value, dict):
        if "_LABEL" in value:
            out = {"_label": value["_LABEL"]}
            out.update({k: _plain(v) for k, v in value.items() if not k.startswith("_") and v is not None})
            return out
        if "_NODES" in value:  # a path
            return [_plain(n) for n in value["_NODES"]]
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class LadybugStore:
    """A LadybugDB database file at ``path``: push graphs into it, run Cypher on it.

    ``read_only=True`` opens an existing database for queries only (writes are refused),
    which is what ``kg query`` and ``kg cypher`` do. ``buffer_pool_mib`` is LadybugDB's page
    cache (default: about 80% of RAM; what it holds grows with the store: COPY into a store of
    20k records fails with 128 MB).
    """

    def __init__(self, path: str | os.PathLike, *, read_only: bool = False,
                 buffer_pool_mib: int | None = None) -> None:
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(
                f"{self.path}: no LadybugDB database here; run `kg push GRAPH --ladybug {self.path}` first"
            )
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._pool = (buffer_pool_mib or 0) * 2**20
            self._db = ladybug.Database(str(self.path), read_only=read_only, buffer_pool_size=self._pool)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            raise StoreError(f"{self.path}: cannot open LadybugDB database ({exc})") from exc
        self.read_only = read_only
        if not read_only:
            for statement in schema_statements():
                self._execute(statement)

    # -- plumbing -----------------------------------------------------------------------
    def __enter__(self) -> LadybugStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection and the database."""
        self._conn.close()
        self._db.close()

    def __repr__(self) -> str:
        return f"LadybugStore({str(self.path)!r})"

    def _execute(self, text: str, params: dict[str, Any] | None = None):
        try:
            return self._conn.execute(text, params or {})
        except RuntimeError as exc:
            first = text.strip().splitlines()[0][:120] if text.strip() else ""
            raise StoreError(
                f"LadybugDB at {self.path} refused the statement ({exc}); statement: {first}"
            ) from exc

    def _reopen(self) -> None:
        """Close and open the database again: LadybugDB keeps every page a COPY wrote in its
        buffer pool until closed, so a store loaded table by table holds one table's pages
        at a time, not the whole store's."""
        self._conn.close()
        self._db.close()
        self._db = ladybug.Database(str(self.path), buffer_pool_size=self._pool)
        self._conn = ladybug.Connection(self._db)

    def _reopen_after(self, rows: int) -> int:
        """:meth:`_reopen` once ``rows`` rows were copied since the store was opened (a table
        of a full load), not after a few (a patch's tables: each reopening writes a checkpoint,
        about 0.04 CPU-s, 0.5 of an update's 2.9 CPU-s at 20k records); the rows copied since."""
        if rows < _REOPEN_ROWS:
            return rows
        self._reopen()
        return 0

    # -- reading ------------------------------------------------------------------------
    def run(self, text: str, params: dict[str, Any] | None = None, *,
            allow_io: bool = False) -> list[dict[str, Any]]:
        """Run one Cypher statement; rows as dicts in column order.

        ``//`` comment lines are dropped and only the parameters the statement uses are
        passed (LadybugDB rejects the others). A statement that reads or writes files or
        reaches the network (``LOAD FROM``, ``COPY``, ``INSTALL``/``LOAD`` an extension,
        ``ATTACH``, ``IMPORT``/``EXPORT DATABASE``) is refused unless ``allow_io``
        (``kg cypher --allow-io``).
        """
        if not allow_io:
            refuse_io(text)
        body = _COMMENT.sub("", text).strip()
        used = set(_PARAM.findall(body))
        params = {k: v for k, v in (params or {}).items() if k in used}
        result = self._execute(body, params)
        if isinstance(result, list):
            result = result[-1]
        columns = result.get_column_names()
        return [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in result.get_all()]

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type (labels and types of the schema).

        >>> import tempfile, os
        >>> with LadybugStore(os.path.join(tempfile.mkdtemp(), "db")) as s:
        ...     s.counts()["Paper"], s.counts()["CITES"]
        (0, 0)
        """
        return {name: self.run(text)[0]["c"] for name, text in count_statements().items()}

    # -- writing ------------------------------------------------------------------------
    def push(self, graph: nx.MultiDiGraph, *, progress: bool = False) -> PushReport:
        """Load ``graph`` idempotently: new nodes and relationships by COPY, changes by SET."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot push")
        nodes = node_rows(graph)
        rels = rel_rows(graph)
        _check_values(nodes, rels)  # before any write: a refused push leaves the store as it was
        total = sum(map(len, nodes.values())) + sum(map(len, rels.values()))
        report = PushReport()
        with tqdm(total=total, unit="row", desc="ladybug", disable=not progress) as bar:
            for label, rows in nodes.items():
                created, matched, updated = self._push_nodes(label, rows)
                report.nodes_created += created
                report.nodes_matched += matched
                report.updated += updated
                bar.update(len(rows))
            for (rel, src, dst), rows in rels.items():
                created, matched, updated = self._push_rels(rel, src, dst, rows)
                report.rels_created += created
                report.rels_matched += matched
                report.updated += updated
                bar.update(len(rows))
        return report

    def _push_nodes(self, label: str, rows: list[NodeRow]) -> tuple[int, int, int]:
        if not rows:
            return 0, 0, 0
        props = NODE_PROPERTIES[label]
        keys = [k for k in props if k != KEY]
        existing = {
            r[KEY]: r
            for r in self.run(f"MATCH (n:{label}) RETURN " + ", ".join(f"n.{k} AS {k}" for k in props))
        }
        new = [r for r in rows if r.id not in existing]
        if new:
            columns = {KEY: [r.id for r in new]}
            for k in keys:
                columns[k] = [r.props.get(k) for r in new]
            table = self._arrow(label, columns, props)
            self._execute(f"COPY {label} FROM $rows", {"rows": table})
        changed: dict[tuple[str, ...], list[dict]] = defaultdict(list)
        for r in rows:
            old = existing.get(r.id)
            if old is not None and any(old.get(k) != v for k, v in r.props.items()):
                changed[tuple(sorted(r.props))].append({"id": r.id, **r.props})
        for ks, batch in changed.items():
            self._execute(
                f"UNWIND $rows AS row MATCH (n:{label} {{{KEY}: row.id}}) {set_clause('n', label, list(ks))}",
                {"rows": batch},
            )
        return len(new), len(rows) - len(new), sum(map(len, changed.values()))

    def _push_rels(self, rel: str, src: str, dst: str, rows: list[RelRow]) -> tuple[int, int, int]:
        props = RELATIONSHIPS[rel].properties
        existing = {
            (r["src"], r["dst"]): r
            for r in self.run(
                f"MATCH (a:{src})-[r:{rel}]->(b:{dst}) RETURN a.{KEY} AS src, b.{KEY} AS dst"
                + "".join(f", r.{k} AS {k}" for k in props)
            )
        }
        new = [r for r in rows if (r.src, r.dst) not in existing]
        if new:
            columns = {"from": [r.src for r in new], "to": [r.dst for r in new]}
            for k in props:
                columns[k] = [r.props.get(k) for r in new]
            table = self._arrow(rel, columns, {"from": STRING, "to": STRING, **props})
            pairs = f" (from='{src}', to='{dst}')" if len(RELATIONSHIPS[rel].ends) > 1 else ""
            self._execute(f"COPY {rel} FROM $rows{pairs}", {"rows": table})
        changed: dict[tuple[str, ...], list[dict]] = defaultdict(list)
        for r in rows:
            old = existing.get((r.src, r.dst))
            if old is not None and any(old.get(k) != v for k, v in r.props.items()):
                changed[tuple(sorted(r.props))].append({"src": r.src, "dst": r.dst, **r.props})
        for ks, batch in changed.items():
            self._execute(
                f"UNWIND $rows AS row MATCH (a:{src} {{{KEY}: row.src}})"
                f"-[r:{rel}]->(b:{dst} {{{KEY}: row.dst}}) "
                + set_clause("r", rel, list(ks)),
                {"rows": batch},
            )
        return len(new), len(rows) - len(new), sum(map(len, changed.values()))

    @staticmethod
    def _arrow(owner: str, columns: dict[str, list], types: dict[str, str]) -> pa.Table:
        arrays = {}
        for name, values in columns.items():
            try:
                arrays[name] = pa.array(values, type=_ARROW[types[name]])
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError) as exc:
                bad = next((v for v in values if v is not None and not _fits(v, types[name])), None)
                raise StoreError(
                    f"{owner}.{name}: value {bad!r} is not {types[name]} as kg's schema expects ({exc})"
                ) from exc
        return pa.table(arrays)

    def load_tables(self, folder: str | os.PathLike, *, patch: bool = False) -> PushReport:
        """COPY the table files that :class:`TableFiles` wrote into ``folder`` into this (empty) store.

        Each file is read by pyarrow's JSON reader with the schema's column types and copied in
        chunks, so memory stays bounded by a chunk and the buffer pool. A file pyarrow cannot
        read with those types (a value of the wrong type, a line longer than a block) is read
        line by line instead, and a value that does not fit the schema is a :class:`StoreError`
        naming it, as :meth:`push` says it.

        With ``patch`` the files are a :class:`TableDiff`'s and this store holds the graph it
        was compared with: the gone nodes are deleted (with their relationships) and the changed
        ones set in place, the gone or changed relationships deleted, the new rows copied in
        (``updated`` counts the deleted and set rows); then the store's counts per label and
        type must be the graph's, or :class:`StoreError` says where they differ.
        """
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot load")
        folder = Path(folder)
        report = PushReport()
        _wait_for(folder / TableFiles.NODES_DONE)
        if patch:
            report.updated += self._delete_listed(folder / TableDiff.DELETED_NODES, nodes=True)
            for label in LABELS:
                report.updated += self._set_changed(folder / TableDiff.changed_file(label), label)
        unflushed = 0  # rows copied since the store was last opened
        for label in LABELS:
            file = folder / TableFiles.node_file(label)
            if file.exists():
                types = NODE_PROPERTIES[label]
                for table in _read_table_file(file, label, types, {}):
                    self._execute(f"COPY {label} FROM $rows", {"rows": table})
                    report.nodes_created += table.num_rows
                    unflushed += table.num_rows
                unflushed = self._reopen_after(unflushed)
        _wait_for(folder / TableFiles.EDGES_DONE)
        if patch:
            report.updated += self._delete_listed(folder / TableDiff.DELETED_EDGES, nodes=False)
        for rel in RELATIONSHIPS.values():
            for src, dst in rel.ends:
                file = folder / TableFiles.rel_file(rel.name, src, dst)
                if not file.exists():
                    continue
                types = {"from": STRING, "to": STRING, **rel.properties}
                pairs = f" (from='{src}', to='{dst}')" if len(rel.ends) > 1 else ""
                for table in _read_table_file(file, rel.name, types, {"source": "from", "target": "to"}):
                    self._execute(f"COPY {rel.name} FROM $rows{pairs}", {"rows": table})
                    report.rels_created += table.num_rows
                    unflushed += table.num_rows
                unflushed = self._reopen_after(unflushed)
        if patch:
            self._check_counts(folder / TableDiff.EXPECTED)
        return report

    def _check_counts(self, file: Path) -> None:
        """Raise :class:`StoreError` unless this store holds as many nodes per label and
        relationships per type as ``file`` (a :class:`TableDiff`'s) says the graph has."""
        expected = orjson.loads(file.read_bytes()) if file.exists() else None
        if expected is None:
            raise StoreError(f"{self.path}: no {file.name} beside the patch; cannot check it")
        got = {k: v for k, v in self.counts().items() if v}
        if got != {k: v for k, v in expected.items() if v}:
            differ = sorted(k for k in set(got) | set(expected) if got.get(k, 0) != expected.get(k, 0))
            shown = ", ".join(f"{k} {got.get(k, 0)} (expected {expected.get(k, 0)})" for k in differ[:5])
            raise StoreError(f"{self.path}: the patched store does not hold the graph: {shown}")


    def _set_changed(self, file: Path, label: str) -> int:
        """Set every property of the nodes in ``file`` (a :class:`TableDiff`'s changed nodes,
        read with the schema's types) to the file's values, in place; how many."""
        if not file.exists():
            return 0
        types = NODE_PROPERTIES[label]
        sets = ", ".join(f"n.{k} = {k}" for k in types if k != KEY)
        count = 0
        for table in _read_table_file(file, label, types, {}):
            # LOAD FROM an Arrow table keeps its typed columns (an UNWIND of Python rows would
            # guess a column's type from its values: an empty list is no STRING[])
            self._execute(f"LOAD FROM $rows MATCH (n:{label} {{{KEY}: {KEY}}}) SET {sets}", {"rows": table})
            count += table.num_rows
        return count

    def _delete_listed(self, file: Path, *, nodes: bool) -> int:
        """Delete the nodes (with their relationships) or the relationships that a
        :class:`TableDiff` listed in ``file``; how many. Labels and types are checked against
        the schema; ids go as parameters."""
        if not file.exists():
            return 0
        groups: dict[tuple[str, ...], list] = defaultdict(list)
        with file.open("rb") as fh:
            for line in fh:
                row = orjson.loads(line)
                if nodes:
                    groups[(check_label(row["label"]),)].append(row["id"])
                else:
                    rel = check_rel_type(row["type"])
                    groups[(rel, check_label(row["from"]), check_label(row["to"]))].append(
                        {"u": row["u"], "v": row["v"]})
        for key, rows in sorted(groups.items()):
            if nodes:
                text = f"UNWIND $rows AS i MATCH (n:{key[0]} {{{KEY}: i}}) DETACH DELETE n"
            else:
                rel, src, dst = key
                text = (f"UNWIND $rows AS r MATCH (a:{src} {{{KEY}: r.u}})-[e:{rel}]->"
                        f"(b:{dst} {{{KEY}: r.v}}) DELETE e")
            for lo in range(0, len(rows), _COPY_ROWS):
                self._execute(text, {"rows": rows[lo:lo + _COPY_ROWS]})
        return sum(map(len, groups.values()))


def _wait_for(marker: Path) -> None:
    """Wait until the writer of the table files has made ``marker`` (it ends or kills us otherwise)."""
    while not marker.exists():
        time.sleep(0.05)


#: rows per COPY when a store is loaded from table files, and the JSON reader's block size
_COPY_ROWS = 50_000
_BLOCK = 4 << 20


def _read_table_file(file: Path, owner: str, types: dict[str, str],
                     renames: dict[str, str]) -> Iterator[pa.Table]:
    """The rows of one table file as Arrow tables of about :data:`_COPY_ROWS` rows, columns in
    the store's order (``renames`` maps a JSON key to its column: an edge's ``source`` is ``from``).

    pyarrow's JSON reader streams the file in blocks; if it cannot read a block with the
    schema's types (a value of the wrong type, a line longer than a block), the rest of the
    file is read line by line (:func:`_read_table_lines`), which names a value that does not fit.
    """
    import pyarrow.json as pj

    json_name = {col: key for key, col in renames.items()}
    columns = list(types)
    names = [json_name.get(c, c) for c in columns]
    schema = pa.schema([(name, _ARROW[types[c]]) for name, c in zip(names, columns, strict=True)])
    done = 0
    pending: list[pa.RecordBatch] = []
    try:
        reader = pj.open_json(file, read_options=pj.ReadOptions(block_size=_BLOCK, use_threads=False),
                              parse_options=pj.ParseOptions(explicit_schema=schema,
                                                            unexpected_field_behavior="ignore"))
        rows = 0
        for batch in reader:
            pending.append(batch.select(names))
            rows += batch.num_rows
            if rows >= _COPY_ROWS:
                yield pa.Table.from_batches(pending).rename_columns(columns)
                done += rows
                pending, rows = [], 0
        if pending:
            yield pa.Table.from_batches(pending).rename_columns(columns)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        yield from _read_table_lines(file, owner, types, renames, skip=done)


def _read_table_lines(file: Path, owner: str, types: dict[str, str], renames: dict[str, str],
                      skip: int = 0) -> Iterator[pa.Table]:
    """:func:`_read_table_file` line by line after the first ``skip`` lines, each value checked
    against the schema."""
    json_key = {col: key for key, col in renames.items()}
    columns: dict[str, list] = {c: [] for c in types}
    rows = 0
    with file.open(encoding="utf-8") as fh:
        for line in itertools.islice(fh, skip, None):
            row = json.loads(line)
            for key, value in row.items():
                col = renames.get(key, key)
                if col in types and value is not None and not _fits(value, types[col]):
                    what = (f"of node {row.get(KEY)!r}" if not renames
                            else f"of {row.get('source')!r} -> {row.get('target')!r}")
                    raise StoreError(f"{owner}.{col}: value {_show(value)} {what} is not {types[col]} "
                                     "as kg's schema expects; nothing was pushed")
            for col, values in columns.items():
                value = row.get(json_key.get(col, col))
                values.append([str(v) for v in value] if isinstance(value, list) else value)
            rows += 1
            if rows >= _COPY_ROWS:
                yield LadybugStore._arrow(owner, columns, types)
                columns, rows = {c: [] for c in types}, 0
    if rows:
        yield LadybugStore._arrow(owner, columns, types)


class TableFiles:
    """The nodes and relationships of a graph as one JSON-lines file per store table.

    :func:`kg.graphio.save_graph` hands each line it writes to :meth:`node` or :meth:`edge`,
    which check the label, type, ends and property keys against the schema (as a push does)
    and append the same line to the file of the node's label or of the relationship's type
    and ends. :class:`StoreLoader` COPYs the files into a new store in another process: the
    node files once :meth:`end_nodes` has marked them complete (the loader may start while
    the edges are still being written), the relationship files once :meth:`close` has.

    >>> import tempfile, networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper:t:a", label="Paper", title="A")
    >>> g.add_node("method:lora", label="Method", name="LoRA")
    >>> _ = g.add_edge("paper:t:a", "method:lora", key="USES_METHOD", type="USES_METHOD")
    >>> d = Path(tempfile.mkdtemp())
    >>> with TableFiles(g, d) as t:
    ...     t.node("method:lora", g.nodes["method:lora"], '{"id": "method:lora", "name": "LoRA"}')
    ...     t.edge("paper:t:a", "method:lora", "USES_METHOD", {"type": "USES_METHOD"},
    ...            '{"source": "paper:t:a", "target": "method:lora"}')
    >>> sorted(p.name for p in d.iterdir())
    ['edges.done', 'node-Method.jsonl', 'nodes.done', 'rel-USES_METHOD-Paper-Method.jsonl']
    """

    NODES_DONE = "nodes.done"
    EDGES_DONE = "edges.done"

    def __init__(self, graph: nx.MultiDiGraph, folder: str | os.PathLike) -> None:
        self.graph = graph
        # NetworkX's node dict under its read-only view (the view costs a call per lookup)
        self._nodes = getattr(graph, "_node", None) or graph.nodes
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, Any] = {}
        self._node_keys = {label: frozenset(props) | {"label"} for label, props in NODE_PROPERTIES.items()}
        self._rel_keys = {name: frozenset(r.properties) | {"type"} for name, r in RELATIONSHIPS.items()}

    @staticmethod
    def node_file(label: str) -> str:
        return f"node-{label}.jsonl"

    @staticmethod
    def rel_file(rel: str, src: str, dst: str) -> str:
        return f"rel-{rel}-{src}-{dst}.jsonl"

    def _write(self, name: str, line: bytes | str) -> None:
        fh = self._files.get(name)
        if fh is None:
            fh = self._files[name] = (self.folder / name).open("wb")
        fh.write(line if isinstance(line, bytes) else line.encode("utf-8", "replace"))
        fh.write(b"\n")

    def node(self, node: str, data: dict, line: bytes | str) -> None:
        """One node (its attributes ``data``; ``line``: its JSON object, with ``id``, in UTF-8)."""
        self._write(self.node_file(self._node_label(node, data)), line)

    def _node_label(self, node: str, data: dict) -> str:
        """The node's label, once its label and property keys are checked against the schema."""
        label = data.get("label")
        if label is None:
            raise SchemaError(f"node {node!r} has no 'label'; expected one of {', '.join(LABELS)}")
        allowed = self._node_keys.get(label)
        if allowed is None:
            check_label(label)
        if not allowed.issuperset(data):
            for key in data:
                if key not in allowed:
                    check_property(label, key)
        if KEY in data and data[KEY] != node:
            raise SchemaError(f"node {node!r} has a different {KEY!r} property {data[KEY]!r}")
        return label

    def edge(self, u: str, v: str, key: object, data: dict, line: bytes | str) -> None:
        """One edge (``line``: its JSON object, ends under ``source`` and ``target``)."""
        self._write(self.rel_file(*self._edge_table(u, v, key, data)), line)

    def _edge_table(self, u: str, v: str, key: object, data: dict) -> tuple[str, str, str]:
        """The edge's (type, source label, target label), once checked against the schema."""
        rel = data.get("type", key)
        allowed = self._rel_keys.get(rel)
        if allowed is None:
            rel = check_rel_type(rel)
            allowed = self._rel_keys[rel]
        nodes = self._nodes
        src, dst = nodes[u].get("label"), nodes[v].get("label")
        ends = RELATIONSHIPS[rel].ends
        if (src, dst) not in ends:
            allowed_ends = ", ".join(f"{a}->{b}" for a, b in ends)
            raise SchemaError(f"edge {u!r} -[{rel}]-> {v!r} joins {src}->{dst}; expected {allowed_ends}")
        if not allowed.issuperset(data):
            for k in data:
                if k not in allowed:
                    check_property(rel, k)
        return rel, src, dst

    def _close_files(self, prefix: str) -> None:
        for name in [n for n in self._files if n.startswith(prefix)]:
            self._files.pop(name).close()

    def end_nodes(self) -> None:
        """Every node is written: close the node files and mark them complete."""
        self._close_files("node-")
        (self.folder / self.NODES_DONE).touch()

    def close(self) -> None:
        """Every edge is written: close the files and mark them all complete."""
        self._close_files("")
        if not (self.folder / self.NODES_DONE).exists():
            (self.folder / self.NODES_DONE).touch()
        (self.folder / self.EDGES_DONE).touch()

    def __enter__(self) -> TableFiles:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:  # a failed write is not marked complete: a loader waiting for it is killed
            self._close_files("")


#: how a graph file written by :func:`kg.graphio.save_graph` in its compact form begins
COMPACT_GRAPH_HEAD = b'{"directed":true,"multigraph":true,"graph":'


def _old_lines(path: Path) -> Iterator[tuple[str, bytes]]:
    """``("nodes", line)`` for each node line of a graph file written by
    :func:`kg.graphio.save_graph`, then ``("edges", line)`` for each edge line (without the
    comma that separates them), in the file's order: nodes by id, edges by (source, target, key)."""
    with path.open("rb") as fh:
        section = None
        for raw in fh:
            line = raw.rstrip(b"\n")
            if section is None:
                if line == b'"nodes":[':
                    section = "nodes"
                continue
            if line.startswith(b"]"):
                if section == "edges":
                    return
                section = "between"
                continue
            if section == "between":
                if line == b'"edges":[':
                    section = "edges"
                continue
            yield section, line[:-1] if line.endswith(b",") else line


def write_table_files(graph_file: str | os.PathLike, folder: str | os.PathLike) -> None:
    """The table files of :class:`TableFiles` made from a graph file that
    :func:`kg.graphio.save_graph` wrote (its lines as they are, split by label and by
    relationship type and ends), for :class:`StoreLoader`: what an update loads when the
    previous store could not be patched.

    >>> import tempfile, networkx as nx
    >>> from kg.graphio import save_graph
    >>> d = Path(tempfile.mkdtemp())
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper:t:a", label="Paper", title="A")
    >>> g.add_node("method:lora", label="Method", name="LoRA")
    >>> _ = g.add_edge("paper:t:a", "method:lora", key="USES_METHOD", type="USES_METHOD")
    >>> save_graph(g, d / "graph.json")
    >>> write_table_files(d / "graph.json", d / "t")
    >>> (d / "t" / "rel-USES_METHOD-Paper-Method.jsonl").read_text()
    '{"key":"USES_METHOD","source":"paper:t:a","target":"method:lora","type":"USES_METHOD"}\\n'
    """
    labels: dict[str, str] = {}
    nodes_done = False
    with TableFiles(nx.MultiDiGraph(), folder) as files:
        for section, line in _old_lines(Path(graph_file)):
            row = orjson.loads(line)
            if section == "nodes":
                labels[row[KEY]] = row["label"]
                files._write(files.node_file(check_label(row["label"])), line)
                continue
            if not nodes_done:  # the first edge: every node is written
                files.end_nodes()
                nodes_done = True
            rel = check_rel_type(row.get("type", row["key"]))
            files._write(files.rel_file(rel, labels[row["source"]], labels[row["target"]]), line)


class TableDiff(TableFiles):
    """The table files of what changed in a graph since a build wrote ``old`` (its
    ``graph.json``), for :meth:`LadybugStore.load_tables` with ``patch=True`` on a copy of the
    store that build wrote (``kg build --update``: the store is patched, not loaded again).

    :func:`kg.graphio.save_graph` hands it each line in the order it writes them, which is the
    old file's order too, so one pass over both files in step finds what changed (no line of the
    old file is held). What it writes:

    * ``node-LABEL.jsonl``: new nodes (COPYd in);
    * ``set-LABEL.jsonl``: nodes whose properties changed (set in place: their relationships
      stay, so an author who gained a source is one row, not one row and every edge again);
    * ``deleted-nodes.jsonl``: nodes that are gone (deleted with their relationships);
    * ``rel-TYPE-FROM-TO.jsonl``: new relationships and those whose properties changed;
    * ``deleted-edges.jsonl``: relationships that are gone or changed, between nodes that stay.

    >>> import tempfile, networkx as nx
    >>> from kg.graphio import save_graph
    >>> d = Path(tempfile.mkdtemp())
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper:t:a", label="Paper", title="A")
    >>> g.add_node("paper:t:c", label="Paper", title="C")
    >>> g.add_node("method:lora", label="Method", name="LoRA")
    >>> _ = g.add_edge("paper:t:a", "method:lora", key="USES_METHOD", type="USES_METHOD")
    >>> save_graph(g, d / "old.json")
    >>> g.nodes["method:lora"]["aliases"] = ["Low-Rank Adaptation"]
    >>> g.add_node("paper:t:b", label="Paper", title="B")
    >>> g.remove_node("paper:t:c")
    >>> with TableDiff(g, d / "t", d / "old.json") as t:
    ...     save_graph(g, d / "new.json", tables=t)
    >>> t.changes
    {'nodes new': 1, 'nodes changed': 1, 'nodes deleted': 1, 'edges written': 0, 'edges deleted': 0}
    >>> (d / "t" / "deleted-nodes.jsonl").read_text()
    '{"label":"Paper","id":"paper:t:c"}\\n'
    """

    DELETED_NODES = "deleted-nodes.jsonl"
    DELETED_EDGES = "deleted-edges.jsonl"
    #: the nodes per label and relationships per type of the whole graph, which the patched
    #: store is checked against
    EXPECTED = "expected.json"

    def __init__(self, graph: nx.MultiDiGraph, folder: str | os.PathLike, old: str | os.PathLike) -> None:
        super().__init__(graph, folder)
        self._old = _old_lines(Path(old))
        self._cur: tuple[str, bytes] | None = next(self._old, None)
        self._gone: set[str] = set()  # deleted nodes: their relationships go with them (DETACH)
        self._expected: dict[str, int] = defaultdict(int)  # per label and type: what the store must hold
        self.changes = {"nodes new": 0, "nodes changed": 0, "nodes deleted": 0,
                        "edges written": 0, "edges deleted": 0}

    @staticmethod
    def changed_file(label: str) -> str:
        return f"set-{label}.jsonl"

    @staticmethod
    def is_compact(path: str | os.PathLike) -> bool:
        """Whether the graph file at ``path`` is in the compact form this class reads."""
        with Path(path).open("rb") as fh:
            return fh.read(len(COMPACT_GRAPH_HEAD)) == COMPACT_GRAPH_HEAD

    def _advance(self) -> None:
        self._cur = next(self._old, None)

    def _delete_node(self, was: dict) -> None:
        self._write(self.DELETED_NODES, orjson.dumps({"label": was["label"], "id": was["id"]}))
        self._gone.add(was["id"])
        self.changes["nodes deleted"] += 1

    def node(self, node: str, data: dict, line: bytes | str) -> None:
        label = self._node_label(node, data)
        self._expected[label] += 1
        while self._cur is not None and self._cur[0] == "nodes":
            old = self._cur[1]
            if old == line:  # the same node, unchanged (most lines)
                self._advance()
                return
            was = orjson.loads(old)
            if was["id"] > node:  # a new node
                break
            self._advance()
            if was["id"] == node and was["label"] == label:  # changed
                self._write(self.changed_file(label), line)
                self.changes["nodes changed"] += 1
                return
            self._delete_node(was)  # gone (or another label: gone, and a new node below)
            if was["id"] == node:
                break
        self._write(self.node_file(label), line)
        self.changes["nodes new"] += 1

    def end_nodes(self) -> None:
        while self._cur is not None and self._cur[0] == "nodes":
            self._delete_node(orjson.loads(self._cur[1]))
            self._advance()
        self._close_files(self.DELETED_NODES)
        self._close_files("set-")
        super().end_nodes()

    def edge(self, u: str, v: str, key: object, data: dict, line: bytes | str) -> None:
        table = self._edge_table(u, v, key, data)
        self._expected[table[0]] += 1
        gone = self._gone
        kept = u not in gone and v not in gone  # an end deleted for its new label takes this along
        while self._cur is not None:
            old = self._cur[1]
            if old == line and kept:  # the same relationship, unchanged, between nodes that stay
                self._advance()
                return
            was = orjson.loads(old)
            if (was["source"], was["target"], was["key"]) > (u, v, key):  # a new relationship
                break
            self._advance()
            self._delete_edge(was)  # gone (an earlier one) or changed
            if (was["source"], was["target"], was["key"]) == (u, v, key):
                break
        self._write(self.rel_file(*table), line)
        self.changes["edges written"] += 1

    def _delete_edge(self, was: dict) -> None:
        u, v = was["source"], was["target"]
        if u in self._gone or v in self._gone:
            return  # deleted with its node
        src, dst = self._nodes[u]["label"], self._nodes[v]["label"]  # both stay: same labels
        rel = was.get("type", was["key"])
        self._write(self.DELETED_EDGES, orjson.dumps({"type": rel, "from": src, "to": dst, "u": u, "v": v}))
        self.changes["edges deleted"] += 1

    def close(self) -> None:
        if not (self.folder / self.NODES_DONE).exists():
            self.end_nodes()
        while self._cur is not None:  # relationships past the last one written: gone
            self._delete_edge(orjson.loads(self._cur[1]))
            self._advance()
        (self.folder / self.EXPECTED).write_bytes(orjson.dumps(dict(sorted(self._expected.items()))))
        super().close()


class StoreLoader:
    """COPY table files (:class:`TableFiles`) into a new LadybugDB store in a child process.

    The child runs beside the caller (which goes on with other work) and ends itself if the
    caller dies; :meth:`wait` returns its :class:`PushReport` or raises :class:`StoreError` with
    the child's message. Output and errors go to a file, so the child never blocks on a pipe.
    With ``base`` (a store that holds the graph a :class:`TableDiff` compared with) the child
    copies ``base`` to ``path`` and patches the copy; ``base`` itself is not changed.
    """

    def __init__(self, path: str | os.PathLike, folder: str | os.PathLike, *,
                 base: str | os.PathLike | None = None) -> None:
        self.path = Path(path)
        self.folder = Path(folder)
        self.base = Path(base) if base is not None else None
        self.folder.mkdir(parents=True, exist_ok=True)
        self._log = (self.folder / "load.log").open("w+", encoding="utf-8")
        code = "from kg.stores.ladybug import _load_main; _load_main()"
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, str(self.path), str(self.folder), str(os.getpid()),
             *([str(self.base)] if self.base is not None else [])],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        self.seconds: float | None = None

    def wait(self) -> PushReport:
        """Wait for the child; what it loaded, or :class:`StoreError` with its message."""
        code = self.proc.wait()
        self.seconds = time.perf_counter() - self.started
        self._log.seek(0)
        output = self._log.read()
        self._log.close()
        if code != 0:
            message = output.strip().splitlines()[-1] if output.strip() else f"exit status {code}"
            message = message.removeprefix("error: ")
            raise StoreError(f"{self.path}: writing the query store failed: {message}")
        return PushReport(**json.loads(output.strip().splitlines()[-1]))

    def kill(self) -> None:
        """End the child (when the caller fails before waiting for it)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self._log.closed:
            self._log.close()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _load_main() -> None:
    """The child of :class:`StoreLoader`: ``argv``: store path, table folder, parent pid and,
    to patch a copy of a store (:class:`TableDiff`'s files), that store's path."""
    path, folder, parent = sys.argv[1], sys.argv[2], int(sys.argv[3])
    base = sys.argv[4] if len(sys.argv) > 4 else None
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    try:
        if base is not None:
            shutil.copyfile(base, path)
        with LadybugStore(path) as store:
            report = store.load_tables(folder, patch=base is not None)
    except (StoreError, SchemaError, OSError) as exc:
        print(f"error: {exc}", flush=True)
        sys.exit(2)
    print(json.dumps(report.as_dict()), flush=True)


_INT64 = (-(2**63), 2**63 - 1)


def _check_values(nodes: dict[str, list[NodeRow]], rels: dict[tuple[str, str, str], list[RelRow]]) -> None:
    """Raise :class:`StoreError` naming the first node or relationship whose property value
    does not fit the schema's type (an integer beyond 64 bits, text where a number belongs)."""
    for label, rows in nodes.items():
        props = NODE_PROPERTIES[label]
        for r in rows:
            for k, v in r.props.items():
                if v is not None and k in props and not _fits(v, props[k]):
                    raise StoreError(f"{label}.{k}: value {_show(v)} of node {r.id!r} is not {props[k]} as "
                                     "kg's schema expects; nothing was pushed (rebuild the graph with this "
                                     "kg: its loaders quarantine such records)")
    for (rel, _src, _dst), rows in rels.items():
        props = RELATIONSHIPS[rel].properties
        for r in rows:
            for k, v in r.props.items():
                if v is not None and k in props and not _fits(v, props[k]):
                    raise StoreError(f"{rel}.{k}: value {_show(v)} of {r.src!r} -> {r.dst!r} is not "
                                     f"{props[k]} as kg's schema expects; nothing was pushed")


def _show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and not _INT64[0] <= value <= _INT64[1]:
        return f"an integer of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fits(value: Any, kind: str) -> bool:
    if kind == STRING:
        return isinstance(value, str)
    if kind == INT64:
        return isinstance(value, int) and not isinstance(value, bool) and _INT64[0] <= value <= _INT64[1]
    if kind == DOUBLE:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == BOOL:
        return isinstance(value, bool)
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_IO = re.compile(
    r"(?<![\w.$])(LOAD|COPY|INSTALL|UNINSTALL|ATTACH|IMPORT|EXPORT)(?![\w$])"
    r"|\bapoc\s*\.\s*(?:load|import|export|cypher\s*\.\s*run\w*|systemdb|periodic)\b"
    r"|\bdbms\s*\.\s*\w+", re.I)


def refuse_io(text: str) -> None:
    """Raise :class:`StoreError` when a Cypher statement would read or write files or reach the
    network: ``LOAD FROM``/``LOAD CSV``, ``COPY``, ``INSTALL``/``LOAD`` an extension,
    ``ATTACH``, ``IMPORT``/``EXPORT DATABASE``, APOC's load/import/export. Words inside strings,
    comments and backquoted names do not count.

    >>> refuse_io("MATCH (n:Paper) WHERE n.title = 'COPY and LOAD FROM' RETURN n.load AS x")
    >>> refuse_io("LOAD FROM '/etc/passwd' RETURN *")
    Traceback (most recent call last):
    ...
    kg.errors.StoreError: refused: the statement uses LOAD, which reads or writes files or the network; ...
    """
    bare = _QUOTED.sub(" ", text)
    m = _IO.search(bare)
    if m:
        word = " ".join(m.group(0).split()).upper()
        raise StoreError(f"refused: the statement uses {word}, which reads or writes files or the network;"
                         " kg cypher runs read-only queries on the graph "
                         "(pass --allow-io to allow it)")
