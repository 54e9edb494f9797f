"""kg views in a real browser: Debian's chromium, headless, driven by Playwright.

Set KG_VIEW_SCREENSHOTS=DIR to keep the screenshots of the seeds views.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from kg.graphio import load_graph
from kg.view import display_name, write_view
from tests.kg.view_graphs import big_graph, hostile_graph, small_graph

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _need_chromium() -> None:
    """Outside CI, a machine without chromium skips these tests and says why; in CI (CI set to
    true, as .ci/run runs) they are required, and a missing browser fails them."""
    if Path(CHROMIUM).exists():
        return
    message = (
        f"{CHROMIUM} is missing: the browser tests of kg views need Debian's chromium "
        "(apt-get install chromium; KG_CHROMIUM names another binary)"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + "; required in CI")
    pytest.skip(message + "; skipped outside CI")


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Opened:
    """A page with everything it logged, requested and tried to pop up."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        # poll from Python: wait_for_function evaluates strings with eval, which the page's CSP forbids
        deadline = time.monotonic() + 90
        while not self.page.evaluate("() => Boolean(window.kgView && window.kgView.ready)"):
            assert time.monotonic() < deadline, f"{path}: the view did not finish drawing in 90 s"
            self.page.wait_for_timeout(100)

    def node_count(self) -> int:
        return self.page.evaluate("window.kgView.nodes.length")

    def drawn_pixels(self) -> int:
        """How many canvas pixels are not background (the nodes and edges drawn)."""
        return self.page.evaluate("""() => {
            const c = document.querySelector('#kg-network canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 0) { n++; } }
            return n;
        }""")

    def legible_labels(self) -> list[dict]:
        """The labels drawn now, at least 12 px high, inside the canvas, as DOM boxes."""
        box = self.page.locator("#kg-network").bounding_box()
        labels = self.page.evaluate("window.kgView.drawnLabels()")
        return [
            lab
            for lab in labels
            if lab["px"] >= 12
            and lab["left"] >= 0
            and lab["top"] >= 0
            and lab["right"] <= box["width"]
            and lab["bottom"] <= box["height"]
        ]

    def hover(self, node_id: str, dx: float = 0.0, dy: float = 0.0) -> str:
        """The tooltip shown with the pointer on ``node_id`` (``dx``, ``dy``: canvas units off
        its centre)."""
        box = self.page.locator("#kg-network").bounding_box()
        pos = self.page.evaluate("id => window.kgView.domPosition(id)", node_id)
        scale = self.page.evaluate("window.kgView.network.getScale()")
        x, y = box["x"] + pos["x"] + dx * scale, box["y"] + pos["y"] + dy * scale
        self.page.mouse.move(x + 40, y + 40)
        self.page.mouse.move(x, y, steps=4)
        tip = self.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5_000)
        return tip.inner_text()

    def only_the_file_was_loaded(self) -> None:
        others = [u for u in self.requests if u != self.url]
        assert others == [], others

    def close(self) -> None:
        self.context.close()


