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


# ------------------------------------------------------------------ the model's tags, set by hand
WITH_MODEL = make_nlp("kg")


def found_with_tags(text: str, tagged: dict[str, str], title: str = "") -> set[tuple[str, str]]:
    """(label, name) of what kg_entities finds in ``text`` when the model tagged the words of
    ``tagged`` (phrase -> "Method" or "Dataset", its first token tagged B-, the others I-) and
    nothing else: the rules' answer to a given tagging, whatever the shipped model says. A
    ``title`` is written before the text as ``extract`` does."""
    title_end = len(title)
    text = f"{title}\n\n{text}" if title else text
    doc = WITH_MODEL.make_doc(text)
    tags = ["O"] * len(doc)
    for phrase, label in tagged.items():
        start = text.index(phrase)
        inside = [i for i, t in enumerate(doc) if start <= t.idx < start + len(phrase)]
        tags[inside[0]:inside[-1] + 1] = [f"B-{label}"] + [f"I-{label}"] * (len(inside) - 1)
    assert any(t != "O" for t in tags), [t.text for t in doc]
    for t, tag in zip(doc, tags, strict=True):
        t.tag_ = tag
    mentions, _ = WITH_MODEL.get_pipe("kg_entities").find(doc, text, title_end, split=False, tags=True)
    return {(m.label, m.name) for m in mentions if m.label in ("Method", "Dataset")}


def test_one_plain_hyphenated_word_abbreviated_is_no_method_whatever_the_model_says():
    # a sentence's capitalised first word, one hyphenated adjective, abbreviated: what the
    # text is about (any field writes "Out-of-distribution (OOD) ..."), not a method's name
    text = "Extra-wide-angle (EWA) photos bend lines. We straighten EWA photos."
    assert found_with_tags(text, {"Extra-wide-angle": "Method"}, "Straight Lines for EWA Photos") == set()
    # look-alike: a Title-Case long form of several words stays the model's Method
    text = "Extra Wide Angle Rectification (EWAR) straightens lines. EWAR is fast."
    assert ("Method", "Extra Wide Angle Rectification") in found_with_tags(
        text, {"Extra Wide Angle Rectification": "Method"})


def model_spans(text: str, tagged: dict[str, str]) -> list[tuple[str, str]]:
    """(label, text) of the model's spans that pass :func:`kg.extract.ner.model_candidates`'s
    checks when the model tagged the phrases of ``tagged`` and nothing else."""
    from kg.extract.component import METHOD_HEADS, name_shape
    from kg.extract.gazetteer import is_generic, is_task
    from kg.extract.ner import model_candidates

    doc = WITH_MODEL.make_doc(text)
    tags = ["O"] * len(doc)
    for phrase, label in tagged.items():
        start = text.index(phrase)
        inside = [i for i, t in enumerate(doc) if start <= t.idx < start + len(phrase)]
        tags[inside[0]:inside[-1] + 1] = [f"B-{label}"] + [f"I-{label}"] * (len(inside) - 1)
    for t, tag in zip(doc, tags, strict=True):
        t.tag_ = tag
    return [(label, name) for _, label, name in model_candidates(
        doc, is_generic=is_generic, is_task=is_task, name_shape=name_shape, method_heads=METHOD_HEADS)]


@pytest.mark.parametrize(("text", "span"), [
    # a state or quality noun ends the name: a phenomenon or a property that a text observes
    ("We trace the errors to Layer Dominance, where one layer masks the rest.", "Layer Dominance"),
    ("Raters scored Advice Efficacy and Tone Stability of each reply.", "Advice Efficacy"),
    ("Raters scored Advice Efficacy and Tone Stability of each reply.", "Tone Stability"),
    # a theorem, a law, an effect: a statement or an observation
    ("We prove the Bounded Drift Theorem for the online case.", "Bounded Drift Theorem"),
    ("The gap follows a Steady Growth Law in every run.", "Steady Growth Law"),
])
def test_a_phenomenon_or_a_statement_tagged_as_a_method_is_dropped(text, span):
    assert model_spans(text, {span: "Method"}) == []


