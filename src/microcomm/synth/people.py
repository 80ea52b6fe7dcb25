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

from collections.abc import Iterable
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


class _Planter:
    """The generator, the clock and the rows being planted (one per :func:`plant_people` call)."""

    def __init__(self, aud: Audience, brand: str, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.brand = brand
        self.truth = aud.truth
        self.start = aud.events["created_at"].min()
        self.days = 60
        self.rows: list[dict[str, object]] = []
        self.roles: list[tuple[str, str, int]] = []
        self._n = iter(range(10**9))

    def next_id(self) -> str:
        return f"pp{next(self._n)}"

    def at(self) -> object:
        seconds = int(self.rng.integers(0, self.days * 86400))
        return self.start + timedelta(seconds=seconds)  # type: ignore[operator]

    def members(self, c: int) -> list[str]:
        return sorted(self.truth.filter(pl.col("community") == c)["actor"].to_list())

    def post(
        self, actor: str, platform: str, text: str, engagers: list[str], kind: str = "post"
    ) -> None:
        pid = self.next_id()
        self.rows.append(
            {
                "event_id": pid,
                "platform": platform,
                "kind": kind,
                "actor": actor,
                "target": self.brand,
                "target_kind": "account",
                "text": text,
                "created_at": self.at(),
            }
        )
        for who in engagers:
            like = self.rng.random() < 0.5
            self.rows.append(
                {
                    "event_id": self.next_id(),
                    "platform": platform,
                    "kind": "like" if like else "comment",
                    "actor": who,
                    "target": pid,
                    "target_kind": "post",
                    "text": None if like else "so good",
                    "created_at": self.at(),
                }
            )

    def sample(self, pool: list[str], share: float) -> list[str]:
        k = max(2, int(len(pool) * share))
        return sorted(self.rng.choice(pool, size=min(k, len(pool)), replace=False).tolist())


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
    world = load_world()
    p = _Planter(aud, world.brand, seed)
    _plant_influencers(p, influencer_community)
    _plant_paid(p, paid_community)
    _plant_ugc(p, ugc_community)
    _plant_advocates(p, advocate_community)
    gap_platform = theme_for(gap_community).platform
    _plant_brand_posts(p, world.platforms, gap_platform)
    events = pl.concat([aud.events, _events(p.rows)], how="diagonal_relaxed")
    events, accounts = _with_followers(events, p.rng, p.brand)
    return PlantedPeople(
        events=events,
        accounts=accounts,
        truth=pl.DataFrame(p.roles, schema=["actor", "role", "community"], orient="row"),
        gap_community=gap_community,
        gap_platform=gap_platform,
    )


def _plant_influencers(p: _Planter, community: int) -> None:
    """Organic influencers: engaged by a third of one community on its home platform."""
    home = theme_for(community).platform
    pool = p.members(community)
    for i in range(3):
        name = f"bigvoice{i}"
        for _ in range(4):
            p.post(
                name,
                home,
                f"my week with the @{p.brand} tent, honestly the best trip",
                p.sample(pool, 0.3),
            )
        p.roles.append((name, "organic", community))
    p.post("bigvoice0", home, f"#ad new @{p.brand} jacket, link in bio", p.sample(pool, 0.2))


def _plant_paid(p: _Planter, community: int) -> None:
    """A paid partner: every brand post carries a marker."""
    pool = p.members(community)
    for text in (
        f"#ad my new @{p.brand} pack",
        f"paid partnership with @{p.brand}",
        f"loving @{p.brand} #sponsored",
    ):
        p.post("megastar", theme_for(community).platform, text, p.sample(pool, 0.4))
    p.roles.append(("megastar", "paid", community))


def _plant_ugc(p: _Planter, community: int) -> None:
    """UGC creators: members whose tagged posts with a link draw likes and comments."""
    pool = p.members(community)
    for who in pool[:3]:
        for _ in range(2):
            p.post(
                who,
                theme_for(community).platform,
                f"first night in my @{p.brand} tent https://photos.example/{who}",
                p.sample([m for m in pool if m != who], 0.08),
            )
        p.roles.append((who, "ugc", community))


def _plant_advocates(p: _Planter, community: int) -> None:
    """Advocates: repeated praise of the brand in comments."""
    pool = p.members(community)
    for who in pool[-3:]:
        for _ in range(3):
            p.rows.append(
                {
                    "event_id": p.next_id(),
                    "platform": theme_for(community).platform,
                    "kind": "comment",
                    "actor": who,
                    "target": "brandpost0",
                    "target_kind": "post",
                    "text": f"love my @{p.brand} jacket, great quality",
                    "created_at": p.at(),
                }
            )
        p.roles.append((who, "advocate", community))


def _plant_brand_posts(p: _Planter, platforms: Iterable[str], gap_platform: str) -> None:
    """The brand's own posts: five on every platform but the gap community's home."""
    for platform in platforms:
        if platform != gap_platform:
            for _ in range(5):
                p.rows.append(
                    {
                        "event_id": p.next_id(),
                        "platform": platform,
                        "kind": "post",
                        "actor": p.brand,
                        "target": None,
                        "target_kind": None,
                        "text": "new season, new gear",
                        "created_at": p.at(),
                    }
                )


def _with_followers(
    events: pl.DataFrame, rng: np.random.Generator, brand: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Follower counts for every account (log-normal; the planted voices fixed), and the
    events with the canonical profile columns ``actor_followers, actor_verified``."""
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
    return events, accounts
