"""Which author names are the same person.

:func:`parse_name` reads a name as sources write it ("Vaswani, A.", "Ashish Vaswani",
"W. M. P. van der Aalst", "García-Molina, Héctor") into a comparable :class:`PersonName`.
:func:`resolve_authors` sets every :class:`~kg.model.Author`'s ``id`` and returns one
:class:`~kg.model.Merge` per merge, with its evidence.

Evidence, strongest first:

* a shared identifier (ORCID, OpenAlex, Semantic Scholar); different ORCIDs never merge;
* the same full name (given name written out, not only initials);
* compatible given names (``A.`` ~ ``Ashish``; ``A. B.`` !~ ``A. C.``) plus a shared
  co-author or the same venue.

Two people who only share a surname and an initial stay apart. Work is blocked by
normalised surname, so it grows near-linearly with the number of names.

>>> from kg.model import Author, Paper, Source
>>> def paper(line, *names, venue=None):
...     authors = tuple(Author(n, k + 1) for k, n in enumerate(names))
...     return Paper(title=f"t{line}", source=Source("f.bib", line), format="x",
...                  authors=authors, venue=venue)
>>> papers, merges = resolve_authors([
...     paper(1, "Ashish Vaswani", "Noam Shazeer"),
...     paper(2, "Vaswani, A.", "N. Shazeer"),
...     paper(3, "J. Smith", "P. Jones"),
...     paper(4, "J. Smith", "Q. Brown"),
... ])
>>> [a.id for a in papers[1].authors]
['author:ashish-vaswani', 'author:noam-shazeer']
>>> papers[2].authors[0].id == papers[3].authors[0].id
False
>>> print(next(m for m in merges if m.member.startswith("Vaswani")))
Vaswani, A. @ f.bib:2 (given names compatible (A. ~ Ashish) + co-author Noam Shazeer; score 90.0)
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from kg.ids import entity_id, normalize_text, slug
from kg.model import Merge, Paper, Source
from kg.runner import gc_paused

__all__ = ["PersonName", "given_compatible", "names_compatible", "parse_name", "parse_names",
           "resolve_authors"]

#: lower-case words that belong to a surname when they stand before it
PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "delle",
        "degli",
        "di",
        "da",
        "das",
        "dos",
        "du",
        "la",
        "le",
        "les",
        "lo",
        "ter",
        "ten",
        "zu",
        "zur",
        "af",
        "av",
        "bin",
        "ibn",
        "al",
        "el",
        "st",
        "mac",
    ]
)
_SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "esq"])
_SUFFIX_WORDS = frozenset(s.strip(".") for s in _SUFFIXES)
#: the author identifiers, strongest first: different ORCIDs never merge
_ID_KINDS = ("orcid", "openalex", "s2")
#: initials written after a surname: "J", "MW", "J.", "M.W." (capitals only)
_INITIALS_AFTER = re.compile(r"^(?:[A-Z]{1,3}|(?:[A-Z]\.){1,3})$")
#: two or three letters without a vowel are glued initials ("rt ng", "HV Jagadish"), not a name
_GLUED_INITIALS = re.compile(r"^[b-df-hj-np-tv-xz]{2,3}$")
_GIVEN_SEP = re.compile(r"[\s.]+")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOISE = re.compile(r"[\d*†‡§¶#]+")


def _fold(text: str) -> str:
    """Accents removed, case folded, keeps letters of every script, dots and hyphens."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


def _letters(text: str) -> str:
    """Only the word characters of ``text`` (accents and case folded)."""
    if text.isascii():
        return _ASCII_NON_LETTER.sub("", text.lower())
    return normalize_text(text).replace(" ", "")


