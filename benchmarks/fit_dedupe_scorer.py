"""Fit the paper matcher's scorer (kg/resolve/data/paper_scorer.json) and measure it honestly.

Run: python benchmarks/fit_dedupe_scorer.py [--folds 5] [--seed 0] [--l2 0.1] [--threshold T] [--veto V]
     [--no-acm] [--write]
The shipped file: ``--l2 0.1 --threshold 0.5 --veto 0.05 --write``.

What it does
  * Reads ../shared/benchmarks/dblp_scholar/valid.ndjson (DeepMatcher's DBLP-Scholar validation
    split: 5,742 labelled pairs) and turns each side into a record as ``kg dedupe`` reads it;
    and (unless ``--no-acm``) DBLP-ACM (../shared/benchmarks/dblp_acm, read as
    benchmarks/dedupe_dblp_acm.py reads it): the candidate pairs of the matcher's own
    blocking, labelled by gt.csv.
  * Runs the matcher's rules (:func:`kg.resolve.papers._judge`) with the scorer switched off,
    and records the features (:func:`kg.resolve.papers._pair_features`) of every pair the
    scorer is asked about (see ``_unsure``): each looser match the rules find, and each pair
    they refuse on its title's wording alone that ``_may_rescue`` lets through.
  * k-fold cross-validation (folds by a hash of the pair's text): a logistic regression is
    fitted on those pairs of k-1 folds of both data sets (its thresholds, merge and veto,
    chosen on those folds' mean F1 unless given), and decides those pairs of the held-out
    fold; the rules decide the rest. The pooled held-out precision, recall and F1 are the
    estimate for unseen data; the rules alone are scored on the same pairs. (DBLP-ACM is
    scored here per candidate pair, before clustering: benchmarks/dedupe_dblp_acm.py gives
    the clustered figure.)
  * ``--write``: fits on all the pairs and writes the weights, the thresholds and what they
    were fitted on to kg/resolve/data/paper_scorer.json.

The logistic regression is plain numpy (Newton's method, an L2 penalty ``--l2`` on the
weights, not the bias): deterministic, so a refit on the same data gives the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedupe_dblp_scholar import DATA, half, side  # noqa: E402  (the same records and halves)

from kg.resolve import papers  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "kg" / "resolve" / "data" / "paper_scorer.json"


def scholar_pairs(rows: list[dict]) -> list[tuple[papers._Rec, papers._Rec]]:
    return [(papers._features(side(r, "left", k + 1)), papers._features(side(r, "right", k + 1)))
            for k, r in enumerate(rows)]


def acm_pairs() -> tuple[list[tuple[papers._Rec, papers._Rec]], list[bool], list[str]]:
    """DBLP-ACM's candidate pairs (the matcher's own blocking over both tables, as
    benchmarks/dedupe_dblp_acm.py reads them), labelled by gt.csv; and a key per pair."""
    import tempfile

    import dedupe_dblp_acm as acm

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "dblp_acm.csv"
        acm.concatenate(path)
        ids, recs_in, _, _ = papers.read_records(path, sep="%")
    recs = [papers._features(p) for p in recs_in]
    gold = acm.gold_pairs()
    codes, _ = papers._candidate_pairs(recs)
    n = len(recs)
    out, labels, keys = [], [], []
    for c in codes.tolist():
        i, j = divmod(c, n)
        out.append((recs[i], recs[j]))
        labels.append(frozenset((ids[i], ids[j])) in gold)
        keys.append(f"{ids[i]}|{ids[j]}")
    return out, labels, keys


def collect(pairs: list[tuple[papers._Rec, papers._Rec]]) -> tuple[np.ndarray, list[int], np.ndarray]:
    """The rules' verdicts (scorer off), and for each pair left unsure its row and features."""
    asked: list[list[float]] = []

    def record(a, b, ratio, shared, first, contained, rules=None):  # noqa: ANN001, ANN202 (the hook's)
        if rules is None and not papers._may_rescue(a, b, shared):
            return None  # never merged by the scorer: not asked
        asked.append(papers._pair_features(a, b, ratio, shared, contained, rules is not None))
        return rules

    saved = papers._unsure
    papers._unsure = record
    rules, where, feats = [], [], []
    try:
        for k, (a, b) in enumerate(pairs):
            before = len(asked)
            rules.append(papers._judge(a, b, papers.fuzz.ratio(a.title, b.title)) is not None)
            if len(asked) > before:
                where.append(k)
                feats.append(asked[-1])
    finally:
        papers._unsure = saved
    x = np.asarray(feats, dtype=np.float64).reshape(-1, len(papers.PAIR_FEATURES))
    return np.asarray(rules), where, x


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method; the penalty ``l2 * |w|^2 / 2`` spares the bias."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    pen = np.full(xb.shape[1], l2)
    pen[-1] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + pen * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(pen) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w[:-1], float(w[-1])


