"""Push speed of LadybugDB on a synthetic graph of kg's schema, and top-methods on both stores.

Run: python benchmarks/push_ladybug.py [--papers 20000] [--seed 7]

Makes a seeded random graph shaped like ``kg build`` output (papers with authors, methods,
datasets, repositories, venues, citations to earlier papers; method and dataset popularity
skewed like real listings), pushes it into a fresh LadybugDB in a temporary folder, pushes
it again (idempotent: nothing created, nothing updated), and prints nodes/s, relationships/s
and both wall times. Then runs the named query ``top-methods`` on NetworkX and on LadybugDB,
checks that the rows are equal, and prints both times.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from itertools import accumulate
from pathlib import Path

import networkx as nx
from kg.queries import run_query

from kg.stores import LadybugStore

WORDS = [
    "sparse", "attention", "diffusion", "policy", "reward", "graph", "vision", "language", "model",
    "adapter", "low", "rank", "retrieval", "agent", "memory", "token", "scaling", "robust", "neural",
]


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize()


def synthetic_graph(papers: int = 20_000, seed: int = 7) -> nx.MultiDiGraph:
    """A random graph of kg's schema: ``papers`` papers and proportionally many other nodes.

    >>> g = synthetic_graph(200, seed=1)
    >>> sum(1 for _, d in g.nodes(data=True) if d["label"] == "Paper"), g.number_of_edges() > 800
    (200, True)
    """
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    n_methods, n_datasets = max(papers // 10, 5), max(papers // 40, 3)
    n_authors, n_repos, n_venues = max(papers * 2 // 5, 5), max(papers // 20, 2), 50

    def edge(u: str, v: str, rel: str, **props) -> None:
        g.add_edge(u, v, key=rel, type=rel, **props)

    methods = [f"method:m{i:05d}" for i in range(n_methods)]
    for i, m in enumerate(methods):
        g.add_node(m, label="Method", name=f"Method {i}", aliases=[f"M{i}", f"method-{i}"])
    datasets = [f"dataset:d{i:05d}" for i in range(n_datasets)]
    for i, d in enumerate(datasets):
        g.add_node(d, label="Dataset", name=f"Dataset {i}")
    authors = [f"author:a{i:06d}" for i in range(n_authors)]
    for i, a in enumerate(authors):
        g.add_node(a, label="Author", name=f"Author {i}", sources=[f"synthetic.jsonl:{i + 1}"])
    repos = [f"repo:github:org{i % 97}/repo{i}" for i in range(n_repos)]
    for r in repos:
        name = r.removeprefix("repo:github:")
        g.add_node(r, label="Repository", name=name, host="github", url=f"https://github.com/{name}")
    venues = [f"venue:v{i:03d}" for i in range(n_venues)]
    for i, v in enumerate(venues):
        g.add_node(v, label="Venue", name=f"Venue {i}")

    # popularity: Zipf-like weights, cumulative for fast weighted choice
    method_w = list(accumulate(1 / (i + 1) for i in range(n_methods)))
    dataset_w = list(accumulate(1 / (i + 1) for i in range(n_datasets)))
    paper_ids = [f"paper:arxiv:{2401 + i // 100_000}.{i % 100_000:05d}" for i in range(papers)]
    for i, p in enumerate(paper_ids):
        year = 2015 + i * 10 // papers
        month = rng.randint(1, 12)
        src = f"synthetic.jsonl:{i + 1}"
        g.add_node(
            p, label="Paper", title=_title(rng), abstract=f"Abstract {i}.", published=f"{year}-{month:02d}",
            year=year, author_count=rng.randint(1, 6), upvotes=rng.randint(0, 200), stub=False,
            sources=[src],
        )
        for pos, a in enumerate(rng.sample(authors, rng.randint(1, 4)), start=1):
            edge(a, p, "AUTHORED", position=pos, provenance=src)
        for m in set(rng.choices(methods, cum_weights=method_w, k=rng.randint(1, 3))):
            edge(p, m, "USES_METHOD", evidence=f"We use {g.nodes[m]['name']}.", provenance=src)
        for d in set(rng.choices(datasets, cum_weights=dataset_w, k=rng.randint(0, 2))):
            edge(p, d, "USES_DATASET", evidence=f"We evaluate on {g.nodes[d]['name']}.", provenance=src)
        if rng.random() < 0.02:
            edge(p, rng.choice(methods), "INTRODUCES", evidence="We introduce it.", provenance=src)
        if rng.random() < 0.3:
            edge(p, rng.choice(repos), "HAS_CODE", evidence="Code is available.", provenance=src)
        if rng.random() < 0.5:
            edge(p, rng.choice(venues), "PUBLISHED_IN", provenance=src)
        if i:
            for c in {paper_ids[rng.randrange(i)] for _ in range(rng.randint(0, 5))}:
                edge(p, c, "CITES", evidence="As shown before.", text="(Someone, 2020)", provenance=src)
    return g


def _timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--papers", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3, help="runs of top-methods per store (best is printed)")
    args = ap.parse_args()

    g, t_make = _timed(synthetic_graph, args.papers, args.seed)
    nodes, rels = g.number_of_nodes(), g.number_of_edges()
    print(f"synthetic graph (seed {args.seed}): {nodes:,} nodes, {rels:,} relationships, "
          f"made in {t_make:.2f} s")

    with tempfile.TemporaryDirectory() as tmp, LadybugStore(Path(tmp) / "bench.lbdb") as store:
        first, t_first = _timed(store.push, g)
        again, t_again = _timed(store.push, g)
        assert (first.nodes_created, first.rels_created) == (nodes, rels), first.summary()
        assert (again.nodes_created, again.rels_created, again.updated) == (0, 0, 0), again.summary()
        print(f"first push:  {first.summary()}")
        print(f"  wall {t_first:.2f} s: {nodes / t_first:,.0f} nodes/s, {rels / t_first:,.0f} rels/s "
              f"({(nodes + rels) / t_first:,.0f} rows/s)")
        print(f"second push: {again.summary()}, updated {again.updated}")
        print(f"  wall {t_again:.2f} s (idempotent: 0 created, 0 updated)")

        times: dict[str, float] = {}
        rows: dict[str, list] = {}
        for name, target in (("networkx", g), ("ladybug", store)):
            best = float("inf")
            for _ in range(args.repeat):
                rows[name], t = _timed(run_query, target, "top-methods", {"limit": 10})
                best = min(best, t)
            times[name] = best
        assert rows["networkx"] == rows["ladybug"], "top-methods differs between NetworkX and LadybugDB"
        top = rows["networkx"][0]
        print(f"top-methods (limit 10, best of {args.repeat}): "
              f"networkx {times['networkx'] * 1000:.1f} ms, ladybug {times['ladybug'] * 1000:.1f} ms; "
              f"same rows; top: {top['name']} ({top['papers']} papers)")


if __name__ == "__main__":
    main()
