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
   * a near-exact title (ratio >= 97) merges when nothing above disagrees; a short,
     generic title ("Book reviews") also needs the same year and venue, or shared authors;
   * a looser title (ratio >= 85, or one title contained in the other) needs the same
     year and clearly the same authors.

   Records without authors or year (listing pages) therefore merge only on a near-exact
   title. Clusters are built with union-find; a merge that would put two different DOIs
   in one cluster is refused.

Every merge is a :class:`PaperMatch` with its score and a human reason.

>>> from kg.model import Source
>>> a = Paper(title="How to Train Your HiPPO", source=Source("a", 1), format="x")
>>> b = Paper(title="How to train your HiPPO.", source=Source("b", 5), format="x")
>>> c = Paper(title="How to Train Your Dragon", source=Source("c", 2), format="x")
>>> labels, matches = cluster_papers([a, b, c])
>>> labels
[0, 0, 2]
>>> matches[0].reason
'same normalised title'
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from kg.ids import normalize_arxiv_id, normalize_doi, normalize_text, normalize_title
from kg.model import Paper
from kg.resolve.authors import PersonName, names_compatible, parse_name

__all__ = ["MatchResult", "PaperMatch", "cluster_papers", "match_papers", "venues_compatible"]

#: words too common to say anything about which paper a title names
STOPWORDS = frozenset(
    """a an the of for and or in on at to with by from into via using toward towards is are
    be as its their our we how what why when do does can not no vs versus s""".split()
)
_ROMAN = frozenset("ii iii iv vi vii viii ix xi xii".split())
_PART_WORDS = frozenset("part vol volume chapter section no number issue".split())
#: a title with one of these words and one without are two works ("Erratum: X" is not "X")
_KIND_WORDS = frozenset(
    """erratum errata corrigendum corrigenda correction corrections addendum retraction retracted
    reply rejoinder comment comments commentary discussion""".split()
)
#: author "names" that are organisations; they say little about who wrote a paper
_ORG = re.compile(
    r"\b(?:corporate|team|group|consortium|university|univ|institute|laboratory|inc|corp|"
    r"corporation|committee|project|association|society|council|foundation|department|collaboration)\b",
    re.I,
)
_YEARISH = re.compile(r"^(?:19|20)\d\d$")
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
    authors = tuple(
        n for a in p.authors if not _ORG.search(a.name) and (n := parse_name(a.name)) is not None
    )
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
        out.update(str(int(d)) for d in re.findall(r"\d+", t))
        if t in _ROMAN:
            out.add(t)
        elif k and tokens[k - 1] in _PART_WORDS and len(t) <= 4 and not t.isdigit():
            out.add(f"{tokens[k - 1]} {t}")
    return frozenset(out)


_VENUE_NOISE = frozenset("the of on in and for proceedings proc conference conf international intl".split())


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
        only_a, only_b = a.special - b.special, b.special - a.special
        small = {t for t in only_a | only_b if not _YEARISH.match(t)}
        if small or (only_a and only_b):
            return f"different numbers or parts ({', '.join(sorted(only_a | only_b))})"
    if a.prefix and b.prefix and not _prefixes_agree(a.prefix, b.prefix):
        return f"different names before the colon ({a.prefix} / {b.prefix})"
    kinds = (set(a.tokens) ^ set(b.tokens)) & _KIND_WORDS
    if kinds:
        return f"only one is a {'/'.join(sorted(kinds))}"
    return None


def _prefixes_agree(x: str, y: str) -> bool:
    wx, wy = set(x.split()), set(y.split())
    return wx <= wy or wy <= wx or fuzz.ratio(x, y) >= 80


def _prefix_named(a: _Rec, b: _Rec) -> bool:
    """For loose title matches: a name before a colon on one side must appear on the other
    ("PIX: Exact and Approximate Phrase Matching in XML" is not "Phrase Matching in XML")."""
    if a.prefix and b.prefix:
        return _prefixes_agree(a.prefix, b.prefix)
    named, other = (a, b) if a.prefix else (b, a)
    return not named.prefix or set(named.prefix.split()) <= set(other.tokens)


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


_PREPRINT = frozenset("arxiv corr biorxiv medrxiv ssrn preprint preprints techrxiv chemrxiv".split())


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


def _conflict(a: _Rec, b: _Rec) -> bool:
    """Evidence that two records are different works, whatever their titles."""
    for kind in ("doi", "arxiv id"):
        if kind in a.ids and kind in b.ids and a.ids[kind] != b.ids[kind]:
            return True
    if _year_conflict(a, b):
        return True
    if a.title and b.title and _distinct_conflict(a, b):
        return True
    return bool(a.authors and b.authors and _author_overlap(a.authors, b.authors)[0] == 0)


#: how a merge was decided: by an identifier, a near-exact title, or a looser title
ID, EXACT, LOOSE = "identifier", "exact", "loose"


