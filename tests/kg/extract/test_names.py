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


def test_a_participle_after_a_hyphen_says_how_a_name_is_used():
    assert _methods("We compare an SFT-trained policy with LLM-annotated labels.") == [
        "Large Language Model", "Supervised Fine-Tuning"]
    # look-alike: a name hyphen-joined to a word that is no participle is another model
    assert _methods("We fine-tune Lag-Llama on sales.") == ["Lag-Llama"]


def test_a_model_category_described_by_a_spaced_modifier_stays_the_category():
    found = _methods("We coordinate a Multi-Agent LLM and compare Small-Scale LLMs.")
    assert found == ["Large Language Model"]
    # look-alike: a name joined to the category by a hyphen is a model of its own
    assert _methods("We adapt a Video-LLM to surgery.") == ["Video-LLM"]


def test_model_releases_written_in_their_makers_lower_case():
    assert _methods("We compare gpt-4.1-mini, gpt-5.2 and Gemini 2.5 pro.") == [
        "Gemini 2.5 pro", "gpt-4.1-mini", "gpt-5.2"]
    # look-alikes: a lower-case word after a version that is a technique, and "gpt" with no version
    assert _methods("We run Qwen2.5 flash attention kernels.") == ["FlashAttention", "Qwen2.5"]
    assert _methods("A gpt model writes the summaries.") == []


def test_a_known_model_named_after_a_family_and_dimensions_are_no_names():
    from kg.extract.ner import _QUANTITY

    found = _methods("We screen prompts with Llama Guard before Llama 3 answers.")
    assert found == ["Llama 3", "Llama Guard"]

    assert _QUANTITY.fullmatch("2D/3D") and _QUANTITY.fullmatch("2D to 3D")
    assert not _QUANTITY.fullmatch("D4LA")


def test_a_known_name_used_as_a_modifier_forms_no_longer_name_with_the_word_before():
    # "Benchmarking LLM-based agents": LLM describes the agents; the capitalised word before it
    # is no part of a name
    assert _methods("Benchmarking LLM-based agents is hard.") == ["Large Language Model"]
    # look-alike: a name not used as a modifier still forms the longer name
    assert _methods("We compare a Switch Transformer with others.") == ["Switch Transformer"]
