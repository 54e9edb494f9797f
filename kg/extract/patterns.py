"""Rules on plain text: code-repository URLs, author-year citations, acronym definitions.

Each finder takes a string and yields hits with character offsets, so the spaCy component
can map them to sentences. They are usable alone:

>>> [r.name for r in find_repositories("Code: https://github.com/mist-project/mist.git.")]
['mist-project/mist']
>>> [(c.surnames, c.year, c.et_al) for c in find_citations("(Ng and Russell, 2000; Fu et al., 2018)")]
[(('Ng', 'Russell'), 2000, False), (('Fu',), 2018, True)]
>>> [(a.short, a.long) for a in find_acronyms("large language models (LLMs) with chain-of-thought (CoT")]
[('LLMs', 'large language models'), ('CoT', 'chain-of-thought')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.text import latex_accents

__all__ = [
    "AcronymHit",
    "CitationHit",
    "RepoHit",
    "clean_text",
    "find_acronyms",
    "find_citations",
    "find_repositories",
    "latex_accents",
    "word_set",
]


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, for the word lists of the extractor.

    >>> sorted(word_set(" a b  a c "))
    ['a', 'b', 'c']
    """
    return frozenset(text.split())

# --------------------------------------------------------------------------- text safety

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str | None) -> str:
    """Text that spaCy accepts: lone surrogates become U+FFFD, control characters spaces.

    >>> clean_text("a\\ud800b\\x00c")
    'a\\ufffdb c'
    """
    if not text:
        return ""
    if text.isprintable():  # neither a control character nor a surrogate (a quick test)
        return text
    if not text.isascii():  # an ASCII text holds no surrogate
        text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(" ", text)


# --------------------------------------------------------------------------- repositories

_HOSTS = {"github.com": "github", "gitlab.com": "gitlab", "bitbucket.org": "bitbucket"}
_REPO_URL = re.compile(
    r"(?:https?://)?(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org)/"
    r"([A-Za-z0-9][A-Za-z0-9_.\-]*)/([A-Za-z0-9_.\-]+)((?:/[^\s<>\"')\]]*)?)",
    re.I,
)
#: letters that ``re.IGNORECASE`` equates with ASCII ones although ``str.lower`` does not
#: (U+0130 İ, U+0131 ı, U+017F ſ, U+212A Kelvin sign): texts with them skip the quick tests
_ODD_CASE = "\u0130\u0131\u017f\u212a"


def odd_case(text: str) -> bool:
    """Whether ``text`` holds a letter that ``re.IGNORECASE`` and ``str.lower`` treat differently.

    >>> odd_case("Kelvin \u212a"), odd_case("plain")
    (True, False)
    """
    return not text.isascii() and any(c in text for c in _ODD_CASE)
_NOT_OWNERS = {"orgs", "topics", "features", "about", "sponsors", "marketplace", "explore", "settings"}


@dataclass(frozen=True, slots=True)
class RepoHit:
    """A code repository URL: ``name`` is ``owner/repo`` as written, ``url`` the canonical URL."""

    name: str
    host: str
    url: str
    text: str
    start: int
    end: int


def _repo_urls(text: str) -> Iterator[re.Match[str]]:
    """``_REPO_URL.finditer(text)``, tried only just before where a host name is written."""
    low = text.lower()
    if len(low) != len(text) or odd_case(text):
        yield from _REPO_URL.finditer(text)
        return
    if "github.com" not in low and "gitlab.com" not in low and "bitbucket.org" not in low:
        return
    hosts = sorted(i for h in _HOSTS for i in _occurrences(low, h))
    end = 0
    for h in hosts:
        # a URL starts at most "https://www." (12 characters) before its host
        for pos in range(max(end, h - 12), h + 1):
            m = _REPO_URL.match(text, pos)
            if m:
                yield m
                end = m.end()
                break
        else:
            end = max(end, h + 1)


def _occurrences(text: str, word: str) -> Iterator[int]:
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)


