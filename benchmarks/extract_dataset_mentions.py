"""Benchmark of the extraction stage (prints figures; not a test).

1. Time to extract every paper of the seed listings (``../shared/seeds``) with ``make_nlp()``.
2. Dataset-mention precision / recall / F1 on ``../shared/benchmarks/dataset_mentions/
   Train_set_sentences.csv`` (see its PROVENANCE.md): each sentence is run as an abstract; a
   predicted Dataset mention is correct when its surface text overlaps a gold span labelled
   ``Dataset`` (gold spans include words such as "dataset": "MegaFace dataset").
   The rows are split by the parity of their ``id``: even ids are the *dev* half (the one a
   developer may look at, ``--errors`` prints its misses and false hits), odd ids the *test*
   half (only scored). Both halves and the whole file are reported.

Run: ``python benchmarks/extract_dataset_mentions.py [--errors N]``
"""

from __future__ import annotations

import argparse
import ast
import csv
import time
from pathlib import Path

from kg.extract import extract, make_nlp
from kg.model import Paper, Source

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()


def seeds_timing(nlp) -> None:
    from kg.loaders import load_paths

    papers = [r for r in load_paths([SHARED / "seeds"]) if isinstance(r, Paper)]
    t0 = time.perf_counter()
    out = list(extract(papers, nlp=nlp))
    dt = time.perf_counter() - t0
    n_m = sum(len(p.mentions) for p in out)
    n_c = sum(len(p.citations) for p in out)
    print(f"seeds: {len(out)} papers, {n_m} mentions, {n_c} citations in {dt:.2f} s "
          f"({len(out) / dt:.0f} papers/s)")


def _score(results) -> tuple[int, int, int, int]:
    tp_pred = n_pred = tp_gold = n_gold = 0
    for _row, gold, pred in results:
        n_gold += len(gold)
        n_pred += len(pred)
        tp_pred += sum(any(s < ge and gs < e for gs, ge in gold) for s, e, _ in pred)
        tp_gold += sum(any(s < ge and gs < e for s, e, _ in pred) for gs, ge in gold)
    return tp_pred, n_pred, tp_gold, n_gold


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> str:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  ({n_gold} gold, {n_pred} predicted)"


def dataset_mentions(nlp, errors: int = 0) -> None:
    path = SHARED / "benchmarks" / "dataset_mentions" / "Train_set_sentences.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    papers = [Paper(title="", abstract=r["text"], source=Source(path.name, i + 2), format="csv")
              for i, r in enumerate(rows)]
    results = []
    t0 = time.perf_counter()
    for row, paper in zip(rows, extract(papers, nlp=nlp, batch_size=256), strict=True):
        text = row["text"]
        gold = [(s, e) for s, e, lab in ast.literal_eval(row["labels"]) if lab == "Dataset"]
        pred = []
        for m in paper.mentions:
            if m.label != "Dataset":
                continue
            at = text.find(m.text)
            pred.append((at, at + len(m.text), m.name) if at >= 0 else (-1, -1, m.name))
        results.append((row, gold, pred))
    dt = time.perf_counter() - t0
    print(f"dataset mentions: {len(rows)} sentences in {dt:.2f} s")
    dev = [r for r in results if int(r[0]["id"]) % 2 == 0]
    test = [r for r in results if int(r[0]["id"]) % 2 == 1]
    for name, part in (("all ", results), ("dev ", dev), ("test", test)):
        print(f"  {name} ({len(part)} sentences): {_prf(*_score(part))}")
    if errors:
        shown = 0
        for row, gold, pred in dev:
            text = row["text"]
            fn = [text[s:e] for s, e in gold if not any(ps < e and s < pe for ps, pe, _ in pred)]
            fp = [n for ps, pe, n in pred if not any(ps < e and s < pe for s, e in gold)]
            if fn or fp:
                print(f"dev id {row['id']}: missed {fn} wrong {fp}\n    {text[:300]}")
                shown += 1
                if shown >= errors:
                    break


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", type=int, default=0, help="print up to N dev sentences with errors")
    args = ap.parse_args()
    t0 = time.perf_counter()
    nlp = make_nlp()
    print(f"make_nlp(): {time.perf_counter() - t0:.2f} s")
    seeds_timing(nlp)
    dataset_mentions(nlp, errors=args.errors)
