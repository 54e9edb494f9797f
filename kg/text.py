"""Small text repairs shared by the loaders and extraction (no spaCy, no I/O).

:func:`latex_accents` reads only TeX's accent escapes, not all of LaTeX: the BibTeX loader's
pylatexenc (``kg.loaders.bibtex.latex_to_text``) also rewrites or drops other commands
(``\\cite{...}``, ``{\\it ...}``), which an abstract's evidence text should keep as written, and
costs about 10 ms an arXiv abstract with a backslash against 16 µs here (348 of 3,000 abstracts).

>>> latex_accents(r"Fr\\'echet Inception Distance, Nystr\\"om approximation, Mart\\'{\\i}nez")
'Fréchet Inception Distance, Nyström approximation, Martínez'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["latex_accents", "strip_font_commands"]

#: LaTeX's accent commands and the Unicode combining marks they put on a letter
_ACCENT = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
           ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "r": "\u030a",
           "k": "\u0328"}
#: LaTeX's letters that are commands, in braces (``{\o}``, ``{\ss}``) or before ``{}``
_LETTER = {"o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å",
           "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
# an accent command: a symbol (\" \' ...) or a letter command followed by a brace or a space,
# so that math commands that begin with those letters (\cdot, \vec, \hat) are left alone
_CMD = r"(?:[\"'`^~=.]|[cvuHrk](?=[{\s]))"
# the accented letter: plain, braced, or the dotless i/j of \'{\i}
_BASE = r"(?:\{(?P<b1>[A-Za-z]|\\[ij])\}|(?P<b2>[A-Za-z]|\\[ij](?![A-Za-z]) ?))"
_LATEX = re.compile(
    rf"\{{\\(?P<c1>{_CMD})\s*{_BASE.replace('b1', 'x1').replace('b2', 'x2')}\}}"  # {\"o}, {\"{o}}
    rf"|\\(?P<c2>{_CMD})\s*{_BASE}"  # \"o, \"{o}
    r"|\{\\(?P<l1>ss|ae|AE|oe|OE|aa|AA|[oOlLij])\}|\\(?P<l2>ss|ae|AE|oe|OE|aa|AA|[oOlL])\{\}"  # {\o}, \o{}
)


def _replace(m: re.Match) -> str:
    if letter := m.group("l1") or m.group("l2"):
        return _LETTER[letter]
    base = m.group("x1") or m.group("x2") or m.group("b1") or m.group("b2")
    if base.startswith("\\"):
        base = base[1]  # \'{\i}: the accent sits on a plain i (the space that ends \i goes)
    return base + _ACCENT[m.group("c1") or m.group("c2")]


def latex_accents(text: str) -> str:
    """LaTeX accent escapes as Unicode letters; everything else (math, other commands) as is.

    arXiv's metadata and BibTeX files write names and words with TeX accents (``Hyv\\"arinen``,
    ``Erd\\H{o}s``, ``Fr\\'echet``); read as written they are other words than the same names in
    Unicode elsewhere.

    >>> latex_accents('Hyv\\\\"arinen'), latex_accents("Erd\\\\H{o}s"), latex_accents("{\\\\o}re")
    ('Hyvärinen', 'Erdős', 'øre')
    >>> latex_accents(r"$\\vec{v} \\cdot \\hat{x}$ and \\u-net")
    '$\\\\vec{v} \\\\cdot \\\\hat{x}$ and \\\\u-net'
    """
    if "\\" not in text:
        return text
    return unicodedata.normalize("NFC", _LATEX.sub(_replace, text))


#: LaTeX's font and emphasis commands around a word or a few ("\\textbf{SwitchLingua}",
#: "{\\em Foo}", "$\\mathbf{MMHU}$"): what they hold is text, set in another font; nothing
#: nested inside (an inner command is stripped first), no math, no macro
_FONT = re.compile(
    r"(?P<math>\$)\\(?:math|text)(?:bf|it|rm|sf|tt)\s*\{(?=[^{}\\$]*\}\$)"
    r"|\\(?:text(?:bf|it|sc|tt|sf|rm|md|up|sl|normal)|emph|underline|mbox)\s*\{(?=[^{}\\$]*\})"
    r"|\{\\(?:bf|it|em|sc|tt|sf|rm|sl)\s+(?=[^{}\\$]*\})"
)


def strip_font_commands(text: str) -> tuple[str, list[int] | None]:
    """``text`` without LaTeX's font commands (``\\textbf{`` ... ``}``, ``{\\em`` ... ``}``,
    ``$\\mathbf{`` ... ``}$``), and where each of its characters (and its end) is in ``text``:
    ``None`` when there was nothing to strip.

    arXiv abstracts set the names they introduce in bold ("we introduce \\textbf{LinguaMaster},
    a ..."), or the letters of an acronym ("$\\textbf{S}$parse $\\textbf{A}$utoencoder");
    read as written the names would be ``\\textbf{LinguaMaster}`` and ``$\\textbf{S}$parse``.
    Extraction reads the stripped text and quotes its evidence from ``text`` as written,
    through the offsets. Commands inside commands are stripped from the inside out; macros
    (``\\textbf{\\dataname}``), math and other braces are left as they are.

    >>> strip_font_commands(r"we curate \\textbf{SwitchLingua}, and {\\em Foo Bar} too")[0]
    'we curate SwitchLingua, and Foo Bar too'
    >>> out, at = strip_font_commands(r"\\textbf{\\underline{City-VLM}} from $\\textbf{S}$parse")
    >>> out, at[0], at[len(out)]
    ('City-VLM from Sparse', 19, 52)
    >>> strip_font_commands(r"$\\mathbf{x} + y$ and \\textbf{\\dataname}")
    ('$\\\\mathbf{x} + y$ and \\\\textbf{\\\\dataname}', None)
    """
    if "\\" not in text:
        return text, None
    offsets: list[int] | None = None
    for _ in range(3):  # from the inside out: "\textbf{\underline{X}}"
        out: list[str] = []
        kept: list[int] = []
        pos = 0
        for m in _FONT.finditer(text):
            if m.start() < pos:
                continue
            close = text.index("}", m.end())
            out.append(text[pos : m.start()])
            kept.extend(range(pos, m.start()))
            out.append(text[m.end() : close])
            kept.extend(range(m.end(), close))
            pos = close + (2 if m.group("math") else 1)
        if not out:
            break
        out.append(text[pos:])
        kept.extend(range(pos, len(text) + 1))
        offsets = kept if offsets is None else [offsets[i] for i in kept]
        text = "".join(out)
    return text, offsets
