"""spaCy's tokens of a text without a ``Doc``, and phrase matching on them, for the rules alone.

spaCy's ``Tokenizer`` cuts a text at white space first and tokenizes each run of non-space
characters on its own (a single space after a run is the last token's trailing space; other
white space makes tokens of its own): a run's tokens do not depend on the text around it, and
neither do those of a piece between two single spaces that neither starts nor ends with white
space. :class:`TokenCache` keeps the tokens of each distinct piece (a word such as "the" or
"(ResNet-50)," recurs across abstracts: of the 14.1 million runs of the 74,728 arXiv abstracts,
3.8% are distinct), so a text costs one ``str.split`` and a look-up per piece instead of a
``Doc`` (a struct, a lexeme look-up and a hash per token). :class:`LiteDoc` holds the tokens,
with the few parts of the ``Doc`` interface that the rules read (``len``, ``doc[i]``,
``doc[a:b]``, a token's ``text``, ``idx``, ``whitespace_`` and lexical flags, the latter from the
vocabulary's lexemes as a ``Doc``'s). :class:`PhraseIndex` finds what a spaCy ``PhraseMatcher``
finds on such tokens, in the same order, with one Aho-Corasick pass over the tokens joined by a
separator. On the 74,728 abstracts the tokens, their offsets and the matchers' matches are those
of ``tokenizer(text)`` for every text (``tests/kg/extract/test_tokens.py`` checks real ones).

>>> import spacy
>>> nlp = spacy.blank("en")
>>> doc = TokenCache(nlp.tokenizer).doc("We use ResNet-50 (He et al.).\\n\\nIt works.")
>>> [t.text for t in doc] == [t.text for t in nlp("We use ResNet-50 (He et al.).\\n\\nIt works.")]
True
>>> doc[2].text, doc[2].idx, doc[2:4].text, doc[1].whitespace_
('ResNet-50', 7, 'ResNet-50 (', ' ')
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import accumulate, chain, compress, product, repeat
from operator import is_, itemgetter

import ahocorasick_rs
from spacy.attrs import IDX, LENGTH
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["LiteDoc", "PhraseIndex", "TokenCache"]

#: what joins the tokens of a text for phrase matching: a character no text of ours holds
#: (a text that holds it is tokenized by spaCy, the plain way)
SEP = "\x00"


class TokenCache:
    """The tokens of each distinct piece of a text between single spaces, as spaCy's
    ``tokenizer`` gives them.

    A text is cut at its spaces (``str.split(" ")``); a piece that starts or ends with other
    white space (or an empty piece: two spaces in a row) is not cut the way spaCy cuts it, and
    such a text is left to the tokenizer (:meth:`doc` gives ``None``). The cache holds at most
    ``limit`` pieces and is emptied when full (a bounded memory; the common words come back at
    once). Its tokens are those of the tokenizer when each piece was first seen: a tokenizer
    changed later (``add_special_case``) needs a new cache.
    """

    def __init__(self, tokenizer: Tokenizer, limit: int = 1 << 18) -> None:
        self.tokenizer = tokenizer
        self.limit = limit
        self.scratch = _scratch(tokenizer)
        #: each piece's tokens
        self.words: dict[str, tuple[str, ...]] = {}
        #: each piece's tokens' offsets in the piece
        self.offsets: dict[str, tuple[int, ...]] = {}
        self.hazards = _hazards(tokenizer)
        self.split = _splitter(tokenizer)

    def _fill(self, new: list[str]) -> bool:
        """Tokenize the pieces ``new`` (not in the cache), in one call of the tokenizer: joined by
        :data:`_BETWEEN`, a run of white space that holds a space (no piece holds one), which
        is a token of its own and which no special case reads across; so each piece's tokens
        are those it has alone. ``False`` (and nothing cached) when one of them cannot be read
        alone: an empty piece (two spaces in a row) or one that starts or ends with other white
        space is not cut the way spaCy cuts it in the text."""
        ok = list(dict.fromkeys(new))
        for piece in ok:
            if not piece or piece[0].isspace() or piece[-1].isspace():
                return False
        words, offsets = self.words, self.offsets
        split = self.split
        if split is not None:  # the tokenizer's steps without a Doc: the tokenizer for the rest
            rest = []
            for piece in ok:
                got = split(piece)
                if got is None:
                    rest.append(piece)
                else:
                    words[piece], offsets[piece] = got
            if not rest:
                return True
            ok = rest
        batch = _BETWEEN.join(ok)
        rows = self.scratch(batch).to_array([IDX, LENGTH]).tolist()
        first = 0  # the piece's first token
        k = 0
        for i, (at, n) in enumerate(rows):
            if n == _BETWEEN_LEN and batch.startswith(_BETWEEN, at):
                piece = ok[k]
                if i == first + 1:  # one token: the piece itself
                    words[piece] = (piece,)
                    offsets[piece] = _AT_START
                else:
                    _add(words, offsets, piece, batch, rows[first:i])
                k += 1
                first = i + 1
        _add(words, offsets, ok[k], batch, rows[first:])
        return True

    def doc(self, text: str) -> LiteDoc | None:
        """The tokens of ``text``, as ``tokenizer(text)`` gives them; ``None`` when the text has
        white space other than single spaces between words at its pieces' ends."""
        if len(self.words) > self.limit:
            # new tables (the docs made before keep theirs), and a new vocabulary for the strings
            self.words, self.offsets = {}, {}
            self.scratch = _scratch(self.tokenizer)
        pieces = text.split(" ")
        if self.hazards is not None:
            hits = self.hazards[0].find_matches_as_indexes(text, overlapping=True)
            if hits:  # a special case may read across these spaces: the pieces around are one
                spaces = self.hazards[1]
                pieces = _join_at(pieces, [start + at for k, start, _end in hits for at in spaces[k]])
        # one look-up per piece (a text of new words costs no second pass over its known ones)
        toks = list(map(self.words.get, pieces))
        if None in toks:
            at = list(compress(range(len(toks)), map(is_, toks, repeat(None))))
            if not self._fill([pieces[i] for i in at]):
                return None
            words = self.words
            for i in at:
                toks[i] = words[pieces[i]]
        return LiteDoc(text, pieces, toks, self)


