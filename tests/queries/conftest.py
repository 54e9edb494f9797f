"""Graphs for the query and store tests: a small hand-made graph of kg's shape, and the seeds graph.

The hand-made graph (:func:`make_fixture_graph`) has twelve papers, a stub, methods,
datasets, repositories, authors, a venue and citations, with ties on purpose so that the
ORDER BY of each query is exercised. The seeds graph is what ``kg.pipeline.build`` makes of
``../shared/seeds``; the seeds + samples graph adds ``../shared/samples`` (authors, citations, stubs).
"""

from __future__ import annotations

import networkx as nx

HOSTILE = [
    'it\'s a "quoted" `backticked` title',
    "'}) DETACH DELETE n //",
    '"}) MATCH (n) DETACH DELETE n RETURN 1 //',
    "line one\nline two\r\nline three\ttab",
    "Лора: низкоранговая адаптация — 低秩适应 — تكيف",
    "emoji 🚀🧪 and a lone backslash \\ and $param and {braces}",
    "",
]


def hostile_graph() -> nx.MultiDiGraph:
    """Papers and methods whose text is made to break string-built Cypher."""
    g = nx.MultiDiGraph()
    for i, text in enumerate(HOSTILE):
        pid = f"paper:t:{i}-{text}"
        g.add_node(
            pid, label="Paper", id=pid, title=text or "untitled", abstract=text, sources=[text, "a.txt:1"]
        )
        mid = f"method:{i}"
        g.add_node(mid, label="Method", id=mid, name=text or "x", aliases=HOSTILE)
        g.add_edge(pid, mid, key="USES_METHOD", type="USES_METHOD", evidence=text, provenance=f"{text}:{i}")
    return g


def assert_hostile_values_found(store) -> None:
    """Each hostile text, passed as a parameter, finds its paper, its evidence and the aliases intact."""
    for text in HOSTILE:
        rows = store.run(
            "MATCH (p:Paper)-[r:USES_METHOD]->(m) WHERE p.abstract = $t "
            "RETURN p.title AS title, r.evidence AS ev, m.aliases AS aliases",
            {"t": text},
        )
        assert rows == [{"title": text or "untitled", "ev": text, "aliases": HOSTILE}]


def _edge(g: nx.MultiDiGraph, u: str, v: str, rel: str, **props) -> None:
    g.add_edge(u, v, key=rel, type=rel, **props)


