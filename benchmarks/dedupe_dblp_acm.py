"""`kg dedupe` on the DBLP-ACM benchmark: pairwise precision, recall, F1, wall and CPU time, peak RSS.

Run: python benchmarks/dedupe_dblp_acm.py [--repeat N] [--show-errors N]

What it does
  1. Concatenates ../shared/benchmarks/dblp_acm/dblp.csv and acm.csv (separator '%') into
     one file of 4,910 records in a temporary folder, as a user would with `cat`: the header
     once, then every line as it is, its id prefixed with the table ("dblp:12", "acm:7") so
     ids stay distinct. The matcher is not told which table a record came from.
  2. Runs the library function behind `kg dedupe` (kg.resolve.papers.dedupe_file: read,
     cluster, write clusters.jsonl) and times it (wall clock, one process, one thread).
  3. Scores the clusters pairwise against gt.csv.

How pairs are counted (the choice, stated)
  * A predicted pair is any two records in the same output cluster.
  * The gold pairs are the (dblp id, acm id) pairs of gt.csv, closed under transitivity:
    two records are a gold pair when they are in one connected component of the gold
    graph. gt.csv is a one-to-one mapping, so the closure adds nothing today; the rule
    only matters if a record had two gold partners.
  * A within-table predicted pair (dblp-dblp or acm-acm) is a true positive only when the
    gold closure implies it; otherwise it is a false positive. Both tables contain a few
    exact duplicates (the same title, authors and year twice) that gt.csv does not list,
    so merging them costs precision here even when they are plausibly the same work.
  * precision = TP / (TP + FP), recall = TP / |gold pairs|, F1 their harmonic mean.

Goal (issue 4): F1 >= 0.985 in under 10 s on one core.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from kg.resolve.papers import dedupe_file

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "dblp_acm"


def concatenate(out: Path) -> int:
    """Write dblp.csv + acm.csv as one '%'-separated file with prefixed ids; return records."""
    lines: list[bytes] = []
    for table in ("dblp", "acm"):
        raw = (DATA / f"{table}.csv").read_bytes().splitlines()
        if not lines:
            lines.append(raw[0])
        lines.extend(table.encode() + b":" + line for line in raw[1:] if line.strip())
    out.write_bytes(b"\n".join(lines) + b"\n")
    return len(lines) - 1


def gold_pairs() -> set[frozenset[str]]:
    """Pairs of gt.csv closed under transitivity (see the module docstring)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with (DATA / "gt.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="%"):
            a, b = find(f"dblp:{row['D1'].strip()}"), find(f"acm:{row['D2'].strip()}")
            parent[a] = b
    groups: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    return {frozenset(p) for g in groups.values() for p in combinations(sorted(g), 2)}


def predicted_pairs(clusters: Path) -> set[frozenset[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    with clusters.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            groups[row["cluster"]].append(row["id"])
    return {frozenset(p) for g in groups.values() for p in combinations(sorted(g), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="runs to time (the best is reported)")
    ap.add_argument("--show-errors", type=int, default=0, help="print N false positives and negatives")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "dblp_acm.csv", Path(tmp) / "clusters.jsonl"
        n = concatenate(src)
        times, cpus = [], []
        for _ in range(max(1, args.repeat)):
            t0, c0 = time.perf_counter(), time.process_time()
            summary = dedupe_file(src, dst, sep="%")
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        predicted = predicted_pairs(dst)
    gold = gold_pairs()
    tp, fp, fn = len(predicted & gold), len(predicted - gold), len(gold - predicted)
    within = sum(1 for p in predicted - gold if len({x.split(":")[0] for x in p}) == 1)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"records        {n} (file) / {summary.records} (read, {summary.encoding})")
    print(f"clusters       {summary.clusters} ({summary.merged} records merged)")
    per = summary.comparisons / n
    print(f"comparisons    {summary.comparisons} record pairs scored ({per:.1f} per record)")
    print(f"gold pairs     {len(gold)}")
    print(f"predicted      {len(predicted)} pairs")
    print(f"TP {tp}  FP {fp} (of which within one table: {within})  FN {fn}")
    print(f"precision      {precision:.4f}")
    print(f"recall         {recall:.4f}")
    print(f"F1             {f1:.4f}   (goal >= 0.985)")
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"wall time      {min(times):.2f} s, best of {len(times)} runs ({runs})")
    print(f"CPU time       {min(cpus):.2f} CPU-s (user + sys, best of {len(cpus)} runs)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS       {peak / 1024:.0f} MB (this process, with the reading of the benchmark files)")
    for note in summary.notes:
        print(f"note           {note}")
    if args.show_errors:
        for name, pairs in (("false positives", predicted - gold), ("false negatives", gold - predicted)):
            print(f"{name}:", *sorted(tuple(sorted(p)) for p in pairs)[: args.show_errors], sep="\n  ")


if __name__ == "__main__":
    main()
