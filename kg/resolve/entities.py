"""Which entity mentions (methods, datasets) name the same thing.

Name variants become one node that keeps its aliases: case, hyphens, spaces, plurals
(:func:`entity_key`), an acronym and its long form (when the acronym has only one long form
in the corpus), and near spellings (rapidfuzz, only for long names with the same digits).
Every merge keeps its score and reason.

>>> from kg.model import Mention
>>> ms = [Mention("Method", "Mixture-of-Experts", aliases=("MoE",)),
...       Mention("Method", "mixture of experts"), Mention("Method", "MoE"),
...       Mention("Method", "Transformers"), Mention("Method", "Transformer")]
>>> groups = group_mentions(ms)
>>> sorted((g.name, g.aliases) for g in groups)
[('Mixture-of-Experts', ('MoE', 'mixture of experts')), ('Transformer', ('Transformers',))]
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from kg.ids import entity_id, normalize_text

__all__ = ["EntityGroup", "clear_caches", "entity_key", "group_mentions", "mention_key"]

_ACRONYM = re.compile(r"^[A-Za-z]?[A-Z0-9][A-Za-z0-9\-]*[A-Z0-9]s?$")
_FUZZY_MIN_LEN = 12
_FUZZY_CUTOFF = 94.0
#: how many neighbours (in each sorted order) a long name is compared with
_NEIGHBOURS = 10


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=1 << 18)
def entity_key(name: str) -> str:
    """The comparison key of a name: case, accents, hyphens, spaces and plurals removed.

    >>> entity_key("Mixture-of-Experts") == entity_key("mixture of experts")
    True
    >>> entity_key("LLMs") == entity_key("LLM")
    True
    >>> entity_key("CIFAR-10") == entity_key("CIFAR-100")
    False

    Memoised: the same names recur across a corpus (a key is computed once per name).
    """
    words = normalize_text(name).split()
    return "".join(_singular(w) for w in words)


def clear_caches() -> None:
    """Forget the memoised keys (:func:`entity_key`) and acronym tests of the names seen.

    >>> entity_key("LoRA"); clear_caches(); entity_key.cache_info().currsize
    'lora'
    0
    """
    entity_key.cache_clear()
    _is_acronym.cache_clear()


@functools.lru_cache(maxsize=1 << 18)
def _is_acronym(name: str) -> bool:
    return len(name) <= 12 and " " not in name and bool(_ACRONYM.match(name)) and sum(
        c.isupper() for c in name) >= 2


@dataclass
class EntityGroup:
    """One entity node: its label, id, display name, aliases and the merges that made it."""

    label: str
    id: str
    name: str
    aliases: tuple[str, ...]
    keys: frozenset[str]
    merges: tuple[tuple[str, float, str], ...]  # (surface name, score, reason)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _long_form(m) -> str | None:
    """The long form an acronym mention's own text defines for it ("CG" -> "chain graphs").

    An acronym means what its own paper defines it as, so such a mention is keyed by that long
    form: another paper's "CG" (CGuard) is not the same entity just because the letters agree
    (true of any corpus: acronyms are local to the text that defines them).
    """
    if m.origin == "gazetteer" or not _is_acronym(m.name):
        return None
    return next((a for a in m.aliases if not _is_acronym(a) and entity_key(a)), None)


def mention_key(m) -> str:
    """The key under which :func:`group_mentions` groups mention ``m``.

    >>> from kg.model import Mention
    >>> mention_key(Mention("Method", "CG", aliases=("chain graphs",))), mention_key(Mention("Method", "CG"))
    ('chaingraph', 'cg')
    """
    long_form = _long_form(m)
    return entity_key(long_form if long_form is not None else m.name)


def group_mentions(mentions: Sequence) -> list[EntityGroup]:
    """Group Method/Dataset/Task mentions into entities (one label at a time: a Method and a
    Dataset of the same name stay two nodes)."""
    by_label: dict[str, list] = defaultdict(list)
    for m in mentions:
        if m.label in ("Method", "Dataset", "Task") and entity_key(m.name):
            by_label[m.label].append(m)
    groups: list[EntityGroup] = []
    for label, ms in sorted(by_label.items()):
        groups.extend(_group_label(label, ms))
    return groups


def _group_label(label: str, mentions: list) -> list[EntityGroup]:
    uf = _UnionFind()
    surface: dict[str, Counter] = defaultdict(Counter)  # key -> surface forms seen
    canonical: dict[str, str] = {}  # key -> gazetteer name
    reasons: dict[str, tuple[float, str]] = {}
    long_forms: dict[str, set[str]] = defaultdict(set)  # acronym key -> long-form keys
    first: dict[str, tuple[int, str]] = {}  # key -> (position, name) of its first mention
    for i, m in enumerate(mentions):
        k = entity_key(m.name)
        long_form = _long_form(m)
        if long_form is not None:
            long_forms[k].add(entity_key(long_form))
            k = entity_key(long_form)
            surface[k][long_form] += 0  # known, not counted as a use
        uf.find(k)
        first.setdefault(k, (i, m.name))
        surface[k][m.name] += 1
        if m.text and entity_key(m.text) == k:
            surface[k][m.text] += 1
        if m.origin == "gazetteer":
            canonical.setdefault(k, m.name)
        for alias in m.aliases:
            ak = entity_key(alias)
            if not ak or ak == k:
                continue
            if _is_acronym(alias) and (long_form is not None or not _is_acronym(m.name)):
                long_forms[ak].add(k)
                surface[ak][alias] += 0  # known, not counted as a use
            else:
                uf.union(k, ak)
                surface[ak][alias] += 0
                reasons.setdefault(ak, (100.0, f"alias of {m.name!r}"))
    # an acronym joins its long form only when the corpus gives it exactly one long form
    for ak, lks in long_forms.items():
        roots = {uf.find(lk) for lk in lks}
        if len(roots) == 1:
            uf.union(ak, next(iter(lks)))
            reasons.setdefault(ak, (100.0, "acronym defined in the text"))
    # near spellings of long names (same digits, same first letter): each name is compared
    # with its nearest neighbours in two sorted orders (by the name, by the name reversed),
    # so a near spelling is found whether it differs at the end or at the start, and the
    # work grows linearly with the number of names (not with the names of one letter squared)
    keys = sorted(surface)
    long_keys = [(re.sub(r"\D", "", k), k) for k in keys if len(k) >= _FUZZY_MIN_LEN]
    candidates: set[tuple[str, str]] = set()
    for order in (sorted(long_keys), sorted(long_keys, key=lambda dk: (dk[0], dk[1][::-1]))):
        for i, (digits, a) in enumerate(order):
            for other_digits, b in order[i + 1 : i + 1 + _NEIGHBOURS]:
                if other_digits != digits:
                    break
                if a[0] == b[0]:
                    candidates.add((min(a, b), max(a, b)))
    for a, b in sorted(candidates):
        if uf.find(a) == uf.find(b):
            continue
        score = fuzz.ratio(a, b)
        if score >= _FUZZY_CUTOFF:
            uf.union(a, b)
            reasons.setdefault(max(a, b), (score, "near spelling"))
    # a second look once near spellings are one: "GRPO" defined as "Group Relative Policy
    # Optimization" in one paper and "... Optimisation" in another has one long form now
    for ak, lks in long_forms.items():
        roots = {uf.find(lk) for lk in lks}
        if len(roots) == 1 and uf.find(ak) not in roots:
            uf.union(ak, next(iter(lks)))
            reasons.setdefault(ak, (100.0, "acronym defined in the text"))
    members: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        members[uf.find(k)].append(k)
    out = []
    taken: set[str] = set()
    # groups in the order of their first mention: when two would get one id, the one the
    # input named first keeps it, so adding inputs never takes an id from an existing node
    ordered = sorted((min(first[k] for k in ks if k in first), root) for root, ks in members.items()
                     if any(k in first for k in ks))  # none: only an alias of mentions that went elsewhere
    for _, root in ordered:
        ks = members[root]
        names: Counter = Counter()
        for k in ks:
            names.update(surface[k])
        gaz = sorted(canonical[k] for k in ks if k in canonical)
        if gaz:
            name = gaz[0]
        else:  # the name the mentions use most (aliases alone count for nothing), a long
            # form before an acronym on a tie, written with capitals if seen so
            def rank(k: str) -> tuple:
                forms = surface[k]
                return (-sum(forms.values()), all(_is_acronym(f) for f in forms), k)

            forms = surface[min(ks, key=rank)]
            name = min(forms, key=lambda f: (-forms[f], -sum(c.isupper() for c in f), f))
        aliases = tuple(sorted({n for n in names if n != name}))
        merges = tuple(
            (n, *reasons.get(entity_key(n), (100.0, "same name up to case, hyphens, spaces and plurals")))
            for n in aliases
        )
        # The id comes from a name that more input cannot change: the gazetteer's, else the
        # name of the group's first mention in input order. Records added later (a bigger
        # corpus, `kg build --update`) come after, so a node keeps its id as the graph grows
        # while its display name may follow the names used most.
        eid = entity_id(label, gaz[0] if gaz else min(first[k] for k in ks if k in first)[1])
        if eid in taken:  # two entities shown with one name ("CG": chain graphs, CGuard): one id each
            eid = entity_id(label, f"{name} {min(ks)}")
        taken.add(eid)
        out.append(EntityGroup(label, eid, name, aliases, frozenset(ks), merges))
    return sorted(out, key=lambda g: min(g.keys))
