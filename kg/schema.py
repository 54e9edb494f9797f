"""The graph schema: the only source of labels, relationship types and property keys.

Every store (NetworkX file, LadybugDB, Neo4j) and every Cypher text that kg writes takes
its identifiers from here and nowhere else: data never becomes a label, a relationship
type or a property key. Values always travel as parameters.

Property types are one of ``STRING``, ``INT64``, ``DOUBLE``, ``BOOL`` or ``STRING[]``.

>>> LABELS
('Paper', 'Author', 'Method', 'Dataset', 'Task', 'Repository', 'Venue')
>>> check_label("Paper")
'Paper'
>>> check_label("Paper) DETACH DELETE n //")
Traceback (most recent call last):
...
kg.errors.SchemaError: unknown label 'Paper) DETACH DELETE n //'; expected one of Paper, ...
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import SchemaError

STRING = "STRING"
INT64 = "INT64"
DOUBLE = "DOUBLE"
BOOL = "BOOL"
STRING_LIST = "STRING[]"

#: every node has a unique string key ``id``
KEY = "id"

NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Paper": {
        "id": STRING,
        "title": STRING,
        "abstract": STRING,
        "published": STRING,
        "year": INT64,
        "author_count": INT64,
        "upvotes": INT64,
        "arxiv_id": STRING,
        "doi": STRING,
        "openalex": STRING,
        "s2": STRING,
        "url": STRING,
        "stub": BOOL,
        "sources": STRING_LIST,
        "formats": STRING_LIST,
        "keywords": STRING_LIST,
        "notes": STRING_LIST,
        "merged_from": STRING_LIST,
        "field_sources": STRING_LIST,
        "conflicts": STRING_LIST,
        "metrics": STRING_LIST,
    },
    "Author": {
        "id": STRING,
        "name": STRING,
        "aliases": STRING_LIST,
        "orcid": STRING,
        "openalex": STRING,
        "s2": STRING,
        "affiliations": STRING_LIST,
        "sources": STRING_LIST,
        "merged_from": STRING_LIST,
    },
    "Method": {
        "id": STRING,
        "name": STRING,
        "aliases": STRING_LIST,
        "merged_from": STRING_LIST,
    },
    "Dataset": {
        "id": STRING,
        "name": STRING,
        "aliases": STRING_LIST,
        "merged_from": STRING_LIST,
    },
    "Task": {
        "id": STRING,
        "name": STRING,
        "aliases": STRING_LIST,
        "merged_from": STRING_LIST,
    },
    "Repository": {
        "id": STRING,
        "name": STRING,
        "host": STRING,
        "url": STRING,
    },
    "Venue": {
        "id": STRING,
        "name": STRING,
    },
}

LABELS: tuple[str, ...] = tuple(NODE_PROPERTIES)

#: properties that every extracted edge carries: the words as written (``text``), the sentence
#: they came from (``evidence``) and the ``file:line`` of the line that holds that sentence
EDGE_COMMON: dict[str, str] = {"text": STRING, "evidence": STRING, "provenance": STRING}


@dataclass(frozen=True)
class RelType:
    """A relationship type: its name, the (from label, to label) pairs, its properties."""

    name: str
    ends: tuple[tuple[str, str], ...]
    properties: dict[str, str]


RELATIONSHIPS: dict[str, RelType] = {
    r.name: r
    for r in (
        RelType("AUTHORED", (("Author", "Paper"),), {"position": INT64, "provenance": STRING}),
        RelType("CITES", (("Paper", "Paper"),), {**EDGE_COMMON}),
        RelType("USES_METHOD", (("Paper", "Method"),), {**EDGE_COMMON}),
        RelType("USES_DATASET", (("Paper", "Dataset"),), {**EDGE_COMMON}),
        RelType(
            "INTRODUCES", (("Paper", "Method"), ("Paper", "Dataset")), {**EDGE_COMMON}
        ),
        RelType("ADDRESSES", (("Paper", "Task"),), {**EDGE_COMMON}),
        RelType("HAS_CODE", (("Paper", "Repository"),), {**EDGE_COMMON}),
        RelType("PUBLISHED_IN", (("Paper", "Venue"),), {"provenance": STRING}),
    )
}

REL_TYPES: tuple[str, ...] = tuple(RELATIONSHIPS)

#: node-id prefix per label: ``paper:...``, ``method:...``
ID_PREFIX: dict[str, str] = {
    "Paper": "paper",
    "Author": "author",
    "Method": "method",
    "Dataset": "dataset",
    "Task": "task",
    "Repository": "repo",
    "Venue": "venue",
}


def check_label(label: str) -> str:
    """Return ``label`` if the schema has it, else raise :class:`SchemaError`."""
    if label not in NODE_PROPERTIES:
        raise SchemaError(
            f"unknown label {label!r}; expected one of {', '.join(LABELS)}"
        )
    return label


def check_rel_type(rel_type: str) -> str:
    """Return ``rel_type`` if the schema has it, else raise :class:`SchemaError`.

    >>> check_rel_type("CITES")
    'CITES'
    """
    if rel_type not in RELATIONSHIPS:
        raise SchemaError(
            f"unknown relationship type {rel_type!r}; expected one of {', '.join(REL_TYPES)}"
        )
    return rel_type


def check_property(label_or_type: str, key: str) -> str:
    """Return ``key`` if it is a property of the label or relationship type.

    >>> check_property("Paper", "title")
    'title'
    >>> check_property("CITES", "evidence")
    'evidence'
    """
    props = NODE_PROPERTIES.get(label_or_type)
    if props is None:
        props = RELATIONSHIPS[check_rel_type(label_or_type)].properties
    if key not in props:
        raise SchemaError(
            f"unknown property {key!r} of {label_or_type}; expected one of {', '.join(props)}"
        )
    return key