def _add(words: dict[str, tuple[str, ...]], offsets: dict[str, tuple[int, ...]], piece: str,
         text: str, rows: list[list[int]]) -> None:
    """Cache ``piece``'s tokens: ``(offset, length)`` of each, in ``text``."""
    if len(rows) == 1:
        words[piece] = (piece,)
        offsets[piece] = _AT_START
        return
    at = rows[0][0]
    words[piece] = tuple([text[o:o + n] for o, n in rows])
    offsets[piece] = tuple([o - at for o, _ in rows])


_AT_START = (0,)
#: what joins the pieces tokenized in one call: white space with a space in it, a token of its own
_BETWEEN = "\n "
_BETWEEN_LEN = len(_BETWEEN)


def _scratch(tokenizer: Tokenizer) -> Tokenizer:
    """A copy of ``tokenizer`` (its rules, affixes and matches: the same tokens) on a vocabulary
    of its own that reads no lexical attributes: a new word costs a string, not the dozen
    functions (shape, number, URL...) that make a lexeme of the pipeline's vocabulary. The
    rules read the lexical flags of a few tokens only, from the pipeline's vocabulary."""
    return Tokenizer(Vocab(), rules=tokenizer.rules, prefix_search=tokenizer.prefix_search,
                     suffix_search=_quick_suffix(tokenizer.suffix_search),
                     infix_finditer=_quick_infix(tokenizer.infix_finditer),
                     token_match=tokenizer.token_match, url_match=tokenizer.url_match,
                     faster_heuristics=tokenizer.faster_heuristics)


# What the scratch tokenizer's affix searches skip: a new piece costs spaCy's suffix and infix
# regular expressions (a few hundred alternatives, tried at every character), and most pieces
# hold no character that either could match. The regexes' parse trees tell which characters
# a match can end with (suffixes) or start with (infixes); a piece that has none of them is
# left without a search, and the others get the regex's own answer: the same tokens.
try:  # the parse trees of the affix regexes: a private module of the standard library
    import re._parser as sre
