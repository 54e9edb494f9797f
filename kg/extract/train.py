"""Retrain kg's entity recogniser (Method, Dataset, Task, Metric) from the shared benchmarks.

The shipped model (``kg/extract/model/pipeline``) is made by this script, reproducibly (fixed
seed, fixed splits, bounded steps)::

    python -m kg.extract.train --shared SHARED --exclude benchmarks/data/*.jsonl   # minutes

where ``SHARED`` is the folder of the shared benchmarks and corpora (it is never a default:
the package does not assume where that data lives).

Training data, all under ``SHARED/benchmarks`` (see its PROVENANCE.md and the README's
section on the model for their terms):

* ``scierc/train.json`` - 350 abstracts with Method, Task, Metric spans (Material spans are
  left *unannotated*, neither entity nor "outside", since some are datasets and most are not);
  ``scierc/dev.json`` (50 abstracts) is kept for scoring only.
* ``dataset_mentions/Train_set_sentences.csv`` - 4,640 sentences with Dataset spans, split by
  a hash of the row id (:func:`split_of`): four fifths train, one fifth dev (scored only).
  Method, Task and Metric are not annotated there: tokens that look like names
  (:func:`kg.extract.component.name_shape`) outside a Dataset span are left unannotated.

The model is a spaCy ``tagger`` over BIO tags (``B-Method``, ``I-Method``, ..., ``O``) on a
small hash-embedding CNN (``kg/extract/model/config.cfg``): a tagger costs one softmax per
token where the transition-based ``ner`` costs a state machine (measured: the tagger is about
three times faster here). :func:`kg.extract.ner.bio_spans` reads its tags back as spans.

>>> split_of("5218"), split_of("5047")
('dev', 'train')
>>> text, spans = _detokenize(["A", "-LRB-", "B", "-RRB-", "on", "C", ",", "D", "."])
>>> text
'A (B) on C, D.'
>>> spans[1], spans[2]
((2, 3), (3, 4))
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
import shutil
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from kg.extract.ner import bio_spans

__all__ = ["LABELS", "evaluate", "mention_docs", "read_ids", "scierc_docs", "split_of", "train"]

LABELS = ("Method", "Dataset", "Task", "Metric")
MODEL_DIR = Path(__file__).resolve().parent / "model"
CONFIG = MODEL_DIR / "config.cfg"
PIPELINE = MODEL_DIR / "pipeline"

_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
        "``": '"', "''": '"'}
_NO_SPACE_BEFORE = {",", ".", ";", ":", ")", "]", "}", "%", "?", "!", "'s", "n't"}
_NO_SPACE_AFTER = {"(", "[", "{"}


def split_of(key: str) -> str:
    """``"dev"`` for one row in five (by a CRC32 hash of its id), else ``"train"``: stable
    across runs and machines, used by training and by the benchmarks alike."""
    return "dev" if zlib.crc32(str(key).encode("utf-8")) % 5 == 0 else "train"


def _detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Text from PTB-style tokens, and each token's character span in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    prev = ""
    for i, raw in enumerate(tokens):
        tok = _PTB.get(raw, raw)
        if i and tok not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER:
            parts.append(" ")
            pos += 1
        spans.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
        prev = tok
    return "".join(parts), spans


def _set_bio(doc: Doc, spans: list, missing: set[int]) -> Doc:
    tags = ["O"] * len(doc)
    for i in missing:
        tags[i] = ""
    for span in filter_spans(spans):
        for i in range(span.start, span.end):
            tags[i] = ("B-" if i == span.start else "I-") + span.label_
    for token, tag in zip(doc, tags, strict=True):
        token.tag_ = tag
    return doc


def _named(span) -> bool:
    """Whether a span reads as a name: a word shaped like one (``DSP``, ``word2vec``) or a
    capitalised word that does not start the sentence ("Interchange Lemma")."""
    from kg.extract.component import name_shape

    return any(name_shape(t.text) or any(c.isdigit() for c in t.text)
               or (t.text[:1].isupper() and not t.is_sent_start and t.i > 0 and doc_prev_not_end(t))
               for t in span)


def doc_prev_not_end(token) -> bool:
    """Whether the token before ``token`` does not end a sentence."""
    return token.i > 0 and token.doc[token.i - 1].text not in {".", "!", "?", ":", "\n", "\n\n"}


def scierc_spans(path: Path) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
    """(text, [(start char, end char, label)]) per SciERC abstract (its tokens joined back
    into text by :func:`_detokenize`)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            text, offsets = _detokenize([t for sent in rec["sentences"] for t in sent])
            yield text, [(offsets[start][0], offsets[end][1], label)
                         for sent in rec["ner"] for start, end, label in sent]


