"""Rules measured on hand-read arXiv abstracts (benchmarks/extract_expert.py), in
:mod:`kg.extract.component`. Sentences written for these tests, not taken from any corpus."""

from __future__ import annotations

import pytest

from kg.extract import extract, make_nlp
from kg.model import Paper, Source


def methods(abstract: str, model: str | None = None, label: str = "Method") -> set[str]:
    paper = Paper(title="", abstract=abstract, doi="10.0/test", source=Source("t.jsonl", 1), format="json")
    out = next(extract([paper], nlp=make_nlp(model)))
    return {m.name for m in out.mentions if m.label == label}


@pytest.mark.parametrize(("abstract", "name", "partial"), [
    ("We distil a Qwen3-8B student from a larger teacher.", "Qwen3-8B", None),
    ("Our probe runs on Llama-3.1-8B and on Qwen2.5-3B-Instruct alike.", "Llama-3.1-8B", None),
    ("A judge built on Claude 3.5 Sonnet grades the answers.", "Claude 3.5 Sonnet", "Claude"),
    ("Agents driven by Claude Sonnet 4 solve more tickets.", "Claude Sonnet 4", "Claude"),
    ("Gemini 3 Pro answers the visual questions best.", "Gemini 3 Pro", "Gemini"),
    ("An on-device reader (Gemma 4 E4B) answers offline.", "Gemma 4 E4B", "Gemma"),
    ("Frames are labelled by an EfficientNet-B3 classifier.", "EfficientNet-B3", "EfficientNet"),
    ("Proofs are distilled from DeepSeek-Math-V2 into a small model.", "DeepSeek-Math-V2", None),
])
@pytest.mark.parametrize("model", [None, "kg"])
def test_model_release_is_one_method_not_its_family(abstract, name, partial, model):
    found = methods(abstract, model)
    assert name in found
    if partial:
        assert partial not in found


@pytest.mark.parametrize(("abstract", "name", "absent"), [
    ("We fine-tune BERT 3 times on each split.", "BERT", "BERT 3"),
    ("A Qwen2-based reranker orders the passages.", "Qwen2", "Qwen2-based"),
])
def test_release_stops_before_a_count_or_a_use_suffix(abstract, name, absent):
    found = methods(abstract)
    assert name in found and absent not in found


def test_capitalised_word_with_a_number_is_no_release_unless_a_known_family():
    assert methods("Table 3 and Section 4.2 report Phase 2 of the survey.") == set()


@pytest.mark.parametrize(("title", "abstract", "name"), [
    # the title's name before its colon reads as a Method; the abstract says it is data
    ("GlowSet: Sharper Pictures at Night",
     "We introduce GlowSet, a large dataset of 40K night photographs with captions.", "GlowSet"),
    ("", "We introduce TriQ, the first large, multilingual, multimodal reasoning dataset for agents.",
     "TriQ"),
    ("", "We present Ordered Spatial Reading Tests (OSRT), a carefully built benchmark of maps.",
     "Ordered Spatial Reading Tests"),
    ("", "We release the FooNet model, the BarSet-Easy and BarSet-Hard datasets, and our code.",
     "BarSet-Hard"),
])
def test_data_described_as_data_is_a_dataset(title, abstract, name):
    paper = Paper(title=title, abstract=abstract, doi="10.0/t", source=Source("t.jsonl", 1), format="json")
    out = next(extract([paper], nlp=make_nlp(None)))
    assert {m.name: m.label for m in out.mentions}.get(name) == "Dataset"


def test_variant_of_a_dataset_the_text_names_is_a_dataset():
    found = methods("Results on KITTI and its noisy variants (KITTI-Fog and KITTI-Snow) improve.",
                    label="Dataset")
    assert {"KITTI-Fog", "KITTI-Snow"} <= found


def test_method_described_before_a_benchmark_it_is_tested_on_stays_a_method():
    abstract = "We propose Layered Echo Routing (LER), a framework evaluated on a new benchmark."
    assert "Layered Echo Routing" in methods(abstract)


