"""kg: paper listings and bibliographic metadata in, a citation and author knowledge graph out.

Data flows one way: read (:mod:`kg.loaders`) -> extract (:mod:`kg.extract`) ->
resolve (:mod:`kg.resolve`) -> build (:mod:`kg.build`) -> store / query / view / export.
Only :mod:`kg.pipeline` knows that order.
"""

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
    "save_graph",
]
