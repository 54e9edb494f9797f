"""Extraction: methods, datasets, tasks, metrics, code repositories, citations and acronyms.

A spaCy pipeline (:func:`make_nlp`: ``spacy.blank("en")`` + ``sentencizer`` + our component
``kg_entities``, and with ``model="kg"`` kg's trained ``entity_tagger`` before it) runs over
the title and abstract of each paper; :func:`extract` returns each paper with its
:class:`~kg.model.Mention` and :class:`~kg.model.Citation` records added, each pointing at
the line of its file that holds its sentence. :func:`extract` uses the shipped model unless
told ``model=None`` (rules and gazetteer only).

>>> from kg.model import Paper, Source
>>> paper = Paper(
...     title="FAdam: Adam is a natural gradient optimizer",
...     abstract="We test FAdam on ImageNet (Deng et al., 2009). Code: https://github.com/a/fadam.",
...     source=Source("demo.txt", 3), format="demo")
>>> out = next(extract([paper], model=None))
>>> [(m.label, m.name, m.introduces) for m in out.mentions]  # doctest: +NORMALIZE_WHITESPACE
[('Method', 'FAdam', True), ('Method', 'Adam', False), ('Method', 'Natural Gradient', False),
 ('Dataset', 'ImageNet', False), ('Repository', 'a/fadam', False)]
>>> [(c.surnames, c.year, str(c.source)) for c in out.citations]
[(('Deng',), 2009, 'demo.txt:3')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import fields
from functools import cache, lru_cache

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer, Tagger
from spacy.tokens import Doc
from spacy.util import minibatch

from kg.errors import ExtractionError
from kg.extract import component as _component  # noqa: F401  (registers "kg_entities")
from kg.extract.ner import MODEL_NAME, SHIPPED, load_model, tag_docs
from kg.extract.patterns import clean_text
from kg.model import Citation, Mention, Paper, Source
from kg.text import strip_font_commands

__all__ = ["SHIPPED", "blank_nlp", "extract", "make_nlp"]

COMPONENT = "kg_entities"


def blank_nlp() -> Language:
    """``spacy.blank("en")`` whose tokenizer also splits a full stop after a digit and a capital
    ("WT10G.", "ImageNet-1K." end a sentence: spaCy keeps the stop on such a token, read as a
    unit, and the name would not match).

    >>> [t.text for t in blank_nlp()("We use ImageNet-1K. Then WT10G.")]
    ['We', 'use', 'ImageNet-1', 'K', '.', 'Then', 'WT10', 'G', '.']
    """
    nlp = spacy.blank("en")
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[0-9][A-Z])\."]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    return nlp


def make_nlp(model: str | None = None) -> Language:
    """The extraction pipeline: blank English, a sentencizer and ``kg_entities`` (the rules).

    ``model="kg"`` (:data:`SHIPPED`) adds kg's trained entity tagger, shipped in the package,
    before the rules: they merge its spans with their own. Any other ``model`` (an installed
    pipeline name such as ``en_core_web_sm``, or a path) is loaded and ``kg_entities`` runs
    after it; its entities may add candidates.

    >>> make_nlp().pipe_names
    ['sentencizer', 'kg_entities']
    >>> make_nlp("kg").pipe_names
    ['sentencizer', 'entity_tagger', 'kg_entities']
    >>> make_nlp("no_such_pipeline")
    Traceback (most recent call last):
    ...
    kg.errors.ExtractionError: cannot load the spaCy pipeline 'no_such_pipeline': ...
    """
    if model is None or model == SHIPPED:
        nlp = blank_nlp()
        nlp.add_pipe("sentencizer")
        if model == SHIPPED:
            nlp.add_pipe("entity_tagger", source=load_model())
        nlp.add_pipe(COMPONENT, config={"model_name": MODEL_NAME if model else None})
        return nlp
    try:
        nlp = spacy.load(model)
    except (OSError, ImportError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ExtractionError(
            f"cannot load the spaCy pipeline {model!r}: {first} - expected the name of an installed "
            "pipeline package (python -m spacy download NAME) or the path of a saved pipeline; "
            "leave it out to use the built-in rules"
        ) from exc
    if not any(nlp.has_pipe(p) for p in ("parser", "senter", "sentencizer")):
        nlp.add_pipe("sentencizer", first=True)
    name = str(model).rstrip("/").rsplit("/", 1)[-1]
    nlp.add_pipe(COMPONENT, last=True, config={"model_name": name})
    return nlp


@lru_cache(maxsize=4)
def _cached_nlp(model: str | None) -> Language:
    return make_nlp(model)


def _chunks(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces under ``limit`` characters, at sentence ends when possible."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind(". ", 0, limit), text.rfind("\n", 0, limit))
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit - 1
        out.append(text[: cut + 1])
        text = text[cut + 1 :]
    out.append(text)
    return out


#: spaCy's tokenizer takes quadratic time on a long run without spaces ("((((...", ".,;.,;...");
#: a run longer than this is tokenized in pieces of this length (no real word is this long)
MAX_RUN = 200
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1}}}\S*+\s*+")


def _long_run(text: str) -> bool:
    """Whether ``text`` holds a run of more than ``MAX_RUN`` characters without white space.

    Such a run covers a whole window of ``MAX_RUN // 2 + 1`` characters starting at a multiple
    of ``MAX_RUN // 2``; only when some window has no space is the text split into its runs.

    >>> _long_run("a b " * 300), _long_run("a " + "x" * 201), _long_run("x" * 200 + "\\n" + "y" * 200)
    (False, True, False)
    """
    step = MAX_RUN // 2
    for m in range(0, len(text) - step, step):
        if text.find(" ", m, m + step + 1) < 0:
            return max(map(len, text.split()), default=0) > MAX_RUN
    return False


def _make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, in linear time: each run of more than ``MAX_RUN`` characters without
    spaces is tokenized in pieces of ``MAX_RUN`` characters. The doc's text is ``text``.

    >>> text = "Hello " + "ab" * 250 + " world."
    >>> doc = _make_doc(make_nlp(), text)
    >>> doc.text == text, [len(t) for t in doc]
    (True, [5, 200, 200, 100, 5, 1])
    """
    if not _long_run(text):
        return nlp.make_doc(text)
    words: list[str] = []
    spaces: list[bool] = []

    def add(piece: str) -> None:
        if piece:
            for t in nlp.make_doc(piece):
                words.append(t.text)
                spaces.append(bool(t.whitespace_))

    pos = 0
    for m in _LONG_RUN.finditer(text):
        add(text[pos : m.start()])
        run = m.group(0)
        for i in range(0, len(run.rstrip()), MAX_RUN):
            # the last piece keeps the spaces after the run, as in the whole text
            add(run[i : i + MAX_RUN] if i + MAX_RUN < len(run.rstrip()) else run[i:])
        pos = m.end()
    add(text[pos:])
    return Doc(nlp.vocab, words=words, spaces=spaces)


