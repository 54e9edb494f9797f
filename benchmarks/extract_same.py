"""Whether rule-based extraction gives the same output as at an earlier commit (a check, not a test).

For speed work on :mod:`kg.extract`: runs ``kg.extract.extract(papers, model=None)`` (the rules
alone; ``--model kg`` for the shipped model) with this checkout's code and with the code of
``--ref`` (``git archive`` of its ``kg`` and ``loaders`` packages into a temporary directory),
each in its own process, over the first ``--n`` records of ``../shared/corpora/arxiv_75k.jsonl.gz``,
the seed listings (``../shared/seeds``) and the sample files (``../shared/samples``), and
compares every extracted paper whole (``repr``: its mentions, citations, evidence sentences,
sources, aliases, offsets of nothing else). Prints the number of papers compared and the first
differences; exits 1 if any.

The old code runs with this environment's packages: a dependency it needs that this checkout
dropped must be installed by hand (``pip install pyahocorasick`` for commits before ahocorasick-rs).

Run: ``python benchmarks/extract_same.py --ref main [--n 5000] [--model kg]``
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
CORPUS = SHARED / "corpora" / "arxiv_75k.jsonl.gz"


def inputs() -> list[Path]:
    files = sorted(p for p in (SHARED / "seeds").rglob("*") if p.is_file() and p.suffix != ".md")
    files += sorted(p for p in (SHARED / "samples").rglob("*") if p.is_file() and p.suffix != ".md")
    return files


def dump(n: int, model: str | None, out: str) -> None:
    """In a child process: extract and write ``[(record label, repr of the extracted paper)]``."""
    from itertools import islice

    import kg.loaders
    from kg.loaders import load

    import kg.extract
    from kg.extract import extract
    from kg.model import Paper

    print(f"  code: {Path(kg.extract.__file__).parent}, {Path(kg.loaders.__file__).parent}", file=sys.stderr)
    papers: list[Paper] = [r for r in islice(load(CORPUS), n) if isinstance(r, Paper)]
    for f in inputs():
        papers += [r for r in load(f) if isinstance(r, Paper)]
    rows = [(f"{p.source}", repr(p)) for p in extract(papers, model=model)]
    with open(out, "wb") as fh:
        pickle.dump(rows, fh)


def run(code_dir: Path | None, n: int, model: str | None, out: Path) -> list[tuple[str, str]]:
    env = dict(os.environ)
    if code_dir is not None:
        env["PYTHONPATH"] = str(code_dir) + os.pathsep + env.get("PYTHONPATH", "")
    args = [sys.executable, __file__, "--dump", str(out), "--n", str(n)]
    if model:
        args += ["--model", model]
    subprocess.run(args, env=env, check=True, cwd=code_dir or ROOT)
    with open(out, "rb") as fh:
        return pickle.load(fh)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="main", help="the git revision to compare with (default main)")
    ap.add_argument("--n", type=int, default=5000, help="records of the corpus (default 5000)")
    ap.add_argument("--model", default=None, help="extract with this model (default: the rules alone)")
    ap.add_argument("--dump", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.dump:
        dump(args.n, args.model, args.dump)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        old_dir = Path(tmp) / "old"
        old_dir.mkdir()
        tar = subprocess.run(["git", "archive", args.ref, "kg", "loaders"], cwd=ROOT, check=True,
                             capture_output=True).stdout
        with tarfile.open(fileobj=BytesIO(tar)) as tf:
            tf.extractall(old_dir, filter="data")
        (old_dir / "loaders").rename(old_dir / "kg" / "loaders")  # installed as kg.loaders
        print(f"old ({args.ref}):", file=sys.stderr)
        old = run(old_dir, args.n, args.model, Path(tmp) / "old.pkl")
        print("new (this checkout):", file=sys.stderr)
        new = run(None, args.n, args.model, Path(tmp) / "new.pkl")
    digest = hashlib.sha256(repr(new).encode()).hexdigest()[:16]
    n_m = sum(r.count("Mention(") for _, r in new)
    n_c = sum(r.count("Citation(") for _, r in new)
    print(f"{len(new)} papers ({n_m} mentions, {n_c} citations incl. the loaders' own), digest {digest}")
    if len(old) != len(new):
        print(f"DIFFERENT: {len(old)} papers at {args.ref}, {len(new)} now")
        return 1
    diffs = [(o, nw) for o, nw in zip(old, new, strict=True) if o != nw]
    for (where, o), (_, nw) in diffs[:5]:
        print(f"\nDIFFERENT at {where}:\n  old: {o[:3000]}\n  new: {nw[:3000]}")
    if diffs:
        print(f"\n{len(diffs)} of {len(new)} papers differ")
        return 1
    print(f"same output as {args.ref}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