except ImportError:  # a Python without it: the plain searches (the same tokens, slower)
    sre = None
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT) if sre is not None else ()
_REPEATS = ((sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
            if sre is not None else ())


def _edge(items, last: bool) -> tuple[list[tuple[int, int]], bool] | None:
    """The code point ranges of the first (``last``: the last) character a match of the parsed
    regex ``items`` consumes, and whether the items can match nothing at all; ``None`` when the
    tree holds what this does not read (classes such as ``\\w``, any character, flags...).

    >>> _edge(sre.parse(r"(?<=[0-9])(?:km|m)$"), last=True)
    ([(109, 109), (109, 109)], False)
    >>> _edge(sre.parse(r"x?[a-c]"), last=False)
    ([(120, 120), (97, 99)], False)
    >>> _edge(sre.parse(r"\\w$"), last=True) is None
    True
    """
    out: list[tuple[int, int]] = []
    for op, av in (reversed(items) if last else items):
        if op in _ZERO_WIDTH:  # consumes nothing: the edge character is further on
            continue
        if op is sre.LITERAL:
            out.append((av, av))
            return out, False
        if op is sre.IN:
            for o, a in av:
                if o is sre.LITERAL:
                    out.append((a, a))
                elif o is sre.RANGE:
                    out.append(a)
                else:  # NEGATE, CATEGORY...
                    return None
            return out, False
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            found = None if add_flags or del_flags else _edge(sub, last)
        elif op is sre.BRANCH:
            subs = [_edge(sub, last) for sub in av[1]]
            found = None if None in subs else ([r for f in subs for r in f[0]], any(f[1] for f in subs))
        elif op in _REPEATS:
            low, _high, sub = av
            found = _edge(sub, last)
            if found is not None and low == 0:
                found = (found[0], True)
        else:
            return None
        if found is None:
            return None
        out += found[0]
        if not found[1]:
            return out, False
    return out, True


def _chars(pattern: re.Pattern, last: bool) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can end (``last``) or start with; ``None`` when the
    parse tree does not tell (or flags other than ``re.UNICODE`` change what it means)."""
    try:
        tree = sre.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - a parser of another Python: no shortcut, the plain search
        return None
    if tree.state.flags & ~re.UNICODE or tree.state.flags & re.UNICODE == 0:
        return None
    found = _edge(tree, last)
    if found is None or found[1] or _size(found[0]) > 1 << 16:
        return None
    return frozenset(chr(c) for a, b in found[0] for c in range(a, b + 1))


def _alternatives(pattern: re.Pattern) -> list[list] | None:
    """The alternatives of ``pattern``'s parse tree (``a$|b$``: two), each a list of items, when
    each ends with ``$`` or ``\\Z`` (every match ends at the end of the text, or before a last
    new line), as in spaCy's suffix regexes; else ``None``."""
    tree = sre.parse(pattern.pattern, pattern.flags)
    if tree.state.flags & ~re.UNICODE or tree.state.flags & re.UNICODE == 0:
        return None
    items = list(tree)
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        alternatives = [list(sub) for sub in items[0][1][1]]
    else:
        alternatives = [items]
    if all(alt and alt[-1][0] is sre.AT and alt[-1][1] in (sre.AT_END, sre.AT_END_STRING)
           for alt in alternatives):
        return alternatives
    return None


def _needs(items: list) -> frozenset[str] | None:
    """Characters of which a text matched by ``items`` holds one at least: those of one item
    every match consumes or looks behind at (a literal, a class), the one without ASCII letters
    (rare in words) and fewest; ``None`` when each such item holds a letter."""
    best: list[tuple[int, int]] | None = None
    for op, av in items:
        if op is sre.ASSERT and av[0] == -1 and len(av[1]) == 1:  # (?<=[0-9]): a character before
            op, av = list(av[1])[0]
        if op not in (sre.LITERAL, sre.IN):
            continue
        found = _edge([(op, av)], last=False)
        if found is None or any(a <= z and b >= y for a, b in found[0] for y, z in _ASCII_LETTERS):
            continue
        if best is None or _size(found[0]) < _size(best):
            best = found[0]
    return None if best is None else frozenset(chr(c) for a, b in best for c in range(a, b + 1))


_ASCII_LETTERS = ((ord("A"), ord("Z")), (ord("a"), ord("z")))


def _size(ranges: list[tuple[int, int]]) -> int:
    return sum(b - a + 1 for a, b in ranges)


@lru_cache(maxsize=8)
def _quick_suffix(search):
    """``search`` (spaCy's ``suffix_search``, a ``re.Pattern.search``), or the same answers with
    no search for a text that no alternative of the regex can match: one whose last character
    none ends with, or that lacks a character each alternative ending so needs ("'s" needs an
    apostrophe, "(?<=[0-9])km" a digit).

    >>> import spacy
    >>> search = spacy.blank("en").tokenizer.suffix_search
    >>> quick = _quick_suffix(search)
    >>> [quick(w) is None for w in ("models", "model's", "models,", "5km", "km")]
    [True, False, False, False, True]
    >>> quick("5km").span() == search("5km").span()
    True
    """
    pattern = getattr(search, "__self__", None)
    if not isinstance(pattern, re.Pattern) or getattr(search, "__name__", "") != "search":
        return search
    try:
        alternatives = _alternatives(pattern)
        if alternatives is None:
            return search
        state = sre.parse(pattern.pattern, pattern.flags).state
        # each last character: the needs of the alternatives that can end with it, and the
        # most characters a match of them spans (None: no bound)
        needs: dict[str, list[frozenset[str] | None]] = {}
        spans: dict[str, int | None] = {}
        for alt in alternatives:
            found = _edge(alt, last=True)
            if found is None or found[1] or _size(found[0]) > 1 << 16:
                return search
            need = _needs(alt)
            most = sre.SubPattern(state, alt).getwidth()[1]
            for a, b in found[0]:
                for c in map(chr, range(a, b + 1)):
                    needs.setdefault(c, []).append(need)
                    before = spans.get(c, 0)
                    spans[c] = None if before is None or most > 1000 else max(before, most)
    except Exception:  # noqa: BLE001 - a parser of another Python: no shortcut, the plain search
        return search
    checks: dict[tuple[int, ...], Callable[[str], bool] | None] = {}  # one per set of needs
    holds = {}
    for c, found in needs.items():
        key = tuple(sorted({id(n) for n in found}))
        if key not in checks:
            checks[key] = None if None in found else _none_of(frozenset().union(*found))
        holds[c] = (checks[key], spans[c])
    search_from = pattern.search

    def quick(text: str):
        last = text[-1:]
        if last == "\n":  # "$" matches before a last new line too: the plain search
            return search(text)
        if last not in holds:
            return None
        lacks, most = holds[last]
        if lacks is not None and lacks(text):
            return None
        if most is None or most >= len(text):
            return search(text)
        # a match ends at the end and spans at most ``most`` characters: none starts before
        # (look-behinds still read the characters before)
        return search_from(text, len(text) - most)
    return quick


def _none_of(chars: Iterable[str]) -> Callable[[str], bool]:
    """Whether a text holds none of ``chars`` (a set's look-up per character: a regex class of
    thousands of symbols is slower)."""
    return frozenset(chars).isdisjoint


@lru_cache(maxsize=8)
def _quick_prefix(search):
    """``search`` (spaCy's ``prefix_search``, a ``re.Pattern.search``), or the same answers with
    no search for a text whose first character no match can start with (each alternative of
    the regex starts with ``^``, as in spaCy's prefix regexes).

    >>> import spacy
    >>> search = spacy.blank("en").tokenizer.prefix_search
    >>> quick = _quick_prefix(search)
    >>> [quick(w) is None for w in ("models", "(models", "$5")]
    [True, False, False]
    """
    pattern = getattr(search, "__self__", None)
    if not isinstance(pattern, re.Pattern) or getattr(search, "__name__", "") != "search":
        return search
    try:
        tree = sre.parse(pattern.pattern, pattern.flags)
        items = list(tree)
        if items and items[0] == (sre.AT, sre.AT_BEGINNING):
            anchored = True
        else:
            alternatives = ([list(sub) for sub in items[0][1][1]]
                            if len(items) == 1 and items[0][0] is sre.BRANCH else [items])
            anchored = all(alt and alt[0] == (sre.AT, sre.AT_BEGINNING) for alt in alternatives)
        first = _chars(pattern, last=False) if anchored else None
    except Exception:  # noqa: BLE001 - see _quick_suffix
        return search
    if first is None:
        return search

    def quick(text: str):
        # "^" (no MULTILINE) matches at the start only: the first character starts a match
        return search(text) if text[:1] in first else None
    return quick


@lru_cache(maxsize=8)
def _quick_infix(finditer):
    """``finditer`` (spaCy's ``infix_finditer``, a ``re.Pattern.finditer``), or the same answers
    with no search for a text that holds no character a match can start with.

    >>> import spacy
    >>> finditer = spacy.blank("en").tokenizer.infix_finditer
    >>> quick = _quick_infix(finditer)
    >>> [len(list(quick(w))) for w in ("models", "spin-orbit", "a/b")]
    [0, 1, 1]
    """
    pattern = getattr(finditer, "__self__", None)
    if not isinstance(pattern, re.Pattern) or getattr(finditer, "__name__", "") != "finditer":
        return finditer
    first = _chars(pattern, last=False)
    if first is None:
        return finditer
    lacks = _none_of(first)

    def quick(text: str):
        return iter(()) if lacks(text) else finditer(text)
    return quick


@lru_cache(maxsize=8)
def _splitter(tokenizer: Tokenizer) -> Callable[[str], tuple[tuple[str, ...], tuple[int, ...]] | None] | None:
    """A piece's tokens and their offsets in it, as ``tokenizer`` cuts it, without a
    ``Doc``: spaCy's ``Tokenizer._split_affixes`` and ``_attach_tokens`` (spaCy 3) step by step,
    on the affix searches of :func:`_quick_prefix`, :func:`_quick_suffix` and
    :func:`_quick_infix`. ``None`` for a
    piece that meets a special case (a rule, or tokens that spell a rule's tokens, which
    ``_apply_special_cases`` reads), left to the tokenizer; ``None`` in place of the function
    when the affix regexes are not such that those searches read them. A new piece costs a few
    regex calls here instead of a ``Doc`` and lexemes of the tokenizer (about half the time);
    ``tests/kg/extract/test_tokens.py`` checks the tokens against the tokenizer's.

    >>> import spacy
    >>> split = _splitter(spacy.blank("en").tokenizer)
    >>> [split(w) for w in ("Hamiltonian", "(ResNet-50),", "don't")]
    [(('Hamiltonian',), (0,)), (('(', 'ResNet-50', ')', ','), (0, 1, 10, 11)), None]
    >>> split("Learning\\n\\nWe"), split("LMs. Our")
    ((('Learning', '\\n\\n', 'We'), (0, 8, 10)), (('LMs', '.', 'Our'), (0, 3, 5)))
    """
    suffix, infix = _quick_suffix(tokenizer.suffix_search), _quick_infix(tokenizer.infix_finditer)
    prefix = _quick_prefix(tokenizer.prefix_search)
    if (suffix is tokenizer.suffix_search or infix is tokenizer.infix_finditer
            or prefix is tokenizer.prefix_search):
        return None
    infix_first = _chars(tokenizer.infix_finditer.__self__, last=False)
    plain = Tokenizer(tokenizer.vocab, rules={}, prefix_search=tokenizer.prefix_search,
                      suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                      token_match=tokenizer.token_match, url_match=tokenizer.url_match)
    rules = set(tokenizer.rules or {})
    # what _apply_special_cases looks for (a rule's tokens before special cases; every rule's,
    # a superset of the ones spaCy reads there), by first token
    patterns: dict[str, list[tuple[str, ...]]] = {}
    for rule in rules:
        words = tuple(t.text for t in plain(rule))
        if words:
            patterns.setdefault(words[0], []).append(words)
    # a piece with white space is cut at it first; one without an infix's first character has
    # no infix
    no_infix = _none_of(infix_first)
    white = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}
    spaces = _none_of(white)
    plain_word = _none_of(infix_first | white)  # no infix, no white space
    token_match, url_match = tokenizer.token_match, tokenizer.url_match

    def run(piece: str) -> list[str] | None:
        """The tokens of a run of non-space characters (or of white space without a space)."""
        if piece in rules:
            return None
        prefixes: list[str] = []
        suffixes: list[str] = []
        string = piece
        last_size = 0
        while string and len(string) != last_size:  # _split_affixes
            if token_match and token_match(string):
                break
            if string in rules:
                return None
            last_size = len(string)
            m = prefix(string)
            pre_len = m.end() - m.start() if m is not None else 0
            if pre_len:
                pre = string[:pre_len]
                minus_pre = string[pre_len:]
                if minus_pre and minus_pre in rules:
                    return None
            m = suffix(string[pre_len:])
            suf_len = m.end() - m.start() if m is not None else 0
            if suf_len:
                suf = string[-suf_len:]
                minus_suf = string[:-suf_len]
                if minus_suf and minus_suf in rules:
                    return None
            if pre_len and suf_len and (pre_len + suf_len) <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(pre)
                suffixes.append(suf)
            elif pre_len:
                string = minus_pre
                prefixes.append(pre)
            elif suf_len:
                string = minus_suf
                suffixes.append(suf)
        out = prefixes  # _attach_tokens
        if string:
            if string in rules:
                return None
            if no_infix(string) or (token_match and token_match(string)) or (url_match and url_match(string)):
                out.append(string)
            else:
                start = 0
                for m in infix(string):
                    infix_start, infix_end = m.start(), m.end()
                    if infix_start == 0:
                        continue
                    if infix_start != start:
                        out.append(string[start:infix_start])
                    if infix_start != infix_end:
                        out.append(string[infix_start:infix_end])
                    start = infix_end
                if string[start:]:
                    out.append(string[start:])
        out.extend(reversed(suffixes))
        return out

    def split(piece: str) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
        """The tokens of ``piece`` (no white space at its ends: else ``None``) and their offsets."""
        if not piece or piece[0].isspace() or piece[-1].isspace() or piece in rules:
            return None
        if plain_word(piece) and prefix(piece) is None and suffix(piece) is None:
            return (piece,), _AT_START  # a plain word (no special case, being no rule): itself
        if spaces(piece):
            out = run(piece)
            if out is None:
                return None
            offsets = tuple(accumulate(map(len, out[:-1]), initial=0)) if len(out) > 1 else _AT_START
        else:  # cut at white space first: a single space ends a token, other white space is one
            out, at, pos = [], [], 0
            for part in _RUNS.findall(piece):
                if part == " ":
                    pos += 1
                    continue
                if " " in part:
                    return None  # a space in other white space: the tokenizer decides
                toks = run(part)
                if toks is None:
                    return None
                for tok in toks:
                    out.append(tok)
                    at.append(pos)
                    pos += len(tok)
            offsets = tuple(at)
        if not patterns.keys().isdisjoint(out):
            for i, word in enumerate(out):
                for words in patterns.get(word, ()):
                    if tuple(out[i:i + len(words)]) == words:
                        return None  # a special case's tokens: the tokenizer decides
        return tuple(out), offsets
    return split


