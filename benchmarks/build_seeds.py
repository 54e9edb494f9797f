"""Time and memory of `kg build` over the seed listings (and the samples, when asked).

Run: python benchmarks/build_seeds.py [--samples] [--repeat N]
Prints the wall time of each whole build (read, extract, resolve, build, write graph.json,
view.html, report.json), the process's peak resident memory, and the graph's size.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from kg.pipeline import build

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--samples", action="store_true", help="also read ../shared/samples")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    inputs = [SHARED / "seeds"] + ([SHARED / "samples"] if args.samples else [])
    times = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            result = build(inputs, out, progress=False)
            times.append(time.perf_counter() - t0)
    t = result.report["totals"]
    g = result.report["graph"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"inputs: {', '.join(str(i) for i in inputs)}")
    print(f"records read {t['read']}, loaded {t['loaded']}, merged {t['merged']}, "
          f"quarantined {t['quarantined']}")
    print(f"graph: {g['total_nodes']} nodes, {g['total_edges']} edges")
    print("build wall time: " + ", ".join(f"{x:.2f} s" for x in times)
          + " (the first includes loading spaCy and the gazetteer)")
    print(f"peak resident memory of the process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
