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
   * titles whose distinctive tokens differ (numbers, "II", "v2", a different name before
     the colon) -> never;
   * a near-exact title (ratio >= 97) merges when nothing above disagrees; a short title
     that recurs in the input ("Book reviews", "Editorial") also needs shared authors or
     the same year and venue, and merges only when the match is unambiguous;
   * a looser title (ratio >= 85, shuffled or contained words) needs the same year,
     clearly the same authors, few unmatched words, and must be the best match of both
     records (neither having an exact twin).

   Records without authors or year (listing pages) therefore merge only on a near-exact
   title. Clusters are built with union-find; a merge that would put two different DOIs
   in one cluster is refused.

Every merge is a :class:`PaperMatch` with its score and a human reason (see
:func:`cluster_papers` for an example).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from kg.errors import InputError
from kg.ids import normalize_arxiv_id, normalize_doi, normalize_text, normalize_title
from kg.model import Author, Paper, Source
from kg.resolve.authors import PersonName, names_compatible, parse_name

__all__ = [
    "DedupeSummary",
    "MatchResult",
    "PaperMatch",
    "cluster_papers",
    "dedupe_file",
    "match_papers",
    "read_records",
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
_YEARISH = re.compile(r"^(?:19|20)\d\d$")
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
#: a block larger than this is compared only within a sliding window of this size
BLOCK_CAP = 60
#: how many of a record's rarest title words become its blocking keys
RARE_KEYS = 3


@dataclass(frozen=True, slots=True)
class PaperMatch:
    """Record ``member`` joins the cluster of record ``kept`` (indexes into the input)."""

    kept: int
    member: int
    score: float
    reason: str


@dataclass(slots=True)
class MatchResult:
    """What :func:`match_papers` found: cluster labels, merges and how much work it took.

    ``comparisons`` counts record pairs that were scored (the near-linear work measure).
    """

    labels: list[int]
    matches: list[PaperMatch]
    comparisons: int = 0
    blocks: int = 0


@dataclass(slots=True)
class _Rec:
    title: str  # normal form
    tokens: tuple[str, ...]
    content: frozenset[str]  # title words without stopwords
    special: frozenset[str]  # numbers, roman numerals, versions
    prefix: str  # the name before a colon ("zia" in "ZIA: A Theoretical ...")
    year: int | None
    authors: tuple[PersonName, ...]
    venue: tuple[str, ...]
    ids: dict[str, str] = field(default_factory=dict)


def _features(p: Paper) -> _Rec:
    raw = html.unescape(p.title or "")
    title = normalize_title(raw)
    tokens = tuple(title.split())
    prefix = ""
    if ":" in raw:
        head = normalize_title(raw.split(":", 1)[0])
        if head and len(head.split()) <= 3:
            prefix = head
    special = _special(tokens)
    ids: dict[str, str] = {}
    if d := normalize_doi(p.doi):
        ids["doi"] = d
    if a := normalize_arxiv_id(p.arxiv_id):
        ids["arxiv id"] = a
    if p.openalex and p.openalex.strip():
        ids["openalex id"] = p.openalex.strip().rsplit("/", 1)[-1].upper()
    if p.s2 and p.s2.strip():
        ids["semantic scholar id"] = p.s2.strip()
    year = p.year
    if year is None and p.published:
        m = re.match(r"(\d{4})", p.published)
        year = int(m.group(1)) if m else None
    authors = tuple(n for a in p.authors if not _ORG.search(a.name) and (n := parse_name(a.name)) is not None)
    venue = _venue_tokens(p.venue)
    return _Rec(
        title=title,
        tokens=tokens,
        content=frozenset(t for t in tokens if t not in STOPWORDS),
        special=special,
        prefix=prefix,
        year=year,
        authors=authors,
        venue=venue,
        ids=ids,
    )


def _special(tokens: Sequence[str]) -> frozenset[str]:
    """Numbers (also inside words: ``sql3``, ``v2``), roman numerals and "part i" markers."""
    out: set[str] = set()
    for k, t in enumerate(tokens):
        if m := _NUMBER.match(t):
            out.add(str(int(m.group(1))))
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
    return min(len(x.surname), len(y.surname)) >= 3 and fuzz.ratio(x.surname, y.surname) >= 80


def _author_overlap(a: Sequence[PersonName], b: Sequence[PersonName]) -> tuple[int, str]:
    """How many authors of ``a`` have a matching name in ``b``, and the first one's surname.

    A compatible full name counts first; then a surname that is equal or nearly so
    ("Rosneblatt" ~ "Rosenblatt", "?zsu" ~ "Özsu"), whatever the given names say
    ("Bob" ~ "Robert").
    """
    used_a: set[int] = set()
    used_b: set[int] = set()
    first = ""
    for test in (names_compatible, _surname_like):
        for h, x in enumerate(a):
            if h in used_a:
                continue
            for k, y in enumerate(b):
                if k not in used_b and test(x, y):
                    used_a.add(h)
                    used_b.add(k)
                    first = first or x.display.split()[-1]
                    break
    return len(used_a), first


def _distinct_conflict(a: _Rec, b: _Rec) -> str | None:
    """A reason two similar titles still name different works, or ``None``."""
    if a.special != b.special:
        # "4" on one side is matched by "fourth" on the other
        only_a = a.special - b.special - {_NUMBER_WORDS.get(w) for w in b.tokens}
        only_b = b.special - a.special - {_NUMBER_WORDS.get(w) for w in a.tokens}
        if only_a and only_b:
            return f"different numbers or parts ({', '.join(sorted(only_a | only_b))})"
        one_sided, longer, other = (only_a, a, b) if only_a else (only_b, b, a)
        # a number on one side only: a sequel or a part ("Foo 2"), unless it sits in the
        # extra words of a much longer title ("..., April 12 and 13, 1996")
        if any(not _YEARISH.match(t) for t in one_sided) and len(longer.content) - len(other.content) < 3:
            return f"different numbers or parts ({', '.join(sorted(one_sided))})"
    if a.prefix and b.prefix and not _prefixes_agree(a.prefix, b.prefix):
        return f"different names before the colon ({a.prefix} / {b.prefix})"
    kinds = (set(a.tokens) ^ set(b.tokens)) & _KIND_WORDS
    if kinds:
        return f"only one is a {'/'.join(sorted(kinds))}"
    return None


def _prefixes_agree(x: str, y: str) -> bool:
    wx, wy = set(x.split()), set(y.split())
    return wx <= wy or wy <= wx or fuzz.ratio(x, y) >= 80


def _word_match(x: str, words: frozenset[str]) -> bool:
    if x in words:
        return True
    return len(x) >= 4 and any(
        len(w) >= 4 and (fuzz.ratio(x, w) >= 85 or x[:5] == w[:5] and min(len(x), len(w)) >= 5) for w in words
    )


def _unmatched(a: frozenset[str], b: frozenset[str]) -> int:
    """How many words of ``a`` have no equal or near-equal word in ``b``."""
    return sum(1 for x in a if not _word_match(x, b))


def _generic(r: _Rec) -> bool:
    """A title too short to identify a paper by itself ("Book reviews", "Introduction")."""
    return len(r.content) <= 3 and len(r.title) < 40


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


def _ids_differ(a: _Rec, b: _Rec) -> bool:
    """Two different DOIs or arXiv ids: two works, whatever else agrees."""
    return any(kind in a.ids and kind in b.ids and a.ids[kind] != b.ids[kind] for kind in ("doi", "arxiv id"))


def _conflict(a: _Rec, b: _Rec) -> bool:
    """Evidence that two records are different works, whatever their titles."""
    if _ids_differ(a, b):
        return True
    if _year_conflict(a, b):
        return True
    if a.title and b.title and _distinct_conflict(a, b):
        return True
    return bool(a.authors and b.authors and _author_overlap(a.authors, b.authors)[0] == 0)


#: how a merge was decided: by an identifier, a near-exact title, or a looser title
ID, EXACT, LOOSE = "identifier", "exact", "loose"


def _judge(
    a: _Rec, b: _Rec, ratio: float, common: frozenset[str] = frozenset()
) -> tuple[float, str, str] | None:
    """Score, reason and kind when ``a`` and ``b`` are the same paper; ``None`` otherwise.

    ``common`` holds short titles that recur in the input (three records or more): they
    need shared authors, or the same year and venue, before they merge.
    """
    for kind in ("doi", "arxiv id", "openalex id", "semantic scholar id"):
        if kind in a.ids and a.ids.get(kind) == b.ids.get(kind):
            return 100.0, f"same {kind}", ID
    if _ids_differ(a, b):
        return None
    if not a.title or not b.title or _distinct_conflict(a, b) or _year_conflict(a, b):
        return None
    year_same = a.year is not None and a.year == b.year
    year_open = a.year is None or b.year is None
    shared, first = 0, ""
    if a.authors and b.authors:
        shared, first = _author_overlap(a.authors, b.authors)
        if shared == 0:
            return None
    fewest = min(len(a.authors), len(b.authors))
    authors_agree = shared >= max(1, (fewest + 1) // 2)

    def verdict(kind: str, score: float, how: str = LOOSE) -> tuple[float, str, str]:
        parts = [f"{kind} {score:.1f}" if score < 100 else "same normalised title"]
        if year_same:
            parts.append("same year")
        if shared:
            parts.append(
                f"first author {first}" if shared == 1 else f"{shared} shared authors ({first}, ...)"
            )
        return score, " + ".join(parts), how

    if a.title == b.title:
        ratio = 100.0
    if ratio >= 97:
        if (a.title in common or b.title in common) and not (
            shared or (year_same and venues_compatible(a.venue, b.venue))
        ):
            return None
        return verdict("title", ratio, EXACT)
    # looser titles: the same year (or one unknown), the same people, the same named system
    if not (authors_agree and (year_same or year_open)):
        return None
    small, big = (a, b) if len(a.content) <= len(b.content) else (b, a)
    missing_small = _unmatched(small.content, big.content)
    if ratio >= 85 and 3 * missing_small <= len(small.content):
        return verdict("title", ratio)
    if not year_same or 3 * missing_small > len(small.content):
        return None
    sort = fuzz.token_sort_ratio(a.title, b.title)
    if sort >= 85:
        return verdict("title words", sort)
    every = shared >= 2 and shared == len(a.authors) == len(b.authors)
    if every and ratio >= 75:
        return verdict("title", ratio)
    words = fuzz.token_set_ratio(" ".join(sorted(a.content)), " ".join(sorted(b.content)))
    if words >= 85 and len(small.content) >= 3 and missing_small <= len(small.content) // 4:
        return verdict("title words", min(words, max(ratio, sort)))
    if missing_small == 0 and (len(small.content) >= 3 or len(small.content) == 2 and shared >= 2):
        return verdict("title contained", 100.0 * len(small.content) / len(big.content))
    return None


# --- blocking ---------------------------------------------------------------------------------


def _keys(r: _Rec, df: dict[str, int]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The keys a record is filed under, and the few keys it looks its candidates up by.

    Filed under: every title word, the exact title, first author + year, identifiers.
    Looked up by: its rarest title words, the exact title, first author + year, identifiers.
    Filing every word but looking up only the rare ones finds a short title inside a long
    one ("Unix RDBMS: The Next Generation" in its 23-word version) at near-linear cost.
    """
    common: list[tuple[str, str]] = [("t", r.title)] if r.title else []
    if r.authors:
        common.append(("a", f"{r.authors[0].core}|{r.year}"))
    common.extend(("id:" + kind, value) for kind, value in r.ids.items())
    # a word no other record has finds nothing: look up by the rarest words that others share
    rare = sorted((t for t in r.content if df[t] > 1), key=lambda t: (df[t], t))[:RARE_KEYS]
    filed = common + [("w", t) for t in r.content]
    return filed, common + [("w", t) for t in rare]


def _candidates(recs: Sequence[_Rec], cap: int) -> Iterable[tuple[int, list[int]]]:
    """For each record, the records to compare it with (at most about ``cap`` per key).

    A key shared by more than ``cap`` records is searched as a sorted neighbourhood: the
    ``cap`` records nearest in title order.
    """
    df: dict[str, int] = defaultdict(int)
    for r in recs:
        for t in r.content:
            df[t] += 1
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    lookups: list[list[tuple[str, str]]] = []
    for i, r in enumerate(recs):
        filed, lookup = _keys(r, df)
        for key in filed:
            postings[key].append(i)
        lookups.append(lookup)
    where: dict[tuple[str, str], dict[int, int]] = {}
    for key, members in postings.items():
        if len(members) > cap:
            members.sort(key=lambda i: (recs[i].title, i))
            where[key] = {i: pos for pos, i in enumerate(members)}
    for i, lookup in enumerate(lookups):
        found: set[int] = set()
        for key in lookup:
            members = postings.get(key, ())
            if key in where:
                pos = where[key].get(i, 0)
                members = members[max(0, pos - cap // 2) : pos + cap // 2 + 1]
            found.update(members)
        found.discard(i)
        if found:
            yield i, sorted(found)


def match_papers(records: Sequence[Paper], *, block_cap: int = BLOCK_CAP) -> MatchResult:
    """Cluster ``records`` and say how much work it took; see :func:`cluster_papers`.

    ``comparisons`` counts the record pairs scored: each record is compared only with the
    candidates its blocking keys find (at most about ``block_cap`` per key).

    >>> from kg.model import Source
    >>> r = match_papers([Paper(title="", source=Source("a", 1), format="x"),
    ...                   Paper(title="", source=Source("a", 2), format="x")])
    >>> r.labels, r.comparisons
    ([0, 1], 0)
    """
    recs = [_features(p) for p in records]
    counts = Counter(r.title for r in recs if r.title)
    common = frozenset(r.title for r in recs if r.title and counts[r.title] >= 3 and _generic(r))
    seen: set[tuple[int, int]] = set()
    scored: list[tuple[float, int, int, str, str]] = []
    nblocks = 0
    for i, found in _candidates(recs, block_cap):
        todo = [j for j in found if (min(i, j), max(i, j)) not in seen]
        if not todo:
            continue
        nblocks += 1
        seen.update((min(i, j), max(i, j)) for j in todo)
        row = process.cdist([recs[i].title], [recs[j].title for j in todo], scorer=fuzz.ratio, workers=1)[0]
        for j, ratio in zip(todo, row, strict=True):
            a, b = min(i, j), max(i, j)
            verdict = _judge(recs[a], recs[b], float(ratio), common)
            if verdict:
                scored.append((verdict[0], a, b, verdict[1], verdict[2]))
    labels, matches = _union(len(records), recs, _unambiguous(recs, scored, common))
    return MatchResult(labels, matches, comparisons=len(seen), blocks=nblocks)


def _unambiguous(
    recs: Sequence[_Rec], scored: list[tuple[float, int, int, str, str]], common: frozenset[str]
) -> list[tuple[float, int, int, str, str]]:
    """Keep the title merges that are not ambiguous (identifier merges are always kept).

    * A looser title match must be the best match of both records, and neither may have
      an exact (or identifier) twin: "XSB as a Deductive Database" does not join
      "XSB as an Efficient Deductive Database Engine" when either has its own exact twin.
    * A short title that recurs over the years (one of ``common``, the short titles of three
      records or more, with two years or more: "Editor's Notes", "Chair's Message") names
      a column, not a paper: its records merge only when each has exactly one partner
      that passes every test.
    """
    strong: set[int] = set()
    partners: Counter[int] = Counter()
    for _, i, j, _, how in scored:
        if how != LOOSE:
            strong.update((i, j))
        if how != ID:
            partners[i] += 1
            partners[j] += 1
    best: dict[int, float] = defaultdict(float)
    for score, i, j, _, how in scored:
        if how == LOOSE and not {i, j} & strong:
            best[i] = max(best[i], score)
            best[j] = max(best[j], score)
    years: dict[str, set[int]] = defaultdict(set)
    for r in recs:
        if r.year is not None and r.title in common:
            years[r.title].add(r.year)
    recurring = {i for i, r in enumerate(recs) if len(years[r.title]) >= 2}
    kept = []
    for s in scored:
        score, i, j, _, how = s
        if how == LOOSE and ({i, j} & strong or score < best[i] or score < best[j]):
            continue
        if how != ID and {i, j} & recurring and (partners[i] > 1 or partners[j] > 1):
            continue
        kept.append(s)
    return kept


#: a merge of two clusters checks at most this many record pairs for a conflict
CLUSTER_CHECK_CAP = 2500


def _union(
    n: int, recs: Sequence[_Rec], scored: list[tuple[float, int, int, str, str]]
) -> tuple[list[int], list[PaperMatch]]:
    """Union-find, strongest merges first; two clusters join only if no pair of their
    records is in conflict (different DOIs, years, numbers, disjoint authors), so a chain
    of look-alikes ("Chair's Message" of 1997, 1998, 1999 ...) cannot grow."""
    parent = list(range(n))
    members: dict[int, list[int]] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    matches: list[PaperMatch] = []
    for score, i, j, reason, _ in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        mi, mj = members.get(ri, [ri]), members.get(rj, [rj])
        if 1 < len(mi) * len(mj) <= CLUSTER_CHECK_CAP and any(
            _conflict(recs[x], recs[y]) for x in mi for y in mj if (x, y) != (i, j)
        ):
            continue
        member = j if ri < rj else i  # the record whose cluster joins the older one
        ri, rj = min(ri, rj), max(ri, rj)
        parent[rj] = ri
        members[ri] = mi + mj
        members.pop(rj, None)
        matches.append(PaperMatch(ri, member, score, reason))
    labels = [find(i) for i in range(n)]
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
    """What :func:`dedupe_file` read and wrote."""

    path: str
    out: str
    records: int
    clusters: int
    comparisons: int
    encoding: str
    separator: str | None  # None for JSON lines
    notes: list[str] = field(default_factory=list)

    @property
    def merged(self) -> int:
        """Records that joined another record's cluster."""
        return self.records - self.clusters


def _decode(path: str, data: bytes, notes: list[str]) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        notes.append(f"{path} is not UTF-8 (first bad byte on line {line}); read it as latin-1")
        return data.decode("latin-1"), "latin-1"


def _split_authors(value: object) -> tuple[Author, ...]:
    """Authors from a list or a string separated by ``;`` (else ``,`` and `` and ``)."""
    if isinstance(value, list):
        names = [str(v) for v in value]
    elif value is None:
        names = []
    else:
        text = html.unescape(str(value))  # "Lud&#228;scher": the ';' is not a separator
        parts = text.split(";") if ";" in text else re.split(r",|\s+and\s+|\s+&\s+", text)
        names = [p.strip() for p in parts]
    names = [n for n in names if n and n.strip("?. ")]
    return tuple(Author(name=n, position=k + 1) for k, n in enumerate(names))


def _year(value: object) -> int | None:
    m = re.search(r"\b(\d{4})\b", str(value or ""))
    return int(m.group(1)) if m else None


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


def _read_csv(path: str, text: str, sep: str | None, notes: list[str]) -> tuple[list[tuple[str, Paper]], str]:
    lines = text.splitlines()
    header_line = next((k for k, ln in enumerate(lines) if ln.strip()), None)
    if header_line is None:
        raise InputError(path, None, "the file is empty; expected a header line with columns id,title,...")
    if sep is None:
        sample = "\n".join(lines[header_line : header_line + 50])
        try:
            sep = csv.Sniffer().sniff(sample, delimiters=",;\t|%").delimiter
        except csv.Error:
            sep = ","
            notes.append(f"{path}: could not detect the separator; used ','")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows: list[tuple[str, Paper]] = []
    header: list[str] | None = None
    previous = 0
    for fields in reader:
        line = previous + 1
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
                    f"header {lines[line - 1]!r} (separator {sep!r}) has no column {', '.join(missing)}; "
                    f"expected columns {', '.join(REQUIRED_COLUMNS + ('authors', 'venue', 'year'))}"
                    " (use --sep to set the separator)",
                )
            continue
        if len(fields) != len(header):
            raise InputError(
                path,
                line,
                f"expected {len(header)} fields separated by {sep!r} (as in the header), found {len(fields)}",
            )
        row = dict(zip(header, fields, strict=True))
        rows.append((row["id"].strip(), _paper_from_row(row, path, line)))
    return rows, sep


def _read_jsonl(path: str, text: str) -> list[tuple[str, Paper]]:
    rows: list[tuple[str, Paper]] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(
                path, line, f"not a JSON object ({exc.msg}); expected one record per line"
            ) from None
        if not isinstance(obj, dict):
            raise InputError(path, line, "expected a JSON object with keys id, title, ...")
        missing = [c for c in REQUIRED_COLUMNS if obj.get(c) in (None, "")]
        if missing:
            raise InputError(path, line, f"record has no {', '.join(missing)}; expected keys id, title, ...")
        rows.append((str(obj["id"]), _paper_from_row(obj, path, line)))
    return rows


def read_records(
    path: str | Path, sep: str | None = None, notes: list[str] | None = None
) -> tuple[list[str], list[Paper], str, str | None]:
    """Read a CSV (any separator) or JSON-lines file of records: ids, papers, encoding, separator.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "r.csv")
    >>> _ = open(p, "w").write("id;title;authors;year\\n1;A Title;Ann Lee, Bo Chen;2020\\n")
    >>> ids, papers, enc, sep = read_records(p)
    >>> ids, [a.name for a in papers[0].authors], papers[0].year, sep
    (['1'], ['Ann Lee', 'Bo Chen'], 2020, ';')
    """
    path = str(path)
    notes = notes if notes is not None else []
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, None, f"cannot read the file ({exc.strerror})") from None
    text, encoding = _decode(path, data, notes)
    first = text.lstrip()[:1]
    if path.endswith((".jsonl", ".ndjson", ".jsonl.gz")) or (first == "{" and sep is None):
        rows, used = _read_jsonl(path, text), None
    else:
        rows, used = _read_csv(path, text, sep, notes)
    seen: dict[str, int] = {}
    for rid, paper in rows:
        if rid in seen:
            raise InputError(
                path,
                paper.source.line,
                f"id {rid!r} was already used on line {seen[rid]}; ids must be unique",
            )
        seen[rid] = paper.source.line
    return [r for r, _ in rows], [p for _, p in rows], encoding, used


def dedupe_file(path: str | Path, out: str | Path, sep: str | None = None) -> DedupeSummary:
    """Cluster the records of ``path`` with :func:`match_papers`; write one JSON line per
    record to ``out``: ``{"id": ..., "cluster": <id of the cluster's first record>}`` plus
    ``"score"`` and ``"reason"`` for a record that joined a cluster.

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
    """
    notes: list[str] = []
    ids, papers, encoding, used = read_records(path, sep, notes)
    result = match_papers(papers)
    why = {m.member: m for m in result.matches}
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True)
    with out.open("w", encoding="utf-8") as fh:
        for k, rid in enumerate(ids):
            row: dict[str, Any] = {"id": rid, "cluster": ids[result.labels[k]]}
            if k in why:
                row["score"] = round(why[k].score, 1)
                row["reason"] = why[k].reason
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return DedupeSummary(
        path=str(path),
        out=str(out),
        records=len(ids),
        clusters=len(set(result.labels)),
        comparisons=result.comparisons,
        encoding=encoding,
        separator=used,
        notes=notes,
    )
