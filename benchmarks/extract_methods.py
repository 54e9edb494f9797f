"""Method precision and recall of extraction on SciERC dev (prints figures; not a test).

A stand-in for the issue's expert-read abstracts (issue 11: Method precision >= 0.92 at recall
>= 0.80), which are not in ``../shared``. SciERC ``dev.json`` (50 abstracts, Luan et al. 2018; see
``../shared/benchmarks/PROVENANCE.md``) annotates every Method span, generic ones too ("a
statistical approach"); kg's Method nodes are *named* methods, so recall is counted on the named
gold spans only (:func:`kg.extract.train._named`, as the model is trained), and precision on all
gold Method spans:

* a kg Method mention is **right** when its surface text (``Mention.text``), found in the
  abstract, lies inside or on a gold Method span (``overlap``: when it overlaps one); wrong
  otherwise. Each wrong one is printed with ``--errors`` and the gold label it overlaps, if any
  (a Task, a Material, an OtherScientificTerm, a Metric);
* a named gold Method span is **found** when some kg Method mention's text overlaps it;
* per method (``by entity``), as an expert reading the abstract counts: a named gold span is
  also found when kg, reading that span's text alone, names a Method that it found in the
  abstract, or when the span is written as one of that Method's names or aliases ("KPSG" after
  "Korean Phonology Structure Grammar (KPSG)"). A paper's Method is one mention however often
  it is written, so "CNNs" later in an abstract whose first mention "convolutional neural
  networks" kg found is found too.

The model was never trained on SciERC dev (its training uses SciERC train); the rules were not
tuned on it. Rules alone and rules + model. Abstracts only (SciERC has no titles), each its own
paper.

Run: ``python benchmarks/extract_methods.py [--errors N]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy

from kg.extract import extract, make_nlp
from kg.extract.train import _named, scierc_spans
from kg.model import Paper, Source

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
DEV = SHARED / "benchmarks" / "scierc" / "dev.json"


def load_dev(path: Path = DEV) -> list[tuple[str, list[tuple[int, int, str, bool]]]]:
    """(text, [(start char, end char, label, named)]) per SciERC abstract."""
    nlp = spacy.blank("en")
    out = []
    for text, gold in scierc_spans(path):
        doc = nlp.make_doc(text)
        spans = []
        for s, e, label in gold:
            span = doc.char_span(s, e, alignment_mode="expand")
            spans.append((s, e, label, span is not None and label == "Method" and _named(span)))
        out.append((text, spans))
    return out


def _places(text: str, surface: str) -> list[tuple[int, int]]:
    out, i = [], text.find(surface)
    while i >= 0 and surface:
        out.append((i, i + len(surface)))
        i = text.find(surface, i + 1)
    return out


def _paper(i: int, text: str) -> Paper:
    return Paper(title="", abstract=text, doi=f"10.0000/scierc{i}", source=Source(DEV.name, i + 1),
                 format="json")


def _names_alone(nlp, dev) -> dict[tuple[int, int, int], set[str]]:
    """The Method names kg reads in each named gold span's text alone, by (abstract, start, end)."""
    keys = [(i, s, e) for i, (_, spans) in enumerate(dev) for s, e, _, named in spans if named]
    papers = [_paper(i, dev[i][0][s:e]) for i, s, e in keys]
    return {key: {m.name for m in p.mentions if m.label == "Method"}
            for key, p in zip(keys, extract(papers, nlp=nlp), strict=True)}


def score(nlp, dev, errors: int = 0, label: str = "") -> None:
    papers = [_paper(i, text) for i, (text, _) in enumerate(dev)]
    alone = _names_alone(nlp, dev)
    right = right_overlap = n_pred = found = n_named = by_entity = 0
    shown = missed = 0
    for i, ((text, spans), paper) in enumerate(zip(dev, extract(papers, nlp=nlp), strict=True)):
        names = {m.name for m in paper.mentions if m.label == "Method"}
        written = {w.lower() for m in paper.mentions if m.label == "Method"
                   for w in (m.name, m.text, *m.aliases)}
        methods = [(s, e) for s, e, lab, _ in spans if lab == "Method"]
        named = [(s, e) for s, e, lab, nm in spans if nm]
        hits: list[tuple[int, int]] = []
        for m in paper.mentions:
            if m.label != "Method":
                continue
            n_pred += 1
            places = _places(text, m.text) or _places(text, m.name)
            hits.extend(places)
            inside = any(gs <= a and b <= ge for a, b in places for gs, ge in methods)
            over = any(a < ge and gs < b for a, b in places for gs, ge in methods)
            right += inside
            right_overlap += over
            if errors and not over and shown < errors:
                other = sorted({lab for a, b in places for gs, ge, lab, _ in spans if a < ge and gs < b})
                print(f"    wrong: {m.text!r} ({m.origin}; gold there: {', '.join(other) or 'none'})")
                shown += 1
        n_named += len(named)
        over_named = [any(a < ge and gs < b for a, b in hits) for gs, ge in named]
        found += sum(over_named)
        for (gs, ge), over in zip(named, over_named, strict=True):
            if over or alone[(i, gs, ge)] & names or text[gs:ge].lower() in written:
                by_entity += 1
            elif errors and missed < errors:
                print(f"    missed: {text[gs:ge]!r} in ...{text[max(0, gs - 60):ge + 40]!r}...")
                missed += 1
    p = right / n_pred if n_pred else 0.0
    po = right_overlap / n_pred if n_pred else 0.0
    r = found / n_named if n_named else 0.0
    re_ = by_entity / n_named if n_named else 0.0
    print(f"  {label}: {n_pred} Method mentions in {len(dev)} abstracts: precision {p:.3f} "
          f"(overlap {po:.3f}); recall of named gold methods {r:.3f} ({found} of {n_named}), "
          f"by entity {re_:.3f} ({by_entity} of {n_named})")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", type=int, default=0,
                    help="print up to N wrong Method mentions and N missed named gold methods per run")
    args = ap.parse_args()
    dev = load_dev()
    print("SciERC dev, stand-in for expert-read abstracts (Method nodes of kg against SciERC Method spans)")
    for label, model in (("rules alone", None), ("rules + model", "kg")):
        score(make_nlp(model), dev, errors=args.errors, label=label)
