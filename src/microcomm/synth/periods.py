"""An audience that changes over three months, with its planted history (``microcomm track``).

Month by month (September, October, November 2026), planted groups of members engage with
their own group's posts (new posts every month), use its signature hashtags and keywords,
mention its partner brand, and write on its home platform; a share ``mixing`` of their events
goes to other groups' posts. What happens between the months:

- September → October: **trail runners**, **bikepackers**, **birders**, **vanlifers** and
  **climbers** continue (a few members churn); **winter campers** die (their members leave
  the audience); **ultralight hikers** and **thru-hikers** merge into one group with shared
  posts and tags.
- October → November: the merged hikers continue; **climbers** split into **boulderers** and
  **alpinists**; **packrafters** are born (new accounts); the **vanlifers**' signature
  hashtag ``#vanlife`` is replaced by ``#skoolie``; **birders** move from Mastodon to
  Bluesky; **bikepackers** start complaining by DM.

Everything is drawn with numpy from one seed and assembled with polars.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import polars as pl

MONTHS = (
    datetime(2026, 9, 1, tzinfo=UTC),
    datetime(2026, 10, 1, tzinfo=UTC),
    datetime(2026, 11, 1, tzinfo=UTC),
    datetime(2026, 12, 1, tzinfo=UTC),
)
LABELS = ("2026-09", "2026-10", "2026-11")

# group: hashtags, keywords, partner brand, home platform
THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, str]] = {
    "trail runners": (
        ("trailrunning", "ultrarunning", "vertkm"),
        ("singletrack", "splits"),
        "peakfuel",
        "instagram",
    ),
    "bikepackers": (
        ("bikepacking", "gravelbike", "framebag"),
        ("gravel", "saddle"),
        "ridgeline_bags",
        "instagram",
    ),
    "birders": (
        ("birding", "birdphotography", "lifelist"),
        ("warbler", "binoculars"),
        "aviaoptics",
        "mastodon",
    ),
    "vanlifers": (
        ("vanlife", "homeonwheels", "buildout"),
        ("solar", "conversion"),
        "roamvans",
        "instagram",
    ),
    "climbers": (("climbing", "cragging", "sendtrain"), ("belay", "crag"), "chalkup", "facebook"),
    "winter campers": (
        ("wintercamping", "hottent", "snowcamp"),
        ("stove", "frost"),
        "emberstove",
        "youtube",
    ),
    "ultralight hikers": (
        ("ultralight", "baseweight", "cuben"),
        ("grams", "quilt"),
        "featherpack",
        "reddit",
    ),
    "thru-hikers": (
        ("thruhike", "pct", "triplecrown"),
        ("resupply", "zeroday"),
        "longtrail",
        "reddit",
    ),
    "merged hikers": (
        ("ultralight", "thruhike", "hikertrash"),
        ("grams", "resupply"),
        "featherpack",
        "reddit",
    ),
    "boulderers": (
        ("bouldering", "crimps", "climbing"),
        ("pads", "highball"),
        "chalkup",
        "instagram",
    ),
    "alpinists": (
        ("alpinism", "mountaineering", "climbing"),
        ("glacier", "ridge"),
        "summitco",
        "youtube",
    ),
    "packrafters": (
        ("packrafting", "whitewater", "paddlelife"),
        ("rapids", "portage"),
        "drybagco",
        "youtube",
    ),
}
SIZES = {
    "trail runners": 150,
    "bikepackers": 120,
    "birders": 100,
    "vanlifers": 110,
    "climbers": 160,
    "winter campers": 90,
    "ultralight hikers": 70,
    "thru-hikers": 70,
    "packrafters": 110,
}
PLATFORMS = ("instagram", "x", "reddit", "youtube", "facebook", "mastodon", "bluesky")
GENERIC = ("outdoors", "weekend", "adventure", "nature", "explore")
PHRASES = ("so good", "what a day", "look at this", "honestly", "best trip", "new favourite")
COMPLAINTS = (
    "my framebag zipper broke after a week, so disappointed",
    "the new saddle bag leaks, terrible quality",
)
REQUESTS = ("please open a store in Girona", "can you ship to Lyon please")


@dataclass(frozen=True)
class PlantedPeriods:
    """Events of three months and the planted truth."""

    events: pl.DataFrame
    truth: pl.DataFrame  # period (0..2), actor, group
    transitions: list[dict[str, object]]  # the planted history: type, from, to, groups, sizes


def _plan(rng: np.random.Generator, churn: float) -> tuple[list[dict[str, list[int]]], int]:
    """Members (account indices) of every group in every month."""
    next_id = 0

    def fresh(n: int) -> list[int]:
        nonlocal next_id
        ids = list(range(next_id, next_id + n))
        next_id += n
        return ids

    m0 = {
        g: fresh(SIZES[g])
        for g in (
            "trail runners",
            "bikepackers",
            "birders",
            "vanlifers",
            "climbers",
            "winter campers",
            "ultralight hikers",
            "thru-hikers",
        )
    }

    def churned(ids: list[int]) -> list[int]:
        k = round(len(ids) * churn)
        keep = sorted(rng.choice(ids, len(ids) - k, replace=False).tolist())
        return keep + fresh(k)

    steady = ("trail runners", "bikepackers", "birders", "vanlifers", "climbers")
    m1 = {g: churned(m0[g]) for g in steady}
    m1["merged hikers"] = m0["ultralight hikers"] + m0["thru-hikers"]
    m2 = {g: churned(m1[g]) for g in ("trail runners", "bikepackers", "birders", "vanlifers")}
    m2["merged hikers"] = churned(m1["merged hikers"])
    half = len(m1["climbers"]) // 2
    m2["boulderers"], m2["alpinists"] = m1["climbers"][:half], m1["climbers"][half:]
    m2["packrafters"] = fresh(SIZES["packrafters"])
    return [m0, m1, m2], next_id


def generate_periods(
    *,
    seed: int = 7,
    events_per_member: float = 12.0,
    mixing: float = 0.15,
    churn: float = 0.05,
    noise: int = 15,
) -> PlantedPeriods:
    """Draw the three planted months (about 33 k events).

    Examples
    --------
    >>> p = generate_periods(seed=1)
    >>> p.truth.group_by("period").agg(pl.col("group").n_unique()).sort("period")["group"].to_list()
    [8, 6, 8]
    """
    rng = np.random.default_rng(seed)
    plan, n_members = _plan(rng, churn)
    frames, truth = [], []
    for month, groups in enumerate(plan):
        noise_ids = list(
            range(n_members + month * noise // 2, n_members + month * noise // 2 + noise)
        )
        frames.append(_month(rng, month, groups, noise_ids, events_per_member, mixing))
        truth += [(month, f"u{a}", g) for g, ids in groups.items() for a in ids]
    events = pl.concat(frames).with_columns(
        pl.format("e{}", pl.int_range(pl.len())).alias("event_id")
    )
    truth_df = pl.DataFrame(truth, schema=["period", "actor", "group"], orient="row")
    return PlantedPeriods(events=events, truth=truth_df, transitions=_history(plan))


def _history(plan: list[dict[str, list[int]]]) -> list[dict[str, object]]:
    n = [{g: len(ids) for g, ids in m.items()} for m in plan]
    steady = ("trail runners", "bikepackers", "birders", "vanlifers")
    out: list[dict[str, object]] = [
        {"type": "continuation", "from": 0, "groups": [g], "before": n[0][g], "after": n[1][g]}
        for g in (*steady, "climbers")
    ]
    out += [
        {
            "type": "death",
            "from": 0,
            "groups": ["winter campers"],
            "before": n[0]["winter campers"],
            "after": 0,
        },
        {
            "type": "merge",
            "from": 0,
            "groups": ["ultralight hikers", "thru-hikers"],
            "before": n[0]["ultralight hikers"] + n[0]["thru-hikers"],
            "after": n[1]["merged hikers"],
        },
    ]
    out += [
        {"type": "continuation", "from": 1, "groups": [g], "before": n[1][g], "after": n[2][g]}
        for g in (*steady, "merged hikers")
    ]
    out += [
        {
            "type": "split",
            "from": 1,
            "groups": ["boulderers", "alpinists"],
            "before": n[1]["climbers"],
            "after": n[2]["boulderers"] + n[2]["alpinists"],
        },
        {
            "type": "birth",
            "from": 1,
            "groups": ["packrafters"],
            "before": 0,
            "after": n[2]["packrafters"],
        },
    ]
    return out


def _month(
    rng: np.random.Generator,
    month: int,
    groups: dict[str, list[int]],
    noise_ids: list[int],
    per: float,
    mixing: float,
) -> pl.DataFrame:
    names = sorted(groups)
    gidx = {g: i for i, g in enumerate(names)}
    actors = np.array([a for g in names for a in groups[g]] + noise_ids)
    home = np.array([gidx[g] for g in names for _ in groups[g]] + [-1] * len(noise_ids))
    counts = 4 + rng.geometric(1.0 / max(per - 3, 1.01), len(actors)) - 1
    actor = np.repeat(actors, counts)
    g_home = np.repeat(home, counts)
    n = len(actor)
    out = (g_home < 0) | (rng.random(n) < mixing)
    g = np.where(out, rng.integers(0, len(names), n), g_home)
    n_posts = np.array([max(len(groups[x]) // 4, 6) for x in names])
    post = (rng.pareto(1.2, n) * n_posts[g] / 6).astype(np.int64) % n_posts[g]
    slug = np.array([x.replace(" ", "")[:6] for x in names])
    target = np.char.add(np.char.add(np.char.add(slug[g], f"-{month}-"), post.astype(str)), "")
    kinds = np.array(["comment", "like", "reply", "share", "post"])
    kind = kinds[rng.choice(len(kinds), n, p=[0.45, 0.25, 0.12, 0.1, 0.08])]
    themes = [THEMES[x] for x in names]
    tags = [list(t[0]) for t in themes]
    if "vanlifers" in gidx and month == 2:  # the signature interest is replaced
        tags[gidx["vanlifers"]][0] = "skoolie"
    tag_arr = np.array(tags)
    kw_arr = np.array([t[1] for t in themes])
    brand_arr = np.array([t[2] for t in themes])
    topical = ~out
    tag = np.where(
        topical & (rng.random(n) < 0.6), np.char.add("#", tag_arr[g, rng.integers(0, 3, n)]), ""
    )
    kw = np.where(topical & (rng.random(n) < 0.5), kw_arr[g, rng.integers(0, 2, n)], "")
    brand = np.where(topical & (rng.random(n) < 0.15), np.char.add("@", brand_arr[g]), "")
    generic = np.where(
        rng.random(n) < 0.3, np.char.add("#", np.array(GENERIC)[rng.integers(0, 5, n)]), ""
    )
    phrase = np.array(PHRASES)[rng.integers(0, len(PHRASES), n)]
    homes = np.array([t[3] for t in themes])
    if "birders" in gidx and month == 2:  # the platform mix changes
        homes[gidx["birders"]] = "bluesky"
    platform = np.where(rng.random(n) < 0.7, homes[g], np.array(PLATFORMS)[rng.integers(0, 7, n)])
    lo, hi = MONTHS[month], MONTHS[month + 1]
    secs = rng.integers(0, int((hi - lo).total_seconds()), n)
    text = (
        pl.DataFrame({"a": phrase, "b": kw, "c": tag, "d": brand, "e": generic})
        .select(
            pl.concat_str(["a", "b", "c", "d", "e"], separator=" ")
            .str.replace_all(" +", " ")
            .str.strip_chars()
        )
        .to_series()
    )
    events = pl.DataFrame(
        {
            "platform": platform,
            "kind": kind,
            "actor": np.char.add("u", actor.astype(str)),
            "target": target,
            "target_kind": "post",
            "text": text,
            "created_at": pl.Series(
                np.datetime64(lo.replace(tzinfo=None)) + secs.astype("timedelta64[s]")
            ),
        }
    ).with_columns(
        pl.col("created_at").dt.replace_time_zone("UTC"),
        pl.when(pl.col("kind") == "like").then(None).otherwise(pl.col("text")).alias("text"),
    )
    return pl.concat([events, _dms(rng, month, groups, lo)], how="diagonal_relaxed")


def _dms(
    rng: np.random.Generator, month: int, groups: dict[str, list[int]], lo: datetime
) -> pl.DataFrame:
    """Requests from a few members of every group; complaints from bikepackers in November."""
    rows = []
    for g in sorted(groups):
        ids = groups[g]
        for a in rng.choice(ids, max(len(ids) // 20, 2), replace=False):
            rows.append((f"u{a}", REQUESTS[int(a) % 2]))
        if g == "bikepackers" and month == 2:
            rows += [(f"u{a}", COMPLAINTS[int(a) % 2]) for a in rng.choice(ids, 20, replace=False)]
    return pl.DataFrame(
        {
            "platform": "instagram",
            "kind": "dm",
            "actor": [r[0] for r in rows],
            "target": "kestrel",
            "target_kind": "account",
            "text": [r[1] for r in rows],
            "created_at": [lo.replace(day=15)] * len(rows),
        }
    )
