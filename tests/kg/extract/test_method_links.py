"""Method-link rules of issue 11's second round (meth12), in :mod:`kg.extract` and its gazetteer.
Sentences written for these tests, not taken from any corpus or gold file."""

from __future__ import annotations

import pytest

from kg.extract import extract, make_nlp
from kg.model import Paper, Source


def methods(abstract: str, model: str | None = None, label: str = "Method", title: str = "") -> set[str]:
    paper = Paper(title=title, abstract=abstract, doi="10.0/test", source=Source("t.jsonl", 1), format="json")
    out = next(extract([paper], nlp=make_nlp(model)))
    return {m.name for m in out.mentions if m.label == label}


@pytest.mark.parametrize("model", [None, "kg"])
def test_markdown_emphasis_is_read_as_text(model):
    found = methods("To this end we propose *Tidal Guidance*, a light sampler for image models. "
                    "*Tidal Guidance* needs no training.", model,
                    title="Tidal Guidance: Steering Samplers for Free")
    assert "Tidal Guidance" in found and not any("*" in n for n in found)


def test_asterisks_of_arithmetic_stay():
    # a look-alike: asterisks between numbers and symbols are no emphasis
    paper = Paper(title="", abstract="The grid holds 4 * 8 * 16 cells and a*b*c products.",
                  doi="10.0/t", source=Source("t.jsonl", 1), format="json")
    out = next(extract([paper], nlp=make_nlp(None)))
    assert all("*" not in m.name for m in out.mentions)


@pytest.mark.parametrize(("abstract", "name", "family"), [
    ("Our editor starts from Stable Diffusion XL, fine-tuned on sketches.", "Stable Diffusion XL",
     "Stable Diffusion"),
    ("Masks come from Segment Anything Model 3 and are refined by hand.", "Segment Anything Model 3",
     "Segment Anything Model"),
    ("Images are scored by frozen SigLIP 2 image encoders in a retrieval loop.", "SigLIP 2", "SigLIP"),
])
def test_version_after_a_known_model_is_the_release(abstract, name, family):
    found = methods(abstract)
    assert name in found and family not in found


@pytest.mark.parametrize(("abstract", "name"), [
    # look-alikes: a count or a score after the name is no version
    ("We sample Stable Diffusion 4 times per prompt to pick the best image.", "Stable Diffusion"),
    ("Segment Anything Model 0.82 mIoU against ours on the lesions.", "Segment Anything Model"),
])
def test_count_or_score_after_a_known_model_is_no_version(abstract, name):
    found = methods(abstract)
    assert name in found and not any(n.startswith(name + " ") for n in found)


@pytest.mark.parametrize(("abstract", "name"), [
    ("Answers are decoded by greedy search over the candidate set.", "Greedy Search"),
    ("The classifier is trained with a class-weighted cross-entropy loss.", "Cross-Entropy Loss"),
    ("Test points are drawn by stratified sampling of the domain.", "Stratified Sampling"),
    ("Rays are cast by sphere marching through the distance field.", "Sphere Tracing"),
    ("Rules are encoded and solved with Answer Set Programming.", "Answer Set Programming"),
    ("Models were compared with TextCNN and a DeiT-S backbone.", "TextCNN"),
])
def test_named_lower_case_techniques_are_methods(abstract, name):
    assert name in methods(abstract)


@pytest.mark.parametrize("abstract", [
    # look-alikes: the same words as no technique's name
    "A greedy agent may search the space of programs forever.",
    "The entropy of each sampling step is stratified by class.",
    "The loss crosses zero where the entropy peaks.",
])
def test_words_of_techniques_apart_are_no_method(abstract):
    assert methods(abstract) == set()


@pytest.mark.parametrize(("abstract", "setting"), [
    ("Debates among several models form multi-LLM councils that vote on answers.", "multi-LLM"),
    ("A study of Human-LLM collaboration in code review.", "Human-LLM"),
    ("Direct VLM-to-JSON prompting fails on long forms.", "VLM-to-JSON"),
])
def test_model_category_with_a_setting_word_is_no_name(abstract, setting):
    assert setting not in methods(abstract)


def test_model_category_with_a_domain_name_stays_a_name():
    # a look-alike: a capitalised domain word joined to the category may name a model
    assert "Radio-LLM" in methods("We release Radio-LLM, tuned on call transcripts.")


