"""Extraction rules on small hand-written texts: edge cases, text safety, model pipelines."""

from __future__ import annotations

import pytest
import spacy

from kg.errors import ExtractionError
from kg.extract import extract, make_nlp
from kg.extract.component import name_shape
from kg.extract.gazetteer import _parse, is_generic
from kg.extract.patterns import find_acronyms, find_citations, find_repositories
from kg.model import Citation, Mention, Paper, Source

NLP = make_nlp()


def paper(abstract: str, title: str = "A Study", line: int = 3) -> Paper:
    return Paper(title=title, abstract=abstract, source=Source("t.txt", line), format="test")


def one(abstract: str, title: str = "A Study") -> Paper:
    return next(extract([paper(abstract, title)], nlp=NLP))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at https://github.com/Owner/Repo.", [("Owner/Repo", "https://github.com/Owner/Repo")]),
        ("(https://github.com/a/b/blob/main/x.py)", [("a/b", "https://github.com/a/b")]),
        ("github.com/a/b-c_d.e, see", [("a/b-c_d.e", "https://github.com/a/b-c_d.e")]),
        ("https://gitlab.com/grp/proj/-/tree/x;", [("grp/proj", "https://gitlab.com/grp/proj")]),
        ("https://bitbucket.org/team/tool]", [("team/tool", "https://bitbucket.org/team/tool")]),
        ("https://user.github.io/proj and https://goo.gl/xyz and https://github.com/orgs/x", []),
    ],
)
def test_repository_urls(text, expected):
    assert [(r.name, r.url) for r in find_repositories(text)] == expected


def test_repository_once_per_paper_with_host():
    p = one("Code: https://github.com/a/b. Mirror: https://github.com/a/b.git")
    repos = [m for m in p.mentions if m.label == "Repository"]
    assert [(m.name, m.host) for m in repos] == [("a/b", "github")]
    assert repos[0].evidence == "Code: https://github.com/a/b."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Smith, 2020a; Smith, 2020b)", [(("Smith",), 2020), (("Smith",), 2020)]),
        ("(Smith et al 2019)", [(("Smith",), 2019)]),
        ("(van der Berg et al., 2021)", [(("van der Berg",), 2021)]),
        ("(Müller-Lüdenscheidt and Ødegård, 2017)", [(("Müller-Lüdenscheidt", "Ødegård"), 2017)]),
        ("(e.g., Brown et al., 2020)", [(("Brown",), 2020)]),
        ("(Lee, 2018, 2019)", [(("Lee",), 2018), (("Lee",), 2019)]),
        ("by Mallat, 2012.", [(("Mallat",), 2012)]),
        ("(Stage 1)", []),
        ("(2023)", []),
        ("(EEG, heart rate)", []),
        ("(i)", []),
        ("(CPUs, 2020)", []),
        ("(Table 3, 2021)", []),
        ("from 2010 to 2020", []),
    ],
)
def test_citation_shapes(text, expected):
    assert [(c.surnames, c.year) for c in find_citations(text)] == expected


def test_citations_keep_the_loader_ones_and_count_once():
    given = Citation(surnames=("Old",), year=1999, text="Old, 1999")
    mention = Mention(label="Method", name="Given Method", origin="source")
    p = Paper(title="T", abstract="As (Fu et al., 2018) and again (Fu et al., 2018) and (Old, 1999).",
              source=Source("t.txt", 9), format="test", citations=(given,), mentions=(mention,))
    out = next(extract([p], nlp=NLP))
    assert out.citations[0] is given
    assert [(c.surnames, c.year) for c in out.citations] == [(("Old",), 1999), (("Fu",), 2018)]
    assert out.citations[1].source == Source("t.txt", 9)
    assert out.mentions[0] is mention


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sparse Mixture-of-Experts (s-MoE) layers", [("s-MoE", "Sparse Mixture-of-Experts")]),
        ("graph neural networks (GNNs) are", [("GNNs", "graph neural networks")]),
        ("the proposed 3D Gaussian Splatting (3DGS)", [("3DGS", "3D Gaussian Splatting")]),
        ("bio-signals (EEG, heart rate)", []),
        ("two steps: (i) extraction", []),
        ("was studied (Smith, 2020)", []),
        ("a nice method (NM)", [("NM", "nice method")]),
        ("an unrelated phrase (XYZ)", []),
        # the short form after ", or"
        ("we propose sparse tensor voting with cues, or STV-C. STV-C is fast",
         [("STV-C", "sparse tensor voting with cues")]),
        ("a long short-term memory, or LSTM, network", [("LSTM", "long short-term memory")]),
        ("we eat apples, or Pears.", []),
        ("with cats, dogs, or MICE", []),
        ("graph neural networks (GNNs), or GNN-based models", [("GNNs", "graph neural networks")]),
    ],
)
def test_acronym_letters_are_checked(text, expected):
    assert [(a.short, a.long) for a in find_acronyms(text)] == expected


