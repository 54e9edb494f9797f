"""kg's trained entity recogniser: loading the shipped pipeline and reading its spans as names.

The model (``kg/extract/model/pipeline``, made by :mod:`kg.extract.train`) tags each token
``B-``/``I-`` Method, Dataset, Task or Metric, or ``O``. It runs before ``kg_entities``, which
merges its spans with the rules and the gazetteer in one place (:func:`model_candidates`):

* the rules win: a span the gazetteer, an acronym or a pattern already explains adds nothing;
* a Method or Dataset span must read as a *name*, not a description: a word shaped like a
  name (``TimesFM``, ``S4D``, ``GAP-20``), a capitalised word inside the sentence
  (``Nyström approximation``, ``Chronos``), never a generic phrase ("our approach") nor a
  known task;
* a Task span is a short noun phrase (at most five words), a Metric span at most four words.

>>> nlp = load_model()
>>> nlp.pipe_names
['entity_tagger']
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ExtractionError

__all__ = ["MODEL_NAME", "MODEL_PATH", "SHIPPED", "bio_spans", "load_model", "model_candidates"]

#: the value of ``model=`` that selects the shipped model (``kg build`` uses it by default)
SHIPPED = "kg"
#: the name recorded in each mention's ``origin`` (``model:kg-ner``)
MODEL_NAME = "kg-ner"
MODEL_PATH = Path(__file__).resolve().parent / "model" / "pipeline"

_LEAD = re.compile(r"^(?:(?:a|an|the|our|their|its|this|these|those|both|each|all|new|novel|proposed)\s+)+",
                   re.I)
_TRAIL_DATASET = re.compile(r"\s+(?:data ?sets?|benchmarks?|corpus|corpora|databases?|collections?)$", re.I)
_BAD_CHARS = re.compile(r"[=<>{}\[\]|@$#\\\"]|\d\s*%|^\W|[,;:(]$")
_TASK_BAD = re.compile(r"\d|[A-Z]{2}|[()/:;,=%]")


def bio_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """``(start token, end token, label)`` of the entities of a doc tagged BIO by the model.

    An ``I-`` tag that does not continue an entity of its label starts one.

    >>> doc = spacy.blank("en")("we use Big Net on Foo")
    >>> for t, tag in zip(doc, ["O", "O", "B-Method", "I-Method", "O", "I-Dataset"]):
    ...     t.tag_ = tag
    >>> bio_spans(doc)
    [(2, 4, 'Method'), (5, 6, 'Dataset')]
    """
    out: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, token in enumerate(doc):
        tag = token.tag_
        if tag.startswith("I-") and label == tag[2:]:
            continue
        if label:
            out.append((start, i, label))
            label = ""
        if tag.startswith(("B-", "I-")):
            start, label = i, tag[2:]
    if label:
        out.append((start, len(doc), label))
    return out


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The shipped pipeline (one ``entity_tagger`` component), loaded once per process."""
    if not (MODEL_PATH / "config.cfg").is_file():
        raise ExtractionError(
            f"the trained model is missing from {MODEL_PATH}; expected it in the installed package "
            "(reinstall kg, or retrain it: python -m kg.extract.train --shared ../shared), "
            "or run without it (kg build --no-model)"
        )
    return spacy.load(MODEL_PATH)


def _sentence_start(doc: Doc, i: int) -> bool:
    """Whether token ``i`` starts a sentence or a line (titles, list items)."""
    if i == 0:
        return True
    prev = doc[i - 1]
    return prev.is_space or "\n" in prev.whitespace_ or prev.text in {".", "!", "?", ":", ";", "\n\n"}


def _reads_as_name(doc: Doc, start: int, end: int, name_shape) -> bool:
    for i in range(start, end):
        word = doc[i].text
        if name_shape(word):
            return True
        if word[:1].isupper() and len(word) > 1 and not _sentence_start(doc, i):
            return True
        if "-" in word and any(p[:1].isupper() for p in word.split("-")[1:]):
            return True  # "Lag-Llama", "k-Means"
    return False


def model_candidates(doc: Doc, *, is_generic, is_task, name_shape, common_acronyms=frozenset(),
                     title_end: int = 0) -> list[tuple[int, str, str]]:
    """``(start char, label, text)`` of the model's spans in ``doc`` that pass the name checks.

    The checks are passed in (``is_generic``, ``is_task``, ``name_shape`` from the rules) so
    that both sides judge names the same way. In the title (its first ``title_end``
    characters), where every word is capitalised, a name needs a word shaped like one.
    """
    if not doc.has_annotation("TAG"):
        return []
    out: list[tuple[int, str, str]] = []
    for start, end, label in bio_spans(doc):
        span = doc[start:end]
        text = span.text.strip()
        lead = _LEAD.match(text)
        if lead:
            text = text[lead.end():]
            while start < end and span.start_char + lead.end() > doc[start].idx:
                start += 1
        if not text or _BAD_CHARS.search(text) or "\n" in text or sum(c.isalpha() for c in text) < 2:
            continue
        start_char = doc[start].idx if start < end else span.start_char
        words = text.split()
        if label in ("Method", "Dataset"):
            if label == "Dataset":
                bare = _TRAIL_DATASET.sub("", text)
                if bare != text and bare:
                    text, words = bare, bare.split()
            if len(words) > 6 or is_generic(text) or is_task(text):
                continue
            if all(w in common_acronyms for w in words):
                continue
            in_title = start_char < title_end
            if in_title and not any(name_shape(w) for w in words):
                continue
            if not _reads_as_name(doc, start, start + len(words), name_shape):
                continue
        elif label == "Task":
            if len(words) > 5 or is_generic(text) or _TASK_BAD.search(text):
                continue
        elif label == "Metric":
            if len(words) > 4 or is_generic(text):
                continue
        else:
            continue
        out.append((start_char, label, text))
    return out