def scierc_docs(path: Path, nlp: Language) -> Iterator[Doc]:
    """One Doc per SciERC abstract, tagged BIO for Method, Task and Metric. kg's Method nodes
    are *named* methods: a Method span that is not a name ("statistical approach") is left
    unannotated, as are Material spans (some are datasets, most are not)."""
    keep = {"Method", "Task", "Metric"}
    for text, gold in scierc_spans(path):
        doc = nlp.make_doc(text)
        spans, missing = [], set()
        for s, e, label in gold:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            if label == "Method" and not _named(span):
                missing.update(range(span.start, span.end))  # "statistical approach"
            elif label in keep:
                spans.append(doc.char_span(s, e, label=label, alignment_mode="expand"))
            elif label == "Material":
                missing.update(range(span.start, span.end))
        yield _set_bio(doc, spans, missing)


def _read_mentions(path: Path) -> Iterator[tuple[str, str, list[tuple[int, int]], list[tuple[int, int]]]]:
    """(id, text, dataset spans, not-dataset spans) per row of the dataset-mention CSV."""
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            gold, neg = [], []
            for start, end, label in ast.literal_eval(row["labels"]):
                (gold if label in ("Dataset", "Datatset") else neg).append((int(start), int(end)))
            yield row["id"], row["text"], gold, neg


def mention_docs(path: Path, nlp: Language, part: str) -> Iterator[Doc]:
    """The sentences of the dataset-mention CSV in split ``part``, tagged BIO for Dataset."""
    from kg.extract.component import name_shape

    for key, text, gold, _neg in _read_mentions(path):
        if split_of(key) != part:
            continue
        doc = nlp.make_doc(text)
        spans = [doc.char_span(s, e, label="Dataset", alignment_mode="expand") for s, e in gold]
        spans = [s for s in spans if s is not None]
        inside = {i for s in spans for i in range(s.start, s.end)}
        missing = {t.i for t in doc if t.i not in inside and name_shape(t.text)}
        yield _set_bio(doc, spans, missing)


def _seed_titles(shared: Path) -> set[str]:
    """Normalised titles of the seed listings: kept out of the silver data (they are scored)."""
    from kg.ids import normalize_text

    titles: set[str] = set()
    for path in sorted((shared / "seeds").glob("*")):
        if path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                titles.add(normalize_text(line.replace("Subscribe", "", 1)))
    return titles


