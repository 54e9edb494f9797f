"""Papers with Code evaluation tables from the real samples, plus a small fixture with code links."""

from __future__ import annotations

import json
from pathlib import Path

from kg.loaders import detect, load

from kg.model import Paper, Quarantined
from tests.conftest import SAMPLES

PWC = SAMPLES / "paperswithcode"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def split(path):
    recs = list(load(path))
    return [r for r in recs if isinstance(r, Paper)], [r for r in recs if isinstance(r, Quarantined)]


def count_rows(path):
    def task(t):
        return sum(dataset(d) for d in t.get("datasets", [])) + sum(task(s) for s in t.get("subtasks", []))

    def dataset(d):
        return len(d.get("sota", {}).get("rows", [])) + sum(dataset(s) for s in d.get("subdatasets", []))

    tasks = json.loads(path.read_text())
    return len(tasks), sum(task(t) for t in tasks)


def test_one_record_per_row():
    assert count_rows(PWC / "nlp-progress.json") == (30, 559)
    papers, bad = split(PWC / "nlp-progress.json")
    assert (len(papers), len(bad)) == (549, 10)
    assert all("names no paper" in q.reason for q in bad)
    assert count_rows(PWC / "squad.json") == (1, 451)
    papers, bad = split(PWC / "squad.json")
    assert len(papers) + len(bad) == 451
    assert len(papers) == 73 and all(p.stub and p.arxiv_id for p in papers)  # arXiv URL, no title


def test_row_fields_and_mentions():
    papers, _ = split(PWC / "nlp-progress.json")
    p = papers[0]
    assert p.title == "Event2Mind: Commonsense Inference on Events, Intents, and Reactions"
    assert p.arxiv_id == "1805.06939" and p.source.line == 2
    assert [(m.label, m.name, m.text, m.origin) for m in p.mentions] == [
        ("Dataset", "Event2Mind", "Event2Mind", "source"),
        ("Method", "BiRNN 100d", "BiRNN 100d (2018)", "source")]  # the year is the row's
    assert p.extra["model_year"] == 2018
    assert p.keywords and p.extra["metrics"]


def test_model_cells_normalised_citations_and_placeholders():
    papers, _ = split(PWC / "nlp-progress.json")
    papers += split(PWC / "squad.json")[0]
    methods = {m.name for p in papers for m in p.mentions if m.label == "Method"}
    datasets = {m.name for p in papers for m in p.mentions if m.label == "Dataset"}
    assert "Transformer (2017)" not in methods and not any("(2017)" in n or "(single" in n for n in methods)
    assert not any("\x02" in n or "wzxhzdk" in n or " et al" in n for n in methods)
    assert {"JAMR", "ALBERT", "XLNet", "Bi-LSTM-CRF"} <= methods
    assert "Supervised" not in datasets and "Social media" not in datasets and "Penn Treebank" in datasets
    cites = {(c.surnames, c.year, c.et_al) for p in papers for c in p.citations}
    assert (("Zhong",), 2018, True) in cites and (("Ma", "Hovy"), 2016, False) in cites
    variants = {p.extra.get("model_variant") for p in papers}
    assert {"ensemble", "single model"} <= variants


def test_code_links_and_quarantine_from_fixture():
    f = FIXTURES / "pwc_code_links.json"
    assert detect(f) == "paperswithcode"
    papers, bad = split(f)
    (p,) = papers
    assert (p.title, p.arxiv_id, p.published, p.keywords) == (
        "ToyReader: Reading Toys", "2005.00001", "2020-05-01", ("Question Answering",))
    repo = [m for m in p.mentions if m.label == "Repository"]
    assert [(m.name, m.host, m.url) for m in repo] == [
        ("example/toy-reader", "github", "https://github.com/example/toy-reader")]
    assert len(bad) == 1 and "Anonymous" in bad[0].reason and bad[0].source == p.source
