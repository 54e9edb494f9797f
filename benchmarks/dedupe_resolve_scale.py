"""Resolution stages at growing input: papers, authors, entities; and one paper of 10k authors.

Run: python benchmarks/dedupe_resolve_scale.py [--sizes 5000 10000 20000 40000 74728]

Records are the real arXiv records of ../shared/corpora/arxiv_75k.jsonl.gz (title, authors,
year from the arXiv id). Entity mentions are the capitalised phrases and acronyms of each
abstract ("Neural Radiance Fields", "NeRF"), as a stand-in for extraction (which is not
timed here). For each size it prints the CPU-seconds of each stage -
:func:`kg.resolve.papers.cluster_papers`, :func:`kg.resolve.authors.resolve_authors`,
:func:`kg.resolve.entities.group_mentions` - and the growth factor of each stage per
doubling of the input (2.0 = linear; the goal is <= 2.2 from 5k to 75k).

Then one paper with 10,000 authors, twice (the second copy with names written "Surname, I."),
is resolved: CPU-seconds, and whether every author of the copy got the id of the original.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import time
from pathlib import Path

from kg.model import Author, Mention, Paper, Source
from kg.resolve.authors import resolve_authors
from kg.resolve.entities import group_mentions
from kg.resolve.papers import cluster_papers

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "arxiv_75k.jsonl.gz"
PHRASE = re.compile(r"\b(?:[A-Z][a-z]+(?:[- ][A-Z][a-z]+){1,3}|[A-Z][A-Za-z]*[A-Z][A-Za-z0-9-]*)\b")


def load(n: int) -> list[tuple[Paper, list[Mention]]]:
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if len(out) >= n:
                break
            r = json.loads(line)
            names = [a.strip() for a in re.split(r",| and ", r.get("authors") or "") if a.strip()]
            m = re.match(r"(\d\d)\d\d\.", str(r.get("id") or ""))
            paper = Paper(title=r.get("title") or "", source=Source("arxiv_75k.jsonl", k + 1), format="arxiv",
                          year=2000 + int(m.group(1)) if m else None,
                          authors=tuple(Author(a, i + 1) for i, a in enumerate(names)))
            mentions = [Mention("Method", p) for p in dict.fromkeys(PHRASE.findall(r.get("abstract") or ""))]
            out.append((paper, mentions))
    return out


def cpu() -> float:
    return time.process_time()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000, 40000, 74728])
    args = ap.parse_args()
    data = load(max(args.sizes))
    rows = []
    print(f"{'records':>8} {'papers s':>9} {'authors s':>10} {'entities s':>11} {'mentions':>9}")
    for n in args.sizes:
        papers = [p for p, _ in data[:n]]
        mentions = [m for _, ms in data[:n] for m in ms]
        t0 = cpu()
        cluster_papers(papers)
        t1 = cpu()
        resolve_authors(papers)
        t2 = cpu()
        group_mentions(mentions)
        t3 = cpu()
        rows.append((n, t1 - t0, t2 - t1, t3 - t2))
        print(f"{n:>8} {t1 - t0:>9.2f} {t2 - t1:>10.2f} {t3 - t2:>11.2f} {len(mentions):>9}", flush=True)
    if len(rows) >= 2:
        (n0, *a), (n1, *b) = rows[0], rows[-1]
        doublings = math.log2(n1 / n0)
        for name, x, y in zip(("papers", "authors", "entities"), a, b, strict=True):
            per = (y / x) ** (1 / doublings)
            exponent = math.log(y / x) / math.log(n1 / n0)
            print(f"{name:9s} time x{y / x:.1f} for input x{n1 / n0:.1f}: "
                  f"x{per:.2f} per doubling (exponent {exponent:.2f})")
    # one paper with 10,000 authors, twice
    everyone = (a.name for p, _ in data for a in p.authors if len(a.name.split()) >= 2)
    names = list(dict.fromkeys(everyone))[:10000]
    big = Paper(title="A collaboration paper", source=Source("big.bib", 1), format="x",
                authors=tuple(Author(a, i + 1) for i, a in enumerate(names)))

    def initials(name: str) -> str:
        *given, surname = name.split()
        return f"{surname}, {' '.join(g[0] + '.' for g in given)}"

    copy = Paper(title="A collaboration paper", source=Source("big.bib", 2), format="x",
                 authors=tuple(Author(initials(a), i + 1) for i, a in enumerate(names)))
    t0 = cpu()
    out, merges = resolve_authors([big, copy])
    spent = cpu() - t0
    same = sum(a.id == b.id for a, b in zip(out[0].authors, out[1].authors, strict=True))
    print(f"one paper of {len(names)} authors, twice: {spent:.2f} CPU-s; "
          f"{same}/{len(names)} authors of the copy got the original's id; {len(merges)} merges")


if __name__ == "__main__":
    main()
