"""`kg dedupe` end to end with click's CliRunner: small files, errors, and real DBLP-ACM rows."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from itertools import combinations

from click.testing import CliRunner

from kg.cli import main
from tests.conftest import BENCHMARKS

ROWS = [
    "id,title,authors,venue,year,pages",
    "p1,How to Train Your HiPPO: State Space Models with Generalized Orthogonal Basis Projections,"
    '"Albert Gu, Isys Johnson, Aman Timalsina, Atri Rudra, Christopher Ré",NeurIPS,2022,1-12',
    "p2,A Theoretical Framework for Inference Learning,Nick Alonso and Beren Millidge,NeurIPS,2022,",
    "p3,How to train your HiPPO - state space models with generalized orthogonal basis projections,"
    '"A. Gu, I. Johnson, A. Timalsina, A. Rudra, C. Re",'
    "Advances in Neural Information Processing Systems,2022,",
    "p4,ZIA: A Theoretical Framework for Zero-Input AI,Aditi De,arXiv,2025,",
]


def run(*args):
    return CliRunner().invoke(main, ["dedupe", *map(str, args)])


def read_clusters(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_dedupe_a_small_csv(tmp_path):
    src, out = tmp_path / "records.csv", tmp_path / "clusters.jsonl"
    src.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    result = run(src, "--out", out)
    assert result.exit_code == 0, result.output
    assert "4 records" in result.output and "3 clusters, 1 merged" in result.output
    rows = read_clusters(out)
    assert [(r["id"], r["cluster"]) for r in rows] == [("p1", "p1"), ("p2", "p2"), ("p3", "p1"), ("p4", "p4")]
    assert rows[2]["reason"] == "same normalised title + same year + 5 shared authors (Gu, ...)"
    assert "reason" not in rows[0]


def test_other_separators_and_json_lines(tmp_path):
    semi = tmp_path / "records.txt"
    semi.write_text(
        "id;title;authors;year\n"
        "a;Attention Is All You Need;Ashish Vaswani, Noam Shazeer;2017\n"
        "b;Attention is all you need.;A. Vaswani and N. Shazeer;2017\n"
        "c;Attention Is Not All You Need;Yihe Dong;2021\n",
        encoding="utf-8",
    )
    out = tmp_path / "c1.jsonl"
    assert run(semi, "--out", out).exit_code == 0
    assert [r["cluster"] for r in read_clusters(out)] == ["a", "a", "c"]
    out2 = tmp_path / "c2.jsonl"
    result = run(semi, "--out", out2, "--sep", ";")
    assert result.exit_code == 0 and "separator ';'" in result.output
    jl = tmp_path / "records.jsonl"
    jl.write_text(
        json.dumps(
            {"id": 1, "title": "Attention Is All You Need", "authors": ["Ashish Vaswani"], "year": 2017}
        )
        + "\n\n"
        + json.dumps(
            {"id": 2, "title": "Attention is all you need", "authors": "Vaswani, Ashish", "year": "2017"}
        )
        + "\n",
        encoding="utf-8",
    )
    out3 = tmp_path / "c3.jsonl"
    result = run(jl, "--out", out3)
    assert result.exit_code == 0 and "JSON lines" in result.output
    assert [r["cluster"] for r in read_clusters(out3)] == ["1", "1"]


def test_latin1_files_are_read_and_said_so(tmp_path):
    src = tmp_path / "latin1.csv"
    text = "id,title,authors,year\n1,Über Datenbanken,Jürgen Müller,1999\n2,Uber Datenbanken,J. Müller,1999\n"
    src.write_bytes(text.encode("latin-1"))
    out = tmp_path / "c.jsonl"
    result = run(src, "--out", out)
    assert result.exit_code == 0, result.output
    assert "not UTF-8 (first bad byte on line 2); read it as latin-1" in result.output
    assert [r["cluster"] for r in read_clusters(out)] == ["1", "1"]


def test_a_file_without_id_and_title_columns_is_a_clear_error(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("key,name,year\n1,A title,2020\n", encoding="utf-8")
    result = run(src, "--out", tmp_path / "o.jsonl")
    assert result.exit_code == 2
    assert f"{src}:1: header 'key,name,year'" in result.output
    assert "no column id, title; expected columns id, title, authors, venue, year" in result.output
    assert not (tmp_path / "o.jsonl").exists()
    assert run(src, "--out", tmp_path / "o.jsonl", "--sep", ";;").exit_code == 2


def test_bad_csv_rows_are_quarantined_and_the_file_read_on(tmp_path):
    src, out = tmp_path / "ragged.csv", tmp_path / "o.jsonl"
    rows = [
        "id,title,authors,year",
        "1,Attention Is All You Need,Ashish Vaswani,2017",
        '2,"A quote never closed,Someone,2017',  # would take every line after it
        "3,Attention is all you need,A. Vaswani,2017",
        "4,Another, title,Bo Chen,2021",  # a field too many
        "5,,Nobody,2019",  # no title
        "1,Deep Residual Learning,Kaiming He,2016",  # an id already used
        "6,Deep Residual Learning for Image Recognition,Kaiming He,2016",
    ]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(src, "--out", out)
    assert result.exit_code == 0, result.output
    assert "8 records read" not in result.output  # the header is no record
    assert "7 records read (separator ',', utf-8): 3 clustered -> 2 clusters, 1 merged; 4 quarantined" \
        in result.output
    assert [(r["id"], r["cluster"]) for r in read_clusters(out)] == [("1", "1"), ("3", "1"), ("6", "6")]
    bad = read_clusters(tmp_path / "o.quarantine.jsonl")
    assert [(q["line"], q["text"]) for q in bad] == [(k + 1, rows[k]) for k in (2, 4, 5, 6)]
    assert [q["reason"] for q in bad] == [
        "expected 4 fields separated by ',' (as in the header), found 2",
        "expected 4 fields separated by ',' (as in the header), found 5",
        "record has no title",
        "id '1' was already used on line 2; ids must be unique",
    ]
    assert {q["file"] for q in bad} == {str(src)}
    assert f"{src}:3: expected 4 fields" in result.output  # named on the terminal too
    strict = run(src, "--out", out, "--strict", "--quarantine", tmp_path / "q.jsonl")
    assert strict.exit_code == 1 and "--strict: 4 record(s) quarantined" in strict.output
    assert read_clusters(tmp_path / "q.jsonl") == bad


def test_bad_json_lines_are_quarantined_and_a_clean_run_leaves_no_stale_file(tmp_path):
    src, out = tmp_path / "r.jsonl", tmp_path / "c.jsonl"
    lines = ['{"id": 1, "title": "Attention Is All You Need", "year": 2017}', '{"id": 2, "title": ',
             "[1, 2]", '{"id": 3}', '{"id": 4, "title": "Attention is all you need.", "year": 2017}',
             '{"id": 1, "title": "X"}']
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(src, "--out", out)
    assert result.exit_code == 0, result.output
    assert "6 records read (JSON lines, utf-8): 2 clustered -> 1 clusters, 1 merged; 4 quarantined" \
        in result.output
    assert [r["cluster"] for r in read_clusters(out)] == ["1", "1"]
    bad = read_clusters(tmp_path / "c.quarantine.jsonl")
    assert [(q["line"], q["text"]) for q in bad] == [(k + 1, lines[k]) for k in (1, 2, 3, 5)]
    assert bad[0]["reason"].startswith("not a JSON object (Expecting value)")
    assert bad[1]["reason"] == "expected a JSON object with keys id, title, ..."
    # mended and run again: no quarantine file of the earlier run stays to mislead
    src.write_text("\n".join(lines[:1] + lines[4:5]) + "\n", encoding="utf-8")
    result = run(src, "--out", out)
    assert result.exit_code == 0 and "0 quarantined" in result.output
    assert not (tmp_path / "c.quarantine.jsonl").exists()


def test_a_slice_of_the_real_dblp_acm_benchmark(tmp_path):
    """150 gold pairs (300 rows) of DBLP-ACM plus 100 unmatched DBLP rows, as one file."""
    data = BENCHMARKS / "dblp_acm"
    with (data / "gt.csv").open(newline="") as fh:
        gold = [(r["D1"], r["D2"]) for r in csv.DictReader(fh, delimiter="%")][:150]
    tables = {}
    for table in ("dblp", "acm"):
        lines = (data / f"{table}.csv").read_text(encoding="utf-8").splitlines()
        tables[table] = (lines[0], {line.split("%", 1)[0]: line for line in lines[1:]})
    header, dblp = tables["dblp"]
    _, acm = tables["acm"]
    matched = {d for d, _ in gold}
    unmatched = [i for i in dblp if i not in matched and i not in {d for d, _ in gold}][:100]
    rows = [header]
    rows += [f"dblp:{dblp[d]}" for d, _ in gold] + [f"acm:{acm[a]}" for _, a in gold]
    rows += [f"dblp:{dblp[d]}" for d in unmatched]
    src, out = tmp_path / "slice.csv", tmp_path / "clusters.jsonl"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(src, "--out", out, "--sep", "%")
    assert result.exit_code == 0, result.output
    assert "400 records" in result.output
    groups = defaultdict(list)
    for r in read_clusters(out):
        groups[r["cluster"]].append(r["id"])
    predicted = {frozenset(p) for g in groups.values() for p in combinations(g, 2)}
    truth = {frozenset((f"dblp:{d}", f"acm:{a}")) for d, a in gold}
    tp = len(predicted & truth)
    precision, recall = tp / len(predicted), tp / len(truth)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


def test_conflicting_identifiers_are_listed_with_conflicts(tmp_path):
    src, out, conflicts = tmp_path / "r.csv", tmp_path / "clusters.jsonl", tmp_path / "conflicts.jsonl"
    src.write_text(
        "id,title,authors,year,doi\n"
        "a,Attention Is All You Need,Ashish Vaswani; Noam Shazeer,2017,10.5555/3295222.3295349\n"
        "b,Attention is all you need.,A. Vaswani; N. Shazeer,2017,https://doi.org/10.48550/arXiv.1706.03762\n"
        "c,Deep Residual Learning for Image Recognition,Kaiming He,2016,\n",
        encoding="utf-8",
    )
    result = run(src, "--out", out, "--conflicts", conflicts)
    assert result.exit_code == 0, result.output
    assert "1 matches refused for different identifiers (kept apart)" in result.output
    assert [r["cluster"] for r in read_clusters(out)] == ["a", "b", "c"]
    (row,) = read_clusters(conflicts)
    assert row["ids"] == ["a", "b"] and row["identifier"] == "doi"
    assert row["values"] == ["10.5555/3295222.3295349", "10.48550/arxiv.1706.03762"]
    assert row["score"] == 100.0 and row["reason"].startswith("same normalised title")
    # without --conflicts the count is still said, and no file is left behind
    result = run(src, "--out", tmp_path / "c2.jsonl")
    assert "1 matches refused" in result.output and "see --conflicts FILE" in result.output
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["c2.jsonl", "clusters.jsonl", "conflicts.jsonl", "r.csv"]


def test_gzip_files_are_read_as_what_they_hold_and_a_truncated_one_keeps_its_records(tmp_path):
    import gzip

    lines = [json.dumps({"id": f"r{k}", "title": f"A study of graph number {k} in {w}", "year": 2020})
             for k in range(400) for w in ("networks",)]
    lines += [json.dumps({"id": "dup", "title": "A Study of Graph Number 7 in Networks.", "year": 2020})]
    plain, packed = tmp_path / "r.jsonl", tmp_path / "r.jsonl.gz"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert run(plain, "--out", tmp_path / "a.jsonl").exit_code == 0
    result = run(packed, "--out", tmp_path / "b.jsonl")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.jsonl").read_text() == (tmp_path / "b.jsonl").read_text()
    assert {r["cluster"] for r in read_clusters(tmp_path / "b.jsonl") if r["id"] == "dup"} == {"r7"}

    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed.read_bytes()[: packed.stat().st_size // 2])
    result = run(cut, "--out", tmp_path / "c.jsonl")
    assert result.exit_code == 0, result.output
    got = read_clusters(tmp_path / "c.jsonl")
    assert 0 < len(got) < 400 and [r["id"] for r in got] == [f"r{k}" for k in range(len(got))]
    (bad,) = read_clusters(tmp_path / "c.quarantine.jsonl")
    assert bad["line"] == len(got) + 1 and "the compressed (.gz) data ends early" in bad["reason"]
    assert f"{len(got) + 1} records read" in result.output

    junk = tmp_path / "junk.csv.gz"
    junk.write_bytes(b"\x1f\x8b" + b"not gzip at all")
    result = run(junk, "--out", tmp_path / "d.jsonl")
    assert result.exit_code == 2 and f"{junk}: cannot read the compressed (.gz) data" in result.output


def test_progress_bars_name_each_step_and_change_nothing(tmp_path):
    src = tmp_path / "records.csv"
    src.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    quiet = run(src, "--out", tmp_path / "a.jsonl", "--no-progress")
    shown = run(src, "--out", tmp_path / "b.jsonl", "--progress")
    assert quiet.exit_code == shown.exit_code == 0, shown.output
    assert "dedupe:" not in quiet.output
    for step in ("reading records.csv", "blocking 4 records", "comparing candidate pairs", "clustering"):
        assert f"dedupe: {step}" in shown.output
    assert (tmp_path / "a.jsonl").read_text() == (tmp_path / "b.jsonl").read_text()
