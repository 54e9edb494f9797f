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

Fault isolation, at three levels: a bad value quarantines its record (the loaders say which
field and what was expected), a bad record never stops its file, and a bad file never stops
the others: :func:`load` turns whatever stops a file (a truncated ``.gz``, a FIFO, a socket, a
symlink loop, an unreadable file, a reader's own failure) into one :class:`~kg.model.Quarantined`
record with ``file_failed=True`` that names the file and why, after the records it already
gave. Every record is cleaned on the way out (:func:`hygiene`: lone surrogates replaced,
control characters and ANSI escapes removed, only ``http(s)`` URLs kept) and checked against
:class:`LoadOptions`'s size limits. Files are decoded as UTF-8, or UTF-16/UTF-32 when they
start with that byte-order mark; bytes that are not UTF-8 are read as Windows-1252 (Latin-1).

>>> [name for name, _ in REGISTRY][:3]
['daily_papers', 'search_results', 'aggregator_feed']
"""

from __future__ import annotations

import codecs
import gzip
import importlib
import io
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from kg.errors import InputError
from kg.model import Paper, Quarantined, Source

__all__ = [
    "DEFAULT_MAX_FIELD",
    "DEFAULT_MAX_RECORD",
    "REGISTRY",
    "FileInfo",
    "LoadOptions",
    "detect",
    "check_as_of",
    "clean_text",
    "hygiene",
    "iter_files",
    "load",
    "load_paths",
    "open_text",
    "safe_url",
]

SNIFF_BYTES = 64 * 1024
#: characters in one text field (a title, an abstract, a name) before its record is quarantined
DEFAULT_MAX_FIELD = 200_000
#: characters in one record (a JSON line or object, a BibTeX entry, a RIS record, a macro)
DEFAULT_MAX_RECORD = 16 * 1024 * 1024


@dataclass(frozen=True)
class LoadOptions:
    """Options every loader receives.

    ``as_of``: the listing date (``YYYY`` or ``YYYY-MM-DD``) for dates printed without a year;
    ``display``: the file name recorded in each record's :class:`~kg.model.Source`;
    ``max_field``: characters in one text field, ``max_record``: characters in one record
    (larger ones are quarantined with the limit in the reason; ``kg build --max-field`` and
    ``--max-record`` set them).
    """

    as_of: str | None = None
    display: str = ""
    max_field: int = DEFAULT_MAX_FIELD
    max_record: int = DEFAULT_MAX_RECORD


@dataclass(frozen=True)
class FileInfo:
    """What reading one file gave: its format, its records, and why it failed (or ``None``).

    :func:`load_paths` passes one to its ``on_file`` callback after each file, so a file that
    gives no record at all (an empty feed, an empty ``.bib``) is still accounted for.
    """

    display: str
    format: str | None
    records: int
    quarantined: int
    error: str | None = None


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


_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
#: the bytes Windows-1252 leaves undefined: not text in any legacy Western encoding
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")
LEGACY_ERRORS = "kg-legacy-8bit"


def _legacy_8bit(exc: UnicodeError) -> tuple[str, int]:
    r"""A decoding error handler: bytes that are not UTF-8 are read as Windows-1252.

    Files from older tools (BibTeX from JabRef or a 1990s archive, RIS from EndNote on
    Windows) are often Latin-1 or Windows-1252, which is Latin-1 with letters and quotes
    where Latin-1 has control codes. Such bytes are never valid UTF-8 (a byte of 0x80 and up
    alone), so a file that is UTF-8 decodes as before, and in one that is not, each byte that
    is not UTF-8 becomes its Windows-1252 character ("M\xfcller" reads "Müller") instead of
    U+FFFD: no letter is lost. The five bytes Windows-1252 leaves undefined, and errors of the
    other encodings (an odd byte at the end of UTF-16), become U+FFFD.

    >>> b"M\xfcller, J\x93rgen \x96 caf\xc3\xa9".decode("utf-8", LEGACY_ERRORS)
    'Müller, J“rgen – café'
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    if exc.encoding.replace("_", "-").lower() not in ("utf-8", "utf-8-sig", "utf8"):
        return "\ufffd", exc.end
    bad = exc.object[exc.start:exc.end]
    return "".join("\ufffd" if b in _CP1252_HOLES else bytes([b]).decode("cp1252") for b in bad), exc.end


codecs.register_error(LEGACY_ERRORS, _legacy_8bit)


def open_text(path: str | os.PathLike) -> TextIO:
    """Open ``path`` as text: UTF-8, or UTF-16/UTF-32 when it starts with that byte-order mark
    (the mark removed). Bytes that are not UTF-8 are read as Windows-1252, the Latin-1 of older
    tools (:func:`_legacy_8bit`), so a Latin-1 ``.bib`` keeps its accents; what decodes in no
    way becomes U+FFFD. ``.gz`` files are decompressed on the fly. The caller closes it (use
    ``with``).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "u16.ris"
    >>> _ = p.write_bytes("\ufeffTY  - JOUR".encode("utf-16-le"))
    >>> with open_text(p) as fh:
    ...     fh.read()
    'TY  - JOUR'
    """
    path = Path(path)
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")  # noqa: SIM115
    try:
        start = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    except BaseException:
        raw.close()
        raise
    # these codecs remove the mark, also after a seek(0)
    encoding = next((enc for bom, enc in _BOMS if start.startswith(bom)), "utf-8-sig")
    return io.TextIOWrapper(raw, encoding=encoding, errors=LEGACY_ERRORS, newline=None)


def _head(path: Path) -> str:
    with open_text(path) as fh:
        return fh.read(SNIFF_BYTES)


def describe_error(exc: BaseException) -> str:
    """What a file-level failure means for a user, in a few words.

    >>> describe_error(EOFError("Compressed file ended before the end-of-stream marker was reached"))
    'the compressed (.gz) data ends early: the file is truncated'
    """
    if isinstance(exc, EOFError):
        return "the compressed (.gz) data ends early: the file is truncated"
    if isinstance(exc, gzip.BadGzipFile | zlib.error):
        return f"not valid gzip data ({exc}); expected a .gz file made by gzip"
    if isinstance(exc, MemoryError):
        return "ran out of memory reading it"
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    if isinstance(exc, InputError):
        return exc.message
    if isinstance(exc, OSError):
        return f"cannot be read ({exc.strerror or exc})"
    return f"the reader failed ({type(exc).__name__}: {str(exc)[:200]})"


def detect(path: str | os.PathLike) -> str | None:
    """The format name of the file at ``path``, from its content (and name), or ``None``.

    Raises :class:`~kg.errors.InputError` when the file cannot be read at all.
    """
    path = Path(path)
    _check_regular(path, str(path))
    try:
        head = _head(path)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(str(path), None, describe_error(exc)) from exc
    return _detect_head(head, path)


def _detect_head(head: str, path: Path) -> str | None:
    head = clean_text(head)  # control characters and escapes never decide a format
    for name, loader in REGISTRY:
        try:
            if loader.sniff(head, path):
                return name
        except (RecursionError, ValueError, TypeError):  # a sniffer choking on odd text: not its format
            continue
    return None


def _display_name(name: str) -> str:
    """A file name as text that can be written anywhere: undecodable bytes become U+FFFD,
    control characters and bidirectional overrides are removed (as in every record)."""
    return clean_text(os.fsencode(name).decode("utf-8", "replace"))


def iter_files(inputs: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, str]]:
    """Each file under ``inputs`` (folders walked in sorted order, hidden files skipped),
    with the name to record for it: relative to the folder's parent, or the file's name.

    Folders are walked without following symbolic links to folders; special files (FIFOs,
    sockets, devices) are listed too, and :func:`load` says why they are not read.
    """
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            for root, dirs, files in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                # links to folders are not walked (a loop would never end): listed, so :func:`load`
                # says so rather than leave them out unseen
                links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
                dirs[:] = [d for d in dirs if d not in links]
                for name in sorted(files + links):
                    if name.startswith("."):
                        continue
                    full = Path(root) / name
                    yield full, _display_name(full.relative_to(item.parent).as_posix())
        elif item.exists() or item.is_symlink():
            yield item, _display_name(item.name)
        else:
            raise InputError(str(item), None, "no such file or folder")


