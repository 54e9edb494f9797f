"""Small hand-made kg graphs for the view, plot and export tests (shape of kg build's graph)."""

from __future__ import annotations

import networkx as nx

PWN = "window.__pwned = (window.__pwned || 0) + 1"


def small_graph() -> nx.MultiDiGraph:
    """Four papers, two authors, two methods, a dataset, a repository, a venue and a stub."""
    g = nx.MultiDiGraph()
    g.add_node(
        "paper:arxiv:2106.09685",
        label="Paper",
        title="LoRA: Low-Rank Adaptation of Large Language Models",
        abstract="We propose LoRA.",
        published="2021-06-17",
        year=2021,
        author_count=8,
        arxiv_id="2106.09685",
        url="https://arxiv.org/abs/2106.09685",
        sources=["a.txt:3", "b.txt:9"],
    )
    g.add_node(
        "paper:t:qlora-efficient-finetuning",
        label="Paper",
        title="QLoRA: Efficient Finetuning of Quantized LLMs",
        published="2023-05-23",
        year=2023,
        author_count=4,
        upvotes=12,
        sources=["a.txt:7"],
    )
    g.add_node(
        "paper:doi:10.1000/xyz",
        label="Paper",
        title="Adapters on ImageNet",
        published="2022",
        year=2022,
        doi="10.1000/xyz",
        sources=["c.txt:2"],
        stub=False,
    )
    g.add_node(
        "paper:t:a-paper-without-a-year", label="Paper", title="A paper without a year", sources=["c.txt:8"]
    )
    g.add_node("paper:ref:hu-etal-2021", label="Paper", stub=True, year=2021)
    g.add_node("author:edward-hu", label="Author", name="Edward Hu")
    g.add_node("author:tim-dettmers", label="Author", name="Tim Dettmers")
    g.add_node("method:lora", label="Method", name="LoRA", aliases=["Low-Rank Adaptation", "LoRA"])
    g.add_node("method:adapter", label="Method", name="Adapter", aliases=["adapters"])
    g.add_node("dataset:imagenet", label="Dataset", name="ImageNet")
    g.add_node(
        "repo:github:artidoro/qlora",
        label="Repository",
        name="artidoro/qlora",
        host="github",
        url="https://github.com/artidoro/qlora",
    )
    g.add_node("venue:neurips", label="Venue", name="NeurIPS")
    e = g.add_edge
    e(
        "author:edward-hu",
        "paper:arxiv:2106.09685",
        key="AUTHORED",
        type="AUTHORED",
        position=1,
        provenance="a.txt:3",
    )
    e(
        "author:tim-dettmers",
        "paper:t:qlora-efficient-finetuning",
        key="AUTHORED",
        type="AUTHORED",
        position=1,
        provenance="a.txt:7",
    )
    e(
        "paper:arxiv:2106.09685",
        "method:lora",
        key="INTRODUCES",
        type="INTRODUCES",
        evidence="We propose LoRA.",
        provenance="a.txt:4",
    )
    e(
        "paper:arxiv:2106.09685",
        "method:lora",
        key="USES_METHOD",
        type="USES_METHOD",
        evidence="We propose LoRA.",
        provenance="a.txt:4",
    )
    e(
        "paper:t:qlora-efficient-finetuning",
        "method:lora",
        key="USES_METHOD",
        type="USES_METHOD",
        evidence="QLoRA backpropagates through LoRA.",
        provenance="a.txt:8",
    )
    e(
        "paper:t:qlora-efficient-finetuning",
        "repo:github:artidoro/qlora",
        key="HAS_CODE",
        type="HAS_CODE",
        evidence="Code: https://github.com/artidoro/qlora",
        provenance="a.txt:8",
    )
    e(
        "paper:t:qlora-efficient-finetuning",
        "paper:ref:hu-etal-2021",
        key="CITES",
        type="CITES",
        evidence="following Hu et al. (2021)",
        provenance="a.txt:8",
        text="Hu et al. (2021)",
    )
    e(
        "paper:doi:10.1000/xyz",
        "method:adapter",
        key="USES_METHOD",
        type="USES_METHOD",
        evidence="adapters",
        provenance="c.txt:3",
    )
    e(
        "paper:doi:10.1000/xyz",
        "dataset:imagenet",
        key="USES_DATASET",
        type="USES_DATASET",
        evidence="on ImageNet",
        provenance="c.txt:3",
    )
    e("paper:doi:10.1000/xyz", "venue:neurips", key="PUBLISHED_IN", type="PUBLISHED_IN", provenance="c.txt:2")
    e(
        "paper:t:a-paper-without-a-year",
        "method:adapter",
        key="USES_METHOD",
        type="USES_METHOD",
        evidence="adapters again",
        provenance="c.txt:9",
    )
    return g


