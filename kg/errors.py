"""Errors kg raises. Each message says what, where, what was expected and how to fix it.

::

    KgError
    ├── InputError          a file cannot be read or has no known format
    ├── SchemaError         a label, type or property key outside the schema
    ├── GraphFileError      a graph file is not kg's node-link JSON
    ├── QueryError          an unknown query name or a bad parameter
    ├── StoreError          a graph store (LadybugDB, Neo4j) refused or failed
    └── ExtractionError     a spaCy pipeline cannot be loaded or used

The CLI turns every :class:`KgError` into one line on standard error and exit code 2.

>>> str(InputError("refs.bib", 118, "entry 'smith2020' has year 'n.d.'; expected a 4-digit year"))
"refs.bib:118: entry 'smith2020' has year 'n.d.'; expected a 4-digit year"
"""

from __future__ import annotations

__all__ = [
    "ExtractionError",
    "GraphFileError",
    "InputError",
    "KgError",
    "QueryError",
    "SchemaError",
    "StoreError",
]


class KgError(Exception):
    """Base class of every error kg raises on purpose."""


class InputError(KgError):
    """A file that cannot be read: names the file, the line (when known) and the problem."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # pickled as its parts (a worker process's error is raised in the build's)
        return (type(self), (self.file, self.line, self.message))


class SchemaError(KgError):
    """A label, relationship type or property key that the schema does not have."""


class GraphFileError(KgError):
    """A graph file that is missing or not kg's NetworkX node-link JSON."""


class QueryError(KgError):
    """An unknown named query, or a missing or malformed parameter."""


class StoreError(KgError):
    """A graph store (LadybugDB or Neo4j) could not be reached or refused a statement."""


class ExtractionError(KgError):
    """A spaCy pipeline named by the user cannot be loaded or used."""
