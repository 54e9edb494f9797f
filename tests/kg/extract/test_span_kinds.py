"""The model's spans that name an organisation, a device or an
assessed task are not Methods, and well-known names of the gazetteer; sentences written for
these tests."""

from __future__ import annotations

from kg.extract import extract, make_nlp
from kg.model import Paper, Source
from tests.kg.extract.model_docs import cands, tagged

RULES = make_nlp()


def _methods(abstract: str) -> set[str]:
    p = Paper(title="A Study", abstract=abstract, source=Source("t.txt", 1), format="test")
    return {m.name for m in next(extract([p], nlp=RULES)).mentions if m.label == "Method"}


def test_a_school_is_an_organisation_not_a_method():
    doc = tagged("Notes from Quarnby Medical School train QuarnbyNet Fusion .",
                 ["O", "O", "B-Method", "I-Method", "I-Method", "O", "B-Method", "I-Method", "O"])
    assert cands(doc) == [("Method", "QuarnbyNet Fusion")]
    # look-alike: a capitalised name of another head stays
    doc = tagged("Notes from Quarnby Medical Schooling train models .",
                 ["O", "O", "B-Method", "I-Method", "I-Method", "O", "O", "O"])
    assert cands(doc) == [("Method", "Quarnby Medical Schooling")]


def test_a_device_at_the_end_of_a_span_is_hardware():
    doc = tagged("We image scenes with a Handheld LiDAR and ZentroxVO LiDAR odometry .",
                 ["O", "O", "O", "O", "O", "B-Method", "I-Method", "O", "B-Method", "O", "O", "O"])
    # "Handheld LiDAR" is a device; a name before the word "LiDAR" (a method's qualifier) stays
    assert cands(doc) == [("Method", "ZentroxVO")]


def test_an_assessment_span_is_a_task():
    doc = tagged("We test it on Flood Assessment and with Flood Assessor .",
                 ["O", "O", "O", "O", "B-Method", "I-Method", "O", "O", "B-Method", "I-Method", "O"])
    assert cands(doc) == [("Method", "Flood Assessor")]


def test_well_known_names_of_the_gazetteer():
    found = _methods("We compare Claude Code with a Mean Teacher baseline and affinity propagation "
                     "clustering, then apply deep unfolding and point-based value iteration.")
    assert {"Claude Code", "Mean Teacher", "Affinity Propagation", "Deep Unfolding",
            "Point-Based Value Iteration"} <= found
    assert "Claude" not in found  # the longer product name wins
    # look-alikes: "mean teacher" as plain words (not a name written with capitals) stays out
    found = _methods("The mean teacher rating rose; the claude code of the archive was unread.")
    assert not {"Mean Teacher", "Claude Code"} & found


def test_o_series_3d_cnn_and_case_variants():
    found = _methods("We prompt o3-mini and o4-mini, train 3D CNNs, fine-tune RoBerta and BioBert "
                     "and assign queries by Hungarian matching.")
    assert {"o3-mini", "o4-mini", "3D CNN", "RoBERTa", "BioBERT", "Hungarian Algorithm"} <= found
    assert "Convolutional Neural Network" not in found  # the 3D network is its own entry
    # look-alikes: a plain CNN stays a CNN; a person's name and an ozone formula are no models
    found = _methods("Roberta trained a CNN while O3 levels and the o3 channel were logged.")
    assert found == {"Convolutional Neural Network"}


def test_what_a_benchmark_is_based_on_is_data():
    doc = tagged("We release Florpix , a puzzle benchmark based on ZENTRAX .",
                 ["O", "O", "B-Method", "O", "O", "O", "O", "O", "O", "B-Method", "O"])
    assert ("Dataset", "ZENTRAX") in cands(doc)
    # look-alike: what a model is based on stays a method
    doc = tagged("We release Florpix , a puzzle solver based on ZENTRAX .",
                 ["O", "O", "B-Method", "O", "O", "O", "O", "O", "O", "B-Method", "O"])
    assert ("Method", "ZENTRAX") in cands(doc)


def test_a_part_of_a_long_form_after_its_acronym_is_not_a_method():
    text = "We build PANGOLIN - Patch-based Alignment for Noisy Graph Learning , a corpus ."
    doc = tagged(text, ["O", "O", "O", "O", "O", "O", "O", "O", "O", "B-Method", "I-Method",
                        "I-Method", "O", "O", "O", "O"])
    assert cands(doc) == []
    doc = tagged("We build PANGOLIN: Patch Alignment for Noisy Graph Learning .",
                 ["O", "O", "O", "O", "O", "O", "O", "B-Method", "I-Method", "I-Method", "O"])
    assert cands(doc) == []
    # look-alikes: a name after a dash that does not spell out the acronym, and after a plain word
    doc = tagged("We build PANGOLIN - Simple Alignment for Noisy Graph Learning .",
                 ["O", "O", "O", "O", "O", "O", "O", "B-Method", "I-Method", "I-Method", "O"])
    assert cands(doc) == [("Method", "Noisy Graph Learning")]
    doc = tagged("We compare Quorvex and Noisy Graph Learning .",
                 ["O", "O", "B-Method", "O", "B-Method", "I-Method", "I-Method", "O"])
    assert ("Method", "Noisy Graph Learning") in cands(doc)