#: runs of white space and of other characters (``\\s`` is ``str.isspace``, as spaCy reads it)
_RUNS = re.compile(r"\s+|\S+")


@lru_cache(maxsize=8)
def _hazards(tokenizer: Tokenizer) -> tuple[ahocorasick_rs.AhoCorasick, list[tuple[int, ...]]] | None:
    """Where a special case of ``tokenizer`` could read across a space, so that the pieces on
    both sides are not tokenized as each alone: an automaton, and where the spaces are in each
    of its keys.

    spaCy applies its special cases that hold punctuation ("''", ":)", "e.g.", "a.m.") over the
    whole text, on the tokens before special cases; a sequence of those tokens that spells one
    across a space ("models' ''human": "'" "'" around the space) is no special case, but it
    takes the tokens it covers from one that is ("''"). Such a sequence is the special case's
    tokens (as the tokenizer cuts it without special cases) one after the other, each followed
    by its trailing space or by nothing, so the text spells them so: the automaton has each
    special case's tokens joined by a space or nothing, a space at least once, as a key ("' '",
    "( :", "o. O", "o . O"). :meth:`TokenCache.doc` reads the pieces around such a space as one.
    (A pair of tokens around the space alone, such as ". O", is met in half the abstracts,
    "results. Our", where no special case can apply: the whole sequence, "o. O", is rare.)

    >>> import spacy
    >>> hazards, _ = _hazards(spacy.blank("en").tokenizer)
    >>> [bool(hazards.find_matches_as_indexes(t)) for t in ("models' ''human-like", "We (i.e. us) win.")]
    [True, False]
    >>> [bool(hazards.find_matches_as_indexes(t)) for t in ("the results. Our", "oh o. O well")]
    [False, True]
    """
    plain = Tokenizer(tokenizer.vocab, rules={}, prefix_search=tokenizer.prefix_search,
                      suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                      token_match=tokenizer.token_match, url_match=tokenizer.url_match)
    spaced: dict[str, tuple[int, ...]] = {}  # each key, and where its spaces are
    for rule in tokenizer.rules or {}:
        words = [t.text for t in plain(rule)]
        for gaps in product(("", " "), repeat=len(words) - 1):
            if " " not in gaps:
                continue
            key = words[0] + "".join(gap + w for gap, w in zip(gaps, words[1:], strict=True))
            at = [len(words[0])]
            for gap, w in zip(gaps, words[1:], strict=True):
                at.append(at[-1] + len(gap) + len(w))
            spaced[key] = tuple(a for a, gap in zip(at, gaps, strict=False) if gap)
    if not spaced:
        return None
    keys = sorted(spaced)
    # (the default NFA: a DFA of these 1,600 keys searches twice as quick, 4 ms per 1,000
    # abstracts, but holds 9 MB)
    return ahocorasick_rs.AhoCorasick(keys), [spaced[k] for k in keys]


