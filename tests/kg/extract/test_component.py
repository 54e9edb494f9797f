"""INTRODUCES rules of :mod:`kg.extract.component` on hand-written sentences (not from a corpus)."""

from __future__ import annotations

import pytest

from kg.extract import extract, make_nlp
from kg.model import Paper, Source

NLP = make_nlp()


def mentions(title: str, abstract: str) -> dict[str, bool]:
    """Method and Dataset names of one paper, each with whether the paper introduces it."""
    paper = Paper(title=title, abstract=abstract, source=Source("t.txt", 1), format="test")
    out = next(extract([paper], nlp=NLP))
    return {m.name: m.introduces for m in out.mentions if m.label in ("Method", "Dataset")}


@pytest.mark.parametrize(("abstract", "name"), [
    # a Title-Case name that the introducing sentence describes as a method or a dataset
    ("Tuning is costly. We introduce Folded Ladders, a compact adapter framework for speech models.",
     "Folded Ladders"),
    ("We present Mirror Pruning, an iterative pruning method that keeps accuracy.", "Mirror Pruning"),
    ("We release Harbor Street Scenes, a dataset of annotated night-time photographs.",
     "Harbor Street Scenes"),
    # the name runs on over small words when the description follows the whole of it
    ("In this work, we present the Lantern Effect in Sonar, a novel framework that denoises echoes.",
     "Lantern Effect in Sonar"),
])
def test_title_case_name_described_in_apposition_is_introduced(abstract, name):
    assert mentions("A Study of Things", abstract).get(name) is True


@pytest.mark.parametrize("abstract", [
    # no description in apposition: a phrase, not a name the paper gives
    "We introduce Folded Ladders to the reader and discuss them.",
    # a description that is not of a method or dataset (a task)
    "We introduce Folded Ladders, a new task for speech models.",
])
def test_title_case_phrase_without_a_description_is_not_introduced(abstract):
    assert mentions("A Study of Things", abstract).get("Folded Ladders") is not True


@pytest.mark.parametrize(("title", "abstract", "name"), [
    # the title's "X:" name, written in lower case in the abstract
    ("Quartz Grammar: A Language for Robots",
     "This paper proposes quartz grammar, a language for robot plans.", "quartz grammar"),
    # a lower-case coined name with a digit, as the title writes it
    ("k9road: A Benchmark for Map Reading", "We introduce k9road, a benchmark of street maps with questions.",
     "k9road"),
])
def test_title_name_in_any_case_after_we_propose_is_introduced(title, abstract, name):
    assert mentions(title, abstract).get(name) is True


def test_lower_case_phrase_is_not_introduced_without_the_title_naming_it():
    got = mentions("A Language for Robots", "This paper proposes quartz grammar, a language for robot plans.")
    assert got.get("quartz grammar") is not True


@pytest.mark.parametrize(("abstract", "word"), [
    ("We formulate ranking as estimation and introduce a Gamma evidence model that scores items.", "Gamma"),
    ("We introduce a Poisson arrival model for the queue.", "Poisson"),
])
def test_capitalised_modifier_after_a_is_not_introduced(abstract, word):
    assert mentions("A Study of Things", abstract).get(word) is not True


@pytest.mark.parametrize("abstract", [
    "We propose Bitween, which links the two parts.",
    # after "a", a comma (no lower-case noun phrase): the word is not a modifier
    "We propose a Bitween, which links the two parts.",
])
def test_one_word_name_not_modifying_a_noun_is_introduced(abstract):
    assert mentions("A Study of Things", abstract).get("Bitween") is True


@pytest.mark.parametrize(("abstract", "name"), [
    # an acronym that counts a repeated initial: "B3" for three words in B
    ("We introduce Balanced Batch and Bias Correction (B3C), a module for detectors.",
     "Balanced Batch and Bias Correction"),
    ("We propose Sparse Spectral Smoothing (S3), a plug-in filter for point clouds.",
     "Sparse Spectral Smoothing"),
])
def test_counted_acronym_defines_the_introduced_name(abstract, name):
    assert mentions("A Study of Things", abstract) == {name: True}