_ASCII_NON_LETTER = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name in comparable form.

    ``surname`` is the folded surname with particles, without spaces or hyphens
    (``vanderaalst``); ``core`` is its last part, used for blocking (``aalst``);
    ``given`` holds the folded given names, each a full name or one letter (an initial);
    ``display`` is the name in "Given Surname" order as the source wrote it.
    """

    surname: str
    core: str
    given: tuple[str, ...]
    display: str
    #: the first letters of the given names (``parse_name("Wil M. P. van der Aalst").initials``
    #: is ``'wmp'``); set from ``given`` (read millions of times by author resolution)
    initials: str = field(init=False, repr=False, compare=False)
    #: whether the first given name is written out (not only an initial)
    full: bool = field(init=False, repr=False, compare=False)
    #: a folded ``given surname`` key, the same for the same spelling
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _set_derived(self)


def _set_derived(name: PersonName) -> None:
    """Set ``initials``, ``full`` and ``key`` of ``name`` from its other fields.

    >>> n = parse_name("Wil M. P. van der Aalst")
    >>> n.initials, n.full, n.key
    ('wmp', True, 'wil m p vanderaalst')
    >>> parse_name("Vaswani, A.").full
    False
    """
    given = name.given
    _SET_INITIALS(name, "".join(g[0] for g in given if g))
    _SET_FULL(name, bool(given) and len(given[0]) > 1)
    _SET_KEY(name, " ".join((*given, name.surname)))


_SET_INITIALS, _SET_FULL, _SET_KEY = (PersonName.__dict__[f].__set__ for f in ("initials", "full", "key"))


@functools.lru_cache(maxsize=1 << 18)
def _split_given(text: str) -> tuple[str, ...]:
    """Given names into tokens: ``"A.B."`` -> ``a b``; ``"Zhao-Hui"`` -> ``z h`` kept as one name."""
    out: list[str] = []
    for part in _GIVEN_SEP.split(text):
        if not part:
            continue
        pieces = [p for p in part.split("-") if p]
        if not pieces:
            continue
        if len(pieces) > 1 and all(len(_letters(p)) > 1 for p in pieces):
            out.append("".join(_letters(p) for p in pieces))  # Zhao-Hui -> zhaohui
            continue
        for p in pieces:
            letters = _letters(p)
            if _GLUED_INITIALS.match(letters) and (p.islower() or p.isupper()):
                out.extend(letters)  # "rt" -> r t
            elif letters:
                out.append(letters)
    return tuple(out)


def parse_names(names: Iterable[str]) -> None:
    """Parse ``names`` ahead (:func:`parse_name` keeps each answer): what an author worker
    does while the papers it will read are still being clustered.

    >>> parse_names(["Ada Lovelace"]); parse_name.cache_info().hits >= 0
    True
    """
    with gc_paused():  # a worker parses hundreds of thousands of names: no collection walks them
        for name in names:
            parse_name(name)


@functools.lru_cache(maxsize=1 << 18)
def parse_name(raw: str) -> PersonName | None:
    """Read one author name; ``None`` when nothing name-like is left (cached: a name
    recurs across a corpus).

    >>> n = parse_name("Vaswani, A.")
    >>> n.surname, n.given, n.display
    ('vaswani', ('a',), 'A. Vaswani')
    >>> parse_name("Ashish Vaswani").given
    ('ashish',)
    >>> p = parse_name("Wil M. P. van der Aalst")
    >>> p.surname, p.core, p.given
    ('vanderaalst', 'aalst', ('wil', 'm', 'p'))
    >>> parse_name("Aalst, W. van der").surname
    'vanderaalst'
    >>> parse_name("Héctor García-Molina").surname
    'garciamolina'
    >>> parse_name("Bertram Lud&#228;scher").surname
    'ludascher'
    >>> parse_name("张伟").surname
    '张伟'
    >>> parse_name("John Smith Jr.").surname
    'smith'
    >>> parse_name("  ") is None
    True
    """
    if raw and _PLAIN_NAME.fullmatch(raw) and _PLAIN_STOP.isdisjoint(
        w.strip(".") for w in raw.lower().replace(",", " ").split()
    ):
        return _parse_plain(raw)
    text = html.unescape(raw) if raw and "&" in raw else raw or ""
    if "(" in text or "[" in text:
        text = _PAREN.sub(" ", text)
    text = _NOISE.sub(" ", text).strip(" ,;")
    if not _letters(text):
        return None
    if "," in text:
        parts = [p.strip() for p in text.split(",") if p.strip()]
        parts = [p for p in parts if _fold(p).strip(". ") not in _SUFFIXES or p is parts[0]]
        sur_words = parts[0].split()
        given_words = " ".join(parts[1:]).split()
        while given_words and _fold(given_words[-1]) in PARTICLES:  # "Aalst, W. van der"
            sur_words.insert(0, given_words.pop())
    else:
        words = text.split()
        while len(words) > 1 and _fold(words[-1]).strip(".") in _SUFFIX_WORDS:
            words.pop()
        k = len(words) - 1
        while k > 1 and _fold(words[k - 1]) in PARTICLES:
            k -= 1
        sur_words, given_words = words[k:], words[:k]
        if len(words) >= 2 and _INITIALS_AFTER.match(words[-1]) and not _INITIALS_AFTER.match(words[0]):
            # "Devlin J", "Chang MW": surname first, initials after (PubMed, Vancouver style)
            sur_words, given_words = words[:-1], words[-1:]
    core_words = [w for w in sur_words if _fold(w) not in PARTICLES] or sur_words
    # (ASCII: the letters of the joined words are the joined letters of each word)
    surname = _letters("".join(sur_words)) if text.isascii() else "".join(_letters(w) for w in sur_words)
    core = _letters(core_words[-1]) if core_words else surname
    if not surname:
        return None
    given = _split_given(" ".join(given_words))
    display = " ".join([*given_words, *sur_words]).strip()
    return PersonName(surname=surname, core=core or surname, given=given, display=display)


#: a plain name: ASCII letters, dots, hyphens and single spaces, at most one comma, nothing to
#: clean or strip (most names: "Ashish Vaswani", "Vaswani, A.", "Devlin J")
_PLAIN_NAME = re.compile(r"[A-Za-z](?:[A-Za-z. -]*[A-Za-z.])?(?:, ?[A-Za-z](?:[A-Za-z. -]*[A-Za-z.])?)?")
#: words that send a plain name through the general reading (particles, suffixes)
#: (compared without their dots: "Jr..", "van.")
_PLAIN_STOP = frozenset(PARTICLES | _SUFFIX_WORDS | {"ph.d"})


def _parse_plain(text: str) -> PersonName | None:
    """:func:`parse_name` of a plain name (see ``_PLAIN_NAME``) without particles or
    suffixes: the same steps with nothing to clean, so the same result, faster."""
    if "," in text:
        head, _, tail = text.partition(",")
        sur_words, given_words = head.split(), tail.split()
    else:
        words = text.split()
        k = len(words) - 1
        sur_words, given_words = words[k:], words[:k]
        if k and _INITIALS_AFTER.match(words[-1]) and not _INITIALS_AFTER.match(words[0]):
            sur_words, given_words = words[:-1], words[-1:]
    surname = "".join(sur_words).lower().replace(".", "").replace("-", "")
    if not surname:
        return None
    core = sur_words[-1].lower().replace(".", "").replace("-", "") if len(sur_words) > 1 else surname
    display = " ".join([*given_words, *sur_words])
    return _new_name(surname, core or surname, _split_given(" ".join(given_words)), display)


def _new_name(surname: str, core: str, given: tuple[str, ...], display: str) -> PersonName:
    """``PersonName(surname, core, given, display)``, built by its slots directly: a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``, which costs as
    much as the rest of reading a plain name (a million records hold a million names)."""
    name = _NEW(PersonName)
    _SET_SURNAME(name, surname)
    _SET_CORE(name, core)
    _SET_GIVEN(name, given)
    _SET_DISPLAY(name, display)
    _set_derived(name)
    return name


_NEW = object.__new__
_SET_SURNAME, _SET_CORE, _SET_GIVEN, _SET_DISPLAY = (
    PersonName.__dict__[f].__set__ for f in ("surname", "core", "given", "display"))


def given_compatible(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two lists of given names can belong to one person.

    An initial agrees with any name that starts with it; two written-out names must be
    equal ("Xin" and "Xingya" are two names, not one name shortened); a missing middle name
    agrees with anything.

    >>> given_compatible(("a",), ("ashish",))
    True
    >>> given_compatible(("john", "a"), ("j",))
    True
    >>> given_compatible(("a", "b"), ("a", "c"))
    False
    >>> given_compatible(("john",), ("jane",))
    False
    >>> given_compatible(("xin",), ("xingya",))
    False
    """
    for x, y in zip(a, b, strict=False):
        if len(x) > 1 and len(y) > 1:
            if x != y:
                return False
        elif x[0] != y[0]:
            return False
    return True


