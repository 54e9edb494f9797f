"""INTRODUCES on hand-read arXiv abstracts: does kg find the paper's own named method or dataset?

Issue 11's goal: "INTRODUCES: the paper's own named method or dataset in >= 95% of papers that
name one". Gold: ``benchmarks/data/introduces_gold.jsonl`` (160 real arXiv records, dev 80 /
test 80; selection rule, split rule and labelling guidelines in
``benchmarks/data/introduces_gold.md``). The gold file holds ids and names only; the titles
and abstracts are read from ``../shared/corpora/arxiv_75k.jsonl.gz``: the records whose
0-based line index ``i`` has ``i % 467 == 11``, the first 160.

For each split the script writes that split's records, as the corpus holds them, to a
temporary ``.jsonl`` and runs the real ``kg build`` (``--no-view --no-store --jobs 1``), once
with the default model (rules + gazetteer + kg's shipped model) and once with ``--no-model``
(rules + gazetteer), and reads ``graph.json``. A kg entity *matches* a gold entry when its
node's ``name`` or one of its ``aliases``, normalised, equals one of the entry's names,
normalised: lower-cased, every character that is not a letter or digit dropped (spaces,
hyphens, dots, ``$``, ``\\``, ``+``...): "Mind2Web 2" = "mind2web2", "XL-Instruct" =
"xlinstruct".

* **papers**: papers whose gold names something (a Method or Dataset);
* **recall**: share of those papers with an INTRODUCES edge to a node that matches one of the
  paper's *main* gold entries (its headline method/dataset);
* **name recall**: share of all gold entries (main and parts: modules, subsets) that some
  INTRODUCES edge of the paper matches;
* **precision**: share of the INTRODUCES edges (on all papers of the split) whose target matches
  a gold entry of that paper; edges to a *neutral* name (a metric, a task, a name only in a URL,
  see the guidelines) are left out of the count and shown as ``neutral``;
* **false on empty**: INTRODUCES edges on papers whose gold is empty (and how many papers).

``--errors N`` prints up to N misses and N wrong edges per dev run (``--test-errors``: test
too; tune on dev only), with the paper id, the gold,
kg's INTRODUCES targets, and what kg did with the gold name instead (a USES edge, a Task, a
name that overlaps the gold one): the material to sort misses into kinds. CPU seconds (the
``kg build`` child, user + sys) and its peak RSS are printed per run.

**dev2** (``--split dev2``, ``benchmarks/data/introduces_gold_dev2.jsonl``): 120 further records,
the first 120 by ``(crc32(id), id)`` among the corpus records not in the 160 above, read and
labelled by the same guidelines before kg was run on them (the first dev half was tuned on).
**dev3** (``--split dev3``, ``benchmarks/data/introduces_gold_dev3.jsonl``): 100 more, the first
100 by ``(crc32("d3:" + id), id)`` among the records in none of the 160, the 120 of dev2 and the
120 of ``methods_gold.jsonl`` (dev and dev2 were both tuned on).

Run: ``python benchmarks/extract_introduces.py [--split dev|test|both|dev2|dev3] [--errors N]
[--test-errors] [--runs model,rules]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
CORPUS = SHARED / "corpora" / "arxiv_75k.jsonl.gz"
GOLD = ROOT / "benchmarks" / "data" / "introduces_gold.jsonl"
GOLD2 = ROOT / "benchmarks" / "data" / "introduces_gold_dev2.jsonl"
GOLD3 = ROOT / "benchmarks" / "data" / "introduces_gold_dev3.jsonl"
METHODS_GOLD = ROOT / "benchmarks" / "data" / "methods_gold.jsonl"
STEP, OFFSET, COUNT = 467, 11, 160
DEV2_COUNT = 120
DEV3_COUNT = 100

_LINKS = ("INTRODUCES", "USES_METHOD", "USES_DATASET", "ADDRESSES")


def norm(name: str) -> str:
    """A name as compared: lower case, letters and digits only.

    >>> norm("Mind2Web 2"), norm("XL-Instruct"), norm("LLM$\\\\times$MapReduce-V2")
    ('mind2web2', 'xlinstruct', 'llmtimesmapreducev2')
    """
    return "".join(c for c in name.lower() if c.isalnum())


def select(corpus: Path = CORPUS) -> list[str]:
    """The selected records' JSON lines, as the corpus holds them (line ``i % 467 == 11``)."""
    out = []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % STEP == OFFSET:
                out.append(line if line.endswith("\n") else line + "\n")
                if len(out) == COUNT:
                    break
    return out


def corpus_rows(corpus: Path = CORPUS) -> Iterator[tuple[str, int, str]]:
    """``(id, line index, JSON line ending in a newline)`` of every corpus record."""
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            yield json.loads(line)["id"], i, line if line.endswith("\n") else line + "\n"


