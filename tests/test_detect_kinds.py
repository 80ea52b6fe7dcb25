"""Every kind of engagement ties people, and an audience with no ties says why (issue 12)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from microcomm.communities import nmi
from microcomm.config import Config
from microcomm.errors import EmptyGraphError
from microcomm.pipeline import run_detect, run_ingest
from microcomm.store import Store


def _people(kind: str, *, groups: int = 4, size: int = 15, seed: int = 0) -> pl.DataFrame:
    """``kind`` events from account to account only: each person reaches 3 people of their own
    group and, one time in ten, someone anywhere."""
    rng = np.random.default_rng(seed)
    n = groups * size
    actor = np.repeat(np.arange(n), 3)
    same = (actor // size) * size + rng.integers(0, size, len(actor))
    target = np.where(rng.random(len(actor)) < 0.1, rng.integers(0, n, len(actor)), same)
    keep = target != actor
    return pl.DataFrame(
        {
            "event_id": [f"{kind}-{i}" for i in range(int(keep.sum()))],
            "platform": "x",
            "kind": kind,
            "actor": [f"p{a:03d}" for a in actor[keep]],
            "target": [f"p{t:03d}" for t in target[keep]],
            "target_kind": "account",
            "text": None,
            "created_at": "2026-03-01T12:00:00Z",
        }
    )


def _detect(events: pl.DataFrame, tmp_path: Path, config: Config | None = None) -> Store:
    path = tmp_path / "events.parquet"
    events.write_parquet(path)
    store = Store(tmp_path / "store")
    run_ingest([path], store=store)
    run_detect(store=store, config=config or Config())
    return store


@pytest.mark.parametrize("kind", ["dm", "follow", "mention"])
def test_one_kind_of_account_engagement_alone_finds_the_groups(kind: str, tmp_path: Path) -> None:
    store = _detect(_people(kind), tmp_path)
    micro = store.communities().filter(pl.col("level") == 0).sort("actor")
    truth = micro["actor"].str.slice(1).cast(pl.Int64) // 15
    assert micro.height == 60 and (micro["community"] >= 0).all()
    assert nmi(truth.to_numpy(), micro["community"].to_numpy()) >= 0.9


def test_an_audience_with_no_ties_says_which_kinds_weigh_nothing(tmp_path: Path) -> None:
    config = Config().override("graph", kind_weights={"dm": 0.0})
    with pytest.raises(EmptyGraphError) as err:
        _detect(_people("dm"), tmp_path, config)
    assert err.value.message == (
        "no two accounts share a post, thread, account or hashtag that ties them: "
        "the events are dm (172); weighing 0: dm (graph.kind_weights)"
    )
    assert "graph.kind_weights" in (err.value.hint or "")
