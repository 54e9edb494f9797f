"""The query registry: its files, parameters and errors, and real answers on the fixture graph."""

from __future__ import annotations

import re

import pytest
from kg.queries import DIALECTS, HERE, REGISTRY, cypher_text, parse_params, run_query

from kg.errors import QueryError


@pytest.mark.parametrize("name", sorted(REGISTRY))
@pytest.mark.parametrize("dialect", DIALECTS)
def test_cypher_file_header_and_parameters(name, dialect):
    query = REGISTRY[name]
    text = cypher_text(name, dialect)
    header = [line for line in text.splitlines() if line.startswith("//")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    assert header[0].startswith(f"// {name}: ")
    assert any(line.startswith("// Parameters:") for line in header)
    assert any(line.startswith("// Returns:") for line in header)
    header_text = "\n".join(header)
    for p in query.params:
        assert f"${p.name}" in header_text, f"{name}: header does not name ${p.name}"
    # the body uses exactly the declared parameters (LadybugDB rejects unused ones)
    assert set(re.findall(r"\$(\w+)", body)) == {p.name for p in query.params}
    # every column is returned under its name
    for column in query.columns:
        pattern = rf"\bAS {column}\b|RETURN {column}\b|, {column}\b"
        assert re.search(pattern, body), f"{name}: no column {column}"
    assert "ORDER BY" in body


def test_every_cypher_file_is_registered():
    files = {f.name for f in HERE.glob("*.cypher")}
    used = {f for q in REGISTRY.values() for f in q.cypher.values()}
    assert files == used


def test_shortest_path_has_one_text_per_dialect():
    files = REGISTRY["shortest-path"].cypher
    assert files["ladybug"] != files["neo4j"]
    assert "ALL SHORTEST" in cypher_text("shortest-path", "ladybug")
    assert "allShortestPaths" in cypher_text("shortest-path", "neo4j")


def test_registry_rows_are_complete():
    for name, q in REGISTRY.items():
        assert q.description and q.example.startswith(f"kg query {name}")
        assert set(q.cypher) == set(DIALECTS)
        assert callable(q.networkx)


def test_unknown_query_lists_valid_names(fixture_graph):
    with pytest.raises(QueryError, match="unknown query 'top-method'; expected one of .*top-methods"):
        run_query(fixture_graph, "top-method")


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("papers-using-method", {}, "needs parameter 'method' .*e.g. kg query papers-using-method"),
        ("top-methods", {"limit": "ten"}, "limit='ten' is not an integer; expected limit \\(int"),
        ("top-methods", {"limit": 0}, "limit=0 is outside 1..100000"),
        ("top-methods", {"method": "x"}, "has no parameter method; expected limit \\(int"),
        ("method-trend", {"method": "LoRA", "by": "week"}, "by='week'; expected by \\(str, default 'year'"),
        ("neighbourhood", {"node": "LoRA", "hops": 4}, "hops=4 is outside 1..3"),
        ("neighbourhood", {"node": "  "}, "must be non-empty text"),
        ("top-methods", {"limit": True}, "limit=True"),
    ],
)
def test_bad_parameters(fixture_graph, name, params, message):
    with pytest.raises(QueryError, match=message):
        run_query(fixture_graph, name, params)


def test_parameters_from_the_command_line_are_converted():
    assert parse_params(REGISTRY["top-methods"], {"limit": "3"}) == {"limit": 3}
    assert parse_params(REGISTRY["method-trend"], {"method": "LoRA"}) == {"method": "LoRA", "by": "year"}


def test_unknown_store_type():
    with pytest.raises(QueryError, match="cannot run query 'top-methods' on dict"):
        run_query({}, "top-methods")


# -- real answers on the fixture graph -------------------------------------------------------


def test_top_methods(fixture_graph):
    rows = run_query(fixture_graph, "top-methods")
    assert rows[0] == {"id": "method:lora", "name": "LoRA", "papers": 5}
    # PPO and Transformer tie at 3: broken by id
    assert [r["id"] for r in rows[1:3]] == ["method:ppo", "method:transformer"]
    assert run_query(fixture_graph, "top-methods", {"limit": 2}) == rows[:2]


def test_top_datasets_counts_introducing_papers(fixture_graph):
    rows = run_query(fixture_graph, "top-datasets")
    assert rows == [
        {"id": "dataset:imagenet", "name": "ImageNet", "papers": 3},
        {"id": "dataset:cats-1k", "name": "Cats-1k", "papers": 2},
        {"id": "dataset:mujoco", "name": "MuJoCo", "papers": 2},
    ]


def test_papers_using_method_by_alias_any_case(fixture_graph):
    by_alias = run_query(fixture_graph, "papers-using-method", {"method": "LOW-RANK adaptation"})
    by_id = run_query(fixture_graph, "papers-using-method", {"method": "method:lora"})
    assert by_alias == by_id
    assert [r["id"] for r in by_id] == [
        "paper:arxiv:2401.00001",
        "paper:arxiv:2401.00002",
        "paper:arxiv:2402.00003",
        "paper:t:lora-on-cats",
        "paper:t:unicode-paper",
    ]
    ppo = run_query(fixture_graph, "papers-using-method", {"method": "ppo"})
    assert [(r["id"], r["year"]) for r in ppo] == [
        ("paper:arxiv:2401.00002", 2024),
        ("paper:t:ppo-for-robots", 2024),
        ("paper:doi:10.1000/xyz.5", 2023),
    ]


