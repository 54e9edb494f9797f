"""Which paper records are the same paper.

:func:`cluster_papers` is the one matcher: the pipeline and ``kg dedupe`` both use it.

How two records become one, strongest evidence first:

1. **Identifiers**: the same DOI, arXiv id (without version), OpenAlex or Semantic Scholar
   id. Two different DOIs or arXiv ids never merge, whatever their titles say.
2. **Title, corroborated**: titles are compared in their normal form
   (:func:`kg.ids.normalize_title`, HTML entities decoded) with rapidfuzz, inside blocks
   (rare title words, first author + year, exact title) so the work grows near-linearly.
   A score alone is not enough: many different papers share most of their title words.

   * years more than one apart, or author lists with nobody in common -> never;
   * titles whose distinctive tokens differ (numbers, "II", "v2", digits glued in a name,
     "S2Edit" / "S5Edit", a variant suffix, a different name before the colon) -> never;
   * a near-exact title (ratio >= 97) merges when nothing above disagrees; a short title
     that recurs in the input ("Book reviews", "Editorial") also needs shared authors or
     the same year and venue, and merges only when the match is unambiguous;
   * a looser title (ratio >= 85, shuffled or contained words) needs the same year,
     clearly the same authors, few unmatched words, the name before a colon on both sides,
     and must be the best match of both records (neither having an exact twin); with a lone
     author of one record among a team on the other, every word of the shorter title must
     be in the longer (and shuffled words may add none);
   * author lists are read to the 12th name; two whole lists of 4+ people with nobody in
     common are two works even under one long title.

   Records without authors or year (listing pages) therefore merge only on a near-exact
   title. Clusters are built with union-find; a merge that would put two different DOIs
   in one cluster is refused.
3. **A scorer where the rules are unsure**: a logistic regression over the pair's evidence
   (:func:`_pair_features`; weights in data/paper_scorer.json, refitted by
   benchmarks/fit_dedupe_scorer.py) confirms or refuses each looser match the rules find,
   and may merge a pair they refused on its title's wording alone (the same people, nothing
   that makes two works); everything "never" above stays final (see :func:`_unsure`).

Every merge is a :class:`PaperMatch` with its score and a human reason (see
:func:`cluster_papers` for an example).
"""

from __future__ import annotations

import csv
import functools
import gzip
import html
import io
import itertools
import json
import math
import os
import re
import sys
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from tqdm import tqdm

from kg.errors import InputError
from kg.ids import normalize_arxiv_id, normalize_doi, normalize_text, normalize_title
from kg.model import Author, Paper, Quarantined, Source
from kg.resolve.authors import (
    _PLAIN_NAME,
    _PLAIN_STOP,
    _SUFFIX_WORDS,
    PersonName,
    _parse_plain,
    given_compatible,
    names_compatible,
    parse_name,
)
from kg.runner import gc_paused

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_ASCII_NON_WORD_TO_SPACE = {c: " " for c in range(128) if not re.match(r"\w", chr(c))}
#: the same as a table of bytes (``bytes.translate`` looks each byte up in C)
_ASCII_NON_WORD_BYTES = bytes(32 if c in _ASCII_NON_WORD_TO_SPACE else c for c in range(256))

__all__ = [
    "DedupeSummary",
    "IdConflict",
    "MatchResult",
    "PaperMatch",
    "cluster_papers",
    "dedupe_file",
    "match_pair",
    "match_papers",
    "quarantine_path",
    "read_records",
    "record_from_row",
    "venues_compatible",
]

#: words too common to say anything about which paper a title names
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "and",
        "or",
        "in",
        "on",
        "at",
        "to",
        "with",
        "by",
        "from",
        "into",
        "via",
        "using",
        "toward",
        "towards",
        "is",
        "are",
        "be",
        "as",
        "its",
        "their",
        "our",
        "we",
        "how",
        "what",
        "why",
        "when",
        "do",
        "does",
        "can",
        "not",
        "no",
        "vs",
        "versus",
        "s",
    ]
)
_ROMAN = frozenset(["ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii"])
_PART_WORDS = frozenset(["part", "vol", "volume", "chapter", "section", "no", "number", "issue"])
_ROMAN_OR_PART = _ROMAN | _PART_WORDS
#: a title with one of these words and one without are two works ("Erratum: X" is not "X")
_KIND_WORDS = frozenset(
    [
        "erratum",
        "errata",
        "corrigendum",
        "corrigenda",
        "correction",
        "corrections",
        "addendum",
        "retraction",
        "retracted",
        "reply",
        "rejoinder",
        "comment",
        "comments",
        "commentary",
        "discussion",
        # a demo of a paper's system is another item than the paper
        "demo",
        "demonstration",
    ]
)
#: author "names" that are organisations; they say little about who wrote a paper
_ORG = re.compile(
    r"\b(?:corporate|team|group|consortium|university|univ|institute|laboratory|inc|corp|"
    r"corporation|committee|project|association|society|council|foundation|department|collaboration)\b",
    re.I,
)
#: a number: "12", "4th", "sql3", "v2", "raid5" (not "b2b", "p2p")
_NUMBER = re.compile(r"^[a-z]*?(\d+)(?:st|nd|rd|th)?$")
_NUMBERED = re.compile(r"^(\d+)([a-z]{1,2})$")
_YEARISH = re.compile(r"^(?:19|20)\d\d$")
_HAS_DIGIT = re.compile(r"\d")
_NOTHING: frozenset[str] = frozenset()
#: number words, so "The 4th Workshop" and "The fourth workshop" agree
_NUMBER_WORDS = {
    w: str(n)
    for n, pair in enumerate(
        [
            "",
            "one first",
            "two second",
            "three third",
            "four fourth",
            "five fifth",
            "six sixth",
            "seven seventh",
            "eight eighth",
            "nine ninth",
            "ten tenth",
        ]
    )
    for w in pair.split()
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: front-matter words: a title made only of these ("Guest Editor's Introduction", "Chair's
#: Message", "Book Reviews") names a column that recurs in every volume, not one paper
_FRONT_MATTER = _words(
    "editorial editorials editor editors guest introduction foreword preface prefaces notes "
    "note message messages chair chairs chairman letter letters report reports review "
    "reviews book books index contents abstracts news column announcement announcements call "
    "papers panel keynote tutorial overview acknowledgment acknowledgments acknowledgement "
    "acknowledgements reviewers referees title front matter president presidents remarks "
    "opening closing welcome session summary reminiscences influential in memoriam obituary"
)
#: the first this many authors of a record are compared (enough to say who wrote it; a scraped
#: record that names two or three people of a long list often names the last ones, and demo
#: and system papers have ten or twelve authors)
AUTHORS_COMPARED = 12
#: a window of this many neighbours (in title order) is searched in each blocking key
WINDOW = 12
#: how many of a record's rarest title words it looks its candidates up by
RARE_KEYS = 3
#: a title pair below both scores is not looked at further (the cheap bulk test)
PREFILTER_RATIO = 75
PREFILTER_WORDS = 80


@dataclass(frozen=True, slots=True)
class PaperMatch:
    """Record ``member`` joins the cluster of record ``kept`` (indexes into the input)."""

    kept: int
    member: int
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class IdConflict:
    """Records ``a`` and ``b`` read as one paper (``score``, ``reason``) but carry different
    identifiers (``kind``: "doi" or "arxiv id"; ``values`` in the order a, b): they are kept
    apart, side by side, and reported rather than one identifier silently winning.

    ``via`` is ``None`` when the two records themselves matched; otherwise the pair of
    records whose match would have joined the clusters of ``a`` and ``b``.
    """

    a: int
    b: int
    kind: str
    values: tuple[str, str]
    score: float
    reason: str
    via: tuple[int, int] | None = None


@dataclass(slots=True)
class MatchResult:
    """What :func:`match_papers` found: cluster labels, merges and how much work it took.

    ``comparisons`` counts the candidate record pairs the blocking produced (each gets a
    bulk title score); ``refused`` those that passed it but were refused in bulk on years or
    authors alone (see :class:`_BulkRefusal`); ``judged`` the rest, judged on all evidence;
    ``pairs`` (when asked for) the candidate pairs as ``i * n + j`` codes (``i < j``), so a
    benchmark can measure the recall of the blocking itself; ``conflicts`` the matches
    refused because the records carry different identifiers (see :class:`IdConflict`).
    """

    labels: list[int]
    matches: list[PaperMatch]
    comparisons: int = 0
    blocks: int = 0
    judged: int = 0
    pairs: Any = None
    conflicts: list[IdConflict] = field(default_factory=list)
    refused: int = 0


class _Rec:
    """A record in comparable form; authors and venue are parsed only when a pair needs them."""

    __slots__ = ("title", "raw", "content", "year", "raw_authors", "raw_venue", "ids",
                 "_tokens", "_special", "_prefix", "_authors", "_venue", "_compact", "_segs")

    def __init__(self, title: str, raw_title: str, year: int | None, raw_authors: Any,
                 raw_venue: str | None, ids: dict[str, str]) -> None:
        self.title = title
        self.raw = raw_title
        # a sorted tuple of interned words, not a set of copies: a million records' word
        # sets would cost a third of the memory
        # (interned after the set is made: each distinct word once)
        self.content = tuple(map(sys.intern, sorted(set(title.split()) - STOPWORDS)))
        self.year = year
        self.raw_authors = raw_authors
        self.raw_venue = raw_venue
        self.ids = ids
        self._authors: tuple[PersonName, ...] | None = None
        self._venue: tuple[str, ...] | None = None
        self._tokens: tuple[str, ...] | None = None
        self._special: frozenset[str] | None = None
        self._prefix: str | None = None
        self._compact: str | None = None
        self._segs: list[str] | None = None

    @property
    def compact(self) -> str:
        """The title without spaces ("the casefor" ~ "the case for")."""
        if self._compact is None:
            self._compact = self.title.replace(" ", "")
        return self._compact

    @property
    def tokens(self) -> tuple[str, ...]:
        if self._tokens is None:
            self._tokens = tuple(map(sys.intern, self.title.split()))  # words shared, not copied
        return self._tokens

    @property
    def special(self) -> frozenset[str]:
        """Numbers, roman numerals, parts (see :func:`_special`)."""
        if self._special is None:
            self._special = _special(self.tokens)
        return self._special

    @property
    def prefix(self) -> str:
        """The name before a colon ("zia" in "ZIA: A Theoretical ..."), or ""."""
        if self._prefix is None:
            self._prefix = ""
            if ":" in self.raw:
                head = _norm_title(self.raw.split(":", 1)[0])
                if head and len(head.split()) <= 3:
                    self._prefix = head
        return self._prefix

    @property
    def authors(self) -> tuple[PersonName, ...]:
        if self._authors is None:
            raw = self.raw_authors
            self._authors = _parsed_authors(tuple(raw) if isinstance(raw, list) else raw)
        return self._authors

    @property
    def venue(self) -> tuple[str, ...]:
        if self._venue is None:
            self._venue = _venue_tokens(self.raw_venue)
        return self._venue


@functools.lru_cache(maxsize=1 << 21)
def _parsed_authors(raw: Any) -> tuple[PersonName, ...]:
    """The first ``AUTHORS_COMPARED`` person names of an author field (cached: copies of a
    record, and the papers of one team, repeat the same field)."""
    # (a PersonName is never false: filter(None) keeps every name that is not None)
    return tuple(filter(None, map(_person, _author_names(raw)[:AUTHORS_COMPARED])))


@functools.lru_cache(maxsize=1 << 21)
def _person(name: str) -> PersonName | None:
    """A person's parsed name, ``None`` for an organisation or noise (cached: a name recurs).

    What ``_parse_name(name) if _person_like(name) else None`` says; a plain name (see
    ``kg.resolve.authors._PLAIN_NAME``, most names) is lower-cased and split once for both
    tests (tested equal in tests/kg/resolve/test_papers_fast.py)."""
    # parse_name's own cache is passed by: this one already holds each name once
    if _PLAIN_NAME.fullmatch(name):
        low = name.lower()
        if _PLAIN_STOP.isdisjoint([w.strip(".") for w in low.replace(",", " ").split()]):
            if low.count(".") <= 1:  # _PLAIN_PERSON holds: _person_like's word test
                words = low.replace("-", " ").replace(",", " ").replace(".", " ").split()
                if "et" not in words and "www" not in low:
                    return _parse_plain(name) if _NOT_PERSON_WORDS.isdisjoint(words) else None
            return None if _NOT_A_PERSON.search(name) else _parse_plain(name)
    return _parse_name(name) if _person_like(name) else None


_parse_name = parse_name.__wrapped__


def _norm_title(raw: str) -> str:
    """A title's comparison form: HTML entities decoded, mojibake repaired (ftfy), then
    :func:`kg.ids.normalize_title`. Pure-ASCII titles (most) take a fast path."""
    if "&" in raw:
        raw = html.unescape(raw)
    if raw.isascii():
        if "$" in raw:
            return normalize_title(raw)
        # every ASCII character that is not a word character becomes a space, runs of
        # spaces one (what the regular expression ``[^\w]+`` -> " " does, in C)
        # (on the bytes of the title: the same characters, looked up in a table)
        title = b" ".join(raw.encode().lower().translate(_ASCII_NON_WORD_BYTES).split()).decode()
        return title.replace("_", " ").strip() if "_" in title else title
    return normalize_title(_repair(raw))


def _repair(text: str) -> str:
    """Mojibake repaired ("BÃ¶hm" -> "Böhm") when the text shows signs of it."""
    if any(c in text for c in "ÃÂâÅ"):
        import ftfy

        return ftfy.fix_text(text)
    return text


#: a citation's year in brackets at the end of a title ("Fast Algorithms for Mining
#: Association Rules. (1994)")
_TITLE_YEAR = re.compile(r"^(.*\w)[\s.,;:]*[(\[]\s*((?:1[89]|20)\d\d)\s*[)\]][\s.]*$")


#: a citation's year in front of a title, in brackets and after initials at most ("J. (1997):
#: On-Line View Maintenance", "(1994) Fast Algorithms ..."), or bare and ended by a full stop
#: ("1995. The hB-Tree: ...")
_LEAD_YEAR = re.compile(
    r"^\s*(?:[A-Za-z]{1,2}\.\s*)*(?:[(\[]\s*((?:1[89]|20)\d\d)\s*[)\]]\s*[:.]?|((?:1[89]|20)\d\d)\s*\.)\s*(\w.*)$")


def _record(title: str | None, year: Any, authors: Any, venue: str | None, ids: dict[str, str]) -> _Rec:
    raw = title or ""
    when = _year(year)
    if when is None and raw.endswith((")", "]", ").", "].", ") .", "] .")):
        # a record without a year whose title ends in a year in brackets: a scraped
        # citation glued its year to the title, as citation strings of any field do
        m = _TITLE_YEAR.match(raw)
        if m:
            raw, when = m.group(1), int(m.group(2))
    if when is None and ("(" in raw[:12] or "[" in raw[:12] or raw[:4].isdigit()) and (
            m := _LEAD_YEAR.match(raw)):
        # a citation's year in front of its title, after the authors' initials: the same
        # scraped citation string written in the author-year style ("J. (1997): On-Line ...")
        raw, when = m.group(3), int(m.group(1) or m.group(2))
    return _Rec(_norm_title(raw), raw, when, authors, venue, ids)


def _paper_ids(doi: Any, arxiv_id: Any, openalex: Any, s2: Any) -> dict[str, str]:
    ids: dict[str, str] = {}
    if doi and (d := normalize_doi(str(doi))):
        ids["doi"] = d
    if arxiv_id and (a := normalize_arxiv_id(str(arxiv_id))):
        ids["arxiv id"] = a
    if openalex and str(openalex).strip():
        ids["openalex id"] = str(openalex).strip().rsplit("/", 1)[-1].upper()
    if s2 and str(s2).strip():
        ids["semantic scholar id"] = str(s2).strip()
    return ids or _NO_IDS


_NO_IDS: dict[str, str] = {}  # shared by every record without identifiers (never changed)


def _features(p: Paper) -> _Rec:
    year: Any = p.year
    if year is None and p.published:
        year = p.published[:4]
    return _record(p.title, year, [a.name for a in p.authors], p.venue,
                   _paper_ids(p.doi, p.arxiv_id, p.openalex, p.s2))


_NON_PERSON = re.compile(
    r"\d|[a-z]\.[a-z]{2,}\.[a-z]|www|https?:|"
    r"\b(?:anthology|edition|proceedings|proc|press|record|journal|conference|workshop|et al)\b",
    re.I,
)


def _person_like(name: str) -> bool:
    """An author string that can be a person: no digits, web addresses, publication words
    or organisations (scraped records put "Proc. 2002", "portal.acm.org" or "et al" in the
    author field)."""
    if _PLAIN_PERSON.fullmatch(name):
        # letters, spaces, hyphens, commas and at most one dot: the expression below can
        # only match one of its words (no digit, address or dotted name is possible)
        words = name.lower().replace("-", " ").replace(",", " ").replace(".", " ").split()
        if "et" not in words and "www" not in name.lower():
            return _NOT_PERSON_WORDS.isdisjoint(words)
    return not _NOT_A_PERSON.search(name)


_PLAIN_PERSON = re.compile(r"[A-Za-z ,\-]*\.?[A-Za-z ,\-]*")


_NOT_A_PERSON = re.compile(f"{_ORG.pattern}|{_NON_PERSON.pattern}", re.I)
#: the words of those two expressions (their ``\b(?:...)\b`` groups)
_NOT_PERSON_WORDS = frozenset(
    w for p in (_ORG.pattern, _NON_PERSON.pattern) for g in re.findall(r"\\b\(\?:([^)]*)\)", p)
    for w in g.split("|") if " " not in w
)


_INITIALS_ONLY = re.compile(r"^\s*(?:[A-Z]\.?[\s-]*){1,4}\s*$")


def _author_names(value: Any) -> list[str]:
    """Author names from a list, or a string separated by ``;`` (else ``,``, "and", "&").

    A comma list of "Surname, Initials" pairs ("Vaswani, A., Shazeer, N.") is paired up again.

    >>> _author_names("Vaswani, A., Shazeer, N.")
    ['Vaswani, A.', 'Shazeer, N.']
    >>> _author_names("Jacob Devlin, Ming-Wei Chang and Kenton Lee")
    ['Jacob Devlin', 'Ming-Wei Chang', 'Kenton Lee']
    >>> _author_names("Devlin J, Chang MW")
    ['Devlin J', 'Chang MW']
    >>> _author_names("Gat, I. and Shaul, N. and Singer, Uriel")  # BibTeX's form
    ['Gat, I.', 'Shaul, N.', 'Singer, Uriel']
    >>> _author_names("Silva-Rodríguez, J. and Di Poce, G. and Ismail Ben Ayed")  # forms mixed
    ['Silva-Rodríguez, J.', 'Di Poce, G.', 'Ismail Ben Ayed']
    >>> _author_names("Silva-Rodríguez, J., Dolz, J., Ismail Ben Ayed")
    ['Silva-Rodríguez, J.', 'Dolz, J.', 'Ismail Ben Ayed']
    >>> _author_names("A. Smith, B. Jones and C. Brown")
    ['A. Smith', 'B. Jones', 'C. Brown']
    """
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip(" ?.")]
    if not value:
        return []
    text = str(value)
    if "&" in text:
        text = html.unescape(text)  # "Lud&#228;scher": the ';' is not a separator
    if text.endswith(_ELLIPSIS_ENDS):
        text = _ELLIPSIS.sub("", text)  # "j chen…": the list goes on, the name is whole
    # BibTeX's form, "Gat, I. and Shaul, N. and Singer, Uriel": "and" between every two names,
    # each written "Surname, Given names" (a list of names with commas between them ends with
    # a name without one: "A. Smith, B. Jones and C. Brown")
    # (some names may be written "Given Surname": "Dolz, J. and Ismail Ben Ayed")
    bibtex = _BIBTEX_AND.split(text) if " and " in text and ";" not in text else ()
    if ";" in text:
        parts = text.split(";")
    elif bibtex and (all(p.count(",") == 1 for p in bibtex) or all(
            p.count(",") == 0 or (p.count(",") == 1 and _surname_first(p)) for p in bibtex)):
        parts = bibtex
    else:
        # only commas to split at (most lists): str.split says what the expression says
        parts = text.split(",") if "and" not in text and "&" not in text else _AUTHOR_SEP.split(text)
        if len(parts) >= 2 and any(_INITIALS_ONLY.match(p) for p in parts[1:]):
            # initials alone are nobody's whole name: they belong to the surname before them
            # ("Vaswani, A., Shazeer, N."; "Dolz, J., Ismail Ben Ayed")
            joined: list[str] = []
            for p in parts:
                if (joined and _INITIALS_ONLY.match(p) and "," not in joined[-1]
                        and len(joined[-1].split()) <= 2
                        and all(len(w.strip(".")) > 1 for w in joined[-1].split())):  # a surname alone
                    joined[-1] = f"{joined[-1].strip()}, {p.strip()}"
                else:
                    joined.append(p)
            parts = joined
    # a suffix split off by a comma ("R. J. Bayardo, Jr., W. Bohrer") is not an author
    return [q for p in parts if (q := p.strip()).strip(" ?.")
            and (len(q) > 6 or q.strip(" .").lower() not in _SUFFIX_WORDS)]


def _surname_first(name: str) -> bool:
    """Whether "X, Y" reads as "Surname, Given names": X one word, or particles and one word
    ("Di Poce", "van der Berg"); "Jacob Devlin, Ming-Wei Chang" is two names."""
    words = name.split(",", 1)[0].split()
    return bool(words) and all(w.lower() in _PARTICLES for w in words[:-1]) and "." not in words[-1]


#: the small words before a surname ("van der Berg", "Di Poce", "de la Cruz")
_PARTICLES = frozenset(
    ["van", "von", "der", "den", "de", "di", "da", "del", "della", "des", "du", "la", "le", "dos", "das",
     "ter", "ten", "st"]
)
_AUTHOR_SEP = re.compile(r",|\s+and\s+|\s+&\s+")
_BIBTEX_AND = re.compile(r"\s+and\s+")
#: an author list cut short with an ellipsis ("and others"), as written or in mojibake:
#: "…", "...", "â€¦" (UTF-8 read as cp1252), "â ? ¦" (its unprintable byte lost)
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.|â€¦|â\s*\S?\s*¦)\s*$")
_ELLIPSIS_ENDS = ("…", "...", "¦")


