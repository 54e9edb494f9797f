"""Method-link rules of issue 11's second round (meth12), in :mod:`kg.extract` and its gazetteer.
Sentences written for these tests, not taken from any corpus or gold file."""

from __future__ import annotations

import pytest

from kg.extract import extract, make_nlp
from kg.model import Paper, Source


def methods(abstract: str, model: str | None = None, label: str = "Method", title: str = "") -> set[str]:
    paper = Paper(title=title, abstract=abstract, doi="10.0/test", source=Source("t.jsonl", 1), format="json")
    out = next(extract([paper], nlp=make_nlp(model)))
    return {m.name for m in out.mentions if m.label == label}


@pytest.mark.parametrize("model", [None, "kg"])
def test_markdown_emphasis_is_read_as_text(model):
    found = methods("To this end we propose *Tidal Guidance*, a light sampler for image models. "
                    "*Tidal Guidance* needs no training.", model,
                    title="Tidal Guidance: Steering Samplers for Free")
    assert "Tidal Guidance" in found and not any("*" in n for n in found)


def test_asterisks_of_arithmetic_stay():
    # a look-alike: asterisks between numbers and symbols are no emphasis
    paper = Paper(title="", abstract="The grid holds 4 * 8 * 16 cells and a*b*c products.",
                  doi="10.0/t", source=Source("t.jsonl", 1), format="json")
    out = next(extract([paper], nlp=make_nlp(None)))
    assert all("*" not in m.name for m in out.mentions)