def hostile_graph() -> nx.MultiDiGraph:
    """A graph whose every string tries to run script, inject HTML or link to javascript:."""
    g = nx.MultiDiGraph()
    g.add_node(
        "paper:t:x1",
        label="Paper",
        title=f"<script>{PWN}</script>Script title",
        published="2024-01-02",
        year=2024,
        url=f"javascript:{PWN}",
        author_count=2,
    )
    g.add_node(
        "paper:t:x2",
        label="Paper",
        title=f'<img src=x onerror="{PWN}">Image title',
        published="2024-02-03",
        year=2024,
        url="https://example.org/ok",
        doi='10.1/"><img src=x>',
    )
    g.add_node(
        "paper:t:x3",
        label="Paper",
        title='A title with href: <a href="javascript:alert(1)">click</a>',
        year=2023,
        arxiv_id="javascript:alert(1)",
    )
    g.add_node(
        "paper:t:x4",
        label="Paper",
        title=f"</script><script>{PWN}</script> closes the data block",
        year=2023,
        abstract="&lt;b&gt; \u2028 \u2029 line separators",
    )
    g.add_node("author:evil", label="Author", name=f'<svg onload="{PWN}">Eve</svg>')
    g.add_node(
        "method:evil",
        label="Method",
        name=f"<iframe srcdoc='<script>{PWN}</script>'>",
        aliases=[f'<b onmouseover="{PWN}">alias</b>'],
    )
    g.add_node(
        "repo:github:evil/repo",
        label="Repository",
        name="evil/repo",
        host="github",
        url=f"javascript:{PWN}//github.com/evil/repo",
    )
    g.add_node("dataset:evil", label="Dataset", name="{{7*7}} ${7*7} <style>*{display:none}</style>")
    g.add_edge("author:evil", "paper:t:x1", key="AUTHORED", type="AUTHORED", position=1)
    g.add_edge(
        "paper:t:x1",
        "method:evil",
        key="USES_METHOD",
        type="USES_METHOD",
        evidence=f'<img src=x onerror="{PWN}"> evidence',
        provenance="<b>f</b>:1",
    )
    g.add_edge(
        "paper:t:x2", "method:evil", key="USES_METHOD", type="USES_METHOD", evidence="href=javascript:x"
    )
    g.add_edge("paper:t:x3", "paper:t:x4", key="CITES", type="CITES", evidence="</script>", text="<i>x</i>")
    g.add_edge("paper:t:x1", "repo:github:evil/repo", key="HAS_CODE", type="HAS_CODE")
    g.add_edge("paper:t:x4", "dataset:evil", key="USES_DATASET", type="USES_DATASET")
    return g


def big_graph(n_papers: int = 900, seed: int = 3) -> nx.MultiDiGraph:
    """A random graph of kg's shape with more than a thousand nodes (papers, methods, authors)."""
    import random

    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    methods = [f"method:m{i}" for i in range(60)]
    for i, m in enumerate(methods):
        g.add_node(m, label="Method", name=f"Method {i}")
    authors = [f"author:a{i}" for i in range(300)]
    for i, a in enumerate(authors):
        g.add_node(a, label="Author", name=f"Author {i}")
    for i in range(n_papers):
        p = f"paper:t:p{i}"
        g.add_node(p, label="Paper", title=f"Paper number {i}", year=2015 + i % 10)
        for m in rnd.sample(methods, 2):
            g.add_edge(p, m, key="USES_METHOD", type="USES_METHOD")
        g.add_edge(rnd.choice(authors), p, key="AUTHORED", type="AUTHORED", position=1)
        if i:
            g.add_edge(p, f"paper:t:p{rnd.randrange(i)}", key="CITES", type="CITES")
    return g