def _join_at(pieces: list[str], spaces: Iterable[int]) -> list[str]:
    """``pieces`` (a text split at its spaces) with the two pieces around each space of
    ``spaces`` (characters of the text) joined back into one.

    >>> _join_at("a b c d e".split(" "), [1, 5, 3])
    ['a b c d', 'e']
    >>> _join_at("ab c d".split(" "), [4])
    ['ab', 'c d']
    """
    char_at = list(accumulate(map((1).__add__, map(len, pieces)), initial=0))
    joins = sorted({bisect.bisect_right(char_at, sp) - 1 for sp in spaces})  # the piece before each
    out: list[str] = []
    done = 0  # pieces before this one are in out
    j = 0
    while j < len(joins):
        first = last = joins[j]
        while j + 1 < len(joins) and joins[j + 1] == last + 1:
            j += 1
            last += 1
        out.extend(pieces[done:first])
        out.append(" ".join(pieces[first:last + 2]))
        done = last + 2
        j += 1
    out.extend(pieces[done:])
    return out


class LiteDoc:
    """The tokens of a text: what the rules read of a spaCy ``Doc`` (see the module docstring)."""

    __slots__ = ("_char_at", "_offsets", "_tok_at", "cache", "pieces", "text", "toks", "words")

    def __init__(self, text: str, pieces: list[str], toks: list[tuple[str, ...]], cache: TokenCache) -> None:
        self.text = text
        self.pieces = pieces
        self.toks = toks
        self.cache = cache
        self._offsets = cache.offsets  # the pieces' offsets (kept when the cache starts anew)
        self.words: list[str] = list(chain.from_iterable(toks))
        self._tok_at: list[int] = []  # each piece's first token
        self._char_at: list[int] = []  # each piece's first character

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self) -> Iterator[LiteToken]:
        return (LiteToken(self, i) for i in range(len(self.words)))

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, _ = i.indices(len(self.words))
            return LiteSpan(self, start, max(start, stop))
        if i < 0:
            i += len(self.words)
        if not 0 <= i < len(self.words):
            raise IndexError(i)
        return LiteToken(self, i)

    def _index(self) -> None:
        self._tok_at = list(accumulate(map(len, self.toks), initial=0))
        self._char_at = list(accumulate(map((1).__add__, map(len, self.pieces)), initial=0))

    def idx(self, i: int) -> int:
        """Where token ``i`` starts in the text."""
        if not self._tok_at:
            self._index()
        k = bisect.bisect_right(self._tok_at, i, 0, len(self.pieces)) - 1
        return self._char_at[k] + self._offsets[self.pieces[k]][i - self._tok_at[k]]

    def index_at(self, char: int) -> int:
        """The token that starts at character ``char``, or -1."""
        if not self._tok_at:
            self._index()
        k = bisect.bisect_right(self._char_at, char, 0, len(self.pieces)) - 1
        offs = self._offsets[self.pieces[k]]
        rel = char - self._char_at[k]
        return self._tok_at[k] + offs.index(rel) if rel in offs else -1

    def offsets(self) -> list[int]:
        """Where each token starts (``doc.to_array(IDX)``)."""
        return [self.idx(i) for i in range(len(self.words))]

    def has_annotation(self, _attr: str) -> bool:
        return False

    def lexeme(self, word: str):
        """The vocabulary's entry of ``word`` (its lexical flags, as a ``Doc``'s token has them)."""
        return self.cache.tokenizer.vocab[word]


