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
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from kg.loaders import DEFAULT_MAX_RECORD, LoadOptions, clean_text, open_text

from kg.model import Quarantined, Source

__all__ = [
    "JsonError",
    "JsonStream",
    "citation_text",
    "clean",
    "bounded_lines",
    "first_char",
    "guarded",
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


class WrongType(TypeError):
    """A value of the wrong JSON type where text was expected."""


def clean(text: Any) -> str:
    """Whitespace collapsed to single spaces; ``None`` becomes ``""``. A list or an object
    where text is expected is an error (:class:`WrongType`), not text.

    >>> clean(["a"])
    Traceback (most recent call last):
    ...
    kg.loaders._common.WrongType: expected text, found a list
    """
    if text is None:
        return ""
    if isinstance(text, list | dict | tuple | set):
        raise WrongType(f"expected text, found {_kind(text)}")
    if isinstance(text, float) and not math.isfinite(text):
        raise WrongType(f"expected text, found the number {text}")
    return _WS.sub(" ", clean_text(str(text))).strip()


def _kind(value: Any) -> str:
    return {list: "a list", dict: "an object", tuple: "a list", set: "a set", str: "a string",
            bool: "a boolean", int: "a whole number", float: "a number", type(None): "null"}.get(
        type(value), type(value).__name__)


#: what common fields hold, for the reason of a record quarantined for a value of the wrong type
EXPECTED_FIELDS = {
    "authorships": "a list of authorship objects", "authors": "a list of author objects",
    "author": "a list of author objects", "authors_parsed": "a list of [last, first, suffix] lists",
    "doi": "a DOI string", "DOI": "a DOI string", "title": "text", "display_name": "text",
    "abstract": "text", "summary": "text", "id": "an identifier string", "ids": "an object of identifiers",
    "externalids": "an object of identifiers", "externalIds": "an object of identifiers",
    "issued": "an object with date-parts [[year, month, day]]", "published": "an object with date-parts",
    "upvotes": "a whole number", "githubRepo": "a URL string", "versions": "a list of version objects",
    "referenced_works": "a list of OpenAlex ids", "reference": "a list of reference objects",
    "references": "a list of paper objects", "citations": "a list of paper objects",
    "publication_date": "a YYYY-MM-DD date", "publication_year": "a year", "year": "a year",
    "primary_location": "a location object", "url": "a URL string", "venue": "text",
    "journal": "an object with a name", "publicationVenue": "a venue object",
    "container-title": "a list of text", "subject": "a list of text", "keywords": "a list",
    "concepts": "a list of concept objects", "ai_keywords": "a list of text",
    "abstract_inverted_index": "an object of word -> positions", "s2fieldsofstudy": "a list of objects",
    "fieldsOfStudy": "a list of text", "categories": "text", "paper": "a paper object",
}


class _Tracked(dict):
    """A record that remembers the last key read from it (to name the field that failed)."""

    last: str | None = None

    def get(self, key, default=None):
        self.last = key
        return super().get(key, default)

    def __getitem__(self, key):
        self.last = key
        return super().__getitem__(key)


def guarded(make: Callable[[dict, Any], Any], obj: dict, src: Source, what: str) -> Any:
    """``make(obj, src)``, or a :class:`Quarantined` record naming the field whose value had a
    type or shape ``make`` could not use, what it was, and what was expected: a bad value
    costs its record, never its file.

    >>> q = guarded(lambda w, s: w.get("title").strip(), {"title": 5}, Source("f.json", 3), "a work")
    >>> print(q.reason)  # doctest: +NORMALIZE_WHITESPACE
    a work: field 'title' is a whole number (5); expected text
    (AttributeError: 'int' object has no attribute 'strip')
    """
    tracked = _Tracked(obj)
    try:
        return make(tracked, src)
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, OverflowError,
            RecursionError) as exc:
        key = tracked.last
        detail = f"{type(exc).__name__}: {str(exc)[:160]}"
        if key is None:
            return Quarantined(src, f"{what}: a value of an unexpected type or shape ({detail})",
                               _snippet(obj))
        value = obj.get(key)
        shown = _short(value)
        expected = EXPECTED_FIELDS.get(key, "the type the format defines")
        return Quarantined(src, f"{what}: field {key!r} is {_kind(value)} ({shown}); expected {expected} "
                                f"({detail})", _snippet(obj))


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def _snippet(obj: Any) -> str:
    try:
        return json.dumps(obj, ensure_ascii=False, default=str)[:500]
    except (ValueError, TypeError, RecursionError):
        return _short(obj)


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
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (str(value), value) if 1000 <= value <= 2999 else None
    if isinstance(value, list):  # Crossref [[y, m, d]]
        parts = value[0] if value and isinstance(value[0], list) else value
        parts = [p for p in parts if p is not None]
        if not parts or not isinstance(parts[0], int) or isinstance(parts[0], bool) \
                or not 1000 <= parts[0] <= 2999:
            return None
        # month and day only while they are numbers in range: [2020, "May"] is the year 2020
        ok = [parts[0]]
        for p, hi in zip(parts[1:3], (12, 31), strict=False):
            if not isinstance(p, int) or isinstance(p, bool) or not 1 <= p <= hi:
                break
            ok.append(p)
        fmt = ["%04d", "%04d-%02d", "%04d-%02d-%02d"][len(ok) - 1]
        return fmt % tuple(ok), ok[0]
    if not isinstance(value, str | float):
        return None
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