@pytest.mark.parametrize(("text", "span", "name"), [
    # look-alikes: such nouns that end methods' names, a coined word, a method's head word before
    # the name or after it
    ("We sample with Kernel Guidance at every step.", "Kernel Guidance", "Kernel Guidance"),
    ("Posteriors come from Amortised Stein Inference here.", "Amortised Stein Inference",
     "Amortised Stein Inference"),
    ("We propose a training-free method called Layer Dominance to rank layers.", "Layer Dominance",
     "Layer Dominance"),
    ("We rank layers with the Layer Dominance framework.", "Layer Dominance framework", "Layer Dominance"),
    ("Raters scored ZenoEfficacy on each reply.", "ZenoEfficacy", "ZenoEfficacy"),
])
def test_look_alikes_of_phenomena_stay_methods(text, span, name):
    assert model_spans(text, {span: "Method"}) == [("Method", name)]


def test_a_known_name_with_a_value_after_it_is_a_measurement():
    # "MAE" the error with its value, not the Masked Autoencoder
    assert methods("The fitted curve reaches MAE = 0.42 and an MAE of 0.37 on held-out days.") == set()
    # look-alikes: the method by the same letters, and a count that measures nothing
    assert "Masked Autoencoder" in methods("We pretrain an MAE on the scans first.")
    assert "Generative Adversarial Network" in methods("A GAN of 3 layers draws the textures.")


@pytest.mark.parametrize(("text", "span"), [
    ("Our detector reaches an AP50 of 0.87 on the test split.", "AP50"),
    ("Our planner reaches a DrivX of 89.6% on the route set.", "DrivX"),
])
def test_a_model_span_with_a_value_after_it_is_a_metric(text, span):
    assert model_spans(text, {span: "Method"}) == []
    # look-alike: the same name with a count after it
    assert model_spans(text.replace(" of 0.87", " of 12 layers").replace(" of 89.6%", " of 12 layers"),
                       {span: "Method"}) == [("Method", span)]


@pytest.mark.parametrize(("title", "abstract", "team"), [
    ("QuillLab's Submission to the 2031 Shared Task on Rhyme Detection",
     "This paper presents the QuillLab submission to the shared task: we propose RhymeNet, a small "
     "rhyme detector.", "QuillLab"),
    ("QuillLab at RhymeEval-2031 Task 2: Rhymes with RhymeNet",
     "We propose RhymeNet, a small rhyme detector for poems.", "QuillLab"),
])
def test_a_shared_task_team_is_no_method(title, abstract, team):
    found = methods(abstract, "kg", title=title) | methods(abstract, None, title=title)
    assert team not in found
    assert "RhymeNet" in methods(abstract, None, title=title)  # look-alike: the team's system


def test_a_team_word_only_after_the_name():
    # look-alike: "team" before a name is no team's name after it
    assert "RhymeNet" in methods("We propose RhymeNet, a team of two encoders that detects rhymes.")


@pytest.mark.parametrize(("abstract", "name"), [
    ("We fine-tune a video diffusion transformer for the clips.", "Diffusion Transformer"),
    ("Images come from a pretrained DiT with 28 blocks.", "Diffusion Transformer"),
    ("Sentences are embedded by a frozen sentence transformer.", "Sentence-BERT"),
    ("We train a Decision Transformer on the logged returns.", "Decision Transformer"),
])
def test_named_transformers_are_their_own_methods_not_the_plain_transformer(abstract, name):
    found = methods(abstract)
    assert name in found and "Transformer" not in found


def test_an_acronym_that_counts_a_letter_reads_the_parts_of_hyphenated_words():
    # "CA3": C, then A three times, two of them parts of hyphenated words
    found = methods("We add Lens-Aware Attention Adapters (LA3) to the encoder. LA3 costs little.")
    assert "Lens-Aware Attention Adapters" in found
    # look-alike: whole words first, "Multi-Scale" is one M
    found = methods("We add a Multi-Scale Feature Fusion (MF2) block. MF2 costs little.")
    assert "Multi-Scale Feature Fusion" in found
