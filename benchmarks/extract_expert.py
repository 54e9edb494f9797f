"""Method and Dataset precision/recall on hand-read arXiv abstracts (an expert's list per paper).

Issue 11's goals as the owners measure them: "Methods on held-out expert-read abstracts: recall
>= 0.80 at precision >= 0.92; datasets recall >= 0.85". Gold:
``benchmarks/data/methods_gold.jsonl`` (120 real arXiv records, dev 60 / test 60; selection rule,
split rule and labelling guidelines in ``benchmarks/data/methods_gold.md``): for each paper every
named Method (the paper's own and the ones it uses or compares with) and every named Dataset,
as an expert reading the title and abstract lists them. The file holds ids and names only; the
text is read from ``../shared/corpora/arxiv_75k.jsonl.gz``: the corpus records not among the
280 of ``introduces_gold*.jsonl``, the first 120 by ``(crc32("m:" + id), id)``.

For each split the script writes the split's records, as the corpus holds them, to a temporary
``.jsonl``, runs the real ``kg build`` (``--no-view --no-store --jobs 1``) with the default model
(rules + gazetteer + kg's shipped model) and with ``--no-model`` (rules + gazetteer), and reads
``graph.json``. A paper's **Methods** are the Method nodes it links to (``USES_METHOD`` or
``INTRODUCES``), its **Datasets** the Dataset nodes (``USES_DATASET`` or ``INTRODUCES``). A
node *matches* a gold entry when its ``name`` or one of its ``aliases``, normalised as in
``extract_introduces.py`` (lower case, letters and digits only), equals one of the entry's
names.

* **precision** (per label): share of the paper -> node links whose node matches a gold entry of
  that label; links to a *neutral* name (a model category such as "LLMs", a broad paradigm such
  as "SFT", a metric the paper only cites; see the guidelines) are left out and shown as
  ``neutral``; a Method node that matches a gold *Dataset* (or the reverse) counts as wrong and
  is shown as ``other label``;
  the second precision figure also leaves out links to guideline 4's model categories and
  broad paradigms (``CATEGORIES``: "Large Language Model", "Diffusion Model", "SFT", ...)
  wherever the abstract writes them (the per-paper lists missed some of them);
* **recall** (per label): share of the gold entries matched by some node of that label linked
  from the paper.

``--split dev2`` scores ``benchmarks/data/methods_gold_dev2.jsonl`` instead: 50 further records read
once dev was used up by tuning (``select_dev2``: not in any earlier gold file, the first 50 by
``(crc32("m2:" + id), id)``; rule in ``methods_gold.md``). ``--split dev3`` scores
``benchmarks/data/methods_gold_dev3.jsonl``: 50 more, read once dev2 was used for tuning
(``select_dev3``: dev2's pool less dev2, the first 50 by ``(crc32("m3:" + id), id)``).
``--split dev4`` scores ``benchmarks/data/methods_gold_dev4.jsonl``: 50 more, read once dev3 was
used for tuning (``select_dev4``: dev3's pool less dev3, the first 50 by ``(crc32("m4:" + id), id)``).
``--split dev5`` scores ``benchmarks/data/methods_gold_dev5.jsonl``: 50 more, read once dev4 was
run (``select_dev5``: dev4's pool less dev4, the first 50 by ``(crc32("m5:" + id), id)``).
``--split dev6`` scores ``benchmarks/data/methods_gold_dev6.jsonl``: 50 more, read before any kg
run on them (``select_dev6``: dev5's pool less dev5, the first 50 by ``(crc32("m6:" + id), id)``).
``--split dev7`` scores ``benchmarks/data/methods_gold_dev7.jsonl``: 50 more, read before any kg
run on them (``select_dev7``: dev6's pool less dev6, the first 50 by ``(crc32("m7:" + id), id)``).

``--errors N`` prints up to N wrong links and N misses per dev run (``--test-errors``: test too;
tune on dev only). CPU seconds (the ``kg build`` child, user + sys) are printed per run.

Run: ``python benchmarks/extract_expert.py [--split dev|test|both|dev2|dev3|dev4|dev5|dev6|dev7] [--errors N]
[--runs model,rules]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_introduces import (  # noqa: E402  (run as a script)
    _matches,
    corpus_rows,
    first_by_crc,
    kg_build,
    load_gold,
    norm,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
CORPUS = SHARED / "corpora" / "arxiv_75k.jsonl.gz"
GOLD = ROOT / "benchmarks" / "data" / "methods_gold.jsonl"
GOLD_DEV2 = ROOT / "benchmarks" / "data" / "methods_gold_dev2.jsonl"
GOLD_DEV3 = ROOT / "benchmarks" / "data" / "methods_gold_dev3.jsonl"
GOLD_DEV4 = ROOT / "benchmarks" / "data" / "methods_gold_dev4.jsonl"
GOLD_DEV5 = ROOT / "benchmarks" / "data" / "methods_gold_dev5.jsonl"
GOLD_DEV6 = ROOT / "benchmarks" / "data" / "methods_gold_dev6.jsonl"
GOLD_DEV7 = ROOT / "benchmarks" / "data" / "methods_gold_dev7.jsonl"
EARLIER = (ROOT / "benchmarks" / "data" / "introduces_gold.jsonl",
           ROOT / "benchmarks" / "data" / "introduces_gold_dev2.jsonl")
COUNT, DEV = 120, 60
#: dev2: a fresh unseen set once dev was used up by tuning; D3_SKIP records of the "d3:" order
#: are left out as well (introduces_gold_dev3 takes the first 100 of that order; 150 is a margin)
DEV2_COUNT, D3_SKIP = 50, 150

_LABEL_OF = {"USES_METHOD": "Method", "USES_DATASET": "Dataset", "INTRODUCES": None}
#: guideline 4's model categories and broad paradigms, neutral wherever an abstract writes them
#: (the per-paper ``neutral`` lists missed some); the second precision figure uses them
CATEGORIES = [["Large Language Model", "LLM"], ["Vision-Language Model", "VLM"],
              ["Multimodal Large Language Model", "MLLM"], ["Large Reasoning Model", "LRM"],
              ["Foundation Model"], ["Diffusion Model"], ["Supervised Fine-Tuning", "SFT"],
              ["Reinforcement Learning", "RL"], ["Knowledge Distillation"], ["In-Context Learning", "ICL"],
              ["Parameter-Efficient Fine-Tuning", "PEFT"]]


def _key(rid: str) -> tuple[int, str]:
    return zlib.crc32(("m:" + rid).encode()), rid


def select(corpus: Path = CORPUS) -> tuple[list[str], dict[str, str]]:
    """The selected records' JSON lines in corpus order, and each id's split."""
    exclude = {g["id"] for p in EARLIER for g in load_gold(p)}
    chosen = sorted((*_key(r), i, x) for r, i, x in corpus_rows(corpus) if r not in exclude)[:COUNT]
    split = {x[1]: ("dev" if k < DEV else "test") for k, x in enumerate(chosen)}
    return [x[3] for x in sorted(chosen, key=lambda x: x[2])], split


def _dev_rows(corpus: Path) -> tuple[list[tuple[str, int, str]], set[str]]:
    """The corpus rows outside ``introduces_gold*.jsonl``, and the ids every dev set leaves out.

    Left out: ``methods_gold.jsonl`` and the first ``D3_SKIP`` of those rows by
    ``(crc32("d3:" + id), id)`` (``introduces_gold_dev3``'s order).
    """
    earlier = {g["id"] for p in EARLIER for g in load_gold(p)}
    rows = [row for row in corpus_rows(corpus) if row[0] not in earlier]
    d3 = {rid for _, rid in sorted((zlib.crc32(("d3:" + r).encode()), r) for r, _, _ in rows)[:D3_SKIP]}
    return rows, d3 | {g["id"] for g in load_gold(GOLD)}


def _first(rows: list[tuple[str, int, str]], exclude: set[str], salt: str) -> list[str]:
    """The first ``DEV2_COUNT`` rows not excluded by ``(crc32(salt + id), id)``, in corpus order."""
    return first_by_crc(rows, exclude, salt, DEV2_COUNT)


def select_dev2(corpus: Path = CORPUS) -> list[str]:
    """dev2's records' JSON lines in corpus order: the first 50 by ``(crc32("m2:" + id), id)``.

    Drawn from the corpus records not in ``introduces_gold*.jsonl``, not in
    ``methods_gold.jsonl``, and not among the first ``D3_SKIP`` of the records outside
    ``introduces_gold*.jsonl`` by ``(crc32("d3:" + id), id)`` (``introduces_gold_dev3``'s order).
    """
    rows, exclude = _dev_rows(corpus)
    return _first(rows, exclude, "m2:")


def select_dev3(corpus: Path = CORPUS) -> list[str]:
    """dev3's records' JSON lines in corpus order: the first 50 by ``(crc32("m3:" + id), id)``.

    The same pool as ``select_dev2`` less dev2's records (``methods_gold_dev2.jsonl``): a
    second unseen set once dev2 was used for tuning.
    """
    rows, exclude = _dev_rows(corpus)
    return _first(rows, exclude | {g["id"] for g in load_gold(GOLD_DEV2)}, "m3:")


def select_dev4(corpus: Path = CORPUS) -> list[str]:
    """dev4's records' JSON lines in corpus order: the first 50 by ``(crc32("m4:" + id), id)``.

    The same pool as ``select_dev3`` less dev3's records (``methods_gold_dev3.jsonl``): a
    third unseen set once dev3 was used for tuning.
    """
    rows, exclude = _dev_rows(corpus)
    done = {g["id"] for p in (GOLD_DEV2, GOLD_DEV3) for g in load_gold(p)}
    return _first(rows, exclude | done, "m4:")


def select_dev5(corpus: Path = CORPUS) -> list[str]:
    """dev5's records' JSON lines in corpus order: the first 50 by ``(crc32("m5:" + id), id)``.

    The same pool as ``select_dev4`` less dev4's records (``methods_gold_dev4.jsonl``): a
    fourth unseen set once dev4 was run.
    """
    rows, exclude = _dev_rows(corpus)
    done = {g["id"] for p in (GOLD_DEV2, GOLD_DEV3, GOLD_DEV4) for g in load_gold(p)}
    return _first(rows, exclude | done, "m5:")


def select_dev6(corpus: Path = CORPUS) -> list[str]:
    """dev6's records' JSON lines in corpus order: the first 50 by ``(crc32("m6:" + id), id)``.

    The same pool as ``select_dev5`` less dev5's records (``methods_gold_dev5.jsonl``): a
    fifth unseen set, read before any kg run on it, for one honest measurement.
    """
    rows, exclude = _dev_rows(corpus)
    done = {g["id"] for p in (GOLD_DEV2, GOLD_DEV3, GOLD_DEV4, GOLD_DEV5) for g in load_gold(p)}
    return _first(rows, exclude | done, "m6:")


def select_dev7(corpus: Path = CORPUS) -> list[str]:
    """dev7's records' JSON lines in corpus order: the first 50 by ``(crc32("m7:" + id), id)``.

    The same pool as ``select_dev6`` less dev6's records (``methods_gold_dev6.jsonl``): a
    sixth unseen set, read before any kg run on it, for one honest measurement.
    """
    rows, exclude = _dev_rows(corpus)
    done = {g["id"] for p in (GOLD_DEV2, GOLD_DEV3, GOLD_DEV4, GOLD_DEV5, GOLD_DEV6) for g in load_gold(p)}
    return _first(rows, exclude | done, "m7:")


Found = dict[str, list[tuple[str, str, list[str]]]]


def build(lines: list[str], model: bool, jobs: int = 1) -> tuple[Found, float]:
    """Run ``kg build`` on the records; per arXiv id, the linked (label, name, aliases) entities."""
    g, cpu, _, _ = kg_build(lines, model, jobs, "kg-expert-")
    found: Found = {}
    for node, data in g.nodes(data=True):
        if data.get("label") != "Paper" or not data.get("arxiv_id"):
            continue
        seen = found.setdefault(data["arxiv_id"], [])
        for _, target, key in g.out_edges(node, keys=True):
            t = g.nodes[target]
            if key in _LABEL_OF and t.get("label") in ("Method", "Dataset"):
                item = (t["label"], t.get("name", target), list(t.get("aliases", [])))
                if item not in seen:
                    seen.append(item)
    return found, cpu


def score(gold: list[dict], found: Found, cpu: float, errors: int, label: str
          ) -> dict[str, tuple[float, float]]:
    """Print and return {label: (precision, recall)}."""
    out = {}
    parts = []
    for lab, key, other in (("Method", "methods", "datasets"), ("Dataset", "datasets", "methods")):
        right = wrong = neutral = mislabel = hit = n_gold = category = 0
        wrongs, misses = [], []
        for g in gold:
            nodes = [(n, a) for lb, n, a in found.get(g["id"], []) if lb == lab]
            for n, a in nodes:
                if any(_matches(e, n, a) for e in g[key]):
                    right += 1
                elif any(_matches(e, n, a) for e in g["neutral"]):
                    neutral += 1
                else:
                    wrong += 1
                    category += any(_matches(e, n, a) for e in CATEGORIES)
                    mis = any(_matches(e, n, a) for e in g[other])
                    mislabel += mis
                    wrongs.append((g["id"], n, mis))
            for e in g[key]:
                n_gold += 1
                if any(_matches(e, n, a) for n, a in nodes):
                    hit += 1
                else:
                    near = [n for n, a in nodes if any(
                        norm(x) and norm(n) and (norm(x) in norm(n) or norm(n) in norm(x)) for x in e)]
                    as_other = [n for lb, n, a in found.get(g["id"], []) if lb != lab and _matches(e, n, a)]
                    misses.append((g["id"], e[0], near, as_other))
        p = right / (right + wrong) if right + wrong else 0.0
        pc = right / (right + wrong - category) if right + wrong - category else 0.0
        r = hit / n_gold if n_gold else 0.0
        out[lab] = (p, r)
        parts.append(f"{lab} precision {p:.3f} ({right} of {right + wrong}; {neutral} neutral, "
                     f"{mislabel} other label; {pc:.3f} with the categories neutral) "
                     f"recall {r:.3f} ({hit} of {n_gold})")
        for rid, n, mis in wrongs[:errors]:
            print(f"    wrong {lab} {rid}: {n!r}{' [gold under the other label]' if mis else ''}")
        for rid, name, near, as_other in misses[:errors]:
            why = (f"as the other label {as_other}" if as_other else f"overlapping {near}" if near
                   else "not in the graph")
            print(f"    miss {lab} {rid}: {name!r} ({why})")
    print(f"  {label}: " + "; ".join(parts) + f" [kg build {cpu:.1f} CPU-s]")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="both",
                    choices=("dev", "test", "both", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7"))
    ap.add_argument("--errors", type=int, default=0,
                    help="print up to N wrong links and N misses per dev run")
    ap.add_argument("--test-errors", action="store_true",
                    help="print them for test too (tune rules on dev only: test is for reporting)")
    ap.add_argument("--runs", default="model,rules", help="model (default model on), rules (--no-model)")
    args = ap.parse_args()
    if args.split in ("dev2", "dev3", "dev4", "dev5", "dev6", "dev7"):
        path, select_split = {"dev2": (GOLD_DEV2, select_dev2), "dev3": (GOLD_DEV3, select_dev3),
                              "dev4": (GOLD_DEV4, select_dev4), "dev5": (GOLD_DEV5, select_dev5),
                              "dev6": (GOLD_DEV6, select_dev6),
                              "dev7": (GOLD_DEV7, select_dev7)}[args.split]
        gold = load_gold(path)
        lines = select_split()
        if [g["id"] for g in gold] != [json.loads(x)["id"] for x in lines]:
            sys.exit(f"the {args.split} gold file does not match the selection rule")
        print(f"Methods and Datasets on hand-read arXiv abstracts ({path.relative_to(ROOT)}); "
              f"load {os.getloadavg()[0]:.2f}")
        print(f"{args.split} ({len(lines)} papers)")
        for run in args.runs.split(","):
            name = {"model": "rules + model", "rules": "rules alone"}[run]
            found, cpu = build(lines, run == "model")
            score(gold, found, cpu, args.errors, name)
        return
    gold = load_gold(GOLD)
    lines, split = select()
    ids = [json.loads(x)["id"] for x in lines]
    if [g["id"] for g in gold] != ids or any(split[g["id"]] != g["split"] for g in gold):
        sys.exit("the gold file does not match the selection or split rule")
    print(f"Methods and Datasets on hand-read arXiv abstracts ({GOLD.relative_to(ROOT)}); "
          f"load {os.getloadavg()[0]:.2f}")
    for half in ("dev", "test") if args.split == "both" else (args.split,):
        part = [x for x, i in zip(lines, ids, strict=True) if split[i] == half]
        print(f"{half} ({len(part)} papers)")
        for run in args.runs.split(","):
            name = {"model": "rules + model", "rules": "rules alone"}[run]
            found, cpu = build(part, run == "model")
            score([g for g in gold if g["split"] == half], found, cpu,
                  args.errors if half != "test" or args.test_errors else 0, name)


if __name__ == "__main__":
    main()