def test_plural_acronym_gives_singular_alias():
    p = one("We study Quantum Walk Algorithms (QWAs) on graphs.")
    m = next(m for m in p.mentions if m.name == "Quantum Walk Algorithms")
    assert m.label == "Method" and set(m.aliases) == {"QWAs", "QWA"}


def test_generic_words_are_not_entities():
    for word in ("framework", "model", "approach", "method", "dataset", "a novel framework",
                 "theoretical framework", "our method", "the proposed algorithm"):
        assert is_generic(word), word
    assert not is_generic("SimCLR") and not is_generic("Bayesian Attention Mechanism")
    p = one("We propose a novel framework. We introduce a theoretical framework and a new dataset. "
            "We present the Framework. The Dataset benchmark is used.", title="Framework: A Model")
    assert p.mentions == ()


def test_we_propose_a_named_thing():
    p = one("We introduce FooNet, a convolutional architecture. We release BarQA, a benchmark of questions.")
    got = {m.name: (m.label, m.introduces) for m in p.mentions}
    assert got["FooNet"] == ("Method", True)
    assert got["BarQA"] == ("Dataset", True)


def test_the_x_dataset_pattern_and_gazetteer_variants():
    p = one("We evaluate on the Eterna100 benchmark, on cifar-10 and on the ToyCorp dataset with "
            "mixture of experts and Mixture-of-Experts and GANs; we clip gradients.")
    got = {m.name: m.label for m in p.mentions}
    assert got == {"Eterna100": "Dataset", "CIFAR-10": "Dataset", "ToyCorp": "Dataset",
                   "Mixture of Experts": "Method", "Generative Adversarial Network": "Method"}
    assert "CLIP" not in got  # "clip" the verb is not CLIP


def test_name_shape():
    assert name_shape("SteepGS") and name_shape("RPC") and name_shape("h-Edit")
    assert not name_shape("Framework") and not name_shape("I")


def test_text_safety_surrogates_controls_and_huge_text():
    p = one("Bad \ud800 text\x00 with ResNet (He et al., 2016).", title="Odd \udfff title")
    assert [m.name for m in p.mentions] == ["ResNet"]
    assert [c.surnames for c in p.citations] == [("He",)]
    nlp = make_nlp()
    nlp.max_length = 5000
    sentence = "We train a model on MNIST with Adam. "
    big = sentence * 400 + "Finally we use https://github.com/x/y and (Zed et al., 2001)."
    out = next(extract([paper(big)], nlp=nlp))
    names = [m.name for m in out.mentions]
    assert names == ["MNIST", "Adam", "x/y"]
    assert [c.surnames for c in out.citations] == [("Zed",)]