#: the text as written and, for each character of the text extracted from (and its end), its
#: offset in the text as written (``None``: the same offset, the two texts have one length)
_Shown = tuple[str, list[int] | None]
#: a line break inside a paragraph: arXiv and many listings wrap abstracts at about 80 columns
_WRAP = re.compile(r"(?<=\S)\n(?=\S)")
#: a publisher's notice closing an abstract ("Copyright © 2000 John Wiley & Sons, Ltd.", "© 2005
#: Elsevier B.V. All rights reserved.", "(PsycInfo Database Record (c) 2020 APA, all rights
#: reserved)"): the publisher's words, not the paper's, so no name is read there (and no
#: evidence sentence runs on into it)
_NOTICE = re.compile(r"(?:\([^()\n]{0,60})?(?:\bCopyright\s*(?:©|\([cC]\))?|©|\([cC]\))\s*(?:19|20)\d\d\b"
                     r"[^\n]{0,200}\Z")


def _cut_notice(text: str) -> str:
    """``text`` without a closing publisher's notice (:data:`_NOTICE`; the offsets of the rest
    stay, as it closes the text).

    >>> _cut_notice("We screen for risk. Copyright © 2000 John Wiley & Sons, Ltd.")
    'We screen for risk.'
    >>> _cut_notice("Diffusion models raise new copyright concerns in 2024 art.")
    'Diffusion models raise new copyright concerns in 2024 art.'
    """
    if "©" not in text and "opyright" not in text and "(c)" not in text and "(C)" not in text:
        return text
    m = _NOTICE.search(text, max(0, len(text) - 300))
    return text if m is None else text[:m.start()].rstrip()


