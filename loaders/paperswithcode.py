"""Papers with Code evaluation tables (the ``evaluation-tables.json`` schema).

A JSON array of tasks; a task has ``task``, ``categories``, ``datasets`` and ``subtasks``
(tasks again); a dataset has ``dataset``, ``sota.rows`` and ``subdatasets`` (datasets again).
Tasks are read one at a time from the array. **Each leaderboard row is one record**: the
row's paper (``paper_title``, ``paper_url``, ``paper_date``) with metadata mentions
(``origin="source"``): the dataset (``Dataset``), the model name (``Method``) and each code
link (``Repository``, ``owner/repo`` on GitHub); the task (and its parent tasks) become
``keywords``, the row's metrics go to ``extra``. Every record of a task carries the line where
the task object starts.

Model names are normalised (:func:`model_name`): a year ("Transformer (2017)") and a variant
("(single model)", "(ensemble)") are properties of the row (``extra["model_year"]``,
``extra["model_variant"]``; the mention's ``text`` keeps the cell as written), not parts of a
new entity; an author citation in the model column ("Zhong et al. (2018)") is a citation of
the row's paper (a ``CITES`` edge), not a method; markup placeholders left by the tables'
converter (``\x02wzxhzdk:13\x03``) are removed. A dataset column that names a setting, not a
dataset ("Supervised", "Social media"), is kept as a keyword.

Some tables put the paper's URL in ``paper_title``; such a row has no title. A row whose paper
is known only by an arXiv URL becomes a stub record (empty title, ``arxiv_id``, ``stub=True``)
that resolution merges into the paper; a row that names no paper at all (no title, no arXiv
URL) is quarantined with its model and dataset.

>>> github_repo("https://github.com/google-research/bert/tree/master")
'google-research/bert'
>>> model_name("Bi-LSTM (2017) (single model)")[:3]
('Bi-LSTM', 2017, 'single model')
>>> model_name("Zhong et al. (2018)")[:5]
('', 2018, '', ('Zhong',), True)
>>> model_name("JAMR \x02wzxhzdk:21\x03\x02wzxhzdk:22\x03 (2016)").name
'JAMR'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from kg.loaders import LoadOptions
from kg.loaders._common import JsonError, clean, first_char, guarded, json_items, parse_date

from kg.ids import normalize_arxiv_id
from kg.model import Citation, Mention, Paper, Quarantined, Source

__all__ = ["FORMAT", "ModelName", "github_repo", "load", "model_name", "sniff"]

FORMAT = "paperswithcode"
_GITHUB = re.compile(r"github\.com/([A-Za-z0-9_.\-]+)/([A-Za-z0-9_.\-]+)")


def sniff(head: str, path: Path) -> bool:
    """JSON with the evaluation-tables keys (``datasets`` with ``sota``/``dataset_citations``;
    the ``task`` key may come after 64 KiB of rows)."""
    return first_char(head) in "[{" and '"datasets"' in head and any(
        k in head for k in ('"sota"', '"dataset_citations"', '"subdatasets"'))


def github_repo(url: str | None) -> str | None:
    """``owner/repo`` of a GitHub URL, else ``None``.

    >>> github_repo("https://github.com/microsoft/LoRA.git"), github_repo("https://gitlab.com/a/b")
    ('microsoft/LoRA', None)
    """
    m = _GITHUB.search(url or "")
    if not m:
        return None
    return f"{m.group(1)}/{m.group(2).removesuffix('.git')}"


_PLACEHOLDER = re.compile(r"\x02?wzxhzdk:\d+\x03?|[\x00-\x1f\x7f\u2666\u2020\u2021*]")
_VARIANT = re.compile(r"\s*[\(\[]\s*(single|ensemble)(?:\s+models?)?\s*[\)\]]", re.I)
_YEAR = re.compile(r"[\s,]*\(?\s*((?:19|20)\d{2})\s*\)?\s*$")
_SURNAME = r"[A-Z][\w'\u2019\-]+(?:\s+[A-Z][\w'\u2019\-]+)?"
_CITED = re.compile(rf"^({_SURNAME})(?:\s+(et\s+al\.?)|\s+(?:and|&)\s+({_SURNAME}))\s*,?\s*(?:\+\s*)?")
#: words that name a setting or a slice of a leaderboard, not a dataset
_SETTINGS = frozenset({
    "supervised", "unsupervised", "semi-supervised", "weakly-supervised", "self-supervised",
    "knowledge-based", "social", "media", "lexical", "sample", "results", "all", "overall", "average",
    "in-domain", "out-of-domain", "cross-domain", "zero-shot", "few-shot", "test", "dev", "set", "sets",
    "validation", "multilingual"})


class ModelName(NamedTuple):
    """A leaderboard row's model cell, read: the method's name (``""`` when the cell is a
    citation), the year, the variant, and the cited authors."""

    name: str
    year: int | None
    variant: str
    cited: tuple[str, ...]
    et_al: bool
    text: str


def model_name(raw: str) -> ModelName:
    """The parts of a model cell: see the module docstring."""
    text = " ".join(_PLACEHOLDER.sub(" ", raw or "").split())
    variant = ""
    m = _VARIANT.search(text)
    if m:
        variant = "ensemble" if m.group(1).lower() == "ensemble" else "single model"
        text = " ".join((text[: m.start()] + " " + text[m.end():]).split())
    year = None
    while m := _YEAR.search(text):  # "ELMo (2017) (2018)": the last year is the row's
        year = year or int(m.group(1))
        text = text[: m.start()].strip()
    cited: tuple[str, ...] = ()
    et_al = False
    m = _CITED.match(text)
    if m:
        cited = tuple(x for x in (m.group(1), m.group(3)) if x)
        et_al = bool(m.group(2))
        text = text[m.end():].strip()
    name = text.strip(" ,;+-")
    return ModelName(name, year, variant, cited, et_al, " ".join(_PLACEHOLDER.sub(" ", raw or "").split()))


def _dataset_name(name: str) -> str:
    """A dataset cell as a dataset name, or ``""`` when it names a setting ("Supervised")."""
    name = re.sub(r"^results\s+on\s+|\s+(?:test\s+set|results)$", "", name, flags=re.I).strip()
    words = re.split(r"[\s/]+", name.lower())
    if not name or all(w in _SETTINGS for w in words):
        return ""
    return name


def load(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """One record per leaderboard row of every task, subtask, dataset and subdataset."""
    display = options.display or path.name
    for line, obj in json_items(path, None, options.max_record):
        src = Source(display, line)
        if isinstance(obj, JsonError):
            yield Quarantined(src, f"{obj.message}; expected a Papers with Code task (a JSON object)",
                              obj.text)
        elif not isinstance(obj, dict) or "task" not in obj:
            yield Quarantined(src, "expected a Papers with Code task object with \"task\" and \"datasets\"",
                              repr(obj)[:500])
        else:
            yield from _task(obj, src, ())


def _objects(obj: dict, key: str, src: Source, what: str) -> Iterator[dict | Quarantined]:
    """The objects of the list ``obj[key]``; a value that is not such a list (or an element that
    is not an object) comes as a Quarantined record saying so."""
    value = obj.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        yield Quarantined(src, f"field {key!r} is {type(value).__name__}; expected a list of {what} objects",
                          repr(value)[:500])
        return
    for item in value:
        if isinstance(item, dict):
            yield item
        else:
            yield Quarantined(src, f"an element of {key!r} is {type(item).__name__}; "
                                   f"expected a {what} object",
                              repr(item)[:500])


def _text(obj: dict, key: str) -> str:
    v = obj.get(key)
    return "" if isinstance(v, list | dict) else clean(v)


def _task(t: dict, src: Source, parents: tuple[str, ...], depth: int = 0) -> Iterator[Paper | Quarantined]:
    names = (*parents, _text(t, "task"))
    if depth > 50:
        yield Quarantined(src, "subtasks nested more than 50 deep; expected a task tree", names[-1])
        return
    for ds in _objects(t, "datasets", src, "dataset"):
        if isinstance(ds, Quarantined):
            yield ds
        else:
            yield from _dataset(ds, src, names, ())
    for sub in _objects(t, "subtasks", src, "task"):
        if isinstance(sub, Quarantined):
            yield sub
        else:
            yield from _task(sub, src, names, depth + 1)


def _dataset(ds: dict, src: Source, tasks: tuple[str, ...], parents: tuple[str, ...], depth: int = 0
             ) -> Iterator[Paper | Quarantined]:
    name = _text(ds, "dataset")
    if depth > 50:
        yield Quarantined(src, "subdatasets nested more than 50 deep; expected a dataset tree", name)
        return
    sota = ds.get("sota")
    if sota is not None and not isinstance(sota, dict):
        yield Quarantined(src, f"dataset {name!r}: field 'sota' is {type(sota).__name__}; expected an object "
                               "with \"rows\"", repr(sota)[:500])
    elif sota:
        for row in _objects(sota, "rows", src, "leaderboard row"):
            yield row if isinstance(row, Quarantined) else guarded(
                lambda r, s: _row(r, s, tasks, (*parents, name)), row, src, "leaderboard row")
    for sub in _objects(ds, "subdatasets", src, "dataset"):
        if isinstance(sub, Quarantined):
            yield sub
        else:
            yield from _dataset(sub, src, tasks, (*parents, name), depth + 1)


def _row(row: dict, src: Source, tasks: tuple[str, ...], datasets: tuple[str, ...]) -> Paper | Quarantined:
    title = clean(row.get("paper_title"))
    url = clean(row.get("paper_url")) or None
    if "://" in title:  # the URL was put in the title column
        url = url or title
        title = ""
    cell = model_name(clean(row.get("model_name")))
    model = cell.name
    dataset = datasets[-1] if datasets else ""
    arxiv_id = normalize_arxiv_id(url) if url and "arxiv.org" in url else None
    text = f"task {tasks[-1]!r} | dataset {dataset!r} | model {model!r} | paper {row.get('paper_title')!r}"
    if not title and not arxiv_id:
        return Quarantined(src, f"leaderboard row names no paper (model {model or '?'!r} on {dataset!r}, "
                                f"url {url!r}); expected paper_title or an arXiv paper_url", text[:500])
    date = parse_date(row.get("paper_date"))
    if date is None:
        return Quarantined(src, f"leaderboard row paper_date {row.get('paper_date')!r} is not a date; "
                                "expected YYYY-MM-DD", text[:500])
    names = [_dataset_name(d) for d in dict.fromkeys(datasets) if d]
    mentions = [Mention("Dataset", name=d, text=d, origin="source") for d in names if d]
    if model:
        mentions.append(Mention("Method", name=model, text=cell.text, origin="source"))
    citations = ()
    if cell.cited:
        citations = (Citation(surnames=cell.cited, year=cell.year, et_al=cell.et_al, text=cell.text,
                              evidence=cell.text, source=src),)
    for link in row.get("code_links") or []:
        link_url = link.get("url") if isinstance(link, dict) else link
        repo = github_repo(link_url)
        if repo:
            mentions.append(Mention("Repository", name=repo, text=link_url, url=f"https://github.com/{repo}",
                                    host="github", origin="source"))
    extra: dict[str, Any] = {"metrics": row.get("metrics") or {}}
    if row.get("uses_additional_data") is not None:
        extra["uses_additional_data"] = row["uses_additional_data"]
    if cell.year and not cell.cited:
        extra["model_year"] = cell.year
    if cell.variant:
        extra["model_variant"] = cell.variant
    settings = [d for d in dict.fromkeys(datasets) if d and not _dataset_name(d)]
    return Paper(
        title=title, source=src, format=FORMAT, published=date[0], year=date[1], arxiv_id=arxiv_id,
        url=url, mentions=tuple(mentions), citations=citations,
        keywords=tuple(dict.fromkeys([*(t for t in tasks if t), *settings])),
        stub=not title, extra=extra,
    )
