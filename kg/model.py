"""The one record model that flows through every stage of kg.

read (loaders) -> extract (spaCy) -> resolve (rapidfuzz) -> build (NetworkX)

Every stage takes and returns these frozen records; a stage changes a record with
:func:`dataclasses.replace`, never in place.

* :class:`Paper` - one record of a paper as a source gave it, with its :class:`Source`.
* :class:`Author`, :class:`Citation`, :class:`Mention` - parts of a paper.
* :class:`Quarantined` - text that is not a record of any known format, with its reason.

>>> p = Paper(title="Attention Is All You Need", source=Source("a.txt", 3), format="demo")
>>> str(p.source)
'a.txt:3'
>>> replace(p, year=2017).year
2017
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "Author",
    "Citation",
    "Mention",
    "Merge",
    "Paper",
    "Quarantined",
    "Source",
    "replace",
]


@dataclass(frozen=True, slots=True, order=True)
class Source:
    """Where a record came from: a file and a 1-based line number.

    >>> str(Source("seeds/000.txt", 12))
    'seeds/000.txt:12'
    """

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Author:
    """An author of a paper as the source names them; ``position`` is 1-based."""

    name: str
    position: int
    orcid: str | None = None
    openalex: str | None = None
    s2: str | None = None
    affiliations: tuple[str, ...] = ()
    id: str | None = None  # set by resolution


@dataclass(frozen=True, slots=True)
class Citation:
    """A work that a paper cites.

    From an abstract: an author-year citation (``surnames``, ``year``, ``et_al``, ``text``,
    ``evidence``). From a reference list: whatever identifiers the source gives
    (``doi``, ``arxiv_id``, ``openalex``, ``s2``, ``title``). ``target`` is the id of the
    Paper node it resolves to, set by resolution.

    >>> Citation(surnames=("Fu",), year=2018, et_al=True, text="Fu et al., 2018").year
    2018
    """

    surnames: tuple[str, ...] = ()
    year: int | None = None
    et_al: bool = False
    text: str = ""
    evidence: str = ""
    title: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    openalex: str | None = None
    s2: str | None = None
    source: Source | None = None
    target: str | None = None  # set by resolution


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity (Method, Dataset, Task, Metric or Repository) that a paper mentions.

    ``name`` is the display name (the gazetteer's name when known), ``text`` the surface
    form as written, ``evidence`` the sentence it came from, ``introduces`` whether the
    paper proposes it. ``origin`` says what found it: ``gazetteer``, ``pattern``,
    ``acronym``, ``url``, ``model:<pipeline name>`` or ``source`` (given by the metadata).
    ``source`` is the ``file:line`` of the line that holds the evidence sentence (set by
    extraction when the loader says where the abstract starts, else the record's line).
    A Metric is not a node: its names become the paper's ``metrics`` property.
    ``id`` is the node id, set by resolution.
    """

    label: str
    name: str
    text: str = ""
    evidence: str = ""
    introduces: bool = False
    aliases: tuple[str, ...] = ()
    url: str | None = None
    host: str | None = None
    origin: str = "pattern"
    source: Source | None = None  # the paper record it came from, set by resolution
    id: str | None = None  # set by resolution


@dataclass(frozen=True, slots=True)
class Paper:
    """One record of a paper, as one source gave it.

    ``published`` is an ISO date (``2024-01-03``), a year-month (``2024-01``) or a year;
    ``notes`` explain anything inferred (for example a year the listing omitted).
    ``abstract_line`` is the line of ``source.file`` on which the abstract starts, when it
    is not the record's own line (a listing prints the title on one line, the abstract on
    the next): extraction points each mention at the line that holds its sentence.
    ``id`` and ``sources`` are set by resolution: the node id and every ``file:line``
    that the merged node came from.
    """

    title: str
    source: Source
    format: str
    abstract: str = ""
    published: str | None = None
    year: int | None = None
    author_count: int | None = None
    upvotes: int | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    openalex: str | None = None
    s2: str | None = None
    url: str | None = None
    venue: str | None = None
    authors: tuple[Author, ...] = ()
    citations: tuple[Citation, ...] = ()
    mentions: tuple[Mention, ...] = ()
    keywords: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    stub: bool = False
    abstract_line: int | None = None
    id: str | None = None  # set by resolution
    sources: tuple[Source, ...] = ()  # set by resolution
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Merge:
    """Why one record or name became part of a node: kept on the node as ``merged_from``.

    >>> str(Merge("Paper", "paper:t:x", "b.txt:9", 100.0, "same normalised title"))
    'b.txt:9 (same normalised title; score 100.0)'
    """

    label: str
    into: str
    member: str
    score: float
    reason: str

    def __str__(self) -> str:
        return f"{self.member} ({self.reason}; score {self.score:.1f})"


@dataclass(frozen=True, slots=True)
class Quarantined:
    """Text that could not be read as a record, kept with where it was and why.

    >>> q = Quarantined(Source("x.txt", 4), "expected a title line", "???")
    >>> q.as_dict()["file"], q.as_dict()["line"]
    ('x.txt', 4)
    """

    source: Source
    reason: str
    text: str
    format: str | None = None  # the file's format, when it was recognised
    file_failed: bool = False  # the file could not be read (further): the reason says why

    def as_dict(self) -> dict[str, Any]:
        """The JSON object written to ``quarantine.jsonl`` (``file_failed`` only when true)."""
        out = {
            "file": self.source.file,
            "line": self.source.line,
            "format": self.format,
            "reason": self.reason,
            "text": self.text,
        }
        if self.file_failed:
            out["file_failed"] = True
        return out
