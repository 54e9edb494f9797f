"""Abstracts of other fields (medicine, economics) and titles typed in capitals: kg's unlisted
names (acronyms no word labels, the trained model's tags) are not read as methods there, while
the same shapes in a computing abstract still are. Sentences written for these tests."""

import pytest

from kg.extract import extract
from kg.extract.names import computing_text
from kg.model import Paper, Source


def _mentions(title: str, abstract: str, model: str | None) -> list[tuple[str, str]]:
    paper = Paper(title=title, abstract=abstract, source=Source("papers.jsonl", 1), format="jsonl")
    (out,) = extract([paper], model=model)
    return [(m.label, m.name) for m in out.mentions if m.label in ("Method", "Dataset")]


MEDICAL = ("Recurrence of stress cardiomyopathy",
           "Takotsubo cardiomyopathy (TTC) is a transient heart failure syndrome. We followed 52 patients "
           "after a first episode; TTC recurred in four of them within two years of the first event.")
COMPUTING = ("Graph learning for traffic",
             "Spatio-temporal graph convolution (STGC) models traffic flow. We train STGC on city sensor "
             "data; STGC beats recurrent baselines on three benchmarks.")


@pytest.mark.parametrize("model", [None, "kg"])
def test_an_acronym_no_word_labels_is_no_method_in_a_medical_abstract(model):
    assert _mentions(*MEDICAL, model) == []
    assert ("Method", "Spatio-temporal graph convolution") in _mentions(*COMPUTING, model)


def test_the_model_reads_no_names_in_another_field():
    serum = ("Serum markers in fatty liver disease",
             "Serum levels of GFAP, STAT3 and VCAM-1 were measured in 40 patients with non-alcoholic fatty "
             "liver disease (NAFLD). NAFLD patients showed higher GFAP levels than controls, and STAT3 "
             "activation was seen in liver tissue.")
    assert _mentions(*serum, "kg") == []
    # a medical text about computing keeps the model: "CoTracker" is read
    tracking = ("Tracking tissue in endoscopic video",
                "We combine two CoTracker models to follow tissue motion in stereo endoscopic images from "
                "12 patients, and evaluate the pipeline on a robotic setup.")
    assert ("Method", "CoTracker") in _mentions(*tracking, "kg")


def test_a_title_in_capitals_gives_no_names():
    title = "A CRITICAL REVIEW OF CAP AND TRADE SCHEMES FOR CARBON MARKETS"
    abstract = "We review the algorithms that allocate emission permits in simulated markets."
    assert computing_text(f"{title}\n\n{abstract}")
    assert _mentions(title, abstract, "kg") == []


def test_computing_text():
    assert computing_text("We fine-tune a language model on clinical notes of 300 patients.")
    assert computing_text("A note on planar graphs.")  # no word of another field: kept
    assert not computing_text("Serum GFAP was higher in patients with liver disease.")


def test_a_name_before_a_citation_is_a_method_only_in_a_computing_text():
    places = ("Winters of central Europe",
              "Freezing events of the Danube River (Huber and Stone, 1998) and Lake Vattern "
              "(Lind et al., 2004) date the cold winters; ice cover of rivers recorded 40 of them.")
    assert _mentions(*places, None) == []
    cited = ("Agents that debate",
             "We extend Multi-Agent Feedback (Li et al., 2025a) to code review with language models.")
    assert ("Method", "Multi-Agent Feedback") in _mentions(*cited, None)
