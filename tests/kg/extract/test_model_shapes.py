"""Shapes of the model's Method and Dataset spans that are not names (kg.extract.ner._check)."""

from __future__ import annotations

from kg.extract.component import METHOD_HEADS, _listed_with
from tests.kg.extract.model_docs import cands, tagged, tagged_spans


def test_a_plain_lowercase_word_does_not_open_a_name():
    doc = tagged("We train a multimodal QuibbleNet and a ZenTrox Fusion on noisy Florp data .",
                 ["O", "O", "O", "B-Method", "I-Method", "O", "O", "B-Method", "I-Method", "O", "O",
                  "B-Dataset", "I-Dataset", "O"])
    # an adjective before a name ("multimodal QuibbleNet") is not the name; a name of
    # capitalised words stays
    assert cands(doc) == [("Method", "ZenTrox Fusion")]


def test_an_acronym_in_the_plural_names_a_kind():
    doc = tagged("Recent GLXMs fail where ZENTROX succeeds .",
                 ["O", "B-Method", "O", "O", "B-Method", "O", "O"])
    # "GLXMs": many models of a kind; "ZENTROX" one method
    assert cands(doc) == [("Method", "ZENTROX")]


def test_a_metric_at_a_cut_off_is_not_a_method():
    doc = tagged("ZenTrox gains 3.1 points of mAP50 and of Rank-1 .",
                 ["B-Method", "O", "O", "O", "O", "B-Method", "O", "O", "B-Method", "O"])
    assert cands(doc) == [("Method", "ZenTrox")]


def test_the_end_of_a_name_its_bracketed_acronym_abbreviates_is_cut():
    doc = tagged("We propose Quibble with Sparse Fusion (QWSF-Net) and Gated Florp Mixing (GFM).",
                 ["O", "O", "O", "O", "B-Method", "I-Method", "O", "O", "O", "O", "O", "O",
                  "B-Method", "I-Method", "I-Method", "O", "O", "O", "O"])
    # "Sparse Fusion" is the end of "Quibble with Sparse Fusion" (QWSF starts with the Q of
    # "Quibble"); "Gated Florp Mixing" is all of its acronym's name
    assert cands(doc) == [("Method", "Gated Florp Mixing")]


def test_plain_words_after_a_capitalised_compound_are_the_end_of_a_name():
    doc = tagged("A Florp-based Quibble Sparse Mixer and a Florp-based ZenTrox Mixer.",
                 ["O", "O", "O", "O", "B-Method", "I-Method", "I-Method", "O", "O", "O", "O", "O",
                  "B-Method", "I-Method", "O"])
    # "Quibble Sparse Mixer" goes on over "Florp-based": the model read the end of the name;
    # a name shaped as one ("ZenTrox") after a compound that describes it stays
    assert cands(doc) == [("Method", "ZenTrox Mixer")]


# ---------------------------------------------------------------- measures, events, places, tasks
# (prec13: the classes of wrong model-only Method spans read on 4,000 unlabelled arXiv abstracts)


