"""Extraction on the real seed listings, with the real pipeline (make_nlp(), no model)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from kg.extract import extract, make_nlp
from kg.extract.gazetteer import GENERIC_WORDS
from kg.model import Paper, Source
from kg.text import latex_accents

ROOT = Path(__file__).resolve().parents[3]
SEEDS = (ROOT / ".." / "shared" / "seeds").resolve()
S000 = "000_761299f930b716c2.txt"
S001 = "001_eea2f075fb8cce27.txt"
S002 = "002_5eae358206daed5b.txt"


@lru_cache(maxsize=1)
def nlp():
    return make_nlp()


@lru_cache(maxsize=8)
def _loaded(name: str) -> tuple[Paper, ...] | None:
    """The papers of one seed file through the real loader; None while there is no loader."""
    try:
        import kg.loaders.listings  # noqa: F401
        from kg.loaders import load_paths
    except ImportError:
        return None
    return tuple(r for r in load_paths([SEEDS / name]) if isinstance(r, Paper))


def seed_paper(name: str, line: int) -> Paper:
    """The seed paper whose abstract is line ``line`` of ``name`` (its title: the line above)."""
    path = SEEDS / name
    assert path.is_file(), f"missing seed file {path}"
    lines = path.read_text(encoding="utf-8").splitlines()
    abstract = latex_accents(lines[line - 1].strip())  # as the loader reads it
    loaded = _loaded(name)
    if loaded is not None:
        found = [p for p in loaded if p.abstract.strip() == abstract]
        assert found, f"the loader gave no paper with the abstract of {name}:{line}"
        return found[0]
    i = line - 2
    while not lines[i].strip():
        i -= 1
    title = lines[i].strip().removeprefix("Subscribe")
    return Paper(title=title, abstract=abstract, source=Source(f"seeds/{name}", i + 1), format="seed")


def run(name: str, line: int) -> Paper:
    return next(extract([seed_paper(name, line)], nlp=nlp()))


def by_label(p: Paper, label: str) -> dict[str, object]:
    return {m.name: m for m in p.mentions if m.label == label}


@pytest.mark.parametrize(
    ("name", "line", "repos"),
    [
        (S000, 22, ["s-kumano/learning-from-adversarial-perturbations"]),
        (S000, 166, ["facebookresearch/luckmatters"]),
        (S000, 238, ["mist-project/mist"]),
        (S000, 142, ["shanry/RNA-Undesign"]),
        (S000, 68, []),
        (S001, 155, ["yonghanjung/Information-Theretic-Bounds"]),
        (S001, 235, ["DeepGraphLearning/PerturbDiff"]),
    ],
)
def test_repositories_from_seed_abstracts(name, line, repos):
    p = run(name, line)
    found = [m for m in p.mentions if m.label == "Repository"]
    assert [m.name for m in found] == repos
    for m in found:
        assert m.host == "github"
        assert m.url == f"https://github.com/{m.name}"
        assert m.url in m.evidence or m.text in m.evidence
        assert m.origin == "url"


def test_grouped_citations_counted_once():
    p = run(S002, 19)
    got = [(c.surnames, c.year, c.et_al) for c in p.citations]
    assert got == [
        (("Ng", "Russell"), 2000, False),
        (("Abbeel", "Ng"), 2004, False),
        (("Ziebart",), 2008, True),
        (("Fu",), 2018, True),
        (("Geng",), 2020, True),
        (("Schlaginhaufen", "Kamgarpour"), 2024, False),
    ]
    fu = next(c for c in p.citations if c.surnames == ("Fu",))
    assert fu.text == "Fu et al., 2018"
    assert "(Ng and Russell, 2000;" in fu.evidence  # the first sentence that cites it
    # each citation points at the line that holds its sentence: the abstract's, not the title's
    lines = (SEEDS / p.source.file).read_text(encoding="utf-8").splitlines()
    for c in p.citations:
        assert c.source.file == p.source.file and c.source.line > p.source.line
        assert c.evidence in lines[c.source.line - 1]


def test_narrative_and_ampersand_citations():
    p = run(S000, 6)
    assert [(c.surnames, c.year, c.et_al, c.text) for c in p.citations] == [
        (("Wang",), 2024, True, "Wang et al. (2024)")
    ]
    assert "DeepSeek's Wang et al. (2024)" in p.citations[0].evidence
    p = run(S000, 108)
    assert [(c.surnames, c.year) for c in p.citations] == [
        (("Mitchell", "Krakauer"), 2023),
        (("Bubeck",), 2023),
        (("Kosinski",), 2023),
        (("Shiffrin", "Mitchell"), 2023),
        (("Ullman",), 2023),
    ]
    p = run(S001, 291)
    assert (("Albergo", "Vanden-Eijnden"), 2023) in [(c.surnames, c.year) for c in p.citations]
    p = run(S000, 70)  # LaTeX accent in a surname
    assert [(c.surnames, c.year) for c in p.citations] == [(("Saremi", "Hyvärinen"), 2019)]
    p = run(S000, 150)  # a year with a letter
    assert [(c.surnames, c.year, c.text) for c in p.citations] == [(("Zou",), 2023, "Zou et al., 2023a")]


def test_no_citation_from_brackets_that_are_not_citations():
    p = run(S000, 4)  # "(EEG, heart rate)", "(time, location, usage history)", "(CPUs, TPUs, NPUs)"
    assert p.citations == ()
    p = run(S000, 6)  # "(i)", "(ii)", "(iii)", "(costly)", "(s-MoE)"
    assert [c.surnames for c in p.citations] == [("Wang",)]


def test_acronym_definitions_become_aliases():
    p = run(S000, 6)
    methods = by_label(p, "Method")
    assert "s-MoE" in methods["Sparse Mixture-of-Experts"].aliases
    assert "ALF-LB" in methods["Auxiliary-Loss-Free Load Balancing"].aliases
    assert methods["Auxiliary-Loss-Free Load Balancing"].origin == "acronym"
    assert "Mixture of Experts" in methods  # the gazetteer entity inside the long form
    p = run(S000, 8)  # "large language models (LLMs)", "chain-of-thought (CoT" (unclosed)
    methods = by_label(p, "Method")
    llm = methods["Large Language Model"]
    assert {"LLMs", "LLM", "large language models"} <= set(llm.aliases)
    assert "CoT" in methods["Chain-of-Thought"].aliases


@pytest.mark.parametrize(
    ("name", "line", "label", "entity", "alias"),
    [
        (S000, 4, "Method", "ZIA", "Zero-Input AI"),  # title name + the abstract's definition
        (S000, 94, "Dataset", "RouterBench", None),  # "RouterBench: A Benchmark for ..."
        (S000, 12, "Method", "RPC", None),  # "we introduce RPC"
        (S000, 36, "Method", "SteepGS", None),  # "we introduce SteepGS"
        (S001, 267, "Method", "ISOMORPH", None),
        (S000, 26, "Method", "Bayesian Attention Mechanism", "BAM"),
        (S000, 38, "Method", "ConjNorm", None),
        (S000, 92, "Method", "h-Edit", None),
        (S000, 188, "Method", "MoDeGPT", None),
        (S000, 224, "Method", "FAdam", None),
        (S000, 182, "Method", "UMAP", "Uniform Manifold Approximation and Projection"),
        (S000, 238, "Method", "AdvDM", None),  # "a novel algorithm, named AdvDM"
    ],
)
def test_introduced_methods_and_datasets(name, line, label, entity, alias):
    p = run(name, line)
    got = [m for m in p.mentions if m.name == entity]
    assert len(got) == 1, [m.name for m in p.mentions]
    m = got[0]
    assert m.label == label
    assert m.introduces is True
    if alias:
        assert alias in m.aliases
    assert entity in m.evidence or (alias and alias in m.evidence)


def test_title_name_and_acronym_merge_into_one_mention():
    p = run(S000, 4)
    zia = [m for m in p.mentions if m.name == "ZIA" or "ZIA" in m.aliases]
    assert len(zia) == 1
    assert zia[0].evidence == "ZIA: A Theoretical Framework for Zero-Input AI"


def test_known_dataset_and_method_with_their_sentences():
    p = run(S000, 68)
    imagenet = by_label(p, "Dataset")["ImageNet"]
    assert imagenet.origin == "gazetteer"
    assert imagenet.evidence.startswith("Finally, we present https://serre-lab.github.io/Lens")
    assert imagenet.evidence.endswith("all classes of the ImageNet dataset.")
    p = run(S000, 166)
    simclr = by_label(p, "Method")["SimCLR"]
    assert simclr.introduces is False
    assert simclr.evidence.startswith("We propose a novel theoretical framework to understand contrastive")
    assert simclr.evidence.endswith("(e.g., SimCLR).")
    p = run(S000, 142)
    datasets = by_label(p, "Dataset")
    assert {"Eterna100", "ArchiveII"} <= set(datasets)
    assert "Eterna100 benchmark" in datasets["Eterna100"].evidence


GENERIC = ["framework", "model", "approach", "method", "dataset", "algorithm", "theory", "analysis",
           "a novel framework", "theoretical framework", "benchmark", "architecture"]


@lru_cache(maxsize=1)
def all_seed_papers() -> tuple[Paper, ...]:
    papers: list[Paper] = []
    for name in (S000, S001, S002):
        loaded = _loaded(name)
        if loaded is None:
            lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
            loaded = tuple(
                seed_paper(name, n)
                for n in range(2, len(lines) + 1)
                if (name == S000 and n >= 4 and n % 2 == 0)
                or (name != S000 and len(lines[n - 1]) > 200 and not lines[n - 2].strip())
            )
        papers.extend(loaded)
    return tuple(extract(papers, nlp=nlp()))


def test_generic_words_never_become_entities():
    papers = all_seed_papers()
    assert len(papers) > 150
    names = {m.name.casefold() for p in papers for m in p.mentions}
    names |= {a.casefold() for p in papers for m in p.mentions for a in m.aliases}
    for word in GENERIC:
        assert word not in names
    for p in papers:
        for m in p.mentions:
            # a coined name in mixed case ("VARiant") is a name, not the generic word it spells
            coined_case = any(c.isupper() for c in m.name[1:]) and any(c.islower() for c in m.name)
            assert m.name.casefold() not in GENERIC_WORDS or coined_case, (p.source, m)
            assert m.label in {"Method", "Dataset", "Task", "Repository"}
            assert m.evidence and m.text


def test_each_entity_and_citation_once_per_paper():
    for p in all_seed_papers():
        keys = [(m.label, m.name.casefold()) for m in p.mentions]
        assert len(keys) == len(set(keys)), p.source
        cites = [(c.surnames, c.year, c.et_al, c.text[-1]) for c in p.citations]
        assert len(cites) == len(set(cites)), p.source


def test_project_pages_are_not_repositories():
    repos = {m.name.lower() for p in all_seed_papers() for m in p.mentions if m.label == "Repository"}
    assert not any("github.io" in r or "linearfold" in r for r in repos)
    assert "katarinayuan.github.io" not in " ".join(repos)
    assert len(repos) >= 15