def make_fixture_graph() -> nx.MultiDiGraph:
    """A dozen papers on LoRA, PPO, diffusion and friends, shaped like ``kg build`` output."""
    g = nx.MultiDiGraph()
    papers = {
        # id: (title, published, year, extra)
        "paper:arxiv:2401.00001": ("LoRA Adapters for Vision", "2024-01-15", 2024, {"upvotes": 12}),
        "paper:arxiv:2401.00002": ("Scaling PPO with LoRA", "2024-01-20", 2024, {"author_count": 3}),
        "paper:arxiv:2402.00003": ("QLoRA Revisited", "2024-02-02", 2024, {}),
        "paper:arxiv:2403.00004": ("Diffusion Models on ImageNet", "2024-03-11", 2024, {}),
        "paper:doi:10.1000/xyz.5": ("Reward Models and PPO", "2023", 2023, {"doi": "10.1000/xyz.5"}),
        "paper:t:sparse-mixture-of-experts-s-moe": (
            "Sparse Mixture-of-Experts (s-MoE)",
            "2023-11-30",
            2023,
            {},
        ),
        "paper:t:a-dataset-of-cats": ("A Dataset of Cats", "2024-02-28", 2024, {}),
        "paper:t:lora-on-cats": ("LoRA on Cats", "2024-02-29", 2024, {}),
        "paper:t:nothing-to-see": ("Nothing to See", None, None, {}),
        "paper:t:unicode-paper": ("Überraschung: 学习 with émojis 🚀", "2024-03-01", 2024, {}),
        "paper:t:transformers-for-tables": ("Transformers for Tables", "2022-06-01", 2022, {}),
        "paper:t:ppo-for-robots": ("PPO for Robots", "2024-01-05", 2024, {}),
    }
    for pid, (title, published, year, extra) in papers.items():
        props = {
            "id": pid,
            "title": title,
            "abstract": f"Abstract of {title}.",
            "stub": False,
            "sources": [f"seeds/x.txt:{len(g) + 1}"],
            **extra,
        }
        if published:
            props["published"] = published
        if year:
            props["year"] = year
        g.add_node(pid, label="Paper", **props)
    g.add_node("paper:ref:fu-etal-2018", label="Paper", id="paper:ref:fu-etal-2018", year=2018, stub=True)
    g.add_node(
        "paper:ref:ng-russell-2000", label="Paper", id="paper:ref:ng-russell-2000", year=2000, stub=True
    )

    methods = {
        "method:lora": ("LoRA", ["Low-Rank Adaptation"]),
        "method:qlora": ("QLoRA", []),
        "method:ppo": ("PPO", ["Proximal Policy Optimization"]),
        "method:diffusion-model": ("Diffusion Model", ["diffusion models"]),
        "method:s-moe": ("Sparse Mixture-of-Experts", ["s-MoE"]),
        "method:transformer": ("Transformer", []),
    }
    for mid, (name, aliases) in methods.items():
        props = {"id": mid, "name": name}
        if aliases:
            props["aliases"] = aliases
        g.add_node(mid, label="Method", **props)
    datasets = {"dataset:imagenet": "ImageNet", "dataset:cats-1k": "Cats-1k", "dataset:mujoco": "MuJoCo"}
    for did, name in datasets.items():
        g.add_node(did, label="Dataset", id=did, name=name)
    repos = {
        "repo:github:microsoft/lora": ("microsoft/LoRA", "https://github.com/microsoft/LoRA"),
        "repo:github:openai/baselines": ("openai/baselines", "https://github.com/openai/baselines"),
        "repo:github:cats/cats-1k": ("cats/cats-1k", "https://github.com/cats/cats-1k"),
    }
    for rid, (name, url) in repos.items():
        g.add_node(rid, label="Repository", id=rid, name=name, host="github", url=url)
    authors = {
        "author:ada-lovelace": ("Ada Lovelace", ["A. Lovelace"]),
        "author:alan-turing": ("Alan Turing", []),
        "author:grace-hopper": ("Grace Hopper", []),
        "author:edsger-dijkstra": ("Edsger Dijkstra", []),
    }
    for aid, (name, aliases) in authors.items():
        props = {"id": aid, "name": name, "sources": ["seeds/x.txt:1"]}
        if aliases:
            props["aliases"] = aliases
        g.add_node(aid, label="Author", **props)
    g.add_node("venue:neurips", label="Venue", id="venue:neurips", name="NeurIPS")

    a1, a2, a3, a4 = (
        "paper:arxiv:2401.00001",
        "paper:arxiv:2401.00002",
        "paper:arxiv:2402.00003",
        "paper:arxiv:2403.00004",
    )
    a5, moe = "paper:doi:10.1000/xyz.5", "paper:t:sparse-mixture-of-experts-s-moe"
    cats, lcats, none, uni = (
        "paper:t:a-dataset-of-cats",
        "paper:t:lora-on-cats",
        "paper:t:nothing-to-see",
        "paper:t:unicode-paper",
    )
    tables, robots = "paper:t:transformers-for-tables", "paper:t:ppo-for-robots"
    uses = [
        (a1, "method:lora"),
        (a2, "method:ppo"),
        (a2, "method:lora"),
        (a3, "method:qlora"),
        (a3, "method:lora"),
        (a4, "method:diffusion-model"),
        (a5, "method:ppo"),
        (moe, "method:s-moe"),
        (moe, "method:transformer"),
        (lcats, "method:lora"),
        (uni, "method:transformer"),
        (tables, "method:transformer"),
        (robots, "method:ppo"),
        (uni, "method:lora"),
    ]
    for p, m in uses:
        _edge(
            g,
            p,
            m,
            "USES_METHOD",
            evidence=f"{g.nodes[p]['title']} uses {g.nodes[m]['name']}.",
            provenance=g.nodes[p]["sources"][0],
        )
    for p, d in [
        (a1, "dataset:imagenet"),
        (a4, "dataset:imagenet"),
        (lcats, "dataset:cats-1k"),
        (a2, "dataset:mujoco"),
        (robots, "dataset:mujoco"),
        (a3, "dataset:imagenet"),
    ]:
        _edge(g, p, d, "USES_DATASET", evidence="We evaluate on it.", provenance=g.nodes[p]["sources"][0])
    for p, x in [(a3, "method:qlora"), (moe, "method:s-moe"), (cats, "dataset:cats-1k")]:
        _edge(g, p, x, "INTRODUCES", evidence="We introduce it.", provenance=g.nodes[p]["sources"][0])
    for p, r in [
        (a1, "repo:github:microsoft/lora"),
        (a2, "repo:github:openai/baselines"),
        (cats, "repo:github:cats/cats-1k"),
        (lcats, "repo:github:cats/cats-1k"),
        (a2, "repo:github:microsoft/lora"),
    ]:
        _edge(g, p, r, "HAS_CODE", evidence="Code: https://github.com/...",
              provenance=g.nodes[p]["sources"][0])
    for p, c, text in [
        (a1, "paper:ref:fu-etal-2018", "Fu et al., 2018"),
        (a2, "paper:ref:fu-etal-2018", "Fu et al. (2018)"),
        (a2, a5, "(Smith, 2023)"),
        (a3, a1, "LoRA (Hu, 2024)"),
        (robots, a5, "Smith (2023)"),
        (robots, "paper:ref:ng-russell-2000", "(Ng and Russell, 2000)"),
        (a5, "paper:ref:ng-russell-2000", "(Ng and Russell, 2000)"),
        (lcats, cats, "Cats (2024)"),
        (lcats, a1, "Hu (2024)"),
    ]:
        _edge(g, p, c, "CITES", evidence=f"As shown by {text}.", text=text,
              provenance=g.nodes[p]["sources"][0])
    for a, p, pos in [
        ("author:ada-lovelace", a1, 1),
        ("author:alan-turing", a1, 2),
        ("author:ada-lovelace", a2, 1),
        ("author:grace-hopper", a2, 2),
        ("author:alan-turing", a2, 3),
        ("author:ada-lovelace", a3, 1),
        ("author:grace-hopper", robots, 1),
        ("author:edsger-dijkstra", tables, 1),
        ("author:alan-turing", lcats, 1),
    ]:
        _edge(g, a, p, "AUTHORED", position=pos, provenance=g.nodes[p]["sources"][0])
    _edge(g, a4, "venue:neurips", "PUBLISHED_IN", provenance="seeds/x.txt:4")
    assert none in g
    return g