def _kept(text: str, spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(label, name)`` of the tagged spans the model's checks keep (with the rules' method heads)."""
    return cands(tagged_spans(text, spans), method_heads=METHOD_HEADS)


def test_a_metrics_variant_is_not_a_method():
    text = "We report BLEU-4 , ROUGE-L and FPR95 for ZenTrox-4 and QuibbleNet-L ."
    spans = [("BLEU-4", "Method"), ("ROUGE-L", "Method"), ("FPR95", "Method"), ("ZenTrox-4", "Method"),
             ("QuibbleNet-L", "Method")]
    # a metric with its order or cut-off; names of the same shape stay
    assert _kept(text, spans) == [("Method", "ZenTrox-4"), ("Method", "QuibbleNet-L")]


def test_a_name_after_a_value_or_called_a_metric_is_a_measure():
    text = "ZenTrox gains 42.2% FLORPQ and 3.5 ZORBA over 3 QuibbleNet variants ."
    spans = [("ZenTrox", "Method"), ("FLORPQ", "Method"), ("ZORBA", "Method"), ("QuibbleNet", "Method")]
    # a decimal or a percentage before a name makes it the value's measure; a count does not
    assert _kept(text, spans) == [("Method", "ZenTrox"), ("Method", "QuibbleNet")]
    text = "We add an objective metric , FlorpEval , and a metric learning approach , ZenTrox ."
    assert _kept(text, [("FlorpEval", "Method"), ("ZenTrox", "Method")]) == [("Method", "ZenTrox")]


def test_an_events_edition_and_a_disease_are_not_methods():
    text = ("We join the FlorpEval 2025 challenge and the ZorbFest-2024 track with QuibbleNet-2048 "
            "and ZenTrox 3 .")
    spans = [("FlorpEval", "Method"), ("ZorbFest-2024", "Method"), ("QuibbleNet-2048", "Method"),
             ("ZenTrox", "Method")]
    # a year after or at the end of a name: an event's edition; other numbers are a name's
    assert _kept(text, spans) == [("Method", "QuibbleNet-2048"), ("Method", "ZenTrox")]
    text = "During the ZORVID-19 pandemic we trained ZenTrox-19 models ."
    assert _kept(text, [("ZORVID-19", "Method"), ("ZenTrox-19", "Method")]) == [("Method", "ZenTrox-19")]


def test_organisations_places_and_languages_are_not_methods():
    text = ("Built at the Florp Institute in Zorb Province , ZenTrox reads Classical Chinese and runs "
            "Persian ASR beside Chinese QuibbleBERT and Gated Florp Attention .")
    spans = [("Florp Institute", "Method"), ("Zorb Province", "Method"), ("ZenTrox", "Method"),
             ("Classical Chinese", "Method"), ("Persian ASR", "Method"), ("Chinese QuibbleBERT", "Method"),
             ("Gated Florp Attention", "Method")]
    # an organisation, a place, a language and a language's task; a model named for a language
    # and a name of plain capitalised words stay
    assert _kept(text, spans) == [("Method", "ZenTrox"), ("Method", "Chinese QuibbleBERT"),
                                  ("Method", "Gated Florp Attention")]


def test_a_tasks_acronym_and_a_name_before_a_task_word_are_tasks():
    text = ("For speech-to-florp translation ( S2FT ) and ZORP detection we use a florp network ( FLNW ) "
            "and the QuibbleSeg segmentation model .")
    spans = [("S2FT", "Method"), ("ZORP", "Method"), ("FLNW", "Method"), ("QuibbleSeg", "Method")]
    # an acronym of a long form ending in a task's word, a name before a task's word; not a
    # method's acronym nor a name before a task's word and a method's head
    assert _kept(text, spans) == [("Method", "FLNW"), ("Method", "QuibbleSeg")]


def test_a_name_a_score_was_measured_on_is_data():
    text = ("ZenTrox gains +13% AUROC on FlorpBench , 10.4% on the QuibbleNet backbone , a 5.56 times "
            "speedup on ZorbVideo and a 34.8% reduction in PIQX .")
    spans = [("ZenTrox", "Method"), ("FlorpBench", "Method"), ("QuibbleNet", "Method"),
             ("ZorbVideo", "Method"), ("PIQX", "Method")]
    # the data a score was measured on; not a backbone, a model sped up, a measure that changed
    assert _kept(text, spans) == [("Method", "ZenTrox"), ("Dataset", "FlorpBench"), ("Method", "QuibbleNet"),
                                  ("Method", "ZorbVideo")]


def test_hardware_simulators_licences_and_projects_are_not_methods():
    text = ("ZenTrox runs on one Florp9 GPU in the ZorbSim simulator of the QuibbleEyes project , "
            "beside the Florp Reasoner and the GlimNet API .")
    assert _kept("We met at the ZorbCon conference on the FlorpHub platform .",
                 [("ZorbCon", "Method"), ("FlorpHub", "Method")]) == []
    spans = [("ZenTrox", "Method"), ("Florp9 GPU", "Method"), ("ZorbSim", "Method"),
             ("QuibbleEyes", "Method"),
             ("Florp Reasoner", "Method"), ("GlimNet", "Method")]
    # what the head word after (or ending) a name says it is; a model's API is the model's
    assert _kept(text, spans) == [("Method", "ZenTrox"), ("Method", "Florp Reasoner"), ("Method", "GlimNet")]


def test_look_alikes_of_the_measure_task_and_language_checks_stay_names():
    text = ("A repeated measures ZORBOVA test , the Gated Florp Classification ( GFCX ) , an approach for "
            "image classification ( FedFlorpNet ) and Greek Florp Models with an Indian Florp Process .")
    spans = [("ZORBOVA", "Method"), ("Gated Florp Classification", "Method"), ("GFCX", "Method"),
             ("FedFlorpNet", "Method"), ("Greek Florp Models", "Method"), ("Indian Florp Process", "Method")]
    # "measures" does not call a name a metric; a method named in Title Case keeps its acronym; a
    # name in brackets after a task is no acronym of it; a family of models named for a language
    # ("Gated Florp Classification" itself reads as a task's name: an earlier check)
    assert _kept(text, spans) == [("Method", "ZORBOVA"), ("Method", "GFCX"), ("Method", "FedFlorpNet"),
                                  ("Method", "Greek Florp Models"), ("Method", "Indian Florp Process")]


def test_a_name_listed_with_data_is_data():
    text = "Results on ImageNet , CIFAR-10 and ZorbScenes hold . In the Zorb Frame , FlorpBench wins ."
    labels, ends = {}, {}
    for name in ("ImageNet", "CIFAR-10", "FlorpBench"):
        start = text.index(name)
        labels[start] = labels[-(start + len(name))] = "Dataset"
        ends[start] = start + len(name)
    zorb = text.index("ZorbScenes")
    frame = text.index("Zorb Frame")
    # listed after known data: data; a phrase that a comma ends before a known name is no list
    assert _listed_with(text, zorb, zorb + len("ZorbScenes"), labels, ends) == "Dataset"
    assert _listed_with(text, frame, frame + len("Zorb Frame"), labels, ends) is None