def screenshot(opened: Opened, name: str, tmp_path: Path) -> Path:
    path = tmp_path / name
    opened.page.screenshot(path=str(path))
    keep = os.environ.get("KG_VIEW_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)
    return path


def test_small_view_draws_nodes_and_shows_tooltips(browser, tmp_path):
    path = tmp_path / "small.html"
    write_view(small_graph(), path)
    o = Opened(browser, path)
    try:
        assert o.node_count() == 12
        assert o.page.evaluate("window.kgView.edges.length") == 11
        assert o.drawn_pixels() > 2000
        text = o.hover("paper:t:qlora-efficient-finetuning")
        assert "QLoRA: Efficient Finetuning of Quantized LLMs" in text
        assert "Date: 2023-05-23" in text and "Authors: Tim Dettmers" in text
        link = o.page.locator("div.vis-tooltip a", has_text="Code: artidoro/qlora")
        assert link.get_attribute("href") == "https://github.com/artidoro/qlora"
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"
        text = o.hover("paper:arxiv:2106.09685")
        assert "LoRA: Low-Rank Adaptation of Large Language Models" in text and "Authors: Edward Hu" in text
        assert (
            o.page.locator("div.vis-tooltip a", has_text="arXiv 2106.09685").get_attribute("href")
            == "https://arxiv.org/abs/2106.09685"
        )
        # legend and heading
        legend = o.page.locator("#kg-legend").inner_text()
        assert "Paper (4)" in legend and "Method (2)" in legend and "Paper (cited only, stub) (1)" in legend
        assert o.page.locator("#kg-summary").inner_text() == "Showing 12 of 12 nodes and 11 of 11 edges."
        assert o.errors == [] and o.dialogs == []
        o.only_the_file_was_loaded()
    finally:
        o.close()


def test_search_box_and_legend_toggle(browser, tmp_path):
    path = tmp_path / "small.html"
    write_view(small_graph(), path)
    o = Opened(browser, path)
    try:
        o.page.fill("#kg-search", "qlora")
        results = o.page.locator("#kg-results li")
        assert results.count() == 2  # the paper and the repository
        o.page.press("#kg-search", "Enter")
        assert "QLoRA: Efficient Finetuning" in o.page.locator("#kg-details").inner_text()
        assert o.page.evaluate("window.kgView.network.getSelectedNodes()") == [
            "paper:t:qlora-efficient-finetuning"
        ]
        o.page.locator("#kg-legend li", has_text="Author").click()
        hidden = o.page.evaluate("window.kgView.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()")
        assert hidden == ["author:edward-hu", "author:tim-dettmers"]
        assert o.errors == []
    finally:
        o.close()


def test_hostile_graph_runs_nothing_and_shows_text(browser, tmp_path):
    path = tmp_path / "hostile.html"
    heading = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
    write_view(hostile_graph(), path, title=heading)
    o = Opened(browser, path)
    try:
        page = o.page
        assert o.node_count() == 8
        assert page.locator("#kg-heading").inner_text() == heading
        assert page.title() == heading
        ids = page.evaluate("window.kgView.nodes.getIds()")
        texts = {}
        for node_id in ids:  # hover and click every node: tooltips and details are built
            texts[node_id] = o.hover(node_id)
            box = page.locator("#kg-network").bounding_box()
            pos = page.evaluate("id => window.kgView.domPosition(id)", node_id)
            page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
        page.fill("#kg-search", "<")  # search results are built too
        assert page.locator("#kg-results li").count() >= 5
        page.wait_for_timeout(300)
        assert "<script>window.__pwned" in texts["paper:t:x1"]
        assert '<img src=x onerror="window.__pwned' in texts["paper:t:x2"]
        assert "</script><script>window.__pwned" in texts["paper:t:x4"]
        assert '<svg onload="window.__pwned' in texts["author:evil"]
        assert page.evaluate("window.__pwned") is None
        assert o.dialogs == []
        # no element came from the data: only our three scripts, no images, frames or svg
        assert page.evaluate("document.querySelectorAll('img, iframe, svg, object, embed').length") == 0
        assert page.evaluate("document.scripts.length") == 3
        hrefs = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.href)")
        assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
        assert o.errors == []
        o.only_the_file_was_loaded()
    finally:
        o.close()


def overlaps(labels: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart_x = a["right"] <= b["left"] or b["right"] <= a["left"]
            apart_y = a["bottom"] <= b["top"] or b["bottom"] <= a["top"]
            if not (apart_x or apart_y):
                found.append((a["text"], b["text"]))
    return found


def test_large_graph_fixed_layout(browser, tmp_path):
    path = tmp_path / "big.html"
    g = big_graph()
    write_view(g, path, max_nodes=None)
    o = Opened(browser, path)
    try:
        assert o.node_count() == g.number_of_nodes() > 1000
        assert o.page.evaluate("window.kgView.network.physics.options.enabled") is False
        assert o.drawn_pixels() > 20000
        assert o.errors == []
        o.only_the_file_was_loaded()
    finally:
        o.close()


def test_hostile_graph_community_view(browser, tmp_path):
    """Community names come from the data: the legend shows them as text."""
    path = tmp_path / "hostile-c.html"
    write_view(hostile_graph(), path, color="community")
    o = Opened(browser, path)
    try:
        legend = o.page.locator("#kg-legend").inner_text()
        assert "<" in legend  # the hostile names, as text
        assert o.page.evaluate("window.__pwned") is None
        assert o.page.evaluate("document.querySelectorAll('#kg-legend *').length") == 3 * len(
            o.page.evaluate("window.kgView.data.legend")
        )
        assert o.errors == [] and o.dialogs == []
    finally:
        o.close()


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory):
    from kg.pipeline import build
    from tests.conftest import SEEDS

    out = tmp_path_factory.mktemp("seeds")
    build([SEEDS], out)
    return out


