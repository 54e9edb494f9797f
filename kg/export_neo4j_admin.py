"""CSV files for ``neo4j-admin database import full``: the bulk path into Neo4j for big graphs.

``kg push --neo4j`` writes through transactions (tens of thousands of rows a second);
``neo4j-admin database import full`` builds a new database from CSV files offline, for
graphs of millions of nodes. :func:`export_neo4j_admin` writes those files in the format of
Neo4j's import tool (operations manual, "Import" / "CSV header format"):

* one ``nodes_<Label>.csv`` per label and one ``relationships_<TYPE>.csv`` per type, each
  with its header row; the label or type is given on the command line
  (``--nodes=Paper=nodes_Paper.csv``);
* node keys are the ``:ID`` column, stored as the property ``id`` (kg keys are unique across
  labels, so one ID space); relationships are ``:START_ID``, ``:END_ID``;
* typed columns from :mod:`kg.schema`: ``year:long``, ``stub:boolean``, ``sources:string[]``;
* every text value is quoted (``"``, a quote inside doubled), so commas, quotes, backslashes
  and newlines (``--multiline-fields=true``) pass unchanged; an absent value is an empty,
  unquoted field (no property); list elements are joined by an array delimiter that occurs
  in none of them (``;`` when possible), named in the command;
* rows in key order: the same graph gives the same bytes.

>>> import networkx as nx, tempfile
>>> g = nx.MultiDiGraph()
>>> g.add_node("paper:t:a", label="Paper", title='Say "hi", all', year=2024, sources=["a.txt:1", "b.txt:2"])
>>> g.add_node("method:lora", label="Method", name="LoRA")
>>> _ = g.add_edge("paper:t:a", "method:lora", key="USES_METHOD", type="USES_METHOD", evidence="x")
>>> result = export_neo4j_admin(g, tempfile.mkdtemp())
>>> print((result.folder / "nodes_Paper.csv").read_text(), end="")
id:ID,title:string,year:long,sources:string[]
"paper:t:a","Say ""hi"", all",2024,"a.txt:1;b.txt:2"
>>> print((result.folder / "relationships_USES_METHOD.csv").read_text(), end="")
:START_ID,:END_ID,evidence:string
"paper:t:a","method:lora","x"
>>> print(result.command)  # doctest: +ELLIPSIS
neo4j-admin database import full neo4j --overwrite-destination --multiline-fields=true ...
"""

from __future__ import annotations

import os
import shlex
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import KgError
from kg.schema import BOOL, DOUBLE, INT64, KEY, NODE_PROPERTIES, RELATIONSHIPS, STRING_LIST
from kg.stores.cypher import node_rows, rel_rows

__all__ = ["ARRAY_DELIMITERS", "Neo4jAdminExport", "export_neo4j_admin", "header_type"]

#: array delimiters tried in turn: the first that occurs in no list element is used
ARRAY_DELIMITERS = (";", "|", "\u001f", "\u241f", "\u2063")
_TYPES = {INT64: "long", DOUBLE: "double", BOOL: "boolean", STRING_LIST: "string[]"}


class Neo4jAdminExportError(KgError):
    """The graph cannot be written in the import tool's format."""


@dataclass
class Neo4jAdminExport:
    """What :func:`export_neo4j_admin` wrote: the folder, the files, and the command to run."""

    folder: Path
    nodes: dict[str, Path] = field(default_factory=dict)
    relationships: dict[str, Path] = field(default_factory=dict)
    array_delimiter: str = ";"
    database: str = "neo4j"
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def command(self) -> str:
        """``neo4j-admin database import full ...`` for these files (run with the database stopped)."""
        return " ".join(shlex.quote(p) for p in self.arguments)

    @property
    def arguments(self) -> list[str]:
        """:attr:`command` as a list of arguments, the first being ``neo4j-admin``."""
        delimiter = self.array_delimiter
        if not delimiter.isprintable() or delimiter.isspace() or ord(delimiter) > 127:
            delimiter = f"U+{ord(delimiter):04X}"
        parts = ["neo4j-admin", "database", "import", "full", self.database, "--overwrite-destination",
                 "--multiline-fields=true", f"--array-delimiter={delimiter}"]
        parts += [f"--nodes={label}={path}" for label, path in self.nodes.items()]
        parts += [f"--relationships={rel}={path}" for rel, path in self.relationships.items()]
        return parts


