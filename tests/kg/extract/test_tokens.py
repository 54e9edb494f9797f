"""The tokens without a Doc (kg.extract.tokens) are spaCy's, and the rules read them as a Doc.

Each check compares with the real thing: the pipeline's own tokenizer (``nlp.make_doc``), its
``PhraseMatcher`` s, the sentencizer's spans and :meth:`KgEntities.find` on a real ``Doc``, on
hand-written texts full of the tokenizer's special cases and on real arXiv abstracts.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest
from kg.loaders import load
from spacy.matcher import PhraseMatcher

from kg.extract import _texts, extract, make_nlp
from kg.extract.component import sentencizer_spans
from kg.extract.names import longer_name
from kg.extract.tokens import (
    LiteDoc,
    PhraseIndex,
    TokenCache,
    _quick_infix,
    _quick_prefix,
    _quick_suffix,
    _splitter,
    joined_tokens,
)
from kg.model import Paper, Source

NLP = make_nlp()
COMPONENT = NLP.get_pipe("kg_entities")
CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpora" / "arxiv_75k.jsonl.gz"

TEXTS = [
    "We use ResNet-50 (He et al., 2016) on ImageNet-1K. Then WT10G.",
    "Lag-Llama and Switch Transformer beat GPT-4's baseline; cannot, don't, gonna, 10km, 3GB, U.S., e.g.",
    "A title: with a colon\n\nWe propose FooNet!? It (i.e., FooNet) works... ok?",
    "Σ-Net and ΑΣ and İstanbul, naïve café, “quoted” — dashes – and x² (α=0.5), 5%.",
    "Code: https://github.com/a/b.git, see http://x.org/y?z=1. Also (SOTA) [1], {2}.",
    "x",
    "MovieLens 10M, LETOR 2.0 and MIMIC III datasets; BERT-base-uncased vs. bert base.",
    # special cases read across a space by spaCy ("' '" takes the quotes from "''"), which a
    # piece read alone would not: the pieces around such a space are read as one
    "The models' ''human-like'' answers. Our o.O faces :) and : ( ok; it 's a .5 value at 10a.m .",
]


def _same_tokens(text: str, lite: LiteDoc) -> None:
    doc = NLP.make_doc(text)
    assert lite.words == [t.text for t in doc]
    assert lite.offsets() == [t.idx for t in doc]
    for t, lt in zip(doc, lite, strict=True):
        assert (lt.whitespace_, lt.lower_, lt.is_alpha, lt.is_punct, lt.is_space, lt.like_num) == (
            t.whitespace_, t.lower_, t.is_alpha, t.is_punct, t.is_space, t.like_num), t.text
    for a in range(len(doc)):
        for b in range(a + 1, min(len(doc), a + 4) + 1):
            assert (lite[a:b].start_char, lite[a:b].end_char, lite[a:b].text) == (
                doc[a:b].start_char, doc[a:b].end_char, doc[a:b].text)


@pytest.mark.parametrize("text", TEXTS)
def test_lite_tokens_are_the_tokenizers(text):
    lite = TokenCache(NLP.tokenizer).doc(text)
    assert lite is not None
    _same_tokens(text, lite)
    for i in range(len(lite)):
        assert lite.index_at(lite.idx(i)) == i
    assert sentencizer_spans(lite, text) == sentencizer_spans(NLP.make_doc(text), text)


@pytest.mark.parametrize("text", ["two  spaces", " leading", "trailing ", "a \nb", "a\n b", "", "tab\t x"])
def test_text_whose_pieces_spacy_cuts_otherwise_is_left_to_spacy(text):
    assert TokenCache(NLP.tokenizer).doc(text) is None
    assert COMPONENT.lite_doc(NLP.tokenizer, text) is None


def test_lite_doc_only_for_its_own_tokenizer_and_without_the_separator():
    assert COMPONENT.lite_doc(make_nlp().tokenizer, "We use BERT.") is None
    assert COMPONENT.lite_doc(NLP.tokenizer, "We use \x00BERT.") is None
    assert COMPONENT.lite_doc(NLP.tokenizer, "We use BERT.") is not None


def test_a_special_case_across_a_space_gives_spacys_tokens_in_texts_and_in_batches():
    text = "The models' ''human-like'' answers"
    assert [t.text for t in NLP.make_doc(text)][:5] == ["The", "models", "'", "'", "'"]  # not "''"
    cache = TokenCache(NLP.tokenizer)
    # first the pieces alone, in one batch of pieces ("models'" then "''human-like''"), then the text
    assert cache.doc("''human-like'' models'") is not None
    _same_tokens(text, cache.doc(text))
    fresh = TokenCache(NLP.tokenizer)
    _same_tokens(text, fresh.doc(text))


def test_a_full_cache_is_emptied_and_gives_the_same_tokens():
    cache = TokenCache(NLP.tokenizer, limit=5)
    docs = []
    for text in TEXTS[:3] * 2:
        docs.append((text, cache.doc(text)))
        _same_tokens(text, docs[-1][1])
        assert len(cache.words) <= 5 + len(text.split(" "))
    for text, lite in docs:  # a doc made before the cache started anew keeps its tokens
        _same_tokens(text, lite)


#: pieces of every kind the tokenizer's affix rules and special cases meet
PIECES = ["Hamiltonian", "models,", "(ResNet-50),", "state-of-the-art", "don't", "Don't.", "dont", "gonna",
          "e.g.,", "(e.g.", "U.S.", "a.m.)", "10a.m.", "5km.", "10km", "3GB", "$5", "US$5", "C$3", "10%).",
          "1.5x", "http://x.org/a-b", "www.a.com,", "'s", "model's", "models'", "''human-like''", "o'clock",
          "...", "a...b", "--", "x—y", "(((a)))", ".)", "C++", "A/B", "3/4", "a=b", "x^2", "5-10", "-5",
          "+5", "22°C.", "N.Y.", "J.", "Dr.", ":)", "(:", "o.O", "Σ-Net", "x²", "(α=0.5),", "“quoted”",
          "Learning\n\nWe", "a\tb", "LMs. Our",
          "state-of-the-art.", "x......", "Transformers'", "it 's", ": (", "[1],", "{2}.", "İstanbul,",
          "km", "Km."]


def test_quick_affix_searches_answer_as_the_regexes():
    tok = NLP.tokenizer
    quick = [(_quick_prefix(tok.prefix_search), tok.prefix_search),
             (_quick_suffix(tok.suffix_search), tok.suffix_search)]
    assert all(q is not plain for q, plain in quick)  # spaCy's English regexes are read
    infix = _quick_infix(tok.infix_finditer)
    assert infix is not tok.infix_finditer
    words = PIECES + [w[k:] for w in PIECES for k in (1, 2)] + [w[:-k] for w in PIECES for k in (1, 2)]
    words += ["", "a\n"]
    for w in words:
        for q, plain in quick:
            a, b = q(w), plain(w)
            assert (a and a.span()) == (b and b.span()), w
        assert [m.span() for m in infix(w)] == [m.span() for m in tok.infix_finditer(w)], w


def test_splitter_gives_the_tokenizers_tokens_or_leaves_the_piece_to_it():
    split = _splitter(NLP.tokenizer)
    left = 0
    for w in PIECES + list(NLP.tokenizer.rules)[:400]:
        got = split(w)
        if got is None:
            left += 1
            continue
        doc = NLP.make_doc(w)
        assert got == (tuple(t.text for t in doc), tuple(t.idx for t in doc)), w
    assert split("don't") is None and split("''human-like''") is None  # special cases
    assert left < len(PIECES) + 400  # most are read here


def test_phrase_index_finds_what_the_phrase_matcher_finds():
    # overlapping phrases, one phrase under two keys, a key in two matchers' senses
    matcher = PhraseMatcher(NLP.vocab, attr="LOWER")
    phrases = {"A": ["resnet", "resnet-50", "resnet - 50 model"], "B": ["resnet-50", "σ-net", "imagenet-1"],
               "C": ["50 model", "k"]}
    docs = []
    for key, texts in phrases.items():
        got = list(NLP.tokenizer.pipe(texts))
        matcher.add(key, got)
        docs.extend(got)
    index = PhraseIndex(matcher, docs, lower=True)
    exact = PhraseMatcher(NLP.vocab, attr="ORTH")
    exact_docs = list(NLP.tokenizer.pipe(["ResNet-50", "Σ-Net", "ImageNet-1K"]))
    exact.add("E", exact_docs)
    exact_index = PhraseIndex(exact, exact_docs, lower=False)
    for text in ["ResNet-50 model and RESNET - 50 model, resnet-50.",
                 "Σ-Net, ΑΣ-NET and σ-net; ImageNet-1K."]:
        lite = TokenCache(NLP.tokenizer).doc(text)
        doc = NLP.make_doc(text)
        assert index(lite, joined_tokens(lite, lower=True)) == matcher(doc)
        assert exact_index(lite, joined_tokens(lite, lower=False)) == exact(doc)
        assert matcher(doc)  # the texts do hold matches


def _abstract_texts(n: int) -> list[tuple[str, int]]:
    papers = [r for r in islice(load(CORPUS), n) if isinstance(r, Paper)]
    return [(text, title_end) for text, title_end, _ctx in _texts(NLP, papers)]


@pytest.mark.skipif(not CORPUS.exists(), reason="needs ../shared/corpora")
def test_rules_read_the_same_on_lite_docs_as_on_docs_of_real_abstracts():
    texts = _abstract_texts(300)
    assert len(texts) == 300
    found = 0
    for text, title_end in texts:
        lite = COMPONENT.lite_doc(NLP.tokenizer, text)
        assert lite is not None
        doc = NLP.make_doc(text)
        if found < 2000:
            _same_tokens(text, lite)
        assert COMPONENT.lite_lower(lite, joined_tokens(lite, lower=True)) == COMPONENT.matcher_lower(doc)
        assert COMPONENT.lite_exact(lite, joined_tokens(lite, lower=False)) == COMPONENT.matcher_exact(doc)
        for _m, s, e in COMPONENT.matcher_lower(doc):
            assert longer_name(lite, s, e) == longer_name(doc, s, e)
        assert sentencizer_spans(lite, text) == sentencizer_spans(doc, text)
        got = COMPONENT.find(lite, text, title_end, split=False, tags=False)
        assert got == COMPONENT.find(doc, text, title_end, split=False, tags=False)
        found += len(got[0])
    assert found > 300  # real abstracts: the rules found things to compare


def test_extract_with_odd_white_space_falls_back_to_spacy():
    paper = Paper(title="FooNet:  a  model", abstract="We use BERT  on\t ImageNet (Deng et al., 2009).",
                  source=Source("a.txt", 1), format="demo")
    out = next(extract([paper], model=None))
    assert {(m.label, m.name) for m in out.mentions} >= {("Method", "BERT"), ("Dataset", "ImageNet")}
    assert [c.surnames for c in out.citations] == [("Deng",)]


def test_without_the_regex_parser_the_plain_searches_give_the_same_tokens(monkeypatch):
    # the quick affix searches read spaCy's regexes through re._parser, a private module of the
    # standard library: a Python without it falls back to the tokenizer's own searches
    import subprocess
    import sys

    import kg.extract.tokens as tokens

    # the module imports on a Python without re._parser (the import is what would fail there)
    code = ("import sys; sys.modules['re._parser'] = None\n"
            "import kg.extract.tokens as t, spacy\n"
            "assert t.sre is None\n"
            "tok = spacy.blank('en').tokenizer\n"
            "assert [w.text for w in t.TokenCache(tok).doc('ResNet-50 (He et al.) works.')] == "
            "[w.text for w in tok('ResNet-50 (He et al.) works.')]\n")
    subprocess.run([sys.executable, "-c", code], check=True)
    cached = (_quick_suffix, _quick_prefix, _quick_infix, _splitter)
    for f in cached:
        f.cache_clear()
    monkeypatch.setattr(tokens, "sre", None)
    try:
        tok = NLP.tokenizer
        assert _quick_suffix(tok.suffix_search) is tok.suffix_search
        assert _quick_prefix(tok.prefix_search) is tok.prefix_search
        assert _quick_infix(tok.infix_finditer) is tok.infix_finditer
        cache = TokenCache(tok)
        assert cache.split is None
        for text in TEXTS:
            lite = cache.doc(text)
            assert lite is not None
            _same_tokens(text, lite)
    finally:
        for f in cached:  # the other tests get the quick searches again
            f.cache_clear()