@pytest.mark.parametrize(("abstract", "name"), [
    ("We propose Harbor Drift Sampling, a training-free sampling strategy for rare poses.",
     "Harbor Drift Sampling"),
    ("We introduce Layered Echo Fusion, a plug-in module for radar stacks.", "Layered Echo Fusion"),
])
def test_title_case_name_described_as_a_strategy_or_module_is_a_method(abstract, name):
    assert name in methods(abstract)


def test_title_case_phrase_described_as_a_task_stays_out():
    # a look-alike: the same apposition with a task's head is no method
    assert methods("We study Harbor Drift Sampling, a hard task for field robots.") == set()


@pytest.mark.parametrize(("abstract", "name"), [
    ("Next, the Lantern Echo Refinement module removes stray echoes.", "Lantern Echo Refinement"),
    ("We add a Tide-Aware Mixing block after each stage.", "Tide-Aware Mixing"),
])
def test_title_case_name_before_a_part_word_is_a_method(abstract, name):
    assert name in methods(abstract)


@pytest.mark.parametrize("abstract", [
    # look-alikes: a task, a modifier or a use of a known name before the same words
    "Next, the Object Detection module finds the cars.",
    "We train a Vision Transformer-based encoder on the scans.",
])
def test_task_or_use_before_a_part_word_is_no_new_name(abstract):
    found = methods(abstract)
    assert "Object Detection" not in found and "Vision Transformer-based" not in found


def test_name_glued_to_tex_math_is_not_cut():
    found = methods(r"We propose Sky$\times$Relay-V2, a novel test-time scaling strategy for agents.")
    assert "Relay-V2" not in found
    # a look-alike: the same name written apart from the math is read
    assert "Relay-V2" in methods(r"We propose Relay-V2, a novel test-time scaling strategy ($k=2$).")


def test_known_name_after_a_platform_or_maker_is_the_known_name():
    found = methods("Tabular baselines come from a PyCaret AutoML sweep over ten learners.")
    assert "AutoML" in found and "PyCaret AutoML" not in found
    # a look-alike: a capitalised word that is no platform still forms the longer name
    assert "Switch Transformer" in methods("We distil the Switch Transformer into a dense student.")


def test_ctc_is_read_in_a_speech_model_not_in_an_oncology_text():
    assert "Connectionist Temporal Classification" in methods(
        "A neural speech recogniser is trained with a CTC head on phoneme targets.")
    # a look-alike: the same letters for circulating tumour cells
    assert methods("CTC counts in blood samples predicted relapse in the cohort.") == set()


@pytest.mark.parametrize(("abstract", "name"), [
    ("Camera poses are refined by bundle adjustment after RANSAC rejects outliers.", "Bundle Adjustment"),
    ("Poses come from structure-from-motion on the unordered photos.", "Structure-from-Motion"),
    ("Uncertainty is propagated with a Monte Carlo simulation of the inputs.", "Monte Carlo Method"),
    ("Survival curves were estimated with the Kaplan-Meier estimator.", "Kaplan-Meier Estimator"),
])
def test_classic_algorithms_are_methods(abstract, name):
    assert name in methods(abstract)


@pytest.mark.parametrize("abstract", [
    # look-alikes: the words of those names in other senses
    "The Monte Carlo casino hosted the workshop dinner.",
    "Each bundle is adjusted by hand before shipping.",
])
def test_words_of_classic_algorithms_in_other_senses_are_no_method(abstract):
    assert methods(abstract) == set()


def test_capitalised_words_before_a_known_title_case_name_make_a_longer_name():
    found = methods("The encoder further adds Masked Graph Contrastive Learning to align the views.")
    assert "Masked Graph Contrastive Learning" in found and "Contrastive Learning" not in found


@pytest.mark.parametrize("abstract", [
    # look-alikes: a sentence's first word or a plain modifier before the known name
    "Contrastive Learning aligns the views. Using Contrastive Learning, the encoder improves.",
    "We compare with Standard Contrastive Learning on the views.",
])
def test_sentence_start_or_plain_modifier_keeps_the_known_name(abstract):
    assert "Contrastive Learning" in methods(abstract)
