"""Shared test fixtures: where the user's documents and the real sample files are."""

from __future__ import annotations

from pathlib import Path

import pytest

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


# A real Neo4j: the session fixture `neo4j` (NEO4J_URI's server, or the engine of docker/neo4j-test).
from tests.neo4j_server import local_neo4j, neo4j  # noqa: E402, F401