def silver_docs(corpus: Path, limit: int, exclude_titles: set[str] = frozenset(),
                exclude_ids: set[str] = frozenset()) -> Iterator[Doc]:
    """Abstracts of the arXiv corpus tagged by kg's own rules (weak supervision).

    One record in ten (by a hash of its arXiv id), up to ``limit``, leaving out the records
    whose id is in ``exclude_ids`` (the hand-read benchmark records: never trained on, even with
    the rules' labels) and those whose title is in ``exclude_titles``. The rules' Method and
    Dataset mentions are tagged wherever their text occurs, tasks of the task list as Task;
    words shaped like names that the rules did not explain, and lower-case content words
    (which may belong to a task or a metric the rules do not know), are left unannotated;
    stop words, punctuation and numbers are ``O``. The model thus learns from the contexts of
    names the rules know to find names they do not.
    """
    import gzip

    from kg.extract import make_nlp
    from kg.extract.component import name_shape
    from kg.ids import normalize_text

    rules = make_nlp()
    tasks = _task_matcher(rules)
    n = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if zlib.crc32(str(rec.get("id")).encode("utf-8")) % 10 != 3 or str(rec.get("id")) in exclude_ids:
                continue
            title = " ".join(str(rec.get("title") or "").split())
            abstract = " ".join(str(rec.get("abstract") or "").split())
            if not title or not abstract or normalize_text(title) in exclude_titles:
                continue
            doc = rules.make_doc(f"{title}\n\n{abstract}")
            doc._.kg_title_end = len(title)
            for _name, proc in rules.pipeline:
                doc = proc(doc)
            spans = []
            for m in doc._.kg_mentions or ():
                if m.label not in ("Method", "Dataset") or len(m.text) < 2:
                    continue
                tail = r"(?:\s+(?:data ?sets?|benchmarks?|corpus|corpora))?" if m.label == "Dataset" else ""
                for hit in re.finditer(rf"(?<![\w/.-]){re.escape(m.text)}{tail}(?![\w/-])", doc.text):
                    span = doc.char_span(hit.start(), hit.end(), label=m.label, alignment_mode="expand")
                    if span is not None:
                        spans.append(span)
            for _key, start, end in tasks(doc):
                spans.append(_label(doc, start, end, "Task"))
            covered = {i for s in spans for i in range(s.start, s.end)}
            missing = {t.i for t in doc if t.i not in covered and (
                name_shape(t.text) or (t.text[:1].isupper() and t.i > 0 and not doc[t.i - 1].is_punct
                                       and not doc[t.i - 1].is_space)
                or (t.is_alpha and t.is_lower and not t.is_stop and len(t.text) > 3))}
            out = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
            spans = [_label(out, s.start, s.end, s.label_) for s in spans]
            yield _set_bio(out, spans, missing)
            n += 1
            if n >= limit:
                return


def _label(doc: Doc, start: int, end: int, label: str):
    from spacy.tokens import Span

    return Span(doc, start, end, label=label)


def _task_matcher(nlp: Language):
    from spacy.matcher import PhraseMatcher

    from kg.extract.gazetteer import _read, variants

    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    names = [v.lower() for e in _read("Task", "tasks.txt") for n in e.all_names for v in variants(n)
             if not any(c.isupper() for c in n[1:])]
    matcher.add("Task", list(nlp.tokenizer.pipe(names)))
    return matcher


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "gold": n_gold, "pred": n_pred}


def evaluate(nlp: Language, gold_docs: Iterable[Doc], labels: Iterable[str] = LABELS) -> dict:
    """Exact-span precision, recall and F1 per label of ``nlp``'s tagger on BIO-tagged docs.

    Spans over unannotated tokens are not counted (neither right nor wrong)."""
    labels = tuple(labels)
    counts = {lab: [0, 0, 0] for lab in labels}
    gold_docs = list(gold_docs)
    preds = nlp.pipe((Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d])
                      for d in gold_docs), batch_size=64)
    for gold, pred in zip(gold_docs, preds, strict=True):
        missing = {t.i for t in gold if t.tag_ == ""}  # e.g. SciERC Method spans that are not names
        g = {s for s in bio_spans(gold) if s[2] in counts}
        p = {s for s in bio_spans(pred) if s[2] in counts
             and not any(i in missing for i in range(s[0], s[1]))}
        for s in p:
            counts[s[2]][1] += 1
            counts[s[2]][0] += s in g
        for s in g:
            counts[s[2]][2] += 1
    return {lab: _prf(*c) for lab, c in counts.items() if c[2] or c[1]}


def read_ids(paths: Iterable[str | Path]) -> set[str]:
    """The ``id`` of every JSON line of ``paths`` (hand-read benchmark files).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "gold.jsonl"
    >>> _ = p.write_text('{"id": "2504.01296", "methods": []}\\n\\n{"id": "2505.00995"}\\n')
    >>> sorted(read_ids([p]))
    ['2504.01296', '2505.00995']
    """
    ids: set[str] = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            ids.update(str(json.loads(line)["id"]) for line in f if line.strip())
    return ids