def find_repositories(text: str) -> Iterator[RepoHit]:
    """GitHub, GitLab and Bitbucket repositories named by URLs in ``text``.

    ``.git``, ``/tree/...``, ``/blob/...`` and trailing punctuation are removed; project pages
    (``owner.github.io``) and other sites are not repositories.

    >>> [r.url for r in find_repositories("see https://github.com/facebookresearch/luckmatters/tree/master/ssl.")]
    ['https://github.com/facebookresearch/luckmatters']
    >>> list(find_repositories("https://serre-lab.github.io/Lens and http://linearfold.org/motifs"))
    []
    """
    for m in _repo_urls(text):
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in ".-"):
            continue  # part of another host name, e.g. foo.github.com.evil
        domain, owner, repo = m.group(1).lower(), m.group(2), m.group(3)
        repo = repo.rstrip(".,;:)]}'\"")
        if repo.lower().endswith(".git"):
            repo = repo[:-4]
        repo = repo.rstrip(".,;:")
        if not repo or owner.lower() in _NOT_OWNERS:
            continue
        host = _HOSTS[domain]
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:)]}'\"":
            end -= 1
        yield RepoHit(
            name=f"{owner}/{repo}",
            host=host,
            url=f"https://{domain}/{owner}/{repo}",
            text=text[m.start() : end],
            start=m.start(),
            end=end,
        )


# --------------------------------------------------------------------------- citations

# The citation patterns run over whole abstracts, so each must take linear time on any text
# (a long word without spaces, a run of capitals, 1 MB of one character): a surname starts at a
# word start or at a particle (``_START``; a match inside a word, or after its apostrophe, is
# found from the word's start anyway), its parts have bounded lengths, the quantifiers that scan
# a word or a run of spaces are possessive (``*+``, ``++``: what they took is never given back,
# as nothing after them could use it), and the list of names before "and" is bounded. Each
# attempt is then bounded work.
_L = r"(?:[^\W\d_]|\\[\"'`^~=.][A-Za-z]|\{\\[\"'`^~=.]?[A-Za-z]\}|\\[cvuH]\{[A-Za-z]\})"
_PARTICLE = r"(?:(?:van|von|der|den|de|del|della|di|da|du|dos|das|le|la|ten|ter|zu|al|el|bin|ibn|St\.)\s++)"
_START = rf"(?:(?<![^\W\d_])(?<![^\W\d_]['’])|(?={_PARTICLE}))"
#: the longest word of a surname, and the most hyphenated parts after its first word
_MAX_WORD = 60
_MAX_PARTS = 4
# one surname: particles, then a capitalised word, maybe hyphenated or with an apostrophe
_SURNAME = (
    rf"(?:{_PARTICLE}{{0,3}}(?:Mc|Mac|O['’]|D['’])?{_L}(?:{_L}|['’]{_L}){{0,{_MAX_WORD}}}+"
    rf"(?:-{_L}{{1,{_MAX_WORD}}}+){{0,{_MAX_PARTS}}}+)"
)
_ETAL = r"(?:\s++et\s*+al(?:\.|ii|\b))"
_AND = r"(?:(?:\s*+,\s++|\s++)(?:and|&)\s++|\s*+&\s*+)"
#: at most this many names before "and" ("A, B, C and D")
_MAX_NAMES = 20
_AUTHORS = rf"(?P<authors>{_SURNAME}(?:{_ETAL}|(?:\s*+,\s*+{_SURNAME}){{0,{_MAX_NAMES}}}{_AND}{_SURNAME})?)"
_ETAL_END = re.compile(r"(?<!\s)" + _ETAL + r"\s*+$")
_YEAR = r"(?:1[89]\d\d|20\d\d)[a-z]?"
_YEARS = rf"(?P<years>{_YEAR}(?:\s*+,\s*+(?:{_YEAR}|[a-z]\b))*)"

_PAREN = re.compile(r"\(([^()]{4,600}+)\)")
_PAREN_PART = re.compile(
    rf"^\s*+(?:(?:e\.g\.|i\.e\.|see(?:\s+also)?|cf\.|as\s+in|following|by|from)\s*+,?\s*+)?"
    rf"{_AUTHORS}(?:\s*+,\s++|\s++){_YEARS}\s*+$"
)
_NARRATIVE = re.compile(rf"{_START}{_AUTHORS}\s*+(?:['’]s\s*+)?\(\s*+{_YEARS}\s*+\)")
_NARRATIVE_BRACKET = re.compile(
    rf"{_START}{_AUTHORS}\s*+\[[^\[\]]{{0,120}}?\(\s*+(?P<years>{_YEAR})\s*+\)\s*+\]"
)
_BARE = re.compile(rf"\b(?:by|in|of|from|see)\s++{_AUTHORS}\s*+,\s++(?P<years>{_YEAR})\b(?!\s*+[-–]\s*+\d)")
#: quick tests that a text can hold a citation at all (every pattern needs a year)
_ANY_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_PAREN_YEAR = re.compile(r"\(\s*+(?:1[89]|20)\d\d")
_COMMA_YEAR = re.compile(r",\s++(?:1[89]|20)\d\d")
_NAME_SPLIT = re.compile(r"(?<!\s)(?:\s*+,\s*+(?:and\s++|&\s*+)?|\s++and\s++|\s*+&\s*+)")
_LEADING_PARTICLES = re.compile(r"^" + _PARTICLE + "+")
_YEAR_SPLIT = re.compile(r"\s*,\s*")
_YEAR_PART = re.compile(r"(\d{4})([a-z]?)")