@pytest.mark.parametrize(("abstract", "name", "tail"), [
    ("Our model has an Adaptive Margin Focal Loss (AMFL) that weights rare classes.",
     "Adaptive Margin Focal Loss", "Focal Loss"),
    ("It joins a Multi-modal Large Language Model (MLLM) with a renderer.",
     "Multi-modal Large Language Model", "Large Language Model"),
])
def test_known_name_at_the_end_of_a_defined_title_case_name_is_not_read(abstract, name, tail):
    found = methods(abstract)
    assert name in found and tail not in found


def test_known_name_used_alone_is_still_read():
    assert "Focal Loss" in methods("We train the detector with Focal Loss and a margin.")


def test_title_case_name_the_paper_introduces_is_a_method_though_it_ends_like_a_task():
    abstract = "We introduce Spectral Drift Anomaly Detection (SDAD), built from two parts."
    assert "Spectral Drift Anomaly Detection" in methods(abstract)
    assert methods("Results on Video Anomaly Detection (VAD) improve.") == set()


def test_one_coined_word_ending_with_dataset_or_bench_is_a_dataset():
    found = methods("Experiments on the CellVidDataset and on FooBench show gains.", label="Dataset")
    assert {"CellVidDataset", "FooBench"} <= found


def test_reinforcement_learning_is_a_field_not_a_method():
    found = methods("We cast planning as reinforcement learning (RL) and train with PPO.")
    assert "Proximal Policy Optimization" in found and "Reinforcement Learning" not in found


@pytest.mark.parametrize(("abstract", "name", "label"), [
    ("We compare with the leading distillation approach Fast Forcing under noise.", "Fast Forcing", "Method"),
    ("We add the inference technique Anchor-Heavy Key Sinks to the decoder.", "Anchor-Heavy Key Sinks",
     "Method"),
    ("We release the corpus and its English-only subset EnQuiz, with code.", "EnQuiz", "Dataset"),
])
def test_head_word_then_a_capitalised_name(abstract, name, label):
    assert name in methods(abstract, label=label)


def test_head_word_then_a_sentence_word_is_no_name():
    assert methods("We fit the model Using gradient steps on the dataset In turn.") == set()


@pytest.mark.parametrize("model", [None, "kg"])
def test_capitalised_words_before_a_model_category_describe_it(model):
    found = methods("Current Remote Sensing MLLMs fail on hazy scenes, and Medical LLMs do too.", model)
    assert "Multimodal Large Language Model" in found
    assert not any(n.endswith(("MLLMs", "LLMs", "MLLM", "LLM")) for n in found)


def test_one_plain_hyphenated_word_abbreviated_is_no_method():
    text = "Ultra-high-resolution (UHR) imaging is costly. UHR scenes are large, and UHR data rare."
    assert methods(text) == set()


def test_fields_are_never_methods():
    found = methods("Remote Sensing imagery and Earth Observation tasks use a Swin Transformer.", "kg")
    assert "Swin Transformer" in found and not {"Remote Sensing", "Earth Observation"} & found


def test_well_known_methods_added_to_the_gazetteer():
    found = methods("We compare DeepLabV3+ with SegFormer, verified by FEM analysis.")
    assert {"DeepLabV3+", "SegFormer", "Finite Element Method"} <= found


def test_capitalised_name_before_a_citation_is_the_cited_method_or_data():
    found = methods("We try Self-Critique Voting (Li et al., 2025a) and FooBench (Ng et al., 2024).")
    assert "Self-Critique Voting" in found
    assert "FooBench" in methods("We report on FooBench (Ng et al., 2024).", label="Dataset")
    assert methods("As argued before (Smith, 2020), In (Lee et al., 2021) it fails.") == set()


def test_capitalised_technique_head_word():
    assert "Mass-Spring Method" in methods("The cloth is simulated with the Mass-Spring Method on the GPU.")