def test_co_occurring_and_datasets_with_method(fixture_graph):
    assert run_query(fixture_graph, "co-occurring-methods", {"method": "Transformer"}) == [
        {"id": "method:lora", "name": "LoRA", "papers": 1},
        {"id": "method:s-moe", "name": "Sparse Mixture-of-Experts", "papers": 1},
    ]
    assert run_query(fixture_graph, "datasets-with-method", {"method": "lora"}) == [
        {"id": "dataset:imagenet", "name": "ImageNet", "papers": 2},
        {"id": "dataset:cats-1k", "name": "Cats-1k", "papers": 1},
        {"id": "dataset:mujoco", "name": "MuJoCo", "papers": 1},
    ]


def test_papers_with_code(fixture_graph):
    rows = run_query(fixture_graph, "papers-with-code")
    assert len(rows) == 5
    assert rows[1] == {
        "id": "paper:arxiv:2401.00002",
        "title": "Scaling PPO with LoRA",
        "repository": "repo:github:microsoft/lora",
        "url": "https://github.com/microsoft/LoRA",
    }


def test_most_cited_includes_stubs(fixture_graph):
    rows = run_query(fixture_graph, "most-cited", {"limit": 4})
    assert [(r["id"], r["citations"], r["stub"]) for r in rows] == [
        ("paper:arxiv:2401.00001", 2, False),
        ("paper:doi:10.1000/xyz.5", 2, False),
        ("paper:ref:fu-etal-2018", 2, True),
        ("paper:ref:ng-russell-2000", 2, True),
    ]
    assert rows[2]["title"] is None and rows[2]["year"] == 2018


def test_paper_citations_by_title(fixture_graph):
    rows = run_query(fixture_graph, "paper-citations", {"paper": "scaling ppo with lora"})
    assert [(r["id"], r["text"]) for r in rows] == [
        ("paper:doi:10.1000/xyz.5", "(Smith, 2023)"),
        ("paper:ref:fu-etal-2018", "Fu et al. (2018)"),
    ]


def test_similar_papers(fixture_graph):
    rows = run_query(fixture_graph, "similar-papers", {"paper": "paper:arxiv:2401.00001"})
    # shares LoRA, the Fu et al. stub and the microsoft/LoRA repository
    assert rows[0] == {"id": "paper:arxiv:2401.00002", "title": "Scaling PPO with LoRA", "shared": 3}
    assert rows[1] == {"id": "paper:arxiv:2402.00003", "title": "QLoRA Revisited", "shared": 2}


def test_neighbourhood(fixture_graph):
    rows = run_query(fixture_graph, "neighbourhood", {"node": "qlora"})
    assert rows == [{"id": "paper:arxiv:2402.00003", "name": "QLoRA Revisited", "distance": 1}]
    two = run_query(fixture_graph, "neighbourhood", {"node": "qlora", "hops": 2})
    assert {r["id"] for r in two if r["distance"] == 2} == {
        "author:ada-lovelace", "dataset:imagenet", "method:lora", "paper:arxiv:2401.00001",
    }


def test_co_authors_and_activity(fixture_graph):
    assert run_query(fixture_graph, "co-authors", {"author": "A. Lovelace"}) == [
        {"id": "author:alan-turing", "name": "Alan Turing", "papers": 2},
        {"id": "author:grace-hopper", "name": "Grace Hopper", "papers": 1},
    ]
    rows = run_query(fixture_graph, "author-activity-on-method", {"method": "LoRA"})
    assert [(r["id"], r["papers"]) for r in rows] == [
        ("author:ada-lovelace", 3), ("author:alan-turing", 3), ("author:grace-hopper", 1),
    ]


def test_method_trend(fixture_graph):
    assert run_query(fixture_graph, "method-trend", {"method": "lora", "by": "month"}) == [
        {"period": "2024-01", "papers": 2},
        {"period": "2024-02", "papers": 2},
        {"period": "2024-03", "papers": 1},
    ]
    # the 2023 PPO paper has only a year: counted per year, left out per month
    assert run_query(fixture_graph, "method-trend", {"method": "ppo"}) == [
        {"period": "2023", "papers": 1}, {"period": "2024", "papers": 2},
    ]
    assert run_query(fixture_graph, "method-trend", {"method": "ppo", "by": "month"}) == [
        {"period": "2024-01", "papers": 2},
    ]


def test_shortest_path(fixture_graph):
    rows = run_query(fixture_graph, "shortest-path", {"source": "LoRA", "target": "PPO"})
    assert rows == [{"path": ["method:lora", "paper:arxiv:2401.00002", "method:ppo"], "hops": 2}]
    assert run_query(fixture_graph, "shortest-path", {"source": "LoRA", "target": "lora"}) == []
    rows = run_query(fixture_graph, "shortest-path",
                     {"source": "author:grace-hopper", "target": "dataset:imagenet"})
    assert len(rows) == 7 and {r["hops"] for r in rows} == {4}
    keys = [" ".join(r["path"]) for r in rows]
    assert keys == sorted(keys)
