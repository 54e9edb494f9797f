"""Neo4j 5 through the official driver: push a kg graph, run Cypher.

* One uniqueness constraint per label on its key (``CREATE CONSTRAINT ... IF NOT EXISTS``),
  so concurrent ``MERGE`` stays unique.
* Writes are ``UNWIND $rows AS row MERGE ...`` in managed write transactions
  (``session.execute_write``), in batches. The driver retries a batch on transient errors;
  kg also reopens the session when the connection drops and retries the batch. Every write
  is a ``MERGE`` on a key, so a retry cannot duplicate anything.
* Each node write returns its nodes' ``elementId``; the relationships of the same push find
  their ends by it (``MATCH (a) WHERE elementId(a) = row.a``) instead of a lookup of the key
  in its index. Nodes that were there already are matched by ``MERGE`` and return theirs too,
  so a re-push or a push after a crash is the same as a clean one.
* Labels, relationship types and property keys come only from :mod:`kg.schema`; values only
  as parameters (:mod:`kg.stores.cypher` builds the statements).

The defaults match ``docker/compose.yml``:

>>> DEFAULT_URI, DEFAULT_USER, DEFAULT_PASSWORD
('bolt://localhost:7687', 'neo4j', 'kgpassword')
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import pairwise
from typing import Any

import networkx as nx
from tqdm import tqdm

from kg.errors import StoreError
from kg.schema import LABELS
from kg.stores.cypher import (
    NodeRow,
    PushReport,
    RelRow,
    batches,
    constraint_statement,
    count_statements,
    create_nodes_statement,
    create_rels_statement,
    merge_nodes_statement,
    merge_rels_statement,
    node_params,
    node_rows,
    rel_rows,
    rels_by_id_statement,
)

__all__ = ["DEFAULT_PASSWORD", "DEFAULT_URI", "DEFAULT_USER", "Neo4jStore", "push_statements"]

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
DEFAULT_PASSWORD = "kgpassword"
#: rows per write transaction: Neo4j's guidance for ``UNWIND`` loads is 10k-50k rows per
#: transaction (measured on the local 5.26 engine, 2,000 to 10,000 rows cost the same engine CPU
#: per row once it is warm; a cold engine's first push is bound by its JIT warming up)
DEFAULT_BATCH = 10_000
#: node batches in flight at once (one session each): the server writes distinct nodes in
#: parallel, so two writers use two cores where one leaves the second idle. Relationship batches
#: go one at a time: two of them lock the same busy nodes (a popular method, a prolific author)
#: and Neo4j answers with deadlocks and retries, measured slower than one writer
DEFAULT_WORKERS = 2
#: URI schemes of the official driver's Bolt connections
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: the error of a write that would break a uniqueness constraint
CONSTRAINT_FAILED = "Neo.ClientError.Schema.ConstraintValidationFailed"
#: how many times kg reopens a session after a dropped connection before giving up
RECONNECTS = 3
#: what a push's node write returns: one record holding each row's key and its node's
#: ``elementId``, by which the relationships of the same push find their ends (one list, not
#: a record per row: 10,000 records cost the client more than the write costs the server)
RETURN_IDS = " WITH collect([row.id, elementId(n)]) AS found RETURN found"


def _constraint_failed(exc: BaseException | None) -> bool:
    """Whether a uniqueness constraint's refusal is behind ``exc``: as its cause, or further
    down the chain (the driver raises "the result has failed" from the server's error when
    the result is read after its transaction failed, as a busy server's late answer can make
    it do).

    >>> class Refused(Exception):
    ...     code = CONSTRAINT_FAILED
    >>> try:
    ...     try:
    ...         raise Refused()
    ...     except Refused as inner:
    ...         raise RuntimeError("the result has failed") from inner
    ... except RuntimeError as outer:
    ...     _constraint_failed(outer), _constraint_failed(RuntimeError("other"))
    (True, False)
    """
    for _ in range(8):  # a chain is short; a cycle cannot hold this loop
        if exc is None:
            return False
        if getattr(exc, "code", None) == CONSTRAINT_FAILED:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def push_statements(
    graph: nx.MultiDiGraph, batch_size: int = DEFAULT_BATCH, *, empty: Collection[str] = ()
) -> list[tuple[str, dict[str, Any]]]:
    """Every (statement, parameters) pair of a push, in order: constraints, nodes, relationships,
    in their key form (a push adds :data:`RETURN_IDS` to the node writes
    and sends the relationships by those elementIds: :func:`~kg.stores.cypher.rels_by_id_statement`).

    Rows are written with ``MERGE`` on their key, except for the labels and relationship types
    named in ``empty`` (those with nothing in the database when the push starts): there a
    ``CREATE`` needs no lookup (measured: relationships of a first push a third faster). A push
    retries a ``CREATE`` batch as ``MERGE``, so a retry after a lost commit cannot duplicate.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("paper:t:a", label="Paper", title="It's `x`")
    >>> g.add_node("method:lora", label="Method", name="LoRA")
    >>> _ = g.add_edge("paper:t:a", "method:lora", key="USES_METHOD", type="USES_METHOD", provenance="f:1")
    >>> for text, params in push_statements(g)[len(LABELS):]:  # doctest: +NORMALIZE_WHITESPACE
    ...     print(text); print(params)
    UNWIND $rows AS row MERGE (n:Paper {id: row.id}) SET n += row
    {'rows': [{'id': 'paper:t:a', 'title': "It's `x`"}]}
    UNWIND $rows AS row MERGE (n:Method {id: row.id}) SET n += row
    {'rows': [{'id': 'method:lora', 'name': 'LoRA'}]}
    UNWIND $rows AS row MATCH (a:Paper {id: row.src}) MATCH (b:Method {id: row.dst})
    MERGE (a)-[r:USES_METHOD]->(b) SET r += row.props
    {'rows': [{'src': 'paper:t:a', 'dst': 'method:lora', 'props': {'provenance': 'f:1'}}]}
    >>> [text.split()[4] for text, _ in push_statements(g, empty={"Paper", "USES_METHOD"})[len(LABELS):]]
    ['CREATE', 'MERGE', 'MATCH']
    >>> push_statements(g, empty={"USES_METHOD"})[-1][0].split(") ", 2)[-1]
    'CREATE (a)-[r:USES_METHOD]->(b) SET r = row.props'
    """
    plan = _plan(node_rows(graph), rel_rows(graph), batch_size, empty)
    return [(text, params) for _, text, params, _ in plan]


def _plan(
    nodes: dict[str, list[NodeRow]],
    rels: dict[tuple[str, str, str], list[RelRow]],
    batch_size: int,
    empty: Collection[str],
) -> list[tuple[str, str, dict[str, Any], str]]:
    """``(kind, statement, parameters, statement for a retry)`` of a push; kind is
    ``constraint``, ``nodes`` or ``relationships``; the retry statement is the ``MERGE`` form."""
    out: list[tuple[str, str, dict[str, Any], str]] = [
        ("constraint", text, {}, text) for text in map(constraint_statement, LABELS)
    ]
    for label, rows in nodes.items():
        merge = merge_nodes_statement(label)
        text = create_nodes_statement(label) if label in empty else merge
        for batch in batches(rows, batch_size):
            out.append(("nodes", text, node_params(batch), merge))
    for (rel, src, dst), rows in rels.items():
        merge = merge_rels_statement(rel, src, dst)
        # rows come sorted by their ends: two rows with the same ends (a multigraph's parallel
        # edges of one type) are one relationship, which only MERGE gives
        unique = all((a.src, a.dst) != (b.src, b.dst) for a, b in pairwise(rows))
        text = create_rels_statement(rel, src, dst) if rel in empty and unique else merge
        for batch in batches(rows, batch_size):
            params = {"rows": [{"src": r.src, "dst": r.dst, "props": r.props} for r in batch]}
            out.append(("relationships", text, params, merge))
    return out


def _by_id(step: tuple[str, str, dict[str, Any], str], ids: dict[str, str]) -> tuple:
    """A relationship step of :func:`_plan` with its ends given by the ``elementId`` in ``ids``
    (key -> elementId, from the node writes of the same push); a step with an end missing
    there (which a push never leaves) keeps its key form."""
    kind, text, params, merge = step
    rows = params["rows"]
    if not all(row["src"] in ids and row["dst"] in ids for row in rows):
        return step
    rows = [{"a": ids[row["src"]], "b": ids[row["dst"]], "props": row["props"]} for row in rows]
    return kind, rels_by_id_statement(text), {"rows": rows}, rels_by_id_statement(merge)


def check_uri(uri: str) -> str:
    """``uri`` if it names a Bolt server, else a :class:`~kg.errors.StoreError` saying what is expected.

    >>> check_uri("neo4j+s://abc.databases.neo4j.io")
    'neo4j+s://abc.databases.neo4j.io'
    >>> check_uri("http://localhost:7474")
    Traceback (most recent call last):
    ...
    kg.errors.StoreError: cannot use the Neo4j URI 'http://localhost:7474': kg speaks Bolt; expected \