def names_compatible(a: PersonName, b: PersonName) -> bool:
    """Same surname (allowing a hyphen/space split, "Garcia Molina" ~ "García-Molina") and
    compatible given names; also tries the swapped order of two-part names ("Zhang Wei").

    >>> names_compatible(parse_name("Hector Garcia Molina"), parse_name("H. Garcia-Molina"))
    True
    >>> names_compatible(parse_name("Zhang Wei"), parse_name("Wei Zhang"))
    True
    >>> names_compatible(parse_name("Rafael Camps Paré"), parse_name("Rafael Camps"))
    True
    >>> names_compatible(parse_name("J. Smith"), parse_name("K. Smith"))
    False
    """
    for x, y in ((a, b), (b, a)):
        if x.surname == y.surname and given_compatible(x.given, y.given):
            return True
        if x.given and x.given[-1] + x.surname == y.surname and given_compatible(x.given[:-1], y.given):
            return True
        if len(x.given) > 1 and x.given[-1] == y.surname and given_compatible(x.given[:-1], y.given):
            return True  # two surnames, one of them dropped: "Rafael Camps Paré" ~ "Rafael Camps"
    if len(a.given) == 1 and len(b.given) == 1 and a.full and b.full:  # swapped order
        return a.given[0] == b.surname and b.given[0] == a.surname
    return False


