"""People planted into a Kestrel audience, for the people and platform sections (issue 11).

:func:`plant_people` adds to a :func:`~microcomm.synth.generate_audience` audience:

- follower counts for every account (log-normal, median ~150: an ordinary audience);
- **organic influencers**: outside accounts with 40–400 k followers whose posts name
  ``@kestrel`` without a paid marker, engaged (likes, comments) by members of one community;
  one of them also has a ``#ad`` post, counted apart;
- **paid partners**: an account with a million followers whose brand posts all carry a paid
  marker (``#ad``, "paid partnership", ``#sponsored``), engaged by members of one community;
- **UGC creators**: members of one community whose posts tag the brand with a link, liked and
  commented on by fellow members;
- **advocates**: members of one community who praise ``@kestrel`` in several comments;
- the brand's own posts on every platform **except** the home platform of one community.

Seeded; everything is built with numpy and polars from one generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import polars as pl

from microcomm.synth.audience import Audience
from microcomm.synth.themes import load_world, theme_for


@dataclass(frozen=True)
class PlantedPeople:
    """The audience's events with the planted people, account follower counts, and the truth."""

    events: pl.DataFrame  # with actor_followers, actor_verified (canonical profile columns)
    accounts: pl.DataFrame  # actor, platform, followers, verified
    truth: pl.DataFrame  # actor, role (organic, paid, ugc, advocate), community
    gap_community: int  # the planted community whose home platform the brand never posts on
    gap_platform: str


def _events(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "event_id": pl.String,
            "platform": pl.String,
            "kind": pl.String,
            "actor": pl.String,
            "target": pl.String,
            "target_kind": pl.String,
            "text": pl.String,
            "created_at": pl.Datetime("us", "UTC"),
        },
    )


def plant_people(
    aud: Audience,
    *,
    influencer_community: int = 0,
    paid_community: int = 1,
    ugc_community: int = 2,
    advocate_community: int = 3,
    gap_community: int = 3,
    seed: int = 5,
) -> PlantedPeople:
    """Plant influencers, a paid partner, UGC creators, advocates and a platform gap.

    Examples
    --------
    >>> from microcomm.synth import generate_audience
    >>> p = plant_people(generate_audience(4_000, n_communities=5, seed=1))
    >>> sorted(p.truth["role"].unique().to_list())
    ['advocate', 'organic', 'paid', 'ugc']
    """
    rng = np.random.default_rng(seed)
    world = load_world()
    brand = world.brand
    truth = aud.truth
    start = aud.events["created_at"].min()
    days = 60

    def at() -> object:
        return start + timedelta(seconds=int(rng.integers(0, days * 86400)))  # type: ignore[operator]

    def members(c: int) -> list[str]:
        return sorted(truth.filter(pl.col("community") == c)["actor"].to_list())

    rows: list[dict[str, object]] = []
    roles: list[tuple[str, str, int]] = []
    n = iter(range(10**9))

    def post(actor: str, platform: str, text: str, engagers: list[str], kind: str = "post") -> None:
        pid = f"pp{next(n)}"
        rows.append(
            {
                "event_id": pid,
                "platform": platform,
                "kind": kind,
                "actor": actor,
                "target": brand,
                "target_kind": "account",
                "text": text,
                "created_at": at(),
            }
        )
        for who in engagers:
            like = rng.random() < 0.5
            rows.append(
                {
                    "event_id": f"pp{next(n)}",
                    "platform": platform,
                    "kind": "like" if like else "comment",
                    "actor": who,
                    "target": pid,
                    "target_kind": "post",
                    "text": None if like else "so good",
                    "created_at": at(),
                }
            )

    def sample(pool: list[str], share: float) -> list[str]:
        k = max(2, int(len(pool) * share))
        return sorted(rng.choice(pool, size=min(k, len(pool)), replace=False).tolist())

    # Organic influencers: engaged by a third of one community on its home platform.
    home = theme_for(influencer_community).platform
    pool = members(influencer_community)
    for i in range(3):
        name = f"bigvoice{i}"
        for _ in range(4):
            post(
                name,
                home,
                f"my week with the @{brand} tent, honestly the best trip",
                sample(pool, 0.3),
            )
        roles.append((name, "organic", influencer_community))
    post("bigvoice0", home, f"#ad new @{brand} jacket, link in bio", sample(pool, 0.2))
    # A paid partner: every brand post carries a marker.
    pool = members(paid_community)
    for text in (
        f"#ad my new @{brand} pack",
        f"paid partnership with @{brand}",
        f"loving @{brand} #sponsored",
    ):
        post("megastar", theme_for(paid_community).platform, text, sample(pool, 0.4))
    roles.append(("megastar", "paid", paid_community))
    # UGC creators: members whose tagged posts with a link draw likes and comments.
    pool = members(ugc_community)
    for who in pool[:3]:
        for _ in range(2):
            post(
                who,
                theme_for(ugc_community).platform,
                f"first night in my @{brand} tent https://photos.example/{who}",
                sample([p for p in pool if p != who], 0.08),
            )
        roles.append((who, "ugc", ugc_community))
    # Advocates: repeated praise of the brand in comments.
    pool = members(advocate_community)
    for who in pool[-3:]:
        for _ in range(3):
            rows.append(
                {
                    "event_id": f"pp{next(n)}",
                    "platform": theme_for(advocate_community).platform,
                    "kind": "comment",
                    "actor": who,
                    "target": "brandpost0",
                    "target_kind": "post",
                    "text": f"love my @{brand} jacket, great quality",
                    "created_at": at(),
                }
            )
        roles.append((who, "advocate", advocate_community))
    # The brand's own posts: five on every platform but the gap community's home.
    gap_platform = theme_for(gap_community).platform
    for platform in world.platforms:
        if platform != gap_platform:
            for _ in range(5):
                rows.append(
                    {
                        "event_id": f"pp{next(n)}",
                        "platform": platform,
                        "kind": "post",
                        "actor": brand,
                        "target": None,
                        "target_kind": None,
                        "text": "new season, new gear",
                        "created_at": at(),
                    }
                )
    planted = _events(rows)
    events = pl.concat([aud.events, planted], how="diagonal_relaxed")
    actors = events.select("actor").unique().sort("actor")["actor"]
    followers = np.exp(rng.normal(5.0, 1.0, len(actors))).astype(np.int64)
    fixed = {
        "bigvoice0": 400_000,
        "bigvoice1": 120_000,
        "bigvoice2": 40_000,
        "megastar": 1_000_000,
        brand: 250_000,
    }
    accounts = pl.DataFrame(
        {"actor": actors, "platform": "instagram", "followers": followers}
    ).with_columns(
        pl.col("actor")
        .replace_strict(fixed, default=pl.col("followers"), return_dtype=pl.Int64)
        .alias("followers"),
        pl.col("actor").is_in(list(fixed)).alias("verified"),
    )
    # Canonical profile columns: ingest puts them into the accounts table (issue 11 item 1).
    events = events.join(
        accounts.select(
            "actor",
            pl.col("followers").alias("actor_followers"),
            pl.col("verified").alias("actor_verified"),
        ),
        on="actor",
        how="left",
        maintain_order="left",
    )
    return PlantedPeople(
        events=events,
        accounts=accounts,
        truth=pl.DataFrame(roles, schema=["actor", "role", "community"], orient="row"),
        gap_community=gap_community,
        gap_platform=gap_platform,
    )
