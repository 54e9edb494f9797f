"""Docs tagged by hand as kg's trained model tags them, and the names its checks keep from them
(shared by test_model.py and test_model_shapes.py)."""

from __future__ import annotations

import spacy

from kg.extract.component import name_shape
from kg.extract.gazetteer import is_generic, is_task
from kg.extract.ner import model_candidates


def tagged(text: str, tags: list[str]):
    """``text`` tokenized as spaCy does, its tokens given ``tags`` (BIO, one per token)."""
    doc = spacy.blank("en")(text)
    assert len(doc) == len(tags), [t.text for t in doc]
    for t, tag in zip(doc, tags, strict=True):
        t.tag_ = tag
    return doc


def tagged_spans(text: str, spans: list[tuple[str, str]]):
    """``text`` tokenized as spaCy does, the tokens of each ``(substring, label)`` tagged B-/I-
    (in order of the text), the others O."""
    doc = spacy.blank("en")(text)
    tags = ["O"] * len(doc)
    pos = 0
    for sub, label in spans:
        start = text.index(sub, pos)
        span = doc.char_span(start, start + len(sub))
        assert span is not None, sub
        for i in range(span.start, span.end):
            tags[i] = ("B-" if i == span.start else "I-") + label
        pos = start + len(sub)
    return tagged(text, tags)


def cands(doc, method_heads=frozenset()):
    """``(label, name)`` of the model's spans in ``doc`` that pass the name checks (with
    ``method_heads``, the rules' method head words, where a check reads them)."""
    return [(label, text) for _, label, text in model_candidates(
        doc, is_generic=is_generic, is_task=is_task, name_shape=name_shape, method_heads=method_heads)]