def first_by_crc(rows: Iterable[tuple[str, int, str]], exclude: set[str], salt: str, count: int) -> list[str]:
    """The JSON lines of the first ``count`` rows not in ``exclude`` by ``(crc32(salt + id), id)``,
    in corpus order: a fixed-rule draw, no choice by hand."""
    keyed = sorted((zlib.crc32((salt + r).encode()), r, i, x) for r, i, x in rows if r not in exclude)
    return [x[3] for x in sorted(keyed[:count], key=lambda x: x[2])]


def select_dev2(corpus: Path = CORPUS, exclude: set[str] | None = None) -> list[str]:
    """The dev2 records' JSON lines in corpus order: the 120 ids first by ``(crc32(id), id)``
    among the corpus records not in the first selection (``exclude``)."""
    return first_by_crc(corpus_rows(corpus), exclude or set(), "", DEV2_COUNT)


def select_dev3(corpus: Path = CORPUS, exclude: set[str] | None = None) -> list[str]:
    """The dev3 records' JSON lines in corpus order: the 100 ids first by
    ``(crc32("d3:" + id), id)`` among the corpus records not in ``exclude`` (the 160 + 120
    INTRODUCES records and the 120 of ``methods_gold.jsonl``)."""
    return first_by_crc(corpus_rows(corpus), exclude or set(), "d3:", DEV3_COUNT)


def split_of(ids: list[str]) -> dict[str, str]:
    """dev for the 80 ids first by ``(crc32(id), id)``, test for the rest."""
    order = sorted(ids, key=lambda i: (zlib.crc32(i.encode()), i))
    half = len(order) // 2
    return {i: ("dev" if k < half else "test") for k, i in enumerate(order)}


def load_gold(path: Path = GOLD) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass
class Run:
    """kg's edges for each paper of one build: (type, node name, aliases, edge text)."""

    edges: dict[str, list[tuple[str, str, list[str], str]]] = field(default_factory=dict)
    cpu: float = 0.0
    rss_mb: float = 0.0
    wall: float = 0.0


def kg_build(lines: list[str], model: bool, jobs: int, prefix: str = "kg-bench-"):
    """Run the real ``kg build`` (``--no-view --no-store``, with kg's model or ``--no-model``) in
    a child process on these JSON lines; its graph, the child's CPU-seconds (user + sys), its
    peak RSS in MB and the wall seconds. Exits naming the failure if the build fails."""
    from kg.graphio import load_graph

    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        src = Path(tmp) / "records.jsonl"
        src.write_text("".join(lines), encoding="utf-8")
        out = Path(tmp) / "out"
        cmd = [sys.executable, "-m", "kg", "build", str(src), "--out", str(out), "--no-view",
               "--no-store", "--no-progress", "--jobs", str(jobs)]
        if not model:
            cmd.append("--no-model")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            sys.exit(f"kg build failed ({done.returncode}):\n{done.stderr[-2000:]}")
        g = load_graph(out / "graph.json")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return g, cpu, after.ru_maxrss / 1024, wall


def build(lines: list[str], model: bool, jobs: int) -> Run:
    """Run ``kg build`` on the records and read the paper -> entity edges of its graph.json."""
    g, cpu, rss_mb, wall = kg_build(lines, model, jobs, "kg-introduces-")
    run = Run(cpu=cpu, rss_mb=rss_mb, wall=wall)
    for node, data in g.nodes(data=True):
        if data.get("label") != "Paper" or not data.get("arxiv_id"):
            continue
        found = run.edges.setdefault(data["arxiv_id"], [])
        for _, target, key in g.out_edges(node, keys=True):
            if key in _LINKS:
                t = g.nodes[target]
                text = g.edges[node, target, key].get("text", "")
                found.append((key, t.get("name", target), list(t.get("aliases", [])), text))
    return run


def _matches(names: list[str], kg_name: str, aliases: list[str]) -> bool:
    want = {norm(n) for n in names}
    return any(norm(x) in want for x in (kg_name, *aliases))


def _overlaps(names: list[str], kg_name: str, aliases: list[str]) -> bool:
    """One normalised name inside the other (a boundary error: 'HyperRAG system', 'XMA')."""
    want = [norm(n) for n in names]
    have = [norm(x) for x in (kg_name, *aliases)]
    return any(w and h and (w in h or h in w) for w in want for h in have)


