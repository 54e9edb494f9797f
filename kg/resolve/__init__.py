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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter

from kg.ids import (
    normalize_arxiv_id,
    normalize_doi,
    normalize_title,
    paper_id,
    repo_id,
    stub_id,
)
from kg.model import Author, Citation, Mention, Merge, Paper, Source
from kg.resolve.authors import AuthorRow, author_rows, parse_names
from kg.resolve.entities import EntityGroup, clear_caches, entity_key, group_mentions, mention_key
from kg.resolve.papers import cluster_papers
from kg.runner import Spawned, gc_paused

__all__ = ["PendingAuthors", "Resolution", "resolve", "tag_sources"]

#: every field but ``id``, in order: ``Mention(*_MENTION_VALUES(m), id=x)`` is ``replace(m, id=x)``
_MENTION_VALUES = attrgetter(*(f.name for f in fields(Mention) if f.name != "id"))
_AUTHOR_VALUES = attrgetter(*(f.name for f in fields(Author) if f.name != "id"))
#: every field of Paper, in order (all of them ``__init__`` arguments)
_PAPER_FIELDS = tuple(f.name for f in fields(Paper))
_PAPER_VALUES = attrgetter(*_PAPER_FIELDS)
_PAPER_INDEX = {name: i for i, name in enumerate(_PAPER_FIELDS)}


def _replace_paper(p: Paper, **changes) -> Paper:
    """``dataclasses.replace(p, **changes)`` without looking up the fields at every call
    (resolution makes a few new papers per record: at 75k records, seconds).

    >>> from kg.model import Source
    >>> p = Paper(title="T", source=Source("a.txt", 1), format="x", year=2020)
    >>> _replace_paper(p, year=2021) == replace(p, year=2021)
    True
    """
    values = list(_PAPER_VALUES(p))
    for name, value in changes.items():
        values[_PAPER_INDEX[name]] = value
    return Paper(*values)


def _head(cls: type, last: tuple[str, ...]) -> attrgetter:
    names = [f.name for f in fields(cls)]
    if tuple(names[-len(last):]) != last:
        raise TypeError(f"{cls.__name__} fields end {names[-len(last):]}, expected {list(last)}")
    return attrgetter(*names[:-len(last)])


#: every field before ``source`` (which comes last but for the id or target set by resolution)
_MENTION_HEAD = _head(Mention, ("source", "id"))
_CITATION_HEAD = _head(Citation, ("source", "target"))

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
    #: with ``resolve(..., defer_authors=True)`` and a worker: the authors' ids still to come
    #: (:class:`PendingAuthors`; the papers' authors have no ids yet). :func:`kg.build.build_graph`
    #: waits for them once it has added everything else
    pending_authors: PendingAuthors | None = None


class PendingAuthors:
    """Author resolution still running in its worker for a :class:`Resolution`.

    :meth:`result` waits for it, puts the author merges and conflicts where :func:`resolve`
    would have (after the paper merges, before the entity merges) and returns, per paper of
    ``res.papers`` (in that order), its authors' ids.
    """

    def __init__(self, job: Spawned, papers: int, merges_at: int) -> None:
        self._job, self._papers, self._merges_at = job, papers, merges_at

    def result(self, res: Resolution) -> list[tuple[str | None, ...]]:
        ids, sent, author_conflicts = self._job.result()
        if len(ids) != self._papers:
            raise RuntimeError(f"author ids for {len(ids)} papers, expected {self._papers}")
        res.merges[self._merges_at:self._merges_at] = [Merge(*m) for m in sent]
        res.conflicts.extend(author_conflicts)
        return ids

    def kill(self) -> None:
        """End the worker (the build failed before it was waited for)."""
        self._job.kill()


