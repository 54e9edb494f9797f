"""Helpers shared by the structured-source loaders: streaming JSON, dates, names, citations.

* :func:`iter_jsonl` - JSON lines, one ``(line number, object or error)`` at a time.
* :class:`JsonStream` - a JSON document read incrementally: the elements of an array (at the
  top level or under a path of keys) are decoded one at a time, each with the line where it
  starts, so a large array never sits in memory as a whole.
* :func:`json_objects`, :func:`jsonl_objects` - the records of a file with their
  :class:`~kg.model.Source`, a record that is not a JSON object already quarantined.
* :func:`clean`, :func:`parse_date`, :func:`surname`, :func:`citation_text` - small normal forms.

>>> clean("  Attention\\n  is   all ")
'Attention is all'
>>> parse_date("2024-01-03T10:00:00Z"), parse_date("1948/07//"), parse_date([[2012, 3]])
(('2024-01-03', 2024), ('1948-07', 1948), ('2012-03', 2012))
>>> parse_date("1984/1986"), parse_date("n.d.")
(('1984', 1984), None)
>>> surname("Vaswani, Ashish"), surname("Ashish Vaswani"), surname("H. de Vries")
('Vaswani', 'Vaswani', 'de Vries')
>>> citation_text(("Fu",), 2018, "A title")
'Fu (2018) A title'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from kg.loaders import LoadOptions, open_text

from kg.model import Quarantined, Source

__all__ = [
    "JsonError",
    "JsonStream",
    "citation_text",
    "clean",
    "first_char",
    "has_ext",
    "is_jsonl",
    "iter_jsonl",
    "json_items",
    "json_objects",
    "jsonl_objects",
    "parse_date",
    "surname",
]

_WS = re.compile(r"\s+")
_DATE = re.compile(r"^\s*(\d{4})(?:[-/](\d{1,2})(?!\d)(?:[-/](\d{1,2})(?!\d))?)?")
_PARTICLES = {"de", "van", "von", "der", "den", "da", "del", "della", "di", "du", "la", "le", "ter", "ten"}
_CHUNK = 1 << 20


def clean(text: Any) -> str:
    """Whitespace collapsed to single spaces; ``None`` becomes ``""``."""
    if text is None:
        return ""
    return _WS.sub(" ", str(text)).strip()


def has_ext(path: Path, *exts: str) -> bool:
    """Whether ``path`` ends in one of ``exts`` (``.gz`` ignored).

    >>> has_ext(Path("a.bib.gz"), ".bib")
    True
    """
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return any(name.endswith(e) for e in exts)


def first_char(head: str) -> str:
    """The first character of ``head`` that is not white space ("" if none)."""
    stripped = head.lstrip()
    return stripped[:1]


def parse_date(value: Any) -> tuple[str | None, int | None] | None:
    """``(published, year)`` from an ISO date, ``YYYY/MM//`` (RIS), a year, or Crossref
    ``date-parts``; ``None`` when the value has no 4-digit year at its start.
    ``(None, None)`` for an empty value."""
    if value is None or value == "" or value == []:
        return None, None
    if isinstance(value, int):
        return (str(value), value) if 1000 <= value <= 2999 else None
    if isinstance(value, list):  # Crossref [[y, m, d]]
        parts = value[0] if value and isinstance(value[0], list) else value
        parts = [p for p in parts if p is not None]
        if not parts or not isinstance(parts[0], int):
            return None
        fmt = ["%04d", "%04d-%02d", "%04d-%02d-%02d"][min(len(parts), 3) - 1]
        return fmt % tuple(parts[:3]), parts[0]
    m = _DATE.match(str(value))
    if not m:
        return None
    y, mo, d = m.groups()
    if mo and not 1 <= int(mo) <= 12:  # "1984/1986": a range of years, not a month
        mo = d = None
    if d and not 1 <= int(d) <= 31:
        d = None
    pub = y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if mo and d else "")
    return pub, int(y)


def surname(name: str) -> str:
    """The family name of a person's name as written ("Last, First" or "First [particles] Last")."""
    name = clean(name)
    if "," in name:
        return name.split(",", 1)[0].strip()
    words = name.split(" ")
    if len(words) == 1:
        return words[0]
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in _PARTICLES:
        i -= 1
    return " ".join(words[i:])


def citation_text(surnames: tuple[str, ...], year: int | None, title: str | None = None,
                  fallback: str = "") -> str:
    """A short human form of a reference: ``Surname et al. (year) title``."""
    who = surnames[0] if surnames else ""
    parts = [p for p in (who, f"({year})" if year else "", clean(title)[:120]) if p]
    return " ".join(parts) or fallback


