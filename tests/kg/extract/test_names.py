"""Tests of kg.extract.names: a known name inside a longer one."""

from __future__ import annotations

import spacy

from kg.extract import extract
from kg.extract.names import longer_name
from kg.model import Paper, Source


def _methods(abstract: str) -> list[str]:
    (paper,) = extract([Paper(title="A study", abstract=abstract, source=Source("t.txt", 1), format="x")],
                       model=None)
    return sorted(m.name for m in paper.mentions if m.label == "Method")


def test_a_name_before_a_known_one_begins_at_its_hyphenated_word():
    nlp = spacy.blank("en")
    doc = nlp("We train Oracle-Informed SFT baselines.")
    sft = next(t.i for t in doc if t.text == "SFT")
    assert longer_name(doc, sft, sft + 1) == (9, "Oracle-Informed SFT")
    assert _methods("We propose Deception-Aware GRPO, a variant for safe agents.") == ["Deception-Aware GRPO"]
    assert _methods("We train Oracle-Informed SFT baselines.") == ["Oracle-Informed SFT"]


def test_a_known_name_after_a_plain_word_or_a_use_suffix_stays_itself():
    # look-alikes: a capitalised word with no hyphen still makes the longer name; a hyphenated
    # word that only says how the name is used is no part of a name
    assert _methods("We compare with a Switch Transformer on long inputs.") == ["Switch Transformer"]
    assert "Transformer" in _methods("Our LLM-based Transformer is small.")
    nlp = spacy.blank("en")
    doc = nlp("The model uses GRPO-based training.")
    grpo = next(t.i for t in doc if t.text == "GRPO")
    assert longer_name(doc, grpo, grpo + 1) is None


def test_in_a_title_a_known_name_after_a_hyphenated_modifier_is_still_linked():
    # a title describes ("A Molecular-Auxiliary CLIP Framework" is built on CLIP); only a name
    # hyphen-joined to the known one ("Lag-Llama") is another model there
    (paper,) = extract([Paper(title="MolX: A Molecular-Auxiliary CLIP Framework for Drug Screening",
                              abstract="We screen drugs with cell videos.", source=Source("t.txt", 1),
                              format="x")], model=None)
    assert "CLIP" in [m.name for m in paper.mentions if m.label == "Method"]