_KINDS = [(stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a folder")]


def _check_regular(path: Path, display: str) -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file (following links), so that
    nothing blocks on a FIFO or reads a device forever."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            raise InputError(display, None, f"a symbolic link that leads nowhere or loops ({exc.strerror}); "
                                            "expected a file") from exc
        raise InputError(display, None, describe_error(exc)) from exc
    if not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode) and path.is_symlink():
            raise InputError(display, None, "a link to a folder, not followed (a loop of links would never "
                                            "end); name the folder itself to read it")
        kind = next((k for test, k in _KINDS if test(mode)), "not a regular file")
        raise InputError(display, None, f"{kind}, not read; expected a regular file")


def load(
    path: str | os.PathLike, *, as_of: str | None = None, display: str | None = None,
    max_field: int = DEFAULT_MAX_FIELD, max_record: int = DEFAULT_MAX_RECORD,
    on_file: Callable[[FileInfo], None] | None = None,
) -> Iterator[Paper | Quarantined]:
    """Stream the records of one file, its format detected from its content. Never raises for
    what the file holds.

    A file of no known format yields one :class:`~kg.model.Quarantined` record that says so;
    a file that cannot be read, or whose reader stops, ends with one ``Quarantined`` record
    (``file_failed=True``) naming the file and why, after the records it gave. ``on_file``
    receives the file's :class:`FileInfo` at the end.
    """
    check_as_of(as_of)
    path = Path(path)
    display = display or _display_name(path.name)
    options = LoadOptions(as_of=as_of, display=display, max_field=max_field, max_record=max_record)
    fmt: str | None = None
    n = quarantined = 0
    last_line = 1
    error: str | None = None
    try:
        _check_regular(path, display)
        head = _head(path)
        fmt = _detect_head(head, path)
        if fmt is None:
            n = quarantined = 1
            yield hygiene(Quarantined(
                Source(display, 1),
                "not a record of any known format; expected one of: " + ", ".join(nm for nm, _ in REGISTRY),
                head[:200]))
            return
        loader = dict(REGISTRY)[fmt]
        for rec in loader.load(path, options):
            if isinstance(rec, Paper):
                rec = _checked(rec, options)
            if isinstance(rec, Quarantined) and rec.format is None:
                rec = replace(rec, format=fmt)
            rec = hygiene(rec)
            if isinstance(rec, Paper) and not rec.stub and not _identifiable(rec):
                rec = Quarantined(rec.source, f"the title {rec.title[:80]!r} has no letters or digits (once "
                                              "control characters are removed) and the record has no "
                                              "identifier; expected a title", rec.title[:500], fmt)
            n += 1
            quarantined += isinstance(rec, Quarantined)
            last_line = rec.source.line
            yield rec
    except (Exception, RecursionError, MemoryError) as exc:  # a bad file never stops the build
        error = describe_error(exc)
        where = "" if n == 0 else f" after {n} record{'s' if n != 1 else ''} (last at line {last_line})"
        n += 1
        quarantined += 1
        yield hygiene(Quarantined(Source(display, last_line if n > 1 else 1),
                                  f"file not read{where}: {error}", "", fmt, file_failed=True))
    finally:
        if on_file is not None:
            on_file(FileInfo(display, fmt, n, quarantined, error))


