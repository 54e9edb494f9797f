"""Method precision rules measured on hand-read arXiv abstracts (benchmarks/extract_expert.py,
issue 11): generic words, categories and phenomena that are no named method. Sentences written
for these tests, not taken from any corpus. Each rule: a sentence it drops and a look-alike it
keeps."""

from __future__ import annotations

import pytest

from kg.extract import extract, make_nlp
from kg.model import Paper, Source


def methods(abstract: str, model: str | None = None, title: str = "") -> set[str]:
    paper = Paper(title=title, abstract=abstract, doi="10.0/test", source=Source("t.jsonl", 1),
                  format="json")
    out = next(extract([paper], nlp=make_nlp(model)))
    return {m.name for m in out.mentions if m.label == "Method"}


@pytest.mark.parametrize("model", [None, "kg"])
@pytest.mark.parametrize("abstract", [
    "The codec lowers the quantization error of each block.",
    "We speed up search by pruning branches that cannot win.",
    "A small tuned model outperforms prompting on this task.",
    "Heavy data augmentation helps the small classifier.",
    "An extensive hyperparameter optimization was run for every baseline.",
    "The decoder is trained by next-token prediction only.",
    "The detector stays vulnerable to adversarial examples.",
    "Two lightweight adapters are inserted into each block.",
])
def test_generic_technique_words_are_no_method(abstract, model):
    assert methods(abstract, model) == set()


@pytest.mark.parametrize(("abstract", "name"), [
    ("We apply post-training quantization (PTQ) to the encoder.", "Post-Training Quantization"),
    ("Magnitude pruning removes half of the weights.", "Magnitude Pruning"),
    ("Chain-of-thought prompting lifts the accuracy of the planner.", "Chain-of-Thought"),
    ("We compare full fine-tuning with adapter tuning on the parser.", "Adapter Tuning"),
])
def test_named_techniques_of_those_families_stay_methods(abstract, name):
    assert name in methods(abstract)


def test_mechanistic_interpretability_is_a_field():
    assert methods("We study the circuit with mechanistic interpretability tools.") == set()