def score(gold: list[dict], run: Run, errors: int, label: str) -> None:
    papers = [g for g in gold if g["introduces"]]
    found_papers = n_entries = found_entries = 0
    right = wrong = neutral = false_empty = empty_papers_hit = 0
    misses, wrongs, parts = [], [], []
    for g in gold:
        edges = run.edges.get(g["id"], [])
        intro = [(n, a, t) for rel, n, a, t in edges if rel == "INTRODUCES"]
        entries, neutral_names = g["introduces"], [x for e in g["neutral"] for x in e["names"]]
        hit = [any(_matches(e["names"], n, a) for n, a, _ in intro) for e in entries]
        if entries:
            main_hit = any(h for e, h in zip(entries, hit, strict=True) if e["main"])
            found_papers += main_hit
            n_entries += len(entries)
            found_entries += sum(hit)
            if not main_hit:
                misses.append((g, intro, edges))
            lost = [e["names"][0] for e, h in zip(entries, hit, strict=True) if not h]
            if lost and main_hit:
                parts.append((g, lost))
        for n, a, t in intro:
            if any(_matches(e["names"], n, a) for e in entries):
                right += 1
            elif neutral_names and _matches(neutral_names, n, a):
                neutral += 1
            else:
                wrong += 1
                wrongs.append((g, n, t))
        if not entries:
            bad = sum(1 for n, a, _ in intro if not (neutral_names and _matches(neutral_names, n, a)))
            false_empty += bad
            empty_papers_hit += bad > 0
    n_empty = sum(1 for g in gold if not g["introduces"])
    rec = found_papers / len(papers) if papers else 0.0
    nrec = found_entries / n_entries if n_entries else 0.0
    prec = right / (right + wrong) if right + wrong else 0.0
    print(f"  {label}: recall {rec:.3f} ({found_papers} of {len(papers)} papers), name recall {nrec:.3f} "
          f"({found_entries} of {n_entries}), precision {prec:.3f} ({right} of {right + wrong} INTRODUCES; "
          f"{neutral} neutral), false on empty {false_empty} edges on {empty_papers_hit} of {n_empty} papers "
          f"[kg build {run.cpu:.1f} CPU-s, peak RSS {run.rss_mb:.0f} MB (largest child yet), "
          f"wall {run.wall:.1f} s]")
    for g, intro, edges in misses[:errors]:
        main = [e["names"][0] for e in g["introduces"] if e["main"]]
        kinds = []
        for rel, n, a, t in edges:
            if any(_matches(e["names"], n, a) for e in g["introduces"] if e["main"]):
                kinds.append(f"as {rel}: {n!r}")
            elif any(_overlaps(e["names"], n, a) for e in g["introduces"] if e["main"]):
                kinds.append(f"overlap {rel}: {n!r} (text {t!r})")
        print(f"    miss {g['id']}: gold {main}; kg INTRODUCES {[n for n, _, _ in intro]}; "
              f"{'; '.join(kinds) or 'gold name not in the graph for this paper'}")
    for g, n, t in wrongs[:errors]:
        gold_names = [e["names"][0] for e in g["introduces"]]
        near = any(_overlaps(e["names"], n, []) for e in g["introduces"])
        print(f"    wrong {g['id']}: INTRODUCES {n!r} (text {t!r}){' [overlaps gold]' if near else ''}; "
              f"gold {gold_names or 'none'}")
    for g, names in parts[:errors]:
        print(f"    part not found {g['id']}: {names}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "both", "dev2", "dev3"), default="both",
                    help="dev2: the 120 further records of introduces_gold_dev2.jsonl; dev3: the 100 of "
                         "introduces_gold_dev3.jsonl")
    ap.add_argument("--errors", type=int, default=0,
                    help="print up to N misses and N wrong edges per dev run")
    ap.add_argument("--test-errors", action="store_true",
                    help="print them for test too (tune rules on dev only: test is for reporting)")
    ap.add_argument("--runs", default="model,rules", help="model (default model on), rules (--no-model)")
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    gold = load_gold()
    lines = select()
    ids = [json.loads(x)["id"] for x in lines]
    split = split_of(ids)
    if [g["id"] for g in gold] != ids or any(split[g["id"]] != g["split"] for g in gold):
        sys.exit("the gold file does not match the selection or split rule")
    gold_file = {"dev2": GOLD2, "dev3": GOLD3}.get(args.split, GOLD).relative_to(ROOT)
    print(f"INTRODUCES on hand-read arXiv abstracts ({gold_file}); "
          f"load {os.getloadavg()[0]:.2f}")
    if args.split == "dev2":
        gold = load_gold(GOLD2)
        lines = select_dev2(exclude=set(ids))
        ids = [json.loads(x)["id"] for x in lines]
        if [g["id"] for g in gold] != ids or any(g["split"] != "dev2" for g in gold):
            sys.exit("the dev2 gold file does not match the dev2 selection rule")
    if args.split == "dev3":
        exclude = set(ids) | {json.loads(x)["id"] for x in select_dev2(exclude=set(ids))}
        exclude |= {g["id"] for g in load_gold(METHODS_GOLD)}
        gold = load_gold(GOLD3)
        lines = select_dev3(exclude=exclude)
        ids = [json.loads(x)["id"] for x in lines]
        if [g["id"] for g in gold] != ids or any(g["split"] != "dev3" for g in gold):
            sys.exit("the dev3 gold file does not match the dev3 selection rule")
    for half in ("dev", "test") if args.split == "both" else (args.split,):
        keep = {g["id"] for g in gold if g["split"] == half}
        part = [x for x, i in zip(lines, ids, strict=True) if i in keep]
        print(f"{half} ({len(part)} papers)")
        for run in args.runs.split(","):
            label = {"model": "rules + model", "rules": "rules alone"}[run]
            score([g for g in gold if g["split"] == half], build(part, run == "model", args.jobs),
                  args.errors if half != "test" or args.test_errors else 0, label)


if __name__ == "__main__":
    main()
