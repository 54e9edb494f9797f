"""Hugging Face daily papers: the ``/api/daily_papers`` (and ``/api/papers``) JSON.

A JSON array (read one element at a time) of either listing items
``{"paper": {...}, "title", "publishedAt", "submittedOnDailyAt", "numComments", ...}`` or bare
paper objects ``{"id", "title", "summary", "authors", "publishedAt", "upvotes", ...}``; a single
object is one record. ``id`` is the arXiv id; ``authors[].name`` in order (hidden authors
too: they are authors of the paper); ``upvotes``; ``githubRepo`` → a ``Repository`` mention
(``origin="source"``); ``ai_keywords`` → keywords; ``publishedAt`` → the publication date.
The listing's ``submittedOnDailyAt``, ``numComments`` and ``githubStars`` go to ``extra``.

>>> sniff('[{"paper": {"id": "2401.00001", "upvotes": 3}, "submittedOnDailyAt": "x"}]', Path("d.json"))
True
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.loaders import LoadOptions
from kg.loaders._common import clean, first_char, guarded, json_objects, parse_date
from kg.loaders.paperswithcode import github_repo

from kg.ids import normalize_arxiv_id
from kg.model import Author, Mention, Paper, Quarantined, Source

__all__ = ["FORMAT", "load", "sniff"]

FORMAT = "hf_daily_papers"


def sniff(head: str, path: Path) -> bool:
    """JSON with the daily-papers keys (``upvotes`` with ``submittedOnDailyAt``, ``ai_keywords``
    or ``githubRepo``)."""
    if first_char(head) not in "[{":
        return False
    return '"upvotes"' in head and any(
        k in head for k in ('"submittedOnDailyAt"', '"ai_keywords"', '"githubRepo"', '"ai_summary"'))


def load(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Each daily-papers item of the file."""
    for src, obj in json_objects(path, options, "a daily-papers item (a JSON object)"):
        yield obj if isinstance(obj, Quarantined) else guarded(_item, obj, src, "daily-papers item")


def _count(value: Any) -> int | None:
    """A count (upvotes): a whole number, or ``None`` when absent; anything else is an error."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or value % 1:
        raise ValueError(f"expected a whole number, found {value!r}")
    return int(value)


def _item(item: dict, src: Source) -> Paper | Quarantined:
    p: dict[str, Any] = item.get("paper") if isinstance(item.get("paper"), dict) else item
    title = clean(p.get("title") or item.get("title"))
    arxiv_id = normalize_arxiv_id(str(p.get("id") or ""))
    text = f"{p.get('id')} | {title}"[:500]
    if not title:
        return Quarantined(src, f"daily-papers item {p.get('id')!r} has no title; expected \"title\"", text)
    raw_date = p.get("publishedAt") or item.get("publishedAt")
    date = parse_date(raw_date)
    if date is None:
        return Quarantined(src, f"daily-papers item {p.get('id')!r}: publishedAt {raw_date!r} is not a date; "
                                "expected an ISO date", text)
    if date[0] and len(date[0]) > 10:
        date = (date[0][:10], date[1])
    names = [clean(a.get("name")) for a in p.get("authors") or [] if isinstance(a, dict)]
    authors = tuple(Author(name=n, position=i) for i, n in enumerate(names, start=1) if n)
    mentions = []
    repo_url = p.get("githubRepo") or item.get("githubRepo")
    if repo_url is not None and not isinstance(repo_url, str):
        raise TypeError(f"githubRepo: expected a URL string, found {type(repo_url).__name__}")
    repo = github_repo(repo_url)
    if repo:
        mentions.append(Mention("Repository", name=repo, text=repo_url, url=f"https://github.com/{repo}",
                                host="github", origin="source"))
    upvotes = p.get("upvotes", item.get("upvotes"))
    extra = {k: v for k in ("submittedOnDailyAt", "numComments", "githubStars", "ai_summary")
             if (v := item.get(k, p.get(k))) is not None}
    return Paper(
        title=title, source=src, format=FORMAT, abstract=clean(p.get("summary") or item.get("summary")),
        published=date[0], year=date[1], author_count=len(authors) or None,
        upvotes=_count(upvotes), arxiv_id=arxiv_id,
        url=f"https://huggingface.co/papers/{arxiv_id}" if arxiv_id else None, authors=authors,
        mentions=tuple(mentions),
        keywords=tuple(clean(k) for k in p.get("ai_keywords") or item.get("ai_keywords") or [] if clean(k)),
        extra=extra,
    )