def test_empty_abstract_and_stub_and_streaming():
    seen = []

    def gen():
        for i in range(3):
            seen.append(i)
            yield Paper(title=f"Paper {i}", abstract="" if i else "Uses BERT.", source=Source("s", i + 1),
                        format="test", stub=i == 2)

    it = extract(gen(), nlp=NLP, batch_size=1)
    first = next(it)
    assert [m.name for m in first.mentions] == ["BERT"]
    rest = list(it)
    assert [p.title for p in rest] == ["Paper 1", "Paper 2"]
    assert rest[1].stub is True and rest[1].mentions == ()


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ExtractionError, match="cannot load the spaCy pipeline 'en_core_web_nope'"):
        make_nlp("en_core_web_nope")


def test_a_saved_pipeline_adds_candidates(tmp_path):
    trained = spacy.blank("en")
    ruler = trained.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PRODUCT", "pattern": "Zorbatron"}])
    trained.to_disk(tmp_path / "mini_pipeline")
    nlp = make_nlp(str(tmp_path / "mini_pipeline"))
    assert nlp.pipe_names[-1] == "kg_entities"
    p = next(extract([paper("We fine-tune the Zorbatron model on ImageNet.")], nlp=nlp))
    got = {m.name: (m.label, m.origin) for m in p.mentions}
    assert got["Zorbatron"] == ("Method", "model:mini_pipeline")
    assert got["ImageNet"] == ("Dataset", "gazetteer")


def test_gazetteer_lines_are_checked():
    with pytest.raises(ExtractionError, match=r"x.txt:2: empty name"):
        _parse("Method", "Good | alias\nBad | | alias\n", "x.txt")


def test_keyword_led_patterns_and_sentences_on_the_rules_only_path():
    # the rules alone try "compared with", "outperforms" and "the Nyström approximation" only
    # where their keywords are, and find sentences from the punctuation's tokens only: each must
    # still fire here, and "e.g." and the ideographic full stop must split (or not) as spaCy does
    p = one("Our solver beats the Nyström approximation on kernels, e.g. for Gaussian processes. "
            "We compare it with Chronos, TimesFM and Lag-Llama。 It outperforms FooCast in all settings.")
    first = "Our solver beats the Nyström approximation on kernels, e.g. for Gaussian processes."
    second = "We compare it with Chronos, TimesFM and Lag-Llama。"
    assert [(m.label, m.name, m.evidence) for m in p.mentions] == [
        ("Method", "Nyström approximation", first),
        ("Method", "Chronos", second),
        ("Method", "TimesFM", second),
        ("Method", "Lag-Llama", second),
        ("Method", "FooCast", "It outperforms FooCast in all settings."),
    ]


def test_a_surnames_method_at_the_start_of_an_aside_between_dashes():
    # "three algorithms -- Nyström approximation, CR decomposition, and SVD --": a capitalised
    # word after a dash inside a sentence is a name, as after a comma; a sentence's first word
    # ("Gaussian elimination is ...") and a dash with no word before it are not read so
    for dash in (" -- ", " \u2014 ", " \u2013 "):
        p = one(f"It builds on three matrix decomposition algorithms{dash}Nyström approximation, "
                "CR decomposition, and SVD.")
        assert "Nyström approximation" in {m.name for m in p.mentions}, dash
    p = one("Gaussian elimination is slow. -- Gaussian elimination again.")
    assert "Gaussian elimination" not in {m.name for m in p.mentions}


def test_a_known_name_is_not_cut_by_a_list_or_a_technique_head():
    # "Thompson" of "Thompson sampling" (a list of algorithms cut at the lower-case word) and
    # "Carlo estimators" of "Monte Carlo estimators" are pieces of longer names, not methods
    p = one("Transformers approximate bandit algorithms like LinUCB and Thompson sampling well. "
            "We study Monte Carlo estimators under noise. The Gumbel-Sinkhorn method needs N*N weights.")
    names = {m.name for m in p.mentions}
    assert {"LinUCB", "Thompson Sampling", "Gumbel-Sinkhorn method"} <= names, names
    assert not {"Thompson", "Carlo estimators"} & names, names


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        # lower-case phrases abbreviated: a disease, a property, a field are no methods; a phrase
        # whose head says "method" or that the paper proposes is one
        ("Patients with lupus nephritis (LN) were followed. LN outcomes improved with our "
         "self-taught reasoner (STaR). STaR is simple.", {"STaR"}, {"LN"}),
        ("We flag out-of-distribution (OOD) inputs; OOD inputs are rare. We propose probabilistic "
         "generating circuits (PGCs) for them. PGCs are tractable.", {"PGC"}, {"OOD"}),
        ("Cameras with coded exposure (CE) and a variational autoencoder (VAE) help. CE and VAE "
         "are compared.", {"Variational Autoencoder"}, {"CE"}),
    ],
)
def test_a_lower_case_phrase_abbreviated_is_a_method_only_when_it_reads_as_one(text, kept, dropped):
    methods = {m.name for m in one(text).mentions if m.label == "Method"}
    assert kept <= methods and not dropped & methods, methods


