"""How dataset names are read from how papers write them, on the real spaCy pipelines
(rules alone and rules with the shipped model). Every sentence here is written for these
tests; none comes from the training or benchmark data."""

from __future__ import annotations

import pytest

from kg.extract import extract, make_nlp
from kg.model import Paper, Source

PIPELINES = {"rules": make_nlp(), "model": make_nlp("kg")}


def datasets(abstract: str, pipeline: str) -> dict[str, set[str]]:
    """Dataset name -> its aliases, of one abstract."""
    p = Paper(title="", abstract=abstract, source=Source("t.txt", 1), format="test")
    out = next(extract([p], nlp=PIPELINES[pipeline]))
    return {m.name: set(m.aliases) for m in out.mentions if m.label == "Dataset"}


@pytest.fixture(params=sorted(PIPELINES))
def pipeline(request) -> str:
    return request.param


def test_a_list_after_datasets_goes_on_through_names_written_in_lower_case(pipeline):
    found = datasets("We score the classifier on six tabular datasets: Orchard, Glacier, Salt marsh, "
                     "Quarry, Tidepool and Lantern.", pipeline)
    assert {"Orchard", "Glacier", "Salt marsh", "Quarry", "Tidepool", "Lantern"} <= set(found)


def test_the_last_item_of_a_list_does_not_take_the_words_after_it(pipeline):
    found = datasets("We score on three datasets: Orchard, Glacier, Quarry results follow below.", pipeline)
    assert {"Orchard", "Glacier"} <= set(found)
    assert not any("results" in name for name in found)


def test_a_title_case_phrase_with_small_words_is_one_name(pipeline):
    found = datasets("Later work released the Gardens in the Rain dataset for depth estimation.", pipeline)
    assert "Gardens in the Rain" in found
    assert "Rain" not in found


def test_a_measured_quantity_before_of_does_not_join_the_name(pipeline):
    found = datasets("We report the Accuracy of the Pellucid dataset after tuning.", pipeline)
    assert "Pellucid" in found
    assert not any(name.startswith("Accuracy") for name in found)


def test_the_name_written_with_its_acronym_before_the_head_word_is_an_alias(pipeline):
    found = datasets("The Harbour Sound Archive (HSA) corpus holds ten hours of audio.", pipeline)
    assert "Harbour Sound Archive" in found
    assert {"HSA", "Harbour Sound Archive (HSA)"} <= found["Harbour Sound Archive"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The 4GB NIGHTJAR corpus of forum posts was cleaned first.", "NIGHTJAR"),
        ("All runs use the 12 GB Corvid corpus of field notes.", "Corvid"),
        ("We evaluate on 2 Bramble datasets and on the Thistle benchmark.", "Bramble"),
    ],
)
def test_sizes_and_counts_before_a_name_are_not_part_of_it(pipeline, text, name):
    found = datasets(text, pipeline)
    assert name in found
    assert not any(n != name and n.endswith(name) for n in found)
    assert not any(n.startswith(("GB", "4GB", "12", "2 ")) for n in found)


def test_a_size_alone_is_no_dataset(pipeline):
    assert datasets("We stream a 3.5 GB dataset of sensor points from disk.", pipeline) == {}


def test_a_capitalised_stop_word_starting_the_sentence_is_not_a_name(pipeline):
    found = datasets("Without test collections that hold ambiguous queries, nothing can be measured. "
                     "Before the Marlin dataset was released, results were anecdotal.", pipeline)
    assert set(found) == {"Marlin"}


def test_coined_names_listed_with_a_dataset_are_datasets(pipeline):
    found = datasets("Scenes come from the Wharf database and GullCam, from KelpX2, MS-COCO and Dunes "
                     "(see Table 2). On the Quay corpus, SeaNet2 performs badly.", pipeline)
    assert {"Wharf", "GullCam", "KelpX2", "COCO"} <= set(found)
    assert "SeaNet2" not in found  # a comma after a head word may end the phrase
    assert "Dunes" not in found  # a plain word is no coined name: not read from a list alone


def test_a_known_method_or_a_common_acronym_listed_with_a_dataset_stays_out(pipeline):
    found = datasets("We train on the Wharf dataset and ResNet-50 features, with ImageNet, GPUs and TPUs.",
                     pipeline)
    assert "Wharf" in found
    assert not {"ResNet-50", "GPUs", "TPUs"} & set(found)


