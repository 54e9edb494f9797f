"""The paper matcher on DBLP-Scholar's labelled pairs: pairwise precision, recall, F1, CPU time.

Run: python benchmarks/dedupe_dblp_scholar.py [--show-errors N] [--half a|b|all]

What it does
  * Reads ../shared/benchmarks/dblp_scholar/valid.ndjson (DeepMatcher's DBLP-Scholar validation
    split: 5,742 labelled pairs, 1,070 matches; the test split is kept back for scoring).
  * Each side of a pair becomes a record as ``kg dedupe`` reads it (title, authors, venue, year,
    through the same reader), and :func:`kg.resolve.papers.match_pair` (the matcher's pairwise
    decision, the one ``kg dedupe`` clusters with) says match or not.
  * The pairs are split in two halves by a hash of their text (half a: developed on;
    half b: looked at only for its figures) and scored on each half and on all.
  * Since the matcher's scorer (issue 10), its weights are fitted on all of this split (both
    halves, with DBLP-ACM's candidate pairs): half b is no longer held out for it. The
    held-out estimate is benchmarks/fit_dedupe_scorer.py's k-fold cross-validation (fit on
    k-1 folds, score the held-out fold; folds by a hash of the pair's titles).

CPU time is user+sys of this process for the matching only (reading excluded).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
from pathlib import Path

from kg.resolve.papers import match_pair, record_from_row

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "dblp_scholar" / "valid.ndjson"


def half(row: dict) -> str:
    """'a' or 'b', from a hash of the pair's titles (stable, independent of file order)."""
    key = f"{row['title_left']}|{row['title_right']}".encode()
    return "a" if hashlib.sha1(key).digest()[0] % 2 == 0 else "b"


def side(row: dict, s: str, line: int):
    fields = {k: row.get(f"{k}_{s}") for k in ("title", "authors", "venue", "year")}
    return record_from_row(fields, str(DATA.name), line)


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float, float, int, int, int]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp, fp, fn


def cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-errors", type=int, default=0, help="print N false positives and negatives")
    ap.add_argument("--half", choices=("a", "b", "all"), default="a", help="whose errors to show")
    args = ap.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [(side(r, "left", k + 1), side(r, "right", k + 1)) for k, r in enumerate(rows)]
    t0 = cpu()
    verdicts = [match_pair(a, b) for a, b in pairs]
    spent = cpu() - t0
    pred = [v is not None for v in verdicts]
    gold = [bool(r["label"]) for r in rows]
    halves = [half(r) for r in rows]
    print(f"pairs          {len(rows)} ({sum(gold)} matches) from {DATA}")
    for name in ("a", "b", "all"):
        idx = [k for k in range(len(rows)) if name == "all" or halves[k] == name]
        p, r, f, tp, fp, fn = prf([pred[k] for k in idx], [gold[k] for k in idx])
        label = {"a": "half a (dev)", "b": "half b (held)", "all": "all valid"}[name]
        print(f"{label:14s} {len(idx):5d} pairs  P {p:.4f}  R {r:.4f}  F1 {f:.4f}  (TP {tp} FP {fp} FN {fn})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"CPU time       {spent:.2f} s for {len(rows)} pair decisions; peak RSS {peak:.0f} MB")
    if args.show_errors:
        for kind, want in (("false positive", False), ("false negative", True)):
            shown = 0
            for k, r in enumerate(rows):
                if (args.half == "all" or halves[k] == args.half) and pred[k] != gold[k] and gold[k] == want:
                    why = f" [{verdicts[k].reason}; {verdicts[k].score:.1f}]" if verdicts[k] else ""
                    print(f"{kind}{why}:")
                    for s in ("left", "right"):
                        fields = ("title", "authors", "venue", "year")
                        print("   ", " | ".join(str(r.get(f"{f}_{s}")) for f in fields))
                    shown += 1
                    if shown >= args.show_errors:
                        break


if __name__ == "__main__":
    main()