def test_a_sentence_opening_on_a_named_benchmark_names_a_dataset():
    # "On MATH500, ...": where the sentence's result was measured; a model (a size in its name,
    # a known model family), a plain word and a plural acronym are not data
    p = one("We study sampling. On MATH500, Power-SMC matches MH sampling. On Qwen3-8B, it is fast. "
            "On Mars, rovers roam. On LLMs, it is slow. On GPT-4, it fails.\nOn ZebraQA-2, it wins.")
    datasets = {m.name for m in p.mentions if m.label == "Dataset"}
    assert datasets == {"MATH500", "ZebraQA-2"}, datasets


def test_mentions_of_one_sentence_share_its_string():
    # a large build holds every evidence sentence: one string per sentence, not one per mention
    # (and the records sent back from a worker keep them shared: pickle keeps shared objects)
    import pickle

    p = one("We train LoRA with Adam on ImageNet (Fu et al., 2018). Then we use BERT.")
    first = [x for x in (*p.mentions, *p.citations) if x.evidence.startswith("We train")]
    assert len(first) >= 3
    assert all(x.evidence is first[0].evidence for x in first)
    back = pickle.loads(pickle.dumps(first))
    assert all(x.evidence is back[0].evidence for x in back)


@pytest.mark.parametrize(("abstract", "expected"), [
    # names listed in brackets after a plural head word that says they are methods
    ("We test four forecasting models (Chronos, Moirai, TimesFM, Lag-Llama) on hourly loads.",
     {"Chronos", "Moirai", "Lag-Llama"}),  # (TimesFM: the gazetteer's since 2026-11-29)
    ("Strong detectors (e.g., FooDet-v2) fail on fog.", {"FooDet-v2"}),
    ("Chat models (e.g., GPT-9's successor ZorkLM, BarChat's) lie.", set()),
    ("Ranking models such as FooLM's and QuzNet agree.", {"FooLM", "QuzNet"}),
    ("We run three solvers (Gurobix, CbcLite and HiGHSy) on every instance.",
     {"Gurobix", "CbcLite", "HiGHSy"}),
    # after "such as", "including", "namely"
    ("It beats prior methods such as QuuxNet and ZedFormer by 3 points.", {"QuuxNet", "ZedFormer"}),
    # a reference, an abbreviation, a list that is not only names: nothing
    ("Details of the methods (Sec. 3) follow.", set()),
    ("We formalize three persuasion techniques (Majority, Flattery, Pity) here.", set()),
    ("We propose two algorithms, namely Fed-Cyclic and Fed-Star.", {"Fed-Cyclic", "Fed-Star"}),
    ("Large vision-language models (LVLMx) are popular.", set()),
    ("The models (trained on our data) converge.", set()),
    ("Three approaches (see Section 2, Table 4) exist.", set()),
])
def test_methods_listed_after_a_plural_head(abstract, expected):
    found = {m.name for m in one(abstract).mentions if m.label == "Method" and m.origin == "pattern"}
    assert found == expected