def prf(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = int(np.sum(pred & gold))
    p = tp / max(1, int(pred.sum()))
    r = tp / max(1, int(gold.sum()))
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def fold_of(key: str, k: int, seed: int = 0) -> int:
    """The pair's fold: a hash of its text (salted by ``seed`` when not 0, for other splits)."""
    text = key if not seed else f"{seed}:{key}"
    return int.from_bytes(hashlib.sha1(text.encode()).digest()[:4], "big") % k


def decide(rules: np.ndarray, where: np.ndarray, prob: np.ndarray, t: tuple[float, float]) -> np.ndarray:
    """Rules + scorer: a pair the rules merged stays merged from ``t[1]`` up (the veto
    threshold); one they refused is merged from ``t[0]`` up (as ``_unsure`` decides)."""
    pred = rules.copy()
    pred[where] = np.where(rules[where], prob >= t[1], prob >= t[0])
    return pred


def best_threshold(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
                   fixed: float | None = None, veto: float | None = None) -> tuple[float, float]:
    """The thresholds (merge, veto; 0.20 .. 0.95, the merge one ``fixed`` when given) with the
    best mean F1 of rules + scorer over the data sets in ``parts``
    (the veto one ``veto`` when given) (each: the rules' verdicts,
    gold, where the scorer decides, its probabilities)."""
    best, at = -1.0, (0.5, 0.5)
    grid = [round(float(t), 2) for t in np.arange(0.20, 0.951, 0.05)]
    for t in grid if fixed is None else [fixed]:
        for v in grid if veto is None else [veto]:
            score = sum(prf(decide(rules, where, prob, (t, v)), gold)[2]
                        for rules, gold, where, prob in parts)
            if score > best + 1e-12:
                best, at = score, (t, v)
    return at


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0, help="salts the folds' hash (0: unsalted)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--threshold", type=float, default=None, help="a fixed threshold (else chosen per fit)")
    ap.add_argument("--veto", type=float, default=None, help="a fixed veto threshold (0: no veto)")
    ap.add_argument("--no-acm", action="store_true", help="fit on DBLP-Scholar alone")
    ap.add_argument("--write", action="store_true", help="fit on all pairs and write paper_scorer.json")
    args = ap.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    sets = [("DBLP-Scholar valid", scholar_pairs(rows), [bool(r["label"]) for r in rows],
             [f"{r['title_left']}|{r['title_right']}" for r in rows])]
    if not args.no_acm:
        sets.append(("DBLP-ACM candidates", *acm_pairs()))
    data = []
    for name, pairs, labels, keys in sets:
        gold = np.asarray(labels, dtype=bool)
        rules, where_l, x = collect(pairs)
        where = np.asarray(where_l, dtype=np.int64)
        folds = np.asarray([fold_of(key, args.folds, args.seed) for key in keys])
        print(f"{name}: {len(pairs)} pairs ({int(gold.sum())} matches); the scorer decides {len(where)} "
              f"({int(gold[where].sum())} matches)")
        data.append((name, gold, rules, where, x, folds))
    preds = [rules.copy() for _, _, rules, _, _, _ in data]
    for f in range(args.folds):
        xs = np.vstack([x[folds[where] != f] for _, _, _, where, x, folds in data])
        ys = np.concatenate([gold[where][folds[where] != f] for _, gold, _, where, _, folds in data])
        w, b = fit(xs, ys.astype(np.float64), args.l2)
        parts = []
        for _, gold, rules, where, x, folds in data:
            train = folds[where] != f
            prob = 1.0 / (1.0 + np.exp(-(x @ w + b)))
            sub_rules, sub_gold = rules & (folds != f), gold & (folds != f)
            parts.append((sub_rules, sub_gold, where[train], prob[train]))
        t = best_threshold(parts, args.threshold, args.veto)
        for (_, _, rules, where, x, folds), pred in zip(data, preds, strict=True):
            # each data set's own rules (not the last one's of the loop above)
            held = folds[where] == f
            prob = 1.0 / (1.0 + np.exp(-(x[held] @ w + b)))
            pred[where[held]] = decide(rules, where[held], prob, t)[where[held]]
        held_f1 = [f"{name} {prf(rules[folds == f], gold[folds == f])[2]:.4f} -> "
                   f"{prf(pred[folds == f], gold[folds == f])[2]:.4f}"
                   for (name, gold, rules, _, _, folds), pred in zip(data, preds, strict=True)]
        print(f"fold {f}: thresholds merge {t[0]:.2f}, veto {t[1]:.2f}; held-out F1 {'; '.join(held_f1)}")
    summary = []
    for (name, gold, rules, _, _, _), pred in zip(data, preds, strict=True):
        p0, r0, f0 = prf(rules, gold)
        p1, r1, f1 = prf(pred, gold)
        print(f"{args.folds}-fold held-out, {name}: rules P {p0:.4f} R {r0:.4f} F1 {f0:.4f}  ->  "
              f"rules + scorer P {p1:.4f} R {r1:.4f} F1 {f1:.4f}")
        summary.append(f"{name} {f1:.4f} (rules alone {f0:.4f})")
        if name == sets[0][0]:  # DBLP-Scholar: the halves of benchmarks/dedupe_dblp_scholar.py too
            in_a = np.asarray([half(r) == "a" for r in rows])
            for which, m in (("a", in_a), ("b", ~in_a)):
                print(f"    of which half {which}: rules F1 {prf(rules[m], gold[m])[2]:.4f} -> "
                      f"rules + scorer (held-out) F1 {prf(pred[m], gold[m])[2]:.4f}")
    if args.write:
        xs = np.vstack([x for _, _, _, _, x, _ in data])
        ys = np.concatenate([gold[where] for _, gold, _, where, _, _ in data])
        w, b = fit(xs, ys.astype(np.float64), args.l2)
        t = best_threshold([(rules, gold, where, 1.0 / (1.0 + np.exp(-(x @ w + b))))
                            for _, gold, rules, where, x, _ in data], args.threshold, args.veto)
        spec = {
            "model": "logistic regression over kg.resolve.papers._pair_features, for the pairs "
                     "the rules leave unsure; a pair the rules refused merges when probability >= "
                     "threshold; a looser match the rules found is kept when probability >= veto",
            "features": list(papers.PAIR_FEATURES),
            "weights": [round(float(v), 6) for v in w],
            "bias": round(b, 6),
            "threshold": t[0],
            "veto": t[1],
            "fitted_on": "; ".join(f"{name}: {len(where)} pairs the scorer decides ({int(gold[where].sum())} "
                                   f"matches)" for name, gold, _, where, _, _ in data)
                         + f"; benchmarks/fit_dedupe_scorer.py --l2 {args.l2}"
                         + (" --no-acm" if args.no_acm else "")
                         + (f" --threshold {args.threshold}" if args.threshold is not None else "")
                         + (f" --veto {args.veto}" if args.veto is not None else ""),
            "cross_validated": f"{args.folds}-fold held-out F1: " + "; ".join(summary),
        }
        OUT.parent.mkdir(exist_ok=True)
        OUT.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT} (thresholds merge {t[0]:.2f}, veto {t[1]:.2f})")
        for name, v in zip(papers.PAIR_FEATURES, w, strict=True):
            print(f"  {name:15s} {v:+.3f}")
        print(f"  {'bias':15s} {b:+.3f}")


if __name__ == "__main__":
    main()