def resolve(records: Sequence[Paper], *, jobs: int = 1, defer_authors: bool = False) -> Resolution:
    """Resolve extracted paper records into nodes.

    With ``jobs`` > 1 the authors are resolved in a worker process (:class:`kg.runner.Spawned`)
    while this one groups the entities and assigns the citations: author resolution needs only
    the merged papers' authors (names and identifiers), venues and sources, and sets nothing
    else, so the worker is sent those alone (:func:`_author_rows`) and holds no record. The
    result is the same for any ``jobs``. With ``defer_authors`` (and a worker) this returns
    before the worker is done: the papers' authors have no ids yet and ``pending_authors`` waits
    for them (what :func:`kg.build.build_graph` does once it has added everything else, so the
    graph is begun while the authors are resolved).

    >>> from kg.model import Source
    >>> a = Paper(title="How to Train Your HiPPO", source=Source("a.txt", 3), format="x")
    >>> b = Paper(title="How to train your HiPPO", source=Source("b.txt", 9), format="x", year=2022)
    >>> res = resolve([a, b])
    >>> [(p.id, [str(s) for s in p.sources], p.year) for p in res.papers]
    [('paper:t:how-to-train-your-hippo', ['a.txt:3', 'b.txt:9'], 2022)]
    >>> str(res.merges[0])
    'b.txt:9 (same normalised title; score 100.0)'
    """
    # millions of small objects and no cycles: no collection walks them (kg.runner.gc_paused).
    # The list is handed on with no reference kept here, so _resolve can let the records go
    handed = [records]
    del records
    with gc_paused():
        return _resolve(handed.pop(), jobs, defer_authors)


def _resolve(records: Sequence[Paper], jobs: int, defer_authors: bool = False) -> Resolution:
    """:func:`resolve`'s work."""
    records = [tag_sources(r) for r in records]
    merges: list[Merge] = []
    conflicts: list[str] = []
    # authors need only each merged paper's authors, venue and source (as _merge_papers takes
    # them): with jobs > 1 a new process resolves them while this one merges the papers, groups
    # the entities and assigns the citations (a forked worker would keep a copy of every page of
    # the records that this process writes or frees meanwhile). It starts now and parses the
    # names while this process clusters the papers; it is sent the papers' rows after that
    author_job = None
    if jobs > 1 and any(r.authors for r in records):
        names = list(dict.fromkeys(a.name for r in records for a in r.authors))
        author_job = Spawned(None, prepare=(parse_names, (names,)))
        del names
    try:
        labels, matches = cluster_papers(records)
        clusters: dict[int, list[int]] = defaultdict(list)
        for i, root in enumerate(labels):
            clusters[root].append(i)
        order = [clusters[root] for root in sorted(clusters)]
        if author_job is not None:
            author_job.send(_author_ids_sent, _author_rows(records, order))
        why = {m.member: m for m in matches}
        papers: list[Paper] = []
        merged_records: set[int] = set()
        for cluster in order:
            members = [records[i] for i in cluster]
            paper = _merge_papers(members)
            papers.append(paper)
            for i in cluster[1:]:
                m = why.get(i)
                merged_records.add(i)
                merges.append(Merge("Paper", paper.id, str(records[i].source),
                                    m.score if m else 100.0, m.reason if m else "same cluster"))
        # the records are not needed past here: a caller that hands its list over (and keeps no
        # reference) lets them go before the authors and entities are resolved
        records, members = [], []
        papers = _unique_ids(papers)

        if author_job is None and any(p.authors for p in papers):
            papers = _set_author_ids(papers, *_author_ids(author_rows(papers)), merges, conflicts)

        groups, ids = _entity_ids(p.mentions for p in papers)
        entities = {g.id: g for g in groups}
        entity_merges = [Merge(g.label, g.id, name, score, reason)
                         for g in groups for name, score, reason in g.merges]
        papers = _assign_mentions(papers, ids)
        papers, stubs = _assign_citations(papers)

        pending = None
        if author_job is not None and defer_authors:
            pending = PendingAuthors(author_job, len(papers), len(merges))
        elif author_job is not None:
            ids, sent, author_conflicts = author_job.result()
            papers = _set_author_ids(papers, ids, [Merge(*m) for m in sent], author_conflicts,
                                     merges, conflicts)
            del ids, sent
    except BaseException:
        if author_job is not None:
            author_job.kill()  # the build failed here: its worker is not waited for
        raise
    merges.extend(entity_merges)
    clear_caches()  # their names would stay in memory for the rest of the build
    return Resolution(papers, stubs, entities, merges, merged_records, conflicts, pending)