def load_paths(
    inputs: Iterable[str | os.PathLike], *, as_of: str | None = None,
    max_field: int = DEFAULT_MAX_FIELD, max_record: int = DEFAULT_MAX_RECORD,
    on_file: Callable[[FileInfo], None] | None = None,
) -> Iterator[Paper | Quarantined]:
    """Stream the records of every file under ``inputs``; a file that fails ends with a
    quarantined record naming it and why, and the next file is read (see :func:`load`).

    Raises :class:`~kg.errors.InputError` only for what the caller asked: an input that does
    not exist, or an ``as_of`` that is not a date.
    """
    check_as_of(as_of)
    for path, display in iter_files(inputs):
        yield from load(path, as_of=as_of, display=display, max_field=max_field, max_record=max_record,
                        on_file=on_file)


def check_as_of(as_of: str | None) -> None:
    """Raise :class:`~kg.errors.InputError` unless ``as_of`` is ``None``, empty, ``YYYY``,
    ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if as_of and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", as_of.strip()):
        raise InputError("--as-of", None, f"{as_of!r}: expected YYYY or YYYY-MM-DD")


# --------------------------------------------------------------------------- record checks

_SURROGATE = re.compile("[\ud800-\udfff]")
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069]")
_TEXT_FIELDS = ("title", "abstract", "venue", "published")
_INT_LIMITS = {"author_count": (0, 1_000_000), "upvotes": (-1_000_000_000, 1_000_000_000),
               "year": (1, 9999)}


def clean_text(text: str) -> str:
    """``text`` safe to store and show: lone surrogates become U+FFFD; ANSI escape sequences,
    control characters (but tab and newline) and bidirectional overrides are removed.

    >>> clean_text("Bad\\x1b[31m title\\x00\\ud800")
    'Bad title\ufffd'
    """
    if text.isascii() and text.isprintable():
        return text
    text = _SURROGATE.sub("\ufffd", text)
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    return _CONTROL.sub("", text)


def safe_url(url: Any) -> str | None:
    """``url`` when it is an ``http://`` or ``https://`` URL, else ``None`` (no ``javascript:``,
    ``file:``, ``data:`` links in the graph or the views).

    >>> safe_url("https://arxiv.org/abs/1"), safe_url("javascript:alert(1)"), safe_url(" HTTP://x.org ")
    ('https://arxiv.org/abs/1', None, 'HTTP://x.org')
    """
    if not isinstance(url, str):
        return None
    url = clean_text(url).strip()
    if re.match(r"https?://[^\s/]", url, re.I) and not any(c.isspace() for c in url):
        return url
    return None


def _clean_value(value: Any, depth: int = 0) -> Any:
    """``value`` with its text cleaned (:func:`clean_text`), inside lists, tuples, dicts and
    records too; the same object when nothing in it changed (no copy to compare and drop)."""
    if isinstance(value, str):
        return clean_text(value)
    if value is None or depth > 8:
        return value
    if isinstance(value, tuple | list):
        new = [_clean_value(v, depth + 1) for v in value]
        if type(value) in (tuple, list) and all(a is b for a, b in zip(new, value, strict=True)):
            return value
        return tuple(new) if isinstance(value, tuple) else new
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_value(v, depth + 1) for k, v in value.items()}
    if hasattr(type(value), "__dataclass_fields__") and not isinstance(value, type):
        return _clean_record(value, depth + 1)
    return value


#: the field names of each record class :func:`_clean_record` met (``dataclasses.fields`` is
#: slow enough to show in a build's profile: it is called for every paper and author)
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_PLAIN = frozenset({int, float, bool})


def _clean_record(rec: Any, depth: int = 0) -> Any:
    names = _FIELD_NAMES.get(type(rec))
    if names is None:
        names = _FIELD_NAMES[type(rec)] = tuple(f.name for f in fields(rec))
    changes = {}
    for name in names:
        v = getattr(rec, name)
        if name == "url":
            nv = safe_url(v)
        elif v is None or type(v) in _PLAIN:  # most fields of most records: nothing to clean
            continue
        else:
            nv = _clean_value(v, depth)
        if nv is not v and nv != v:
            changes[name] = nv
    return replace(rec, **changes) if changes else rec


def hygiene(rec: Paper | Quarantined) -> Paper | Quarantined:
    """The record with every text cleaned (:func:`clean_text`) and every ``url`` kept only when
    it is http(s) (:func:`safe_url`), in the paper and its authors, citations and mentions.

    >>> p = hygiene(Paper(title="A\\x00 title", source=Source("f", 1), format="x", url="javascript:x"))
    >>> p.title, p.url
    ('A title', None)
    """
    return _clean_record(rec)


def _identifiable(rec: Paper) -> bool:
    """Whether the record has what a paper node needs: an identifier or a title with words."""
    from kg.ids import paper_id

    try:
        paper_id(arxiv_id=rec.arxiv_id, doi=rec.doi, openalex=rec.openalex, s2=rec.s2, title=rec.title)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def _checked(rec: Paper, options: LoadOptions) -> Paper | Quarantined:
    """The record, or a Quarantined one when a field is larger than the limits or a number is
    out of range."""
    def bad(name: str, what: str) -> Quarantined:
        return Quarantined(rec.source, f"field {name!r} {what}", f"{rec.title[:200]}")

    for name in _TEXT_FIELDS:
        v = getattr(rec, name)
        if isinstance(v, str) and len(v) > options.max_field:
            return bad(name, f"has {len(v):,} characters; expected at most {options.max_field:,} "
                             "(kg build --max-field)")
    for a in rec.authors:
        if len(a.name) > options.max_field:
            return bad("authors", f"holds a name of {len(a.name):,} characters; expected at most "
                                  f"{options.max_field:,} (kg build --max-field)")
    for name, (lo, hi) in _INT_LIMITS.items():
        v = getattr(rec, name)
        if v is not None and not (isinstance(v, int) and lo <= v <= hi):
            shown = (repr(v)[:40] if not isinstance(v, int) or abs(v) < 10**30
                     else f"a number of about {int(v.bit_length() * 0.30103) + 1:,} digits")
            return bad(name, f"is {shown}; expected a whole number from {lo:,} to {hi:,}")
    return rec