class LiteToken:
    """One token of a :class:`LiteDoc`: ``text``, ``idx``, ``whitespace_`` and lexical flags."""

    __slots__ = ("doc", "i")

    def __init__(self, doc: LiteDoc, i: int) -> None:
        self.doc = doc
        self.i = i

    @property
    def text(self) -> str:
        return self.doc.words[self.i]

    def __len__(self) -> int:
        return len(self.doc.words[self.i])

    @property
    def idx(self) -> int:
        return self.doc.idx(self.i)

    @property
    def whitespace_(self) -> str:
        # spaCy gives a token a trailing space only when a single space ends its run of
        # non-space characters
        text = self.doc.text
        word = self.doc.words[self.i]
        end = self.idx + len(word)
        return " " if end < len(text) and text[end] == " " and not word.isspace() else ""

    @property
    def lower_(self) -> str:
        return self.doc.lexeme(self.text).lower_

    @property
    def is_alpha(self) -> bool:
        return self.doc.lexeme(self.text).is_alpha

    @property
    def is_punct(self) -> bool:
        return self.doc.lexeme(self.text).is_punct

    @property
    def is_space(self) -> bool:
        return self.doc.lexeme(self.text).is_space

    @property
    def like_num(self) -> bool:
        return self.doc.lexeme(self.text).like_num


