"""The ``kg`` command line. Each command parses, calls one library function, prints.

Commands live in small modules by area and are added to :data:`main` here:

* :mod:`kg.cli.graph` - ``build``, ``stats``
* :mod:`kg.cli.queries` - ``query``, ``push``, ``cypher``
* :mod:`kg.cli.views` - ``view``, ``plot``, ``export``
* :mod:`kg.cli.dedupe` - ``dedupe``
* :mod:`kg.cli.fetch` - ``fetch``
* :mod:`kg.cli.params` - parameter types the commands share (``GRAPH``: a file or a build folder)

Library errors (:class:`kg.errors.KgError`) become one line on standard error and exit
code 2, in one place: :class:`KgGroup`.
"""

from __future__ import annotations

import importlib
import sys

import click

from kg.errors import KgError

__all__ = ["main"]

_COMMAND_MODULES = ("kg.cli.graph", "kg.cli.queries", "kg.cli.views", "kg.cli.dedupe", "kg.cli.fetch")


class KgGroup(click.Group):
    """A click group that turns :class:`KgError` into a clean CLI error."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-toolkit")
def main() -> None:
    """kg: paper listings and metadata in, a citation and author knowledge graph out.

    Start with `kg build INPUT... --out DIR`, then `kg stats DIR/graph.json`.
    """


for _name in _COMMAND_MODULES:
    for _command in importlib.import_module(_name).COMMANDS:
        main.add_command(_command)
