"""Shared fixtures: one Extractor per session (building the pipeline is the slow part)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# Weekday-inferred years depend on "today"; tests pin it so they never drift.
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def extractor():
    from extract.pipeline import Extractor

    return Extractor(today=TODAY, lexicon_dirs=[d for d in [__import__("os").environ.get("MAJLIS_DEV_LEXICON")] if d])


@pytest.fixture(scope="session")
def seeds_results(extractor):
    from extract.types import Article

    return [extractor.extract(Article(p.stem, p.read_text(encoding="utf-8"))) for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="session")
def seeds_dataset(seeds_results):
    from graph.build import build_dataset

    return build_dataset(seeds_results)


@pytest.fixture(scope="session")
def seeds_graph_path(seeds_dataset, tmp_path_factory):
    from graph import io

    path = tmp_path_factory.mktemp("seeds") / "graph.ttl"
    io.save(seeds_dataset, path)
    return path