def test_a_description_of_a_name_the_text_calls_a_dataset_is_its_alias(pipeline):
    found = datasets("Heron dataset: The Heron wading bird dataset holds 900 clips.", pipeline)
    assert "Heron wading bird" in found.get("Heron", set())


def test_a_capitalised_word_and_its_description_after_the_name_the_data(pipeline):
    found = datasets("We fit the model to the Lisbon tram dataset of 900 trips. Conventional street "
                     "datasets are small, and Conventional data says little.", pipeline)
    assert "Lisbon tram" in found
    assert not any(name.startswith("Conventional") for name in found)


def test_a_sentence_that_defines_a_name_as_data_names_a_dataset(pipeline):
    found = datasets("PelicanQA is a question answering benchmark of 2,000 items. The second corpus is "
                     "the Osprey Set, which holds letters. This is a dataset of ours, and N is the size "
                     "of the dataset.", pipeline)
    assert {"PelicanQA", "Osprey Set"} <= set(found)
    assert not {"This", "N"} & set(found)


def test_a_name_starts_where_its_word_starts(pipeline):
    # a count or version joined to the name's first word belongs to the name; its tail alone is no name
    found = datasets("We tune on the 48K PebbleSet dataset and report recall.", pipeline)
    assert "48K PebbleSet" in found
    assert "K PebbleSet" not in found
    found = datasets("Scores on the WSDM'21 Harbor Challenge dataset rose by two points.", pipeline)
    assert "WSDM'21 Harbor Challenge" in found
    assert not any(name.startswith("21") for name in found)


def test_an_initial_does_not_end_the_sentence_before_a_name(pipeline):
    found = datasets("On the B. Subtilis data set, the sampler converges after ten rounds.", pipeline)
    assert "B. Subtilis" in found
    assert "Subtilis" not in found


def test_a_sentence_opening_verb_is_not_part_of_the_name(pipeline):
    found = datasets("Taking QRTX dataset as an example, the gap closes after pruning.", pipeline)
    assert "QRTX" in found
    assert not any(name.startswith("Taking") for name in found)


def test_a_web_address_and_a_slash_pair_give_no_glued_name(pipeline):
    found = datasets("Our datasets are at https://example.org/QuillBench. %https://example.org/QuillBenchOur "
                     "datasets are public.", pipeline)
    assert not any("QuillBenchOur" in name or "://" in name for name in found)
    found = datasets("We evaluate on two MRI/EEG datasets from the clinic.", pipeline)
    assert "MRI/EEG" not in found


def test_a_known_dataset_name_before_a_word_for_hardware_names_the_device(pipeline):
    assert "DAVIS" not in datasets("The clips were shot with the DAVIS camera on a drone.", pipeline)
    assert "DAVIS" in datasets("We report segmentation scores on the DAVIS dataset for every clip.", pipeline)


def test_examples_after_a_described_list_word_are_datasets(pipeline):
    found = datasets("On benchmarks for bird song (audio and video) retrieval including WRENSET, "
                     "TrillBase, and Kestrel-HQ, our model is ahead.", pipeline)
    assert {"WRENSET", "TrillBase", "Kestrel-HQ"} <= set(found)


def test_examples_after_a_described_list_word_must_look_like_names(pipeline):
    found = datasets("We collect datasets for several tasks, including classification and Retrieval.",
                     pipeline)
    assert not found


def test_a_list_of_mostly_known_methods_after_a_dataset_lists_methods(pipeline):
    found = datasets("We evaluate networks on the Thistle40 dataset, including AlexNet, ResNet-50, "
                     "BERT and QuokkaNet-7.", pipeline)
    assert "Thistle40" in found
    assert "QuokkaNet-7" not in found


def test_a_list_of_names_after_a_dataset_stays_data(pipeline):
    found = datasets("We evaluate on six datasets, including Thistle40, Gorse-2 and ImageNet.", pipeline)
    assert {"Thistle40", "Gorse-2"} <= set(found)


def test_a_quoted_name_after_a_dataset_the_paper_constructs_is_its_dataset(pipeline):
    p = Paper(title="", abstract="In this study, we constructed a new dataset, ``MOSSBANK-v2,'' which "
              "probes bias in reasoning.", source=Source("t.txt", 1), format="test")
    out = next(extract([p], nlp=PIPELINES[pipeline]))
    got = [(m.name, m.introduces) for m in out.mentions if m.label == "Dataset"]
    assert got == [("MOSSBANK-v2", True)]