def _year(value: Any) -> int | None:
    """A year from any numeric form: 1997, "1997", "1997.0", "2019-05-03", "May 2001".

    >>> [_year(v) for v in (1997, "1997.0", "2019-05-03", "May 2001", None, "n.d.", 12)]
    [1997, 1997, 2019, 2001, None, None, None]
    """
    if value is None:
        return None
    if isinstance(value, (int, float)):
        y = int(value)
        return y if 1000 <= y <= 2999 else None
    m = _YEAR_RE.search(str(value))
    return int(m.group(1)) if m else None


_YEAR_RE = re.compile(r"(?<!\d)(1\d\d\d|2\d\d\d)(?!\d)")


def _special(tokens: Sequence[str]) -> frozenset[str]:
    """Numbers (also inside words: ``sql3``, ``v2``), roman numerals and "part i" markers."""
    if _ROMAN_OR_PART.isdisjoint(tokens) and not any(map(_HAS_DIGIT.search, tokens)):
        return _NOTHING  # most titles: no digit, numeral or part word
    out: set[str] = set()
    for k, t in enumerate(tokens):
        if m := _NUMBER.match(t):
            out.add(str(int(m.group(1))))
        elif m := _NUMBERED.match(t):  # "3d", "7b": a number with its unit
            out.add(str(int(m.group(1))) + m.group(2))
        if t in _ROMAN:
            out.add(t)
        elif k and tokens[k - 1] in _PART_WORDS and (len(t) == 1 or t in _NUMBER_WORDS):
            out.add(f"{tokens[k - 1]} {t}")
    return frozenset(out)


_VENUE_NOISE = frozenset(
    [
        "the",
        "of",
        "on",
        "in",
        "and",
        "for",
        "proceedings",
        "proc",
        "conference",
        "conf",
        "international",
        "intl",
    ]
)


def _venue_tokens(venue: str | None) -> tuple[str, ...]:
    if not venue:
        return ()
    text = normalize_text(html.unescape(venue))
    return tuple(t for t in text.split() if t not in _VENUE_NOISE and not t.isdigit())


def venues_compatible(a: Sequence[str] | str | None, b: Sequence[str] | str | None) -> bool:
    """Whether two venue names can name the same venue: one's words are abbreviations
    (prefixes) or an acronym of the other's, in order.

    >>> venues_compatible("VLDB", "Very Large Data Bases")
    True
    >>> venues_compatible("ACM Trans. Database Syst.", "ACM Transactions on Database Systems (TODS)")
    True
    >>> venues_compatible("SIGMOD Record", "ACM SIGMOD Record")
    True
    >>> venues_compatible("VLDB J.", "The VLDB Journal - The International Journal on Very Large Data Bases")
    True
    >>> venues_compatible("VLDB", "SIGMOD Record")
    False
    """
    ta = _venue_tokens(a) if isinstance(a, str) or a is None else tuple(a)
    tb = _venue_tokens(b) if isinstance(b, str) or b is None else tuple(b)
    if not ta or not tb:
        return False
    short, long_ = (ta, tb) if len("".join(ta)) <= len("".join(tb)) else (tb, ta)
    return _abbreviates(short, long_)


def _abbreviates(short: Sequence[str], long_: Sequence[str]) -> bool:
    """Each short token, in order, is a prefix of a long token or the acronym of a run of them."""
    k = 0
    for s in short:
        while k < len(long_):
            if long_[k].startswith(s):
                k += 1
                break
            n = len(s)
            if n >= 2 and k + n <= len(long_) and "".join(w[0] for w in long_[k : k + n]) == s:
                k += n
                break
            k += 1
        else:
            return False
    return True


# --- comparing two records -------------------------------------------------------------------


def _surname_like(x: PersonName, y: PersonName) -> bool:
    """Surnames equal, or close enough for a typo or a character lost in conversion."""
    if x.surname == y.surname or x.core == y.core:
        return True
    # a ratio of 80 needs the shorter surname to be two thirds of the longer at least
    lx, ly = len(x.surname), len(y.surname)
    return min(lx, ly) >= 3 and 5 * min(lx, ly) >= 2 * (lx + ly) and fuzz.ratio(
        x.surname, y.surname, score_cutoff=80) >= 80


def _crossed(x: PersonName, y: PersonName) -> bool:
    """Given name and surname swapped on one side, each side keeping only an initial of one
    ("s sunita" for Sunita Sarawagi, "y beverly" for "b yang"): the initials cross-match.
    Weak; counted last. Both sides may hold initials only: a source that writes a given
    name as the surname ("d debabrata" for Debabrata Dey) keeps the surname's initial, as
    any scraped bibliography can; a pair of other people crosses by chance too (about one
    name pair in 200), which is why it only counts where the titles already agree."""
    return bool(x.given and y.given) and x.given[0][0] == y.surname[0] and y.given[0][0] == x.surname[0]


def _author_overlap(a: Sequence[PersonName], b: Sequence[PersonName]) -> tuple[int, str]:
    """How many authors of ``a`` have a matching name in ``b``, and the first one's surname.

    A compatible full name counts first; then a surname that is equal or nearly so
    ("Rosneblatt" ~ "Rosenblatt", "?zsu" ~ "Özsu"), whatever the given names say
    ("Bob" ~ "Robert"); then a name written given-name-last ("s sunita" ~ "s sarawagi"'s
    "Sunita").
    """
    m = min(len(a), len(b))
    if m and a is b:  # one author field read once (exact copies): the loop below, at once
        return m, a[0].display.split()[-1]
    if m:
        for x, y in zip(a, b, strict=False):
            if x.surname != y.surname or not (
                x is y or x.given == y.given or given_compatible(x.given, y.given) or names_compatible(x, y)
            ):
                break
        else:
            # the common case, decided without the general search below (same answer): the
            # same people in the same order, one list possibly cut short ("et al.")
            return m, a[0].display.split()[-1]
    used_a: set[int] = set()
    used_b: set[int] = set()
    first = ""
    by_surname: dict[str, list[int]] = defaultdict(list)
    for k, y in enumerate(b):
        by_surname[y.surname].append(k)
    for h, x in enumerate(a):  # the common case first: the same surname, compatible names
        for k in by_surname.get(x.surname, ()):
            if k not in used_b and (x is b[k] or x.given == b[k].given or names_compatible(x, b[k])):
                used_a.add(h)
                used_b.add(k)
                first = first or x.display.split()[-1]
                break
    if len(used_a) == len(a) or len(used_b) == len(b):
        return len(used_a), first
    if not _may_match([x for h, x in enumerate(a) if h not in used_a],
                      [y for k, y in enumerate(b) if k not in used_b]):
        return len(used_a), first
    # the three tests in turn, each name of ``a`` with the first free name of ``b`` it passes;
    # names_compatible is asked only of names whose surname is one of the other's name keys
    # (a surname, a given name, or the two glued), without which it cannot be true
    rest_b = [(k, y) for k, y in enumerate(b) if k not in used_b]
    keys_b = {k: _name_keys(y) for k, y in rest_b}
    for test in (names_compatible, _surname_like, _crossed):
        for h, x in enumerate(a):
            if h in used_a:
                continue
            if test is names_compatible:
                keys_x, sx = _name_keys(x), x.surname
                found = next((k for k, y in rest_b if k not in used_b
                              and (y.surname in keys_x or sx in keys_b[k]) and names_compatible(x, y)), None)
            else:
                found = next((k for k, y in rest_b if k not in used_b and test(x, y)), None)
            if found is not None:
                used_a.add(h)
                used_b.add(found)
                first = first or x.display.split()[-1]
    return len(used_a), first


def _name_keys(x: PersonName) -> tuple[str, ...]:
    """The strings another name's surname must equal for :func:`names_compatible` to hold:
    the surname, and with given names the last one glued to it, the last one and the first."""
    if not x.given:
        return (x.surname,)
    return x.surname, x.given[-1] + x.surname, x.given[-1], x.given[0]


def _may_match(ua: Sequence[PersonName], ub: Sequence[PersonName]) -> bool:
    """Whether any pair of ``ua`` x ``ub`` could pass one of the tests of :func:`_author_overlap`
    (a necessary condition of each, tested in bulk): ``False`` ends disjoint author lists early."""
    sa, sb = {x.surname for x in ua}, {y.surname for y in ub}
    if sa & sb or not {x.core for x in ua}.isdisjoint(y.core for y in ub):
        return True
    for xs, other in ((ua, sb), (ub, sa)):
        for x in xs:  # names_compatible: a second surname, a dropped one, a swapped order
            if x.given and (x.given[-1] + x.surname in other or x.given[-1] in other or x.given[0] in other):
                return True
    crossed_a = {(x.given[0][0], x.surname[0]) for x in ua if x.given}
    if not crossed_a.isdisjoint((y.surname[0], y.given[0][0]) for y in ub if y.given):
        return True
    long_a = [x.surname for x in ua if len(x.surname) >= 3]
    long_b = [y.surname for y in ub if len(y.surname) >= 3]
    # a few short names: scored one by one (no bulk call's set-up), lengths first (a ratio
    # of 80 needs the shorter name to be at least two thirds of the longer)
    return any(
        5 * min(len(x), len(y)) >= 2 * (len(x) + len(y)) and fuzz.ratio(x, y, score_cutoff=80)
        for x in long_a
        for y in long_b
    )


@functools.lru_cache(maxsize=1 << 18)
def _overlap(a: _Rec, b: _Rec) -> tuple[int, str]:
    """:func:`_author_overlap` of two records, remembered (clustering asks again).

    Look-alike titles by other people (the common rejection in a large input) are settled
    by :func:`_author_sig` first: when :func:`_may_match` of the whole lists is false, no
    pair of names can match, and the answer is (0, "") without the search."""
    x, y = a.authors, b.authors
    if x and y and x[0].surname != y[0].surname and not _sig_may_match(_author_sig(a), _author_sig(b)):
        return 0, ""
    return _author_overlap(x, y)


_Sig = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], tuple[str, ...]]


@functools.lru_cache(maxsize=1 << 17)
def _author_sig(r: _Rec) -> _Sig:
    """What :func:`_may_match` looks at in one record's whole author list, as sets: surnames
    and (marked) surname cores; the given-name keys (``given[-1] + surname``, ``given[-1]``,
    ``given[0]``); initials crossed both ways; the surnames of 3 letters or more."""
    names = r.authors
    own = frozenset([x.surname for x in names] + ["\0" + x.core for x in names])
    keys = frozenset(k for x in names if x.given for k in (x.given[-1] + x.surname, x.given[-1], x.given[0]))
    cross = frozenset(x.given[0][0] + "\0" + x.surname[0] for x in names if x.given)
    crossed = frozenset(x.surname[0] + "\0" + x.given[0][0] for x in names if x.given)
    return own, keys, cross, crossed, tuple(x.surname for x in names if len(x.surname) >= 3)


def _sig_may_match(a: _Sig, b: _Sig) -> bool:
    """:func:`_may_match` of two whole author lists, from their :func:`_author_sig` (the
    same answer)."""
    own_a, keys_a, cross_a, _, long_a = a
    own_b, keys_b, _, crossed_b, long_b = b
    if not (own_a.isdisjoint(own_b) and keys_a.isdisjoint(own_b) and keys_b.isdisjoint(own_a)
            and cross_a.isdisjoint(crossed_b)):
        return True
    return any(
        5 * min(len(x), len(y)) >= 2 * (len(x) + len(y)) and fuzz.ratio(x, y, score_cutoff=80)
        for x in long_a
        for y in long_b
    )