def iter_jsonl(fh: TextIO) -> Iterator[tuple[int, str, Any]]:
    """``(line number, raw line, object)`` for each non-blank line; object is a
    :class:`JsonError` when the line is not JSON."""
    for n, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            yield n, line, json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, line, JsonError(n, f"invalid JSON ({exc.msg} at column {exc.colno})")


class JsonError:
    """A place in a JSON file that could not be decoded."""

    __slots__ = ("line", "message", "text")

    def __init__(self, line: int, message: str, text: str = "") -> None:
        self.line, self.message, self.text = line, message, text

    def __repr__(self) -> str:
        return f"JsonError({self.line}, {self.message!r})"


_decoder = json.JSONDecoder()


class JsonStream:
    """A JSON document read in chunks, decoded one value at a time with line numbers.

    >>> import io
    >>> s = JsonStream(io.StringIO('{"a": 1,\\n "items": [\\n {"x": 1},\\n {"x": 2}]}'))
    >>> [(n, v) for n, v in s.items(("items",))]
    [(3, {'x': 1}), (4, {'x': 2})]
    """

    def __init__(self, fh: TextIO) -> None:
        self.fh = fh
        self.buf = ""
        self.pos = 0
        self.line = 1  # line number at self.pos
        self.eof = False

    # ------------------------------------------------------------------ low level
    def _fill(self, size: int = _CHUNK) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(size)
        if not chunk:
            self.eof = True
            return False
        if self.pos > len(self.buf) // 2:  # drop what is consumed
            self.buf = self.buf[self.pos:]
            self.pos = 0
        self.buf += chunk
        return True

    def _advance(self, new: int) -> None:
        self.line += self.buf.count("\n", self.pos, new)
        self.pos = new

    def skip_ws(self) -> str:
        """Skip white space; the next character ("" at the end)."""
        while True:
            buf, p = self.buf, self.pos
            n = len(buf)
            while p < n and buf[p] in " \t\r\n":
                p += 1
            self._advance(p)
            if p < n:
                return buf[p]
            if not self._fill():
                return ""

    def expect(self, chars: str) -> str:
        c = self.skip_ws()
        if not c or c not in chars:
            raise _Bad(self.line, f"expected one of {chars!r}, found {c or 'the end of the file'!r}")
        self._advance(self.pos + 1)
        return c

    def value(self) -> Any:
        """Decode the next JSON value (it is read in whole)."""
        self.skip_ws()
        size = _CHUNK
        while True:
            try:
                obj, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # perhaps the value continues past the buffer: read more, unless at the end
                if self._fill(size):
                    size *= 2
                    continue
                line = self.line + self.buf.count("\n", self.pos, exc.pos)
                raise _Bad(line, f"invalid JSON ({exc.msg})", self.buf[exc.pos:exc.pos + 200]) from None
            # a number or literal at the end of the buffer may continue in the next chunk
            if (end == len(self.buf) and not self.eof and not isinstance(obj, dict | list | str)
                    and self._fill(size)):
                continue
            self._advance(end)
            return obj

    # ------------------------------------------------------------------ navigation
    def items(self, path: tuple[str, ...] = ()) -> Iterator[tuple[int, Any]]:
        """``(line, element)`` of the array found by following the object keys ``path``
        from the top; elements are decoded one by one. When an object on the way lacks the
        key, that object itself is the one element."""
        yield from self._walk(path)

    def _walk(self, path: tuple[str, ...]) -> Iterator[tuple[int, Any]]:
        if not path:
            self.expect("[")
            if self.skip_ws() == "]":
                self._advance(self.pos + 1)
                return
            while True:
                self.skip_ws()
                line = self.line
                yield line, self.value()
                if self.expect(",]") == "]":
                    return
        self.skip_ws()
        start = self.line
        self.expect("{")
        rest: dict[str, Any] = {}  # the other keys: the object itself when ``path`` is absent
        found = False
        if self.skip_ws() == "}":
            self._advance(self.pos + 1)
        else:
            while True:
                key = self.value()
                self.expect(":")
                want = "[" if len(path) == 1 else "{"
                if key == path[0] and not found and self.skip_ws() == want:
                    found = True
                    yield from self._walk(path[1:])
                else:
                    rest[key] = self.value()
                if self.expect(",}") == "}":
                    break
        if not found:
            yield start, rest


class _Bad(Exception):
    def __init__(self, line: int, message: str, text: str = "") -> None:
        super().__init__(message)
        self.line, self.message, self.text = line, message, text