def test_constructing_is_no_introduction_of_a_method_in_apposition(pipeline):
    found = datasets("We constructed a new model, ``FernNet-v2,'' which probes bias.", pipeline)
    assert "FernNet-v2" not in found


def test_an_adjective_of_the_data_after_a_coined_name_keeps_the_name(pipeline):
    found = datasets("We track objects on the Heron-2021 public dataset and the Clinical public dataset.",
                     pipeline)
    assert found.get("Heron-2021") == {"Heron-2021 public"}
    assert not any(name.startswith("Clinical") for name in found)


def test_names_compared_with_a_dataset_are_datasets(pipeline):
    found = datasets("Compared to Orchard-3 and KestrelSet, the Thistle40 benchmark holds more images.",
                     pipeline)
    assert {"Orchard-3", "KestrelSet", "Thistle40"} <= set(found)


def test_names_compared_with_a_model_are_not_datasets(pipeline):
    found = datasets("Compared to FooNet and BarGAN, the proposed model is faster on the Baz-7 dataset.",
                     pipeline)
    assert "Baz-7" in found
    assert not {"FooNet", "BarGAN"} & set(found)


def test_a_name_defined_as_the_most_described_dataset_is_a_dataset(pipeline):
    found = datasets("We see that HeronRGBD is the most challenging RGB-D crowd counting dataset so far.",
                     pipeline)
    assert "HeronRGBD" in found


def test_a_best_method_on_a_dataset_is_not_defined_as_one(pipeline):
    found = datasets("We see that FooNet is the best performing method on the dataset so far.", pipeline)
    assert "FooNet" not in found


def test_an_acronym_defined_before_test_collection_names_a_dataset(pipeline):
    found = datasets("We describe the Heron Expertise Retrieval (HER) test collection for research.",
                     pipeline)
    assert "Heron Expertise Retrieval" in found
    assert {"HER", "Heron Expertise Retrieval (HER) test"} <= found["Heron Expertise Retrieval"]


def test_a_dataset_written_with_its_acronym_keeps_that_form_as_an_alias(pipeline):
    found = datasets("We train on the Heron Song Dataset (HSD) and report recall.", pipeline)
    assert {"HSD", "Heron Song Dataset (HSD)"} <= found["Heron Song Dataset"]


def test_a_method_written_with_its_acronym_keeps_its_names(pipeline):
    p = Paper(title="", abstract="We train a Heron Sampling Method (HSM) on the data.",
              source=Source("t.txt", 1), format="test")
    out = next(extract([p], nlp=PIPELINES[pipeline]))
    got = {m.name: set(m.aliases) for m in out.mentions if m.label == "Method"}
    assert got == {"Heron Sampling Method": {"HSM"}}


def test_a_heading_about_several_datasets_names_none(pipeline):
    assert not datasets("Heterogeneous Orchard Datasets: We compare our model to baselines.", pipeline)


def test_a_capitalised_singular_head_word_still_names_a_dataset(pipeline):
    found = datasets("Listening histories come from the Heron Song Corpus, as before.", pipeline)
    assert "Heron Song" in found


def test_a_heading_with_a_coined_name_keeps_it(pipeline):
    assert "Thistle40" in datasets("Thistle40 Datasets: We compare our model to baselines.", pipeline)


@pytest.mark.parametrize(("text", "name"), [
    ("We annotate five documents taken from the RST Treebank by hand.", "RST Discourse Treebank"),
    ("Our method is better on all datasets except NEWS20 in the table.", "20 Newsgroups"),
])
def test_well_known_datasets_under_other_names(pipeline, text, name):
    assert name in datasets(text, pipeline)


@pytest.mark.parametrize("text", [
    "FooAgent automatically constructs synthetic datasets of API calls.",
    "FooAgent automatically builds datasets of API calls.",
    "We generate a 23.4B-token synthetic dataset with controlled difficulty.",
])
def test_a_verb_or_a_size_before_a_described_dataset_is_no_name(pipeline, text):
    assert not datasets(text, pipeline)


