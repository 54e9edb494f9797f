"""Time and memory of `kg build` over the seed listings (and the samples, when asked).

Run: python benchmarks/build_seeds.py [--samples] [--repeat N]
Prints wall time per stage-complete build, peak traced memory, and graph size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
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
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as out:
            if i == 0:
                tracemalloc.start()
            t0 = time.perf_counter()
            result = build(inputs, out, progress=False)
            times.append(time.perf_counter() - t0)
            if i == 0:
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
    t = result.report["totals"]
    g = result.report["graph"]
    print(f"inputs: {', '.join(str(i) for i in inputs)}")
    print(f"records read {t['read']}, loaded {t['loaded']}, merged {t['merged']}, "
          f"quarantined {t['quarantined']}")
    print(f"graph: {g['total_nodes']} nodes, {g['total_edges']} edges")
    print(f"build wall time: first {times[0]:.2f} s (includes spaCy start), best {min(times):.2f} s "
          f"over {len(times)} runs")
    print(f"peak traced Python memory (first run): {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