@pytest.mark.parametrize(("abstract", "expected"), [
    ("Our final model S9Q is a diagonal version of S4.", {"S9Q"}),
    ("Our method, DeltaFooNet, outperforms earlier work.", {"DeltaFooNet"}),
    ("Our framework MoXi runs fast.", {"MoXi"}),
    ("Trained on the FooBench dataset, our final model, Nexoo, wins.", {"Nexoo"}),
    ("Our model is strong and our approach works.", set()),
    ("Our method BERT-based scoring is poor.", set()),
])
def test_our_method_by_its_name_is_introduced(abstract, expected):
    found = {m.name for m in one(abstract).mentions if m.label == "Method" and m.introduces}
    assert found == expected


@pytest.mark.parametrize(("title", "abstract", "introduced", "used"), [
    # the paper's own methods, listed after "we propose"
    ("A Study", "We propose two simple yet effective techniques, namely Clap-Cov and KL-Cav, which clip.",
     {"Clap-Cov", "KL-Cav"}, set()),
    ("A Study", "We introduce a family of models (QuxLM-7B, QuxLM-70B) for code.",
     {"QuxLM-7B", "QuxLM-70B"}, set()),
    # others' methods in the same sentence shape: used, not introduced
    ("A Study", "We propose FooNet, which outperforms models such as BarNet and BazNet.",
     {"FooNet"}, {"BarNet", "BazNet"}),
    ("A Study", "We present results for strong baselines such as ZapNet and ZipNet.",
     set(), {"ZapNet", "ZipNet"}),
    # a coined acronym defined in the title is the paper's own; a common or known one is not
    ("Epicasting: An Ensemble Wavelet Neural Network (EWNet) for Forecasting", "EWNet beats ARIMA.",
     {"Ensemble Wavelet Neural Network"}, set()),
    ("Improving Large Language Models (LLMs) for Math", "We study LLMs.", set(), {"Large Language Model"}),
])
def test_introduced_or_used(title, abstract, introduced, used):
    mentions = [m for m in one(abstract, title).mentions if m.label == "Method"]
    assert {m.name for m in mentions if m.introduces} == introduced
    assert {m.name for m in mentions if not m.introduces} >= used


@pytest.mark.parametrize(("title", "abstract", "introduced", "not_introduced"), [
    # a name set in bold is read without its LaTeX command
    ("A Study", r"We introduce \textbf{QuillNet}, a parser of recipes. \textbf{QuillNet} reads fast.",
     {"QuillNet"}, set()),
    # the paper's own framework, by name, before its head noun; a short acronym there describes
    ("A Study", "To close this gap, we propose the MORVANE framework for tide tables.", {"MORVANE"}, set()),
    ("A Study", "We propose a PDE framework for tides.", set(), {"PDE"}),
    ("A Study", "This paper proposes a lightweight SoftMax attention mechanism for tides.", set(),
     {"SoftMax"}),
    # "the proposed X": the paper's own thing; "the previously proposed X" is another paper's
    ("A Study", "Results show that the proposed TidalNet model beats ARIMA on tides.", {"TidalNet"}, set()),
    ("A Study", "We compare with the previously proposed KelpNet model on tides.", set(), {"KelpNet"}),
    # weaker verbs introduce a name only when a description or definition follows it
    ("A Study", "Guided by these insights, we derive GlimmerMix (Glimmer Mixing), a lightweight recipe.",
     {"GlimmerMix"}, set()),
    ("A Study", "We derive PAC-Bayes bounds for the tide model.", set(), {"PAC-Bayes"}),
    # a name that describes with another name is not a name of its own
    ("A Study", "We propose ECG-specific training configurations for wearables.", set(), {"ECG-specific"}),
    # a coined compound before the title's colon; "-Bench" says it is a benchmark
    ("Pebble-Bench: Evaluating Agents on Garden Chores", "We evaluate seven agents on chores.",
     {"Pebble-Bench"}, set()),
    # the whole title is the paper's own thing, even in common words
    ("Tidal Ledgers", "We propose Tidal Ledgers, a way to record who changed a table and when.",
     {"Tidal Ledgers"}, set()),
])
def test_the_papers_own_name_is_introduced(title, abstract, introduced, not_introduced):
    mentions = one(abstract, title).mentions
    found = {m.name for m in mentions if m.introduces}
    assert found == introduced
    assert found.isdisjoint(not_introduced)


