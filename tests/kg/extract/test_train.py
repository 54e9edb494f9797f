"""The retraining script's silver data: arXiv abstracts tagged by the rules."""

import gzip
import json
import zlib

from kg.extract.train import read_ids, silver_docs


def _silver_ids(n: int) -> list[str]:
    """``n`` arXiv-like ids that silver_docs samples (one in ten by CRC32)."""
    ids, k = [], 0
    while len(ids) < n:
        rid = f"2501.{k:05d}"
        if zlib.crc32(rid.encode("utf-8")) % 10 == 3:
            ids.append(rid)
        k += 1
    return ids


def test_silver_docs_leave_out_excluded_records(tmp_path):
    ids = _silver_ids(3)
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        for i, rid in enumerate(ids):
            f.write(json.dumps({"id": rid, "title": f"Paper number {i}",
                                "abstract": f"We train BERT on SQuAD for question {i}."}) + "\n")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": ids[1], "methods": []}) + "\n", encoding="utf-8")

    docs = list(silver_docs(corpus, 10, exclude_ids=read_ids([gold])))
    assert [d.text.split("\n")[0] for d in docs] == ["Paper number 0", "Paper number 2"]
    tags = {t.text: t.tag_ for t in docs[0]}
    assert tags["BERT"] == "B-Method"
    assert tags["SQuAD"] == "B-Dataset"
    assert len(list(silver_docs(corpus, 10))) == 3