bolt://HOST:7687 or neo4j://HOST:7687 (also bolt+s, bolt+ssc, neo4j+s, neo4j+ssc), not http://
    """
    scheme, sep, rest = uri.partition("://")
    if not sep or scheme.lower() not in SCHEMES or not rest:
        given = f"{scheme}://" if sep else "no scheme"
        raise StoreError(
            f"cannot use the Neo4j URI {uri!r}: kg speaks Bolt; expected bolt://HOST:7687 or "
            f"neo4j://HOST:7687 (also bolt+s, bolt+ssc, neo4j+s, neo4j+ssc), not {given}"
        )
    return uri


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())


def _warnings(summary: Any) -> list[str]:
    """The server's warnings in a result summary, one line each, without repeats."""
    out: list[str] = []
    for status in getattr(summary, "gql_status_objects", ()):
        if status.is_notification and status.raw_severity == "WARNING":
            line = _one_line(status.status_description).removeprefix("warn: ")
            if line not in out:
                out.append(line)
    return out


def _plain(value: Any) -> Any:
    """A driver value as plain Python: nodes and relationships become dicts of properties."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        out: dict[str, Any] = {"_label": ":".join(sorted(value.labels))}
        out.update({k: _plain(v) for k, v in value.items()})
        return out
    if isinstance(value, Relationship):
        return {"_type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return value


class Neo4jStore:
    """A Neo4j database reached by ``uri`` with the official driver.

    ``user``/``password`` default to ``NEO4J_USER``/``NEO4J_PASSWORD`` and then to the
    credentials of ``docker/compose.yml``. ``driver`` lets a caller pass a ready driver
    (or any object with ``session(database=...)`` and ``close()``).
    """

    def __init__(
        self,
        uri: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        batch_size: int = DEFAULT_BATCH,
        workers: int = DEFAULT_WORKERS,
        driver: Any = None,
    ) -> None:
        self.uri = uri or os.environ.get("NEO4J_URI") or DEFAULT_URI
        self.user = user or os.environ.get("NEO4J_USER") or DEFAULT_USER
        self.password = password or os.environ.get("NEO4J_PASSWORD") or DEFAULT_PASSWORD
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        self.batch_size = batch_size
        self.workers = max(1, workers)
        #: seconds of the last push per phase: constraints, nodes, relationships
        self.last_push_seconds: dict[str, float] = {}
        self._driver = driver if driver is not None else self._connect()

    def _connect(self) -> Any:
        import neo4j

        check_uri(self.uri)
        hint = (
            "is it running? Start one with `docker compose -f docker/compose.yml up -d`, "
            "or name yours with --neo4j URI / NEO4J_URI"
        )
        try:
            driver = neo4j.GraphDatabase.driver(self.uri, auth=(self.user, self.password))
        except (neo4j.exceptions.DriverError, ValueError) as exc:
            raise StoreError(f"cannot use the Neo4j URI {self.uri!r}: {_one_line(exc)}") from exc
        try:
            driver.verify_connectivity()
        except neo4j.exceptions.AuthError as exc:
            driver.close()
            raise StoreError(
                f"Neo4j at {self.uri} refused user {self.user!r}: wrong user or password "
                f"({_one_line(exc.message or exc)}); set --user/--password or NEO4J_USER/NEO4J_PASSWORD"
            ) from exc
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, ValueError, OSError) as exc:
            driver.close()
            raise StoreError(f"cannot reach Neo4j at {self.uri} ({_one_line(exc)}); {hint}") from exc
        return driver

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    def _session(self, *, notes: bool = False) -> Any:
        """A session; the server's notifications are asked for only with ``notes`` (they are
        hints about the text, such as a label that does not exist yet, which a first push
        into an empty database would otherwise see for every count and write)."""
        kwargs: dict[str, Any] = {} if notes else {"notifications_min_severity": "OFF"}
        if self.database:
            kwargs["database"] = self.database
        return self._driver.session(**kwargs)

    def _with_session(self, work: Callable[[Any], Any], *, notes: bool = False) -> Any:
        """Run ``work(session)``; on a dropped connection reopen the session and retry."""
        import neo4j

        dropped = (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired)
        for attempt in range(RECONNECTS + 1):
            try:
                with self._session(notes=notes) as session:
                    return work(session)
            except dropped as exc:
                if attempt == RECONNECTS:
                    raise StoreError(
                        f"Neo4j at {self.uri}: connection lost {attempt + 1} times ({_one_line(exc)}); "
                        "nothing half-written stays: run the same command again when the server is back"
                    ) from exc
                time.sleep(0.5 * 2**attempt)
            except neo4j.exceptions.Neo4jError as exc:
                if exc.code == "Neo.ClientError.Statement.AccessMode":
                    raise StoreError(
                        f"Neo4j at {self.uri} refused to write: kg runs your Cypher in a read "
                        f"transaction, so it cannot change the graph ({_one_line(exc.message)}); "
                        "use `kg push` to load a graph"
                    ) from exc
                raise StoreError(
                    f"Neo4j at {self.uri} refused the statement: {exc.code}: {_one_line(exc.message)}"
                ) from exc
            except neo4j.exceptions.DriverError as exc:
                raise StoreError(f"Neo4j at {self.uri}: {type(exc).__name__}: {_one_line(exc)}") from exc
        raise AssertionError("unreachable")

    # -- reading ------------------------------------------------------------------------
    def run(
        self, text: str, params: dict[str, Any] | None = None, *, notes: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """Run one statement in a managed READ transaction (a write is refused); rows as dicts.

        Given a list as ``notes``, it is filled with the server's warnings about the text (a
        label or property that does not exist, a deprecated form...), one line each, as
        ``kg cypher`` prints them; otherwise none are asked for.
        """
        params = dict(params or {})

        def read(tx: Any) -> list[dict[str, Any]]:
            result = tx.run(text, params)
            keys = list(result.keys())
            rows = [dict(zip(keys, (_plain(v) for v in record.values()), strict=True)) for record in result]
            if notes is not None:
                notes[:] = _warnings(result.consume())  # a retried transaction starts over
            return rows

        return self._with_session(lambda s: s.execute_read(read), notes=notes is not None)

    def counts(self) -> dict[str, int]:
        """Nodes per schema label and relationships per schema type."""
        return {name: self.run(text)[0]["c"] for name, text in count_statements().items()}

    # -- writing ------------------------------------------------------------------------
    def push(self, graph: nx.MultiDiGraph, *, progress: bool = False) -> PushReport:
        """Load ``graph``: constraints, then nodes and relationships in batched transactions.

        Each batch is ``MERGE`` on the key, except into a label or relationship type with
        nothing in the database yet, where ``CREATE`` skips the lookup; a batch that is tried
        again (a dropped connection, a transient error, a key that exists after all) is sent as
        ``MERGE``, so no retry can duplicate a node or a relationship. Counts come from the
        result summaries. The seconds spent on each phase are kept in
        :attr:`last_push_seconds` (``constraints``, ``nodes``, ``relationships``).
        """
        nodes, rels = node_rows(graph), rel_rows(graph)  # the schema is checked before anything is sent
        empty = {name for name, count in self.counts().items() if count == 0}
        plan = _plan(nodes, rels, self.batch_size, empty)
        total = sum(len(params.get("rows", ())) for _, _, params, _ in plan)
        report = PushReport()
        seconds = {"constraints": 0.0, "nodes": 0.0, "relationships": 0.0}

        def write(tx: Any, texts: list[str], params: dict[str, Any]) -> Any:
            text = texts.pop(0) if len(texts) > 1 else texts[0]  # a retry gets the MERGE form
            result = tx.run(text, params)
            found = ([tuple(pair) for record in result for pair in record.values()[0]]
                     if text.endswith(RETURN_IDS) else [])
            return result.consume().counters, found

        def send(text: str, params: dict[str, Any], merge: str) -> Any:
            texts = [text, merge] if text != merge else [text]
            try:
                return self._with_session(lambda s: s.execute_write(write, texts, params))
            except StoreError as exc:
                if text == merge or not _constraint_failed(exc):
                    raise
                # a CREATE met a key that exists (another writer): the same rows, merged
                return self._with_session(lambda s: s.execute_write(write, [merge], params))

        with (
            tqdm(total=total, unit="row", desc="neo4j", disable=not progress) as bar,
            ThreadPoolExecutor(self.workers, thread_name_prefix="kg-neo4j") as pool,
        ):
            for text, _ in (step[1:3] for step in plan if step[0] == "constraint"):
                started = time.perf_counter()  # schema: outside any explicit transaction
                self._with_session(lambda s, text=text: s.run(text).consume())
                seconds["constraints"] += time.perf_counter() - started
            # all nodes before any relationship; within a phase the batches hold distinct
            # rows, so they may commit in any order and the database ends up the same. Each
            # node write returns the elementId of its nodes (created or matched), so the
            # relationships go straight to their ends instead of looking their keys up
            ids: dict[str, str] = {}
            for kind in ("nodes", "relationships"):
                steps = [step for step in plan if step[0] == kind]
                if kind == "nodes":
                    steps = [(k, t + RETURN_IDS, p, m + RETURN_IDS) for k, t, p, m in steps]
                else:
                    steps = [_by_id(step, ids) for step in steps]
                started = time.perf_counter()
                workers = self.workers if kind == "nodes" else 1
                for (_, _, params, _), (counters, found) in self._in_order(pool, send, steps, workers):
                    n = len(params["rows"])
                    if kind == "nodes":
                        ids.update(found)
                        report.nodes_created += counters.nodes_created
                        report.nodes_matched += n - counters.nodes_created
                    else:
                        report.rels_created += counters.relationships_created
                        report.rels_matched += n - counters.relationships_created
                    bar.update(n)
                seconds[kind] += time.perf_counter() - started
        self.last_push_seconds = seconds
        return report

    def _in_order(
        self, pool: ThreadPoolExecutor, send: Callable[..., Any], steps: list[tuple], workers: int
    ) -> Iterator[tuple]:
        """``(step, send(*step[1:]))`` for each step in order, with up to ``workers`` of them in
        flight; on the first error the steps not yet started are cancelled."""
        window: deque[tuple[tuple, Future]] = deque()
        try:
            for step in steps:
                window.append((step, pool.submit(send, *step[1:])))
                if len(window) >= workers:
                    first, future = window.popleft()
                    yield first, future.result()
            while window:
                first, future = window.popleft()
                yield first, future.result()
        finally:
            for _, future in window:
                future.cancel()