def test_a_bold_name_keeps_its_evidence_and_line_as_written():
    abstract = "Tides matter.\nWe introduce \\textbf{QuillNet}, a parser\nof recipes."
    listed = Paper(title="A Study", abstract=abstract, source=Source("t.txt", 3), format="test",
                   abstract_line=4)
    p = next(extract([listed], nlp=NLP))
    (m,) = [m for m in p.mentions if m.name == "QuillNet"]
    assert m.label == "Method" and m.introduces and m.text == "QuillNet"
    assert m.evidence == "We introduce \\textbf{QuillNet}, a parser\nof recipes."
    assert m.source is not None and m.source.line == 5
    # the model's path reads the same text
    q = next(extract([listed], model="kg"))
    (n,) = [x for x in q.mentions if x.name == "QuillNet"]
    assert (n.introduces, n.evidence, n.source) == (True, m.evidence, m.source)


def test_a_bold_name_in_the_title_is_read_and_quoted_as_written():
    p = next(extract([paper("We test it on tides.", r"\textbf{QuillNet}: Parsing Recipes")], nlp=NLP))
    (m,) = [m for m in p.mentions if m.name == "QuillNet"]
    assert m.introduces and m.evidence == r"\textbf{QuillNet}: Parsing Recipes"


def test_a_name_read_across_a_line_break_is_named_with_a_space():
    p = one("We evaluate on the SWE-bench\nVerified benchmark and on tides.")
    names = {m.name for m in p.mentions}
    assert not any("\n" in n for n in names)


def test_a_name_wrapped_across_lines_is_one_name():
    # abstracts passed as written (hard-wrapped at 80 columns) read as a reader reads them
    p = one("Based on this observation, we propose Adaptive\nComputation Pruning (ACP) for FoX, a method.")
    (m,) = [m for m in p.mentions if m.introduces]
    assert (m.name, m.aliases) == ("Adaptive Computation Pruning", ("ACP",))
    assert m.evidence.startswith("Based on this observation, we propose Adaptive\nComputation")


@pytest.mark.parametrize(("abstract", "name", "label"), [
    ("A new processing paradigm called Fragment-and-Compose has been created for tides.",
     "Fragment-and-Compose", "Method"),
    ("We introduce Pebble-Bench, a suite of garden chores for agents.", "Pebble-Bench", "Dataset"),
])
def test_a_coined_hyphen_compound_is_a_name(abstract, name, label):
    assert (name, label) in {(m.name, m.label) for m in one(abstract).mentions}


@pytest.mark.parametrize(("abstract", "name", "aliases", "label", "introduces"), [
    # the acronym first, its long form in brackets: the acronym is the name, the long form an alias
    ("We propose QUILL (Query Understanding by Iterative Label Learning), a parser. QUILL is fast.",
     "QUILL", {"Query Understanding by Iterative Label Learning"}, "Method", True),
    ("Baselines such as ReTide (Recurrent Tide Estimator) models lag behind on tides.",
     "ReTide", {"Recurrent Tide Estimator"}, "Method", False),
    # a known name explained keeps its known entity
    ("We use YOLO (You Only Look Once) models to find boats.", "YOLO", set(), "Method", False),
])
def test_an_acronym_before_its_long_form_is_defined(abstract, name, aliases, label, introduces):
    (m,) = [m for m in one(abstract).mentions if m.name == name]
    assert (m.label, m.introduces) == (label, introduces)
    assert aliases <= set(m.aliases)


def test_a_plain_acronym_explained_in_brackets_is_no_method():
    names = {m.name for m in one("Files in DICOM (Digital Imaging and Communications in Medicine) "
                                  "format are read.").mentions}
    assert "DICOM" not in names and "Digital Imaging and Communications in Medicine" not in names