def _docbin(docs: Iterable[Doc], path: Path) -> int:
    db = DocBin(attrs=["ORTH", "TAG"], store_user_data=False)
    n = 0
    for doc in docs:
        db.add(doc)
        n += 1
    db.to_disk(path)
    return n


def train(shared: Path, out: Path = PIPELINE, *, max_steps: int | None = None, workdir: Path | None = None,
          silver_limit: int = 1500, config_overrides: dict | None = None,
          exclude_ids: Iterable[str] = ()) -> dict:
    """Train on the shared benchmarks' training parts, score on their dev parts, save to ``out``.

    ``exclude_ids``: arXiv ids kept out of the silver abstracts (the records of hand-read
    benchmarks: :func:`read_ids` of their files).

    Returns the dev scores (also written to ``out/../scores.json``)."""
    bench = Path(shared) / "benchmarks"
    mentions = bench / "dataset_mentions" / "Train_set_sentences.csv"
    from kg.extract import blank_nlp

    nlp = blank_nlp()  # the tokenizer extraction uses
    tmp = Path(workdir or tempfile.mkdtemp(prefix="kg-train-"))
    tmp.mkdir(parents=True, exist_ok=True)
    silver = list(silver_docs(Path(shared) / "corpora" / "arxiv_75k.jsonl.gz", silver_limit,
                              _seed_titles(Path(shared)), set(exclude_ids))) if silver_limit else []
    scierc = list(scierc_docs(bench / "scierc" / "train.json", nlp))
    # SciERC twice: its 350 abstracts are the only source of Task and Metric, beside thousands
    # of sentences and abstracts that annotate names only
    train_docs = [*scierc, *scierc, *mention_docs(mentions, nlp, "train"), *silver]
    dev_scierc = list(scierc_docs(bench / "scierc" / "dev.json", nlp))
    dev_mentions = list(mention_docs(mentions, nlp, "dev"))
    n_train = _docbin(train_docs, tmp / "train.spacy")
    _docbin([*dev_scierc, *dev_mentions], tmp / "dev.spacy")
    overrides = {"paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy")}
    if max_steps:
        overrides["training.max_steps"] = max_steps
    overrides.update(config_overrides or {})
    from spacy.cli.train import train as spacy_train

    t0 = time.process_time()
    spacy_train(CONFIG, tmp / "output", overrides=overrides)
    cpu = time.process_time() - t0
    trained = spacy.load(tmp / "output" / "model-best")
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    trained.to_disk(out)
    scores = {
        "train_docs": n_train,
        "silver_docs": len(silver),
        "train_cpu_seconds": round(cpu, 1),
        "scierc_dev": evaluate(trained, dev_scierc, ("Method", "Task", "Metric")),
        "dataset_mentions_dev": evaluate(trained, dev_mentions, ("Dataset",)),
    }
    (out.parent / "scores.json").write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, required=True,
                    help="the shared data folder (holding benchmarks/ and corpora/)")
    ap.add_argument("--out", type=Path, default=PIPELINE, help="where to save the trained pipeline")
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    ap.add_argument("--silver", type=int, default=1500,
                    help="how many arXiv abstracts tagged by the rules to add (0: none)")
    ap.add_argument("--exclude", nargs="*", default=[], metavar="GOLD.jsonl",
                    help="JSON-lines files of hand-read records (an id per line) kept out of the silver "
                         "abstracts, e.g. benchmarks/data/*.jsonl")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the .spacy files and checkpoints here")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=INT",
                    help="override an integer setting of config.cfg, e.g. "
                         "components.entity_tagger.model.tok2vec.encode.width=32")
    args = ap.parse_args(argv)
    sets = {k: int(v) for k, v in (item.split("=", 1) for item in args.set)}
    scores = train(args.shared, args.out, max_steps=args.max_steps, workdir=args.workdir,
                   silver_limit=args.silver, config_overrides=sets, exclude_ids=read_ids(args.exclude))
    print(json.dumps(scores, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
