"""Shared fixtures: a tiny planted audience, an isolated store, a CLI runner with plain output."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No MICROCOMM_* from the developer's shell; plain, wide, colourless output."""
    import os

    for key in list(os.environ):
        if key.startswith("MICROCOMM_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("MICROCOMM_WIDTH", "200")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


def planted_events(
    n_groups: int = 2, size: int = 12, posts: int = 4, seed: int = 0
) -> pl.DataFrame:
    """Two (or more) groups that each comment on their own posts and use their own hashtag."""
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(n_groups):
        for m in range(size):
            actor = f"g{g}_m{m:02d}"
            for p in rng.choice(posts, size=3, replace=False):
                rows.append(
                    {
                        "platform": "instagram",
                        "kind": "comment",
                        "actor": actor,
                        "target": f"post{g}_{p}",
                        "text": f"love this #group{g}tag #brand",
                        "created_at": f"2026-05-0{1 + g}T1{m % 10}:00:00Z",
                    }
                )
    return pl.DataFrame(rows)


@pytest.fixture
def tiny_csv(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.csv"
    planted_events().write_csv(path)
    return path


# Doctests cannot carry a marker: the slow ones are named here (each runs a whole detection).
SLOW_DOCTESTS = {"microcomm.api"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if type(item).__name__ == "DoctestItem" and item.name in SLOW_DOCTESTS:
            item.add_marker(pytest.mark.slow)