#: capitalised words that start a sentence or name a thing, not an author
_NOT_SURNAMES = word_set(
    """
    A An The This That These Those In On At For From With By Of To As And Or But If When While
    We Our It Its They Their Table Figure Fig Section Eq Equation Appendix Theorem Lemma Stage
    Step Phase Part Chapter Version Since Until After Before During January February March April
    May June July August September October November December Spring Summer Fall Autumn Winter
    Challenge Competition Workshop Conference Task Track Edition Release Update Season Year
    """
)


@dataclass(frozen=True, slots=True)
class CitationHit:
    """One cited work: first-author surnames (two for two-author works), year, et al."""

    surnames: tuple[str, ...]
    year: int
    suffix: str
    et_al: bool
    text: str
    start: int
    end: int

    @property
    def key(self) -> tuple[tuple[str, ...], int, str, bool]:
        """Same key, same work (within one paper)."""
        return (tuple(s.casefold() for s in self.surnames), self.year, self.suffix, self.et_al)


def _split_authors(authors: str) -> tuple[tuple[str, ...], bool] | None:
    et_al = bool(_ETAL_END.search(authors))
    core = _ETAL_END.sub("", authors)
    names = [n.strip() for n in _NAME_SPLIT.split(core) if n.strip()]
    out = []
    for n in names:
        n = latex_accents(n)
        head = _LEADING_PARTICLES.sub("", n)
        if not head or not head[0].isupper() or head in _NOT_SURNAMES or len(head) < 2:
            return None
        if head.rstrip("s").isupper() and len(head) > 1 and "-" not in head:
            return None  # an acronym, not a surname: "(EEG, 2020)"
        out.append(n)
    if not out:
        return None
    return tuple(out), et_al


