"""kg's trained entity model beside the rules, on sentences written for these tests (not from
any training data), and the whole-name, word-sense and acronym rules that came with it."""

from __future__ import annotations

import json
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.extract import extract, make_nlp
from kg.extract.component import name_shape
from kg.extract.gazetteer import is_generic, is_task
from kg.extract.ner import MODEL_PATH, bio_spans, load_model, model_candidates, tag_docs
from kg.model import Paper, Source
from tests.kg.extract.model_docs import cands, tagged

ROOT = Path(__file__).resolve().parents[3]
RULES = make_nlp()
WITH_MODEL = make_nlp("kg")


def run(abstract: str, title: str = "A Study", nlp=WITH_MODEL) -> Paper:
    p = Paper(title=title, abstract=abstract, source=Source("t.txt", 4), format="test", abstract_line=5)
    return next(extract([p], nlp=nlp))


def names(p: Paper, label: str | None = None) -> dict[str, object]:
    return {m.name: m for m in p.mentions if label is None or m.label == label}


# --------------------------------------------------------------------------- the shipped model


def test_shipped_model_is_small_loads_offline_and_is_package_data():
    files = [f for f in MODEL_PATH.rglob("*") if f.is_file()]
    assert sum(f.stat().st_size for f in files) < 10_000_000
    assert load_model().pipe_names == ["entity_tagger"]
    assert make_nlp("kg").pipe_names == ["sentencizer", "entity_tagger", "kg_entities"]
    # every file of the pipeline is matched by the package-data globs, so `pip install .` ships it
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    base = MODEL_PATH.parents[1]  # kg/extract
    for f in files:
        rel = f.relative_to(base).as_posix()
        assert any(fnmatch(rel, g) and rel.count("/") == g.count("/") for g in globs["kg.extract"]), rel
    labels = set(load_model().get_pipe("entity_tagger").labels)
    assert {"B-Method", "B-Dataset", "B-Task", "B-Metric", "O"} <= labels


def test_model_tags_unseen_text_with_its_labels():
    doc = load_model()("We fine-tune QuartzNet-XL for speech recognition and report word error rate "
                       "on the Harbourview corpus.")
    assert any(t.tag_ != "O" for t in doc)
    assert {lab for _, _, lab in bio_spans(doc)} <= {"Method", "Dataset", "Task", "Metric"}




def test_model_spans_become_names_not_descriptions():
    # a name, a description, a cut name and a coordination, tagged as a model would
    doc = tagged("We use the ZenTrox models and Riemannian , Self - Refine and Quibble and Florp datasets .",
                 ["O", "O", "O", "B-Method", "I-Method", "O", "B-Method", "O", "B-Method", "O", "O", "O",
                  "B-Dataset", "I-Dataset", "I-Dataset", "I-Dataset", "O"])
    # "ZenTrox models" -> the name; one capitalised word, a cut name ("Self" of "Self-Refine")
    # are not; a dataset is "X dataset" and a coordination gives each name its own span, the
    # head word after the last name ("datasets") being every name's
    assert cands(doc) == [("Method", "ZenTrox"), ("Dataset", "Quibble"), ("Dataset", "Florp")]
    # tasks need a task's head word; metrics a metric's word or several words
    doc = tagged("We study image restoration and uncertainty , reporting accuracy and rate .",
                 ["O", "O", "B-Task", "I-Task", "O", "B-Task", "O", "O", "B-Metric", "O", "B-Metric", "O"])
    assert cands(doc) == [("Task", "image restoration"), ("Metric", "accuracy")]


def test_coordinated_dataset_names_share_the_head_word_after_the_last():
    doc = tagged("We train on the Youtube and Gplus datasets , then on Quibble .",
                 ["O", "O", "O", "O", "B-Dataset", "I-Dataset", "I-Dataset", "I-Dataset", "O", "O", "O",
                  "B-Dataset", "O"])
    # both names of the coordination are datasets; "Quibble" alone has no head word: not taken
    assert cands(doc) == [("Dataset", "Youtube"), ("Dataset", "Gplus")]
    # a lower-case span is never a name, whatever the model says
    doc = tagged("We train on the youtube datasets .", ["O", "O", "O", "O", "B-Dataset", "I-Dataset", "O"])
    assert cands(doc) == []