def test_examples_of_another_plural_noun_after_a_list_word_are_not_datasets(pipeline):
    found = datasets("Experiments on six public benchmarks spanning five imaging modalities, including MRI, "
                     "PET and OCT, show gains.", pipeline)
    assert not {"MRI", "PET", "OCT"} & set(found)


def test_a_list_of_datasets_in_brackets_ends_at_the_bracket(pipeline):
    found = datasets("The collection is split into two sub-datasets (Heron-A and Harbour).", pipeline)
    assert {"Heron-A", "Harbour"} <= set(found)
    assert not any(")" in name for name in found)


def test_a_bracket_after_datasets_that_holds_a_reference_names_nothing(pipeline):
    assert not datasets("We describe the datasets (see Section 3) in detail.", pipeline)


def test_an_acronym_in_brackets_after_a_dataset_is_no_second_dataset(pipeline):
    found = datasets("Labels come from the Harbour Water Body Dataset (HWBD), which maps lakes.", pipeline)
    assert "HWBD" not in found


@pytest.mark.parametrize(("text", "name"), [
    ("Our agent reaches 96.3 percent accuracy on $Q^{*}$ Bench, a new high.", "$Q^{*}$ Bench"),
    ("Our agent reaches 96.3 percent accuracy on HX9 Bench, a new high.", "HX9 Bench"),
])
def test_bench_as_a_word_of_its_own_ends_a_benchmark_name(pipeline, text, name):
    assert name in datasets(text, pipeline)


def test_a_plain_word_before_bench_names_no_benchmark(pipeline):
    assert not datasets("The Park Bench study asked ten people. We sat on the Bench.", pipeline)


def test_a_variable_after_data_set_is_no_name(pipeline):
    assert not datasets("Split the data: the first data set D n0,m0 = {X1, X2} is kept.", pipeline)


def test_a_name_after_data_set_is_a_dataset(pipeline):
    assert "Heron-7" in datasets("We then load the data set Heron-7 and train on it.", pipeline)


def test_the_last_name_of_a_dataset_list_may_be_the_subject_of_the_sentence():
    from kg.extract import extract
    from kg.model import Paper, Source

    def datasets(abstract: str) -> list[str]:
        (p,) = extract([Paper(title="A study", abstract=abstract, source=Source("t.txt", 1), format="x")],
                       model=None)
        return sorted(m.name for m in p.mentions if m.label == "Dataset")

    found = datasets("Existing corpora such as FooDoc and BarLay-2 lack region labels.")
    assert found == ["BarLay-2", "FooDoc"]
    # look-alike: a lower-case phrase after the list word is no name
    assert datasets("Existing datasets such as scanned forms lack region labels.") == []


def test_datasets_listed_in_an_aside_between_dashes_or_after_e_g_in_brackets():
    from kg.extract import extract
    from kg.model import Paper, Source

    def datasets(abstract: str) -> list[str]:
        (p,) = extract([Paper(title="A study", abstract=abstract, source=Source("t.txt", 1), format="x")],
                       model=None)
        return sorted(m.name for m in p.mentions if m.label == "Dataset")

    assert datasets("We test on three simulation datasets - FooSim, BarPhys - where tasks vary.") == [
        "BarPhys", "FooSim"]
    assert datasets("Results on two benchmarks -- QuxQA and Zed-7K -- show gains.") == ["QuxQA", "Zed-7K"]
    assert datasets("A model trained on larger datasets (e.g., FooWeb2B) does better.") == ["FooWeb2B"]
    # look-alikes: a dash that opens no second dash, and an aside that is a clause
    assert datasets("We use three datasets - FooSim is the largest.") == []
    assert datasets("We release the datasets - which are public - for training.") == []


def test_a_score_on_a_name_names_the_data_it_was_measured_on():
    from kg.extract import extract
    from kg.model import Paper, Source

    def labelled(abstract: str) -> list[tuple[str, str]]:
        (p,) = extract([Paper(title="A study", abstract=abstract, source=Source("t.txt", 1), format="x")],
                       model=None)
        return sorted((m.label, m.name) for m in p.mentions)

    assert labelled("Our agent reaches 67.3 on FooBench Retail and 45.4 on BarQA-2.") == [
        ("Dataset", "BarQA-2"), ("Dataset", "FooBench Retail")]
    # look-alikes: hardware, an average, and a model scored (its size in its name)
    assert labelled("Latency drops by 20% on A100 GPUs and by 3 on average.") == []
    assert ("Dataset", "Zed-2-7B") not in labelled("It scores 85.2 on Zed-2-7B.")


