"""Speed of rule-based extraction against spaCy baselines (prints figures; not a test).

On the first N records of ``../shared/corpora/arxiv_75k.jsonl.gz`` (real arXiv metadata), in one
process, each over the same title + abstract texts:

1. ``tokenizer``: bare ``spacy.blank("en").tokenizer``;
2. ``baseline``: ``spacy.blank("en")`` (``nlp(text)``) + a ``PhraseMatcher`` of 2,000 phrases taken
   from kg's gazetteer lists (names, aliases and their variants, lower-case) + a ``Matcher`` of 20
   token patterns;
3. ``kg rules``: ``kg.extract.extract(papers)`` with the rules alone (no trained model), mentions
   and citations included.

Each stage first runs untimed over the first 200 texts (its vocabulary and caches warm up), then
is timed over all N in CPU-seconds of this process (user + sys, ``resource.getrusage``). The
stages take turns ``--repeat`` times (default 3) and each keeps its best time: on a shared machine
CPU time too is inflated by other processes (caches, hyper-threads), and the best of a few turns
is the steadiest figure; the first turn's ratios are printed too (each text met once: spaCy's
tokenizer and kg's token cache meet most pieces for the first time, as on a new corpus). Then,
for the cost of new words apart from the warm-up of the first turn, each stage reads ``--unseen``
records (default 1000) after the first N once in each of ``--repeat`` turns, a new slice each
turn: texts no stage has met, the same for all stages; their CPU-seconds are summed over the
turns ("unseen texts"). Rates are abstracts per CPU-second; the ratios compare kg with the
baselines of the same run. Peak RSS is the process's high-water mark after each stage (so it
only grows).

Run: ``python benchmarks/extract_speed.py [--n 5000] [--repeat 3] [--unseen 1000]``
"""

from __future__ import annotations

import argparse
import resource
import sys
from itertools import islice
from pathlib import Path

import spacy
from kg.loaders import load
from spacy.matcher import Matcher, PhraseMatcher

from kg.extract import extract, make_nlp
from kg.extract.gazetteer import load_gazetteer, variants
from kg.extract.patterns import clean_text
from kg.model import Paper

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpora" / "arxiv_75k.jsonl.gz").resolve()
WARM = 200

#: 20 token patterns of the kind a rule extractor uses
TOKEN_PATTERNS = [
    [{"LOWER": "we"}, {"LOWER": {"IN": ["propose", "introduce", "present"]}}, {"IS_TITLE": True}],
    [{"LOWER": {"IN": ["called", "named", "dubbed"]}}, {"IS_ALPHA": True}],
    [{"IS_UPPER": True, "LENGTH": {">=": 2}}, {"LOWER": {"IN": ["dataset", "benchmark", "corpus"]}}],
    [{"IS_TITLE": True}, {"LOWER": "et"}, {"LOWER": {"IN": ["al", "al."]}}],
    [{"TEXT": "("}, {"IS_TITLE": True}, {"TEXT": ","}, {"SHAPE": "dddd"}, {"TEXT": ")"}],
    [{"TEXT": "("}, {"IS_UPPER": True}, {"TEXT": ")"}],
    [{"LIKE_URL": True}],
    [{"LOWER": {"IN": ["github.com", "gitlab.com"]}}],
    [{"SHAPE": {"IN": ["XxxXx", "XXxx", "xXXX", "XxXX"]}}],
    [{"SHAPE": {"IN": ["XXX-d", "XX-dd", "Xxxx-dd", "XXXX-d"]}}],
    [{"LOWER": "state"}, {"TEXT": "-"}, {"LOWER": "of"}, {"TEXT": "-"}, {"LOWER": "the"}],
    [{"LOWER": {"IN": ["experiments", "evaluated", "trained", "tested"]}}, {"LOWER": "on"}],
    [{"LOWER": {"IN": ["datasets", "benchmarks"]}}, {"LOWER": {"IN": ["such", "including"]}}],
    [{"IS_DIGIT": True}, {"LOWER": {"IN": ["datasets", "benchmarks", "tasks"]}}],
    [{"LOWER": "our"}, {"LOWER": {"IN": ["method", "model", "approach", "framework"]}}],
    [{"LOWER": {"IN": ["outperforms", "surpasses"]}}, {"OP": "?"}, {"IS_TITLE": True}],
    [{"LIKE_NUM": True}, {"TEXT": "%"}],
    [{"LOWER": "code"}, {"LOWER": {"IN": ["is", "and"]}}, {"LOWER": "available"}],
    [{"IS_TITLE": True, "OP": "?"}, {"LOWER": "transformer"}],
    [{"IS_ALPHA": True}, {"TEXT": "-"}, {"LOWER": {"IN": ["based", "aware", "free"]}}],
]


def cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def phrases(n: int) -> list[str]:
    out: dict[str, None] = {}
    for entry in load_gazetteer():
        for alias in entry.all_names:
            for v in variants(alias):
                out.setdefault(v.lower(), None)
    return list(out)[:n]


