"""Resolution: records in, nodes out, and every merge with its score and reason.

:func:`resolve` turns extracted :class:`~kg.model.Paper` records into a :class:`Resolution`:

* the same paper from several records becomes one paper (:func:`kg.resolve.papers.cluster_papers`)
  whose ``sources`` list every record; conflicting values are kept side by side;
* author name variants become one author (:func:`kg.resolve.authors.resolve_authors`);
* method and dataset name variants become one entity (:func:`kg.resolve.entities.group_mentions`);
* each citation gets a target: a paper of the corpus (by identifier or title) or a stub paper
  keyed by what is known (identifiers, else first-author surnames + year), so two papers
  citing "Fu et al., 2018" meet at ``paper:ref:fu-etal-2018``. A citation repeated in one
  paper counts once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from kg.ids import (
    normalize_arxiv_id,
    normalize_doi,
    normalize_title,
    paper_id,
    repo_id,
    stub_id,
)
from kg.model import Citation, Mention, Merge, Paper, Source
from kg.resolve.entities import EntityGroup, entity_key, group_mentions, mention_key
from kg.resolve.papers import cluster_papers

__all__ = ["Resolution", "resolve", "tag_sources"]

_SCALARS = ("abstract", "published", "year", "author_count", "upvotes", "arxiv_id", "doi",
            "openalex", "s2", "url", "venue")


@dataclass
class Resolution:
    """The resolved corpus: papers (ids and targets set), stub papers, entities, merges.

    ``merged_records`` holds the indexes (into the records given to :func:`resolve`) of the
    records that joined another record's paper; ``conflicts`` says which records were kept
    apart because their identifiers disagree (one ORCID, two OpenAlex ids).
    """

    papers: list[Paper]
    stubs: list[Paper]
    entities: dict[str, EntityGroup]
    merges: list[Merge]
    merged_records: set[int] = field(default_factory=set)
    #: identifiers that disagree inside what would have been one node (kept apart, reported)
    conflicts: list[str] = field(default_factory=list)


def resolve(records: Sequence[Paper]) -> Resolution:
    """Resolve extracted paper records into nodes.

    >>> from kg.model import Source
    >>> a = Paper(title="How to Train Your HiPPO", source=Source("a.txt", 3), format="x")
    >>> b = Paper(title="How to train your HiPPO", source=Source("b.txt", 9), format="x", year=2022)
    >>> res = resolve([a, b])
    >>> [(p.id, [str(s) for s in p.sources], p.year) for p in res.papers]
    [('paper:t:how-to-train-your-hippo', ['a.txt:3', 'b.txt:9'], 2022)]
    >>> str(res.merges[0])
    'b.txt:9 (same normalised title; score 100.0)'
    """
    records = [tag_sources(r) for r in records]
    merges: list[Merge] = []
    conflicts: list[str] = []
    labels, matches = cluster_papers(records)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i, root in enumerate(labels):
        clusters[root].append(i)
    why = {m.member: m for m in matches}
    papers: list[Paper] = []
    merged_records: set[int] = set()
    for root in sorted(clusters):
        members = [records[i] for i in clusters[root]]
        paper = _merge_papers(members)
        papers.append(paper)
        for i in clusters[root][1:]:
            m = why.get(i)
            merged_records.add(i)
            merges.append(Merge("Paper", paper.id, str(records[i].source),
                                m.score if m else 100.0, m.reason if m else "same cluster"))
    # the records are not needed past here: a caller that hands its list over (and keeps no
    # reference) lets them go before the authors and entities are resolved
    records, members = [], []
    papers = _unique_ids(papers)

    if any(p.authors for p in papers):
        from kg.resolve.authors import resolve_authors

        papers, author_merges = resolve_authors(papers, conflicts)
        merges.extend(author_merges)

    groups = group_mentions([m for p in papers for m in p.mentions])
    key_to_id = {(g.label, k): g.id for g in groups for k in g.keys}
    entities = {g.id: g for g in groups}
    for g in groups:
        merges.extend(Merge(g.label, g.id, name, score, reason) for name, score, reason in g.merges)
    papers = [_assign_mentions(p, key_to_id) for p in papers]

    papers, stubs = _assign_citations(papers)
    return Resolution(papers, stubs, entities, merges, merged_records, conflicts)


def tag_sources(p: Paper) -> Paper:
    """Give each mention and citation the source of its record, so it keeps it after a merge
    (:func:`resolve` does; a caller that holds many records may do it as they arrive, so that
    resolve makes no second copy)."""
    if not any(x.source is None for x in (*p.mentions, *p.citations)):
        return p
    return replace(
        p,
        mentions=tuple(m if m.source else replace(m, source=p.source) for m in p.mentions),
        citations=tuple(c if c.source else replace(c, source=p.source) for c in p.citations),
    )


def _merge_papers(members: list[Paper]) -> Paper:
    """One paper from the records of a cluster.

    Each property takes the first record's value that has one; when records disagree, every
    other value is kept in ``conflicts`` with its source, and (for a paper of several records)
    ``field_sources`` says which record each property came from.

    >>> from kg.model import Source
    >>> a = Paper(title="T", source=Source("a.txt", 1), format="x", year=2023)
    >>> b = Paper(title="T", source=Source("b.txt", 4), format="x", year=2024, upvotes=3)
    >>> m = _merge_papers([a, b])
    >>> m.year, m.upvotes, m.extra["conflicts"]
    (2023, 3, ['year: 2023 (a.txt:1) vs 2024 (b.txt:4)'])
    >>> m.extra["field_sources"]
    ['title: a.txt:1', 'year: a.txt:1', 'upvotes: b.txt:4']
    """
    base = members[0]
    values: dict = {}
    conflicts: list[str] = []
    field_sources: list[str] = []
    title_from = next((m for m in members if m.title), base)
    field_sources.append(f"title: {title_from.source}")
    for name in _SCALARS:
        seen = [(getattr(m, name), m.source) for m in members if getattr(m, name) not in (None, "")]
        if not seen:
            continue
        values[name] = seen[0][0]
        field_sources.append(f"{name}: {seen[0][1]}")
        for value, src in seen[1:]:
            if value != seen[0][0] and name != "abstract":
                conflicts.append(f"{name}: {seen[0][0]!r} ({seen[0][1]}) vs {value!r} ({src})")
    with_authors = next((m for m in members if m.authors), None)
    if with_authors is not None:
        field_sources.append(f"authors: {with_authors.source}")
    authors = with_authors.authors if with_authors else ()
    title = title_from.title
    ids = {k: values.get(k) for k in ("arxiv_id", "doi", "openalex", "s2")}
    pid = paper_id(**ids, title=title) if title or any(ids.values()) else None
    merged = replace(
        base,
        **values,
        title=title,
        authors=authors,
        citations=tuple(c for m in members for c in m.citations),
        mentions=tuple(x for m in members for x in m.mentions),
        keywords=tuple(dict.fromkeys(k for m in members for k in m.keywords)),
        notes=tuple(dict.fromkeys(n for m in members for n in m.notes)),
        stub=all(m.stub for m in members),
        sources=tuple(dict.fromkeys(m.source for m in members)),
        id=pid,
        extra={"formats": sorted({m.format for m in members}), "conflicts": conflicts,
               "field_sources": field_sources if len(members) > 1 else []},
    )
    return merged


def _unique_ids(papers: list[Paper]) -> list[Paper]:
    """Papers that the matcher kept apart but whose ids coincide (same title slug) get a suffix."""
    seen: dict[str, int] = {}
    out = []
    for p in papers:
        pid = p.id or "paper:t:untitled"
        n = seen.get(pid, 0)
        seen[pid] = n + 1
        out.append(replace(p, id=pid if n == 0 else f"{pid}~{n + 1}"))
    return out


def _assign_mentions(p: Paper, key_to_id: dict[tuple[str, str], str]) -> Paper:
    out: dict[str, Mention] = {}
    for m in p.mentions:
        if m.label == "Repository":
            mid = repo_id(m.host or "web", m.name)
        elif m.label == "Metric":  # not a node: a property of the paper
            mid = f"metric:{entity_key(m.name)}"
            if mid == "metric:":
                continue
            out.setdefault(mid, m)
            continue
        else:
            mid = key_to_id.get((m.label, mention_key(m)))
            if mid is None:
                continue
        key = f"{mid}|{m.introduces}"
        if key not in out:
            out[key] = replace(m, id=mid)
    return replace(p, mentions=tuple(out.values()))


def _identity_keys(item: Paper | Citation) -> list[tuple[str, str]]:
    """What identifies a paper or a cited work, strongest first (a stub's title does not)."""
    title = None if getattr(item, "stub", False) or not item.title else normalize_title(item.title)
    keys = (("arxiv", normalize_arxiv_id(item.arxiv_id)), ("doi", normalize_doi(item.doi)),
            ("openalex", item.openalex), ("s2", item.s2), ("title", title))
    return [(kind, value) for kind, value in keys if value]


def _assign_citations(papers: list[Paper]) -> tuple[list[Paper], list[Paper]]:
    """Give each citation its target (a corpus paper, else a stub); one per cited work."""
    index: dict[tuple[str, str], str] = {}
    for p in papers:
        for key in _identity_keys(p):
            index.setdefault(key, p.id)
    paper_ids = {p.id for p in papers}
    stubs: dict[str, Paper] = {}
    out = []
    for p in papers:
        cites: dict[str, Citation] = {}
        for c in p.citations:
            target = next((index[k] for k in _identity_keys(c) if k in index), None)
            if target is None:
                stub = _stub_for(c)
                if stub is None:
                    continue
                target = stub.id
                if target in stubs:
                    prev = stubs[target]
                    stubs[target] = replace(prev, sources=tuple(dict.fromkeys(prev.sources + stub.sources)))
                elif target not in paper_ids:
                    stubs[target] = stub
            if target != p.id and target not in cites:
                cites[target] = replace(c, target=target)
        out.append(replace(p, citations=tuple(cites.values())))
    return out, [stubs[k] for k in sorted(stubs)]


def _stub_for(c: Citation) -> Paper | None:
    source = c.source or Source("?", 0)
    if any((c.arxiv_id, c.doi, c.openalex, c.s2)):
        sid = paper_id(arxiv_id=c.arxiv_id, doi=c.doi, openalex=c.openalex, s2=c.s2)
    elif c.surnames:
        sid = stub_id(c.surnames, c.year, et_al=c.et_al)
    elif c.title and normalize_title(c.title):
        sid = paper_id(title=c.title)
    else:
        return None
    title = c.title or c.text or sid.split(":", 1)[1]
    return Paper(title=title, source=source, format="citation", year=c.year, stub=True, id=sid,
                 sources=(source,), arxiv_id=normalize_arxiv_id(c.arxiv_id), doi=normalize_doi(c.doi),
                 openalex=c.openalex, s2=c.s2)