def test_links_metrics_and_cut_names_are_not_methods():
    doc = tagged("We report PSNR of GlimNet Splatting and ZenTrox ; code : https://github.com/a/b",
                 ["O", "O", "B-Method", "O", "B-Method", "O", "O", "B-Method", "O", "O", "O", "B-Method"])
    # a metric's name, a name cut before its next capitalised word, a link: none is a method
    assert cands(doc) == [("Method", "ZenTrox")]
    doc = tagged("A Mixture of Gated Experts , an IDF1 score , VFSS Segmentation and GlimNet Enhancement "
                 "Module", ["O", "O", "O", "B-Method", "I-Method", "O", "O", "B-Method", "O", "O", "B-Method",
                            "I-Method", "O", "B-Method", "I-Method", "I-Method"])
    # a name cut around "of", a metric's name before "score", a task's name; a named module is a method
    assert cands(doc) == [("Method", "GlimNet Enhancement")]


def test_metric_names_and_names_before_a_task_or_benchmark_word_are_not_methods():
    doc = tagged("QuandleNet lowers the Kelp Error Rate on the ATIS CSR task and the Harbour benchmark",
                 ["B-Method", "O", "O", "B-Method", "I-Method", "I-Method", "O", "O", "B-Method", "I-Method",
                  "I-Method", "O", "O", "B-Method", "I-Method"])
    # a measurement's name ("... Error Rate"), a name before "task", a name with "benchmark"
    assert cands(doc) == [("Method", "QuandleNet")]


def test_a_metric_with_its_value_is_not_a_method():
    doc = tagged("ZenTrox reaches quality ( FID 3.41/3.87 ) and BLEU 27.5 % here",
                 ["B-Method", "O", "O", "O", "B-Method", "I-Method", "O", "O", "B-Method", "I-Method",
                  "I-Method", "O"])
    # a metric's name followed by its value reads as a measurement, not a method
    assert cands(doc) == [("Method", "ZenTrox")]


def test_a_manner_or_a_verb_before_a_task_head_is_not_a_task():
    doc = tagged("Automatic identification , reducing reasoning error and automatic speech recognition",
                 ["B-Task", "I-Task", "O", "B-Task", "I-Task", "O", "O", "B-Task", "I-Task", "I-Task"])
    # how something is done ("automatic identification") or a verb with its object ("reducing
    # reasoning") says no task; a manner word before a task's own name still does
    assert cands(doc) == [("Task", "automatic speech recognition")]


def test_names_starting_inside_what_the_rules_took_are_skipped():
    doc = tagged("We train on the Youtube and Gplus datasets .",
                 ["O", "O", "O", "O", "B-Dataset", "I-Dataset", "I-Dataset", "I-Dataset", "O"])
    youtube = doc.text.index("Youtube")
    found = model_candidates(doc, is_generic=is_generic, is_task=is_task, name_shape=name_shape,
                             taken=[(youtube, youtube + 7)])
    assert [text for _, _, text in found] == ["Gplus"]
    found = model_candidates(doc, is_generic=is_generic, is_task=is_task, name_shape=name_shape,
                             taken=[(0, 2)])  # "We": nothing of the model's
    assert [text for _, _, text in found] == ["Youtube", "Gplus"]


def test_tag_docs_tags_as_the_spacy_tagger_does():
    nlp = load_model()
    texts = ["We fine-tune QuartzNet-XL on the Harbourview corpus.", "", "Plain words only here."]
    ours = tag_docs(nlp.get_pipe("entity_tagger"), [nlp.make_doc(t) for t in texts])
    theirs = list(nlp.pipe(texts))
    assert [[t.tag_ for t in d] for d in ours] == [[t.tag_ for t in d] for d in theirs]
    assert any(t.tag_ != "O" for t in ours[0])


