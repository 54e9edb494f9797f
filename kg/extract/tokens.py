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
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate, chain
from operator import itemgetter

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
        #: each piece's tokens (``None``: a piece that cannot be read alone)
        self.words: dict[str, tuple[str, ...] | None] = {}
        #: each piece's tokens' offsets in the piece
        self.offsets: dict[str, tuple[int, ...]] = {}
        self.hazards = _hazards(tokenizer)

    def _fill(self, pieces: list[str]) -> None:
        """Tokenize the pieces not in the cache yet, in one call of the tokenizer: joined by
        :data:`_BETWEEN`, a run of white space that holds a space (no piece holds one), which
        is a token of its own and which no special case reads across; so each piece's tokens
        are those it has alone."""
        if len(self.words) > self.limit:
            # new tables (the docs made before keep theirs), and a new vocabulary for the strings
            self.words, self.offsets = {}, {}
            self.scratch = _scratch(self.tokenizer)
        words = self.words
        new = [p for p in dict.fromkeys(pieces) if p not in words]
        ok = []
        for piece in new:
            if not piece or piece[0].isspace() or piece[-1].isspace():
                words[piece] = None  # not cut as spaCy cuts it in the text
            else:
                ok.append(piece)
        if not ok:
            return
        batch = _BETWEEN.join(ok)
        rows = self.scratch(batch).to_array([IDX, LENGTH]).tolist()
        first = 0  # the piece's first token
        k = 0
        for i, (at, n) in enumerate(rows):
            if n == len(_BETWEEN) and batch.startswith(_BETWEEN, at):
                self._add(ok[k], batch, rows[first:i])
                k += 1
                first = i + 1
        self._add(ok[k], batch, rows[first:])

    def _add(self, piece: str, text: str, rows: list[list[int]]) -> None:
        """Cache ``piece``'s tokens: ``(offset, length)`` of each, in ``text``."""
        if len(rows) == 1:
            self.words[piece] = (piece,)
            self.offsets[piece] = _AT_START
            return
        at = rows[0][0]
        self.words[piece] = tuple([text[o:o + n] for o, n in rows])
        self.offsets[piece] = tuple([o - at for o, _ in rows])

    def doc(self, text: str) -> LiteDoc | None:
        """The tokens of ``text``, as ``tokenizer(text)`` gives them; ``None`` when the text has
        white space other than single spaces between words at its pieces' ends."""
        pieces = text.split(" ")
        if self.hazards is not None:
            hits = self.hazards[0].find_matches_as_indexes(text)
            if hits:  # a special case may read across these spaces: the pieces around are one
                left = self.hazards[1]
                pieces = _join_at(pieces, [start + left[k] for k, start, _end in hits])
        try:
            toks = list(map(self.words.__getitem__, pieces))
        except KeyError:
            self._fill(pieces)
            toks = list(map(self.words.__getitem__, pieces))
        if None in toks:
            return None
        return LiteDoc(text, pieces, toks, self)


_AT_START = (0,)
#: what joins the pieces tokenized in one call: white space with a space in it, a token of its own
_BETWEEN = "\n "


def _scratch(tokenizer: Tokenizer) -> Tokenizer:
    """A copy of ``tokenizer`` (its rules, affixes and matches: the same tokens) on a vocabulary
    of its own that reads no lexical attributes: a new word costs a string, not the dozen
    functions (shape, number, URL...) that make a lexeme of the pipeline's vocabulary. The
    rules read the lexical flags of a few tokens only, from the pipeline's vocabulary."""
    return Tokenizer(Vocab(), rules=tokenizer.rules, prefix_search=tokenizer.prefix_search,
                     suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                     token_match=tokenizer.token_match, url_match=tokenizer.url_match,
                     faster_heuristics=tokenizer.faster_heuristics)


@lru_cache(maxsize=8)
def _hazards(tokenizer: Tokenizer) -> tuple[ahocorasick_rs.AhoCorasick, list[int]] | None:
    """Where a special case of ``tokenizer`` could read across a space, so that the pieces on
    both sides are not tokenized as each alone: an automaton, and where the space is in each of
    its keys.

    spaCy applies its special cases that hold punctuation ("''", ":)", "e.g.", "a.m.") over the
    whole text, on the tokens before special cases; a sequence of those tokens that spells one
    across a space ("models' ''human": "'" "'" around the space) is no special case, but it
    takes the tokens it covers from one that is ("''"). Such a sequence needs two of the
    special case's tokens on both sides of a space, written so in the text: the automaton has
    every such pair ("' '", "( :", ". O") as a key. :meth:`TokenCache.doc` reads the pieces
    around such a space as one.

    >>> import spacy
    >>> hazards, _ = _hazards(spacy.blank("en").tokenizer)
    >>> [bool(hazards.find_matches_as_indexes(t)) for t in ("models' ''human-like", "We (i.e. us) win.")]
    [True, False]
    """
    plain = Tokenizer(tokenizer.vocab, rules={}, prefix_search=tokenizer.prefix_search,
                      suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                      token_match=tokenizer.token_match, url_match=tokenizer.url_match)
    pairs: dict[str, int] = {}
    for rule in tokenizer.rules or {}:
        words = [t.text for t in plain(rule)]
        for a, b in zip(words, words[1:], strict=False):
            pairs[f"{a} {b}"] = len(a)
    if not pairs:
        return None
    keys = sorted(pairs)
    return ahocorasick_rs.AhoCorasick(keys), [pairs[k] for k in keys]


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