def _judge(a: _Rec, b: _Rec, ratio: float) -> tuple[float, str, str] | None:
    """Score, reason and kind when ``a`` and ``b`` are the same paper; ``None`` otherwise."""
    for kind in ("doi", "arxiv id", "openalex id", "semantic scholar id"):
        if kind in a.ids and a.ids.get(kind) == b.ids.get(kind):
            return 100.0, f"same {kind}", ID
    for kind in ("doi", "arxiv id"):
        if kind in a.ids and kind in b.ids:
            return None  # two different identifiers of the same kind
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
            parts.append(f"first author {first}" if shared == 1 else f"{shared} shared authors ({first}, ...)")
        return score, " + ".join(parts), how

    if a.title == b.title:
        ratio = 100.0
    if ratio >= 97:
        if (_generic(a) or _generic(b)) and not (
            shared or (year_same and venues_compatible(a.venue, b.venue))
        ):
            return None
        return verdict("title", ratio, EXACT)
    # looser titles: the same year (or one unknown), the same people, the same named system
    if not (authors_agree and (year_same or year_open) and _prefix_named(a, b)):
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
    if len(small.content) >= 3 and missing_small == 0:
        return verdict("title contained", 100.0 * len(small.content) / len(big.content))
    return None


# --- blocking ---------------------------------------------------------------------------------


def _blocks(recs: Sequence[_Rec]) -> Iterable[list[int]]:
    """Groups of record indexes to compare: rare title words, exact title, first author + year."""
    df: dict[str, int] = defaultdict(int)
    for r in recs:
        for t in r.content:
            df[t] += 1
    keyed: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        if not r.title:
            continue
        keyed[("t", r.title)].append(i)
        rare = sorted(r.content, key=lambda t: (df[t], t))[:RARE_KEYS]
        for t in rare:
            keyed[("w", t)].append(i)
        if r.authors:
            keyed[("a", f"{r.authors[0].core}|{r.year}")].append(i)
        for kind, value in r.ids.items():
            keyed[("id:" + kind, value)].append(i)
    for members in keyed.values():
        if len(members) > 1:
            yield members


def match_papers(records: Sequence[Paper], *, block_cap: int = BLOCK_CAP) -> MatchResult:
    """Cluster ``records`` and say how much work it took; see :func:`cluster_papers`.

    >>> from kg.model import Source
    >>> r = match_papers([Paper(title="", source=Source("a", 1), format="x"),
    ...                   Paper(title="", source=Source("a", 2), format="x")])
    >>> r.labels, r.comparisons
    ([0, 1], 0)
    """
    recs = [_features(p) for p in records]
    seen: set[tuple[int, int]] = set()
    scored: list[tuple[float, int, int, str, str]] = []
    nblocks = 0
    for members in _blocks(recs):
        nblocks += 1
        if len(members) > block_cap:  # sorted neighbourhood inside an oversized block
            members = sorted(members, key=lambda i: recs[i].title)
            windows = [members[k : k + block_cap] for k in range(0, len(members), block_cap // 2)]
        else:
            windows = [members]
        for window in windows:
            titles = [recs[i].title for i in window]
            matrix = process.cdist(titles, titles, scorer=fuzz.ratio, dtype=None, workers=1)
            for x, i in enumerate(window):
                for y in range(x + 1, len(window)):
                    j = window[y]
                    pair = (i, j) if i < j else (j, i)
                    if pair in seen:
                        continue
                    seen.add(pair)
                    verdict = _judge(recs[pair[0]], recs[pair[1]], float(matrix[x][y]))
                    if verdict:
                        scored.append((verdict[0], pair[0], pair[1], verdict[1], verdict[2]))
    labels, matches = _union(len(records), recs, _unambiguous(recs, scored))
    return MatchResult(labels, matches, comparisons=len(seen), blocks=nblocks)


def _unambiguous(
    recs: Sequence[_Rec], scored: list[tuple[float, int, int, str, str]]
) -> list[tuple[float, int, int, str, str]]:
    """Keep the title merges that are not ambiguous (identifier merges are always kept).

    * A looser title match must be the best match of both records: "XSB as a Deductive
      Database" does not join "XSB as an Efficient Deductive Database Engine" when each
      has its own exact twin.
    * A short title that recurs over the years ("Editor's Notes", "Chair's Message") names
      a column, not a paper: its records merge only when each has exactly one partner
      that passes every test.
    """
    best: dict[int, float] = defaultdict(float)
    partners: Counter[int] = Counter()
    for score, i, j, _, how in scored:
        if how != ID:
            for k in (i, j):
                best[k] = max(best[k], score)
                partners[k] += 1
    counts = Counter(r.title for r in recs)
    years: dict[str, set[int]] = defaultdict(set)
    for r in recs:
        if r.year is not None:
            years[r.title].add(r.year)
    recurring = {
        i
        for i, r in enumerate(recs)
        if r.title and counts[r.title] >= 3 and len(years[r.title]) >= 2 and _generic(r)
    }
    kept = []
    for s in scored:
        score, i, j, _, how = s
        if how == LOOSE and (score < best[i] or score < best[j]):
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
        if len(mi) * len(mj) > 1 and len(mi) * len(mj) <= CLUSTER_CHECK_CAP:
            if any(_conflict(recs[x], recs[y]) for x in mi for y in mj if (x, y) != (i, j)):
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
    >>> a = Paper(title="How to Train Your HiPPO", source=Source("a", 1), format="x")
    >>> b = Paper(title="How to train your HiPPO.", source=Source("b", 5), format="x")
    >>> c = Paper(title="How to Train Your Dragon", source=Source("c", 2), format="x")
    >>> labels, matches = cluster_papers([a, b, c])
    >>> labels
    [0, 0, 2]
    >>> matches[0].reason
    'same normalised title'
    """
    result = match_papers(records)
    return result.labels, result.matches
