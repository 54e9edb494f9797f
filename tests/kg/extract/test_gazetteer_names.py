"""Names of the gazetteer lists (``kg/extract/data/methods.txt``, ``datasets.txt``) found where
papers write them without a cue word, and their ordinary-word look-alikes left alone, on the real
spaCy pipelines (rules alone and rules with the shipped model). Every sentence here is written for
these tests; none comes from the training or benchmark data."""

from __future__ import annotations

import pytest

from kg.extract import extract, make_nlp
from kg.model import Paper, Source

PIPELINES = {"rules": make_nlp(), "model": make_nlp("kg")}


def names(abstract: str, pipeline: str, label: str) -> set[str]:
    """The names of one abstract's mentions with ``label``."""
    p = Paper(title="", abstract=abstract, source=Source("t.txt", 1), format="test")
    out = next(extract([p], nlp=PIPELINES[pipeline]))
    return {m.name for m in out.mentions if m.label == label}


@pytest.fixture(params=sorted(PIPELINES))
def pipeline(request) -> str:
    return request.param


@pytest.mark.parametrize(("text", "name"), [
    ("Frozen DINOv3 features feed a light decoder that we train on aerial tiles.", "DINOv3"),
    ("A YOLOv8 detector, fine-tuned on our drone images, finds the nests.", "YOLOv8"),
    ("We compare against nnU-Net on four organ segmentation tasks.", "nnU-Net"),
    ("Poses are fitted with SMPL before the motion prior is trained.", "Skinned Multi-Person Linear model"),
    ("Images are synthesised with FLUX and filtered by a classifier.", "FLUX"),
    ("Policies are tuned with DAPO and compared with a supervised baseline.",
     "Decoupled Clip and Dynamic Sampling Policy Optimization"),
    ("A Q-Former compresses the frame features before the language decoder reads them.", "Q-Former"),
    ("Masks from an Xception encoder are refined by a small graph network.", "Xception"),
])
def test_a_listed_method_is_found_without_a_cue_word(pipeline, text, name):
    assert name in names(text, pipeline, "Method")


@pytest.mark.parametrize(("text", "name"), [
    ("Gains hold on MVTec AD and VisA, where our detector localises scratches.", "MVTec AD"),
    ("Gains hold on MVTec AD and VisA, where our detector localises scratches.", "VisA"),
    ("Agents reach 41% on AppWorld with our planner.", "AppWorld"),
    ("Hallucination rates fall on POPE once the decoder is steered.", "POPE"),
    ("Trajectories from Argoverse 2 train the motion forecaster.", "Argoverse 2"),
    ("Our lidar generator, scored against KITTI-360 scans, keeps thin poles.", "KITTI-360"),
    ("Clips from UCF-Crime, re-cut into shorter windows, test the alarm.", "UCF-Crime"),
    ("Gains of four points on AIME24 come from the longer rollouts.", "AIME 2024"),
    ("Navigation episodes in HM3D teach the agent to find chairs.", "HM3D"),
])
def test_a_listed_dataset_is_found_without_a_cue_word(pipeline, text, name):
    assert name in names(text, pipeline, "Dataset")


#: listed names (and names left off the lists) that are ordinary words or have other senses
_LISTED_LOOKALIKES = {"FLUX", "FEVER", "POPE", "VisA", "AMASS", "ALFRED"}
_UNLISTED_LOOKALIKES = {"DRIVE", "SCARED", "Breakfast", "Synapse", "Hiera", "Stable Diffusion 3", "TOFU"}


@pytest.mark.parametrize(("text", "not_names"), [
    ("The heat flux across the wall was measured at noon.", _LISTED_LOOKALIKES),
    ("Patients with fever were given fluids, and the Pope visited the ward.", _LISTED_LOOKALIKES),
    ("Travellers need a visa; collectors amass stamps, and Alfred rode home.", _LISTED_LOOKALIKES),
    ("The drive to the coast took an hour, and the scared dog hid under the breakfast table.",
     _UNLISTED_LOOKALIKES),
    ("Neurons meet at a synapse; the hierarchy of the colony was studied over the breakfast.",
     _UNLISTED_LOOKALIKES),
    ("Scores on the SD3 personality questionnaire rose, and she cooked tofu at home.", _UNLISTED_LOOKALIKES),
])
def test_an_ordinary_word_or_other_sense_is_no_listed_name(pipeline, text, not_names):
    found = names(text, pipeline, "Method") | names(text, pipeline, "Dataset")
    assert not found & not_names
