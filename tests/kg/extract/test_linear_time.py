"""Extraction never hangs nor raises, whatever the text; the fast paths give what the plain ones give.

The adversarial texts below took minutes to hours before the patterns were made linear (a
16,000-character word: 203 s in ``find_citations`` alone). There is no timing assertion: a
regression shows as a suite that does not finish. The equivalence tests compare each shortcut
(keyword scan, sentence spans, tokenizing long runs in pieces) with the plain computation it
replaces, on real sentences.
"""

from __future__ import annotations

import re

import pytest
import spacy

from kg.extract import _make_doc, extract, make_nlp
from kg.extract import component as C
from kg.extract.patterns import _REPO_URL, _repo_urls, find_acronyms, find_citations, find_repositories
from kg.model import Paper, Source

NLP = make_nlp()
N = 40_000  # characters of each adversarial text

ADVERSARIAL = {
    "long word": "a" * N,
    "long capitalised word": "Ab" * (N // 2) + " (2020)",
    "capitals": "A" * N + " (2020)",
    "digits": "1" * N,
    "punctuation": ".,;" * (N // 3),
    "open brackets": "(" * N,
    "repeated et al": "Smith et al. " * (N // 13) + "(2020)",
    "apostrophes": "a'" * (N // 2) + " (2020)",
    "hyphens": "A-" * (N // 2) + " dataset",
    "dotted capitals": "A." * (N // 2) + " dataset",
    "names and commas": "Smith, " * (N // 7) + "(2020)",
    "spaces": "We propose" + " " * N + "X (2020)",
    "latex accents": '\\"a' * (N // 3) + " (2020)",
    "particles": "van " * (N // 4) + "(2020)",
    "dataset lists": "datasets (" * (N // 10),
    "experiments": "experiments on " * (N // 15),
    "one url": "https://github.com/a/" + "b" * N,
    "one character": "x" * N,
    # every token a gazetteer name: one phrase match per token (the matches of the tokens
    # without a Doc are counted in one pass, not each from the start)
    "known names": "BERT on ImageNet. " * (N // 18),
}


def paper(abstract: str, title: str = "A Study") -> Paper:
    return Paper(title=title, abstract=abstract, source=Source("t.txt", 1), format="test")


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_text_finishes_with_sane_results(name):
    text = ADVERSARIAL[name]
    cites = list(find_citations(text))
    list(find_acronyms(text))
    repos = list(find_repositories(text))
    out = next(extract([paper(text)], nlp=NLP))
    for m in out.mentions:
        assert m.text and m.evidence and m.text in m.evidence
    for c in out.citations:
        assert c.surnames and c.year == 2020
    if name == "repeated et al":
        assert [c.surnames for c in cites] == [("Smith",)]
    if name == "known names":
        assert {(m.label, m.name) for m in out.mentions} == {("Method", "BERT"), ("Dataset", "ImageNet")}
    if name == "one url":
        assert [r.name for r in repos] == ["a/" + "b" * N]
    if name in ("long word", "digits", "punctuation", "open brackets", "one character"):
        assert out.mentions == () and out.citations == ()


def test_adversarial_text_grows_without_failing():
    # the same texts twice as long: still no error (and the suite still finishes)
    for text in (ADVERSARIAL["punctuation"] * 2, ADVERSARIAL["names and commas"] * 2):
        next(extract([paper(text)], nlp=NLP))


def test_huge_abstract_with_surrogates_is_cut_at_sentences():
    nlp = make_nlp()
    nlp.max_length = 100_000  # spaCy's default is 1,000,000: the same cut, ten times cheaper
    sentence = "We train ResNet on MNIST (He et al., 2016) with \ud800 Adam. "
    big = sentence * (330_000 // len(sentence)) + "See https://github.com/x/y."
    assert len(big) > 3 * nlp.max_length
    out = next(extract([paper(big, title="Odd \udfff title")], nlp=nlp))
    assert [m.name for m in out.mentions] == ["ResNet", "MNIST", "Adam", "x/y"]
    assert [(c.surnames, c.year) for c in out.citations] == [(("He",), 2016)]
    assert "\ufffd" in out.mentions[0].evidence


# ----------------------------------------------------------------- shortcuts = plain computation

SENTENCES = [
    "We propose FooNet, a convolutional architecture. We release BarQA, a benchmark of questions.",
    "Experiments on LFW, LFW BLUFR and MegaFace show gains on Hollywood; the datasets Cora and Pubmed.",
    "We evaluate on the Eterna100 benchmark, on cifar-10 and on the ToyCorp dataset (Smith, 2020).",
    "This paper introduces the AnnoPage Dataset. Here we present a method called Bitween. "
    "State-of-the-art results on ImageNet (Deng et al., 2009) and the 8-Calves Image dataset.",
    "WE PROPOSE X. we  also   introduce Y! Test collection TREC-8 and benchmarks such as GLUE, SQuAD",
    "Trained on C4 and fine-tuned on the GLUE benchmark datasets, pre-trained  models outperform it.",
    "DeepSeek's Wang et al. (2024) and (Stage 1) or (2023). Code: https://GitHub.com/a/b.git and "
    "https://www.gitlab.com/g/p/-/tree/x; see github.com/c/d.",
    "Straße İstanbul ſtate of the art \u212a dataset: evaluated on KITTI.",  # letters re.I treats apart
    "We compare our model with Chronos, TimesFM and Lag-Llama; it outperforms strong baselines such as "
    "DeepAR. Gains over strong baselines including N-BEATS; Compared   to the ARIMA model, over it.",
    "we use the Nyström approximation, a Metropolis sampler and the Gauss-Newton method; Kalman filters, "
    "an Euler methods. Unlike the Gauss\u2013Seidel iteration, a Fourier transformers; the Adam Optimizer; "
    "(Newton method), x-Newton method, a Newton Raphson method, the Lanczos  method, then Arnoldi method",
    "Ein Satz。 Noch einer！ Fin. 終わり？ Ende",
    "four MODELS (Foo, Bar), baselines such as BazNet; LLMs, e.g., QuxLM, methods(i.e. A1) algorithms,like Z",
    "Our final model S4D; our method, FooNet; OUR  approach X, ourselves, four models (e.g., Y)",
    "",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_keyword_scan_finds_what_finditer_finds(text):
    scan = C._Scan(text)
    for rx, group in ((C._INTRO, "intro"), (C._NAMED, "named"), (C._DATASET_LIST, "list"),
                      (C._DATASET_APPOSITION, "list"), (C._EXPERIMENT_ON, "experiment")):
        assert [m.span() for m in scan.finditer(rx, group)] == [m.span() for m in rx.finditer(text)]
    assert [m.span() for m in scan.dataset_names()] == [m.span() for m in C._DATASET_NAME.finditer(text)]
    assert [m.span() for m in scan.finditer(C._COMPARED_WITH, "compared")] == [
        m.span() for m in C._COMPARED_WITH.finditer(text)]
    assert [m.span() for m in scan.finditer(C._METHODS_LISTED, "methods_listed")] == [
        m.span() for m in C._METHODS_LISTED.finditer(text)]
    assert [m.span() for m in scan.techniques()] == [m.span() for m in C._NAMED_TECHNIQUE.finditer(text)]
    assert [m.span() for m in _repo_urls(text)] == [m.span() for m in _REPO_URL.finditer(text)]


SENTENCIZER = spacy.blank("en")
SENTENCIZER.add_pipe("sentencizer")


@pytest.mark.parametrize("text", [*SENTENCES, "Hi. (Yes!) It works... ok? ", "a.\n\nB", "? ? !"])
def test_sentence_spans_are_the_sentencizers(text):
    nlp = SENTENCIZER
    doc = nlp(text)
    expected = [(s.start_char, s.end_char) for s in doc.sents] if len(doc) else []
    assert (C.sentencizer_spans(nlp.make_doc(text)) if len(doc) else []) == expected


def test_rules_only_pipeline_gives_what_the_full_pipeline_gives():
    papers = [paper(t, title=f"Title {i}: A Study") for i, t in enumerate(SENTENCES)]
    fast = list(extract(papers, nlp=NLP))
    nlp = make_nlp()
    nlp.get_pipe("sentencizer").punct_chars = set(nlp.get_pipe("sentencizer").punct_chars) | {"\u2042"}
    slow = list(extract(papers, nlp=nlp))  # not the default sentencizer: runs through nlp.pipe
    assert fast == slow


def test_long_runs_keep_the_text_and_short_runs_the_tokens():
    text = "Code (x) at https://github.com/a/b " + "((" * 300 + " and " + "Q" * 450 + ".\n\nEnd."
    doc = _make_doc(NLP, text)
    assert doc.text == text
    short = "Code (x) at https://github.com/a/b and ResNet-50.\n\nEnd."
    assert [t.text for t in _make_doc(NLP, short)] == [t.text for t in NLP.make_doc(short)]


@pytest.mark.parametrize("raw", ["Stanford Online (SOP", "A (b) (c)  ", "A (b) c", "((((x", "x)", "a) b)"])
def test_trailing_bracket_strip_is_the_regex(raw):
    assert C._strip_trailing_paren(raw) == re.sub(r"\s*\([^)]*\)?\s*$", "", raw)


def test_component_leaves_the_tokenizer_cache_empty():
    """The component tokenizes the gazetteer's phrases for its matchers; it then empties the
    tokenizer's cache (with the phrases cached, spaCy caches fewer of the abstracts' words).
    Seen through the suffix pattern: a word in the cache is not split again."""
    calls = []

    def counting(nlp):
        search = nlp.tokenizer.suffix_search

        def suffix_search(text):
            calls.append(text)
            return search(text)

        nlp.tokenizer.suffix_search = suffix_search
        return nlp

    from kg.extract import blank_nlp

    text = "we train resnet-50 and bert on imagenet, cifar-10 and squad."
    bare = counting(blank_nlp())
    calls[:] = []
    tokens = [t.text for t in bare.tokenizer(text)]
    expected, calls[:] = len(calls), []
    ours = counting(blank_nlp())
    ours.add_pipe("kg_entities")
    calls[:] = []
    assert [t.text for t in ours.tokenizer(text)] == tokens
    assert len(calls) == expected > 0