def test_a_named_dataset_before_training_or_test_data_keeps_the_part_as_an_alias(pipeline):
    # a general way of naming a part of known data ("the X training set" already reads so)
    found = datasets("We fine-tune on the Quillmark-7 training dataset and report errors on "
                     "the CIFAR-100 test data.", pipeline)
    assert "Quillmark-7 training dataset" in found["Quillmark-7"]
    assert "CIFAR-100 test data" in found["CIFAR-100"]


def test_an_owner_or_a_plain_word_before_training_data_names_no_dataset(pipeline):
    # look-alikes: a model's training data, a plain capitalised word, a level of detail
    found = datasets("Captions in ZephyrNet's training data differ; we draw Gaussian training data "
                     "and lack LoD4 validation data.", pipeline)
    assert not {"ZephyrNet's", "ZephyrNet", "Gaussian", "LoD4"} & set(found)


def test_a_surname_before_et_al_is_no_dataset(pipeline):
    # an author is cited so in any field; the look-alike keeps a name after the same words
    assert "Whitcombe" not in datasets("For the Orchard-9 dataset Whitcombe et al. report gains.", pipeline)
    assert "Quartzline" in datasets("For the Orchard-9 dataset Quartzline is harder.", pipeline)


def test_a_name_coordinated_with_a_known_datasets_longer_name_is_a_dataset(pipeline):
    # "Skeleton-Kinetics" style: a known dataset's longer name, and the coined name beside it
    found = datasets("Clips from QRV-Talk and Skeleton-Kinetics, however, are noisy.", pipeline)
    assert {"QRV-Talk", "Skeleton-Kinetics"} <= set(found)
    # look-alike: a known method's longer name coordinates no data
    assert "QRV-Talk" not in datasets("Clips from QRV-Talk and Sparse-ResNet, however, are noisy.", pipeline)


def test_a_hyphen_written_for_a_dash_after_benchmarks_is_not_part_of_the_name(pipeline):
    found = datasets("It is validated on three benchmarks-Varnel16, TCGA-LUSC, and Brinx-3 with gains.",
                     pipeline)
    assert "Varnel16" in found
    assert not any(name.startswith("benchmarks") for name in found)
    # look-alike: a name that has a hyphen of its own keeps it
    assert "Quorn-Set16" in datasets("It is validated on TCGA-LUSC and Quorn-Set16.", pipeline)


def test_names_after_a_known_datasets_head_word_and_a_comma_start_the_clause(pipeline):
    # "in the Epinions datasets, FooNet reaches ...": the subject of the sentence, not an apposition
    found = datasets("However, in Epinions datasets, Quill-MAX and Brant-MAX perform better.", pipeline)
    assert "Epinions" in found
    assert not {"Quill-MAX", "Brant-MAX"} & set(found)
    # look-alike: a describing word before the head word keeps the apposition
    found = datasets("We test on two driving benchmarks, Quillset-7 and Brantnet-2, with gains.", pipeline)
    assert {"Quillset-7", "Brantnet-2"} <= set(found)


def test_a_name_defined_beside_a_known_dataset_in_a_list_is_a_dataset(pipeline):
    # a list holds things of one kind: an acronym's long form listed next to a known dataset
    found = datasets("The corpora were CUB-200-2011 (CUB), Moss with Lichen (MWL) and more.", pipeline)
    assert "Moss with Lichen" in found
    # look-alike: the same definition beside a known method stays out of the datasets
    found = datasets("The models were ResNet-50 (R50), Moss with Lichen (MWL) and more.", pipeline)
    assert "Moss with Lichen" not in found


def test_a_quoted_name_before_a_head_word_is_a_dataset(pipeline):
    found = datasets('We report results on the "Three Rivers" dataset and the \u201cQuartzfall\u201d corpus.',
                     pipeline)
    assert {"Three Rivers", "Quartzfall"} <= set(found)
    # look-alike: a quoted word in lower case says how the data were made, it names none
    assert "shuffled" not in datasets('We also test on the "shuffled" data sets.', pipeline)


