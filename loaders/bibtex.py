r"""BibTeX and BibLaTeX databases (``.bib``).

The file is read entry by entry (an entry is never longer than its braces); each record's
``Source`` line is the line of its ``@type{key,``. Values are decoded from LaTeX to Unicode
(``{\"o}`` → ö, ``\'e`` → é, ``{\ss}`` → ß, ``~`` → space), ``@string`` macros (and the month
names ``jan``…``dec``) are expanded, ``#`` concatenates, and ``crossref = {parent}`` fills the
fields an entry lacks from its parent (the parent's ``title`` becomes the child's
``booktitle``), even when the parent comes later in the file: only entries that some entry
names in ``crossref`` are kept in memory, and a child waits until its parent is read.

Names ``Last, First``, ``Last, Jr., First`` and ``First von Last`` become ``First von Last
Jr.``; ``{Braced Corporate Names}`` stay whole. Fields: ``title`` (+ ``subtitle``),
``author`` (``editor`` when there is no author), ``year`` or ``date``, ``doi``, ``eprint``
with ``eprinttype``/``archiveprefix`` arXiv, ``url``, ``journal``/``journaltitle``/``booktitle``
→ venue, ``abstract``, ``keywords``.

``@comment`` and ``@preamble`` are not records. A ``@set`` (a group of other entries) is not a
publication: it is quarantined with its member keys. An entry without a title, or with a year
that is not a year, is quarantined.

>>> latex_to_text(r"Aks{\i}n, {\"O}zge and J.~Amer. {\ss}")
'Aksın, Özge and J. Amer. ß'
>>> person_name(r"B{\"u}y{\"u}kg{\"u}ng{\"o}r, Orhan"), person_name("Ludwig van Beethoven")
('Orhan Büyükgüngör', 'Ludwig van Beethoven')
>>> person_name("Doe, Jr., John")
'John Doe Jr.'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

from kg.loaders import DEFAULT_MAX_FIELD, LoadOptions, open_text
from kg.loaders._common import bounded_lines, clean, has_ext, parse_date, too_large
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from kg.ids import normalize_arxiv_id, normalize_doi
from kg.model import Author, Paper, Quarantined, Source

__all__ = ["FORMAT", "latex_to_text", "load", "person_name", "sniff", "split_names"]

FORMAT = "bibtex"
_ENTRY_START = re.compile(r"^\s*@\s*([A-Za-z]+)\s*([{(])", re.M)
_MONTHS = {m: str(i) for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_CROSSREF = re.compile(r"\bcrossref\s*=\s*[{\"]?\s*([^,}\"\s]+)", re.I)
_NOT_RECORDS = {"comment", "preamble"}
_LOGOS = {"TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
          "LuaTeX": "LuaTeX", "ConTeXt": "ConTeXt", "METAFONT": "METAFONT", "MF": "METAFONT",
          "MP": "MetaPost", "AmS": "AmS", "hyphen": "-", "hyph": "-"}


def _context():
    db = get_default_latex_context_db()
    db.add_context_category("kg-logos", prepend=True,
                            macros=[MacroTextSpec(name, text) for name, text in _LOGOS.items()])
    return db


_l2t = LatexNodes2Text(latex_context=_context(), math_mode="verbatim", strict_latex_spaces=True)


def sniff(head: str, path: Path) -> bool:
    """``@type{key,`` entries (or ``@string``) at the start of lines, or a ``.bib`` name."""
    m = _ENTRY_START.search(head)
    if m and m.group(1).lower() in {"string", "preamble", "comment"} | _KNOWN_TYPES:
        return True
    return has_ext(path, ".bib", ".bibtex") and (not head.strip() or bool(m))


_KNOWN_TYPES = {
    "article", "book", "booklet", "collection", "conference", "inbook", "incollection",
    "inproceedings", "manual", "mastersthesis", "misc", "mvbook", "mvcollection", "mvproceedings",
    "online", "patent", "periodical", "phdthesis", "proceedings", "report", "set", "techreport",
    "thesis", "unpublished", "electronic", "software", "dataset", "reference", "suppbook",
    "suppcollection", "suppperiodical", "www",
}


@functools.lru_cache(maxsize=1 << 14)
def latex_to_text(value: str) -> str:
    """LaTeX markup decoded to Unicode text, white space collapsed.

    >>> latex_to_text(r'Schr{\\"o}dinger~equation')
    'Schrödinger equation'
    """
    if "\\" not in value and "{" not in value and "~" not in value and "$" not in value:
        return clean(value)
    try:
        return clean(_l2t.latex_to_text(value))
    except Exception:  # pylatexenc is lenient; never lose a value to it
        return clean(value.replace("{", "").replace("}", "").replace("~", " "))


# --------------------------------------------------------------------------- reading entries


def _blocks(fh, limit: int) -> Iterator[tuple[int, str, str, str]]:
    """``(first line, type, text, problem)`` of each ``@type{...}`` block, by brace balance.

    A block ends when its braces balance; an entry start (``@type{`` at the start of a line)
    inside an unbalanced block also ends it, so one unbalanced brace costs one entry, not the
    rest of the file (``problem`` says so). A block larger than ``limit`` characters is not
    kept past the limit (``problem`` says so too).
    """
    buf: list[str] = []
    start = size = 0
    depth = 0
    opener = closer = ""
    etype = ""
    problem = ""
    for n, line, length in bounded_lines(fh, limit):
        m = _ENTRY_START.match(line) if length <= limit else None
        if buf or problem:
            if m:  # a new entry while this one is still open
                yield start, etype, "".join(buf), problem or (
                    f"unbalanced braces: the entry is still open when line {n} starts the next one; "
                    "expected every '{' closed")
                buf, problem = [], ""
            else:
                size += length
                if size > limit:
                    if not problem:
                        problem = too_large(size, limit, "an entry of more than")
                        buf = []
                    continue
                buf.append(line)
                depth += _balance(line, opener, closer)
                if depth <= 0:
                    yield start, etype, "".join(buf), ""
                    buf = []
                continue
        if not m:
            if length > limit:  # perhaps an entry on one huge line: say so, never drop it unseen
                yield n, "", "", too_large(length, limit, "a line")
            continue
        start, etype = n, m.group(1).lower()
        opener, closer = m.group(2), "}" if m.group(2) == "{" else ")"
        line = line[m.start(2):]
        size = len(line)
        buf = [line]
        depth = _balance(line, opener, closer)
        if depth <= 0:
            yield start, etype, line, ""
            buf = []
    if buf or problem:
        yield start, etype, "".join(buf), problem  # unbalanced: the parser says what is wrong


def _balance(line: str, opener: str, closer: str) -> int:
    d = 0
    prev = ""
    for c in line:
        if prev != "\\":
            if c == opener or (opener == "(" and c == "{"):
                d += 1
            elif c == closer or (closer == ")" and c == "}"):
                d -= 1
        prev = c
    return d


class _BadEntry(Exception):
    pass


def _parse_block(text: str, macros: dict[str, str], limit: int = DEFAULT_MAX_FIELD
                 ) -> tuple[str, dict[str, str]]:
    """``(key, fields)`` of one block's text (``{key, name = value, ...}``); a value (macros
    expanded and ``#`` joined) longer than ``limit`` characters is an error, so a chain of
    ``@string`` macros that doubles at each step cannot fill the memory."""
    s = text
    i = 1  # after the opener
    n = len(s)

    def ws(i: int) -> int:
        while i < n and s[i].isspace():
            i += 1
        return i

    def value(i: int) -> tuple[str, int]:
        parts = []
        total = 0
        while True:
            if total > limit:
                raise _BadEntry(f"a value (its @string macros expanded) of more than {limit:,} characters; "
                                "expected at most that (kg build --max-field)")
            i = ws(i)
            if i >= n:
                raise _BadEntry("the entry ends inside a value; expected a closing brace")
            c = s[i]
            if c == "{":
                depth, j = 1, i + 1
                while j < n and depth:
                    if s[j] == "\\":
                        j += 2
                        continue
                    depth += {"{": 1, "}": -1}.get(s[j], 0)
                    j += 1
                if depth:
                    raise _BadEntry("unbalanced braces in a value")
                parts.append(s[i + 1:j - 1])
                total += len(parts[-1])
                i = j
            elif c == '"':
                depth, j = 0, i + 1
                while j < n and (s[j] != '"' or depth):
                    if s[j] == "\\":
                        j += 2
                        continue
                    depth += {"{": 1, "}": -1}.get(s[j], 0)
                    j += 1
                if j >= n:
                    raise _BadEntry("unterminated quoted value")
                parts.append(s[i + 1:j])
                total += len(parts[-1])
                i = j + 1
            else:
                m = re.compile(r"[^\s,#{}()\"=]+").match(s, i)
                if not m:
                    raise _BadEntry(f"expected a value, found {s[i:i + 20]!r}")
                word = m.group(0)
                low = word.lower()
                if word.isdigit():
                    parts.append(word)
                elif low in macros:
                    parts.append(macros[low])
                elif low in _MONTHS:
                    parts.append(_MONTHS[low])
                else:
                    raise _BadEntry(f"undefined @string macro {word!r}; expected a defined macro or "
                                    "a braced/quoted value")
                total += len(parts[-1])
                i = m.end()
            i = ws(i)
            if i < n and s[i] == "#":
                i += 1
                continue
            if total > limit:
                raise _BadEntry(f"a value (its @string macros expanded) of more than {limit:,} characters; "
                                "expected at most that (kg build --max-field)")
            return "".join(parts), i

    fields: dict[str, str] = {}
    i = ws(i)
    m = re.compile(r"[^,\s=]+").match(s, i)
    key = ""
    if m and s[ws(m.end()):ws(m.end()) + 1] == ",":
        key = m.group(0)
        i = ws(m.end()) + 1
    while True:
        i = ws(i)
        if i >= n or s[i] in "})":
            break
        m = re.compile(r"[A-Za-z0-9_\-:.+]+").match(s, i)
        if not m:
            raise _BadEntry(f"expected a field name, found {s[i:i + 30]!r}")
        name = m.group(0).lower()
        i = ws(m.end())
        if i >= n or s[i] != "=":
            raise _BadEntry(f"field {name!r}: expected '=' after the field name")
        val, i = value(i + 1)
        fields[name] = val
        i = ws(i)
        if i < n and s[i] == ",":
            i += 1
    return key, fields


# --------------------------------------------------------------------------- names


def split_names(value: str) -> list[str]:
    """The names of a BibTeX name list, split on ``and`` outside braces.

    >>> split_names("Knuth, Donald E. and {Barnes and Noble}")
    ['Knuth, Donald E.', '{Barnes and Noble}']
    """
    names, depth, cur = [], 0, []
    tokens = re.split(r"(\s+and\s+|[{}])", value)
    for t in tokens:
        if t == "{":
            depth += 1
        elif t == "}":
            depth -= 1
        if depth == 0 and re.fullmatch(r"\s+and\s+", t or ""):
            names.append("".join(cur))
            cur = []
        else:
            cur.append(t)
    names.append("".join(cur))
    return [n.strip() for n in names if n.strip()]


def _split_commas(name: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for c in name:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    parts.append(cur)
    return [p.strip() for p in parts]


def person_name(raw: str) -> str:
    """One BibTeX name as ``First von Last Jr.`` in Unicode.

    >>> person_name("de la Fontaine, Jean"), person_name("{World Health Organization}")
    ('Jean de la Fontaine', 'World Health Organization')
    """
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and _balance(raw[1:-1], "{", "}") == 0 \
            and not raw[1:].startswith("\\"):
        return latex_to_text(raw[1:-1])  # {World Health Organization}: a name kept whole
    parts = _split_commas(raw)
    if len(parts) == 1:
        return latex_to_text(parts[0])
    if len(parts) == 2:
        last, first, jr = parts[0], parts[1], ""
    else:
        last, jr, first = parts[0], parts[1], ", ".join(parts[2:])
    return latex_to_text(" ".join(p for p in (first, last, jr) if p))


# --------------------------------------------------------------------------- records


def load(path: Path, options: LoadOptions) -> Iterator[Paper | Quarantined]:
    """Each entry of a BibTeX/BibLaTeX file, in file order (a crossref child after its parent)."""
    display = options.display or path.name
    targets: set[str] = set()
    limit = options.max_record
    with open_text(path) as fh:
        for _n, line, _length in bounded_lines(fh, limit):
            if "crossref" in line.lower():
                targets.update(m.group(1).lower() for m in _CROSSREF.finditer(line))
    macros: dict[str, str] = {}
    parents: dict[str, dict[str, str]] = {}
    waiting: dict[str, list[tuple[int, str, str, dict[str, str], str]]] = {}
    with open_text(path) as fh:
        for line, etype, text, problem in _blocks(fh, limit):
            src = Source(display, line)
            if etype in _NOT_RECORDS:
                continue
            if problem:
                yield Quarantined(src, f"@{etype} entry: {problem}" if etype else problem, text[:500])
                continue
            try:
                if etype == "string":
                    macros.update(_string_defs(text, macros, options.max_field))
                    continue
                key, fields = _parse_block(text, macros, options.max_field)
            except _BadEntry as exc:
                yield Quarantined(src, f"@{etype} entry: {exc}", text[:500])
                continue
            if etype == "set":
                yield Quarantined(src, f"@set {key!r} groups the entries {fields.get('entryset', '')!r}; "
                                       "it is not a publication (its members are loaded)", text[:500])
                continue
            low = key.lower()
            if low in targets:
                parents[low] = fields
            parent_key = fields.get("crossref", "").strip().lower()
            if parent_key and parent_key not in parents:
                waiting.setdefault(parent_key, []).append((line, etype, key, fields, text))
            else:
                yield _record(src, etype, key, fields, parents.get(parent_key), text)
            for w_line, w_type, w_key, w_fields, w_text in waiting.pop(low, []):
                yield _record(Source(display, w_line), w_type, w_key, w_fields, fields, w_text)
    for parent_key, children in waiting.items():
        for w_line, w_type, w_key, w_fields, w_text in children:
            yield _record(Source(display, w_line), w_type, w_key, w_fields, None, w_text,
                          note=f"crossref {parent_key!r} is not in the file; fields not inherited")


def _string_defs(text: str, macros: dict[str, str], limit: int) -> dict[str, str]:
    """The macro definitions of an ``@string{name = value}`` block."""
    inner = "{_," + text.strip()[1:]  # give it a dummy key so the field parser reads it
    _, fields = _parse_block(inner, macros, limit)
    return {k.lower(): v for k, v in fields.items()}


_INHERIT_SKIP = {"crossref", "ids", "entryset", "xref", "key"}


def _record(src: Source, etype: str, key: str, fields: dict[str, str], parent: dict[str, str] | None,
            text: str, note: str = "") -> Paper | Quarantined:
    notes = [note] if note else []
    if parent is not None:
        f = dict(fields)
        for k, v in parent.items():
            if k in _INHERIT_SKIP:
                continue
            if k in ("title", "subtitle"):
                f.setdefault("book" + k, v)
            elif k not in f:
                f[k] = v
        fields = f
        notes.append(f"fields inherited from crossref {fields.get('crossref')!r}")
    title = latex_to_text(fields.get("title", ""))
    if not title:
        return Quarantined(src, f"@{etype}{{{key}}} has no title; expected a title field", text[:500])
    if fields.get("subtitle"):
        title = f"{title}: {latex_to_text(fields['subtitle'])}"
    raw_date = latex_to_text(fields.get("date") or fields.get("year") or "")
    date = parse_date(raw_date) if raw_date else (None, None)
    if date is None:
        return Quarantined(src, f"@{etype}{{{key}}} has year/date {raw_date!r}; expected a 4-digit year "
                                "(or YYYY-MM-DD)", text[:500])
    people = fields.get("author") or fields.get("editor") or ""
    names = [person_name(n) for n in split_names(people)]
    authors = tuple(Author(name=n, position=i) for i, n in enumerate(names, start=1) if n)
    eprint_type = (fields.get("eprinttype") or fields.get("archiveprefix") or "").lower()
    arxiv_id = normalize_arxiv_id(fields.get("eprint")) if eprint_type == "arxiv" else None
    venue = next((latex_to_text(fields[k]) for k in ("journaltitle", "journal", "booktitle")
                  if fields.get(k)), None)
    kw = [clean(k) for k in re.split(r"[,;]", latex_to_text(fields.get("keywords", ""))) if clean(k)]
    url = fields.get("url") or None
    doi = normalize_doi(fields.get("doi"))
    return Paper(
        title=title, source=src, format=FORMAT, abstract=latex_to_text(fields.get("abstract", "")),
        published=date[0], year=date[1], author_count=len(authors) or None, arxiv_id=arxiv_id,
        doi=doi, url=url.strip() if url else None, venue=venue or None, authors=authors,
        keywords=tuple(kw), notes=tuple(notes), extra={"key": key, "entry_type": etype},
    )