# --- resolution -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    paper: int
    position: int
    written: str  # the name as the source wrote it
    name: PersonName
    source: Source  # of the paper record
    own: str  # "surname initial": how co-authors are matched (the paper's co-author key itself)
    venue: str
    ids: dict[str, str]  # identifier kind -> normal form (see _author_ident); shared when empty

    @property
    def where(self) -> str:
        """The name as written and its record, for merges and messages (made when asked: a
        corpus has hundreds of thousands of mentions)."""
        return f"{self.written} @ {self.source}"


class _Clusters:
    """Union-find over mentions that keeps, per cluster, its given-name forms and ids.

    A mention alone is its own cluster and needs no sets: they are made when clusters join
    (a corpus has hundreds of thousands of mentions, most of them never joined).
    """

    def __init__(self, mentions: Sequence[_Mention]) -> None:
        self.mentions = mentions
        self.parent = list(range(len(mentions)))
        self._forms: list[set[tuple[str, ...]] | None] = [None] * len(mentions)
        self._ids: list[dict[str, set[str]] | None] = [None] * len(mentions)
        self._papers: list[set[int] | None] = [None] * len(mentions)

    def forms(self, root: int) -> set[tuple[str, ...]]:
        forms = self._forms[root]
        return forms if forms is not None else {self.mentions[root].name.given}

    def ids(self, root: int) -> dict[str, set[str]]:
        ids = self._ids[root]
        return ids if ids is not None else {k: {v} for k, v in self.mentions[root].ids.items()}

    def papers(self, root: int) -> set[int]:
        papers = self._papers[root]
        return papers if papers is not None else {self.mentions[root].paper}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def can_join(self, i: int, j: int, *, by_id: bool = False) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        if not self.papers(ri).isdisjoint(self.papers(rj)):  # two authors of one record are two people
            return False
        ids_i, ids_j = self.ids(ri), self.ids(rj)
        for kind in _ID_KINDS:
            a, b = ids_i.get(kind), ids_j.get(kind)
            if a and b and not a & b and (kind == "orcid" or not by_id):
                return False
        if by_id:
            return True
        forms_i, forms_j = self.forms(ri), self.forms(rj)
        if forms_i == forms_j and len(forms_i) == 1:
            return True  # one way of writing the given names on both sides (most joins)
        return all(x == y or given_compatible(x, y) for x in forms_i for y in forms_j)

    def id_clash(self, i: int, j: int) -> str | None:
        """The identifier kinds on which the clusters of ``i`` and ``j`` disagree, if any."""
        ri, rj = self.find(i), self.find(j)
        a, b = self.ids(ri), self.ids(rj)
        kinds = [k for k in _ID_KINDS if a.get(k) and b.get(k) and not a[k] & b[k]]
        return " and ".join(f"{k} ids" for k in kinds) or None

    def join(self, i: int, j: int) -> None:
        ri, rj = sorted((self.find(i), self.find(j)))
        self.parent[rj] = ri
        self._forms[ri] = self.forms(ri) | self.forms(rj)
        self._papers[ri] = self.papers(ri) | self.papers(rj)
        ids = self.ids(ri)
        for kind, values in self.ids(rj).items():
            ids.setdefault(kind, set()).update(values)
        self._ids[ri] = ids
        self._forms[rj] = self._papers[rj] = self._ids[rj] = None