def tag_sources(p: Paper) -> Paper:
    """Give each mention and citation the source of its record, so it keeps it after a merge
    (:func:`resolve` does; a caller that holds many records may do it as they arrive, so that
    resolve makes no second copy)."""
    if not any(x.source is None for x in (*p.mentions, *p.citations)):
        return p
    src = p.source
    return replace(
        p,
        mentions=tuple(m if m.source else Mention(*_MENTION_HEAD(m), source=src, id=m.id)
                       for m in p.mentions),
        citations=tuple(c if c.source else Citation(*_CITATION_HEAD(c), source=src, target=c.target)
                        for c in p.citations),
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
    if len(members) == 1:
        return _single_paper(members[0])
    return _merge_many(members)


def _merge_many(members: list[Paper]) -> Paper:
    """:func:`_merge_papers` of any cluster (of one record too: :func:`_single_paper` must agree)."""
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
    merged = _replace_paper(
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


def _single_paper(p: Paper) -> Paper:
    """What :func:`_merge_papers` makes of a cluster of one record (most clusters), without
    comparing values: each property is the record's own.

    >>> from kg.model import Source
    >>> a = Paper(title="T", source=Source("a.txt", 1), format="x", year=2023, keywords=("k", "k"))
    >>> m = _single_paper(a); (m.id, m.sources, m.keywords, m.extra["formats"])
    ('paper:t:t', (Source(file='a.txt', line=1),), ('k',), ['x'])
    >>> m == _merge_many([a]) and m.extra == _merge_many([a]).extra
    True
    """
    ids = {"arxiv_id": p.arxiv_id or None, "doi": p.doi or None, "openalex": p.openalex or None,
           "s2": p.s2 or None}
    pid = paper_id(**ids, title=p.title) if p.title or any(ids.values()) else None
    return _replace_paper(
        p,
        keywords=tuple(dict.fromkeys(p.keywords)),
        notes=tuple(dict.fromkeys(p.notes)),
        stub=bool(p.stub),
        sources=(p.source,),
        id=pid,
        extra={"formats": [p.format], "conflicts": [], "field_sources": []},
    )


def _unique_ids(papers: list[Paper]) -> list[Paper]:
    """Papers that the matcher kept apart but whose ids coincide (same title slug) get a suffix."""
    seen: dict[str, int] = {}
    out = []
    for p in papers:
        pid = p.id or "paper:t:untitled"
        n = seen.get(pid, 0)
        seen[pid] = n + 1
        new_id = pid if n == 0 else f"{pid}~{n + 1}"
        out.append(p if new_id == p.id else _replace_paper(p, id=new_id))
    return out


def _author_ids(rows: list[AuthorRow]) -> tuple[list[tuple[str | None, ...]], list[Merge], list[str]]:
    """The unit of work of author resolution (:func:`kg.resolve.authors.resolve_author_rows`), in
    this process or a worker's: per paper its authors' ids, the author merges and the conflicts
    found. ``rows`` is emptied as it is read (in a worker it is its own copy)."""
    from kg.resolve.authors import resolve_author_rows

    conflicts: list[str] = []
    with gc_paused():  # also in a worker, where resolve's own pause does not reach
        ids, author_merges = resolve_author_rows(rows, conflicts, consume=True)
    return ids, author_merges, conflicts


def _author_ids_sent(rows: list[AuthorRow]) -> tuple[list[tuple[str | None, ...]], list[tuple], list[str]]:
    """:func:`_author_ids` in a worker: the merges as plain tuples, which the parent reads
    back several times faster than pickled dataclasses (hundreds of thousands at 75k records)."""
    ids, author_merges, conflicts = _author_ids(rows)
    return ids, [(m.label, m.into, m.member, m.score, m.reason) for m in author_merges], conflicts


def _author_rows(records: Sequence[Paper], order: list[list[int]]) -> list[AuthorRow]:
    """What author resolution reads (:func:`kg.resolve.authors.author_rows`) of the papers that
    :func:`_merge_papers` makes of the clusters in ``order``, read from the records.

    >>> from kg.model import Source
    >>> a = Paper(title="T", source=Source("a.txt", 3), format="x", authors=(Author("Ada Lovelace", 1),))
    >>> b = Paper(title="T", source=Source("b.txt", 9), format="x", venue="NeurIPS")
    >>> _author_rows([a, b], [[0, 1]])
    [(Source(file='a.txt', line=3), 'NeurIPS', (('Ada Lovelace', None, None, None),))]
    """
    rows: list[AuthorRow] = []
    for cluster in order:
        members = [records[i] for i in cluster]
        with_authors = next((m for m in members if m.authors), None)
        venue = next((m.venue for m in members if m.venue not in (None, "")), None)
        authors = (tuple((a.name, a.orcid, a.openalex, a.s2) for a in with_authors.authors)
                   if with_authors else ())
        rows.append((members[0].source, venue, authors))
    return rows


def _set_author_ids(papers: list[Paper], ids: list[tuple[str | None, ...]], author_merges: list[Merge],
                    author_conflicts: list[str], merges: list[Merge], conflicts: list[str]) -> list[Paper]:
    """``papers`` with their authors' ids (:func:`_author_ids`); the merges and conflicts appended."""
    if len(ids) != len(papers):
        raise RuntimeError(f"author ids for {len(ids)} papers, expected {len(papers)}")
    merges.extend(author_merges)
    conflicts.extend(author_conflicts)
    out = []
    for p, row in zip(papers, ids, strict=True):
        if not p.authors:
            out.append(p)
            continue
        authors = tuple(Author(*_AUTHOR_VALUES(a), id=aid) for a, aid in zip(p.authors, row, strict=True))
        out.append(_replace_paper(p, authors=authors))
    return out


def _entity_ids(mentions: Iterable[tuple[Mention, ...]]) -> tuple[list[EntityGroup], list[list[str | None]]]:
    """The entity groups of all ``mentions`` (one tuple per paper, in the papers' order) and,
    per paper, the node id of each of its mentions (``None``: not a node and not a metric).

    The unit of work that :func:`resolve` runs beside the paper and author merges.
    """
    per_paper = [tuple(ms) for ms in mentions]
    groups = group_mentions([m for ms in per_paper for m in ms])
    key_to_id = {(g.label, k): g.id for g in groups for k in g.keys}
    ids: list[list[str | None]] = []
    for ms in per_paper:
        row: list[str | None] = []
        for m in ms:
            if m.label == "Repository":
                mid = repo_id(m.host or "web", m.name)
            elif m.label == "Metric":  # not a node: a property of the paper
                mid = f"metric:{entity_key(m.name)}"
                mid = None if mid == "metric:" else mid
            else:
                mid = key_to_id.get((m.label, mention_key(m)))
            row.append(mid)
        ids.append(row)
    return groups, ids


def _assign_mentions(papers: list[Paper], ids: list[list[str | None]]) -> list[Paper]:
    """Each paper with its mentions' node ids set (:func:`_entity_ids`), one mention per node."""
    if len(papers) != len(ids):
        raise RuntimeError(f"entity ids for {len(ids)} papers, expected {len(papers)}")
    out_papers = []
    for p, row in zip(papers, ids, strict=True):
        out: dict[str, Mention] = {}
        for m, mid in zip(p.mentions, row, strict=True):
            if mid is None:
                continue
            if m.label == "Metric":
                out.setdefault(mid, m)
                continue
            key = f"{mid}|{m.introduces}"
            if key not in out:
                out[key] = Mention(*_MENTION_VALUES(m), id=mid)  # dataclasses.replace, 10x faster
        out_papers.append(_replace_paper(p, mentions=tuple(out.values())))
    return out_papers


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
        out.append(_replace_paper(p, citations=tuple(cites.values())) if p.citations else p)
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

