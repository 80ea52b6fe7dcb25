"""The platform mix adds its shares in a fixed order: the same events in any row order give
the same bits (a group-by sum adds in arrival order, and a share such as 0.05375 then rounded
either way in the report from one run to the next)."""

from __future__ import annotations

import numpy as np
import polars as pl

from microcomm.profiles import platform_mix


def test_platform_mix_same_bits_in_any_row_order() -> None:
    rng = np.random.default_rng(4)
    n = 20_000
    events = pl.DataFrame(
        {
            "actor": [f"a{i}" for i in rng.integers(0, 3_000, n)],
            "platform": rng.choice(["x", "reddit", "youtube", "instagram", "tiktok"], n).tolist(),
        }
    )
    members = pl.DataFrame(
        {
            "actor": [f"a{i}" for i in range(2_500)],
            "community": [i % 7 for i in range(2_500)],
        }
    )
    first = platform_mix(events, members)
    for seed in range(3):
        shuffled = events.sample(fraction=1.0, shuffle=True, seed=seed)
        assert platform_mix(shuffled, members.sample(fraction=1.0, shuffle=True, seed=seed)).equals(
            first
        )
    # The shares are right: each community's add up to 1, each account weighs the same.
    assert (
        first.group_by("community").agg(pl.col("share_in").sum())["share_in"].round(9).to_list()
        == [1.0] * 7
    )