@pytest.mark.parametrize("abstract", [
    "Unmanned Aerial Vehicles (UAVs) fly over fields; UAVs carry cameras and large UAV datasets exist.",
    "Patients with Alzheimer's Disease (AD) were scanned; AD progresses slowly.",
    "Agents act on Graphical User Interfaces (GUIs); GUIs change often.",
    "Masks are scored by Intersection over Union (IoU); IoU rewards overlap.",
])
def test_an_acronym_of_a_thing_is_no_method_nor_dataset(abstract):
    assert not [m for m in one(abstract).mentions if m.label in ("Method", "Dataset")]


def test_the_head_of_a_long_form_comes_before_its_prepositions():
    p = one("The Common Coalition Language System at Lincoln Laboratory (CCLINC) translates. CCLINC is fast.")
    assert "Method" in {m.label for m in p.mentions if "CCLINC" in (m.name, *m.aliases)}


@pytest.mark.parametrize(("abstract", "not_a_name"), [
    ("We export every answer as JSON (JavaScript Object Notation) files for tides.", "JSON"),
    ("Point clouds come from LiDAR (Light Detection and Ranging) scans of tides.", "LiDAR"),
    ("We build a Hyperledger Fabric-enhanced ledger for tides.", "Hyperledger Fabric-enhanced"),
    ("We propose LLM-generated hints for tides.", "LLM-generated"),
])
def test_formats_sensors_and_uses_of_a_name_are_not_methods(abstract, not_a_name):
    for model in (None, "kg"):
        p = next(extract([paper(abstract)], model=model))
        assert not_a_name not in {m.name for m in p.mentions if m.label in ("Method", "Dataset")}


def test_a_long_description_after_a_name_still_says_dataset():
    p = one("To evaluate it, we introduce TideSignBank, the first public coastal sign language video "
            "dataset.")
    assert ("TideSignBank", "Dataset", True) in {(m.name, m.label, m.introduces) for m in p.mentions}


@pytest.mark.parametrize(("abstract", "expected", "absent"), [
    ("In this paper, we analyze TideFold, a model that predicts tides from images.",
     {("TideFold", "Method", False)}, set()),
    ("KelpLM, a lightweight model, achieves the highest accuracy on tides.",
     {("KelpLM", "Method", False)}, set()),
    ("We evaluate on QuillSet, a benchmark of recipes.", {("QuillSet", "Dataset", False)}, set()),
    ("We propose ReefNet, a network for coral maps.", {("ReefNet", "Method", True)}, set()),
    # not a name of its own: a plain word, a short acronym, the end of a longer name, a use of one
    ("Finally, a model predicts tides.", set(), {"Finally"}),
    ("We use an RNN, a network of cells.", set(), {"RNN"}),
    ("We use Tidal Kelp XL, a model for images.", set(), {"XL"}),
])
def test_a_coined_name_described_in_apposition(abstract, expected, absent):
    got = {(m.name, m.label, m.introduces) for m in one(abstract).mentions}
    assert expected <= got
    assert not {n for n, _, _ in got} & absent


def test_our_acronym_defined_is_the_papers_own_and_a_module_is_no_task():
    p = one("First, our Tidal Confidence-Guided Denoising (TCGD) module filters noise. TCGD is fast.")
    (m,) = [m for m in p.mentions if "TCGD" in (m.name, *m.aliases)]
    assert (m.label, m.introduces) == ("Method", True)
    q = one("Image denoising (ID) is hard. ID has many uses.")
    assert not [m for m in q.mentions if m.introduces]


@pytest.mark.parametrize(("abstract", "introduced"), [
    ("This paper proposes a novel approach to tide recognition and presents TideNet, which unifies cues.",
     {"TideNet"}),
    ("We study tides and introduce KelpNet, a network for coral maps.", {"KelpNet"}),
    ("Prior methods model tides and present ReefNet, which often fails.", set()),
])
def test_a_second_verb_of_the_papers_sentence_introduces(abstract, introduced):
    assert {m.name for m in one(abstract).mentions if m.introduces} == introduced
