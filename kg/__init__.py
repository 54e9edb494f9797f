"""kg: paper listings and bibliographic metadata in, a citation and author knowledge graph out.

Data flows one way: read (:mod:`kg.loaders`) -> extract (:mod:`kg.extract`) ->
resolve (:mod:`kg.resolve`) -> build (:mod:`kg.build`) -> store / query / view / export.
Only :mod:`kg.pipeline` knows that order.
"""

import os
from collections.abc import Iterable, Iterator

from kg.errors import KgError
from kg.graphio import load_graph, save_graph
from kg.model import Author, Citation, Mention, Paper, Quarantined, Source

__version__ = "0.1.0"

__all__ = [
    "Author",
    "Citation",
    "KgError",
    "Mention",
    "Paper",
    "Quarantined",
    "Source",
    "load_graph",
    "read_papers",
    "save_graph",
]


def read_papers(
    inputs: Iterable[str | os.PathLike] | str | os.PathLike,
    *,
    as_of: str | None = None,
    quarantined: list[Quarantined] | None = None,
) -> Iterator[Paper]:
    r"""Stream the papers of every file under ``inputs`` (files or folders), ready for
    :func:`kg.extract.extract`.

    The loaders also yield :class:`Quarantined` records (a line that could not be read, with
    its file, line and reason); these are not papers: they go to the ``quarantined`` list
    when one is given, and are never lost silently or passed on to extraction. ``as_of`` is
    the listing date for dates printed without a year.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "p.bib").write_text(
    ...     "@article{a, title={Attention Is All You Need}, author={Vaswani, Ashish}, year={2017}}\n"
    ...     "@article{b, author={Nobody}}\n", encoding="utf-8")
    >>> skipped = []
    >>> [p.title for p in read_papers(folder, quarantined=skipped)]
    ['Attention Is All You Need']
    >>> [(q.source.line, q.reason) for q in skipped]  # doctest: +ELLIPSIS
    [(2, '...title...')]
    """
    from kg import loaders

    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    for record in loaders.load_paths(inputs, as_of=as_of):
        if isinstance(record, Quarantined):
            if quarantined is not None:
                quarantined.append(record)
        else:
            yield record