#: Markdown's emphasis around a name or a few words ("we propose *Domain Guidance*, a ...",
#: "**SWE-Flow**"): listings pasted from Markdown keep the asterisks, and a name read with them is
#: "*Domain" (any field's abstracts carry them). A run inside one line that opens before a letter
#: or digit and closes after one (or a bracket), with no asterisk, "$" or line break inside and
#: no word character touching the asterisks outside (not "a*b*c", "x^*", "$f^*$")
_EMPHASIS = re.compile(r"(?<![\w*\\^$])(\*{1,2})(?=[A-Za-z0-9])([^*\n$]{1,100}?)(?<=[\w)])\1(?![\w*])")


def _strip_emphasis(text: str, at: list[int] | None) -> tuple[str, list[int] | None]:
    """``text`` without Markdown's emphasis asterisks (:data:`_EMPHASIS`), and ``at`` (where each
    character of ``text`` and its end is in the text as written; ``None``: the same offsets)
    for the text returned.

    >>> out, at = _strip_emphasis("we propose *Domain Guidance*, and **X-Net**; a*b*c", None)
    >>> out, at[11], at[len(out)]
    ('we propose Domain Guidance, and X-Net; a*b*c', 12, 50)
    >>> _strip_emphasis("2 * 3 * 4 and $x^*$", None)
    ('2 * 3 * 4 and $x^*$', None)
    """
    if "*" not in text:
        return text, at
    out: list[str] = []
    kept: list[int] = []
    pos = 0
    for m in _EMPHASIS.finditer(text):
        out.append(text[pos : m.start()])
        kept.extend(range(pos, m.start()))
        out.append(m.group(2))
        kept.extend(range(m.start(2), m.end(2)))
        pos = m.end()
    if not out:
        return text, at
    out.append(text[pos:])
    kept.extend(range(pos, len(text) + 1))
    return "".join(out), kept if at is None else [at[i] for i in kept]


def _read_as(text: str) -> tuple[str, list[int] | None]:
    """``text`` as extraction reads it, and where its characters are in ``text`` (``None``: at
    the same offsets): without LaTeX's font commands (:func:`kg.text.strip_font_commands`: the
    name of "\\textbf{LinguaMaster}" is LinguaMaster), and with a line break inside a paragraph
    read as the space a reader sees ("Adaptive\\nComputation Pruning (ACP)" is one name).

    >>> read, at = _read_as("we propose Adaptive\\nComputation Pruning.\\n\\nNext \\\\emph{part}.")
    >>> read, at[-6:]
    ('we propose Adaptive Computation Pruning.\\n\\nNext part.', [53, 54, 55, 56, 58, 59])
    """
    read, at = _strip_emphasis(*strip_font_commands(text))
    if "\n" in read:
        read = _WRAP.sub(" ", read)
    return read, at


