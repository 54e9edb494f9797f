"""Dataset rules of :mod:`kg.extract.component` measured on hand-read arXiv abstracts
(benchmarks/extract_expert.py, issue 11's dataset recall). Sentences written for these tests, not
taken from any corpus: each rule has a sentence it reads and a look-alike it must leave alone."""

from __future__ import annotations

import pytest

from kg.extract import extract, make_nlp
from kg.model import Paper, Source


def names(abstract: str, label: str = "Dataset", model: str | None = None, title: str = "") -> set[str]:
    paper = Paper(title=title, abstract=abstract, doi="10.0/test", source=Source("t.jsonl", 1), format="json")
    out = next(extract([paper], nlp=make_nlp(model)))
    return {m.name for m in out.mentions if m.label == label}


@pytest.mark.parametrize("model", [None, "kg"])
def test_bracketed_names_coordinated_under_a_plural_data_head_are_datasets(model):
    text = ("The small model matches larger ones across retrieval (FooQA, Bar-7), grounding (ZedSet), "
            "and refusal (ZedSet-Neg) benchmarks.")
    assert {"FooQA", "Bar-7", "ZedSet", "ZedSet-Neg"} <= names(text, model=model)


def test_bracketed_abbreviations_and_clauses_before_a_data_head_are_no_datasets():
    # an abbreviation of the words before it, and a bracket joined by a clause ("against ...")
    assert names("Our filter beats prior ones on colour (RGB) and thermal (TIR) datasets.") == set()
    found = names("We probe the QuxNet encoder (QuxNet-S), against synthetic shifted (FooShift) benchmarks.")
    assert "QuxNet-S" not in found


def test_the_two_ends_of_a_cross_dataset_study_are_datasets():
    found = names("Experiments on cross-dataset detection between Harbour-of-Foo and ZedRadSet show gains.")
    assert {"Harbour-of-Foo", "ZedRadSet"} <= found
    found = names("We study cross-corpus transfer from FooSpeech-2 to BarVox under noise.")
    assert {"FooSpeech-2", "BarVox"} <= found


def test_cross_attention_between_names_or_plain_words_is_no_cross_dataset_study():
    assert names("Cross-dataset gains between the two settings hold for all seeds.") == set()
    assert names("A cross-attention layer between FooNet and BarNet fuses the views.") == set()


def test_a_name_described_with_adjectives_joined_by_and_is_a_dataset():
    text = "We present FooPath, a large-scale and multi-domain biomedical linking dataset of 9 sources."
    assert "FooPath" in names(text)
    assert "FooPath" not in names(text, label="Method")


def test_and_a_second_thing_keeps_the_name_a_method():
    # "a framework and a dataset": the name is the first thing, a method
    found = names("We present FooRoute, a routing framework and a dataset of city maps.")
    assert "FooRoute" not in found


def test_a_name_described_as_a_resource_or_knowledge_graph_is_a_dataset():
    text = ("We present the Widget Contribution Graph, a large-scale AI/NLP-domain resource containing "
            "two million claims.")
    assert "Widget Contribution Graph" in names(text)
    assert "FooKG" in names("We release FooKG, a knowledge graph of 3M drug triples.")


def test_a_resource_word_that_modifies_another_noun_says_no_data():
    assert "FooAlloc" not in names("We propose FooAlloc, a resource allocation scheme for edge servers.")
    assert "FooKGE" not in names("We propose FooKGE, a knowledge graph embedding model.")
    assert "FooLite" not in names("We propose FooLite, a resource-efficient framework for phones.")


def test_biomedical_knowledge_bases_are_datasets():
    found = names("Entity mentions were normalised to Unified Medical Language System (UMLS) concepts.")
    assert "Unified Medical Language System" in found
    assert "Medical Subject Headings" in names("Articles are indexed with MeSH headings.")


def test_a_mesh_of_a_surface_is_no_vocabulary():
    assert names("We refine the Mesh of each surface and the mesh of its boundary.") == set()


def test_a_conversion_task_listed_before_benchmarks_is_no_dataset():
    found = names("Experiments on UI-to-code and UI polishing benchmarks show clear gains.")
    assert "UI-to-code" not in found


def test_a_name_with_a_capital_after_to_is_still_a_dataset():
    assert {"BazSet-3", "RGB-to-NIR"} <= names("Experiments on BazSet-3 and RGB-to-NIR show clear gains.")


def test_a_title_description_the_abstract_writes_in_lower_case_is_no_dataset():
    title = "FooVQA: A Video QA Benchmark for Scan Understanding"
    found = names("We introduce FooVQA, a video QA benchmark of 500 clips.", title=title)
    assert "Video QA" not in found and "FooVQA" in found