def _years(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for part in _YEAR_SPLIT.split(text.strip()):
        m = _YEAR_PART.fullmatch(part)
        if m:
            out.append((int(m.group(1)), m.group(2)))
        elif len(part) == 1 and "a" <= part <= "z" and out:
            out.append((out[-1][0], part))
    return out


def _hits(m: re.Match[str], start: int, end: int, text: str) -> list[CitationHit]:
    parsed = _split_authors(m.group("authors"))
    if parsed is None:
        return []
    surnames, et_al = parsed
    years = _years(m.group("years"))
    return [CitationHit(surnames, year, suffix, et_al, text, start, end) for year, suffix in years]


def find_citations(text: str) -> Iterator[CitationHit]:
    """Author-year citations: parenthetical groups, narrative "Wang et al. (2024)" and bare.

    >>> text = "DeepSeek's Wang et al. (2024) and (Stage 1) or (2023) or (EEG, heart rate)"
    >>> [c.text for c in find_citations(text)]
    ['Wang et al. (2024)']
    >>> [c.surnames for c in find_citations("as in Albergo & Vanden-Eijnden (2023)")]
    [('Albergo', 'Vanden-Eijnden')]
    """
    if not ("20" in text or "19" in text or "18" in text) or not _ANY_YEAR.search(text):
        return
    taken: list[tuple[int, int]] = []
    for pm in _PAREN.finditer(text):
        inner_start = pm.start(1)
        pos = inner_start
        found = False
        for part in pm.group(1).split(";"):
            m = _PAREN_PART.match(part)
            if m:
                a_start = pos + m.start("authors")
                p_end = pos + len(part.rstrip())
                cit_text = text[a_start:p_end].strip()
                for hit in _hits(m, a_start, p_end, cit_text):
                    found = True
                    yield hit
            pos += len(part) + 1
        if found:
            taken.append((pm.start(), pm.end()))
    narrative = _PAREN_YEAR.search(text) is not None
    bare = _COMMA_YEAR.search(text) is not None
    for rx, needed in ((_NARRATIVE, narrative), (_NARRATIVE_BRACKET, narrative), (_BARE, bare)):
        if not needed:
            continue
        for m in rx.finditer(text):
            start, end = m.start("authors"), m.end()
            if any(s <= start < e for s, e in taken):
                continue
            # keep the first surname a surname: "DeepSeek's Wang et al." starts at "Wang"
            for hit in _hits(m, start, end, text[start:end]):
                taken.append((start, end))
                yield hit


# --------------------------------------------------------------------------- acronyms

_ACR_OR = re.compile(r",\s+or\s+([A-Z][\w\-]{1,11})(?=[\s.,;:)]|$)")
_ACR_PAREN = re.compile(r"\(\s*([^()\s,;]{2,12}?(?:\s[^()\s,;]{1,8})?)\s*(?:\)|[;,]\s|$)")


@dataclass(frozen=True, slots=True)
class AcronymHit:
    """An acronym definition ``long form (SHORT)`` (or ``SHORT (long form)``: ``start`` is then
    after ``short_start``), with the offsets of the long form and the acronym."""

    short: str
    long: str
    start: int  # start of the long form
    end: int  # end of the short form
    short_start: int

    @property
    def singular(self) -> str | None:
        """``LLM`` for ``LLMs``; ``None`` when the acronym is not a plural."""
        s = self.short
        if len(s) > 2 and s.endswith("s") and s[-2].isupper():
            return s[:-1]
        return None


#: the small Roman numerals of enumerations, I to XLIX
_ROMAN = re.compile(r"(?=[LXVI])(?:XL|X{0,3})(?:IX|IV|V?I{0,3})")


_DIGITS_OR_LETTER = re.compile(r"\d+|[a-z]")
_YEARLIKE = re.compile(r"(?:19|20)\d\d[a-z]?")
_TWO_CAPITALS = re.compile(r"[A-Z].*[A-Z]")
_CAMEL_OR_DIGIT = re.compile(r"[a-z][A-Z]|\d")


def _valid_short(short: str) -> bool:
    # "A3" counts three letters (a letter and its count, :func:`_counted_long_form`)
    letters = sum(c.isalpha() for c in short)
    letters += sum(int(m.group(2)) - 1 for m in _LETTER_TIMES.finditer(short))
    if not short[0].isalnum() or letters < 2:
        return False
    upper = sum(c.isupper() for c in short)
    if upper < 1:
        return False
    if _ROMAN.fullmatch(short) or _ROMAN.fullmatch(short.upper()) and short.islower():
        return False  # "(ii)", "(IV)"; not "ICL", "MMD" or "CV"
    if _DIGITS_OR_LETTER.fullmatch(short):
        return False
    if _YEARLIKE.fullmatch(short):
        return False
    if " " in short and not _TWO_CAPITALS.search(short):
        return False
    return upper >= 2 or bool(_CAMEL_OR_DIGIT.search(short))


#: a letter and a small count in an acronym: "A3" (three words in A), "P3M", "R2AG"
_LETTER_TIMES = re.compile(r"([A-Za-z])([2-4])(?![0-9])")
#: words a long form skips between its initials: "Activation Amplification and Attenuation"
_INITIALS_SKIP = frozenset(("and", "of", "for", "the", "a", "an", "in", "on", "with", "to", "via", "by"))


def _best_long_form(short: str, before: str) -> str | None:
    """Schwartz & Hearst (2003): the shortest text ending at ``before`` that spells ``short``;
    failing that, for an acronym that counts a letter ("A3", "P3M"), the words just before
    whose initials spell it with each counted letter repeated (:func:`_counted_long_form`)."""
    found = _spelled_long_form(short, before)
    if found is None and _LETTER_TIMES.search(short):
        return _counted_long_form(short, before)
    return found


def _counted_long_form(short: str, before: str) -> str | None:
    """The long form of an acronym that writes a repeated initial as a letter and its count, a
    convention of any field: "Activation Amplification and Attenuation (A3)", "progressive and
    periodic perturbation mechanism (P3M)". Each content word's initial, from the last word
    back, must be the next letter of the expanded acronym (small words between are skipped), so
    the match is strict where Schwartz-Hearst is loose.

    >>> _counted_long_form("A3", "we introduce Activation Amplification and Attenuation")
    'Activation Amplification and Attenuation'
    >>> _counted_long_form("P3M", "we propose a progressive and periodic perturbation mechanism")
    'progressive and periodic perturbation mechanism'
    >>> _counted_long_form("A3", "we train Adam on ImageNet") is None
    True

    Failing that, a hyphenated word's capitalised parts are initials too: "Camera-Aware
    Attention Adapters (CA3)" (but "Multi-Scale Feature Fusion (MF2)" is read first).

    >>> _counted_long_form("CA3", "the Parallel Camera-Aware Attention Adapters")
    'Camera-Aware Attention Adapters'
    >>> _counted_long_form("MF2", "a Multi-Scale Feature Fusion")
    'Multi-Scale Feature Fusion'
    """
    letters = _LETTER_TIMES.sub(lambda m: m.group(1) * int(m.group(2)), short)
    if not letters.replace("-", "").isalpha():
        return None
    want = [c.lower() for c in letters if c.isalpha()]
    found = _counted_words(want, before, _WHOLE_WORD)
    if found is None and "-" in before:
        found = _counted_words(want, before, _COUNTED_WORD)
    return found


def _counted_words(want: list[str], before: str, word: re.Pattern[str]) -> str | None:
    """:func:`_counted_long_form`'s search with the words ``word`` finds in ``before``."""
    # each word with where it starts
    words = [(m.start(), m.group()) for m in word.finditer(before)]
    i = len(want) - 1
    k = len(words) - 1
    while k >= 0 and i >= 0:
        w = words[k][1].strip(",;:\"'()[]")
        if not w:
            return None
        if w.lower() in _INITIALS_SKIP and i < len(want) - 1:
            k -= 1
            continue
        if w[0].lower() != want[i]:
            return None
        i -= 1
        k -= 1
    if i >= 0:
        return None
    start = words[k + 1][0]
    while start > 0 and before[start - 1] == "-":  # "-Aware" of "Camera-Aware": the whole word
        start = max(before.rfind(" ", 0, start - 1) + 1, 0)
    return before[start:].strip(" ,;:-\"'(")


_WHOLE_WORD = re.compile(r"\S+")
#: a word of a long form for :func:`_counted_long_form`: white space apart, or a capitalised
#: part after a hyphen
_COUNTED_WORD = re.compile(r"[^\s\-]+(?:-(?![A-Z])[^\s\-]*)*|(?<=-)[A-Z][^\s\-]*(?:-(?![A-Z])[^\s\-]*)*")


def _spelled_long_form(short: str, before: str) -> str | None:
    """Schwartz & Hearst (2003): the shortest text ending at ``before`` that spells ``short``."""
    s = "".join(c.lower() for c in short if c.isalnum())
    if len(s) >= 3 and s.endswith("s") and short[-1] == "s" and short[-2].isupper():
        s = s[:-1]  # plural: LLMs
    if not s:
        return None
    words = before.split()
    max_words = min(len(s) + 5, len(s) * 2)
    window = words[-max_words:]
    cand = " ".join(window)
    si = len(s) - 1
    li = len(cand) - 1
    if cand.isascii():
        # the same search with str.rfind: each letter of ``s``, last first, found backwards in
        # ``cand`` (lower-cased: ASCII keeps each character's place), the first at a word start
        low = cand.lower()
        while si >= 0:
            li = low.rfind(s[si], 0, li + 1)
            if si == 0:
                while li > 0 and cand[li - 1].isalnum():
                    li = low.rfind(s[si], 0, li)
            if li < 0:
                return None
            si -= 1
            li -= 1
    while si >= 0:
        c = s[si]
        while li >= 0 and (
            cand[li].lower() != c or (si == 0 and li > 0 and cand[li - 1].isalnum())
        ):
            li -= 1
        if li < 0:
            return None
        si -= 1
        li -= 1
    start = cand.rfind(" ", 0, li + 1) + 1
    long_form = cand[start:].strip(" ,;:-\"'")
    if not long_form or long_form.lower() == short.lower():
        return None
    # the long form must start with a word: drop a leading opening bracket or quote
    long_form = long_form.lstrip("(['\"")
    n_words = len(long_form.split())
    if n_words > max_words or len(long_form) <= len(short):
        return None
    # the first letter of the acronym must start a word of the long form
    if long_form[0].lower() != s[0]:
        return None
    return long_form


def find_acronyms(text: str) -> Iterator[AcronymHit]:
    """Acronym definitions ``long form (SHORT)``, also unclosed at the end of the text, ``long
    form, or SHORT`` and ``SHORT (long form)``.

    The letters of the acronym must be found, in order, in the long form (Schwartz-Hearst),
    so ``(EEG, heart rate)`` or ``(i)`` are not definitions.

    >>> [(a.short, a.long) for a in find_acronyms("Auxiliary-Loss-Free Load Balancing (ALF-LB) procedure")]
    [('ALF-LB', 'Auxiliary-Loss-Free Load Balancing')]
    >>> [(a.short, a.long) for a in find_acronyms("methods of KDS (Knowledge Delivery System) are")]
    [('KDS', 'Knowledge Delivery System')]
    >>> list(find_acronyms("bio-signals (EEG, heart rate) and (i) a bound"))
    []
    """
    hits = list(_paren_acronyms(text))
    if ", or " in text:
        hits.extend(_or_acronyms(text))
    before = _acronyms_before(text)
    if before:
        taken = {h.short_start for h in hits}
        hits.extend(h for h in before if h.short_start not in taken)
    if len(hits) > 1:
        hits.sort(key=lambda a: (a.short_start, a.start))
    yield from hits


#: ``SHORT (long form)``: the bracket after a word with two capitals holds two words or more
_LONG_IN_PAREN = re.compile(r"\(\s*([A-Za-z][^()]{3,150}?)\s*\)")
_SHORT_BEFORE = re.compile(r"(?<![\w-])([A-Z][\w\-]*[A-Z][\w\-]*)\s*$")


def _acronyms_before(text: str) -> list[AcronymHit]:
    """``SHORT (long form)``: "KDS (Knowledge Delivery System)", "ECLARE (Efficient Cross-planar
    Learning for Anisotropic Resolution Enhancement)". The whole bracket must be the long form
    that the acronym's letters spell (Schwartz-Hearst, as for ``long form (SHORT)``), so "GPT-4
    (OpenAI's model)" and "BERT (Devlin et al., 2019)" are no definitions."""
    out: list[AcronymHit] = []
    if "(" not in text:
        return out
    for m in _LONG_IN_PAREN.finditer(text):
        inner = m.group(1)
        if " " not in inner and "-" not in inner:
            continue
        sm = _SHORT_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if sm is None:
            continue
        short = sm.group(1)
        if len(short) > 16 or not _valid_short(short):
            continue
        long_form = _best_long_form(short, inner)
        if long_form != inner:
            continue
        out.append(AcronymHit(short, long_form, m.start(1), sm.start(1) + len(short), sm.start(1)))
    return out


#: what ends the clause an acronym's long form lives in: a sentence end, a bracket, ";", ": "
_CLAUSE_STOPS = (". ", "(", ")", ";", ": ")


def _clause_before(text: str, pos: int, stops: tuple[str, ...] = _CLAUSE_STOPS) -> str:
    """The text of the clause that ends at ``pos`` (at most 300 characters back), right-stripped."""
    before = text[max(0, pos - 300) : pos]
    cut = max(before.rfind(stop) for stop in stops)
    return (before[cut + 1 :] if cut >= 0 else before).rstrip()


def _paren_acronyms(text: str) -> Iterator[AcronymHit]:
    for m in _ACR_PAREN.finditer(text):
        short = m.group(1).strip()
        if not _valid_short(short):
            continue
        long_form = _best_long_form(short, _clause_before(text, m.start()))
        if long_form is None:
            continue
        start = text.rfind(long_form, max(0, m.start() - 300), m.start())
        if start < 0:
            continue
        yield AcronymHit(short, long_form, start, m.start(1) + len(short), m.start(1))


def _or_acronyms(text: str) -> Iterator[AcronymHit]:
    """``long form, or SHORT``: "reconstruction on demand by tensor voting, or ROD-TV" (two
    capitals at least: "apples, or Pears" is no definition)."""
    for m in _ACR_OR.finditer(text):
        short = m.group(1)
        if sum(c.isupper() for c in short) < 2 or not _valid_short(short):
            continue
        before = _clause_before(text, m.start(), _CLAUSE_STOPS + (",",))
        long_form = _best_long_form(short, before)
        if long_form is None or not before.endswith(long_form):
            continue
        start = text.rfind(long_form, max(0, m.start() - 300), m.start() + 1)
        yield AcronymHit(short, long_form, start, m.start(1) + len(short), m.start(1))
