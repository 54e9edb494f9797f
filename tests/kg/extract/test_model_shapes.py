"""Shapes of the model's Method and Dataset spans that are not names (kg.extract.ner._check)."""

from __future__ import annotations

from tests.kg.extract.model_docs import cands, tagged


def test_a_plain_lowercase_word_does_not_open_a_name():
    doc = tagged("We train a multimodal QuibbleNet and a ZenTrox Fusion on noisy Florp data .",
                 ["O", "O", "O", "B-Method", "I-Method", "O", "O", "B-Method", "I-Method", "O", "O",
                  "B-Dataset", "I-Dataset", "O"])
    # an adjective before a name ("multimodal QuibbleNet") is not the name; a name of
    # capitalised words stays
    assert cands(doc) == [("Method", "ZenTrox Fusion")]


def test_an_acronym_in_the_plural_names_a_kind():
    doc = tagged("Recent GLXMs fail where ZENTROX succeeds .",
                 ["O", "B-Method", "O", "O", "B-Method", "O", "O"])
    # "GLXMs": many models of a kind; "ZENTROX" one method
    assert cands(doc) == [("Method", "ZENTROX")]


def test_a_metric_at_a_cut_off_is_not_a_method():
    doc = tagged("ZenTrox gains 3.1 points of mAP50 and of Rank-1 .",
                 ["B-Method", "O", "O", "O", "O", "B-Method", "O", "O", "B-Method", "O"])
    assert cands(doc) == [("Method", "ZenTrox")]


def test_the_end_of_a_name_its_bracketed_acronym_abbreviates_is_cut():
    doc = tagged("We propose Quibble with Sparse Fusion (QWSF-Net) and Gated Florp Mixing (GFM).",
                 ["O", "O", "O", "O", "B-Method", "I-Method", "O", "O", "O", "O", "O", "O",
                  "B-Method", "I-Method", "I-Method", "O", "O", "O", "O"])
    # "Sparse Fusion" is the end of "Quibble with Sparse Fusion" (QWSF starts with the Q of
    # "Quibble"); "Gated Florp Mixing" is all of its acronym's name
    assert cands(doc) == [("Method", "Gated Florp Mixing")]


def test_plain_words_after_a_capitalised_compound_are_the_end_of_a_name():
    doc = tagged("A Florp-based Quibble Sparse Mixer and a Florp-based ZenTrox Mixer.",
                 ["O", "O", "O", "O", "B-Method", "I-Method", "I-Method", "O", "O", "O", "O", "O",
                  "B-Method", "I-Method", "O"])
    # "Quibble Sparse Mixer" goes on over "Florp-based": the model read the end of the name;
    # a name shaped as one ("ZenTrox") after a compound that describes it stays
    assert cands(doc) == [("Method", "ZenTrox Mixer")]