def test_a_title_dataset_name_the_abstract_writes_as_a_name_stays():
    title = "Grounding with the Bar QA Benchmark"
    found = names("We evaluate ten models on the Bar QA benchmark and report accuracy.", title=title)
    assert "Bar QA" in found


def test_the_last_name_after_experiments_on_ends_at_a_preposition_or_a_verb_of_findings():
    found = names("Extensive experiments on FooQA-2 and BarClip-X under both settings show gains.")
    assert {"FooQA-2", "BarClip-X"} <= found
    assert "BazSet-9" in names("Experiments on BazSet-9 demonstrate that the method is robust.")


def test_a_score_on_a_name_closed_by_a_dash_names_the_data():
    found = names("FooAgent-32B achieves 71.2 on QuxBench Agent -- outperforming larger open models.")
    assert "QuxBench Agent" in found


def test_a_shared_head_or_the_subject_after_a_comma_is_not_the_last_name():
    # "A and B views": a lower-case noun that the two names share is no end word
    assert "FooScan-B" not in names("We pre-train encoders on FooScan-A and FooScan-B views of the eye.")
    # "Evaluated on A, B achieves": B is the sentence's subject, after a comma
    found = names("Evaluated on Occ9-Foo, BarNet-Occ achieves state-of-the-art accuracy.")
    assert "BarNet-Occ" not in found


def test_models_with_a_size_that_experiments_run_on_are_no_datasets():
    found = names("We evaluate on Foo3-8B and Bar2-2B across ten languages.")
    assert not {"Foo3-8B", "Bar2-2B"} & found


def test_the_papers_own_method_that_experiments_run_on_is_no_dataset():
    text = "We propose FooNet for graph routing. Extensive experiments on FooNet demonstrate gains."
    assert "FooNet" not in names(text) and "FooNet" in names(text, label="Method")


def test_the_papers_own_data_introduced_with_a_data_word_stays_a_dataset():
    found = names("We build a new benchmark of 5,000 scans, called FooScan. Experiments on FooScan show it.")
    assert "FooScan" in found


def test_the_named_sources_a_dataset_is_derived_from_are_datasets():
    found = names("We curate FooDoc-mini, a dataset derived from BarLayout and Qux6Doc, for pretraining.")
    assert {"BarLayout", "Qux6Doc"} <= found


def test_plain_sources_or_a_method_derived_from_names_are_no_datasets():
    assert names("The corpus was derived from news articles and forum posts.") == set()
    assert "BarNet" not in names("FooNet, a model derived from BarNet, is smaller.")


def test_names_in_brackets_after_a_known_benchmark_and_its_parts_are_datasets():
    found = names("We evaluate the harness on BEIR grounding tasks (SciFoo and FiBarQA) with full coverage.")
    assert {"SciFoo", "FiBarQA"} <= found


def test_a_citation_or_a_remark_in_brackets_after_a_known_benchmark_is_no_dataset():
    found = names("We use BEIR tasks (Thakur et al., 2021) and ImageNet splits (see Appendix B).")
    assert found <= {"BEIR", "ImageNet"}


def test_a_clause_opening_on_a_name_after_an_adverb_or_colon_names_data():
    found = names("Empirically, on FooEvalPack across four code models, length explains the score.")
    assert "FooEvalPack" in found
    found = names("Readiness is not one number: on FiBarQA under a budget, X leads; on SciFoo, models tie.")
    assert {"FiBarQA", "SciFoo"} <= found


def test_a_clause_opening_on_a_name_the_text_calls_a_model_is_no_data():
    text = ("Pruning helps on both FooLM and Bar-LLaVA models. Similarly, on Bar-LLaVA, pruning "
            "improves AP by 2 points.")
    assert "Bar-LLaVA" not in names(text)


def test_releases_of_a_known_model_family_listed_after_experiments_on_are_no_datasets():
    found = names("Experiments on Qwen2.5-VL, LLaVA-OV and FooSet-7 demonstrate consistent gains.")
    assert "FooSet-7" in found and not {"Qwen2.5-VL", "LLaVA-OV"} & found


def test_data_named_after_a_known_method_stays_a_dataset():
    found = names("We evaluate on benchmarks including VGG-Sound, NeRF-on-the-go and NAS-Bench-201.")
    assert {"VGG-Sound", "NeRF-on-the-go", "NAS-Bench-201"} <= found


def test_sources_with_a_shared_lower_case_head_are_not_read_as_derived_data():
    assert "ICLR" not in names("We build a benchmark derived from ICLR and NeurIPS venues for reviews.")


def test_a_short_abbreviation_in_brackets_is_no_dataset_but_a_coded_name_is():
    found = names("Gains hold on text-to-image (T2I) benchmarks and on cross-domain (TT100K) benchmarks.")
    assert "T2I" not in found and "TT100K" in found