class LiteSpan:
    """Tokens ``start:end`` of a :class:`LiteDoc`: their characters and text."""

    __slots__ = ("doc", "end", "start")

    def __init__(self, doc: LiteDoc, start: int, end: int) -> None:
        self.doc, self.start, self.end = doc, start, end

    @property
    def start_char(self) -> int:
        return self.doc.idx(self.start) if self.start < self.end else 0

    @property
    def end_char(self) -> int:
        if self.start >= self.end:
            return 0
        return self.doc.idx(self.end - 1) + len(self.doc.words[self.end - 1])

    @property
    def text(self) -> str:
        return self.doc.text[self.start_char:self.end_char]

    def __len__(self) -> int:
        return self.end - self.start

    def __iter__(self) -> Iterator[LiteToken]:
        return (LiteToken(self.doc, i) for i in range(self.start, self.end))


class PhraseIndex:
    """What spaCy ``PhraseMatcher`` s (on ``LOWER`` or ``ORTH``) find in a :class:`LiteDoc`.

    Built from the matcher and the phrase docs it was given: each phrase's tokens, joined by
    :data:`SEP` and framed by it, are a key of an Aho-Corasick automaton; a text's tokens
    joined the same way are searched once (all matches, overlapping ones too), so a match
    starts and ends at token boundaries, as the matcher's do. The match ids of each phrase are
    listed in the order the matcher reports them (read off the matcher run on the phrase
    itself), and matches come sorted by start, then end, as the matcher's.
    """

    def __init__(self, matcher: PhraseMatcher, phrases: Iterable[Doc], *, lower: bool) -> None:
        self.lower = lower
        ids: dict[str, list[int]] = {}
        for phrase in phrases:
            words = [t.lower_ if lower else t.text for t in phrase]
            if not words or any(SEP in w for w in words):
                continue
            key = SEP + SEP.join(words) + SEP
            if key not in ids:
                ids[key] = [m for m, s, e in matcher(phrase) if s == 0 and e == len(phrase)]
        self.keys = list(ids)
        self.ids = [tuple(ids[k]) for k in self.keys]
        self.sizes = [k.count(SEP) - 1 for k in self.keys]
        self.automaton = ahocorasick_rs.AhoCorasick(self.keys) if self.keys else None

    def __call__(self, doc: LiteDoc, joined: str) -> list[tuple[int, int, int]]:
        """``matcher(doc)``: ``(match id, start, end)`` of each match. ``joined`` is the doc's
        tokens joined by :data:`SEP` and framed by it (lower-cased for a ``LOWER`` index)."""
        if self.automaton is None:
            return []
        found = self.automaton.find_matches_as_indexes(joined, overlapping=True)
        found.sort(key=itemgetter(1))
        hits = []
        at = s = 0  # the tokens before character ``at`` of ``joined``: counted once, in order
        for k, start, _end in found:
            s += joined.count(SEP, at, start)
            at = start
            hits.append((s, s + self.sizes[k], k))
        hits.sort()
        return [(m, s, e) for s, e, k in hits for m in self.ids[k]]


def joined_tokens(doc: LiteDoc, *, lower: bool) -> str:
    """The doc's tokens joined by :data:`SEP` and framed by it, as :class:`PhraseIndex` reads them.

    ``lower``: each token lower-cased (as its lexeme's ``lower_``, ``str.lower``).
    """
    if not lower:
        return SEP + SEP.join(doc.words) + SEP
    if "\u03a3" in doc.text:  # str.lower reads a capital sigma by the letters around it
        return SEP + SEP.join([w.lower() for w in doc.words]) + SEP
    return (SEP + SEP.join(doc.words) + SEP).lower()