def _author_ident(value: str | None, kind: str) -> str | None:
    """The normal form of an author identifier of ``kind`` (``None``: none given)."""
    if not value:
        return None
    value = value.strip()
    if kind == "orcid":
        m = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", value, re.I)
        return m.group(1).upper() if m else value.upper()
    return value.rsplit("/", 1)[-1].upper() if kind == "openalex" else value


def _given_display(given: Iterable[str]) -> str:
    return " ".join(g.capitalize() if len(g) > 1 else g.upper() + "." for g in given)


#: what author resolution reads of one paper: its record's source, its venue, and per author
#: (name as written, orcid, openalex, s2)
AuthorRow = tuple[Source, "str | None", tuple[tuple[str, "str | None", "str | None", "str | None"], ...]]

_NO_IDS: dict[str, str] = {}  # the ids of a mention without any (most): one dict, never written


def author_rows(papers: Iterable[Paper]) -> list[AuthorRow]:
    """What :func:`resolve_author_rows` reads of ``papers`` (plain tuples: cheap to send to
    another process).

    >>> from kg.model import Author
    >>> author_rows([Paper(title="T", source=Source("a.txt", 3), format="x", venue="ICML",
    ...                    authors=(Author("Ada Lovelace", 1, orcid="0000-0001"),))])
    [(Source(file='a.txt', line=3), 'ICML', (('Ada Lovelace', '0000-0001', None, None),))]
    """
    return [(p.source, p.venue, tuple((a.name, a.orcid, a.openalex, a.s2) for a in p.authors))
            for p in papers]


def _collect(rows: list[AuthorRow], consume: bool) -> tuple[list[_Mention], list[dict[str, str]], list[int]]:
    """Every author mention, per paper its co-author keys ("surname initial" -> name as
    written), built once per paper so a paper of 10,000 authors costs 10,000, not 10,000², and
    per paper its number of authors. With ``consume`` each row is let go once read."""
    mentions: list[_Mention] = []
    written_by_paper: list[dict[str, str]] = []
    counts: list[int] = []
    venues: dict[str, str] = {}  # one string per venue (a corpus has few, on many papers)
    owns: dict[str, str] = {}
    for p in range(len(rows)):
        source, venue, authors = rows[p]
        if consume:
            rows[p] = None  # type: ignore[call-overload]
        counts.append(len(authors))
        # a co-author is known by surname and first initial: "Zhang" alone is no evidence
        parsed = []
        written: dict[str, str] = {}
        for k, author in enumerate(authors):
            n = parse_name(author[0])
            if n is None:
                continue
            own = f"{n.core} {n.initials[:1]}"
            own = owns.setdefault(own, own)  # one string per key: "wang y" is on many papers
            written.setdefault(own, n.display)
            parsed.append((k, author, n, own))
        written_by_paper.append(written)
        if venue:
            folded = venues.get(venue)
            if folded is None:
                folded = venues[venue] = normalize_text(html.unescape(venue))
            venue = folded
        else:
            venue = ""
        for k, (name, *idents), n, own in parsed:
            ids = ({kind: v for kind, raw in zip(_ID_KINDS, idents, strict=True)
                    if (v := _author_ident(raw, kind))} if any(idents) else _NO_IDS)
            mentions.append(_Mention(p, k, name, n, source, own, venue, ids or _NO_IDS))
    if consume:
        rows.clear()
    return mentions, written_by_paper, counts


#: in a surname block, each name is compared with this many neighbours (in given-name order):
#: all of a small block, a bounded number in a large one ("Wang", "Li")
SMALL_BLOCK = 16

#: pairs of papers whose shorter author list is longer than this keep their shared co-authors
_CACHE_COAUTHORS = 64


def resolve_authors(
    papers: Sequence[Paper], conflicts: list[str] | None = None
) -> tuple[list[Paper], list[Merge]]:
    """Set ``Author.id`` on every paper's authors; return the papers and one Merge per merge.

    Ids are ``author:<slug of the fullest name>`` (``author:ashish-vaswani``); when two
    different people would get the same id, the later ones get a short hash of their first
    source. Same input, same ids. An author whose name has no letters keeps ``id=None``.
    Two mentions that share one identifier but differ in another (one ORCID, two OpenAlex
    ids) stay apart, and a line saying so is appended to ``conflicts`` when given.

    Work is near-linear: names are compared only inside surname blocks, and co-authors are
    counted once per pair of papers, so one paper with 10,000 authors takes a fraction of a
    second.
    """
    ids, merges = resolve_author_rows(author_rows(papers), conflicts, consume=True)
    out = [
        replace(paper, authors=tuple(a if aid is None else replace(a, id=aid)
                                     for a, aid in zip(paper.authors, row, strict=True)))
        if paper.authors else paper
        for paper, row in zip(papers, ids, strict=True)
    ]
    return out, merges


