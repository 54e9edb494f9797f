"""Which paper records are the same paper.

:func:`cluster_papers` is the one matcher: the pipeline and ``kg dedupe`` both use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.ids import normalize_arxiv_id, normalize_doi, normalize_title
from kg.model import Paper

__all__ = ["PaperMatch", "cluster_papers"]


@dataclass(frozen=True, slots=True)
class PaperMatch:
    """Record ``member`` joins the cluster of record ``kept`` (indexes into the input)."""

    kept: int
    member: int
    score: float
    reason: str


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
    labels = list(range(len(records)))
    matches: list[PaperMatch] = []
    seen: dict[tuple[str, str], int] = {}
    for i, rec in enumerate(records):
        keys = []
        if a := normalize_arxiv_id(rec.arxiv_id):
            keys.append(("arxiv id", a))
        if d := normalize_doi(rec.doi):
            keys.append(("doi", d))
        if t := normalize_title(rec.title):
            keys.append(("normalised title", t))
        for kind, key in keys:
            j = seen.get((kind, key))
            if j is not None:
                labels[i] = labels[j]
                matches.append(PaperMatch(labels[j], i, 100.0, f"same {kind}"))
                break
        for k in keys:
            seen.setdefault(k, i)
    return labels, matches
