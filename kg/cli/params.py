"""Parameter types shared by the commands.

``GRAPH``: a ``graph.json``, or the folder ``kg build`` wrote one in (``kg stats build/`` reads
``build/graph.json``).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "graph.json").write_text("{}")
>>> GRAPH_FILE.convert(str(d), None, None) == str(d / "graph.json")
True
>>> GRAPH_FILE.convert("elsewhere/g.json", None, None)
'elsewhere/g.json'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

__all__ = ["GRAPH_FILE", "GraphFile"]


class GraphFile(click.ParamType):
    """A graph file, or a build folder holding ``graph.json`` (given as that file)."""

    name = "graph"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        path = Path(value)
        if path.is_dir():
            inner = path / "graph.json"
            if inner.is_file():
                return str(inner)
            self.fail(f"{value} is a folder without graph.json; expected a graph.json written by "
                      "`kg build`, or the folder it wrote it in", param, ctx)
        return str(value)


GRAPH_FILE = GraphFile()
