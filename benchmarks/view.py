"""Speed and determinism of `kg view`: layout CPU time, time to drawn in Chromium, same bytes.

Run: python benchmarks/view.py [--graph build/graph.json] [--all] [--repeat N]

Without --graph it builds seeds + samples (about 24k nodes) into a temporary folder, twice,
and checks that the two `view.html` files are byte-identical (the build writes a capped
view of 1,000 nodes). Then, on the graph:

* the default (capped, 1,000-node) view: CPU-seconds of the layout alone, of the whole
  `write_view`, and of networkx's `spring_layout` on the same nodes (a baseline);
* the time from opening the page in Debian's Chromium (headless, Playwright) to the first
  drawing with all nodes placed (wall time, the median of --repeat runs);
* with --all, the same for a view of the whole graph (no cap).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.graphio import load_graph
from kg.view import VIEW_CAP, layout_positions, select_view, separate_dots, write_view

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CHROMIUM = "/usr/bin/chromium"


def cpu() -> float:
    """CPU-seconds (user + sys) of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def build_twice(out: Path) -> Path:
    """`kg build` of seeds + samples twice, in two processes with different hash seeds."""
    pages = []
    for i in (1, 2):
        env = {**os.environ, "PYTHONHASHSEED": str(i)}
        c0, t0 = cpu(), time.perf_counter()
        subprocess.run(
            ["kg", "build", str(SHARED / "seeds"), str(SHARED / "samples"), "--out", str(out / f"b{i}")],
            check=True, env=env, stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - t0
        print(f"build {i} (PYTHONHASHSEED={i}): {cpu() - c0:.1f} CPU-s, {wall:.1f} s wall")
        pages.append((out / f"b{i}" / "view.html").read_bytes())
    same = pages[0] == pages[1]
    print(f"view.html of two builds of the same input: {'byte-identical' if same else 'DIFFERENT'} "
          f"({len(pages[0]):,} bytes)")
    return out / "b1" / "graph.json"


def time_to_drawn(path: Path, repeat: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t0 = time.perf_counter()
            page.goto(path.resolve().as_uri(), timeout=600_000)
            while not page.evaluate("() => Boolean(window.kgView && window.kgView.ready)"):
                page.wait_for_timeout(10)
                assert time.perf_counter() - t0 < 600, "not drawn in 10 minutes"
            times.append(time.perf_counter() - t0)
            labels = page.evaluate("window.kgView.drawnLabels().length")
            page.close()
        browser.close()
    print(f"  labels drawn at the first zoom: {labels}")
    return times


def measure(graph: nx.MultiDiGraph, out: Path, name: str, repeat: int, max_nodes: int | None) -> None:
    sel = select_view(graph, max_nodes=max_nodes)
    sub = graph.subgraph(sel.nodes)
    print(f"{name}: {sub.number_of_nodes()} nodes, {sub.number_of_edges()} edges "
          f"(of {graph.number_of_nodes()} nodes)")
    c0 = cpu()
    positions = layout_positions(sub)
    laid = cpu() - c0
    degree = dict(graph.degree(sel.nodes))
    top = max(degree.values(), default=1) or 1
    radius = {n: round(4.0 + 14.0 * (d / top) ** 0.5, 1) for n, d in degree.items()}  # as write_view
    c0 = cpu()
    separate_dots(positions, radius)
    apart = cpu() - c0
    print(f"  layout: {laid + apart:.2f} CPU-s (force layout {laid:.2f}, dots moved apart {apart:.2f})")
    if sub.number_of_nodes() <= 5000:
        c0 = cpu()
        nx.spring_layout(nx.Graph(sub.to_undirected()), seed=7)
        print(f"  baseline networkx spring_layout: {cpu() - c0:.2f} CPU-s")
    page = out / f"{name}.html"
    c0 = cpu()
    summary = write_view(graph, page, max_nodes=max_nodes)
    print(f"  write_view (selection, layout, labels, page): {cpu() - c0:.2f} CPU-s, "
          f"{summary.labels_shown} labels, {page.stat().st_size:,} bytes")
    if Path(CHROMIUM).exists():
        times = time_to_drawn(page, repeat)
        print(f"  Chromium, open to drawn: median {statistics.median(times):.2f} s wall "
              f"({', '.join(f'{t:.2f}' for t in times)})")
    else:
        print(f"  Chromium: {CHROMIUM} missing, not measured")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", type=Path, help="a graph.json (default: build seeds + samples twice)")
    ap.add_argument("--all", action="store_true", help="also a view of the whole graph (no cap)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        path = args.graph or build_twice(out)
        graph = load_graph(path)
        measure(graph, out, "capped", args.repeat, VIEW_CAP)
        if args.all:
            measure(graph, out, "whole", 1, None)
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