def _texts(nlp: Language, papers: Iterable[Paper]
           ) -> Iterator[tuple[str, int, tuple[Paper, str, bool, _Locate, _Shown | None]]]:
    """The texts to extract from: each paper's title and abstract (the abstract in pieces when it
    is too long), each with the length of the title it starts with (0 when none) and its paper,
    the paper's cleaned abstract, whether it is the paper's last, the paper's :class:`_Locate`
    (where a sentence of it is) and, when the text to extract from is not the text as written
    (:func:`_read_as`), the text as written and where each character of the other is in it:
    evidence is quoted from the text as written."""
    limit = max(1000, nlp.max_length - 10)
    for paper in papers:
        title = " ".join(clean_text(paper.title).split())
        cleaned = clean_text(paper.abstract)
        abstract = cleaned.strip()
        if len(title) > limit // 2:
            title = title[: limit // 2]
        pieces = _chunks(abstract, limit - len(title) - 2) if abstract else [""]
        where = _Locate(paper, cleaned)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            body, body_at = _read_as(piece)
            if last:
                body = _cut_notice(body)
            if i == 0 and title:
                head, head_at = _strip_emphasis(*strip_font_commands(title))
                if not piece:
                    shown_title = (title, head_at) if head_at is not None else None
                    yield head, len(head), (paper, cleaned, last, where, shown_title)
                    continue
                text = f"{head}\n\n{body}"
                at = None
                if head_at is not None or body_at is not None:
                    at = (head_at or list(range(len(title) + 1)))[:-1] + [len(title), len(title) + 1]
                    at += [len(title) + 2 + j for j in (body_at or range(len(piece) + 1))]
                shown = f"{title}\n\n{piece}"
                yield text, len(head), (paper, cleaned, last, where, (shown, at) if text != shown else None)
            else:
                yield body, 0, (paper, cleaned, last, where, (piece, body_at) if body != piece else None)


def _docs(nlp: Language, papers: Iterable[Paper]) -> Iterator[tuple[Doc, tuple[Paper, str, bool, _Locate]]]:
    """:func:`_texts` as docs for ``nlp.pipe``, the text and the title's length in their extensions."""
    for text, title_end, ctx in _texts(nlp, papers):
        doc = _make_doc(nlp, text)
        if title_end:
            doc._.kg_title_end = title_end
        doc._.kg_text = text
        if ctx[4] is not None:
            doc._.kg_shown = ctx[4]
        yield doc, ctx


def extract(
    papers: Iterable[Paper],
    *,
    model: str | None = SHIPPED,
    nlp: Language | None = None,
    batch_size: int = 64,
    progress: bool = False,
) -> Iterator[Paper]:
    """Each paper with the mentions and citations found in its title and abstract added.

    Streams: papers are read lazily and yielded in order. The loader's own ``mentions`` and
    ``citations`` are kept; within one paper each entity and each cited work appears once,
    with the sentence it first came from as ``evidence`` and the line that holds that sentence
    as ``source``. ``model``: ``"kg"`` (default) the shipped model beside the rules, ``None``
    the rules alone, or another spaCy pipeline; ``nlp`` a pipeline made by :func:`make_nlp`.
    """
    if nlp is None:
        nlp = _cached_nlp(model)
    if not nlp.has_pipe(COMPONENT):
        raise ExtractionError(f"the spaCy pipeline {nlp.pipe_names} has no {COMPONENT!r} component; "
                              "expected one made by kg.extract.make_nlp")
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(desc="extract", unit="paper")
    mentions: list[Mention] = []
    citations: list[Citation] = []
    found: Iterable[tuple[tuple[list[Mention], list[Citation]], tuple[Paper, str, bool, _Locate]]]
    if _rules_only(nlp):
        # the component alone, on each text: it finds the sentencizer's sentences itself, on
        # the text's tokens without a Doc (kg.extract.tokens: the same tokens, from a cache of
        # each distinct piece of text between single spaces)
        component = nlp.get_pipe(COMPONENT)
        found = ((component.find(_rules_doc(nlp, component, text), text, title_end, where=ctx[3],
                                 shown=ctx[4], split=False, tags=False), ctx)
                 for text, title_end, ctx in _texts(nlp, papers))
    elif _shipped_tagger(nlp):
        found = _tagged(nlp, _texts(nlp, papers), batch_size)
    else:
        found = (((doc._.kg_mentions or [], doc._.kg_citations or []), ctx)
                 for doc, ctx in nlp.pipe(_docs(nlp, papers), as_tuples=True, batch_size=batch_size))
    for (doc_mentions, doc_citations), (paper, _abstract, last, where, _shown) in found:
        mentions.extend(doc_mentions)
        citations.extend(doc_citations)
        if not last:
            continue
        yield _merge(paper, mentions, citations, where)
        mentions, citations = [], []
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()


def _rules_doc(nlp: Language, component, text: str):
    """The tokens of ``text`` for the component alone: a :class:`~kg.extract.tokens.LiteDoc`
    when it can be (the same tokens as :func:`_make_doc`), else :func:`_make_doc`'s ``Doc``."""
    doc = None if _long_run(text) else component.lite_doc(nlp.tokenizer, text)
    return doc if doc is not None else _make_doc(nlp, text)


def _rules_only(nlp: Language) -> bool:
    """Whether ``nlp`` is :func:`make_nlp`'s pipeline without a model: a default sentencizer, then us."""
    if nlp.pipe_names != ["sentencizer", COMPONENT]:
        return False
    sentencizer = nlp.get_pipe("sentencizer")
    return set(getattr(sentencizer, "punct_chars", ())) == set(Sentencizer.default_punct_chars)


def _shipped_tagger(nlp: Language) -> bool:
    """Whether ``nlp`` is :func:`make_nlp`'s pipeline with kg's model: a default sentencizer, a
    spaCy tagger, then us."""
    if nlp.pipe_names != ["sentencizer", "entity_tagger", COMPONENT]:
        return False
    sentencizer = nlp.get_pipe("sentencizer")
    return (set(getattr(sentencizer, "punct_chars", ())) == set(Sentencizer.default_punct_chars)
            and isinstance(nlp.get_pipe("entity_tagger"), Tagger))


def _tagged(nlp: Language, items: Iterator[tuple[str, int, tuple]], batch_size: int
            ) -> Iterator[tuple[tuple[list[Mention], list[Citation]], tuple]]:
    """The texts of ``items`` through kg's tagger (``batch_size`` docs at a time) and the component.

    The sentencizer is skipped: the tagger does not read sentences, and the component finds
    them itself from the token arrays, as in the pipeline without a model.
    """
    tagger = nlp.get_pipe("entity_tagger")
    component = nlp.get_pipe(COMPONENT)
    for batch in minibatch(items, size=batch_size):
        docs = tag_docs(tagger, [_make_doc(nlp, text) for text, _title_end, _ctx in batch])
        for doc, (text, title_end, ctx) in zip(docs, batch, strict=True):
            yield component.find(doc, text, title_end, where=ctx[3], shown=ctx[4], split=False), ctx


def _cite_key(c: Citation) -> tuple:
    suffix = re.search(rf"{c.year}([a-z]?)", c.text) if c.year else None
    return (tuple(s.casefold() for s in c.surnames), c.year, c.et_al, suffix.group(1) if suffix else "")


def _line_of(paper: Paper, abstract: str, evidence: str) -> Source:
    """The ``file:line`` of the line that holds ``evidence``: the abstract's own line (plus the
    line breaks before the sentence) when the loader said where the abstract starts and the
    sentence is in it, else the record's line (a title, or a one-record-a-line file).

    >>> p = Paper(title="T", abstract="One.\\nTwo here.", source=Source("a.txt", 4), format="x",
    ...           abstract_line=6)
    >>> str(_line_of(p, p.abstract, "Two here.")), str(_line_of(p, p.abstract, "Elsewhere."))
    ('a.txt:7', 'a.txt:4')
    """
    if paper.abstract_line is None or not evidence:
        return paper.source
    at = abstract.find(evidence)
    if at < 0:
        return paper.source
    return Source(paper.source.file, paper.abstract_line + abstract.count("\n", 0, at))


class _Locate:
    """``_line_of(paper, abstract, evidence)`` for the sentences of one paper, each looked up once.

    >>> p = Paper(title="T", abstract="One.\\nTwo here.", source=Source("a.txt", 4), format="x",
    ...           abstract_line=6)
    >>> str(_Locate(p, p.abstract)("Two here."))
    'a.txt:7'
    """

    __slots__ = ("abstract", "known", "paper")

    def __init__(self, paper: Paper, abstract: str) -> None:
        self.paper = paper
        self.abstract = abstract
        self.known: dict[str, Source] = {}

    def __call__(self, evidence: str) -> Source:
        got = self.known.get(evidence)
        if got is None:
            got = self.known[evidence] = _line_of(self.paper, self.abstract, evidence)
        return got


@cache
def _init_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.init)