def bounded_lines(fh: TextIO, limit: int = DEFAULT_MAX_RECORD) -> Iterator[tuple[int, str, int]]:
    """``(line number, line, length)`` of each line of ``fh``; a line longer than ``limit``
    characters comes as ``""`` with its whole ``length`` (it is read in chunks and dropped), so
    memory stays bounded on any line.

    >>> import io
    >>> [(n, line, k) for n, line, k in bounded_lines(io.StringIO("ab\\n" + "x" * 10 + "\\nc"), 4)]
    [(1, 'ab\\n', 3), (2, '', 11), (3, 'c', 1)]
    """
    n = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit:
            total = len(line)
            while not line.endswith("\n"):
                line = fh.readline(1 << 20)
                if not line:
                    break
                total += len(line)
            yield n, "", total
            continue
        yield n, line, len(line)


def too_large(length: int, limit: int, what: str = "a record") -> str:
    """The reason for a record past the size limit."""
    return (f"{what} of {length:,} characters; expected at most {limit:,} "
            "(kg build --max-record sets the limit)")


def loads(text: str) -> Any:
    """``json.loads``, its failures as :class:`JsonError` messages (:class:`ValueError`):
    nesting too deep and integers of thousands of digits included."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply to read (thousands of levels)") from None
    except ValueError as exc:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise ValueError(f"a JSON value kg cannot read ({str(exc)[:120]})") from None


def iter_jsonl(fh: TextIO, max_record: int = DEFAULT_MAX_RECORD) -> Iterator[tuple[int, str, Any]]:
    """``(line number, raw line, object)`` for each non-blank line; object is a
    :class:`JsonError` when the line is not JSON (or is longer than ``max_record``)."""
    for n, line, length in bounded_lines(fh, max_record):
        if length > max_record:
            yield n, "", JsonError(n, too_large(length, max_record, "a line"))
            continue
        if not line.strip():
            continue
        try:
            yield n, line, loads(line)
        except ValueError as exc:
            yield n, line, JsonError(n, str(exc))


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

    def __init__(self, fh: TextIO, max_record: int = DEFAULT_MAX_RECORD) -> None:
        self.fh = fh
        self.max_record = max_record
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
                if len(self.buf) - self.pos > self.max_record:
                    raise _Bad(self.line, too_large(len(self.buf) - self.pos, self.max_record,
                                                    "a JSON value of more than")) from None
                if self._fill(size):
                    size *= 2
                    continue
                line = self.line + self.buf.count("\n", self.pos, exc.pos)
                raise _Bad(line, f"invalid JSON ({exc.msg})", self.buf[exc.pos:exc.pos + 200]) from None
            except RecursionError:
                raise _Bad(self.line, "JSON nested too deeply to read (thousands of levels)") from None
            except ValueError as exc:  # an integer of thousands of digits
                raise _Bad(self.line, f"a JSON value kg cannot read ({str(exc)[:120]})") from None
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


def json_items(path: Path, shape: Any = None,
               max_record: int = DEFAULT_MAX_RECORD) -> Iterator[tuple[int, Any]]:
    """``(line, object)`` for each record of a JSON or JSON-lines file, streamed.

    A JSON-lines file gives one record per line; a JSON array gives its elements; a JSON
    object gives the elements of the array under ``shape`` (a tuple of keys, or a list of
    such tuples: the first whose keys appear in the file's head) when present, else the
    object itself; objects that follow it (JSON lines whose first line is longer than the
    head, concatenated JSON) are records too. A place that cannot be decoded is yielded as
    a :class:`JsonError` (and ends a JSON document: nothing after it can be trusted).
    A value larger than ``max_record`` characters is such a place.
    """
    with open_text(path) as fh:
        head = fh.read(1 << 16)
        fh.seek(0)
        if is_jsonl(head):
            for n, line, obj in iter_jsonl(fh, max_record):
                yield n, obj if not isinstance(obj, JsonError) else JsonError(n, obj.message, line[:500])
            return
        stream = JsonStream(fh, max_record)
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
                    while (c := stream.skip_ws()) == "{":  # JSON lines or concatenated objects
                        line = stream.line
                        yield line, stream.value()
                    if c:
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
    for line, obj in json_items(path, shape, options.max_record):
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
        for n, line, obj in iter_jsonl(fh, options.max_record):
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
    except (ValueError, RecursionError):
        return False
    return True


def _top_object_path(head: str, paths: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The first of ``paths`` whose keys all appear (as JSON keys) in ``head``."""
    for p in paths:
        if all(re.search(rf'"{re.escape(k)}"\s*:', head) for k in p):
            return p
    return None
