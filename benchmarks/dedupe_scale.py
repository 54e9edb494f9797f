"""`kg dedupe` on noisy copies of real arXiv papers at 10k, 100k and 1M records.

Run: python benchmarks/dedupe_scale.py [--sizes 10000 100000 1000000] [--seed 1]

The generator (:func:`generate`) writes a JSON-lines file of ``n`` records made from the real
titles and authors of ../shared/corpora/arxiv_75k.jsonl.gz:

* papers: the real records; beyond 74,728 papers, new ones are spliced from real parts (the
  first half of one real title, the second half of another, the authors of a third), so the
  vocabulary and word frequencies stay those of real titles;
* copies: a paper is written 1 to 5 times (about 45% once, 25% twice, 30% three times or
  more); every copy but the first is noisy: typos, case, punctuation, a dropped or swapped
  word, abbreviations ("and" -> "&", "Large Language Models" -> "LLMs"), author names in
  another form ("Ashish Vaswani" -> "Vaswani, A." / "A. Vaswani" / "Vaswani A"), authors
  cut after the third ("et al."), a missing year;
* hard negatives: for about 3% of papers, a sibling paper by the same authors whose title
  differs by a number, a version or a model-name suffix ("3D" -> "4D", "2.0" -> "2.5",
  "X" -> "X-RL", "... v2"): a different paper that must stay apart.

For each size it times the generation apart (CPU-s of this process), runs ``kg dedupe``'s
library function in a child process (CPU-seconds user+sys, wall time and peak RSS of that
process), then scores its clusters pairwise against the generator's paper ids: precision,
recall, F1; recall for papers with 2 copies and with 3 or more; how many hard negative pairs
were merged; the recall of the blocking alone (gold pairs among the candidate pairs, from an
in-process run of the same blocking), and the work per record. The last lines give the curve:
CPU-microseconds per record at each size, and the growth per record from the smallest size to
the largest (1.0 = linear).

Goal (issue 10): 1M records in under 120 CPU-s and 4 GB, near-linear from 10k; recall >= 0.95
at precision >= 0.98 whatever the number of copies; no hard negative merged.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "arxiv_75k.jsonl.gz"

ABBREV = [("Large Language Models", "LLMs"), ("Large Language Model", "LLM"), (" and ", " & "),
          ("Reinforcement Learning", "RL"), ("Neural Networks", "NNs"), ("Neural Network", "NN"),
          ("Vision-Language", "VL"), ("Networks", "Nets"), ("Generation", "Gen."),
          ("Optimization", "Optim."), ("Transformers", "Transf.")]
VARIANTS = ["-RL", "-Mini", "-Pro", "-Large", " v2", "-Chat", "-Instruct"]


def load_corpus() -> list[tuple[str, list[str], int | None]]:
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            title = " ".join((r.get("title") or "").split())
            if not title:
                continue
            names = [a.strip() for a in re.split(r",| and ", r.get("authors") or "") if a.strip()]
            m = re.match(r"(\d\d)(\d\d)\.", str(r.get("id") or ""))
            year = 2000 + int(m.group(1)) if m else None
            out.append((title, names, year))
    return out


def typo(w: str, rng: random.Random) -> str:
    if len(w) < 5 or not w.isalpha():
        return w
    k = rng.randrange(1, len(w) - 1)
    op = rng.randrange(3)
    if op == 0:
        return w[:k] + w[k + 1 :]
    if op == 1:
        return w[:k] + w[k + 1] + w[k] + w[k + 2 :]
    return w[:k] + rng.choice("aeinorst") + w[k:]


def noisy_title(t: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(7)
        words = t.split()
        if op == 0:
            k = rng.randrange(len(words))
            words[k] = typo(words[k], rng)
            t = " ".join(words)
        elif op == 1:
            t = t.lower() if rng.random() < 0.7 else t.upper()
        elif op == 2:
            t = re.sub(r"[:,?!()]", "", t) if rng.random() < 0.5 else t + "."
        elif op == 3 and len(words) > 5:
            del words[rng.randrange(1, len(words))]
            t = " ".join(words)
        elif op == 4 and len(words) > 3:
            k = rng.randrange(1, len(words) - 1)
            words[k], words[k + 1] = words[k + 1], words[k]
            t = " ".join(words)
        elif op == 5:
            hits = [(a, b) for a, b in ABBREV if a in t]
            if hits:
                a, b = rng.choice(hits)
                t = t.replace(a, b, 1)
        elif op == 6:
            t = t.replace(":", " -", 1) if ":" in t else t
    return t


def name_form(name: str, rng: random.Random) -> str:
    parts = name.split()
    if len(parts) < 2:
        return name
    given, surname = parts[:-1], parts[-1]
    initials = " ".join(g[0] + "." for g in given if g)
    return rng.choice([name, f"{surname}, {initials}", f"{initials} {surname}",
                       f"{surname} {''.join(g[0] for g in given)}", f"{surname}, {' '.join(given)}"])


def noisy_authors(names: list[str], rng: random.Random) -> str | list[str]:
    names = [name_form(n, rng) for n in names]
    if len(names) > 3 and rng.random() < 0.3:
        names = names[:3] + ["et al."]
    sep = rng.choice(["; ", "; ", " and "]) if any("," in n for n in names) else rng.choice([", ", "; "])
    return sep.join(names) if rng.random() < 0.8 else names


def sibling(title: str, rng: random.Random) -> str | None:
    """A different paper whose title differs by a number, version or suffix."""
    m = re.search(r"\b(\d+)(D|\.\d+)?\b", title)
    if m and rng.random() < 0.6:
        num = int(m.group(1))
        return title[: m.start(1)] + str(num + rng.randint(1, 3)) + title[m.end(1) :]
    words = title.split()
    for k, w in enumerate(words):
        bare = w.rstrip(":")
        if len(bare) >= 3 and (bare.isupper() or any(c.isupper() for c in bare[1:])):
            words[k] = bare + rng.choice(VARIANTS) + w[len(bare) :]
            return " ".join(words)
    return None


def generate(n: int, path: Path, seed: int = 1) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Write ``n`` records to ``path``; return each record's gold paper id and hard-negative pairs."""
    rng = random.Random(seed)
    corpus = load_corpus()
    rng.shuffle(corpus)
    gold: list[int] = []
    hard: list[tuple[int, int]] = []
    pid = 0
    with path.open("w", encoding="utf-8") as fh:

        def write(title: str, authors, year, paper: int) -> None:
            rec = {"id": f"r{len(gold)}", "title": title, "authors": authors}
            if year is not None:
                rec["year"] = year
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            gold.append(paper)

        k = 0
        while len(gold) < n:
            if k < len(corpus):
                title, names, year = corpus[k]
            else:  # a new paper spliced from real parts
                a, b, c = (corpus[rng.randrange(len(corpus))] for _ in range(3))
                wa, wb = a[0].split(), b[0].split()
                title = " ".join(wa[: max(1, len(wa) // 2)] + wb[len(wb) // 2 :])
                names, year = c[1], c[2]
            k += 1
            copies = rng.choices([1, 2, 3, 4, 5], weights=[45, 25, 15, 10, 5])[0]
            first = len(gold)
            for c in range(copies):
                if len(gold) >= n:
                    break
                if c == 0:
                    write(title, ", ".join(names), year, pid)
                else:
                    y = year if rng.random() < 0.7 else None
                    write(noisy_title(title, rng), noisy_authors(names, rng), y, pid)
            pid += 1
            if rng.random() < 0.03 and len(gold) < n and (sib := sibling(title, rng)):
                hard.append((first, len(gold)))
                write(sib, ", ".join(names), year, pid)
                pid += 1
    return np.asarray(gold, dtype=np.int64), hard


def pair_counts(labels: np.ndarray, gold: np.ndarray) -> tuple[int, int, int]:
    """(true positive, predicted, gold) pair counts from two labelings."""
    def pairs(x: np.ndarray) -> int:
        c = np.bincount(np.unique(x, return_inverse=True)[1])
        return int((c * (c - 1) // 2).sum())

    joint = labels.astype(np.int64) * (int(gold.max()) + 1) + gold
    return pairs(joint), pairs(labels), pairs(gold)


def run(n: int, seed: int, tmp: Path) -> dict:
    src, dst = tmp / f"noisy_{n}.jsonl", tmp / f"clusters_{n}.jsonl"
    g0 = time.process_time()
    gold, hard = generate(n, src, seed)
    gen_cpu = time.process_time() - g0
    code = (
        "import resource, sys, time\n"
        "from kg.resolve.papers import dedupe_file\n"
        "s = dedupe_file(sys.argv[1], sys.argv[2])\n"
        "ru = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(ru.ru_utime + ru.ru_stime, ru.ru_maxrss, s.comparisons, s.clusters)\n"
    )
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(src), str(dst)], check=True,
                         capture_output=True, text=True).stdout.split()
    wall = time.perf_counter() - t0
    cpu, rss, comparisons, clusters = float(out[0]), int(out[1]) / 1024, int(out[2]), int(out[3])
    index = {f"r{k}": k for k in range(n)}
    labels = np.zeros(n, dtype=np.int64)
    with dst.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            labels[index[row["id"]]] = index[row["cluster"]]
    tp, pred, gold_pairs = pair_counts(labels, gold)
    # recall by the number of copies of a paper
    size = Counter(gold.tolist())
    by = {"2 copies": [0, 0], "3+ copies": [0, 0]}
    members: dict[int, list[int]] = defaultdict(list)
    for k, g in enumerate(gold.tolist()):
        if size[g] >= 2:
            members[g].append(k)
    for ks in members.values():
        key = "2 copies" if len(ks) == 2 else "3+ copies"
        for a in range(len(ks)):
            for b in range(a + 1, len(ks)):
                by[key][1] += 1
                by[key][0] += int(labels[ks[a]] == labels[ks[b]])
    hard_merged = sum(int(labels[a] == labels[b]) for a, b in hard)
    # recall of the blocking alone: gold pairs among the candidate pairs
    from kg.resolve.papers import _candidate_pairs, _read_rows, _rec_from_row

    rows, _, _ = _read_rows(src, None, [], _rec_from_row)
    codes, _ = _candidate_pairs([rec for _, (rec, _) in rows])
    del rows
    gold_codes = []
    for ks in members.values():
        for a in range(len(ks)):
            for b in range(a + 1, len(ks)):
                gold_codes.append(ks[a] * n + ks[b])
    found = np.isin(np.asarray(gold_codes, dtype=np.int64), codes).sum()
    p = tp / pred if pred else 0.0
    r = tp / gold_pairs if gold_pairs else 0.0
    return {
        "records": n, "papers": len(size), "gold pairs": gold_pairs, "predicted": pred, "TP": tp,
        "P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "R 2 copies": by["2 copies"][0] / max(1, by["2 copies"][1]),
        "R 3+ copies": by["3+ copies"][0] / max(1, by["3+ copies"][1]),
        "hard negatives merged": f"{hard_merged}/{len(hard)}",
        "blocking recall": found / max(1, len(gold_codes)),
        "candidate pairs/record": comparisons / n, "clusters": clusters,
        "CPU s": cpu, "wall s": wall, "peak RSS MB": rss, "CPU us/record": 1e6 * cpu / n,
        "generation CPU s": gen_cpu,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            res = run(n, args.seed, Path(tmp))
            results.append(res)
            print(" ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in res.items()),
                  flush=True)
    print("\nrecords     P       R       F1      R(2)    R(3+)   hard    block-R  pairs/rec  CPU s   "
          "wall s  us/rec  RSS MB")
    for r in results:
        print(f"{r['records']:<10d}  {r['P']:.4f}  {r['R']:.4f}  {r['F1']:.4f}  {r['R 2 copies']:.4f}  "
              f"{r['R 3+ copies']:.4f}  {r['hard negatives merged']:<7s} {r['blocking recall']:.4f}   "
              f"{r['candidate pairs/record']:<9.1f}  {r['CPU s']:<7.1f} {r['wall s']:<7.1f} "
              f"{r['CPU us/record']:<7.0f} {r['peak RSS MB']:.0f}")
    if len(results) >= 2:
        a, b = results[0], results[-1]
        growth = (b["CPU s"] / a["CPU s"]) / (b["records"] / a["records"])
        print(f"CPU per record, {b['records']} vs {a['records']}: x{growth:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main()
