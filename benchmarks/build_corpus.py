"""`kg build` on slices of a real corpus: speed per CPU-second, wall time, peak memory, jobs 1 vs N.

Run from the repository root with ../shared beside it:

    python benchmarks/build_corpus.py                       # 1k, 5k, 20k records; jobs 1 and 2
    python benchmarks/build_corpus.py --sizes 75000 --jobs 2
    python benchmarks/build_corpus.py --sizes 1000 --no-baselines

For each size the first N records of ``../shared/corpora/arxiv_75k.jsonl.gz`` (74,728 real arXiv
records) are written to a temporary file, then ``kg build FILE --out DIR --jobs J`` runs in a
child process. Measured: CPU-seconds (user + system of the build and of its worker processes),
wall seconds, the peak resident memory of the whole process tree (RSS sampled from /proc every
0.2 s, PSS every 1 s: reading a process's ``smaps_rollup`` walks its page tables, 28 ms for a
2 GB process, and at 5 reads a second it took 5-10% of a core from a build that uses both; the
largest single process from getrusage), and the per-stage wall and CPU-seconds that
``kg build`` writes into ``report.json``. The baselines run in this script on the same records
(title + abstract): spaCy's bare tokenizer, and ``spacy.blank("en")`` with a 2,000-phrase
PhraseMatcher and 20 token Matcher patterns. Records per CPU-second, and kg's ratio to the
matcher baseline, are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "arxiv_75k.jsonl.gz"
GAZETTEER = ROOT / "kg" / "extract" / "data"


def write_slice(corpus: Path, n: int, path: Path) -> int:
    """The first ``n`` lines of the corpus into ``path``; the number written."""
    count = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for line in itertools.islice(src, n):
            dst.write(line)
            count += 1
    return count


def texts(path: Path) -> list[str]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out.append(f"{rec.get('title') or ''}\n\n{rec.get('abstract') or ''}")
    return out


def _pss(pid: int) -> int:
    """Proportional set size of ``pid`` in bytes: its private pages plus its share of pages it
    shares (a forked worker shares its parent's pages until either writes them), so the sum
    over a process tree is the memory the tree really holds. 0 if unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _sha256(path: Path, tmp: Path | None = None) -> str:
    """SHA-256 of ``path``; with ``tmp``, of its bytes with that folder's name (random, and in every
    ``file:line``) read as ``TMP``, so that runs of this script on other days compare too."""
    h = hashlib.sha256()
    data = path.read_bytes()
    if tmp is not None:
        data = data.replace(str(tmp).encode(), b"TMP")
    h.update(data)
    return h.hexdigest()


def _role(pid: int, root: int, parent: int) -> str:
    """What a process of the build's tree is: the build, the build's forked child (everything up
    to the view, with ``kg build``), the graph.lbdb child, the author worker (a new process), or
    a worker (extraction)."""
    if pid == root:
        return "build"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read()
    except OSError:
        return "worker"
    if b"_load_main" in cmd:
        return "graph.lbdb"
    if b"_spawned_main" in cmd:
        return "author worker"
    if parent == root:
        return "build child"
    return "worker"


def _tree_rss(root: int, roles: dict[int, str] | None = None, *,
              with_pss: bool = True) -> tuple[int, int, dict[str, list[int]]]:
    """Resident bytes of ``root`` and all its descendants (Linux /proc): the sum of their RSS
    (pages shared by forked processes counted once per process) and of their PSS (counted once;
    0 without ``with_pss``: it is the costly part), and per role (:func:`_role`)
    ``[rss, pss, processes]``."""
    children: dict[int, list[int]] = {}
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                stat = fh.read()
            fields = stat[stat.rindex(")") + 2 :].split()
            pid, ppid, pages = int(entry), int(fields[1]), int(fields[21])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(pid)
        parents[pid] = ppid
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
    roles = roles if roles is not None else {}
    total, pss, todo = 0, 0, [root]
    by_role: dict[str, list[int]] = {}
    while todo:
        pid = todo.pop()
        if pid in rss:
            p = _pss(pid) if with_pss else 0
            total += rss[pid]
            pss += p
            role = _role(pid, root, parents.get(pid, 0))  # not kept: a child's command is its
            roles[pid] = role  # parent's until it has started its own
            row = by_role.setdefault(role, [0, 0, 0])
            row[0] += rss[pid]
            row[1] += p
            row[2] += 1
        todo += children.get(pid, [])
    return total, pss, by_role


def run_build(inputs: list[Path], out: Path, jobs: int, *extra: str) -> dict:
    """``kg build`` in a child process: CPU-s, wall, peak RSS (tree and largest process), report."""
    cmd = [sys.executable, "-m", "kg", "build", *map(str, inputs), "--out", str(out), "--jobs", str(jobs),
           "--no-progress", *extra]
    peak = [0, 0]
    at_peak: dict = {}  # when the tree's PSS peaked, and what each role held then
    roles: dict[int, str] = {}
    t0 = time.perf_counter()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the child has ended
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    done = threading.Event()

    def sample() -> None:
        n = 0
        while not done.wait(0.2):
            n += 1
            rss, pss, by_role = _tree_rss(proc.pid, roles, with_pss=n % 5 == 0)
            if pss > peak[1]:
                at_peak.update(t=time.perf_counter() - t0, roles=by_role)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    log.seek(0)
    output = log.read().decode("utf-8", "replace")
    log.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"kg build failed ({proc.returncode}): {' '.join(cmd)}\n{output}")
    unchanged = "is up to date" in output
    report = {} if unchanged else json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "peak_tree": peak[0], "peak_pss": peak[1],
            "peak_proc": usage.ru_maxrss * 1024, "report": report, "unchanged": unchanged,
            "at_peak": _peak_stage(at_peak, report, wall)}