def _replace(record, **changes):
    """``dataclasses.replace(record, **changes)`` without looking up the record's fields at each
    call (a paper's mentions are each copied with their source: this is in the inner loop).

    >>> from dataclasses import replace
    >>> m = Mention("Method", "Adam")
    >>> _replace(m, evidence="We use Adam.") == replace(m, evidence="We use Adam.")
    True
    """
    return type(record)(**{n: changes[n] if n in changes else getattr(record, n)
                           for n in _init_fields(type(record))})


def _merge(paper: Paper, mentions: list[Mention], citations: list[Citation], where: _Locate) -> Paper:
    """``paper`` with ``mentions`` and ``citations`` added, each once; each one's ``source`` is the
    line of its evidence (``where``), set here unless the component already set it."""
    seen_m = {(m.label, m.name.casefold()) for m in paper.mentions}
    new_m: list[Mention] = []
    for m in mentions:
        k = (m.label, m.name.casefold())
        if k not in seen_m:
            seen_m.add(k)
            new_m.append(m if m.source is not None else _replace(m, source=where(m.evidence)))
    seen_c = {_cite_key(c) for c in paper.citations if c.surnames}
    new_c: list[Citation] = []
    for c in citations:
        k = _cite_key(c)
        if k not in seen_c:
            seen_c.add(k)
            new_c.append(c if c.source is not None else _replace(c, source=where(c.evidence)))
    if not new_m and not new_c:
        return paper
    return _replace(
        paper,
        mentions=(*paper.mentions, *new_m),
        citations=(*paper.citations, *new_c),
    )