def header_type(schema_type: str) -> str:
    """The import tool's column type for a :mod:`kg.schema` type (``string`` when not listed).

    >>> header_type("INT64"), header_type("STRING[]"), header_type("STRING")
    ('long', 'string[]', 'string')
    """
    return _TYPES.get(schema_type, "string")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell(value: Any, schema_type: str, delimiter: str) -> str:
    if value is None:
        return ""
    if schema_type == STRING_LIST:
        items = [str(v) for v in value]
        return _quote(delimiter.join(items)) if items else ""
    if schema_type == BOOL:
        return "true" if value else "false"
    if schema_type in (INT64, DOUBLE):
        return repr(value) if isinstance(value, float) else str(int(value))
    return _quote(str(value))


def _choose_delimiter(graph: nx.MultiDiGraph) -> str:
    used: set[str] = set()
    for _, data in graph.nodes(data=True):
        for value in data.values():
            if isinstance(value, list | tuple | set | frozenset):
                used.update(c for v in value for c in str(v) if c in ARRAY_DELIMITERS)
    for delimiter in ARRAY_DELIMITERS:
        if delimiter not in used:
            return delimiter
    raise Neo4jAdminExportError(
        "every candidate array delimiter occurs inside a list value; cannot write string[] columns"
    )


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for row in rows:
            out.write(",".join(row) + "\n")


def export_neo4j_admin(
    graph: nx.MultiDiGraph, out: str | os.PathLike, *, database: str = "neo4j"
) -> Neo4jAdminExport:
    """Write ``graph`` as import-tool CSV files into the folder ``out``; return what was written.

    The files are written in a temporary folder beside ``out`` and moved in at the end, so a
    killed export leaves no half-written file in ``out``. The properties must be in the schema
    (else :class:`~kg.errors.SchemaError`), as for ``kg push``.
    """
    folder = Path(out)
    folder.parent.mkdir(parents=True, exist_ok=True)
    delimiter = _choose_delimiter(graph)
    result = Neo4jAdminExport(folder.resolve(), array_delimiter=delimiter, database=database)
    nodes = node_rows(graph)
    rels = rel_rows(graph)
    with tempfile.TemporaryDirectory(prefix=f".{folder.name}-", dir=folder.parent) as tmp:
        staged: list[tuple[Path, Path]] = []
        for label, rows in nodes.items():
            if not rows:
                continue
            schema = NODE_PROPERTIES[label]
            keys = [k for k in schema if k != KEY and any(k in r.props for r in rows)]
            header = [f"{KEY}:ID"] + [f"{k}:{header_type(schema[k])}" for k in keys]
            lines = [[_quote(r.id)] + [_cell(r.props.get(k), schema[k], delimiter) for k in keys]
                     for r in rows]
            name = f"nodes_{label}.csv"
            _write(Path(tmp) / name, header, lines)
            staged.append((Path(tmp) / name, folder / name))
            result.nodes[label] = result.folder / name
            result.counts[label] = len(rows)
        by_type: dict[str, list] = {}
        for (rel, _src, _dst), rows in rels.items():
            by_type.setdefault(rel, []).extend(rows)
        for rel, rows in by_type.items():
            schema = RELATIONSHIPS[rel].properties
            rows.sort(key=lambda r: (r.src, r.dst))
            keys = [k for k in schema if any(k in r.props for r in rows)]
            header = [":START_ID", ":END_ID"] + [f"{k}:{header_type(schema[k])}" for k in keys]
            lines = [[_quote(r.src), _quote(r.dst)]
                     + [_cell(r.props.get(k), schema[k], delimiter) for k in keys] for r in rows]
            name = f"relationships_{rel}.csv"
            _write(Path(tmp) / name, header, lines)
            staged.append((Path(tmp) / name, folder / name))
            result.relationships[rel] = result.folder / name
            result.counts[rel] = len(rows)
        folder.mkdir(exist_ok=True)
        for old in [*folder.glob("nodes_*.csv"), *folder.glob("relationships_*.csv")]:
            old.unlink()  # files of an earlier export that this graph no longer has
        for source, target in staged:
            os.replace(source, target)
    return result