def json_items(path: Path, shape: Any = None) -> Iterator[tuple[int, Any]]:
    """``(line, object)`` for each record of a JSON or JSON-lines file, streamed.

    A JSON-lines file gives one record per line; a JSON array gives its elements; a JSON
    object gives the elements of the array under ``shape`` (a tuple of keys, or a list of
    such tuples: the first whose keys appear in the file's head) when present, else the
    object itself. A place that cannot be decoded is yielded as
    a :class:`JsonError` (and ends a JSON document: nothing after it can be trusted).
    """
    with open_text(path) as fh:
        head = fh.read(1 << 16)
        fh.seek(0)
        if is_jsonl(head):
            for n, line, obj in iter_jsonl(fh):
                yield n, obj if not isinstance(obj, JsonError) else JsonError(n, obj.message, line[:500])
            return
        stream = JsonStream(fh)
        try:
            c = stream.skip_ws()
            if c == "":
                return
            if c == "[":
                yield from stream.items(())
            elif c == "{":
                paths = shape if isinstance(shape, list) else [shape] if shape else []
                found = _top_object_path(head, paths)
                if found is not None:
                    yield from stream.items(found)
                else:
                    line = stream.line
                    yield line, stream.value()
                    if stream.skip_ws():
                        raise _Bad(stream.line, "expected the end of the JSON document, found more text")
            else:
                raise _Bad(stream.line, f"expected a JSON object or array, found {c!r}")
        except _Bad as exc:
            yield exc.line, JsonError(exc.line, exc.message, exc.text)


def json_objects(path: Path, options: LoadOptions, expected: str,
                 shape: Any = None) -> Iterator[tuple[Source, dict | Quarantined]]:
    """``(source, object)`` for each record of :func:`json_items`; a record that cannot be
    decoded or is not a JSON object comes as a :class:`Quarantined` saying it ``expected``.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "w.json"
    >>> _ = path.write_text('[{"id": 1},\\n 2]')
    >>> for src, obj in json_objects(path, LoadOptions(), "a work (a JSON object)"):
    ...     print(src.line, obj if isinstance(obj, dict) else obj.reason)
    1 {'id': 1}
    2 expected a work (a JSON object)
    """
    display = options.display or path.name
    for line, obj in json_items(path, shape):
        src = Source(display, line)
        if isinstance(obj, JsonError):
            yield src, Quarantined(src, f"{obj.message}; expected {expected}", obj.text)
        elif not isinstance(obj, dict):
            yield src, Quarantined(src, f"expected {expected}", repr(obj)[:500])
        else:
            yield src, obj


def jsonl_objects(path: Path, options: LoadOptions,
                  what: str) -> Iterator[tuple[Source, str, dict | Quarantined]]:
    """``(source, raw line, object)`` for each non-blank line of a JSON-lines file; a line that
    is not a JSON object comes as a :class:`Quarantined` expecting one ``what`` per line.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "r.jsonl"
    >>> _ = path.write_text('{"id": 1}\\n[]\\n')
    >>> for src, _line, obj in jsonl_objects(path, LoadOptions(), "record"):
    ...     print(src.line, obj if isinstance(obj, dict) else obj.reason)
    1 {'id': 1}
    2 not a JSON object; expected one record (a JSON object) per line
    """
    display = options.display or path.name
    with open_text(path) as fh:
        for n, line, obj in iter_jsonl(fh):
            src = Source(display, n)
            if isinstance(obj, dict):
                yield src, line, obj
            else:
                reason = obj.message if isinstance(obj, JsonError) else "not a JSON object"
                yield src, line, Quarantined(src, f"{reason}; expected one {what} (a JSON object) per line",
                                             line[:500])


def is_jsonl(head: str) -> bool:
    """Whether text starts like JSON lines: several lines that are each a whole object.

    >>> is_jsonl('{"a": 1}\\n{"a": 2}\\n'), is_jsonl('{\\n "a": 1\\n}')
    (True, False)
    """
    lines = [ln for ln in head.splitlines() if ln.strip()][:4]
    if len(lines) < 2 or not all(ln.lstrip().startswith("{") for ln in lines[:2]):
        return False
    return any(_whole_json(ln) for ln in lines[:3])


def _whole_json(line: str) -> bool:
    s = line.strip()
    if not (s.startswith("{") and s.endswith("}")):
        return False
    try:
        json.loads(s)
    except json.JSONDecodeError:
        return False
    return True


def _top_object_path(head: str, paths: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The first of ``paths`` whose keys all appear (as JSON keys) in ``head``."""
    for p in paths:
        if all(re.search(rf'"{re.escape(k)}"\s*:', head) for k in p):
            return p
    return None