def resolve_author_rows(
    rows: list[AuthorRow], conflicts: list[str] | None = None, *, consume: bool = False
) -> tuple[list[tuple[str | None, ...]], list[Merge]]:
    """:func:`resolve_authors` of the papers described by ``rows`` (:func:`author_rows`): per
    paper its authors' ids (``None``: a name without letters), and the merges.

    Reads only names, identifiers, venues and sources, and holds no paper and no author
    object: what a worker process that resolves the authors of a large corpus needs. With
    ``consume`` each row is let go as it is read (``rows`` is empty afterwards).

    >>> rows = [(Source("a.bib", 1), None, (("Ashish Vaswani", None, None, None),)),
    ...         (Source("b.bib", 7), None, (("Ashish Vaswani", None, None, None), ("??", None, None, None)))]
    >>> ids, merges = resolve_author_rows(rows)
    >>> ids
    [('author:ashish-vaswani',), ('author:ashish-vaswani', None)]
    >>> print(merges[0])
    Ashish Vaswani @ b.bib:7 (same full name 'Ashish Vaswani'; score 95.0)
    """
    mentions, written, counts = _collect(rows, consume)
    uf = _Clusters(mentions)
    edges: list[tuple[int, int, float, str]] = []

    def join(i: int, j: int, score: float, reason: str, *, by_id: bool = False) -> None:
        if uf.can_join(i, j, by_id=by_id):
            edges.append((uf.find(i), j, score, reason))
            uf.join(i, j)

    # 1. shared identifiers; another identifier that disagrees keeps them apart, reported
    for kind in _ID_KINDS:
        first: dict[str, int] = {}
        for i, m in enumerate(mentions):
            if value := m.ids.get(kind):
                if value not in first:
                    first[value] = i
                    continue
                j = first[value]
                clash = uf.id_clash(j, i)
                if clash:
                    if conflicts is not None:
                        conflicts.append(
                            f"Author: {mentions[j].where} and {m.where} share {kind} {value} but their "
                            f"{clash} differ; kept apart"
                        )
                    continue
                join(j, i, 100.0, f"same {kind} {value}", by_id=True)

    # 2. the same written-out name
    first_full: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if m.name.full:
            if m.name.key in first_full:
                join(first_full[m.name.key], i, 95.0, f"same full name '{m.name.display}'")
            else:
                first_full[m.name.key] = i

    # 3. compatible names plus a shared co-author or venue, inside surname blocks
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        blocks[(m.name.core, m.name.initials[:1])].append(i)
    # a pair of papers meets again in the block of each author they share: the answer is kept
    # for pairs of long author lists (two papers of 10,000 authors would otherwise cost 10,000²),
    # and computed again for short ones (keeping every pair would cost hundreds of MB at 75k)
    shared_cache: dict[tuple[int, int], list[str]] = {}

    def first_coauthor(p: int, q: int, owns: tuple[str, str]) -> str | None:
        """The first (in sorted order) co-author key that papers ``p`` and ``q`` share, other
        than the two names being compared (``owns``)."""
        a, b = written[p], written[q]
        if min(len(a), len(b)) <= _CACHE_COAUTHORS:
            common = a.keys() & b.keys()  # a set, made in C from the shorter list
            common.difference_update(owns)
            return min(common) if common else None
        key = (p, q) if p < q else (q, p)
        found = shared_cache.get(key)
        if found is None:
            small, big = (a, b) if len(a) <= len(b) else (b, a)
            found = shared_cache[key] = sorted(c for c in small if c in big)
        return next((c for c in found if c not in owns), None)

    def try_pair(i: int, j: int, kind: str, value: str, shown: str) -> None:
        if uf.find(i) == uf.find(j):
            return
        mi, mj = mentions[i], mentions[j]
        if not names_compatible(mi.name, mj.name):
            return
        reason = (
            f"given names compatible ({_given_display(mj.name.given) or '-'} ~ "
            f"{_given_display(mi.name.given) or '-'}) + {kind} {shown}"
        )
        join(i, j, 90.0 if kind == "co-author" else 80.0, reason)

    for (core, initial), members in sorted(blocks.items()):
        if initial:  # a name with no given name can join any initial of its surname
            members = members + blocks.get((core, ""), [])
        if len(members) < 2 or len({mentions[i].paper for i in members}) < 2:
            continue
        # each mention meets its SMALL_BLOCK nearest neighbours in given-name order (all of
        # a small block); co-authors are compared once per pair of papers
        members = sorted(set(members), key=lambda i: (mentions[i].name.given, mentions[i].paper, i))
        # no one joins while the evidence is gathered: a pair already in one cluster (the
        # same full name, a shared identifier) needs none, as try_pair would skip it
        roots = [uf.find(i) for i in members]
        evidence: list[tuple[str, str, int, int, str]] = []
        for a_pos, first_i in enumerate(members):
            first_root = roots[a_pos]
            for b_pos in range(a_pos + 1, min(a_pos + 1 + SMALL_BLOCK, len(members))):
                if roots[b_pos] == first_root:
                    continue
                second = members[b_pos]
                i, j = (first_i, second) if first_i < second else (second, first_i)
                mi, mj = mentions[i], mentions[j]
                if mi.paper == mj.paper:
                    continue
                c = first_coauthor(mi.paper, mj.paper, (mi.own, mj.own))
                if c is not None:
                    evidence.append(("co-author", c, i, j, written[mi.paper][c]))
                if mi.venue and mi.venue == mj.venue:
                    evidence.append(("venue", mi.venue, i, j, mi.venue))
        for kind, value, i, j, shown in sorted(evidence, key=lambda e: (e[0], e[1], e[2], e[3])):
            try_pair(i, j, kind, value, shown)

    # 4. a name with initials only joins the one person of its surname whose given names are
    #    written out and compatible ("D. Knuth" -> "Donald E. Knuth"), when there is exactly one
    by_core: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_core[m.name.core].append(i)
    for _core, members in sorted(by_core.items()):
        # the written-out people of this surname, by first initial: (root, fullest mention)
        full: dict[str, dict[int, int]] = defaultdict(dict)
        for k in members:
            name = mentions[k].name
            if name.full:
                best = full[name.given[0][0]]
                root = uf.find(k)
                size = sum(map(len, name.given))
                if root not in best or size > sum(map(len, mentions[best[root]].name.given)):
                    best[root] = k
        if not full:
            continue
        for i in members:
            m = mentions[i]
            if m.name.full or not m.name.given:
                continue
            people = {uf.find(r): k for r, k in full.get(m.name.given[0][0], {}).items()}
            if len(people) != 1:
                continue  # no one, or two people it could be: stays apart
            ((root, shown),) = people.items()
            if root != uf.find(i) and uf.can_join(i, root):
                name = mentions[shown].name.display
                join(root, i, 70.0, f"the only '{name}' of the corpus with compatible given names")

    # what the comparisons needed is let go before the ids and merges are made (the peak)
    for table in (blocks, by_core, first_full, shared_cache, written):
        table.clear()
    # ids: one per cluster, from its fullest name
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        clusters[uf.find(i)].append(i)
    ident: dict[int, str] = {}
    taken: set[str] = set()
    for root in sorted(clusters, key=lambda r: min(clusters[r])):
        best = max(
            clusters[root],
            key=lambda i: (sum(len(g) for g in mentions[i].name.given), -i),
        )
        name = mentions[best].name
        base = entity_id("Author", name.display) if slug(name.display) else f"author:{name.surname}"
        node = base
        if node in taken:
            node = f"{base}-{hashlib.sha1(mentions[root].where.encode()).hexdigest()[:6]}"
        taken.add(node)
        ident[root] = node

    ids: list[list[str | None]] = [[None] * n for n in counts]
    for i, m in enumerate(mentions):
        ids[m.paper][m.position] = ident[uf.find(i)]
    merges = [
        Merge("Author", ident[uf.find(root)], mentions[j].where, score, reason)
        for root, j, score, reason in edges
    ]
    parse_name.cache_clear()  # its names would stay in memory for the rest of the build
    _split_given.cache_clear()
    return [tuple(row) for row in ids], merges