def timed(fn, items) -> float:
    """CPU-seconds of ``fn(items)``."""
    start = cpu()
    fn(items)
    return cpu() - start


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000, help="records of the corpus to use (default 5000)")
    ap.add_argument("--repeat", type=int, default=3, help="turns per stage, the best is kept (default 3)")
    ap.add_argument("--unseen", type=int, default=1000,
                    help="records after the first N read once per turn, a new slice each turn (default 1000)")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args(argv)

    records = list(islice(load(args.corpus), args.n + args.unseen * args.repeat))
    papers = [r for r in records[:args.n] if isinstance(r, Paper)]
    later = [r for r in records[args.n:] if isinstance(r, Paper)]

    def text_of(p: Paper) -> str:
        return f"{' '.join(clean_text(p.title).split())}\n\n{clean_text(p.abstract).strip()}"

    texts = [text_of(p) for p in papers]
    print(f"{len(papers)} records of {args.corpus.name}, {sum(map(len, texts)) / len(texts):,.0f} "
          f"characters each on average; loaded, peak RSS {peak_mb():,.0f} MB", file=sys.stderr)
    tok_nlp = spacy.blank("en")
    tokenizer = tok_nlp.tokenizer

    def tokenize(items):
        for t in items:
            tokenizer(t)

    base = spacy.blank("en")
    pm = PhraseMatcher(base.vocab, attr="LOWER")
    plist = phrases(2000)
    pm.add("GAZ", list(base.tokenizer.pipe(plist)))
    matcher = Matcher(base.vocab)
    for i, pattern in enumerate(TOKEN_PATTERNS):
        matcher.add(f"P{i}", [pattern])

    def baseline(items):
        for t in items:
            doc = base(t)
            pm(doc)
            matcher(doc)

    nlp = make_nlp()
    counts = [0, 0]

    def rules(items):
        for p in extract(items, nlp=nlp):
            counts[0] += len(p.mentions)
            counts[1] += len(p.citations)

    stages = [
        ("tokenizer (spacy.blank('en').tokenizer)", tokenize, texts),
        (f"baseline (blank + PhraseMatcher {len(plist)} + Matcher {len(TOKEN_PATTERNS)})", baseline, texts),
        ("kg rules (kg.extract.extract, no model)", rules, papers),
    ]
    best = [float("inf")] * len(stages)
    first = [0.0] * len(stages)
    rss = [0.0] * len(stages)
    for _label, fn, items in stages:
        fn(items[:WARM])
    counts[:] = [0, 0]
    for turn in range(args.repeat):
        for i, (label, fn, items) in enumerate(stages):
            dt = timed(fn, items)
            if turn == 0:
                first[i] = dt
            best[i] = min(best[i], dt)
            rss[i] = peak_mb()
            print(f"  turn {turn + 1}: {label}: {len(items) / best[i]:,.0f} abstracts/CPU-s", file=sys.stderr)
    found = counts[:]  # of the N papers, over the turns
    # texts no stage has met: a new slice of records per turn, the same slice for each stage
    unseen = [0.0] * len(stages)
    n_unseen = 0
    for turn in range(args.repeat):
        part = later[turn * args.unseen:(turn + 1) * args.unseen]
        if not part:
            break
        n_unseen += len(part)
        part_texts = [text_of(p) for p in part]
        for i, (_label, fn, items) in enumerate(stages):
            unseen[i] += timed(fn, part if items is papers else part_texts)
    rows = [(label, len(items) / dt, dt, peak)
            for (label, _fn, items), dt, peak in zip(stages, best, rss, strict=True)]
    r_tok, r_base, r_kg = (row[1] for row in rows)

    print(f"\nextraction speed, first {len(papers)} records of {args.corpus.name}, "
          f"best of {args.repeat} turns")
    print(f"{'stage':<52} {'abstracts/CPU-s':>16} {'CPU-s':>8} {'peak RSS MB':>12}")
    for label, rate, dt, peak in rows:
        print(f"{label:<52} {rate:>16,.0f} {dt:>8.2f} {peak:>12,.0f}")
    print(f"\nkg rules / baseline:  {r_kg / r_base:.2f}x")
    print(f"kg rules / tokenizer: {r_kg / r_tok:.2f}x")
    print(f"baseline / tokenizer: {r_base / r_tok:.2f}x")
    f_tok, f_base, f_kg = (len(items) / dt for (_l, _f, items), dt in zip(stages, first, strict=True))
    # the first turn reads each text once (after the 200 warm-up texts): spaCy's tokenizer and kg's
    # token cache (kg.extract.tokens) meet most pieces for the first time, as on a new corpus
    print(f"first turn (each text met once): kg {f_kg:,.0f}/CPU-s = {f_kg / f_base:.2f}x the baseline, "
          f"{f_kg / f_tok:.2f}x the tokenizer")
    if n_unseen:
        u_tok, u_base, u_kg = (n_unseen / dt for dt in unseen)
        print(f"unseen texts ({n_unseen:,} records after the first {len(papers):,}, each read once): "
              f"kg {u_kg:,.0f}/CPU-s = {u_kg / u_base:.2f}x the baseline, {u_kg / u_tok:.2f}x the tokenizer "
              f"(CPU-s: tokenizer {unseen[0]:.2f}, baseline {unseen[1]:.2f}, kg {unseen[2]:.2f})")
    print(f"kg found {found[0] // args.repeat:,} mentions and {found[1] // args.repeat:,} citations "
          f"in the {len(papers):,} papers")


if __name__ == "__main__":
    main()
