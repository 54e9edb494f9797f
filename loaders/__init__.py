"""Loaders: files in, :class:`~kg.model.Paper` and :class:`~kg.model.Quarantined` records out.

Each loader is a module of this package with the same three names:

* ``FORMAT`` - its format name (``"daily_papers"``, ``"openalex"``, ...);
* ``sniff(head: str, path: Path) -> bool`` - whether a file whose first 64 KiB of text is
  ``head`` (and whose name is ``path``) is in this format; content first, name second;
* ``load(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]`` - streams the
  records of the file, each with its :class:`~kg.model.Source` (``options.display`` is the
  file name to record).

:data:`REGISTRY` is the plain table of loaders, most specific first; :func:`detect` asks each
in turn. :func:`load_paths` walks files and folders and streams every record.

>>> [name for name, _ in REGISTRY][:3]
['daily_papers', 'search_results', 'aggregator_feed']
"""

from __future__ import annotations

import gzip
import importlib
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import TextIO

from kg.errors import InputError
from kg.model import Paper, Quarantined, Source

__all__ = [
    "REGISTRY",
    "LoadOptions",
    "detect",
    "iter_files",
    "load",
    "load_paths",
    "open_text",
]

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class LoadOptions:
    """Options every loader receives.

    ``as_of``: the listing date (``YYYY`` or ``YYYY-MM-DD``) for dates printed without a year;
    ``display``: the file name recorded in each record's :class:`~kg.model.Source`.
    """

    as_of: str | None = None
    display: str = ""


# name -> module, most specific first. Modules are imported on first use.
_MODULES: list[tuple[str, str]] = [
    ("daily_papers", "kg.loaders.listings"),
    ("search_results", "kg.loaders.listings"),
    ("aggregator_feed", "kg.loaders.listings"),
    ("hf_daily_papers", "kg.loaders.huggingface"),
    ("paperswithcode", "kg.loaders.paperswithcode"),
    ("s2_citations", "kg.loaders.semantic_scholar"),
    ("s2_abstracts", "kg.loaders.semantic_scholar"),
    ("s2_papers", "kg.loaders.semantic_scholar"),
    ("arxiv_snapshot", "kg.loaders.arxiv"),
    ("openalex", "kg.loaders.openalex"),
    ("crossref", "kg.loaders.crossref"),
    ("s2_graph", "kg.loaders.semantic_scholar"),
    ("arxiv_atom", "kg.loaders.arxiv"),
    ("bibtex", "kg.loaders.bibtex"),
    ("ris", "kg.loaders.ris"),
]


class _Lazy:
    def __init__(self, module: str, fmt: str) -> None:
        self._module = module
        self.format = fmt

    @property
    def module(self) -> ModuleType:
        return importlib.import_module(self._module)

    def sniff(self, head: str, path: Path) -> bool:
        mod = self.module
        fn = getattr(mod, f"sniff_{self.format}", None) or mod.sniff
        return bool(fn(head, path))

    def load(self, path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
        mod = self.module
        fn = getattr(mod, f"load_{self.format}", None) or mod.load
        return fn(path, options)


def _registry() -> list[tuple[str, _Lazy]]:
    return [(name, _Lazy(module, name)) for name, module in _MODULES]


REGISTRY: list[tuple[str, _Lazy]] = _registry()


def register(name: str, module: str) -> None:
    """Add a loader module (appended: asked after the built-in ones)."""
    _MODULES.append((name, module))
    REGISTRY.append((name, _Lazy(module, name)))


def open_text(path: str | os.PathLike) -> TextIO:
    """Open ``path`` as UTF-8 text (BOM removed); ``.gz`` files are decompressed on the fly.

    The caller closes it (use ``with``).
    """
    path = Path(path)
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline=None)


def _head(path: Path) -> str:
    try:
        with open_text(path) as fh:
            return fh.read(SNIFF_BYTES)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(str(path), None, f"cannot be read ({exc})") from exc


def detect(path: str | os.PathLike) -> str | None:
    """The format name of the file at ``path``, from its content (and name), or ``None``."""
    path = Path(path)
    head = _head(path)
    for name, loader in REGISTRY:
        if loader.sniff(head, path):
            return name
    return None


def iter_files(inputs: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, str]]:
    """Each file under ``inputs`` (folders walked in sorted order, hidden files skipped),
    with the name to record for it: relative to the folder's parent, or the file's name."""
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            for root, dirs, files in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    full = Path(root) / name
                    yield full, full.relative_to(item.parent).as_posix()
        elif item.is_file():
            yield item, item.name
        else:
            raise InputError(str(item), None, "no such file or folder")


def load(
    path: str | os.PathLike, *, as_of: str | None = None, display: str | None = None
) -> Iterator[Paper | Quarantined]:
    """Stream the records of one file, its format detected from its content.

    A file of no known format yields one :class:`~kg.model.Quarantined` record that says so.
    """
    path = Path(path)
    display = display or path.name
    fmt = detect(path)
    if fmt is None:
        head = _head(path)
        yield Quarantined(
            Source(display, 1),
            "not a record of any known format; expected one of: " + ", ".join(n for n, _ in REGISTRY),
            head[:200],
        )
        return
    loader = dict(REGISTRY)[fmt]
    for rec in loader.load(path, LoadOptions(as_of=as_of, display=display)):
        if isinstance(rec, Quarantined) and rec.format is None:
            rec = replace(rec, format=fmt)
        yield rec


def load_paths(
    inputs: Iterable[str | os.PathLike], *, as_of: str | None = None
) -> Iterator[Paper | Quarantined]:
    """Stream the records of every file under ``inputs``."""
    for path, display in iter_files(inputs):
        yield from load(path, as_of=as_of, display=display)
