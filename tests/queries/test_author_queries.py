"""author-papers and collaboration-path: real answers on the fixture graph, NetworkX and LadybugDB.

The shared fixture has four authors, all of Ada's papers from 2024 and co-authors at most one
paper apart. :func:`wider_graph` adds (here only, the shared fixture keeps its counts) Barbara
Liskov on three papers of different years, one without a year, so that year ordering, null
years and a 4-hop collaboration path are exercised too.
"""

from __future__ import annotations

import networkx as nx
import pytest
from kg.queries import REGISTRY, cypher_text, run_query

from kg.stores import LadybugStore
from tests.queries.conftest import make_fixture_graph

ADA, ALAN, GRACE, EDSGER, BARBARA = (
    "author:ada-lovelace", "author:alan-turing", "author:grace-hopper", "author:edsger-dijkstra",
    "author:barbara-liskov",
)
A1, A2, A3 = "paper:arxiv:2401.00001", "paper:arxiv:2401.00002", "paper:arxiv:2402.00003"
ROBOTS, A5, NONE = "paper:t:ppo-for-robots", "paper:doi:10.1000/xyz.5", "paper:t:nothing-to-see"


def wider_graph() -> nx.MultiDiGraph:
    """The fixture graph plus Barbara Liskov (alias "B. Liskov") on three papers."""
    g = make_fixture_graph()
    g.add_node(BARBARA, label="Author", id=BARBARA, name="Barbara Liskov", aliases=["B. Liskov"])
    for paper, position in [(ROBOTS, 2), (A5, 1), (NONE, 1)]:
        g.add_edge(BARBARA, paper, key="AUTHORED", type="AUTHORED", position=position, provenance="t.txt:1")
    return g


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    """name -> (NetworkX graph, LadybugStore holding the same graph)."""
    out, stores = {}, []
    for name, g in [("fixture", make_fixture_graph()), ("wider", wider_graph())]:
        store = LadybugStore(tmp_path_factory.mktemp("authors") / f"{name}.lbdb")
        store.push(g)
        stores.append(store)
        out[name] = (g, store)
    yield out
    for store in stores:
        store.close()


def both(graphs, which: str, name: str, params: dict) -> list[dict]:
    """The rows of NetworkX, after checking that LadybugDB returns exactly the same."""
    g, store = graphs[which]
    rows = run_query(g, name, params)
    assert run_query(store, name, params) == rows, f"{name} {params}: LadybugDB differs from NetworkX"
    return rows


# -- author-papers -----------------------------------------------------------------------------


def test_author_papers_by_alias_any_case(graphs):
    rows = both(graphs, "fixture", "author-papers", {"author": "a. LOVELACE"})
    assert rows == [
        {"id": A1, "title": "LoRA Adapters for Vision", "year": 2024, "position": 1},
        {"id": A2, "title": "Scaling PPO with LoRA", "year": 2024, "position": 1},
        {"id": A3, "title": "QLoRA Revisited", "year": 2024, "position": 1},
    ]
    assert both(graphs, "fixture", "author-papers", {"author": ADA}) == rows
    assert both(graphs, "fixture", "author-papers", {"author": "Ada Lovelace", "limit": 2}) == rows[:2]


def test_author_papers_keeps_each_position(graphs):
    rows = both(graphs, "fixture", "author-papers", {"author": "alan turing"})
    assert [(r["id"], r["position"]) for r in rows] == [(A1, 2), (A2, 3), ("paper:t:lora-on-cats", 1)]
    rows = both(graphs, "fixture", "author-papers", {"author": "Edsger Dijkstra"})
    assert rows == [{"id": "paper:t:transformers-for-tables", "title": "Transformers for Tables",
                     "year": 2022, "position": 1}]
    assert both(graphs, "fixture", "author-papers", {"author": "Nobody"}) == []


def test_author_papers_newest_first_no_year_last(graphs):
    rows = both(graphs, "wider", "author-papers", {"author": "b. liskov"})
    assert rows == [
        {"id": ROBOTS, "title": "PPO for Robots", "year": 2024, "position": 2},
        {"id": A5, "title": "Reward Models and PPO", "year": 2023, "position": 1},
        {"id": NONE, "title": "Nothing to See", "year": None, "position": 1},
    ]


# -- collaboration-path ------------------------------------------------------------------------


def test_co_authors_are_two_hops_apart_every_shared_paper_a_path(graphs):
    rows = both(graphs, "fixture", "collaboration-path", {"source": "Ada Lovelace", "target": "ALAN TURING"})
    assert rows == [
        {"path": [ADA, A1, ALAN], "hops": 2},
        {"path": [ADA, A2, ALAN], "hops": 2},
    ]
    rows = both(graphs, "fixture", "collaboration-path", {"source": "grace hopper", "target": "A. Lovelace"})
    assert rows == [{"path": [GRACE, A2, ADA], "hops": 2}]
    assert both(graphs, "fixture", "collaboration-path",
                {"source": ADA, "target": ALAN, "limit": 1}) == [{"path": [ADA, A1, ALAN], "hops": 2}]


def test_longer_path_through_a_co_author(graphs):
    rows = both(graphs, "wider", "collaboration-path", {"source": "B. Liskov", "target": "ada lovelace"})
    assert rows == [{"path": [BARBARA, ROBOTS, GRACE, A2, ADA], "hops": 4}]
    rows = both(graphs, "wider", "collaboration-path", {"source": "Alan Turing", "target": BARBARA})
    assert rows == [{"path": [ALAN, A2, GRACE, ROBOTS, BARBARA], "hops": 4}]


def test_only_authored_edges_count(graphs):
    """Edsger's paper shares the Transformer method with a LoRA paper, but he wrote with nobody."""
    g, _ = graphs["fixture"]
    anything = run_query(g, "shortest-path", {"source": "Edsger Dijkstra", "target": "Ada Lovelace"})
    assert anything and all(
        any(not n.startswith(("author:", "paper:")) for n in r["path"]) for r in anything
    )
    assert both(graphs, "fixture", "collaboration-path",
                {"source": "Edsger Dijkstra", "target": "Ada Lovelace"}) == []
    # Ada's PPO paper cites Barbara's: 3 hops in the whole graph, 4 through co-authors only
    g, _ = graphs["wider"]
    assert run_query(g, "shortest-path", {"source": ADA, "target": BARBARA}) == [
        {"path": [ADA, A2, A5, BARBARA], "hops": 3},
    ]
    rows = both(graphs, "wider", "collaboration-path", {"source": ADA, "target": BARBARA})
    assert rows == [{"path": [ADA, A2, GRACE, ROBOTS, BARBARA], "hops": 4}]


def test_no_path_to_oneself_or_to_non_authors(graphs):
    assert both(graphs, "fixture", "collaboration-path", {"source": ADA, "target": "a. lovelace"}) == []
    assert both(graphs, "fixture", "collaboration-path", {"source": ADA, "target": A1}) == []
    assert both(graphs, "fixture", "collaboration-path", {"source": "LoRA", "target": ADA}) == []
    assert both(graphs, "fixture", "collaboration-path", {"source": "nobody", "target": ADA}) == []


def test_collaboration_path_has_one_text_per_dialect():
    files = REGISTRY["collaboration-path"].cypher
    assert files["ladybug"] != files["neo4j"]
    assert "AUTHORED* ALL SHORTEST" in cypher_text("collaboration-path", "ladybug")
    assert "allShortestPaths((a)-[:AUTHORED*" in cypher_text("collaboration-path", "neo4j")
    assert REGISTRY["collaboration-path"].columns == REGISTRY["shortest-path"].columns