def _peak_stage(at_peak: dict, report: dict, wall: float) -> dict:
    """The stage of the build when its tree's PSS peaked (from the stages' ``start`` in
    ``report.json``, counted back from the build's end), and each role's MiB then."""
    if not at_peak:
        return {}
    out = {"t": round(at_peak["t"], 1),
           "roles": {k: [round(v[0] / 2**20), round(v[1] / 2**20), v[2]]
                     for k, v in at_peak["roles"].items()}}
    stages = report.get("stages") or {}
    if stages and all("start" in v for v in stages.values()):
        offset = wall - report["seconds"]  # the build's start, about (imports before it, exit after)
        t = at_peak["t"] - offset
        for name, v in stages.items():
            if v["start"] <= t <= v["start"] + v["wall"]:
                out["stage"] = name
    return out


def time_query(graph: Path, *extra: str) -> float:
    """CPU-seconds of ``kg query top-methods --graph GRAPH`` in a child process (start-up included)."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", "query", "top-methods", "--graph", str(graph),
                             "--json", *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"kg query failed on {graph}")
    return usage.ru_utime + usage.ru_stime


def phrases(n: int = 2000) -> list[str]:
    """``n`` phrases from kg's gazetteer files (names, aliases and their lower-case forms)."""
    out: dict[str, None] = {}
    for name in ("methods.txt", "datasets.txt", "tasks.txt"):
        path = GAZETTEER / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            for alias in line.split("|"):
                alias = alias.strip()
                for form in (alias, alias.lower(), alias.replace("-", " ")):
                    out.setdefault(form, None)
    words = list(out)
    i = 0
    while len(words) < n:  # pad with two-word phrases made of the same names
        words.append(f"{words[i % len(out)]} model")
        i += 1
    return words[:n]


