"""Planted spam for tests: copy-paste rings, giveaway farms and link spammers (issue 8).

Added to a synthetic audience (:func:`microcomm.synth.generate_audience`), each kind is built
to look like a community if nothing filtered it: its accounts comment on the same few busy
posts, share their own hashtag, mention their own account and link their own domain.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

RING_TAG = "glowdealz"
RING_TEXT = (
    "omg this changed my whole routine, everyone here needs the {n} step glow kit from "
    "@glowdealz_shop #glowdealz"
)
FARM_TAGS = ["farmhand_a", "farmhand_b", "farmhand_c", "farmhand_d"]
LINK_DOMAIN = "quickcash-gifts.example.com"
LINK_TEXTS = [
    "Get FREE gift cards now https://quickcash-gifts.example.com/r?ref={n} #giftcardz",
    "earn easy money from home, DM me https://quickcash-gifts.example.com/join #giftcardz",
    "check out my channel for free stuff https://quickcash-gifts.example.com/v/{n} #giftcardz",
]
PLANTED_VALUES = {
    RING_TAG, "glowdealz_shop", "routine", "glow", "kit", "giftcardz", LINK_DOMAIN, "cards",
    "gift", "cash", "quickcash", *FARM_TAGS,
}  # fmt: skip


def plant_spam(events: pl.DataFrame, *, seed: int = 5) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``events`` with planted spam added, and the planted accounts (``actor, kind``)."""
    rng = np.random.default_rng(seed)
    busy = (
        events.filter(pl.col("target_kind") == "post")
        .group_by("platform", "target")
        .agg(pl.len().alias("n"))
        .sort(["n", "target"], descending=[True, False])
        .head(6)
    )
    posts = list(zip(busy["platform"].to_list(), busy["target"].to_list(), strict=True))
    t0 = datetime(2026, 9, 10, 12, tzinfo=UTC)
    rows: list[dict] = []
    planted: list[tuple[str, str]] = []

    def add(actor: str, text: str, at: datetime, i: int) -> None:
        platform, target = posts[i % len(posts)]
        rows.append(
            {
                "event_id": f"spam{len(rows)}",
                "platform": platform,
                "kind": "comment",
                "actor": actor,
                "target": target,
                "target_kind": "post",
                "text": text,
                "created_at": at,
            }
        )

    for a in range(14):  # a copy-paste ring: 14 accounts, 5 comments each, numbers vary
        actor = f"glowfan{a}"
        planted.append((actor, "ring"))
        for i in range(5):
            at = t0 + timedelta(days=i, minutes=int(rng.integers(0, 600)))
            add(actor, RING_TEXT.format(n=int(rng.integers(3, 9))), at, a + i)
    for a in range(16):  # a giveaway farm: comments of @tags only
        actor = f"luckyhands{a}"
        planted.append((actor, "giveaway"))
        for i in range(4):
            tags = rng.choice(FARM_TAGS, size=3, replace=False)
            at = t0 + timedelta(days=i, hours=int(rng.integers(0, 20)))
            add(actor, " ".join(f"@{t}" for t in tags), at, a + i)
    for a in range(12):  # link spammers, posting their link in bursts, seconds apart
        actor = f"dealbot{a}"
        planted.append((actor, "link"))
        for i in range(4):
            text = LINK_TEXTS[(a + i) % len(LINK_TEXTS)].format(n=a * 10 + i)
            add(actor, text, t0 + timedelta(days=3 * i, seconds=7 * a), i)
    spam = pl.DataFrame(rows).with_columns(pl.col("created_at").dt.cast_time_unit("us"))
    out = pl.concat([events, spam], how="diagonal_relaxed")
    return out, pl.DataFrame(planted, schema=["actor", "kind"], orient="row")