def test_counted_acronym_needs_every_initial():
    from kg.extract.patterns import find_acronyms
    assert [(a.short, a.long) for a in find_acronyms("We train Adam on Spectral Smoothing (S3) here.")] == []
    assert [(a.short, a.long) for a in find_acronyms("a Sparse Spectral Smoothing (S3) filter")] == [
        ("S3", "Sparse Spectral Smoothing")]


@pytest.mark.parametrize(("abstract", "introduced"), [
    # the description first, the name after its comma; a version or an upper-case qualifier
    # belongs to the name
    ("We introduce a harder benchmark, Quill-Bench v2.0, and a held-out suite, Quill-Bench HARD.",
     {"Quill-Bench v2.0", "Quill-Bench HARD"}),
    ("We propose a lightweight model, TernNet, for sensors.", {"TernNet"}),
])
def test_description_then_name_is_introduced(abstract, introduced):
    got = mentions("A Study of Things", abstract)
    assert {n for n, i in got.items() if i} == introduced


def test_description_then_name_in_a_sentence_about_others_is_not_introduced():
    got = mentions("A Study of Things", "Prior work used a strong model, TernNet, for sensors.")
    assert got.get("TernNet") is not True


@pytest.mark.parametrize(("abstract", "name"), [
    # "release ... along with X, a dataset": released too; a capitalised run with a coined word
    ("We release the code along with SILVER Streets, a dataset of city photographs.", "SILVER Streets"),
    ("We open-source our tools together with PondQA, a benchmark of lake questions.", "PondQA"),
])
def test_released_along_with_is_introduced(abstract, name):
    assert mentions("A Study of Things", abstract).get(name) is True


def test_capitalised_run_without_a_coined_word_is_not_a_released_name():
    got = mentions("A Study of Things",
                   "We release the code along with Silver Streets, a dataset of photographs.")
    assert got.get("Silver Streets") is not True


def test_title_word_before_colon_capitalised_inside_the_abstract_is_introduced():
    title = "Lanterns: A Replayable Repair Loop for Agents"
    abstract = "Agents fail silently. We fix this with Lanterns, a loop that replays each failure."
    assert mentions(title, abstract).get("Lanterns") is True


def test_title_word_before_colon_only_opening_sentences_is_not_introduced():
    title = "Lanterns: A Replayable Repair Loop for Agents"
    abstract = "Lanterns light streets. Agents fail silently and we replay each failure."
    assert mentions(title, abstract).get("Lanterns") is not True


def test_title_name_does_not_cut_a_longer_name_in_the_abstract():
    # the title's "Kestrel" is not the whole of "Kestrel-7k" that the abstract introduces
    got = mentions("Kestrel: Preference Data for Video Models",
                   "We introduce Kestrel-7k, a dataset of seven thousand ranked video pairs.")
    assert got.get("Kestrel-7k") is True
    assert "Kestrel" not in got


def test_hyphenated_variant_of_the_title_name_is_introduced():
    got = mentions("q7map: A Benchmark for Map Reading",
                   "We introduce q7map, a benchmark of maps. We release q7map-5k, a smaller benchmark.")
    assert got.get("q7map") is True and got.get("q7map-5k") is True


# ---------------------------------------------------------------- issue 11 (intro11, dev3)
def test_two_coined_names_joined_by_and_are_two_own_names():
    got = mentions("Parsing Tables", "We present QuillNet and QuillSet, a parser and a benchmark for tables.")
    assert got.get("QuillNet") is True and got.get("QuillSet") is True
    assert "QuillNet and QuillSet" not in got
    # look-alike: a Title-Case name whose words are not coined runs on over "and" as before
    got = mentions("Parsing Tables", "We present Rivers and Lakes, a benchmark of water maps.")
    assert got.get("Rivers and Lakes") is True