def token_patterns() -> list[list[dict]]:
    """20 Matcher patterns of the kinds an extractor uses: acronyms, citations, URLs, 'we propose X'."""
    pats = [
        [{"IS_UPPER": True, "LENGTH": {">=": 2}}],
        [{"TEXT": {"REGEX": r"^[A-Z][a-z]+[A-Z]\w*$"}}],
        [{"IS_TITLE": True}, {"LOWER": "et"}, {"LOWER": "al"}, {"ORTH": "."}, {"ORTH": ","},
         {"LIKE_NUM": True}],
        [{"IS_TITLE": True}, {"LOWER": "et"}, {"LOWER": "al."}],
        [{"LIKE_URL": True}],
        [{"LOWER": {"IN": ["we", "this"]}}, {"LOWER": {"IN": ["propose", "introduce", "present"]}},
         {"IS_ALPHA": True, "OP": "?"}, {"IS_TITLE": True}],
        [{"ORTH": "("}, {"IS_UPPER": True}, {"ORTH": ")"}],
        [{"LOWER": "dataset"}], [{"LOWER": "benchmark"}], [{"LOWER": "corpus"}],
        [{"IS_TITLE": True}, {"LOWER": "dataset"}],
        [{"IS_UPPER": True}, {"ORTH": "-"}, {"LIKE_NUM": True}],
        [{"LOWER": "github"}, {"ORTH": "."}, {"LOWER": "com"}],
        [{"SHAPE": "XXxx"}], [{"SHAPE": "Xxxxx"}, {"ORTH": "-"}, {"SHAPE": "Xxxxx"}],
        [{"LIKE_NUM": True}, {"LOWER": "%"}],
        [{"LOWER": "state"}, {"ORTH": "-", "OP": "?"}, {"LOWER": "of"}],
        [{"IS_TITLE": True, "OP": "+"}, {"LOWER": {"IN": ["network", "networks"]}}],
        [{"LOWER": {"IN": ["model", "method", "network", "framework"]}}],
        [{"TEXT": {"REGEX": r"^\d{4}[a-z]?$"}}],
    ]
    assert len(pats) == 20
    return pats