def test_extract_with_the_model_gives_what_the_spacy_pipeline_gives():
    abstracts = [
        "We compare against Chronos, TimesFM and Lag-Llama on hourly electricity load.",
        "Bayesian optimal experimental design (BOED) chooses the next measurement. We propose Glimmer.",
        "We address time series forecasting and question answering, reporting accuracy on the Quandle "
        "benchmark and the Youtube and Gplus datasets (Smith et al., 2020).",
        "The Tessaloop network reaches 91% on Quandle, beating the PolyGraft baseline.",
        "",
    ]
    papers = [Paper(title=f"Paper {i}: A Study", abstract=a, source=Source("t.txt", i + 1), format="test")
              for i, a in enumerate(abstracts)]
    fast = list(extract(papers, nlp=WITH_MODEL, batch_size=2))  # kg's own pipeline: tagger + component
    slow_nlp = make_nlp("kg")
    sentencizer = slow_nlp.get_pipe("sentencizer")
    sentencizer.punct_chars = set(sentencizer.punct_chars) | {"\u2042"}
    slow = list(extract(papers, nlp=slow_nlp))  # not the default sentencizer: runs through nlp.pipe
    assert fast == slow
    assert any(m.origin == "model:kg-ner" for p in fast for m in p.mentions)


# --------------------------------------------------------------------------- rules + model


def test_unseen_names_found_and_edges_carry_text_evidence_and_line():
    abstract = ("Recent foundation models for forecasting are strong.\nWe compare against Chronos, "
                "TimesFM and Lag-Llama on hourly electricity load. The Switch Transformer is a sparse "
                "baseline, and the Nyström approximation keeps the kernel cheap.")
    p = run(abstract, title="Forecasting electricity load")
    methods = names(p, "Method")
    assert {"Chronos", "TimesFM", "Lag-Llama", "Switch Transformer", "Nyström approximation"} <= set(methods)
    assert "Llama" not in methods and "Transformer" not in methods  # whole names, not substrings
    lag = methods["Lag-Llama"]
    assert lag.text == "Lag-Llama" and "We compare against Chronos" in lag.evidence
    assert str(lag.source) == "t.txt:6"  # the abstract's second line holds that sentence


def test_the_models_whole_name_replaces_a_name_a_pattern_cut():
    # the rules' patterns may cut these names ("Zealand Birdsong"); the model reads them whole
    p = run("We report results on the New Zealand Birdsong corpus and on the Harbourview dataset. "
            "Our forecaster builds on a Temporal Fusion Transformer to predict hourly demand.")
    assert {"New Zealand Birdsong", "Harbourview"} <= set(names(p, "Dataset"))
    assert "Temporal Fusion Transformer" in names(p, "Method")
    assert not {"Zealand Birdsong", "Fusion Transformer"} & set(names(p))


def test_defined_acronym_and_proposed_names_are_introduced_not_used():
    p = run("Bayesian optimal experimental design (BOED) chooses the next measurement. BOED is costly "
            "for implicit models. We propose Glimmer: an amortised estimator of information gain. "
            "For sequential settings we call it Glimmer-2.", title="Cheaper experimental design")
    methods = names(p, "Method")
    boed = methods["Bayesian optimal experimental design"]
    assert "BOED" in boed.aliases
    assert methods["Glimmer"].introduces and methods["Glimmer-2"].introduces
    g = build(p)
    pid = next(n for n, d in g.nodes(data=True) if d["label"] == "Paper")
    glimmer = next(n for n, d in g.nodes(data=True) if d.get("name") == "Glimmer")
    assert g.has_edge(pid, glimmer, "INTRODUCES") and not g.has_edge(pid, glimmer, "USES_METHOD")


def test_word_sense_of_ambiguous_names():
    chem = run("The intraparticle diffusion model described the adsorption of dye on activated carbon, "
               "and leukotriene C4 was measured in the effluent.", title="Adsorption kinetics")
    assert not [m for m in chem.mentions if m.label in ("Method", "Dataset")]
    ml = run("We pre-train a small language model on C4 and compare it with a diffusion model for text.")
    assert "C4" in names(ml, "Dataset") and "Diffusion Model" in names(ml, "Method")


def test_tasks_are_tasks_and_metrics_not_methods():
    p = run("We address time series forecasting and question answering with one model, reporting "
            "the Wasserstein distance between forecasts and the truth.")
    tasks = names(p, "Task")
    assert {"Time-Series Forecasting", "Question Answering"} <= set(tasks)
    assert "Wasserstein Distance" not in names(p, "Method")


