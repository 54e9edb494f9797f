"""The map over records (kg.runner) and the extraction cache (kg.buildstate), on small real texts."""

from __future__ import annotations

import pickle
import sqlite3
import zlib

from kg.buildstate import ExtractCache, extractor_fingerprint, record_key
from kg.model import Mention, Paper, Source
from kg.runner import extract_batch, extract_map

TEXTS = [
    ("LoRA for cats", "We fine-tune with LoRA on ImageNet."),
    ("Nothing here", "A short note without names."),
    ("Adam again", "As in (Fu et al., 2018), we train with Adam on CIFAR-10."),
    ("Graphs", "We evaluate on Cora with a graph convolutional network."),
    ("Title only", ""),
]


def papers() -> list[Paper]:
    return [Paper(title=t, abstract=a, source=Source("x.jsonl", i + 1), format="x")
            for i, (t, a) in enumerate(TEXTS)]


def test_the_map_keeps_input_order_and_equals_extract():
    from kg.extract import extract

    ps = papers()
    want = list(extract(ps, model=None))
    got = list(extract_map(iter(ps), jobs=1, model=None, batch_size=2))
    assert got == want
    assert [p.source.line for p in got] == [1, 2, 3, 4, 5]


def test_known_results_are_not_extracted_again_and_new_ones_are_stored():
    ps = papers()
    known = {2: ((Mention("Method", "Sentinel"),), ())}  # what a cache would say about record 2
    looked, stored = [], []

    def lookup(batch):
        looked.extend(p.source.line for p in batch)
        return [known.get(p.source.line) for p in batch]

    def store(batch, deltas):
        stored.extend((p.source.line, d) for p, d in zip(batch, deltas, strict=True))

    got = list(extract_map(ps, jobs=1, model=None, batch_size=2, lookup=lookup, store=store))
    assert looked == [1, 2, 3, 4, 5]
    assert [line for line, _ in stored] == [1, 3, 4, 5]
    assert [m.name for m in got[1].mentions] == ["Sentinel"]
    assert dict(stored)[1] == extract_batch([ps[0]], None)[0]


def test_the_cache_round_trips_and_depends_on_record_and_extractor(tmp_path):
    ps = papers()
    fp = extractor_fingerprint(None)
    assert fp != extractor_fingerprint("en_core_web_sm")
    deltas = extract_batch(ps, None)
    cache = ExtractCache(tmp_path / "c.sqlite", fingerprint=fp)
    cache.store(ps, deltas)
    assert cache.lookup(ps) == deltas
    changed = Paper(title="LoRA for cats", abstract="We fine-tune with LoRA on ImageNet!",
                    source=Source("x.jsonl", 1), format="x")
    assert cache.lookup([changed]) == [None]
    cache.close()
    other = ExtractCache(tmp_path / "c.sqlite", fingerprint="another extractor")
    assert other.lookup(ps) == [None] * len(ps)
    other.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.sqlite"]  # no -wal file left


class _Evil:
    def __reduce__(self):
        return (open, ("/tmp/kg-cache-was-unpickled", "w"))


def test_a_tampered_cache_entry_runs_no_code(tmp_path):
    import os

    p = papers()[0]
    cache = ExtractCache(tmp_path / "c.sqlite", fingerprint="f")
    cache.close()
    with sqlite3.connect(tmp_path / "c.sqlite") as db:
        db.execute("INSERT INTO extract VALUES (?, ?)",
                   (record_key(p, "f"), zlib.compress(pickle.dumps(_Evil()))))
    cache = ExtractCache(tmp_path / "c.sqlite", fingerprint="f")
    assert cache.lookup([p]) == [None]  # extracted again instead
    cache.close()
    assert not os.path.exists("/tmp/kg-cache-was-unpickled")