def baselines(records: list[str]) -> dict[str, float]:
    """Records per CPU-second of the bare tokenizer and of blank + PhraseMatcher + Matcher."""
    import spacy
    from spacy.matcher import Matcher, PhraseMatcher

    nlp = spacy.blank("en")
    t = time.process_time()
    for doc in nlp.tokenizer.pipe(records, batch_size=256):
        len(doc)
    tok = len(records) / (time.process_time() - t)
    pm = PhraseMatcher(nlp.vocab, attr="LOWER")
    pm.add("P", list(nlp.tokenizer.pipe(phrases())))
    m = Matcher(nlp.vocab)
    for i, pat in enumerate(token_patterns()):
        m.add(f"T{i}", [pat])
    t = time.process_time()
    for doc in nlp.pipe(records, batch_size=256):
        pm(doc)
        m(doc)
    match = len(records) / (time.process_time() - t)
    return {"tokenizer": tok, "matchers": match}


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--sizes", default="1000,5000,20000", help="comma-separated record counts")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--baseline-records", type=int, default=5000,
                    help="records the baselines run on (the first N of the corpus)")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    jobs_list = [int(x) for x in args.jobs.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        tmp = Path(tmp)
        base = None
        if not args.no_baselines:
            path = tmp / "baseline.jsonl"
            write_slice(args.corpus, args.baseline_records, path)
            base = baselines(texts(path))
            print(f"baselines on {args.baseline_records:,} records: "
                  f"bare tokenizer {base['tokenizer']:,.0f}/CPU-s, "
                  f"blank + 2,000-phrase PhraseMatcher + 20 Matcher patterns {base['matchers']:,.0f}/CPU-s",
                  flush=True)
        for n in sizes:
            path = tmp / f"arxiv_{n}.jsonl"
            n = write_slice(args.corpus, n, path)
            for jobs in jobs_list:
                out = tmp / f"out_{n}_{jobs}"
                r = run_build([path], out, jobs)
                rep = r["report"]
                row = {"records": n, "jobs": jobs, "cpu": r["cpu"], "wall": r["wall"],
                       "peak_tree": r["peak_tree"], "peak_pss": r["peak_pss"], "peak_proc": r["peak_proc"],
                       "stages": rep["stages"], "graph_sha256": _sha256(out / "graph.json", tmp),
                       "view_sha256": (_sha256(out / "view.html", tmp)
                                       if (out / "view.html").exists() else None),
                       "nodes": rep["graph"]["total_nodes"], "edges": rep["graph"]["total_edges"],
                       "graph_json": (out / "graph.json").stat().st_size, "at_peak": r["at_peak"]}
                row["query_store"], row["query_json"] = (
                    time_query(out / "graph.json"), time_query(out / "graph.json", "--no-store"))
                rows.append(row)
                stages = ", ".join(f"{k} {v['cpu']:.1f} ({v['wall']:.1f} s)"
                                   for k, v in rep["stages"].items())
                print(f"{n:>6} records, jobs {jobs}: {n / r['cpu']:.0f} rec/CPU-s, {r['cpu']:.1f} CPU-s, "
                      f"query top-methods {row['query_store']:.1f} CPU-s (graph.lbdb) / "
                      f"{row['query_json']:.1f} CPU-s (graph.json), "
                      f"wall {r['wall']:.1f} s, peak RSS {mib(r['peak_tree'])} MiB (tree) / "
                      f"{mib(r['peak_pss'])} MiB (tree, PSS: shared pages once) / "
                      f"{mib(r['peak_proc'])} MiB (largest process); stage CPU-s (wall): {stages}",
                      flush=True)
                print(f"    graph.json SHA-256 (temporary folder as TMP): {row['graph_sha256']}; "
                      f"view.html: {row['view_sha256']}", flush=True)
                peak = r["at_peak"]
                if peak:
                    held = ", ".join(f"{k} {v[0]:,} RSS / {v[1]:,} PSS MiB ({v[2]} proc.)"
                                     for k, v in sorted(peak["roles"].items()))
                    print(f"    tree PSS peaked at {peak['t']:.1f} s"
                          + (f" (stage {peak['stage']})" if "stage" in peak else "")
                          + f": {held}", flush=True)
                print("    build process peak RSS at the end of each stage (MiB): "
                      + ", ".join(f"{k} {v.get('peak_rss_mib', 0):,}" for k, v in rep["stages"].items()),
                      flush=True)
                same = {x["graph_sha256"] for x in rows if x["records"] == n}
                if len(same) > 1:
                    print(f"!! graph.json of {n} records differs between jobs", flush=True)
                shutil.rmtree(out)
    stage_names = list(dict.fromkeys(k for r in rows for k in r["stages"]))
    print()
    print("| records | jobs | rec/CPU-s | ×matchers | CPU-s | wall s | speed-up "
          "| peak RSS MiB (tree / proc) | "
          + " | ".join(f"{s} CPU-s" for s in stage_names) + " | nodes | edges |")
    print("|" + "---|" * (10 + len(stage_names)))
    first_wall = {}
    for r in rows:
        first_wall.setdefault(r["records"], r["wall"])
        rate = r["records"] / r["cpu"]
        ratio = f"{rate / base['matchers']:.2f}" if base else "-"
        print(f"| {r['records']:,} | {r['jobs']} | {rate:.0f} | {ratio} | {r['cpu']:.1f} | {r['wall']:.1f} | "
              f"{first_wall[r['records']] / r['wall']:.2f}× "
              f"| {mib(r['peak_tree'])} / {mib(r['peak_proc'])} | "
              + " | ".join(f"{r['stages'].get(s, {}).get('cpu', 0):.1f}" for s in stage_names)
              + f" | {r['nodes']:,} | {r['edges']:,} |")
    if len(sizes) > 1:
        print()
        print("growth per stage (CPU-s ratio / input ratio, jobs " + str(jobs_list[0]) + "):")
        by = {r["records"]: r for r in rows if r["jobs"] == jobs_list[0]}
        ns = sorted(by)
        for a, b in itertools.pairwise(ns):
            parts = []
            for s in stage_names:
                x, y = by[a]["stages"].get(s, {}).get("cpu", 0), by[b]["stages"].get(s, {}).get("cpu", 0)
                if x > 0.05:
                    parts.append(f"{s} n^{math.log(y / x) / math.log(b / a):.2f}")
            print(f"  {a:,} -> {b:,}: " + ", ".join(parts))
    if args.json:
        args.json.write_text(json.dumps({"baselines": base, "rows": rows}, indent=1))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n(this script's own peak RSS: {own:.0f} MiB)")


if __name__ == "__main__":
    main()
