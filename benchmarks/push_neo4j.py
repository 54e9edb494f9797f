"""Push speed of Neo4j: ``kg push --neo4j`` on a synthetic graph of kg's schema, twice.

Run: python benchmarks/push_neo4j.py [--papers 63000] [--batch-size N] [--seed 7]

Makes the seeded random graph of ``benchmarks/push_ladybug.py`` (63,000 papers give about
100k nodes and 550k relationships), empties the database, pushes the graph (first push:
everything created), pushes it again (re-push: nothing created), then empties the database
and does both again, and prints nodes/s and relationships/s for each, with the client's and
the server's CPU seconds. The first round meets an engine that has just started (its Java
code not yet compiled: the first batches cost it twice what they cost later); the second
round meets the same engine warm, as a server that has been running meets a push. The server is ``NEO4J_URI``
(with ``NEO4J_USER`` / ``NEO4J_PASSWORD``; its database is EMPTIED) or, when that is not
set, the local Neo4j engine of ``docker/neo4j-test`` started in a temporary folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.stores import Neo4jStore  # noqa: E402
from kg.stores.neo4j import DEFAULT_BATCH  # noqa: E402


def _synthetic_graph(papers: int, seed: int):
    spec = importlib.util.spec_from_file_location("push_ladybug", ROOT / "benchmarks" / "push_ladybug.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic_graph(papers, seed)


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


def _server_cpu(server) -> float:
    """CPU seconds (user + sys) of the local engine's JVM so far; 0 for an outside server."""
    if server is None or server.process is None:
        return 0.0
    fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--papers", type=int, default=63_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    ap.add_argument("--heap", default="2g", help="the local engine's JVM heap (default 2g)")
    ap.add_argument("--page-cache", default="2g", help="the local engine's page cache (default 2g: the "
                    "store of this graph fits, as on a server sized for it)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    g = _synthetic_graph(args.papers, args.seed)
    nodes, rels = g.number_of_nodes(), g.number_of_edges()
    print(f"synthetic graph (seed {args.seed}): {nodes:,} nodes, {rels:,} relationships, "
          f"made in {time.perf_counter() - t0:.1f} s")

    server = None
    uri = os.environ.get("NEO4J_URI")
    user, password = os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")
    if not uri:
        from tests.neo4j_server import USER, Neo4jServer

        server = Neo4jServer(Path(tempfile.mkdtemp(prefix="kg-neo4j-bench-")) / "db", heap=args.heap,
                             page_cache=args.page_cache)
        t0 = time.perf_counter()
        uri, user, password = server.start(), USER, server.password
        print(f"local Neo4j {server.version} started at {uri} in {time.perf_counter() - t0:.1f} s "
              f"(heap {args.heap}, page cache {args.page_cache})")
    try:
        with Neo4jStore(uri, user=user, password=password, batch_size=args.batch_size) as store:
            version = store.run("CALL dbms.components() YIELD versions, edition "
                                "RETURN versions[0] AS v, edition AS e")[0]
            print(f"server: Neo4j {version['v']} {version['e']}; batch size {args.batch_size}")
            from tests.neo4j_server import wipe

            wipe(store)
            for name in ("first push, engine just started", "re-push",
                         "first push into the emptied database, engine warm", "re-push, engine warm"):
                if name.startswith("first push into"):
                    wipe(store)
                t0, c0, s0 = time.perf_counter(), _cpu(), _server_cpu(server)
                report = store.push(g)
                wall, cpu, server_cpu = time.perf_counter() - t0, _cpu() - c0, _server_cpu(server) - s0
                phase = store.last_push_seconds
                print(f"{name}: {wall:.1f} s wall (constraints {phase['constraints']:.1f} s, nodes "
                      f"{phase['nodes']:.1f} s, relationships {phase['relationships']:.1f} s); "
                      f"{nodes / phase['nodes']:,.0f} nodes/s, {rels / phase['relationships']:,.0f} "
                      f"relationships/s; CPU: client {cpu:.1f} s, server {server_cpu:.1f} s"
                      + (f" ({(nodes + rels) / server_cpu:,.0f} rows per server CPU-s)" if server_cpu else "")
                      + f"; {report.summary()}")
            counts = store.counts()
            in_db = sum(v for k, v in counts.items() if not k.isupper())
            print(f"in the database: {in_db:,} nodes, "
                  f"{sum(v for k, v in counts.items() if k.isupper()):,} relationships")
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"peak RSS of this process: {rss:.0f} MiB")
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