def test_an_ampersand_between_capitals_is_part_of_a_dataset_name(pipeline):
    assert "QR&T" in datasets("Faces in the QR&T database were taken under studio light.", pipeline)
    # look-alike: an ampersand between words joins two names, it is no part of one
    assert "QR&T" not in datasets("Faces in the QR & T database were taken under studio light.", pipeline)


def test_a_lettered_category_or_part_of_a_known_dataset_is_a_dataset_of_its_own(pipeline):
    found = datasets("We index the ClueWeb09 category B collection. ShanghaiTech Part A is also dense.",
                     pipeline)
    assert {"ClueWeb09 category B", "ShanghaiTech Part A"} <= set(found)
    # look-alike: a category named in words after a dataset is a class of its images, not a part
    found = datasets("We keep the COCO category person for tests.", pipeline)
    assert "COCO" in found and not any(name.startswith("COCO ") for name in found)


def test_a_name_whose_bracket_counts_its_documents_is_a_dataset(pipeline):
    found = datasets("We use Harbour Gazette (HG, 21,300 documents) and Quillreads (6,040 users).", pipeline)
    assert {"Harbour Gazette", "Quillreads"} <= set(found)
    # look-alikes: a model's size, and a reference whose bracket counts images
    found = datasets("BERT (110M parameters) is used; Table 2 (10 images) shows the results.", pipeline)
    assert not {"BERT", "Table 2", "Table"} & set(found)


def test_names_after_data_sets_that_outperform_are_no_datasets(pipeline):
    # data does not outperform: the names after the comma are the clause's subject (methods)
    found = datasets("In the Orchard-4 data sets, QZMC and BRMC outperformed the baseline.", pipeline)
    assert not {"QZMC", "BRMC"} & set(found)
    # look-alike: a participle after the list ("achieving") leaves the apposition a list of data
    found = datasets("We test on two benchmark datasets, QZDB and BRSET-9, achieving gains.", pipeline)
    assert {"QZDB", "BRSET-9"} <= set(found)


def test_a_size_before_a_training_set_names_no_dataset(pipeline):
    found = datasets("The 250-million-word training set of that work joins several corpora.", pipeline)
    assert not any("million" in name for name in found)
    # look-alike: a name with a digit before the same head word is kept
    assert "QRT-250" in datasets("The QRT-250 training set of that work joins several corpora.", pipeline)


def test_a_variable_with_its_subscript_after_dataset_is_no_name(pipeline):
    # text extracted from a PDF splits a subscript off: "dataset Dq 0" is a variable of the maths
    assert not any(name.startswith("Dq") for name in datasets("From dataset Dq 0 ,m 0 , we fit a model.",
                                                              pipeline))
    # look-alike: a coined name after the same word is kept
    assert "Quorn7" in datasets("From dataset Quorn7, we fit a model.", pipeline)


def test_a_roman_numeral_alone_is_no_dataset(pipeline):
    found = datasets("It repeats the timing of challenge IV dataset II from that series.", pipeline)
    assert not {"II", "IV"} & set(found)
    # look-alike: a numeral as part of a name stays
    assert "Quorn-II" in datasets("It repeats the timing of the Quorn-II dataset.", pipeline)


def test_a_pair_of_languages_is_no_dataset(pipeline):
    found = datasets("A Dutch-Greek training set holds 40 books; we add the Quillmark corpus of "
                     "Korean/Arabic.", pipeline)
    assert not {"Dutch-Greek", "Korean/Arabic"} & set(found)
    assert "Quillmark" in found
    # look-alike: a named corpus with a language pair inside keeps its name
    assert "WMT-19 Dutch-Greek" in datasets("We train on the WMT-19 Dutch-Greek corpus.", pipeline)


def test_a_known_method_before_benchmarks_names_its_runs_not_a_dataset(pipeline):
    found = datasets("The Stacked LSTM benchmarks did well on short sequences.", pipeline)
    assert "Stacked LSTM" not in found
    # look-alike: a coined name before the same head word is a dataset
    assert "Stacked QRVX" in datasets("The Stacked QRVX benchmarks did well on short sequences.", pipeline)


def test_a_name_after_non_is_no_dataset(pipeline):
    found = datasets("Training is slower on the non-MNIST datasets than on the others.", pipeline)
    assert not any(name.lower().startswith("non") for name in found)
    # look-alike: the same name without the prefix is a dataset
    assert "MNIST" in datasets("Training is slower on the MNIST datasets than on the others.", pipeline)


