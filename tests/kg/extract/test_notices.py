"""A publisher's notice closing an abstract is not the paper's text: no name is read there."""

from kg.extract import extract
from kg.model import Paper, Source


def _names(abstract: str) -> set[str]:
    paper = Paper(title="Screening for risk", abstract=abstract, source=Source("papers.jsonl", 1),
                  format="jsonl")
    (out,) = extract([paper], model=None)
    return {m.name for m in out.mentions}


def test_a_closing_copyright_notice_gives_no_names():
    assert _names("We surveyed 200 clinics about screening. (Zorblat Database Record (c) 2020 APA, "
                  "all rights reserved).") == set()
    # the same words inside the text are read
    assert "Zorblat" in _names("We query the Zorblat database of 2 million records.")


def test_the_evidence_before_a_notice_is_quoted_as_written():
    paper = Paper(title="T", abstract="We train FooNet-7 on the Zorblat dataset. © 2005 Elsevier B.V. "
                  "All rights reserved.", source=Source("papers.jsonl", 1), format="jsonl")
    (out,) = extract([paper], model=None)
    found = {m.name: m.evidence for m in out.mentions}
    assert found["Zorblat"] == "We train FooNet-7 on the Zorblat dataset."
