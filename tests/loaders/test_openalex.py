"""OpenAlex works from the real sample (JSON lines, gzip) and the other JSON shapes."""

from __future__ import annotations

import gzip
import json

from kg.loaders import detect, load

from kg.model import Paper, Quarantined
from tests.conftest import SAMPLES

WORKS = SAMPLES / "openalex" / "works-300.jsonl.gz"


def split(path):
    recs = list(load(path))
    return [r for r in recs if isinstance(r, Paper)], [r for r in recs if isinstance(r, Quarantined)]


def test_counts_and_first_work():
    papers, bad = split(WORKS)
    assert len(papers) == 300 and bad == []
    p = papers[0]
    assert p.openalex == "W2100301546" and p.doi == "10.1227/00006123-199310000-00008"
    assert p.title.startswith("Pituitary adenomas with invasion of the cavernous sinus space")
    assert (p.published, p.year) == ("1993-10-01", 1993)
    assert p.venue == "Neurosurgery"
    assert p.abstract.startswith("We present 25 pituitary adenomas that were confirmed surgically")
    assert [(a.name, a.position, a.openalex) for a in p.authors[:2]] == [
        ("Engelbert Knosp", 1, "A1904937971"), ("Erich Steiner", 2, "A3134826004")]
    assert p.authors[0].affiliations == (
        "Department of Neurosurgery, University Medical School, Mainz, Germany.",)
    assert len(p.citations) == 31 and p.citations[0].openalex == "W121994443"
    assert p.keywords[:2] == ("Medicine", "Cavernous sinus")
    assert str(p.source) == "works-300.jsonl.gz:1"


def test_orcid_and_line_numbers():
    papers, _ = split(WORKS)
    assert [p.source.line for p in papers[:3]] == [1, 2, 3]
    p = papers[1]
    assert p.title.startswith("Factors affecting the performance of microbial-ind")
    assert (p.authors[0].name, p.authors[0].orcid) == ("Chao-Sheng Tang", "0000-0002-6419-6116")


def test_abstract_rebuilt_matches_word_count():
    with gzip.open(WORKS, "rt") as fh:
        first = json.loads(fh.readline())
    words = sum(len(v) for v in first["abstract_inverted_index"].values())
    papers, _ = split(WORKS)
    assert len(papers[0].abstract.split(" ")) == words


def test_corrupted_copy_and_other_shapes(tmp_path):
    with gzip.open(WORKS, "rt") as fh:
        lines = [next(fh) for _ in range(5)]
    broken = lines[:2] + ['{"id": "https://openalex.org/W1", "display_name": \n'] + lines[3:]
    f = tmp_path / "w.jsonl"
    f.write_text("".join(broken))
    assert detect(f) == "openalex"
    papers, bad = split(f)
    assert len(papers) == 4 and len(bad) == 1
    assert (bad[0].source.file, bad[0].source.line) == ("w.jsonl", 3) and "invalid JSON" in bad[0].reason
    # an API page {"meta": ..., "results": [...]}, pretty-printed: each work keeps its line
    works = [json.loads(x) for x in lines[:3]]
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"meta": {"count": 3}, "results": works}, indent=1))
    assert detect(page) == "openalex"
    papers, bad = split(page)
    assert [p.openalex for p in papers] == [w["id"].rsplit("/", 1)[1] for w in works] and not bad
    text = page.read_text().splitlines()
    assert all(text[p.source.line - 1].strip() == "{" for p in papers)
    assert papers[1].source.line > papers[0].source.line
    # a bare JSON array
    arr = tmp_path / "arr.json"
    arr.write_text(json.dumps(works))
    assert [p.openalex for p in split(arr)[0]] == [p.openalex for p in papers]
