"""``kg query``, ``kg push`` and ``kg cypher``: named queries and graph stores."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

import click
import networkx as nx

from kg.buildstate import fresh_store
from kg.cli.params import GRAPH_FILE
from kg.errors import QueryError
from kg.graphio import load_graph
from kg.queries import AUTHOR, METHOD, NODE, PAPER, REGISTRY, Query, get_query, parse_pairs, run_query
from kg.schema import LABELS, NODE_PROPERTIES
from kg.stores import open_store
from kg.stores.neo4j import DEFAULT_BATCH

__all__ = ["COMMANDS", "cypher", "format_table", "push", "query"]


def _store_options(func):
    """``--ladybug PATH`` / ``--neo4j URI`` with ``--user``, ``--password``, ``--database``."""
    options = [
        click.option("--ladybug", "ladybug", metavar="PATH", type=click.Path(dir_okay=False),
                     help="A LadybugDB database file (embedded, no server)."),
        click.option("--neo4j", "neo4j", metavar="URI",
                     help="A Neo4j server, e.g. bolt://localhost:7687 (default: $NEO4J_URI when no other "
                          "store is named)."),
        click.option("--user", envvar="NEO4J_USER", show_envvar=True, help="Neo4j user (default neo4j)."),
        click.option("--password", envvar="NEO4J_PASSWORD", show_envvar=True,
                     help="Neo4j password (default kgpassword, as in docker/compose.yml)."),
        click.option("--database", envvar="NEO4J_DATABASE", help="Neo4j database (default: the server's)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _default_neo4j(*named: str | None) -> str | None:
    """``$NEO4J_URI`` when the user named no store at all."""
    if all(x is None for x in named):
        return os.environ.get("NEO4J_URI") or None
    return None


def _cypher_value(text: str) -> Any:
    """A ``--param`` value of ``kg cypher``: JSON when it parses (``5``, ``true``, ``["a"]``), else text.

    >>> _cypher_value("5"), _cypher_value("LoRA"), _cypher_value('["a", "b"]')
    (5, 'LoRA', ['a', 'b'])
    """
    try:
        return json.loads(text)
    except ValueError:
        return text


#: columns that hold node ids (or lists of them): printed whole, since parameters take them
_ID_COLUMNS = frozenset({"id", "citing", "path", "source", "target"})


def _cell(value: Any, full: bool = False) -> str:
    """A table cell: lists joined by commas; text cut at 80 characters unless ``full``.

    >>> long_id = "paper:t:" + "x" * 100
    >>> len(_cell(long_id, full=True)), len(_cell(long_id))
    (108, 80)
    """
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v, full) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).replace("\r", " ").replace("\n", " ")
    return text if full or len(text) <= 80 else text[:79] + "…"


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as a plain text table; numbers right-aligned, lists joined by commas, node ids
    (columns ``id``, ``citing``, ``path``, ...) whole, other text cut at 80 characters.

    >>> print(format_table([{"id": "method:lora", "papers": 12}, {"id": "method:ppo", "papers": 3}]))
    id           papers
    -----------  ------
    method:lora      12
    method:ppo        3
    (2 rows)
    """
    if columns is None:
        columns = list(rows[0]) if rows else []
    if not columns:
        return "(no rows)"
    cells = [[_cell(r.get(c), c in _ID_COLUMNS) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    present = [[r[c] for r in rows if r.get(c) is not None] for c in columns]
    numeric = [
        all(isinstance(v, int | float) and not isinstance(v, bool) for v in values) and bool(values)
        for values in present
    ]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _print_rows(rows: list[dict[str, Any]], as_json: bool, columns: Sequence[str] | None = None) -> None:
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(format_table(rows, columns))


#: the parameters that name a node, by their help text: the label they name (None: any)
_NAMING = {METHOD.help: "Method", PAPER.help: "Paper", AUTHOR.help: "Author", NODE.help: None}


def _names(source: Any, label: str | None) -> list[tuple[str, list[str]]]:
    """Every node of ``label`` (any label for None) as (id, [name or title, aliases...])."""
    labels = [label] if label else list(LABELS)
    out: list[tuple[str, list[str]]] = []
    if isinstance(source, nx.MultiDiGraph):
        for node, data in source.nodes(data=True):
            if label is None or data.get("label") == label:
                names = [data.get("title"), data.get("name"), *(data.get("aliases") or [])]
                out.append((str(node), [n for n in names if isinstance(n, str)]))
        return out
    for lab in labels:  # labels and keys from the schema only; no value in the text
        props = NODE_PROPERTIES[lab]
        fields = [f"n.{key} AS {key}" for key in ("title", "name", "aliases") if key in props]
        rows = source.run(f"MATCH (n:{lab}) RETURN n.id AS id, {', '.join(fields)}")
        for row in rows:
            names = [row.get("title"), row.get("name"), *(row.get("aliases") or [])]
            out.append((str(row["id"]), [n for n in names if isinstance(n, str)]))
    return out


def check_names(source: Any, q: Query, params: dict[str, str]) -> None:
    """After a query found no rows: a parameter that names no node at all is an error that
    says so and suggests the closest names (as ``kg view --focus`` does).

    >>> g = nx.MultiDiGraph(); g.add_node("method:ppo", label="Method", name="PPO")
    >>> check_names(g, REGISTRY["papers-using-method"], {"method": "PPO2"})
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: method='PPO2': no Method has this id, name or alias; closest: PPO (method:ppo)
    >>> check_names(g, REGISTRY["papers-using-method"], {"method": "ppo"})  # known: 0 rows is an answer
    """
    from rapidfuzz import fuzz, process

    for p in q.params:
        if p.help not in _NAMING or not isinstance(params.get(p.name), str):
            continue
        value = params[p.name]
        label = _NAMING[p.help]
        nodes = _names(source, label)
        wanted = value.strip().casefold()
        if any(node == value or any(n.strip().casefold() == wanted for n in names) for node, names in nodes):
            continue
        choices = {}
        for node, names in nodes:
            for n in names[:1] or [node]:
                choices.setdefault(n, node)
        found = process.extract(value, list(choices), scorer=fuzz.WRatio, limit=5, score_cutoff=60)
        close = ", ".join(f"{name} ({choices[name]})" for name, _s, _i in found)
        what = f"no {label}" if label else "no node"
        fields = {"Paper": "id, title", None: "id, name, title or alias"}.get(label, "id, name or alias")
        hint = f"; closest: {close}" if close else f"; the graph has {len(nodes)} such nodes"
        raise QueryError(f"{p.name}={value!r}: {what} has this {fields}{hint}")


def _listing() -> str:
    lines = []
    for q in REGISTRY.values():
        lines.append(f"{q.name}: {q.description}")
        params = ", ".join(p.describe() for p in q.params)
        lines.append(f"    params:  {params}")
        lines.append(f"    columns: {', '.join(q.columns)}")
        lines.append(f"    example: {q.usage}")
    return "\n".join(lines)


@click.command()
@click.argument("name", required=False)
@click.option("--graph", "graph", metavar="GRAPH", type=GRAPH_FILE,
              help="A graph.json written by kg build.")
@_store_options
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter; repeat for several.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of row objects.")
@click.option("--list", "list_", is_flag=True, help="List the named queries, their parameters and columns.")
@click.option("--no-store", is_flag=True,
              help="With --graph: read graph.json even when kg build's graph.lbdb beside it is fresh.")
def query(name: str | None, graph: str | None, ladybug: str | None, neo4j: str | None, user: str | None,
          password: str | None, database: str | None, params: tuple[str, ...], as_json: bool,
          list_: bool, no_store: bool) -> None:
    """Run the named query NAME on a graph file, a LadybugDB database or Neo4j.

    The same query gives the same rows on every store. On a graph.json written by `kg build`,
    the query store written with it (graph.lbdb, same folder) answers while both are unchanged.

    Examples: kg query --list;
    kg query top-methods --graph build/graph.json --json;
    kg query papers-using-method --ladybug build/kg.lbdb --param method=LoRA
    """
    if list_:
        if as_json:
            listing = [
                {"name": q.name, "description": q.description, "columns": list(q.columns),
                 "example": q.example,
                 "params": [{"name": p.name, "type": p.type.__name__,
                             "default": None if p.required else p.default, "required": p.required,
                             "help": p.help} for p in q.params]}
                for q in REGISTRY.values()
            ]
            click.echo(json.dumps(listing, indent=2))
        else:
            click.echo(_listing())
        return
    if name is None:
        raise click.UsageError("name a query (see `kg query --list`)")
    q = get_query(name)
    given = parse_pairs(params)
    neo4j = neo4j or _default_neo4j(graph, ladybug)
    chosen = [x for x in (graph, ladybug, neo4j) if x is not None]
    if len(chosen) != 1:
        raise click.UsageError("name exactly one of --graph GRAPH, --ladybug PATH, --neo4j URI")
    store_file = fresh_store(graph) if graph is not None and not no_store else None
    if store_file is not None:
        with open_store(ladybug=store_file, read_only=True) as store:
            rows = run_query(store, name, given)
            if not rows:
                check_names(store, q, given)
    elif graph is not None:
        g = load_graph(graph)
        rows = run_query(g, name, given)
        if not rows:
            check_names(g, q, given)
    else:
        with open_store(ladybug=ladybug, neo4j=neo4j, user=user, password=password, database=database,
                        read_only=True) as store:
            rows = run_query(store, name, given)
            if not rows:
                check_names(store, q, given)
    _print_rows(rows, as_json, q.columns)


@click.command()
@click.argument("graph", type=GRAPH_FILE)
@_store_options
@click.option("--batch-size", default=DEFAULT_BATCH, show_default=True, help="Rows per Neo4j transaction.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: when standard error is a terminal, so logs stay clean).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def push(graph: str, ladybug: str | None, neo4j: str | None, user: str | None, password: str | None,
         database: str | None, batch_size: int, progress: bool | None, as_json: bool) -> None:
    """Load GRAPH (a graph.json) into LadybugDB or Neo4j, idempotently.

    Pushing the same graph twice changes nothing; a bigger graph adds only the difference.

    Examples: kg push build/graph.json --ladybug build/kg.lbdb;
    kg push build/graph.json --neo4j bolt://localhost:7687
    """
    g = load_graph(graph)
    if progress is None:
        progress = sys.stderr.isatty()
    neo4j = neo4j or _default_neo4j(ladybug)
    with open_store(ladybug=ladybug, neo4j=neo4j, user=user, password=password, database=database) as store:
        if neo4j is not None:
            store.batch_size = batch_size
        report = store.push(g, progress=progress)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(f"pushed {graph} to {store!r}: {report.summary()}")


@click.command()
@click.argument("text")
@_store_options
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter ($NAME in TEXT); read as JSON when it parses (5, true), else text.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of row objects.")
@click.option("--allow-io", is_flag=True,
              help="Allow statements that read or write files or reach the network (LOAD FROM, LOAD CSV, "
                   "COPY, INSTALL, ATTACH, IMPORT/EXPORT DATABASE, apoc.load...); refused by default.")
def cypher(text: str, ladybug: str | None, neo4j: str | None, user: str | None, password: str | None,
           database: str | None, params: tuple[str, ...], as_json: bool, allow_io: bool) -> None:
    """Run your own read-only Cypher TEXT on LadybugDB or Neo4j and print the rows.

    Statements that touch files or the network are refused unless --allow-io.

    Example: kg cypher "MATCH (m:Method) RETURN m.name AS name ORDER BY name LIMIT 5" --ladybug build/kg.lbdb
    """
    if not text.strip():
        raise QueryError("empty Cypher text; expected a statement such as 'MATCH (n) RETURN count(n)'")
    from kg.stores.ladybug import LadybugStore, refuse_io

    neo4j = neo4j or _default_neo4j(ladybug)
    if not allow_io:
        refuse_io(text)
    with open_store(ladybug=ladybug, neo4j=neo4j, user=user, password=password, database=database,
                    read_only=True) as store:
        values = {k: _cypher_value(v) for k, v in parse_pairs(params).items()}
        notes: list[str] = []
        if isinstance(store, LadybugStore):
            rows = store.run(text, values, allow_io=True)
        else:
            _quiet_driver_log()
            rows = store.run(text, values, notes=notes)
    _print_rows(rows, as_json)
    for note in notes:  # after the rows, on standard error: stdout stays the rows alone
        click.echo(f"note from Neo4j: {note}", err=True)


def _quiet_driver_log() -> None:
    """The Neo4j driver logs each server notification as a multi-line object dump at WARNING
    (Python prints it when nothing else handles logging); kg prints them itself, one line each."""
    import logging

    logger = logging.getLogger("neo4j.notifications")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


COMMANDS = [query, push, cypher]
