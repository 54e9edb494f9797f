"""Benchmark of kg's trained entity model (prints figures; not a test).

1. Per-label precision / recall / F1 of the model alone (exact spans) on the dev parts it was
   not trained on: SciERC ``dev.json`` (Method, Task, Metric) and the dev fifth of the
   dataset-mention sentences (Dataset; :func:`kg.extract.train.split_of`). The test parts are
   not in ``../shared``: they are scored elsewhere.
2. Throughput on the arXiv corpus (``../shared/corpora/arxiv_75k.jsonl.gz``, the first N
   records with an abstract): abstracts per CPU-second (user+sys of this process, one core) of
   the bare spaCy tokenizer, of ``spacy.blank`` + PhraseMatcher + Matcher (the baselines), of
   ``kg.extract.extract(papers)`` with the rules alone (``model=None``) and with the model (the
   default), and of the tagger alone; with the ratios and the peak RSS. Stages take turns
   ``--repeat`` times and each keeps its best time.

Run: ``python benchmarks/extract_model.py [--n 2000] [--repeat 2]``
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: no BLAS threads spinning

import spacy  # noqa: E402
from kg.loaders import load  # noqa: E402
from spacy.matcher import Matcher, PhraseMatcher  # noqa: E402

from kg.extract import extract, make_nlp  # noqa: E402
from kg.extract.gazetteer import load_gazetteer  # noqa: E402
from kg.extract.ner import MODEL_PATH, load_model, tag_docs  # noqa: E402
from kg.extract.patterns import clean_text  # noqa: E402
from kg.extract.train import evaluate, mention_docs, scierc_docs  # noqa: E402
from kg.model import Paper  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def corpus_papers(n: int) -> list[Paper]:
    """The first ``n`` records of the arXiv corpus with an abstract, as kg's loader reads them."""
    out: list[Paper] = []
    for rec in load(SHARED / "corpora" / "arxiv_75k.jsonl.gz"):
        if isinstance(rec, Paper) and rec.abstract:
            out.append(rec)
            if len(out) >= n:
                break
    return out


def scores() -> None:
    nlp = load_model()
    blank = spacy.blank("en")
    bench = SHARED / "benchmarks"
    rows = [
        ("SciERC dev (50 abstracts)", evaluate(nlp, scierc_docs(bench / "scierc" / "dev.json", blank),
                                               ("Method", "Task", "Metric"))),
        ("dataset mentions dev (1/5 of the sentences)",
         evaluate(nlp, mention_docs(bench / "dataset_mentions" / "Train_set_sentences.csv", blank, "dev"),
                  ("Dataset",))),
    ]
    print("model alone, exact spans, dev parts (not trained on):")
    for name, res in rows:
        print(f"  {name}")
        for label, s in res.items():
            print(f"    {label:8s} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f']:.3f}  "
                  f"({s['gold']} gold, {s['pred']} predicted)")


def throughput(n: int, repeat: int) -> None:
    papers = corpus_papers(n)
    n = len(papers)
    texts = [f"{' '.join(clean_text(p.title).split())}\n\n{clean_text(p.abstract).strip()}" for p in papers]
    blank = spacy.blank("en")
    phrase = PhraseMatcher(blank.vocab, attr="LOWER")
    names = [a.lower() for e in load_gazetteer() for a in e.all_names]
    phrase.add("GAZ", list(blank.tokenizer.pipe(names)))
    matcher = Matcher(blank.vocab)
    matcher.add("NAME", [[{"IS_TITLE": True}, {"LOWER": {"IN": ["dataset", "benchmark", "corpus"]}}]])

    def run_tokenizer(batch) -> None:
        for _ in blank.tokenizer.pipe(batch, batch_size=256):
            pass

    def run_matchers(batch) -> None:
        for doc in blank.tokenizer.pipe(batch, batch_size=256):
            phrase(doc)
            matcher(doc)

    rules = make_nlp()
    with_model = make_nlp("kg")
    tagger = with_model.get_pipe("entity_tagger")

    def run(nlp):
        def go(batch) -> None:
            for _ in extract(batch, nlp=nlp):
                pass
        return go

    def run_tagger(batch) -> None:
        for i in range(0, len(batch), 64):
            tag_docs(tagger, [with_model.make_doc(t) for t in batch[i:i + 64]])

    stages = (("spaCy tokenizer (baseline)", run_tokenizer, texts),
              ("spacy.blank + PhraseMatcher + Matcher (baseline)", run_matchers, texts),
              ("kg rules alone: extract(papers, model=None)", run(rules), papers),
              ("kg rules + model: extract(papers) (the default)", run(with_model), papers),
              ("  of which the tagger alone (tokenize + tag)", run_tagger, texts))
    best = {}
    for _name, fn, items in stages:
        fn(items[:100])  # warm-up: lexeme caches, lazy initialisation
    for _turn in range(repeat):  # stages take turns; each keeps its best (the machine is shared)
        for name, fn, items in stages:
            t0 = cpu()
            fn(items)
            best[name] = min(best.get(name, float("inf")), cpu() - t0)
    rates = {}
    for name, _fn, _items in stages:
        dt = best[name]
        rates[name] = n / dt if dt else float("inf")
        print(f"  {name:50s} {dt:7.2f} CPU-s  {rates[name]:8.0f} abstracts/CPU-s")
    r, m = rates[stages[2][0]], rates[stages[3][0]]
    tok = rates[stages[0][0]]
    print(f"  rules alone are {r / m:.2f}x as fast as rules + model; rules + model run at {m / tok:.3f}x "
          f"the bare tokenizer, rules alone at {r / tok:.3f}x")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def model_size() -> None:
    total = sum(p.stat().st_size for p in MODEL_PATH.rglob("*") if p.is_file())
    print(f"shipped model {MODEL_PATH.relative_to(ROOT)}: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="arXiv abstracts for the throughput run")
    ap.add_argument("--repeat", type=int, default=2, help="turns per stage, the best is kept (default 2)")
    args = ap.parse_args()
    model_size()
    scores()
    print(f"throughput on {args.n} arXiv abstracts (title + abstract), one process, "
          f"best of {args.repeat} turns:")
    t0 = time.perf_counter()
    throughput(args.n, args.repeat)
    print(f"  ({time.perf_counter() - t0:.1f} s wall)")