def test_a_quantity_and_its_value_in_brackets_is_no_dataset(pipeline):
    found = datasets("Few methods help on the balanced datasets (RB of 1 or 'Even'), but ours does.",
                     pipeline)
    assert not any(name.endswith("of 1") for name in found)
    # look-alike: "of" before a word inside a name is kept
    assert "Gardens of Quorn" in datasets("We evaluate on the Gardens of Quorn dataset.", pipeline)


def test_a_collection_of_methods_is_no_dataset(pipeline):
    found = datasets("Although QZR is a collection of general algorithms for planning, it is slow.", pipeline)
    assert "QZR" not in found
    # look-alike: a collection of records is data
    assert "Quorn-7" in datasets("The Quorn-7 dataset is a collection of hospital records.", pipeline)


def test_a_name_after_the_proposed_without_a_data_word_is_the_papers_method(pipeline):
    found = datasets("Results on four multi-label datasets show that the proposed TrellM reaches the "
                     "best scores.", pipeline)
    assert "TrellM" not in found
    # look-alike: the proposed name before a head word of data is a dataset
    assert "TrellQA" in datasets("Results show that the proposed TrellQA dataset is harder than SQuAD.",
                                 pipeline)
    # look-alike: a name listed after other data is data, proposed or not
    assert "QOIN" in datasets("We compare public instructional datasets and our proposed QOIN.", pipeline)
    # look-alike: proposed names coordinated before a head word of data are datasets
    found = datasets("Experiments on our proposed RainQuorn and SnowQuorn datasets show gains.", pipeline)
    assert {"RainQuorn", "SnowQuorn"} <= set(found)


def test_one_capitalised_word_opening_a_sentence_before_a_plural_head_is_a_kind(pipeline):
    found = datasets("Weather datasets, unlike text, hold strong seasonal patterns.", pipeline)
    assert "Weather" not in found
    # look-alike: the same word before a singular head word names one data set
    assert "Weather" in datasets("Weather dataset holds strong seasonal patterns.", pipeline)


def test_a_letter_after_the_head_word_names_a_variant(pipeline):
    found = datasets("The second set is the Quorn Face Database B from the same lab.", pipeline)
    assert "Quorn Face B" in found
    assert "Quorn Face Database B" in found["Quorn Face B"]
    assert "Quorn Face" not in found
    # look-alike: an article opening the next clause is no letter of the name
    found = datasets("We use the Quorn Face dataset. A new split follows.", pipeline)
    assert "Quorn Face" in found


def test_an_acronym_in_brackets_after_the_head_word_is_the_names_alias(pipeline):
    found = datasets("Patches are sampled from the Quorn segmentation dataset (QSD300) for training.",
                     pipeline)
    assert {"QSD300", "Quorn segmentation dataset (QSD300)"} <= found["Quorn segmentation"]
    # look-alike: brackets after the head word that hold no acronym add nothing
    found = datasets("Patches are sampled from the Quorn segmentation dataset (see above) for training.",
                     pipeline)
    assert not any("(" in a for a in found.get("Quorn segmentation", ()))
    # look-alike: a bracket naming another dataset than the words before the head word describe
    found = datasets("We also test on a UAV-view dataset (QuornDrone2020) for small objects.", pipeline)
    assert not any("QuornDrone2020" in aliases for aliases in found.values())


def test_a_name_ending_in_a_method_word_after_data_sets_termed_is_a_method(pipeline):
    found = datasets("We propose a fast method for noisy data sets, termed sparse quantile Matrix "
                     "Factorization (sq-MF).", pipeline)
    assert not any("Factorization" in name for name in found)
    # look-alike: a method word before a head word of data is part of a dataset's name
    assert "Quorn Social Network" in datasets("We evaluate on the Quorn Social Network dataset.", pipeline)


def test_a_verb_in_ing_opening_a_sentence_before_a_head_word_is_no_name(pipeline):
    found = datasets("Building benchmark datasets for causal discovery is slow work.", pipeline)
    assert "Building" not in found
    # look-alike: a word in -ing inside the sentence, written with a capital, is a name
    assert "Quorning" in datasets("Results on the Quorning benchmark are slow.", pipeline)