def test_fields_units_venues_and_title_words_are_not_methods():
    # each of these was a Method of the model before the rules below were added
    p = run("Questions span STEM, law and medicine; models run at 25Hz with 2D--3D lifting.")
    assert not {"STEM", "25Hz", "2D--3D"} & set(names(p, "Method"))  # a field, quantities
    p = run("We evaluate on 3,000 ICLR submissions and report a 35% FLOP reduction at 12kB of "
            "storage per image.")
    assert not {"ICLR", "FLOP", "FLOPs", "12kB"} & set(names(p, "Method"))  # a venue, a unit
    p = run("On the NIPS data set, perplexity degrades slightly.")
    assert "NIPS" in names(p, "Dataset")  # a venue's name may name data
    p = run("We build PolyTutor, a dialogue agent for Environmental Science and Software "
            "Engineering classes taught in Arabic NLP courses.")
    methods = names(p, "Method")
    assert "PolyTutor" in methods
    assert not {"Environmental Science", "Software Engineering", "Arabic NLP"} & set(methods)
    # a title capitalises every word: a span that ends in a plain word is the title's words
    p = run("We study how agents use memory.", title="Scalable Memory for GUI Agents with Sparse KV Routing")
    assert not {"Sparse KV Routing", "GUI Agents"} & set(names(p, "Method"))
    p = run("We study artefacts in scans.", title="Physically Grounded Priors for Dental CBCT")
    assert "Dental CBCT" not in names(p, "Method")  # an adjective and a short acronym
    p = run("Our models are trained with MXFP8 and evaluated at W3A4 against GPTQ.")
    assert not {"MXFP8", "W3A4"} & set(names(p, "Method"))  # a number format, bit widths


def build(p: Paper) -> nx.MultiDiGraph:
    from kg.build import build_graph
    from kg.resolve import resolve

    return build_graph(resolve([p]))


# --------------------------------------------------------------------------- kg build


LISTING = "\n".join([
    "Get trending papers in your email inbox!",
    "SubscribeGlimmer: Amortised Experimental Design for Question Answering Agents",
    "We propose Glimmer, an amortised design policy for question answering. "
    "We compare against Chronos and TimesFM on the Quandle benchmark.",
    "Kestrel-2: Fast Sparse Attention",
    "Kestrel-2 replaces dense attention by block-sparse attention in the Switch Transformer. "
    "Code: https://github.com/kestrel/k2.",
    "",
])


@pytest.fixture(scope="module")
def listing(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("listing")
    (d / "page.txt").write_text(LISTING, encoding="utf-8")
    return d / "page.txt"


@pytest.mark.parametrize("flags", [[], ["--no-model"]])
def test_kg_build_uses_the_model_by_default_and_no_model_turns_it_off(listing, tmp_path, flags):
    out = tmp_path / "out"
    args = ["build", str(listing), "--out", str(out), "--no-view", "--jobs", "1", *flags]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    g = nx.node_link_graph(json.loads((out / "graph.json").read_text()), edges="edges")
    state = json.loads(next((out / ".kg").glob("*.json")).read_text()) if (out / ".kg").is_dir() else {}
    if state.get("settings"):
        assert state["settings"]["model"] == ("" if flags else "kg")
    by_name = {d.get("name"): n for n, d in g.nodes(data=True)}
    paper = next(n for n, d in g.nodes(data=True) if d.get("title", "").startswith("Glimmer"))
    assert g.nodes[by_name["Question Answering"]]["label"] == "Task"
    assert g.has_edge(paper, by_name["Question Answering"], "ADDRESSES")
    assert g.has_edge(paper, by_name["Glimmer"], "INTRODUCES")
    assert not g.has_edge(paper, by_name["Glimmer"], "USES_METHOD")
    for u, v, k, d in g.edges(keys=True, data=True):
        if k in ("USES_METHOD", "USES_DATASET", "INTRODUCES", "ADDRESSES", "HAS_CODE"):
            assert d["text"] and d["evidence"], (u, v, k)
            line = int(d["provenance"].rsplit(":", 1)[1])
            assert d["evidence"] in LISTING.splitlines()[line - 1], (k, d)  # the line holds the sentence


def test_a_plain_words_name_keeps_its_capitalised_head():
    doc = tagged("We present the Tidal Disclosure Model for tides",
                 ["O", "O", "O", "B-Method", "I-Method", "I-Method", "O", "O"])
    # a name of plain words keeps its head; "GlimNet Enhancement Module" above drops it
    assert cands(doc) == [("Method", "Tidal Disclosure Model")]