def test_title_case_name_runs_on_over_as_when_described():
    got = mentions("Trees", "We propose Leaves as Tokens, a diffusion model that grows trees.")
    assert got.get("Leaves as Tokens") is True
    # look-alike: "as" then a lower-case phrase is no part of the name
    got = mentions("Trees", "We propose Leaves as tokens, a diffusion model that grows trees.")
    assert "Leaves as tokens" not in got and "Leaves as Tokens" not in got


@pytest.mark.parametrize(("abstract", "name"), [
    ("We propose a novel and effective Progressive Frob Network (PFN) that links attention maps.",
     "Progressive Frob Network"),
    ("We designed a two-stage adaptive few-shot ranking (AFSR) approach for screening papers.", "AFSR"),
])
def test_describing_words_before_a_defined_acronym_are_skipped(abstract, name):
    assert mentions("Screening", abstract).get(name) is True


def test_a_clause_before_a_defined_acronym_is_not_skipped():
    # "methods using": a noun and a verb, the acronym is a method the paper uses
    got = mentions("Screening", "We develop methods using Graph Frob Networks (GFNs) for molecules.")
    assert not any(got.values())


def test_naming_word_followed_by_a_comma():
    got = mentions("Captions", "We present a caption benchmark, termed, GlimBench, which covers 12 kinds.")
    assert got.get("GlimBench") is True
    # look-alike: no naming word, a benchmark only used
    got = mentions("Captions", "We evaluate on a captioning benchmark, GlimBench, which covers 12 kinds.")
    assert got.get("GlimBench") is not True


def test_letter_emphasis_of_an_acronym_is_not_a_coined_word():
    abstract = ("In this study, we present \\textbf{AR}tificial \\textbf{I}ntelligence research assistant "
                "for \\textbf{E}xpert-involved \\textbf{L}earning (ARIEL), a dataset of figures.")
    got = mentions("Figures", abstract)
    assert "ARtificial" not in got
    assert got.get("ARtificial Intelligence research assistant for Expert-involved Learning") is True
    # look-alike: the emphasised long form of a field the paper studies is no name of its own
    got = mentions("Agents", "This survey covers a field called eXplainable Reinforcement Learning (XRL), "
                             "which explains actions.")
    assert not any(got.values())


def test_coined_name_between_our_and_a_head_word_is_own():
    got = mentions("Lip Reading", "Results show that our QV-ASR method reaches 17.4% WER on LRS2.")
    assert got.get("QV-ASR") is True
    # look-alike: a known model's release between "our" and a head word is another paper's model
    got = mentions("Lip Reading", "We fine-tune our Qwen3-30B-A3B model on lip transcripts.")
    assert got.get("Qwen3-30B-A3B") is not True


def test_hyphenated_variant_of_an_own_name_is_own():
    got = mentions("Spatial Video", "Second, we develop ViRA-7B, a video model, fine-tuned on ViRA-322K, "
                                    "which sets a new state of the art.")
    assert got.get("ViRA-7B") is True and got.get("ViRA-322K") is True
    # look-alike: a release of a known family beside the own model is not a variant of it
    got = mentions("Long Context", "We present GoLongTune, a recipe. Our model rivals "
                                   "Qwen3-235B-A22B-Thinking-2507 and Qwen3-30B-A3B on long inputs.")
    assert got.get("GoLongTune") is True
    assert not any(v for k, v in got.items() if k.startswith("Qwen"))


def test_coined_modifier_of_a_described_head_gives_way_to_the_name_after_it():
    got = mentions("Action Units", "This paper proposes a novel micro-AU detection framework, micro-AU CLIP, "
                                   "that decomposes detection into local parts.")
    assert got.get("micro-AU CLIP") is True and "micro-AU" not in got
    # look-alike: the coined word directly before a head and no name after the comma stays
    got = mentions("Action Units", "We propose FooNet, a detector. The FooNet detection framework, which is "
                                   "fast, runs on phones.")
    assert got.get("FooNet") is True


