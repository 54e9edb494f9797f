"""Shared test fixtures: where the user's documents and the real sample files are, the graphs built
from them, and a real Neo4j (the session fixture ``neo4j`` of tests/neo4j_server.py)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from tests.neo4j_server import local_neo4j, neo4j  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
SEEDS = SHARED / "seeds"
SAMPLES = SHARED / "samples"
BENCHMARKS = SHARED / "benchmarks"

SEED_SEARCH = SEEDS / "000_761299f930b716c2.txt"
SEED_DAILY = SEEDS / "001_eea2f075fb8cce27.txt"
SEED_FEED = SEEDS / "002_5eae358206daed5b.txt"


def pytest_configure(config: pytest.Config) -> None:
    if not SEEDS.is_dir():
        raise pytest.UsageError(f"the shared data folder is missing: expected {SHARED} beside the checkout")


@pytest.fixture(scope="session")
def fixture_graph() -> nx.MultiDiGraph:
    """The small hand-made graph of tests/queries/conftest.py."""
    from tests.queries.conftest import make_fixture_graph

    return make_fixture_graph()


@pytest.fixture(scope="session")
def seeds_graph(tmp_path_factory) -> nx.MultiDiGraph:
    """The graph ``kg.pipeline.build`` makes of the seed listings (built once per session).

    Built as ``kg build`` builds it by default (rules, gazetteer and the shipped model:
    ``model=None`` means the default), so the store and query tests meet the graph users get.
    """
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seeds-build")
    return build(inputs=[SEEDS], out=out, model=None, view=False, progress=False).graph


@pytest.fixture(scope="session")
def seeds_samples_graph(tmp_path_factory) -> nx.MultiDiGraph:
    """The graph of the seed listings and the samples (authors, citations, stubs), built once per session.

    Built with the default extraction, as :func:`seeds_graph`.
    """
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seeds-samples-build")
    return build(inputs=[SEEDS, SAMPLES], out=out, model=None, view=False, progress=False).graph