def test_seeds_full_view_in_chromium(browser, seeds_build, tmp_path):
    graph = load_graph(seeds_build / "graph.json")
    o = Opened(browser, seeds_build / "view.html")  # the page kg build wrote
    try:
        assert o.node_count() == graph.number_of_nodes() > 300
        assert o.drawn_pixels() > 20000
        labels = o.legible_labels()
        assert len(labels) >= 20, labels
        assert overlaps(labels) == []
        assert "Diffusion Model" in {lab["text"] for lab in labels}  # a hub is labelled
        screenshot(o, "seeds-full.png", tmp_path)
        # the other labels appear on zoom
        o.page.evaluate("window.kgView.network.moveTo({scale: 3 * window.kgView.network.getScale()})")
        o.page.wait_for_timeout(300)
        zoomed = o.page.evaluate("window.kgView.drawnLabels().length")
        everything = o.page.evaluate("window.kgView.nodes.length")
        assert zoomed == everything > len(labels)
        # no dot covers another: the pointer on the centre of each of the biggest dots (the
        # hubs, where a force layout crowds the most) shows that node's own tooltip
        o.page.evaluate("window.kgView.network.fit({animation: false})")
        o.page.wait_for_timeout(300)
        biggest = sorted(graph, key=lambda n: (-graph.degree(n), n))[:12]
        for node in biggest:
            text = o.hover(node)
            deadline = time.monotonic() + 5  # the tooltip of the dot before may still be up
            while f"Id: {node}" not in text and time.monotonic() < deadline:
                o.page.wait_for_timeout(100)
                text = o.page.locator("div.vis-tooltip").inner_text()
            assert f"Id: {node}" in text and display_name(graph, node)[:40] in text, (node, text)
        text = o.hover("method:diffusion-model")
        assert "Diffusion Model" in text and "Papers: " in text
        assert o.errors == [] and o.dialogs == []
        o.only_the_file_was_loaded()
    finally:
        o.close()


def test_seeds_focused_view_in_chromium(browser, seeds_build, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    out = tmp_path / "m.html"
    result = CliRunner().invoke(
        main,
        [
            "view",
            str(seeds_build / "graph.json"),
            "--focus",
            "Diffusion Model",
            "--hops",
            "2",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    o = Opened(browser, out)
    try:
        shown = int(result.output.split()[1])
        assert o.node_count() == shown > 10
        assert "more than 2 hops from Diffusion Model" in o.page.locator("#kg-summary").inner_text()
        assert "Diffusion Model" in o.page.locator("#kg-details").inner_text()  # focus shown
        assert o.drawn_pixels() > 5000
        screenshot(o, "seeds-focus-diffusion-model.png", tmp_path)
        assert o.errors == [] and o.dialogs == []
        o.only_the_file_was_loaded()
    finally:
        o.close()


def test_seeds_community_view_in_chromium(browser, seeds_build, tmp_path):
    out = tmp_path / "c.html"
    write_view(load_graph(seeds_build / "graph.json"), out, color="community")
    o = Opened(browser, out)
    try:
        labels = o.legible_labels()
        assert len(labels) >= 20 and overlaps(labels) == []
        screenshot(o, "seeds-community.png", tmp_path)
        items = o.page.locator("#kg-legend li")
        assert items.count() >= 3
        first = items.nth(0).inner_text()
        hidden_before = o.page.evaluate("window.kgView.nodes.get({filter: n => n.hidden}).length")
        items.nth(0).click()
        hidden = o.page.evaluate("window.kgView.nodes.get({filter: n => n.hidden}).length")
        assert hidden_before == 0 and hidden == int(first.rsplit("(", 1)[1].rstrip(")"))
        assert o.errors == [] and o.dialogs == []
        o.only_the_file_was_loaded()
    finally:
        o.close()