def test_a_novel_acronym_definition_is_own_unless_its_sentence_cites_others():
    got = mentions("Federated Reports", "Three strategies, FedAvg, Krum and a novel Loss-aware Federated "
                                        "Ranking (L-FedRank), were evaluated.")
    assert got.get("Loss-aware Federated Ranking") is True
    got = mentions("Federated Reports", "Recently, Smith et al. proposed a novel Loss-aware Federated "
                                        "Ranking (L-FedRank) for clients.")
    assert got.get("Loss-aware Federated Ranking") is not True


def test_title_case_acronym_the_paper_designs_is_its_part():
    got = mentions("Action Units", "In the local branch, Patch Token Mixing (PTM) is designed to map "
                                   "features. Global Link Attention (GLA) and Global Link Loss (GLLoss) "
                                   "are presented.")
    assert got.get("Patch Token Mixing") is True
    assert got.get("Global Link Attention") is True and got.get("Global Link Loss") is True
    got = mentions("Action Units", "Additionally, we introduce a Hierarchical Feature Pooling (HFP) module "
                                   "and a Confidence-Aware Mutual Learning (CAML) strategy.")
    assert got.get("Hierarchical Feature Pooling") is True
    assert got.get("Confidence-Aware Mutual Learning") is True


@pytest.mark.parametrize("abstract", [
    # used, not made: a participle or "built on" before it, a passive with its authors, history
    "We propose FooNet, a model built on the Spatial Temporal Graph Network (STGN) for traffic.",
    "This paper presents a solver method solving the Reynolds-Averaged Flow Equations (RAFE) model.",
    "Spatial Temporal Graph Network (STGN) is proposed by Li for traffic prediction.",
    "We propose FooNet by extending the recently introduced Speculative Jacobi Decoding (SJD).",
    # a task, not a name: "a novel Multi-Choice Question-Answering (MCQA) benchmark"
    "Here is a novel Multi-Choice Question-Answering (MCQA) benchmarking system for sensors.",
])
def test_title_case_acronym_the_paper_uses_is_not_its_own(abstract):
    got = mentions("Traffic", abstract)
    assert not any(v for k, v in got.items() if k != "FooNet")


def test_describing_words_do_not_reach_a_plain_abbreviation():
    got = mentions("Mice", "We develop a real-time identification (ID) algorithm for mice in cages.")
    assert not any(got.values())


def test_acronym_defined_by_ie_after_the_intro_verb_is_the_name():
    got = mentions("Pruning", "To these ends, we propose Multi-view dataset Pruning in the Wild, i.e., MPW, "
                              "the first framework to prune noisy data.")
    assert got.get("MPW") is True
    # look-alike: "i.e." then words that are no acronym of the phrase
    got = mentions("Pruning", "We propose Graph Pruning, i.e., removing edges, the first framework to prune.")
    assert not any(got.values())


def test_newly_made_data_described_before_its_name_is_own():
    abstract = ("We evaluate models on three speech datasets: ADReSSo, NCMMSC2021-AD, and a newly collected "
                "test set, CIR-X. Our results show gains.")
    got = mentions("Speech", abstract)
    assert got.get("CIR-X") is True and got.get("ADReSSo") is False
    # look-alike: a test set described as public, not made here
    got = mentions("Speech", "We evaluate models on ADReSSo and a public test set, CIR-X. Our results hold.")
    assert got.get("CIR-X") is not True


