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
