"""Streaming check for the structured loaders: records/s and peak memory against file size.

Generates synthetic arXiv-snapshot JSON lines (the real sample's 100 lines repeated with new ids;
nothing is kept: the files live in a temporary folder), plus a JSON array of OpenAlex-shaped works
and a BibTeX file, at two sizes each, and streams them through ``kg.loaders.load``. If loading
streams, peak traced memory stays flat when the file grows ten-fold.

Sizes: ``--lines`` snapshot lines, half as many OpenAlex works, a tenth as many BibTeX entries,
each at full size and at a tenth of it. Records/s is measured without tracing; the peak is
tracemalloc's, from a second pass.

Run: python benchmarks/loaders_memory.py [--lines 200000]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from kg.loaders import detect, load

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SNAPSHOT = SHARED / "samples" / "arxiv_snapshot" / "arxiv-metadata-oai-snapshot.head100.jsonl"


def make_snapshot(path: Path, n: int) -> None:
    base = [json.loads(line) for line in SNAPSHOT.read_text().splitlines()]
    with path.open("w") as fh:
        for i in range(n):
            rec = dict(base[i % len(base)])
            rec["id"] = f"{1000 + i // 99999:04d}.{i % 99999:05d}"
            fh.write(json.dumps(rec) + "\n")


def make_openalex_array(path: Path, n: int) -> None:
    with path.open("w") as fh:
        fh.write("[\n")
        for i in range(n):
            work = {
                "id": f"https://openalex.org/W{i + 1}", "display_name": f"Synthetic work number {i}",
                "publication_date": "2020-01-02", "publication_year": 2020,
                "authorships": [{"author": {"id": f"https://openalex.org/A{i}", "display_name": "Ann Author"},
                                 "institutions": []}],
                "abstract_inverted_index": {"Streaming": [0], "keeps": [1], "memory": [2], "flat": [3]},
                "referenced_works": [f"https://openalex.org/W{j + 1}" for j in range(max(0, i - 5), i)],
            }
            fh.write(("," if i else "") + json.dumps(work, indent=1) + "\n")
        fh.write("]\n")


def make_bibtex(path: Path, n: int) -> None:
    with path.open("w") as fh:
        fh.write("@string{jml = {J.~Mach. Learn.}}\n\n")
        for i in range(n):
            fh.write(f"@article{{k{i},\n  author = {{M{{\\\"u}}ller, J{{\\\"o}}rg and Doe, Jane}},\n"
                     f"  title = {{Entry {i} on {{\\TeX}}}},\n  journal = jml,\n  year = 2021,\n}}\n\n")


def measure(path: Path) -> tuple[str, int, float, float]:
    """(format, records, seconds without tracing, peak traced MiB in a second, traced pass)."""
    t0 = time.perf_counter()
    n = sum(1 for _ in load(path))
    dt = time.perf_counter() - t0
    tracemalloc.start()
    sum(1 for _ in load(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return detect(path) or "?", n, dt, peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lines", type=int, default=200_000, help="records in the large files")
    args = ap.parse_args()
    big = args.lines
    small = max(1, big // 10)
    makers = [("snapshot.jsonl", make_snapshot, 1), ("openalex.json", make_openalex_array, 2),
              ("refs.bib", make_bibtex, 10)]
    print(f"{'file':<16} {'format':<15} {'records':>9} {'MB':>8} {'rec/s':>9} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make, div in makers:
            for n in (small // div, big // div):
                path = Path(tmp) / f"{n}-{name}"
                make(path, n)
                fmt, count, dt, peak = measure(path)
                size = path.stat().st_size / 2**20
                print(f"{name:<16} {fmt:<15} {count:>9} {size:>8.1f} {count / dt:>9.0f} {peak:>9.2f}")
                path.unlink()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS of the process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