def test_title_case_module_name_right_after_the_intro_verb_is_own():
    got = mentions("Driving", "We propose GraphDrive, a planner. We introduce an Ego-Centric Interaction "
                              "Graph, which models neighbouring agents.")
    assert got.get("Ego-Centric Interaction Graph") is True
    # look-alike: a Title-Case phrase whose last word names no part of a model
    got = mentions("Driving", "We introduce Ego-Centric Interaction Planning, which helps agents.")
    assert got.get("Ego-Centric Interaction Planning") is not True


def test_acronym_parts_the_own_name_comprises_are_own():
    got = mentions("Caches", "We propose TGV-KV, an eviction method. TGV-KV comprises three submodules: (1) "
                             "Text-Vision Budgeting (TVB) assigns budget to each layer. (2) Text-Weighted "
                             "Ranking (TWR) ranks tokens.")
    assert got.get("Text-Vision Budgeting") is True and got.get("Text-Weighted Ranking") is True
    got = mentions("Faces", "We introduce SynchroFoo, a novel framework. To ensure natural head motion, "
                            "SynchroFoo includes an Audio Motion Module (AMM) that generates frames.")
    assert got.get("Audio Motion Module") is True


@pytest.mark.parametrize("abstract", [
    # the subject is not the paper's own name
    "We propose FooNet, a detector. RetinaBar comprises a Feature Pyramid Grid (FPG) for scales.",
    # a verb that takes others' parts as often as its own
    "We propose FooNet, a detector. FooNet incorporates a Feature Pyramid Grid (FPG) from prior work.",
    # a comparison between the verb and the name
    "We propose FooNet, a detector. FooNet contains fewer layers than the Feature Pyramid Grid (FPG).",
])
def test_acronym_parts_of_another_or_compared_are_not_own(abstract):
    assert mentions("Detection", abstract).get("Feature Pyramid Grid") is not True


def test_a_count_and_a_plural_head_then_listed_names_are_all_own():
    got = mentions("Video", "In response, this paper introduces two novel benchmark datasets, AVE-Sort and "
                            "ActivityNet-Sort. Additionally, we employ distances.")
    assert got.get("AVE-Sort") is True and got.get("ActivityNet-Sort") is True
    # look-alike: the same list evaluated on, not introduced
    got = mentions("Video", "We evaluate on two public benchmark datasets, AVE-Sort and ActivityNet-Sort. "
                            "Additionally, we employ distances.")
    assert got.get("AVE-Sort") is False and got.get("ActivityNet-Sort") is False


def test_the_whole_title_after_the_intro_verb_is_the_name():
    got = mentions("Reinforcement Learning with Robust Rubric Credits",
                   "Rubrics help. We propose Reinforcement Learning with Robust Rubric Credits (RLRC), "
                   "extending RLVR to criteria.")
    assert got.get("Reinforcement Learning with Robust Rubric Credits") is True
    # look-alike: a title whose first words start a phrase of the abstract
    got = mentions("Reinforcement Learning for Robots",
                   "We propose Reinforcement Learning methods for robots.")
    assert not any(got.values())


def test_referred_to_as_names_the_papers_own():
    got = mentions("NeRF for Driving", "In this paper, we propose a Neural Radiance Fields (NeRF) based "
                                       "framework, referred to as Novel View Fusion Framework (NVFF), which "
                                       "learns jointly.")
    assert got.get("Novel View Fusion Framework") is True
    # look-alike: a known model referred to by its name is used, not introduced
    got = mentions("Diffusion", "This model is widely referred to as Stable Diffusion XL in the literature.")
    assert not any(got.values())


def test_title_case_name_the_title_opens_with_is_own():
    got = mentions("Short-Window Sliding Learning for Real-Time Violence Detection",
                   "We propose a Short-Window Sliding Learning framework for real-time violence detection.")
    assert got.get("Short-Window Sliding Learning") is True
    # look-alike: the same phrase in a paper whose title does not open with it
    got = mentions("Violence Detection in Footage",
                   "We propose a Short-Window Sliding Learning framework for real-time violence detection.")
    assert got.get("Short-Window Sliding Learning") is not True