class _BulkRefusal:
    """The judge's first refusals, for many candidate pairs at once (numpy, rapidfuzz
    ``cpdist``): years more than one apart, and author lists with nobody who can be the
    same person (:func:`_sig_may_match` false) under titles that are not long and all but
    equal. :func:`_judge` says ``None`` to every pair refused here, so it is not asked: a
    large input has many look-alike titles by other people (series, shared phrases), and
    judging each one in Python cost more than everything else.

    Each person (a parsed name, one object per distinct name) gets a number and one row of
    ``_PERSON_COLUMNS`` integers; a record keeps the numbers of its first
    ``AUTHORS_COMPARED`` persons (0: no one), all built the first time a pair needs them.
    A row holds what :func:`_author_sig` takes from one name as 31-bit string hashes (equal
    strings have equal hashes, so a set that shares a string shares a hash; two different
    strings with one hash, rare, only send a pair to the judge; hashes are made free of 0
    and 1, ``| 2``, so that the pads, 0 on one side and 1 on the other, never meet
    anything), and, for :meth:`overlaps`, the surname and given names as exact numbers.
    """

    #: given names kept per person for :meth:`overlaps` (a person with more: judged one by one)
    GIVEN = 3

    def __init__(self, recs: Sequence[_Rec]) -> None:
        n, k = len(recs), AUTHORS_COMPARED
        self.recs = recs
        self.years = np.fromiter((r.year or 0 for r in recs), dtype=np.int32, count=n)
        self.has_ids = np.fromiter((bool(r.ids) for r in recs), dtype=bool, count=n)
        self.built = np.zeros(n, dtype=bool)
        self.count = np.zeros(n, dtype=np.int8)  # persons per record (built records)
        self.pid = np.zeros((n, k), dtype=np.int32)  # their numbers, 0: no one
        self.people: list[PersonName | None] = [None]  # by number (kept: numbered by object)
        self.person_of: dict[int, int] = {}
        self.numbered: dict[int, list[int]] = {}  # an author tuple's person numbers, by object
        self.rows = np.zeros((1024, _PERSON_COLUMNS), dtype=np.int32)  # row 0: no one
        self.names: list[str] = [""]  # surnames by number
        self.name_number: dict[str, int] = {"": 0}
        self.given_number: dict[str, int] = {"": 0}
        self._strings = np.zeros(0, dtype=object)  # ``names`` as an array, when a call needs it
        self._written: dict[int, str] = {}

    def _row(self, x: PersonName) -> tuple[int, ...]:
        """One person's row: the hashes of what :func:`_author_sig` takes from one name
        (surname, core; the three given-name keys; initials crossed one way and the other;
        0 without a given name), the surname's number when it has 3 letters or more and its
        length (else 0, 0), the surname's number, the number of given names (``GIVEN + 1``
        for more), their first letters (code points) and the numbers of those written out
        (0 for an initial), ``GIVEN`` each, 0-padded."""
        s, m = x.surname, 0x7FFFFFFF
        number = self.name_number
        sn = number.get(s)
        if sn is None:
            sn = number[s] = len(self.names)
            self.names.append(s)
        g = x.given
        if not g:
            head: tuple[int, ...] = (hash(s) & m | 2, hash("\0" + x.core) & m | 2, 0, 0, 0, 0, 0)
        else:
            g0, g1 = g[0], g[-1]
            head = (hash(s) & m | 2, hash("\0" + x.core) & m | 2, hash(g1 + s) & m | 2, hash(g1) & m | 2,
                    hash(g0) & m | 2, hash(g0[0] + "\0" + s[0]) & m | 2, hash(s[0] + "\0" + g0[0]) & m | 2)
        given_number, k = self.given_number, self.GIVEN
        inits = [ord(t[0]) for t in g[:k]] + [0] * (k - min(len(g), k))
        full = [given_number.setdefault(t, len(given_number)) if len(t) > 1 else 0 for t in g[:k]]
        full += [0] * (k - len(full))
        long_ = len(s) >= 3
        odd = int(len(g) > 1 and g[-1] == s)
        return (*head, sn if long_ else 0, len(s) if long_ else 0, sn, min(len(g), k + 1), *inits, *full, odd)

    def _build(self, which: np.ndarray) -> None:
        which = np.unique(which)
        which = which[~self.built[which]]
        self.built[which] = True
        recs, row, person_of, people = self.recs, self._row, self.person_of, self.people
        numbered = self.numbered
        first = len(people)
        at: list[int] = []
        count: list[int] = []
        slots: list[int] = []
        flat: list[int] = []
        for i in which.tolist():
            names = recs[i].authors
            if names:
                at.append(i)
                count.append(len(names))
                # by object: an author field read once is one tuple (copies of a record, the
                # papers of one team), a name parsed once one object; each numbered once
                numbers = numbered.get(id(names))
                if numbers is None:
                    numbers = []
                    for x in names:
                        p = person_of.get(id(x))
                        if p is None:
                            p = person_of[id(x)] = len(people)
                            people.append(x)
                            flat += row(x)
                        numbers.append(p)
                    numbered[id(names)] = numbers
                slots += numbers
        if len(people) > first:
            need = len(people)
            if need > len(self.rows):
                grown = np.zeros((max(need, 2 * len(self.rows)), _PERSON_COLUMNS), dtype=np.int32)
                grown[: first] = self.rows[:first]
                self.rows = grown
            self.rows[first:need] = np.fromiter(flat, dtype=np.int32, count=len(flat)).reshape(
                -1, _PERSON_COLUMNS)
        del flat
        if not at:
            return
        idx = np.asarray(at, dtype=np.int64)
        per = np.asarray(count, dtype=np.int64)
        self.count[idx] = per
        rec = np.repeat(idx, per)
        slot = np.arange(len(rec)) - np.repeat(np.cumsum(per) - per, per)
        self.pid[rec, slot] = np.asarray(slots, dtype=np.int32)

    def refused(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        """Which pairs (``ia[k]``, ``ib[k]``) :func:`_judge` refuses on years or authors alone."""
        free = ~(self.has_ids[ia] & self.has_ids[ib])  # identifiers are the judge's to weigh
        ya, yb = self.years[ia], self.years[ib]
        out = free & (ya > 0) & (yb > 0) & (np.abs(ya - yb) > 1)
        rest = np.flatnonzero(free & ~out)
        if not len(rest):
            return out
        self._build(np.concatenate([ia[rest], ib[rest]]))
        xa, xb = ia[rest], ib[rest]
        both = (self.count[xa] > 0) & (self.count[xb] > 0)
        rest, xa, xb = rest[both], xa[both], xb[both]
        for lo in range(0, len(rest), 1 << 16):
            a, b = xa[lo : lo + (1 << 16)], xb[lo : lo + (1 << 16)]
            may = self._may(self.rows[self.pid[a]], self.rows[self.pid[b]])
            # authors that cannot match refuse the pair unless both titles are long and all but equal
            no = np.flatnonzero(~may)
            if len(no):
                ka, kb = a[no].tolist(), b[no].tolist()
                long_title = [_long_title(self.recs[x], self.recs[y]) for x, y in zip(ka, kb, strict=True)]
                out[rest[lo + no[~np.asarray(long_title, dtype=bool)]]] = True
        return out

    def _may(self, ra: np.ndarray, rb: np.ndarray) -> np.ndarray:
        """:func:`_may_match` of the persons of each pair (rows ``ra[k]``, ``rb[k]``, shaped
        pairs x persons x columns; a row of zeros is no one): ``False`` only when no name of
        one can match a name of the other (a hash shared by two strings only says ``True``)."""
        c, k = len(ra), ra.shape[1]
        own_a, own_b = ra[:, :, 0:2].reshape(c, 2 * k), rb[:, :, 0:2].reshape(c, 2 * k)
        own_b1 = np.where(own_b == 0, 1, own_b)
        may = (own_a[:, :, None] == own_b1[:, None, :]).any(axis=(1, 2))
        # the other tests only where no surname or core is shared (most pairs share one)
        left = np.flatnonzero(~may)
        if len(left):
            xa, xb, own_a, own_b1 = ra[left], rb[left], own_a[left], own_b1[left]
            c = len(left)
            own_a1 = np.where(own_a == 0, 1, own_a)
            keys_a, keys_b = xa[:, :, 2:5].reshape(c, 3 * k), xb[:, :, 2:5].reshape(c, 3 * k)
            crossed_b = np.where(xb[:, :, 6] == 0, 1, xb[:, :, 6])
            more = (keys_a[:, :, None] == own_b1[:, None, :]).any(axis=(1, 2))
            more |= (keys_b[:, :, None] == own_a1[:, None, :]).any(axis=(1, 2))
            more |= (xa[:, :, 5][:, :, None] == crossed_b[:, None, :]).any(axis=(1, 2))
            may[left] = more
        # a surname close enough for a typo: lengths first, then the few left in one call
        todo = np.flatnonzero(~may)
        la, lb = ra[todo, :, 8], rb[todo, :, 8]
        sa, sb = la[:, :, None], lb[:, None, :]
        fit = (sa > 0) & (sb > 0) & (5 * np.minimum(sa, sb) >= 2 * (sa + sb))
        p, u, v = np.nonzero(fit)
        if len(p):
            if len(self._strings) != len(self.names):
                self._strings = np.asarray(self.names, dtype=object)
            strings = self._strings
            score = process.cpdist(strings[ra[todo[p], u, 7]], strings[rb[todo[p], v, 7]],
                                   scorer=fuzz.ratio, score_cutoff=80, workers=-1, dtype=np.uint8)
            may[todo[np.unique(p[score > 0])]] = True
        return may

    def overlaps(self, ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`_overlap` of pairs of built records with authors on both sides, where it can
        be told in bulk: ``(known, shared, first)``, ``first`` the number of the person whose
        surname the reason names (0 when none is shared).

        What :func:`_author_overlap` does first, for all pairs at once: each name of ``ia``'s
        record, in order, takes the first free name of the other with the same surname and
        compatible given names; then, when neither list is used up, the names left must be
        unable to match at all (:meth:`_may`). A pair whose names need the search beyond
        that, or that have more than ``GIVEN`` given names or a last given name equal to the
        surname under one surname (what :func:`names_compatible` reads otherwise), is not
        known: the judge asks :func:`_overlap`."""
        k, g, c = AUTHORS_COMPARED, self.GIVEN, len(ia)
        known = np.ones(c, dtype=bool)
        shared = np.zeros(c, dtype=np.int64)
        first = np.zeros(c, dtype=np.int64)
        for lo in range(0, c, 1 << 15):
            a, b = ia[lo : lo + (1 << 15)], ib[lo : lo + (1 << 15)]
            m = len(a)
            ra, rb = self.rows[self.pid[a]], self.rows[self.pid[b]]
            slot = np.arange(k)
            real_a = slot < self.count[a].astype(np.int64)[:, None]
            real_b = slot < self.count[b].astype(np.int64)[:, None]
            same = (ra[:, :, None, 9] == rb[:, None, :, 9]) & real_a[:, :, None] & real_b[:, None, :]
            sure_a = (ra[:, :, 10] <= g) & (ra[:, :, 11 + 2 * g] == 0)
            sure_b = (rb[:, :, 10] <= g) & (rb[:, :, 11 + 2 * g] == 0)
            told = ~(same & ~(sure_a[:, :, None] & sure_b[:, None, :])).any(axis=(1, 2))
            n = np.minimum(ra[:, :, None, 10], rb[:, None, :, 10])
            fit = same
            for t in range(g):
                fa, fb = ra[:, :, None, 11 + g + t], rb[:, None, :, 11 + g + t]
                fit &= (n <= t) | ((ra[:, :, None, 11 + t] == rb[:, None, :, 11 + t])
                                   & ((fa == 0) | (fb == 0) | (fa == fb)))
            used_a = np.zeros((m, k), dtype=bool)
            used_b = np.zeros((m, k), dtype=bool)
            at = np.full(m, -1, dtype=np.int64)  # the first name of ``a`` that found its match
            pairs = np.arange(m)
            for h in range(k):
                free = fit[:, h, :] & ~used_b
                found = free.any(axis=1)
                used_b[pairs[found], free.argmax(axis=1)[found]] = True
                used_a[:, h] = found
                at[(at < 0) & found] = h
            got = used_a.sum(axis=1)
            done = (got == real_a.sum(axis=1)) | (used_b.sum(axis=1) == real_b.sum(axis=1))
            rest = np.flatnonzero(told & ~done)
            if len(rest):
                left_a = np.where((real_a & ~used_a)[rest][:, :, None], ra[rest], 0)
                left_b = np.where((real_b & ~used_b)[rest][:, :, None], rb[rest], 0)
                told[rest[self._may(left_a, left_b)]] = False
            known[lo : lo + m] = told
            shared[lo : lo + m] = got
            first[lo : lo + m] = np.where(at >= 0, self.pid[a, np.maximum(at, 0)], 0)
        return known, shared, first

    def too_few_shared(
        self, ia: np.ndarray, ib: np.ndarray, ratio: np.ndarray, overlap: tuple[np.ndarray, np.ndarray],
        left: np.ndarray, exact: _BulkExact,
    ) -> np.ndarray:
        """Of the pairs ``left`` (``ia[k] < ib[k]``, built, ``ratio[k]`` their bulk title
        score, ``overlap`` the known and shared of :meth:`overlaps`), the positions of those
        :func:`_judge` refuses on authors and title score alone: authors on both sides,
        fewer shared than half of the shorter list (so "clearly the same authors", which a
        looser or contained title needs, cannot hold), and titles under 97 even without
        spaces (so not near-exact, the only verdict that asks for less). No identifiers on
        both sides (the judge's to weigh). Where the overlap is not known, its upper bound
        (:meth:`most_shared`) decides: the judge's search is not run for pairs it cannot
        change (tested against the judge in tests/kg/resolve/test_papers_fast.py)."""
        known, shared = overlap
        ca, cb = self.count[ia].astype(np.int64), self.count[ib].astype(np.int64)
        need = np.maximum(1, (np.minimum(ca, cb) + 1) // 2)
        cand = left & (ca > 0) & (cb > 0) & ~(self.has_ids[ia] & self.has_ids[ib]) & (ratio < 97)
        cand &= ~known | (shared < need)
        at = np.flatnonzero(cand)
        if not len(at):
            return at
        unknown = np.flatnonzero(~known[at])
        if len(unknown):
            u = at[unknown]
            fine = self.most_shared(ia[u], ib[u], need[u])
            drop = np.ones(len(at), dtype=bool)
            drop[unknown] = fine
            at = at[drop]
        if not len(at):
            return at
        # the judge's title score: the bulk one, or the titles without spaces (equal: 100)
        xa, xb = ia[at], ib[at]
        exact._facts(np.concatenate([xa, xb]))
        ta, tb = exact.compact[xa], exact.compact[xb]
        near = np.asarray(ta == tb, dtype=bool)
        rest = np.flatnonzero(~near)
        if len(rest):
            near[rest] = process.cpdist(ta[rest], tb[rest], scorer=fuzz.ratio, workers=-1,
                                        dtype=np.float64) >= 97
        return at[~near]

    def most_shared(self, ia: np.ndarray, ib: np.ndarray, need: np.ndarray) -> np.ndarray:
        """Which pairs of built records with authors on both sides surely share fewer than
        ``need[k]`` authors: ``True`` only when :func:`_overlap` of the pair is below it.

        :func:`_author_overlap` pairs a name of one list with a name of the other only when
        the two pass one of its tests, and each test needs what :func:`_may_match` looks
        for in that one pair of names (an equal surname or core, a given-name key equal to
        the other's surname, crossed initials, or a surname within a typo). So the names of
        one list that may match some name of the other, counted on each side, bound the
        shared authors from above; the bound is taken from the persons' rows (hashes that
        collide only raise it), typo scores only where they can change the answer."""
        k, c = AUTHORS_COMPARED, len(ia)
        out = np.zeros(c, dtype=bool)
        slot = np.arange(k)
        for lo in range(0, c, 1 << 15):
            a, b, want = ia[lo : lo + (1 << 15)], ib[lo : lo + (1 << 15)], need[lo : lo + (1 << 15)]
            ra, rb = self.rows[self.pid[a]], self.rows[self.pid[b]]
            real = (slot < self.count[a].astype(np.int64)[:, None])[:, :, None] & (
                slot < self.count[b].astype(np.int64)[:, None])[:, None, :]
            own_a, own_b = ra[:, :, None, 0:2, None], rb[:, None, :, None, 0:2]
            may = (own_a == own_b).any(axis=(3, 4))
            may |= (ra[:, :, None, 2:5, None] == own_b).any(axis=(3, 4))
            may |= (own_a == rb[:, None, :, None, 2:5]).any(axis=(3, 4))
            cross_a = ra[:, :, None, 5]
            may |= (cross_a == rb[:, None, :, 6]) & (cross_a != 0)
            may &= real
            # a surname within a typo: 3 letters or more, the shorter two thirds of the longer
            la, lb = ra[:, :, None, 8], rb[:, None, :, 8]
            typo = real & ~may & (la > 0) & (lb > 0) & (5 * np.minimum(la, lb) >= 2 * (la + lb))
            high = may | typo

            def bound(m: np.ndarray) -> np.ndarray:
                return np.minimum(m.any(axis=2).sum(axis=1), m.any(axis=1).sum(axis=1))

            sure = bound(high) < want  # below even if every possible typo matched
            open_ = ~sure & (bound(may) < want)  # decided by the typo scores
            p, u, v = np.nonzero(typo & open_[:, None, None])
            if len(p):
                if len(self._strings) != len(self.names):
                    self._strings = np.asarray(self.names, dtype=object)
                strings = self._strings
                score = process.cpdist(strings[ra[p, u, 7]], strings[rb[p, v, 7]], scorer=fuzz.ratio,
                                       score_cutoff=80, workers=-1, dtype=np.uint8)
                hit = score > 0
                may[p[hit], u[hit], v[hit]] = True
                sure |= open_ & (bound(may) < want)
            out[lo : lo + len(a)] = sure
        return out

    def surname_as_written(self, person: int) -> str:
        """The last word of a person's name as written (the reason's "first author X")."""
        out = self._written.get(person)
        if out is None:
            out = self._written[person] = self.people[person].display.split()[-1]
        return out


#: columns of a person's row in :class:`_BulkRefusal` (7 hashes, 2 for near surnames, the
#: surname's number, the given names' count, ``GIVEN`` first letters, ``GIVEN`` numbers, and
#: 1 when the last of two given names or more is the surname)
_PERSON_COLUMNS = 12 + 2 * _BulkRefusal.GIVEN


class _BulkExact:
    """The judge's commonest yes, for many pairs at once: a near-exact title (the same
    title without spaces, or a character score of 97 or more with no word that says two
    works: numbers, parts, a name before a colon, "erratum", a variant suffix), the same
    people in the same order or no authors on one side, no identifiers and no venue on one
    side or the other, years at most one apart, and not a short recurring title ("Book
    reviews") without shared authors. For those pairs :func:`_judge` says "exact" with a
    score and reason that depend only on the score, the years and the shared authors, and
    they are computed here in numpy; every other pair is judged one by one (tested against
    the judge in tests/kg/resolve/test_papers_fast.py)."""

    def __init__(self, recs: Sequence[_Rec], bulk: _BulkRefusal, common: frozenset[str]) -> None:
        n = len(recs)
        self.recs, self.bulk, self.common = recs, bulk, common
        self.has_venue = np.fromiter((bool(r.raw_venue) for r in recs), dtype=bool, count=n)
        self.seen = np.zeros(n, dtype=bool)  # records whose title facts are filled
        self.compact = np.empty(n, dtype=object)
        self.generic = np.zeros(n, dtype=bool)  # a recurring short title or front matter
        self.marked = np.zeros(n, dtype=bool)
        self.plain = np.zeros(n, dtype=bool)  # no kind word ("erratum") and no variant word
        self.special = np.zeros(n, dtype=np.int32)  # numbered sets of numbers and parts (0: none)
        self.prefix = np.zeros(n, dtype=np.int32)  # numbered names before a colon (0: none)
        self._special_number: dict[frozenset[str], int] = {_NOTHING: 0}
        self._prefix_number: dict[str, int] = {"": 0}
        self._first: dict[int, str] = {}  # a person's surname as written, by number

    @staticmethod
    def _new(which: np.ndarray, done: np.ndarray) -> np.ndarray:
        """The records of ``which`` not yet in ``done``, once each; ``done`` marks them."""
        which = np.unique(which)
        which = which[~done[which]]
        done[which] = True
        return which

    def _facts(self, which: np.ndarray) -> None:
        which = self._new(which, self.seen)
        if not len(which):
            return
        recs, common = self.recs, self.common
        rows = [recs[i] for i in which.tolist()]
        self.compact[which] = [r.compact for r in rows]
        self.generic[which] = [r.title in common or _front_matter(r) for r in rows]

    def _marks(self, which: np.ndarray) -> None:
        which = self._new(which, self.marked)
        if not len(which):
            return
        recs = self.recs
        special, prefix = self._special_number, self._prefix_number
        rows = [recs[i] for i in which.tolist()]
        self.plain[which] = [_KIND_WORDS.isdisjoint(r.tokens) and _VARIANT_WORDS.isdisjoint(r.tokens)
                             # digits glued to letters are judged one by one (_glued_digits)
                             and not (_HAS_DIGIT.search(r.title) and any(map(_glued, r.tokens)))
                             for r in rows]
        self.special[which] = [special.setdefault(r.special, len(special)) for r in rows]
        self.prefix[which] = [prefix.setdefault(r.prefix, len(prefix)) for r in rows]

    def verdicts(
        self, ia: np.ndarray, ib: np.ndarray, ratio: np.ndarray, overlap: tuple[np.ndarray, ...]
    ) -> tuple[np.ndarray, list[tuple[float, int, int, str, str]], list[int]]:
        """Of the pairs (``ia[k] < ib[k]``, ``ratio[k]`` their bulk title score, ``overlap``
        what :meth:`_BulkRefusal.overlaps` says of them: known, shared, first), those decided
        here: their positions, their :func:`_judge` verdicts as ``scored`` rows, and the codes
        (``i * n + j``) of those judged on every test :func:`_conflict` makes."""
        bulk = self.bulk
        known, shared, first = overlap
        both = (bulk.count[ia] > 0) & (bulk.count[ib] > 0)
        cand = ~(bulk.has_ids[ia] & bulk.has_ids[ib]) & ~(self.has_venue[ia] & self.has_venue[ib])
        ya, yb = bulk.years[ia], bulk.years[ib]
        cand &= (ya == 0) | (yb == 0) | (np.abs(ya - yb) <= 1)
        cand &= ~both | (known & (shared > 0))  # (no shared author: the judge weighs the titles)
        at = np.flatnonzero(cand)
        if not len(at):
            return np.zeros(0, dtype=np.int64), [], []
        xa, xb = ia[at], ib[at]
        shared = np.where(both[at], shared[at], 0)
        first = first[at]
        self._facts(np.concatenate([xa, xb]))
        compact = self.compact
        same = np.asarray(compact[xa] == compact[xb], dtype=bool)
        score = np.full(len(at), 100.0)
        diff = np.flatnonzero(~same)
        if len(diff):
            score[diff] = np.maximum(
                ratio[at[diff]].astype(np.float64),
                process.cpdist(compact[xa[diff]], compact[xb[diff]], scorer=fuzz.ratio, workers=-1,
                               dtype=np.float64))
            near = diff[score[diff] >= 97]
            self._marks(np.concatenate([xa[near], xb[near]]))
        fine = same | (score >= 97)
        d = np.flatnonzero(~same & fine)
        if len(d):
            pa, pb = self.prefix[xa[d]], self.prefix[xb[d]]
            fine[d] = (self.special[xa[d]] == self.special[xb[d]]) & self.plain[xa[d]] & self.plain[xb[d]] & (
                (pa == 0) | (pb == 0) | (pa == pb))
        fine &= ~((self.generic[xa] | self.generic[xb]) & (shared == 0))
        keep = np.flatnonzero(fine)
        at, xa, xb, same, score, shared, first = (
            at[keep], xa[keep], xb[keep], same[keep], score[keep], shared[keep], first[keep])
        year_same = (bulk.years[xa] > 0) & (bulk.years[xa] == bulk.years[xb])
        # clean: not "title contained", and the same title or another compact one
        clean_at = np.flatnonzero(~same | np.asarray(self.recs_title(xa) == self.recs_title(xb), dtype=bool))
        n = len(self.recs)
        clean = (xa[clean_at] * n + xb[clean_at]).tolist()
        written = bulk.surname_as_written
        rows = []
        for i, j, s, y, k, p in zip(xa.tolist(), xb.tolist(), score.tolist(), year_same.tolist(),
                                    shared.tolist(), first.tolist(), strict=True):
            parts = ["same normalised title" if s == 100 else f"title {s:.1f}"]
            if y:
                parts.append("same year")
            if k:
                who = written(p)
                parts.append(f"first author {who}" if k == 1 else f"{k} shared authors ({who}, ...)")
            rows.append((s, i, j, sys.intern(" + ".join(parts)), EXACT))
        return at, rows, clean

    def recs_title(self, which: np.ndarray) -> np.ndarray:
        recs = self.recs
        out = np.empty(len(which), dtype=object)
        out[:] = [recs[i].title for i in which.tolist()]
        return out


def _distinct_conflict(a: _Rec, b: _Rec, span: tuple[str, ...] | None = None) -> str | None:
    """A reason two similar titles still name different works, or ``None``.

    ``span``: when the shorter title ``a`` sits inside the longer ``b`` with extra text
    around it (a scraped record's "... vldb '99", "paper id 238: ..."), the words of ``b``
    that match ``a``: only they are checked for numbers, and ``b``'s prefix is ignored.
    """
    a_tokens = a.tokens
    b_tokens = span if span is not None else b.tokens
    b_special = _special(span) if span is not None else b.special
    a_special = a.special
    if a_special != b_special:
        # "4" on one side is matched by "fourth" on the other
        only_a = a_special - b_special - {_NUMBER_WORDS.get(w) for w in b_tokens}
        only_b = b_special - a_special - {_NUMBER_WORDS.get(w) for w in a_tokens}
        if only_a and only_b:
            return f"different numbers or parts ({', '.join(sorted(only_a | only_b))})"
        one_sided = only_a or only_b
        longer_n, other_n = (len(a_tokens), len(b_tokens)) if only_a else (len(b_tokens), len(a_tokens))
        # a number on one side only: a sequel or a part ("Foo 2"), unless it sits in the
        # extra words of a much longer title ("..., April 12 and 13, 1996")
        if any(not _YEARISH.match(t) for t in one_sided) and longer_n - other_n < 3:
            return f"different numbers or parts ({', '.join(sorted(one_sided))})"
    if span is None and a.prefix and b.prefix and not _prefixes_agree(a.prefix, b.prefix):
        return f"different names before the colon ({a.prefix} / {b.prefix})"
    if not (_KIND_WORDS.isdisjoint(a_tokens) and _KIND_WORDS.isdisjoint(b_tokens)):
        kinds = (set(a_tokens) ^ set(b_tokens)) & _KIND_WORDS
        if kinds:
            return f"only one is a {'/'.join(sorted(kinds))}"
    if _variant_marker(a, b, a_tokens, b_tokens):
        return "a name with a suffix on one side only (a variant, not the same work)"
    if _HAS_DIGIT.search(a.title) and _HAS_DIGIT.search(b.title) and (
            glued := _glued_digits(a_tokens, b_tokens)) is not None:
        return f"different numbers in a name ({glued})"
    return None


#: letters around the digits of one word: "3finmeeting" (from "M$^3$FinMeeting"), "s2edit",
#: "gpt4o", "h2o" (a word that :data:`_NUMBER` and :data:`_NUMBERED` do not read as a number)
_GLUED = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z\d]+$")


def _glued(t: str) -> bool:
    """A word whose digits are glued to letters in a way :func:`_special` does not read."""
    return bool(_GLUED.match(t)) and not _NUMBER.match(t) and not _NUMBERED.match(t)


def _glued_digits(a_tokens: Sequence[str], b_tokens: Sequence[str]) -> str | None:
    """A word on each side, one and the same name but for its digits ("M$^3$Net" / "M$^6$Net",
    "S2Edit" / "S5Edit", "Yolo3d" / "Yolo5d"): in any bibliography such names are numbered
    members of a family, versions or sequels, so another work; a copy's typo changes letters,
    not the digits of a name. ``"3finmeeting / 6finmeeting"`` or ``None``."""
    only_a = [t for t in set(a_tokens).difference(b_tokens) if _glued(t)]
    if not only_a:
        return None
    only_b = [t for t in set(b_tokens).difference(a_tokens) if _glued(t)]
    for x in sorted(only_a):
        bare_x = re.sub(r"\d+", "#", x)
        for y in sorted(only_b):
            if re.sub(r"\d+", "#", y) == bare_x:
                return f"{x} / {y}"
    return None


#: words that, glued to a name on one side only, make another model or system:
#: "Qwen-Image-2.0-RL", "GPT-4o-mini", "BERT-large", "Llama-3-Instruct"
_VARIANT_WORDS = _words(
    "rl mini large small base tiny xl xxl plus pro lite turbo instruct chat zero max ultra "
    "nano micro v1 v2 v3 v4 v5 sft dpo moe vl"
)


def _variant_marker(a: _Rec, b: _Rec, a_tokens: Sequence[str], b_tokens: Sequence[str]) -> bool:
    """A variant word on one side only, glued to a name ("Qwen-Image-2.0-RL", "PandaGuard-Pro")
    or right after a number ("GPT 4 mini"): another model or system, so another work."""
    if _VARIANT_WORDS.isdisjoint(a_tokens) and _VARIANT_WORDS.isdisjoint(b_tokens):
        return False
    # the variant words written more often on one side (what the difference of the two
    # word counts holds), counted only for the few variant words present
    extra = {w for w in _VARIANT_WORDS.intersection([*a_tokens, *b_tokens])
             if a_tokens.count(w) != b_tokens.count(w)}
    if not extra:
        return False
    ca, cb = Counter(a_tokens), Counter(b_tokens)
    for rec, tokens, own, other in ((a, a_tokens, ca, cb), (b, b_tokens, cb, ca)):
        raw = rec.raw.lower()
        for k, t in enumerate(tokens):
            # "Web-Base" / "Web-based": an inflection written on the other side in its place,
            # not a variant; but "CoDEx-Instruct: ... Instructed ..." / "CoDEx: ... Instructed
            # ...": the inflected word is on both sides, so the suffix is an addition
            if t not in extra or any(other[t + end] > own[t + end] for end in ("d", "s", "ed", "es")):
                continue
            if any(c.isdigit() for c in t) or (k and any(c.isdigit() for c in tokens[k - 1])):
                return True
            if re.search(rf"[^\s-]-+{re.escape(t)}\b", raw):  # "X-RL", "CapRL++-Mini", "AI--Chat"
                return True
    return False


#: words that, opening a title around another title, make it a work about that work
_ABOUT_WORDS = frozenset(["review", "reviews", "comment", "comments", "erratum", "errata",
                          "corrigendum", "addendum", "reply", "response", "rejoinder"])


def _about(long_: _Rec, short: _Rec) -> bool:
    """The longer title opens with a word that makes it another work about the shorter one
    ("Review of The Data Warehouse Toolkit", "Addendum to ...", "Reply to ..."), a word the
    shorter title does not open with: for any bibliographic data a review, an erratum or a
    reply is a publication of its own, not a noisy copy of the work it is about.

    >>> _about(_record("Review of Deep Learning", None, None, None, {}),
    ...        _record("Deep Learning", None, None, None, {}))
    True
    """
    head = long_.tokens[:1]
    return bool(head) and head[0] in _ABOUT_WORDS and short.tokens[:1] != head


def _prefixes_agree(x: str, y: str) -> bool:
    wx, wy = set(x.split()), set(y.split())
    return wx <= wy or wy <= wx or fuzz.ratio(x, y) >= 80 or _garbled_alike(x, y)


def _garbled_alike(x: str, y: str) -> bool:
    """Two strings of one length that differ only where one of them has a non-ASCII letter
    inside an ASCII word ("dalэ" / "dali", "jѓnsson" / "jonsson"). Titles are normalised
    (accents folded), so such a letter is a character lost in an encoding conversion, which
    any bibliographic source scraped from many sites shows; a real difference in a name
    ("dali" / "dale", "r-tree" / "x-tree") is an ASCII letter and still counts.

    >>> _garbled_alike("dalэ", "dali"), _garbled_alike("dali", "dale")
    (True, False)
    """
    if len(x) != len(y) or (x.isascii() and y.isascii()):
        return False
    diff = [(u, v) for u, v in zip(x, y, strict=True) if u != v]
    return bool(diff) and len(diff) <= 2 and all(
        (not u.isascii() and v.isascii()) or (u.isascii() and not v.isascii()) for u, v in diff)


def _word_match(x: str, words: Sequence[str]) -> bool:
    if x in words:
        return True
    return len(x) >= 4 and any(
        len(w) >= 4 and (fuzz.ratio(x, w) >= 85 or x[:5] == w[:5] and min(len(x), len(w)) >= 5) for w in words
    )


def _unmatched(a: Sequence[str], b: Sequence[str]) -> int:
    """How many words of ``a`` have no equal or near-equal word in ``b``."""
    return sum(1 for x in a if not _word_match(x, b))


def _generic(r: _Rec) -> bool:
    """A title too short to identify a paper by itself ("Book reviews", "Introduction")."""
    return len(r.content) <= 3 and len(r.title) < 40


def _front_matter(r: _Rec) -> bool:
    """A title made only of front-matter words ("Guest Editorial", "Editor's Notes")."""
    return bool(r.content) and _FRONT_MATTER.issuperset(r.content)


_PREPRINT = frozenset(
    ["arxiv", "corr", "biorxiv", "medrxiv", "ssrn", "preprint", "preprints", "techrxiv", "chemrxiv"]
)


def _preprint_or_unknown(r: _Rec) -> bool:
    return not r.venue or bool(_PREPRINT & set(r.venue))


def _year_conflict(a: _Rec, b: _Rec) -> bool:
    """Years more than one apart; or one apart between two known, non-preprint venues
    (a conference paper and its journal version are two publications)."""
    if a.year is None or b.year is None or a.year == b.year:
        return False
    if abs(a.year - b.year) > 1:
        return True
    return not (_preprint_or_unknown(a) or _preprint_or_unknown(b))


_ACRONYM = re.compile(r"\b(?=[A-Za-z]*[A-Z][a-z]*[A-Z])[A-Za-z]{3,}\b")


def _venue_acronyms(raw: str | None) -> frozenset[str]:
    """The acronyms a venue is named by ("VLDB", "SIGMOD", "NeurIPS"; two capitals or more)."""
    return frozenset(m.lower() for m in _ACRONYM.findall(raw)) if raw else frozenset()


def _subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(c in it for c in short)


def _venue_conflict(a: _Rec, b: _Rec) -> bool:
    """Two venues named by different acronyms ("VLDB" / "ACM SIGMOD Record"), neither a
    preprint server: in one year, two publications (a tutorial given at two conferences, a
    paper and its magazine version). A venue without an acronym ("International Conference
    on Management of Data") says nothing, and a renamed one is not different ("NIPS" / "NeurIPS")."""
    if not a.raw_venue or not b.raw_venue:
        return False
    x, y = _venue_acronyms(a.raw_venue), _venue_acronyms(b.raw_venue)
    if not x or not y or x & y or _PREPRINT & (x | y):
        return False
    return not any(_subsequence(u, v) or _subsequence(v, u) for u in x for v in y)


def _ids_differ(a: _Rec, b: _Rec) -> bool:
    """Two different DOIs or arXiv ids: two works, whatever else agrees."""
    return _differing_id(a, b) is not None


def _differing_id(a: _Rec, b: _Rec) -> str | None:
    """The first identifier kind (DOI, arXiv id) the two records both have, with different values."""
    if a.ids is _NO_IDS or b.ids is _NO_IDS:
        return None
    for kind in ("doi", "arxiv id"):
        if kind in a.ids and kind in b.ids and a.ids[kind] != b.ids[kind]:
            return kind
    return None


def _id_conflict(recs: Sequence[_Rec], i: int, j: int, score: float, reason: str,
                 via: tuple[int, int] | None = None) -> IdConflict:
    kind = _differing_id(recs[i], recs[j])
    assert kind is not None
    return IdConflict(i, j, kind, (recs[i].ids[kind], recs[j].ids[kind]), score, reason, via)


def _conflict(a: _Rec, b: _Rec) -> bool:
    """Evidence that two records are different works, whatever their titles."""
    if _ids_differ(a, b):
        return True
    if _year_conflict(a, b) or _venue_conflict(a, b):
        return True
    if a.title and b.title and a.title != b.title and _distinct_conflict(a, b):
        return True
    if _long_title(a, b):
        return False
    return bool(a.authors and b.authors and _overlap(a, b)[0] == 0)


def _long_title(a: _Rec, b: _Rec) -> bool:
    """Both titles long and all but equal: enough to outweigh author strings that disagree
    (a scraped record's garbled names, an affiliation read as a name, a big team's other
    members), but not two whole lists of four people or more (fewer than
    ``AUTHORS_COMPARED``: no list cut) with nobody in common: in any bibliography those are
    two works that share a title ("Monitoring Streams: A New Class of ..." by two teams)."""
    return (len(a.content) >= 5 and len(a.title) >= 40
            and (a.compact == b.compact or fuzz.ratio(a.compact, b.compact) >= 97)
            and not (_team(a) and _team(b)))


def _team(r: _Rec) -> bool:
    """A whole author list (not cut at ``AUTHORS_COMPARED``) of four people or more."""
    return 4 <= len(r.authors) < AUTHORS_COMPARED


#: how a merge was decided: by an identifier, a near-exact title, or a looser title
ID, EXACT, LOOSE = "identifier", "exact", "loose"


_SEGMENT = re.compile(r"\s[-\u2013\u2014]+\s|[.:;,()\[\]{}|?!]+\s|\s[.:;,()\[\]{}|]+|[()\[\]]")


def _segments(raw: str) -> list[str]:
    """A raw title cut where punctuation sets text off: "Declarative Data Cleaning: Language,
    Model, and Algorithms" -> declarative data cleaning | language | model | and algorithms."""
    return [c for part in _SEGMENT.split(raw) if (c := _norm_title(part).replace(" ", ""))]


def _containment(a: _Rec, b: _Rec) -> tuple[_Rec, _Rec, float, tuple[str, ...]] | None:
    """When the shorter title is, all but exactly, a run of the longer title's segments (text
    set off by punctuation): a scraped record's noise around a title ("... vldb '99",
    "paper id 238: ...", "J. (1997): ..."), or a subtitle one source dropped. Returns
    (short, long, score, words of the long title in that run); ``None`` otherwise.
    A title inside a longer sentence ("Mining Generalized Association Rules" in "Fast
    Algorithms for Mining ...") is not contained: that is usually another paper."""
    short, long_ = (a, b) if len(a.compact) <= len(b.compact) else (b, a)
    if _front_matter(short) or len(short.content) < 2 or len(short.compact) < 10:
        return None
    if len(long_.compact) < len(short.compact) + 4:
        return None
    segs = long_._segs
    if segs is None:
        segs = long_._segs = _segments(long_.raw)
    if len(segs) < 2:
        return _cut(short, long_)
    n = len(short.compact)
    best, where = 0.0, (0, 0)
    # a run scores 92 only if its length is within 0.852 and 1.174 times the title's
    # (2 * shorter / sum >= 0.92): runs outside cannot decide, and are not scored
    low, high = 0.85 * n, 1.18 * n
    for i in range(len(segs)):
        run = ""
        for j in range(i, len(segs)):
            run += segs[j]
            if len(run) > high:
                break
            if len(run) >= low:
                score = fuzz.ratio(short.compact, run, score_cutoff=92)
                if score > best:
                    best, where = score, (i, j)
    if best < 92:
        return _cut(short, long_)
    span_text = "".join(segs[where[0] : where[1] + 1])
    span = tuple(t for t in long_.tokens if t in span_text)
    return short, long_, float(best), span


#: words that say the text around a title is about its publication, not part of the title:
#: "... Extended Version", "... Technical Report", "... ACM SIGMOD Record", "... Tutorial Notes"
_PUBLICATION_WORDS = _words(
    "acm ieee proc proceedings conference conf symposium workshop journal record report reports technical "
    "tech version extended full draft preprint tutorial notes vol volume pp pages abstract thesis "
    "dissertation submitted appear appeared invited talk poster demo demonstration"
)
#: the words that join one word of work to what it is done on ("optimization of X")
_HEAD_LINKS = frozenset(["of", "on", "in", "for"])
#: words that note what kind of publication a record is, not what it is about
_NOTE_WORDS = _PUBLICATION_WORDS | _ABOUT_WORDS | _words("panel session book keynote")
#: words that cannot end a title: a title ending in one was cut at a length limit
_DANGLING = STOPWORDS - {"s", "vs", "versus", "not", "no", "do"}


def _cut(short: _Rec, long_: _Rec) -> tuple[_Rec, _Rec, float, tuple[str, ...]] | None:
    """The shorter title is, all but exactly, the start or the end of the longer one, and
    the rest is explained, as it can be in any bibliographic source:

    * at the start: the shorter title was cut at a length limit (it ends in a word no title
      ends in, "... of traditional and") or the longer one carries publication words or a
      year after the title ("... ACM SIGMOD Record", "... Extended Version", "... 1994");
    * at the end: a scraped record glued an author's name, initials or a year in front of
      the title ("p. oneil a critique of ...", "J. (1997): On-Line ...").

    Returns what :func:`_containment` returns (short, long, score, words of the long title
    that match), or ``None``. The judge still asks for the same people and a distinctive title.
    """
    if len(short.content) < 3:
        return None
    n = len(short.compact)
    head = fuzz.ratio(short.compact, long_.compact[:n])
    tail = fuzz.ratio(short.compact, long_.compact[-n:])
    tokens = long_.tokens
    dangling = short.tokens[-1] in _DANGLING
    if head >= (88 if dangling else 92) and head >= tail:
        k, size = 0, 0
        while k < len(tokens) and size + len(tokens[k]) <= n + 1:
            size += len(tokens[k])
            k += 1
        span, rest = tokens[:k], tokens[k:]
        # cut at a length limit: it ends in a dangling word, or is too long for another
        # title to begin with it by chance
        explained = dangling or len(short.title) >= 90 or any(
            t in _PUBLICATION_WORDS or _YEARISH.match(t) for t in rest)
        return (short, long_, float(head), span) if explained and rest else None
    if tail >= 92:
        k, size = len(tokens), 0
        while k > 0 and size + len(tokens[k - 1]) <= n + 1:
            size += len(tokens[k - 1])
            k -= 1
        span, lead = tokens[k:], tokens[:k]
        if not lead or len(lead) > 4:
            return None
        names = {x.surname for x in (*short.authors, *long_.authors) if len(x.surname) >= 3}
        # initials and years, and at least one author's surname (or only initials and a year)
        named = [t for t in lead if any(_named(t, s) for s in names)]
        odd = [t for t in lead if len(t) > 2 and not _YEARISH.match(t) and t not in named]
        if len(odd) <= 1 and (named or not odd):
            return short, long_, float(tail), span
    return None


def _cut_at_colon(r: _Rec) -> bool:
    """A title that ends in its colon ("XML and Information Retrieval:"): a source cut it
    before its subtitle, as a length limit or a scraper's line break does in any bibliography.

    >>> _cut_at_colon(_record("XML and Information Retrieval :", None, None, None, {}))
    True
    """
    return r.raw.rstrip().endswith(":")


#: a word that abbreviates "X-to-Y" ("p2p", "b2b", "e2e", "m2m")
_TO_WORD = re.compile(r"\b([a-z])2([a-z])\b")


def _spelled_out(a: _Rec, b: _Rec) -> tuple[_Rec, _Rec]:
    """The two records, the one that spells out the other's "X2Y" word ("peer to peer" for
    "p2p", "business to business" for "b2b") written with that word instead: the two forms
    of one name, in any field's titles. Records unchanged otherwise."""
    out = [a, b]
    for k, (x, y) in enumerate(((a, b), (b, a))):
        for m in _TO_WORD.finditer(y.title):
            u, v = m.groups()
            title, n = re.subn(rf"\b{u}[a-z]* to {v}[a-z]*\b", m.group(0), x.title)
            if n and title != x.title:
                raw = re.sub(rf"\b{u}[a-z]*[\s-]+to[\s-]+{v}[a-z]*\b", m.group(0), x.raw, flags=re.I)
                out[k] = x = _Rec(title, raw, x.year, x.raw_authors, x.raw_venue, x.ids)
    return out[0], out[1]


def _other_name(name: str, other: _Rec) -> bool:
    """``other``'s title holds a word before a colon of its own ("... Dali: A High ...") that
    is not ``name`` written another way (:func:`_prefixes_agree`: "fastliap" / "fastmap")."""
    heads = [_norm_title(part).split()[-1:] for part in other.raw.split(":")[:-1]]
    return any(h and not _prefixes_agree(name, h[0]) for h in heads)


def _name_missing(name: str, other: _Rec) -> bool:
    """``name``, a one-word name before a title's colon ("minicon"), is not in ``other``'s
    title: not as a word, nor glued to the next word when a colon was dropped
    ("grnnrecurrent"), nor with one edit or swap (a copy's typo, "wmvlm" / "wmlvm")."""
    return bool(name) and " " not in name and name not in STOPWORDS and name not in other.compact and (
        not _word_match(name, other.tokens)
        and not any(OSA.distance(name, t, score_cutoff=1) <= 1 for t in other.tokens))


def _parts(special: frozenset[str]) -> set[str]:
    """The part markers among a title's numbers ("part 2", "ii", "vol 3"): in the words around
    a contained title they still make another publication ("X, Part 2" is not "X")."""
    return {x for x in special if " " in x or x in _ROMAN} if special else set()


def _named(word: str, surname: str) -> bool:
    """A word that writes a surname, possibly with an initial glued on ("narasayyav")."""
    return len(word) >= 3 and (word.startswith(surname) or fuzz.ratio(word, surname) >= 80)


#: the features :func:`_pair_features` computes, in order (the scorer's weights follow it)
PAIR_FEATURES = (
    "title", "title_sorted", "title_words", "title_partial", "missing_short", "missing_long",
    "authors_shared", "authors_two", "authors_missing", "year_same", "year_unknown", "venue_same",
    "venue_differs", "short_title", "contained", "rules_merge", "first_author", "head_same",
    "unexplained_long",
)


#: the positions of :data:`PAIR_FEATURES` computed word by word in Python (the slow ones)
_SLOW_FEATURES = (4, 5, 11, 12, 17, 18)


def _pair_features(
    a: _Rec, b: _Rec, ratio: float, shared: int, contained: Any, rules: bool, slow: bool = True,
) -> list[float]:
    """The evidence on a pair as numbers (0..1), in the order of :data:`PAIR_FEATURES`: title
    similarity in four forms (characters, sorted words, word sets, the best-matching part),
    the share of each title's words the other lacks, the share of shared authors (and whether
    two or more, or a list is missing), year and venue agreement, how short the shorter title
    is, whether one title sits inside the other, whether a rule of :func:`_judge` found the
    pair a (looser) match, the same first author, the same first title word, and the share of
    the longer title's extra words that are no publication note, year or author's name.
    Nothing here is particular to one source: every bibliography has titles, authors, a year
    and a venue. ``slow=False`` leaves the features of :data:`_SLOW_FEATURES` out (``nan``),
    for :meth:`_Scorer.lowest`."""
    small, big = (a, b) if len(a.content) <= len(b.content) else (b, a)
    short, long_ = (a, b) if len(a.compact) <= len(b.compact) else (b, a)
    both = bool(a.authors and b.authors)
    fewest = min(len(a.authors), len(b.authors))
    nan = float("nan")
    x = [
        ratio / 100.0,
        fuzz.token_sort_ratio(a.title, b.title) / 100.0,
        fuzz.token_set_ratio(" ".join(a.content), " ".join(b.content)) / 100.0,
        fuzz.partial_ratio(short.compact, long_.compact) / 100.0 if short.compact else 0.0,
        nan,  # missing_short
        nan,  # missing_long
        shared / fewest if both else 0.0,
        float(shared >= 2),
        float(not both),
        float(a.year is not None and a.year == b.year),
        float(a.year is None or b.year is None),
        nan,  # venue_same
        nan,  # venue_differs
        1.0 / max(1, len(small.content)),
        float(contained is not None),
        float(rules),
        float(both and _surname_like(a.authors[0], b.authors[0])),
        nan,  # head_same
        nan,  # unexplained_long
    ]
    if slow:
        venues = bool(a.venue and b.venue)
        compatible = venues and venues_compatible(a.venue, b.venue)
        x[4] = _unmatched(small.content, big.content) / max(1, len(small.content))
        x[5] = _unmatched(big.content, small.content) / max(1, len(big.content))
        x[11] = float(compatible)
        x[12] = float(venues and not compatible)
        x[17] = float(bool(small.content and big.content)
                      and _word_match(_head(small), _content_words(big)[:2]))
        x[18] = _unexplained(big, small) / max(1, len(big.content))
    return x


def _content_words(r: _Rec) -> list[str]:
    """The title's words in order, stop words left out."""
    return [t for t in r.tokens if t not in STOPWORDS]


def _head(r: _Rec) -> str:
    words = _content_words(r)
    return words[0] if words else ""


def _unexplained(big: _Rec, small: _Rec) -> int:
    """How many words of ``big``'s title ``small``'s lacks that are not notes on the
    publication ("tutorial", "extended version", a year) nor an author's surname (glued in
    front of a scraped title)."""
    names = {x.surname for x in (*big.authors, *small.authors) if len(x.surname) >= 3}
    return sum(1 for w in big.content if not _word_match(w, small.content) and w not in _NOTE_WORDS
               and not _YEARISH.match(w) and not any(_named(w, n) for n in names))


class _Scorer:
    """A logistic regression over :func:`_pair_features`: ``p = 1 / (1 + exp(-(w . x + b)))``;
    a pair the rules refused merges from ``threshold`` up, a looser match they found stands
    from ``veto`` up. Its weights are in data/paper_scorer.json, fitted by
    benchmarks/fit_dedupe_scorer.py (what it was fitted on is written there too)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if tuple(spec["features"]) != PAIR_FEATURES:
            raise ValueError("paper_scorer.json does not match PAIR_FEATURES: refit it")
        self.weights = np.asarray(spec["weights"], dtype=np.float64)
        self.bias = float(spec["bias"])
        self.threshold = float(spec["threshold"])
        self.veto = float(spec["veto"])
        # for lowest(): the weights of the fast features by position, and the bias plus the
        # least the slow ones can add (each within 0..1), as plain floats (no numpy per pair)
        slow = set(_SLOW_FEATURES)
        self._fast = [(k, float(w)) for k, w in enumerate(self.weights) if k not in slow]
        self._floor = self.bias + sum(min(0.0, float(self.weights[k])) for k in slow)

    def probability(self, x: Sequence[float]) -> float:
        z = float(np.dot(self.weights, np.asarray(x, dtype=np.float64))) + self.bias
        return 1.0 / (1.0 + float(np.exp(-z)))

    def lowest(self, x: Sequence[float]) -> float:
        """The least :meth:`probability` can be whatever the features left out (``nan``, each
        within 0..1; ``x`` from :func:`_pair_features` with ``slow=False``) are: so a match it
        cannot refuse is not scored word by word."""
        z = self._floor + sum(w * x[k] for k, w in self._fast)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


@functools.cache
def _scorer() -> _Scorer | None:
    """The shipped scorer (``None`` means the rules alone: tests set that; kg itself never does).
    Its weights are package data: a missing file is a broken install, said as such, never a
    matcher that quietly decides otherwise."""
    path = Path(__file__).with_name("data") / "paper_scorer.json"
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: the paper matcher's weights are missing from this install of kg "
            "(package data; reinstall kg, or refit them with benchmarks/fit_dedupe_scorer.py)")
    return _Scorer(json.loads(path.read_text(encoding="utf-8")))


def _may_rescue(a: _Rec, b: _Rec, shared: int) -> bool:
    """Whether the scorer may merge a pair the rules refused: not two author lists where
    fewer than half of the shorter are shared (as in bulk, :meth:`_BulkRefusal.too_few_shared`),
    and not a title that is the start or the end of the other with more words after or before
    it that :func:`_cut` does not explain ("Query Answering over Incomplete Databases" /
    "... with Access Patterns", "Potter's Wheel: ..." / "Scalable and Distributed Potter's
    Wheel: ..."): in any bibliography, another paper of the same people that narrows the first."""
    fewest = min(len(a.authors), len(b.authors))
    if fewest and shared < max(1, (fewest + 1) // 2):
        return False
    short, long_ = (a, b) if len(a.compact) <= len(b.compact) else (b, a)
    n = len(short.compact)
    if len(long_.compact) < n + 4:
        return True
    end = max(fuzz.ratio(short.compact, long_.compact[:n]), fuzz.ratio(short.compact, long_.compact[-n:]))
    return end < 92 or _cut(short, long_) is not None


def _unsure(
    a: _Rec, b: _Rec, ratio: float, shared: int, first: str, contained: Any,
    rules: tuple[float, str, str] | None = None,
) -> tuple[float, str, str] | None:
    """The scorer's verdict where the rules of :func:`_judge` are unsure: a looser match
    they found (``rules``: title words reworded or shuffled, a title inside a longer one),
    which it confirms or refuses, or a pair they refused on title wording alone (reworded
    past what a rule accepts), which it may merge. Either way nothing made the two records
    two works (identifiers, numbers, versions, names before a colon, years apart: all
    checked before, and final). It weighs every piece of evidence together
    (:func:`_pair_features`). It merges no pair of author lists where fewer than half of
    the shorter are shared (as in bulk, :meth:`_BulkRefusal.too_few_shared`). A match it
    confirms keeps the rules' score and reason; one it makes names its score (``scorer 0.93``)
    and the evidence."""
    scorer = _scorer()
    if scorer is None:
        return rules
    if rules is None and not _may_rescue(a, b, shared):
        return None
    if rules is not None:
        # the rules' match stands (with its own score and reason) unless the scorer doubts it:
        # most are settled without the slow features
        if scorer.lowest(_pair_features(a, b, ratio, shared, contained, True, slow=False)) >= scorer.veto:
            return rules
        x = _pair_features(a, b, ratio, shared, contained, True)
        return rules if scorer.probability(x) >= scorer.veto else None
    x = _pair_features(a, b, ratio, shared, contained, False)
    p = scorer.probability(x)
    if p < scorer.threshold:
        return None
    parts = [f"scorer {p:.2f}", f"title {ratio:.1f}", f"title words {100 * x[2]:.1f}"]
    if shared:
        parts.append(f"first author {first}" if shared == 1 else f"{shared} shared authors ({first}, ...)")
    if x[9]:
        parts.append("same year")
    if x[11]:
        parts.append("venue")
    return round(100.0 * p, 1), sys.intern(" + ".join(parts)), LOOSE


def _judge(
    a: _Rec, b: _Rec, ratio: float, common: frozenset[str] = frozenset(), *, ids: bool = True,
    overlap: tuple[int, str] | None = None,
) -> tuple[float, str, str] | None:
    """Score, reason and kind when ``a`` and ``b`` are the same paper; ``None`` otherwise.

    Several pieces of evidence are weighed together (title similarity in several forms,
    shared authors, year, venue); a few say "two works" whatever else agrees (different
    identifiers, numbers or versions, years far apart). ``common`` holds short titles that
    recur in the input (three records or more): they need shared authors, or the same year
    and venue, before they merge. ``ids=False`` judges on everything but the identifiers
    (to report a match that different identifiers refuse). ``overlap``: :func:`_overlap`
    of the two records when it is already known.
    """
    if ids and a.ids is not _NO_IDS and b.ids is not _NO_IDS:
        for kind in ("doi", "arxiv id", "openalex id", "semantic scholar id"):
            if kind in a.ids and a.ids.get(kind) == b.ids.get(kind):
                return 100.0, f"same {kind}", ID
        if _ids_differ(a, b):
            return None
    if not a.title or not b.title or _year_conflict(a, b) or _venue_conflict(a, b):
        return None
    if "2" in a.title or "2" in b.title:
        a, b = _spelled_out(a, b)
    # authors first: disjoint author lists end most judgements of look-alike titles cheaply
    shared, first = 0, ""
    a_authors, b_authors = a.authors, b.authors
    both_authors = bool(a_authors and b_authors)
    if both_authors:
        shared, first = _overlap(a, b) if overlap is None else overlap
        if shared == 0 and not _long_title(a, b):
            return None
    same = a.compact == b.compact
    ratio = 100.0 if same else max(ratio, fuzz.ratio(a.compact, b.compact))
    contained = None
    if not same:
        if ratio < 97:
            contained = _containment(a, b)
        if contained is not None:
            short, long_, _, span = contained
            # noise around a title is set aside, but a variant suffix never is ("CRCE-Large: ...")
            if _distinct_conflict(short, long_, span) or _variant_marker(
                short, long_, short.tokens, long_.tokens
            ) or not _parts(long_.special) <= _parts(short.special) or _about(long_, short):
                return None
            # the contained title's own name before its colon missing from the longer one,
            # which names another system before a colon ("DataBlitz: A High Performance ..."
            # in "A. Silberschatz. Dali: A High Performance ..."): in any bibliography the
            # paper of a sibling system of the same people, whose subtitle may be the same
            # (the rule for reworded titles below, where the other title names nothing)
            if short.prefix and _name_missing(short.prefix, long_) and _other_name(short.prefix, long_):
                return None
        elif _distinct_conflict(a, b):
            return None
    year_same = a.year is not None and a.year == b.year
    year_open = a.year is None or b.year is None
    fewest = min(len(a_authors), len(b_authors))
    authors_agree = shared >= max(1, (fewest + 1) // 2)
    venue_same = bool(a.venue and b.venue) and venues_compatible(a.venue, b.venue)

    def verdict(kind: str, score: float, how: str = LOOSE) -> tuple[float, str, str] | None:
        parts = [f"{kind} {score:.1f}" if score < 100 or kind != "title" else "same normalised title"]
        if year_same:
            parts.append("same year")
        if shared:
            parts.append(
                f"first author {first}" if shared == 1 else f"{shared} shared authors ({first}, ...)"
            )
        elif both_authors:
            parts.append("authors differ (long title, all but equal)")
            score = min(score, 90.0)
        if venue_same:
            parts.append("venue")
        found = score, sys.intern(" + ".join(parts)), how  # reasons repeat: one string each
        # a looser match is the scorer's to confirm or refuse (it weighs all the evidence)
        return found if how != LOOSE else _unsure(a, b, ratio, shared, first, contained, found)

    if ratio >= 97:
        generic = a.title in common or b.title in common or _front_matter(a) or _front_matter(b)
        if generic and not (shared or (year_same and venue_same)):
            return None
        return verdict("title", ratio, EXACT)
    if contained is not None:
        short, long_, score, span = contained
        # a scraped citation glues names of its authors in front of the title ("D., Tan, M.
        # Semantic Data Caching ...") and may garble its own author list ("S Dar, J MJ, S BT"):
        # an author of the other record named there, and missing from that list, is one of the
        # people who wrote both, in any bibliography
        if both_authors and not authors_agree:
            around = set(long_.tokens).difference(span)
            glued = sum(1 for x in short.authors if len(x.surname) >= 3 and x.surname in around
                        and not any(_surname_like(x, y) for y in long_.authors))
            if glued:
                authors_agree = shared + glued >= max(1, (fewest + 1) // 2)
        # extra text around a title: a scraped record's noise or a subtitle; it needs the
        # same people (or, without authors, the same year and venue) and a distinctive title
        # (a title cut right after its colon, "XML and Information Retrieval:", lost its
        # subtitle, the text around it on the other side: three words are enough then)
        enough = authors_agree or (not both_authors and year_same and (
            venue_same or (not (a.venue and b.venue) and (len(short.content) >= 4 or _cut_at_colon(short)))))
        # a year apart is let through by _year_conflict only when one side has no venue or is
        # a preprint (a report, an extended version, a preprint a year before or after its
        # publication, in any bibliography); it needs clearly the same people
        near = not (year_same or year_open) and authors_agree and both_authors
        if enough and (year_same or year_open or near) and (len(short.content) >= 3 or shared >= 2):
            return verdict("title contained", min(score, 96.0))
        return _unsure(a, b, ratio, shared, first, contained)
    # looser titles: the same year (or one unknown), the same people, the same named system
    if not (authors_agree and (year_same or year_open)):
        return _unsure(a, b, ratio, shared, first, None)
    # the same named system: a one-word name before one title's colon ("MiniCon: A Scalable
    # Algorithm for ...", "FACT: A Learning Based Web Query Processing System") that the other,
    # reworded title does not hold names the system the other paper lacks: in any
    # bibliography a reworded title without the name is a related paper of the same people
    # (a journal version that named the system, a workshop paper before it), not a copy
    # (a copy's typo in the name, "WMVLM" / "WMLVM", still holds it: one edit or swap; so
    # does the name glued to the next word when a colon was dropped, "GRNNRecurrent")
    name, other = (a.prefix, b) if not b.prefix else (b.prefix, a) if not a.prefix else ("", a)
    if _name_missing(name, other):
        return None
    small, big = (a, b) if len(a.content) <= len(b.content) else (b, a)
    # a reworded title that is the other one after "<something> for" ("A System for
    # Watermarking Relational Databases" / "Watermarking Relational Databases"): a system, a
    # tool or a method built for what the other paper is about, so another work in any
    # bibliography (a copy's noise cuts or adds words at the end, not a head like this one);
    # so is one word of work done on it ("Optimization of Hypothetical Queries in an OLAP
    # Environment" / "Hypothetical Queries in an OLAP Environment"), unless that word notes
    # the kind of publication ("Tutorial on X", "Demo of X": X itself, given as a tutorial)
    if big.title.endswith(" " + small.title):
        head = big.title[: -len(small.title) - 1].split()
        if head[-1] == "for" and not STOPWORDS.issuperset(head):
            return None
        if len(head) == 2 and head[1] in _HEAD_LINKS and head[0] not in STOPWORDS | _PUBLICATION_WORDS:
            return None
    missing_small = _unmatched(small.content, big.content)
    if ratio >= 85 and 3 * missing_small <= len(small.content):
        return verdict("title", ratio)
    if 3 * missing_small > len(small.content):
        return _unsure(a, b, ratio, shared, first, None)
    sort = fuzz.token_sort_ratio(a.title, b.title)
    # the same words in another order; with one person in common and a team of three or
    # more on one side (a lone author of one record among the other's team: weak evidence of
    # the same people), the same words on both sides: a word the longer adds names another
    # thing in any bibliography ("The Query by Image Content (QBIC) System" / "Query by
    # Image and Video Content: The QBIC System", by one of its authors: a later, wider paper)
    team = shared >= 2 or max(len(a_authors), len(b_authors)) < 3
    if sort >= 85 and (team or not _unmatched(big.content, small.content)):
        return verdict("title words", sort)
    if not year_same:
        return _unsure(a, b, ratio, shared, first, None)
    every = shared >= 2 and shared == len(a.authors) == len(b.authors)
    if every and ratio >= 75:
        return verdict("title", ratio)
    words = fuzz.token_set_ratio(" ".join(a.content), " ".join(b.content))
    # the same words shuffled, some dropped or added (a quarter of the shorter title's words
    # may be missing from the longer); but with a lone author of one record among the
    # other's team, every word of the shorter title (notes on the publication aside:
    # "panel", "book review") must be in the longer: a word the shorter keeps and the longer
    # lacks, while the longer adds its own, names another thing in any bibliography
    # ("Mariposa: A Wide-Area Distributed Database System" / "The Mariposa Distributed
    # Database Management System" by one of its authors: a companion paper of the team)
    if words >= 85 and len(small.content) >= 3 and (
            missing_small <= len(small.content) // 4 if team
            else not _unmatched([w for w in small.content if w not in _NOTE_WORDS], big.content)):
        return verdict("title words", min(words, max(ratio, sort)))
    # every word of the shorter title in the longer one; but a title inside a sentence more
    # than twice its length ("The Cubetree Storage Organization" in "An Alternative Storage
    # Organization for ROLAP Aggregate Views Based on Cubetrees") is usually another paper of
    # the same people, in any bibliography (the rule _containment applies to runs of words)
    if missing_small == 0 and 2 * len(small.content) >= len(big.content) and (
            len(small.content) >= 3 or len(small.content) == 2 and shared >= 2):
        return verdict("title contained", 100.0 * len(small.content) / len(big.content))
    return _unsure(a, b, ratio, shared, first, None)


def match_pair(a: Paper, b: Paper) -> PaperMatch | None:
    """The matcher's decision on two records alone: a :class:`PaperMatch` or ``None``.

    >>> from kg.model import Source
    >>> x = Paper(title="BERT: Pre-training of Deep Bidirectional Transformers", source=Source("a", 1),
    ...           format="x", year=2019, authors=(Author("Devlin J", 1), Author("Chang MW", 2)))
    >>> y = Paper(title="BERT: pre-training of deep bidirectional transformers", source=Source("b", 1),
    ...           format="x", year=2019, authors=(Author("Jacob Devlin", 1), Author("Ming-Wei Chang", 2)))
    >>> match_pair(x, y).reason
    'same normalised title + same year + 2 shared authors (Devlin, ...)'
    """
    ra, rb = _features(a), _features(b)
    verdict = _judge(ra, rb, fuzz.ratio(ra.title, rb.title))
    return PaperMatch(0, 1, verdict[0], verdict[1]) if verdict else None


# --- blocking: cheap keys, compared in bulk ----------------------------------------------------


def _candidate_pairs(recs: Sequence[_Rec], window: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
    """Candidate record pairs as sorted, unique ``i * n + j`` codes (``i < j``), and how many
    blocking keys each pair shares.

    Every record is filed under each title word and its exact title, and looks its
    candidates up by its rarest title words (those another record shares) and its exact
    title: so a short title is found inside its long version, a typo in one word leaves the
    others, and a dropped word leaves the rest. Inside a key, records are sorted by title
    and a looking-up record meets its ``window`` neighbours on each side (all of a small
    key), so the work grows linearly with the records. Entries are int32 columns (a million
    records' blocking fits in a few hundred MB).
    """
    n = len(recs)
    # every titled record's words, then its title (marked by a leading NUL, which no
    # normalised title has): words and whole titles share one key space, numbered in order
    # of first appearance
    titled = [i for i, r in enumerate(recs) if r.title]
    if not titled:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int16)
    seq = [t for i in titled for t in (*recs[i].content, "\0" + recs[i].title)]
    # numbered in C: a missing key takes the next number (the order of first appearance)
    vocab: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    keys_a = np.fromiter(map(vocab.__getitem__, seq), dtype=np.int32, count=len(seq))
    nkeys = len(vocab)
    del vocab
    counts = np.fromiter((len(recs[i].content) + 1 for i in titled), dtype=np.int64, count=len(titled))
    title_at = np.cumsum(counts) - 1
    recs_a = np.repeat(np.asarray(titled, dtype=np.int32), counts)
    del counts
    # where each key appears first (keys are numbered in order of first appearance)
    first = np.flatnonzero(np.r_[True, keys_a[1:] > np.maximum.accumulate(keys_a)[:-1]])
    is_title_seq = np.zeros(len(seq), dtype=bool)
    is_title_seq[title_at] = True
    is_title = is_title_seq[first]  # which keys are whole titles
    del is_title_seq
    title_key = np.full(n, -1, dtype=np.int64)  # each record's exact-title key
    title_key[titled] = keys_a[title_at]
    del title_at, titled
    # records in title order (ties by index): the unique titles sorted once, in C
    tkeys = np.flatnonzero(is_title)
    tstrs = [seq[f] for f in first[tkeys].tolist()]
    del seq, first
    key_rank = np.zeros(nkeys, dtype=np.int64)
    key_rank[tkeys[np.asarray(sorted(range(len(tstrs)), key=tstrs.__getitem__), dtype=np.int64)]] = (
        np.arange(1, len(tkeys) + 1))
    del tstrs, tkeys
    title_rank = np.empty(n, dtype=np.int32)
    title_rank[np.argsort(np.where(title_key >= 0, key_rank[title_key], 0), kind="stable")] = np.arange(
        n, dtype=np.int32)
    del key_rank, title_key
    df = np.bincount(keys_a, minlength=nkeys).astype(np.int32)
    # the lookup keys: per record, its RARE_KEYS rarest words with df > 1, and its title
    dfk = df[keys_a]
    never = np.iinfo(np.int32).max
    rank_key = np.where(is_title[keys_a] | (dfk < 2), never, dfk)
    if (n + 2) ** 2 * nkeys < 1 << 62:  # one int64 sort key: much faster than lexsort
        order = np.argsort((recs_a.astype(np.int64) * (n + 2) + np.minimum(rank_key, n + 1)) * nkeys + keys_a)
    else:
        order = np.lexsort((keys_a, rank_key, recs_a))
    r_sorted = recs_a[order]
    starts = np.r_[0, np.flatnonzero(np.diff(r_sorted)) + 1]
    del r_sorted
    pos_in_rec = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    look = np.zeros(len(order), dtype=bool)
    look[order[(pos_in_rec < RARE_KEYS) & (rank_key[order] != never)]] = True
    del order, pos_in_rec, starts, rank_key
    look |= is_title[keys_a]
    # keys that someone looks up; inside each, records in title order
    wanted = np.zeros(nkeys, dtype=bool)
    wanted[keys_a[look]] = True
    keep = wanted[keys_a] & (dfk > 1)
    del dfk
    recs_a, keys_a, look = recs_a[keep], keys_a[keep], look[keep]
    order = np.argsort(keys_a.astype(np.int64) * n + title_rank[recs_a])  # by key, then title
    recs_a, keys_a, look = recs_a[order], keys_a[order], look[order]
    del order, title_rank
    # the pairs of records up to ``window`` apart in a key, one looking up: counted first,
    # then written into one array (no list of pieces and no concatenated copy at the peak)
    masks = []
    for d in range(1, window + 1):
        ok = (keys_a[:-d] == keys_a[d:]) & (look[:-d] | look[d:])
        if not ok.any():
            break
        masks.append(ok)
    del keys_a, look
    total = sum(int(np.count_nonzero(ok)) for ok in masks)
    if not total:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int16)
    codes = np.empty(total, dtype=np.int64)
    at = 0
    for d, ok in enumerate(masks, start=1):
        x, y = recs_a[:-d][ok].astype(np.int64), recs_a[d:][ok].astype(np.int64)
        codes[at : at + len(x)] = np.minimum(x, y) * n + np.maximum(x, y)
        at += len(x)
    del masks, recs_a, x, y
    codes.sort()
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    np.not_equal(codes[1:], codes[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    shared = np.diff(np.append(starts, len(codes))).astype(np.int16)  # how many keys each pair shares
    del starts
    return codes[new], shared


def _pair_scores(titles: np.ndarray, ia: np.ndarray, ib: np.ndarray, scorer: Any) -> np.ndarray:
    """``scorer(titles[ia[k]], titles[ib[k]])`` for every k as uint8, what ``process.cpdist``
    gives (``titles`` an object array; only the titles a call needs are taken): where
    the pairs come in runs of one first record (``ia`` sorted, as candidate pairs are),
    each run is one ``process.cdist`` call of its first title against the others, so the
    title is prepared once per run rather than once per pair (a third less time at a
    million records, 30 pairs per run)."""
    m = len(ia)
    if not m:
        return np.zeros(0, dtype=np.uint8)
    starts = np.flatnonzero(np.r_[True, ia[1:] != ia[:-1]])
    tb = titles[ib]
    if m < 8 * len(starts):  # short runs: one call per pair would cost more
        return process.cpdist(titles[ia], tb, scorer=scorer, workers=-1, dtype=np.uint8)
    out = np.empty(m, dtype=np.uint8)
    cdist = process.cdist
    queries = titles[ia[starts]].tolist()
    for lo, hi, query in zip(starts.tolist(), [*starts[1:].tolist(), m], queries, strict=True):
        out[lo:hi] = cdist((query,), tb[lo:hi], scorer=scorer, dtype=np.uint8)[0]
    return out


def _identifier_pairs(recs: Sequence[_Rec]) -> list[tuple[int, int, str]]:
    """Pairs of records that share an identifier (each record with the first one that has it)."""
    out = []
    with_ids = [(i, r) for i, r in enumerate(recs) if r.ids]  # (most records have none)
    for kind in ("doi", "arxiv id", "openalex id", "semantic scholar id"):
        first: dict[str, int] = {}
        for i, r in with_ids:
            if (v := r.ids.get(kind)) is not None:
                j = first.setdefault(v, i)
                if j != i:
                    out.append((j, i, kind))
    return out


def match_papers(records: Sequence[Paper], *, keep_pairs: bool = False) -> MatchResult:
    """Cluster ``records`` and say how much work it took; see :func:`cluster_papers`.

    >>> from kg.model import Source
    >>> r = match_papers([Paper(title="", source=Source("a", 1), format="x"),
    ...                   Paper(title="", source=Source("a", 2), format="x")])
    >>> r.labels, r.comparisons
    ([0, 1], 0)
    """
    return _match([_features(p) for p in records], keep_pairs=keep_pairs)


def _match(recs: Sequence[_Rec], *, keep_pairs: bool = False, progress: bool = False) -> MatchResult:
    """Block, score all candidate titles in bulk, judge the pairs that pass, cluster."""
    try:
        with gc_paused():
            return _match_all(recs, keep_pairs=keep_pairs, progress=progress)
    finally:
        # the caches are sized for a million records' distinct author strings (smaller
        # ones would evict and parse again): emptied after each run
        _parsed_authors.cache_clear()
        _person.cache_clear()
        _overlap.cache_clear()
        _author_sig.cache_clear()


def _bar(progress: bool, desc: str, unit: str, total: int | None = None) -> tqdm:
    """A progress bar on standard error, or a silent one."""
    return tqdm(desc=f"dedupe: {desc}", unit=unit, total=total, unit_scale=True, leave=False,
                disable=not progress, file=sys.stderr)


def _match_all(recs: Sequence[_Rec], *, keep_pairs: bool = False, progress: bool = False) -> MatchResult:
    n = len(recs)
    counts = Counter(r.title for r in recs if r.title)
    common = frozenset(r.title for r in recs if r.title and counts[r.title] >= 3 and _generic(r))
    with _bar(progress, f"blocking {n:,} records", "record"):
        codes, shared = _candidate_pairs(recs)
    bar = _bar(progress, "comparing candidate pairs", "pair", total=len(codes))
    scored: list[tuple[float, int, int, str, str]] = []
    seen_id: set[tuple[int, int]] = set()
    for i, j, kind in _identifier_pairs(recs):
        seen_id.add((i, j))
        scored.append((100.0, i, j, f"same {kind}", ID))
    judged = refused = 0
    bulk = _BulkRefusal(recs)
    exact = _BulkExact(recs, bulk, common)
    conflicts: list[IdConflict] = []
    clean: set[int] = set()
    titles = np.empty(n, dtype=object)
    titles[:] = [r.title for r in recs]
    lengths = np.fromiter((len(r.title) for r in recs), dtype=np.int64, count=n)
    for lo in range(0, len(codes), 1 << 20):  # in slices, so memory stays flat
        chunk, keys = codes[lo : lo + (1 << 20)], shared[lo : lo + (1 << 20)]
        bar.update(lo - bar.n)  # the pairs of the slices before this one
        ia, ib = chunk // n, chunk % n
        # the character score is at most 200 * shorter / (sum of lengths): a pair whose
        # lengths alone keep it below the bar is not scored (its ratio stays 0 until needed)
        la, lb = lengths[ia], lengths[ib]
        near = np.flatnonzero(200 * np.minimum(la, lb) >= (PREFILTER_RATIO - 1) * (la + lb))
        del la, lb
        ratio = np.zeros(len(chunk), dtype=np.uint8)
        ratio[near] = _pair_scores(titles, ia[near], ib[near], fuzz.ratio)
        # a low character score with two shared words or more (dropped, swapped, abbreviated
        # words) gets a word-set score; a pair that shares one word only is not looked at
        low = np.flatnonzero((ratio < PREFILTER_RATIO) & (keys >= 2))
        passed = ratio >= PREFILTER_RATIO
        if len(low):
            words = _pair_scores(titles, ia[low], ib[low], fuzz.token_set_ratio)
            up = low[words >= PREFILTER_WORDS]
            passed[up] = True
            far = np.setdiff1d(up, near, assume_unique=True)
            if len(far):  # the judge weighs the character score too: the few passed are scored
                ratio[far] = _pair_scores(titles, ia[far], ib[far], fuzz.ratio)
        keep = np.flatnonzero(passed)
        if len(keep):
            no = bulk.refused(ia[keep], ib[keep])
            refused += int(np.count_nonzero(no))
            keep = keep[~no]
        if not len(keep):
            continue
        # the authors of the pairs left, compared in bulk where they can be
        ka, kb = ia[keep], ib[keep]
        bulk._build(np.concatenate([ka, kb]))
        known = np.zeros(len(keep), dtype=bool)
        shared_of, first_of = np.zeros(len(keep), dtype=np.int64), np.zeros(len(keep), dtype=np.int64)
        both = np.flatnonzero((bulk.count[ka] > 0) & (bulk.count[kb] > 0))
        known[both], shared_of[both], first_of[both] = bulk.overlaps(ka[both], kb[both])
        # near-exact titles with nothing against them: decided in bulk
        at, rows, ok = exact.verdicts(ka, kb, ratio[keep], (known, shared_of, first_of))
        judged += len(rows)
        scored += rows
        clean.update(ok)
        left = np.ones(len(keep), dtype=bool)
        left[at] = False
        # too few shared authors for anything but a near-exact title: refused in bulk
        no = bulk.too_few_shared(ka, kb, ratio[keep], (known, shared_of), left, exact)
        judged += len(no)
        left[no] = False
        keep, known = keep[left].tolist(), known[left].tolist()
        written = bulk.surname_as_written
        for i, j, r, told, s, f in zip(ia[keep].tolist(), ib[keep].tolist(), ratio[keep].tolist(), known,
                                       shared_of[left].tolist(), first_of[left].tolist(), strict=True):
            if seen_id and (i, j) in seen_id:
                continue
            judged += 1
            a, b = recs[i], recs[j]
            verdict = _judge(a, b, float(r), common, overlap=(s, written(f) if s else "") if told else None)
            if verdict:
                scored.append((verdict[0], i, j, verdict[1], verdict[2]))
                # (a title inside a longer one, which the scorer may merge too, was checked for
                # numbers on its run of words only: the union checks it again)
                if not verdict[1].startswith(("title contained", "scorer")) and (
                    a.title == b.title or a.compact != b.compact
                ):
                    clean.add(i * n + j)  # judged on every test _conflict makes
            elif _ids_differ(a, b) and (verdict := _judge(a, b, float(r), common, ids=False)):
                conflicts.append(_id_conflict(recs, i, j, verdict[0], verdict[1]))
    bar.update(len(codes) - bar.n)
    bar.close()
    with _bar(progress, f"clustering {len(scored):,} matches", "match"):
        labels, matches = _union(n, recs, _unambiguous(recs, scored, common), conflicts, clean)
    conflicts.sort(key=lambda c: (c.a, c.b))
    del bulk, exact
    return MatchResult(labels, matches, comparisons=len(codes), blocks=0, judged=judged,
                       pairs=codes if keep_pairs else None, conflicts=conflicts, refused=refused)


def _unambiguous(
    recs: Sequence[_Rec], scored: list[tuple[float, int, int, str, str]], common: frozenset[str]
) -> list[tuple[float, int, int, str, str]]:
    """Keep the title merges that are not ambiguous (identifier merges are always kept).

    * A looser title match between two records without exact twins must be the best match
      of one of them; a looser copy joins an exact group on a fair title (score >=
      ``LOOSE_JOINS_GROUP``) unless it matches two such groups;
      and two exact groups join only on a close title (score >= ``LOOSE_JOINS_GROUPS``):
      "XSB as a Deductive Database" (twice) and "XSB as an Efficient Deductive Database
      Engine" (twice) are two papers seen twice each, while a third, looser copy of a paper
      joins its exact pair, whatever the number of copies.
    * A short title that recurs over the years (one of ``common``, the short titles of three
      records or more, with two years or more: "Editor's Notes", "Chair's Message") names
      a column, not a paper: its records merge only when each has exactly one partner
      that passes every test.
    """
    strong: set[int] = set()
    partners: Counter[int] = Counter()
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for _, i, j, _, how in scored:
        if how != LOOSE:
            strong.update((i, j))
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
        if how != ID:
            partners[i] += 1
            partners[j] += 1
    best: dict[int, float] = defaultdict(float)
    torn: dict[int, set[int]] = defaultdict(set)  # the exact groups a record loosely matches
    for score, i, j, _, how in scored:
        if how == LOOSE:
            best[i] = max(best[i], score)
            best[j] = max(best[j], score)
            if j in strong:
                torn[i].add(find(j))
            if i in strong:
                torn[j].add(find(i))
    years: dict[str, set[int]] = defaultdict(set)
    for r in recs:
        if r.year is not None and r.title in common:
            years[r.title].add(r.year)
    recurring = {i for i, r in enumerate(recs) if len(years.get(r.title, ())) >= 2} if years else set()
    kept = []
    for s in scored:
        score, i, j, _, how = s
        if how == LOOSE:
            if {i, j} <= strong:  # two exact groups: only a close title joins them
                if score < LOOSE_JOINS_GROUPS:
                    continue
            elif {i, j} & strong:  # a looser copy joins the one exact group it matches
                if score < LOOSE_JOINS_GROUP or len(torn[j if i in strong else i]) > 1:
                    continue
            elif score < best[i] and score < best[j]:
                continue
        if how != ID and {i, j} & recurring and (partners[i] > 1 or partners[j] > 1):
            continue
        kept.append(s)
    return kept


#: a looser title joins two groups of exact copies only from this score up
LOOSE_JOINS_GROUPS = 90.0
#: ... and a looser copy joins one group of exact copies from this score up
LOOSE_JOINS_GROUP = 85.0
#: a merge of two clusters checks at most this many record pairs for a conflict
CLUSTER_CHECK_CAP = 2500


def _titles_alike(a: _Rec, b: _Rec) -> bool:
    """Titles close enough to belong to one cluster joined by a looser match (no chains)."""
    if a.title == b.title:
        return True
    return max(fuzz.ratio(a.title, b.title), fuzz.token_set_ratio(a.title, b.title)) >= 80


def _union(
    n: int, recs: Sequence[_Rec], scored: list[tuple[float, int, int, str, str]],
    conflicts: list[IdConflict] | None = None, clean: set[int] | frozenset[int] = frozenset(),
) -> tuple[list[int], list[PaperMatch]]:
    """Union-find, strongest merges first; two clusters join only if no pair of their
    records is in conflict (different DOIs, years, numbers, disjoint authors), and, for a
    looser title match, every pair of their titles is alike: so a chain of look-alikes
    ("Chair's Message" of 1997, 1998, 1999 ..., or A ~ B ~ C with A !~ C) cannot grow.
    A merge refused because the two clusters hold different identifiers is added to
    ``conflicts`` (one :class:`IdConflict` per pair of clusters). ``clean`` holds the pairs
    (``i * n + j``, ``i < j``) already judged a match on every test :func:`_conflict` makes."""
    parent = list(range(n))
    members: dict[int, list[int]] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    matches: list[PaperMatch] = []
    reported = {(c.a, c.b) for c in conflicts or ()}
    for score, i, j, reason, how in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        mi, mj = members.get(ri, [ri]), members.get(rj, [rj])
        if 1 < len(mi) * len(mj) <= CLUSTER_CHECK_CAP and any(
            ((x * n + y if x < y else y * n + x) not in clean and _conflict(recs[x], recs[y]))
            or (how == LOOSE and not _titles_alike(recs[x], recs[y]))
            for x in mi
            for y in mj
            if (x, y) != (i, j)
        ):
            if conflicts is not None:
                clash = next(((x, y) for x in mi for y in mj if _ids_differ(recs[x], recs[y])), None)
                if clash is not None and (clash := (min(clash), max(clash))) not in reported:
                    reported.add(clash)
                    conflicts.append(_id_conflict(recs, *clash, score, reason, (i, j)))
            continue
        member = j if ri < rj else i  # the record whose cluster joins the older one
        ri, rj = min(ri, rj), max(ri, rj)
        parent[rj] = ri
        members[ri] = mi + mj
        members.pop(rj, None)
        matches.append(PaperMatch(ri, member, score, reason))
    # every record's root, by pointer jumping in bulk (what find(i) says for each i)
    roots = np.asarray(parent, dtype=np.int64)
    while True:
        up = roots[roots]
        if np.array_equal(up, roots):
            break
        roots = up
    labels = roots.tolist()
    return labels, [PaperMatch(labels[m.kept], m.member, m.score, m.reason) for m in matches]


def cluster_papers(records: Sequence[Paper]) -> tuple[list[int], list[PaperMatch]]:
    """Cluster ``records``: ``labels[i]`` is the index of the first record of i's cluster.

    >>> from kg.model import Source
    >>> a = Paper(title="How to Train Your HiPPO: State Space Models", source=Source("a", 1), format="x")
    >>> b = Paper(title="How to train your HiPPO - state space models.", source=Source("b", 5), format="x")
    >>> c = Paper(title="How to Train Your Dragon: State Space Models", source=Source("c", 2), format="x")
    >>> labels, matches = cluster_papers([a, b, c])
    >>> labels
    [0, 0, 2]
    >>> matches[0].reason
    'same normalised title'
    """
    result = match_papers(records)
    return result.labels, result.matches


# --- kg dedupe: a file of records in, one cluster per record out ------------------------------

#: columns ``kg dedupe`` needs, and the ones it reads when present
REQUIRED_COLUMNS = ("id", "title")
OPTIONAL_COLUMNS = ("authors", "venue", "year", "doi", "arxiv_id", "openalex", "s2")


@dataclass(slots=True)
class DedupeSummary:
    """What :func:`dedupe_file` read and wrote: ``read = records + quarantined``, and
    ``records = clusters + merged``."""

    path: str
    out: str
    records: int  # records clustered
    clusters: int
    comparisons: int
    encoding: str
    separator: str | None  # None for JSON lines
    notes: list[str] = field(default_factory=list)
    conflicts: int = 0  # matches refused for different identifiers (see dedupe_file)
    conflicts_out: str | None = None
    quarantined: list[Quarantined] = field(default_factory=list)  # records set aside, in file order
    quarantine_out: str | None = None

    @property
    def merged(self) -> int:
        """Records that joined another record's cluster."""
        return self.records - self.clusters

    @property
    def read(self) -> int:
        """Every record of the file: the clustered and the quarantined."""
        return self.records + len(self.quarantined)


def _decode(path: str, data: bytes, notes: list[str]) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        notes.append(f"{path} is not UTF-8 (first bad byte on line {line}); read it as latin-1")
        return data.decode("latin-1"), "latin-1"


def _split_authors(value: object) -> tuple[Author, ...]:
    """Authors from a list or a string (see :func:`_author_names`)."""
    return tuple(Author(name=n, position=k + 1) for k, n in enumerate(_author_names(value)))


def _paper_from_row(row: dict[str, Any], path: str, line: int) -> Paper:
    def text(key: str) -> str | None:
        value = row.get(key)
        return str(value).strip() if value not in (None, "") and str(value).strip() else None

    return Paper(
        title=text("title") or "",
        source=Source(path, line),
        format="dedupe",
        authors=_split_authors(row.get("authors")),
        venue=text("venue"),
        year=_year(row.get("year")),
        doi=text("doi"),
        arxiv_id=text("arxiv_id") or text("arxiv"),
        openalex=text("openalex"),
        s2=text("s2"),
        extra={k: v for k, v in row.items() if k not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS},
    )


def _set_aside(bad: list[Quarantined] | None, path: str, line: int, reason: str, text: str) -> None:
    """Quarantine one record into ``bad``; without a list to keep it in, refuse the file."""
    if bad is None:
        raise InputError(path, line, reason)
    bad.append(Quarantined(Source(path, line), reason, text))


def _missing(get: Any) -> list[str]:
    return [c for c in REQUIRED_COLUMNS if get(c) is None or not str(get(c)).strip()]


def _read_csv(path: str, text: str, sep: str | None, notes: list[str], make: Any = None,
              bad: list[Quarantined] | None = None) -> tuple[list, str]:
    """The records of a CSV text; a row that cannot be one (a field too many or too few, no
    id or title) goes to ``bad`` and the rows after it are read on."""
    lines = io.StringIO(text, newline="").readlines()  # lines as the csv module reads them
    header_line = next((k for k, ln in enumerate(lines) if ln.strip()), None)
    if header_line is None:
        raise InputError(path, None, "the file is empty; expected a header line with columns id,title,...")
    if sep is None:
        sample = "".join(lines[header_line : header_line + 50])
        try:
            sep = csv.Sniffer().sniff(sample, delimiters=",;\t|%").delimiter
        except csv.Error:
            sep = ","
            notes.append(f"{path}: could not detect the separator; used ','")
    make = make or _paper_from_row

    def reader_from(start: int) -> Any:  # a reader from physical line ``start + 1`` on
        return csv.reader((lines[k] for k in range(start, len(lines))), delimiter=sep)

    reader, offset, previous = reader_from(0), 0, 0
    rows: list = []
    header: list[str] | None = None
    while True:
        line = offset + previous + 1  # the physical line the next record starts on
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a NUL byte, a field past the size limit (an open quote)
            _set_aside(bad, path, line, f"not a CSV record ({exc})", lines[line - 1].rstrip("\r\n"))
            reader, offset, previous = reader_from(line), line, 0
            continue
        spans = reader.line_num - previous
        previous = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if header is None:
            header = [h.strip().lower() for h in fields]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise InputError(
                    path,
                    line,
                    f"header {lines[line - 1].rstrip()!r} (separator {sep!r}) has no column "
                    f"{', '.join(missing)}; expected columns "
                    f"{', '.join(REQUIRED_COLUMNS + ('authors', 'venue', 'year'))}"
                    " (use --sep to set the separator)",
                )
            continue
        if len(fields) != len(header):
            _set_aside(bad, path, line, f"expected {len(header)} fields separated by {sep!r} (as in the "
                       f"header), found {len(fields)}", lines[line - 1].rstrip("\r\n"))
            if spans > 1:  # a quote left open took the lines after it: they are read again
                reader, offset, previous = reader_from(line), line, 0
            continue
        row = dict(zip(header, fields, strict=True))
        if missing := _missing(row.get):
            _set_aside(bad, path, line, f"record has no {', '.join(missing)}",
                       "".join(lines[line - 1 : line - 1 + spans]).rstrip("\r\n"))
            continue
        rows.append((row["id"].strip(), make(row, path, line)))
    return rows, sep


def _read_jsonl(path: str, lines: Any, make: Any = None, bad: list[Quarantined] | None = None) -> list:
    """The records of JSON lines; a line that is not one (not JSON, not an object, no id or
    title) goes to ``bad`` and the lines after it are read on."""
    rows: list = []
    make = make or _paper_from_row
    scan = _SCAN
    for line, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            # the decoder's scanner, as json.loads calls it, on a line that is one JSON value
            # from its first character to its last (almost every line); anything else goes
            # through json.loads: a line is read, or refused, as json.loads reads it
            try:
                obj, end = scan(raw, 0)
            except StopIteration:
                end = -1
            if end != len(raw):
                obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            _set_aside(bad, path, line, f"not a JSON object ({exc.msg}); expected one record per line", raw)
            continue
        if not isinstance(obj, dict):
            _set_aside(bad, path, line, "expected a JSON object with keys id, title, ...", raw)
            continue
        get = obj.get
        if missing := [c for c in REQUIRED_COLUMNS if get(c) in (None, "")]:
            _set_aside(bad, path, line, f"record has no {', '.join(missing)}; expected keys id, title, ...",
                       raw)
            continue
        rows.append((str(obj["id"]), make(obj, path, line)))
    return rows


#: the standard decoder's scanner: one JSON value from a position, (value, end)
_SCAN = json.JSONDecoder().scan_once


def read_records(
    path: str | Path, sep: str | None = None, notes: list[str] | None = None
) -> tuple[list[str], list[Paper], str, str | None]:
    """Read a CSV (any separator) or JSON-lines file of records: ids, papers, encoding, separator.

    A record that cannot be read raises :class:`~kg.errors.InputError` (``kg dedupe``
    quarantines it instead).

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "r.csv")
    >>> _ = open(p, "w").write("id;title;authors;year\\n1;A Title;Ann Lee, Bo Chen;2020\\n")
    >>> ids, papers, enc, sep = read_records(p)
    >>> ids, [a.name for a in papers[0].authors], papers[0].year, sep
    (['1'], ['Ann Lee', 'Bo Chen'], 2020, ';')
    """
    rows, encoding, used = _read_rows(path, sep, notes, _paper_from_row)
    return [r for r, _ in rows], [p for _, p in rows], encoding, used


_ID_COLUMNS = frozenset(["doi", "arxiv_id", "arxiv", "openalex", "s2"])


def _rec_from_row(row: dict[str, Any], path: str, line: int) -> tuple[_Rec, int]:
    """A row straight into comparable form (no Paper object: ``kg dedupe`` reads millions)."""
    get = row.get
    if _ID_COLUMNS.isdisjoint(row):  # most rows: no identifier column at all
        ids = _NO_IDS
    else:
        ids = _paper_ids(get("doi"), get("arxiv_id") or get("arxiv"), get("openalex"), get("s2"))
    venue = row.get("venue")
    rec = _record(str(row.get("title") or "").strip(), row.get("year"), row.get("authors"),
                  str(venue) if venue not in (None, "") else None, ids)
    return rec, line


def _read_rows(
    path: str | Path, sep: str | None, notes: list[str] | None, make: Any,
    bad: list[Quarantined] | None = None,
) -> tuple[list, str, str | None]:
    """``(id, make(row))`` of each record, the encoding and the CSV separator. Records that
    cannot be read, and a record whose id an earlier one has, go to ``bad`` (without it:
    :class:`~kg.errors.InputError`)."""
    path = str(path)
    notes = notes if notes is not None else []
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
        gz = head[:2] == _GZIP_MAGIC  # a compressed file is read as what it holds
        if gz:
            with gzip.open(path, "rb") as fh:
                head = fh.read(4096)
    except gzip.BadGzipFile as exc:
        raise InputError(path, None, f"cannot read the compressed (.gz) data ({exc}); expected a gzip "
                         "file of JSON lines or CSV") from None
    except OSError as exc:
        raise InputError(path, None, f"cannot read the file ({exc.strerror or exc})") from None
    except (EOFError, zlib.error):
        head = b""  # a truncated or damaged .gz: what can be read of it is read below
    name = path.removesuffix(".gz") if gz else path
    jsonl = name.endswith((".jsonl", ".ndjson")) or (head.lstrip()[:1] == b"{" and sep is None)
    rows: list | None = None
    used: str | None = None
    encoding = "utf-8"
    taken = len(bad) if bad is not None else 0
    broken: list[str] = []  # why a compressed file ended early
    if jsonl:
        try:  # JSON lines are streamed: a million records never sit in memory as one text
            with _open(path, gz, "rt", encoding="utf-8-sig") as fh:
                rows = _read_jsonl(path, _lines_of(fh, broken), make, bad)
        except UnicodeDecodeError:
            rows = None
            broken.clear()
            if bad is not None:
                del bad[taken:]
    if rows is None:
        with _open(path, gz, "rb") as fh:
            data = b"".join(_lines_of(fh, broken))
        text, encoding = _decode(path, data, notes)
        del data
        if jsonl:
            rows = _read_jsonl(path, text.splitlines(), make, bad)
        else:
            rows, used = _read_csv(path, text, sep, notes, make, bad)
    if broken and not rows and (bad is None or len(bad) == taken):
        raise InputError(path, None, f"cannot read the compressed (.gz) data ({broken[0]}); expected a "
                         "gzip file of JSON lines or CSV")
    if broken:
        # the records before the damage are read; the damage itself is one record set aside
        last = max([item.source.line if isinstance(item, Paper) else item[1] for _, item in rows[-1:]]
                   + [q.source.line for q in (bad or [])[taken:]] + [0])
        _set_aside(bad, path, last + 1, f"the compressed (.gz) data ends early ({broken[0]}): the file is "
                   "truncated or damaged; the records before this line were read", "")
    seen: dict[str, int] = {}
    again: dict[int, int] = {}  # row -> its line, for rows whose id came before
    for k, (rid, item) in enumerate(rows):
        line = item.source.line if isinstance(item, Paper) else item[1]
        if rid in seen:
            if bad is None:
                raise InputError(path, line,
                                 f"id {rid!r} was already used on line {seen[rid]}; ids must be unique")
            again[k] = line
        else:
            seen[rid] = line
    if again:
        texts = _line_texts(path, set(again.values()), encoding)
        for k, line in again.items():
            rid = rows[k][0]
            bad.append(Quarantined(Source(path, line), f"id {rid!r} was already used on line {seen[rid]}; "
                                   "ids must be unique", texts.get(line, "")))
        rows = [row for k, row in enumerate(rows) if k not in again]
    if bad is not None:
        bad[taken:] = sorted(bad[taken:], key=lambda q: q.source.line)  # in file order
    return rows, encoding, used


def _line_texts(path: str, wanted: set[int], encoding: str) -> dict[int, str]:
    """Some lines of a file as written, by number (for records found bad after reading)."""
    out: dict[int, str] = {}
    with open(path, "rb") as fh:
        gz = fh.read(2) == _GZIP_MAGIC
    with _open(path, gz, "rt", encoding="utf-8-sig" if encoding == "utf-8" else encoding, errors="replace",
               newline="") as fh:
        for line, text in enumerate(_lines_of(fh, []), start=1):
            if line in wanted:
                out[line] = text.rstrip("\r\n")
                if len(out) == len(wanted):
                    break
    return out


_GZIP_MAGIC = b"\x1f\x8b"


def _open(path: str, gz: bool, mode: str, **kwargs: Any) -> Any:
    """``path`` opened, through gzip when it is compressed."""
    return gzip.open(path, mode, **kwargs) if gz else open(path, mode, **kwargs)  # noqa: SIM115


def _lines_of(fh: Any, broken: list[str]) -> Iterator[Any]:
    """The lines of an open file (text lines without their ends); where compressed data
    ends early, the lines before it, and why in ``broken``."""
    text = isinstance(fh, io.TextIOBase)
    try:
        for line in fh:
            yield line.rstrip("\r\n") if text else line
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        broken.append(str(exc) or type(exc).__name__)


def dedupe_file(
    path: str | Path, out: str | Path, sep: str | None = None, conflicts: str | Path | None = None,
    quarantine: str | Path | None = None, *, progress: bool = False,
) -> DedupeSummary:
    """Cluster the records of ``path`` with :func:`match_papers`; write one JSON line per
    record to ``out``: ``{"id": ..., "cluster": <id of the cluster's first record>}`` plus
    ``"score"`` and ``"reason"`` for a record that joined a cluster. Records are read into
    compact columns (no Paper objects), so a million fit in a few GB.

    Records that read as one paper but carry different DOIs or arXiv ids stay in separate
    clusters; ``conflicts`` (a path) receives one JSON line per such refusal:
    ``{"ids": [a, b], "identifier": "doi", "values": [doi of a, doi of b], "score", "reason"}``
    (plus ``"via": [x, y]`` when the match of x and y would have joined a's and b's clusters).
    A record that cannot be used (a line that is not JSON or not an object, a CSV row with a
    field too many or too few, no id or no title, an id an earlier record has) is quarantined:
    the rest of the file is read on, and ``quarantine`` (default: beside ``out``, named
    ``<out>.quarantine.jsonl``, written when something was set aside) receives one JSON line
    per such record, as ``kg build``'s ``quarantine.jsonl`` does (:class:`kg.model.Quarantined`:
    file, line, reason, the text as written). A file that
    cannot be read at all (no header with id and title, not readable) raises
    :class:`~kg.errors.InputError`. Each file is written whole or not at all (a temporary
    file, then renamed). ``progress`` shows bars on standard error (reading, blocking,
    comparing, clustering).

    >>> import tempfile, os, json
    >>> d = tempfile.mkdtemp(); src = os.path.join(d, "r.csv"); dst = os.path.join(d, "c.jsonl")
    >>> _ = open(src, "w").write(
    ...     "id,title,authors,year\\n"
    ...     "a,How to Train Your HiPPO: State Space Models,Albert Gu; Tri Dao,2022\\n"
    ...     "b,How to train your HiPPO - state space models,A. Gu; T. Dao,2022\\n")
    >>> s = dedupe_file(src, dst)
    >>> (s.records, s.clusters, s.merged)
    (2, 1, 1)
    >>> [json.loads(x)["cluster"] for x in open(dst)]
    ['a', 'a']
    >>> _ = open(src, "a").write("c,A title, with a comma,,2020\\n")
    >>> s = dedupe_file(src, dst)
    >>> (s.read, s.records, len(s.quarantined)), s.quarantined[0].source.line, s.quarantined[0].reason
    ((3, 2, 1), 4, "expected 4 fields separated by ',' (as in the header), found 5")
    >>> json.loads(open(s.quarantine_out).read())["text"]
    'c,A title, with a comma,,2020'
    """
    with gc_paused():
        # paused from reading to writing, and every record let go before it runs again (the
        # inner function's locals are freed when it returns): once resumed, a collection
        # would walk all the objects made while it was paused (seconds at a million records)
        return _dedupe_file(path, out, sep, conflicts, quarantine, progress)


def _counted(make: Any, bar: tqdm) -> Any:
    """``make``, moving ``bar`` on every 10,000 records (a silent bar: ``make`` itself)."""
    if bar.disable:
        return make
    made = itertools.count(1)

    def counted(row: dict[str, Any], path: str, line: int) -> Any:
        if next(made) % 10_000 == 0:
            bar.update(10_000)
        return make(row, path, line)

    return counted


def quarantine_path(out: str | Path) -> Path:
    """Where ``kg dedupe`` writes the records it set aside when not told: beside ``out``.

    >>> quarantine_path("runs/clusters.jsonl").as_posix()
    'runs/clusters.quarantine.jsonl'
    """
    out = Path(out)
    return out.with_name(f"{out.stem}.quarantine.jsonl")


def _dedupe_file(
    path: str | Path, out: str | Path, sep: str | None, conflicts: str | Path | None,
    quarantine: str | Path | None, progress: bool = False,
) -> DedupeSummary:
    notes: list[str] = []
    bad: list[Quarantined] = []
    with _bar(progress, f"reading {Path(path).name}", "record") as bar:
        rows, encoding, used = _read_rows(path, sep, notes, _counted(_rec_from_row, bar), bad)
    ids = [rid for rid, _ in rows]
    result = _match([rec for _, (rec, _) in rows], progress=progress)
    del rows
    why = {m.member: m for m in result.matches}
    out = Path(out)

    def lines_out():
        # each id and reason encoded once; the lines are what json.dumps writes for
        # {"id", "cluster"[, "score", "reason"]}
        # (an id with nothing to escape is written as it is, in quotes: what json.dumps writes)
        enc = [f'"{rid}"' if not _JSON_ESCAPED.search(rid) else json.dumps(rid, ensure_ascii=False)
               for rid in ids]
        reasons: dict[str, str] = {}
        labels = result.labels
        for k, rid in enumerate(enc):
            m = why.get(k)
            if m is None:
                yield f'{{"id": {rid}, "cluster": {enc[labels[k]]}}}\n'
            else:
                reason = reasons.get(m.reason)
                if reason is None:
                    reason = reasons[m.reason] = json.dumps(m.reason, ensure_ascii=False)
                yield (f'{{"id": {rid}, "cluster": {enc[labels[k]]}, "score": {round(m.score, 1)!r}, '
                       f'"reason": {reason}}}\n')

    def conflicts_out():
        for c in result.conflicts:
            row: dict[str, Any] = {"ids": [ids[c.a], ids[c.b]], "identifier": c.kind,
                                   "values": list(c.values), "score": round(c.score, 1), "reason": c.reason}
            if c.via is not None:
                row["via"] = [ids[c.via[0]], ids[c.via[1]]]
            yield row

    _write_lines(out, lines_out())
    if conflicts is not None:
        _write_jsonl(Path(conflicts), conflicts_out())
    if quarantine is None:
        quarantine = quarantine_path(out)
        if not bad:  # no record set aside: a file of an earlier run would mislead
            quarantine.unlink(missing_ok=True)
            quarantine = None
    if quarantine is not None:
        _write_jsonl(Path(quarantine), (q.as_dict() for q in bad))
    return DedupeSummary(
        path=str(path),
        out=str(out),
        records=len(ids),
        clusters=len(set(result.labels)),
        comparisons=result.comparisons,
        encoding=encoding,
        separator=used,
        notes=notes,
        conflicts=len(result.conflicts),
        conflicts_out=str(conflicts) if conflicts is not None else None,
        quarantined=bad,
        quarantine_out=str(quarantine) if quarantine is not None else None,
    )


#: the characters json.dumps(..., ensure_ascii=False) escapes in a string
_JSON_ESCAPED = re.compile(r'[\x00-\x1f\\"\ud800-\udfff]')


def _write_jsonl(path: Path, rows: Any) -> None:
    """One JSON line per row, into a temporary file renamed over ``path`` when complete."""
    _write_lines(path, (json.dumps(row, ensure_ascii=False) + "\n" for row in rows))


def _write_lines(path: Path, lines: Any) -> None:
    """Lines of text into a temporary file renamed over ``path`` when complete."""
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.writelines(lines)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)



def record_from_row(row: dict[str, Any], path: str = "?", line: int = 0) -> Paper:
    """One record as ``kg dedupe`` reads a row (keys id, title, authors, venue, year, ...).

    >>> p = record_from_row({"title": "A Title", "authors": "Vaswani, A., Shazeer, N.", "year": "1997.0"})
    >>> [a.name for a in p.authors], p.year
    (['Vaswani, A.', 'Shazeer, N.'], 1997)
    """
    return _paper_from_row(row, path, line)
