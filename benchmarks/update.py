"""`kg build --update`: adding records to an existing build, against a full rebuild.

Run from the repository root with ../shared beside it:

    python benchmarks/update.py                      # a 20,000-record build, then 1,000 more
    python benchmarks/update.py --base 74000 --add 728

The first ``--base`` records of ``../shared/corpora/arxiv_75k.jsonl.gz`` go to ``base.jsonl``,
the next ``--add`` to ``new.jsonl``. Measured in child processes (CPU-seconds of the build and
its workers, wall, peak RSS of the process tree): the full build of ``base.jsonl``; the update
``kg build new.jsonl --out DIR --update``; the same update again (nothing to do); and a full
build of both files, whose ``graph.json`` and ``quarantine.jsonl`` must be byte-identical to the
updated ones, and whose ``report.json`` must be the same but for what says how it was made (the
stages' times, the caches' figures, the workers started, ``update``). It also
says whether the update patched the previous ``graph.lbdb`` and what writing it cost.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_corpus import CORPUS, mib, run_build  # noqa: E402


def write_range(corpus: Path, start: int, stop: int, path: Path) -> int:
    count = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for line in itertools.islice(src, start, stop):
            dst.write(line)
            count += 1
    return count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--base", type=int, default=20000)
    ap.add_argument("--add", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-update-") as tmp:
        tmp = Path(tmp)
        base, new = tmp / "base.jsonl", tmp / "new.jsonl"
        nb = write_range(args.corpus, 0, args.base, base)
        nn = write_range(args.corpus, args.base, args.base + args.add, new)
        out, full = tmp / "out", tmp / "full"
        jobs = str(args.jobs)
        runs = {
            f"full build of {nb:,} records": run_build([base], out, args.jobs),
            f"--update adding {nn:,} records": run_build([new], out, args.jobs, "--update"),
            "--update again (nothing new)": run_build([new], out, args.jobs, "--update"),
        }
        updated = {name: (out / name).read_bytes() for name in ("graph.json", "quarantine.jsonl")}
        updated_report = how_made(out / "report.json")
        runs[f"full rebuild of all {nb + nn:,} records"] = run_build([base, new], full, args.jobs)
        same = updated["graph.json"] == (full / "graph.json").read_bytes()
        same_rest = (updated["quarantine.jsonl"] == (full / "quarantine.jsonl").read_bytes()
                     and updated_report == how_made(full / "report.json"))
        print(f"jobs {jobs}; corpus {args.corpus.name}")
        print("| run | CPU-s | wall s | peak RSS MiB | extraction cache hits / misses |")
        print("|---|---|---|---|---|")
        figures = {}
        for name, r in runs.items():
            cache = r["report"].get("extraction_cache") or {}
            hits = ("nothing to do, nothing written" if r["unchanged"]
                    else f"{cache['hits']} / {cache['misses']}")
            print(f"| {name} | {r['cpu']:.1f} | {r['wall']:.1f} | {mib(r['peak_tree'])} | {hits} |")
            figures[name] = {k: r[k] for k in ("cpu", "wall", "peak_tree")}
            figures[name]["stages"] = r["report"].get("stages")
        rebuild = runs[f"full rebuild of all {nb + nn:,} records"]
        upd = runs[f"--update adding {nn:,} records"]
        print(f"\nupdate / full rebuild: {upd['cpu'] / rebuild['cpu']:.1%} of the CPU-seconds, "
              f"{upd['wall'] / rebuild['wall']:.1%} of the wall time")
        stages = upd["report"]["stages"].items()
        print("update stages (CPU-s): " + ", ".join(f"{k} {v['cpu']:.1f}" for k, v in stages))
        print(f"graph.json of the update == graph.json of the full rebuild: {same}")
        print(f"quarantine.jsonl and report.json (but for how it was made) the same: {same_rest}")
        store = upd["report"]["stages"].get("write graph.lbdb") or {}
        rebuilt = rebuild["report"]["stages"].get("write graph.lbdb") or {}
        print(f"graph.lbdb of the update: {'patched' if store.get('patched') else 'loaded afresh'}"
              f"{' (' + store['patch_failed'] + ')' if store.get('patch_failed') else ''}, "
              f"{store.get('cpu', 0):.1f} CPU-s; the full rebuild's loaded in "
              f"{rebuilt.get('cpu', 0):.1f} CPU-s")
        if args.json:
            args.json.write_text(json.dumps({"runs": figures, "identical": same, "same_report": same_rest},
                                            indent=1))
        if not same:
            raise SystemExit("the updated graph differs from the full rebuild")
        if not same_rest:
            raise SystemExit("the update's quarantine.jsonl or report.json differs from the full rebuild's")


def how_made(report: Path) -> dict:
    """A ``report.json`` without what says how the build was made (times, caches, workers)."""
    r = json.loads(report.read_text(encoding="utf-8"))
    for key in ("update", "stages", "seconds", "extraction_cache", "file_cache", "workers"):
        r.pop(key, None)
    return r


if __name__ == "__main__":
    main()
