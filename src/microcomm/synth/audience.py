"""The Kestrel Outdoor audience: dense planted communities with profile signals.

Every member engages at least four times. A share ``mixing`` of every member's engagement goes
outside its community (other communities' posts and a few very busy brand posts), and noise
accounts engage at random. Planted extras for profile tests: bridge accounts split between two
communities, loud accounts that spam one unrelated tag, DMs with requests, and survey answers
whose distribution differs by community.

Everything is drawn with numpy from one seed, in a fixed order (each draw step below
consumes the generator in turn: reordering them changes every audience and the bundled demo),
and assembled with polars — no per-event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import polars as pl

from microcomm.synth._structure import (
    Accounts,
    Events,
    Posts,
    draw_accounts,
    draw_contexts,
    draw_kinds,
    draw_posts,
    draw_roles,
    draw_targets,
)
from microcomm.synth.themes import Theme, load_world, theme_for


@dataclass(frozen=True)
class Audience:
    """Generated events plus the planted truth."""

    events: pl.DataFrame
    truth: pl.DataFrame  # actor, community (-1 for noise), role
    themes: pl.DataFrame  # community, name, hashtags, brand, keywords, platform, city, peak…, size
    answers: pl.DataFrame  # actor, platform, question, answer


def generate_audience(
    n_events: int = 60_000,
    *,
    n_communities: int = 24,
    mixing: float = 0.3,
    noise_share: float = 0.05,
    size_range: tuple[int, int] = (20, 400),
    events_per_account: float = 10.0,
    n_viral: int = 4,
    viral_share: float = 0.3,
    n_bridges: int = 12,
    n_loud: int = 3,
    seed: int = 7,
    start: datetime = datetime(2026, 9, 1, tzinfo=UTC),
    days: int = 61,
) -> Audience:
    """Draw an audience of about ``n_events`` events with ``n_communities`` planted groups.

    Parameters
    ----------
    mixing
        Share of a member's events that go outside its community.
    viral_share
        Share of those outside events that land on the brand's few very busy posts.

    Examples
    --------
    >>> aud = generate_audience(3_000, n_communities=4, seed=1)
    >>> aud.truth.filter(pl.col("community") >= 0)["community"].n_unique()
    4
    """
    rng = np.random.default_rng(seed)
    acc = draw_accounts(rng, n_events, n_communities, noise_share, size_range, events_per_account)
    themes = [theme_for(c) for c in range(n_communities)]
    posts = draw_posts(rng, acc)
    per, roles, second = draw_roles(rng, acc, posts, events_per_account, n_bridges, n_loud)
    ev = draw_contexts(rng, acc, per, roles, second, mixing, viral_share)
    kind, spam = draw_kinds(rng, ev, roles)
    target, target_kind, parent, post_idx = draw_targets(rng, acc, posts, ev, kind, n_viral)
    text = _draw_text(rng, themes, ev, spam)
    created = _draw_times(rng, themes, ev, start, days)
    platform, location = _draw_platforms(rng, themes, posts, ev, target_kind, post_idx)
    events = pl.DataFrame(
        {
            "event_id": np.char.add("e", np.arange(len(ev.actor)).astype(str)),
            "platform": platform,
            "kind": kind,
            "actor": acc.handles[ev.actor],
            "target": target,
            "target_kind": target_kind,
            "parent": parent,
            "text": text,
            "created_at": created,
            "location": location,
        }
    ).with_columns(
        pl.when(pl.col("kind").is_in(["like", "follow"]))
        .then(None)
        .otherwise(pl.col("text"))
        .alias("text"),
        pl.when(pl.col("parent") != "").then(pl.col("parent")).alias("parent"),
        pl.when(pl.col("location") != "").then(pl.col("location")).alias("location"),
    )
    dms = _dms(rng, acc, themes, start, days, len(ev.actor))
    events = pl.concat([events, dms], how="diagonal_relaxed")
    truth = pl.DataFrame(
        {"actor": acc.handles, "community": acc.community, "role": roles.astype(str)}
    )
    return Audience(
        events=events,
        truth=truth,
        themes=_themes_frame(themes, acc.sizes),
        answers=_answers(rng, acc, n_communities),
    )


def _draw_text(
    rng: np.random.Generator, themes: list[Theme], ev: Events, spam: np.ndarray
) -> pl.Series:
    """Signature tags, keywords and the partner brand inside; generic tags everywhere."""
    n = len(ev.actor)
    world = load_world()
    tag_arr = np.array([t for th in themes for t in th.hashtags])
    kw_arr = np.array([k for th in themes for k in th.keywords])
    brand_arr = np.array([th.brand for th in themes])
    slot = rng.integers(0, 3, n)
    topical = (ev.inside | (rng.random(n) < 0.15)) & ~ev.viral
    text_comm = np.where(topical, np.where(ev.inside, ev.home, ev.other), -1)
    has_tag = (text_comm >= 0) & (rng.random(n) < 0.55)
    has_kw = (text_comm >= 0) & (rng.random(n) < 0.6)
    has_brand = (text_comm >= 0) & (rng.random(n) < 0.18)
    safe = np.maximum(text_comm, 0)
    generic = np.array(world.generic_tags)[rng.integers(0, len(world.generic_tags), n)]
    phrases = np.array(world.phrases)
    loud = np.array(world.loud_tags)
    frame = pl.DataFrame(
        {
            "phrase": phrases[rng.integers(0, len(phrases), n)],
            "kw": np.where(has_kw, kw_arr[safe * 3 + slot], ""),
            "tag": np.where(has_tag, np.char.add("#", tag_arr[safe * 3 + (slot + 1) % 3]), ""),
            "brand": np.where(has_brand, np.char.add("@", brand_arr[safe]), ""),
            "generic": np.where(rng.random(n) < 0.35, np.char.add("#", generic), ""),
            "spam": np.where(spam, np.char.add("#", loud[ev.actor % len(loud)]), ""),
        }
    )
    return frame.select(
        pl.concat_str(["phrase", "kw", "tag", "brand", "generic", "spam"], separator=" ")
        .str.replace_all(r" +", " ")
        .str.strip_chars()
    )["phrase"]


def _draw_times(
    rng: np.random.Generator, themes: list[Theme], ev: Events, start: datetime, days: int
) -> pl.Series:
    """60 % of a community's events fall around its peak hour of the week."""
    n = len(ev.actor)
    peak_wd = np.array([th.peak_weekday for th in themes])
    peak_hr = np.array([th.peak_hour for th in themes])
    day = rng.integers(0, days, n)
    hour = rng.integers(0, 24, n).astype(float) + rng.random(n)
    at_peak = (ev.comm >= 0) & (rng.random(n) < 0.6)
    c0 = np.maximum(ev.comm, 0)
    # move the day to the nearest peak weekday in the window
    wd = (start.weekday() + day) % 7
    day = np.where(at_peak, np.clip(day + (peak_wd[c0] - wd), 0, days - 1), day)
    hour = np.where(at_peak, peak_hr[c0] + rng.random(n), hour)
    seconds = (day * 86400 + hour * 3600).astype(np.int64)
    return _utc(start, seconds)


def _draw_platforms(
    rng: np.random.Generator,
    themes: list[Theme],
    posts: Posts,
    ev: Events,
    target_kind: np.ndarray,
    post_idx: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """A post lives on one platform (60 % its community's home); so do its comments and likes.
    Other events: 60 % the actor's community's home platform. 10 % carry the city."""
    n = len(ev.actor)
    plats = np.array(load_world().platforms)
    home_plat = np.array([int(np.flatnonzero(plats == th.platform)[0]) for th in themes])
    n_posts = len(posts.comm)
    post_plat = np.where(
        rng.random(n_posts) < 0.6, home_plat[posts.comm], rng.integers(0, len(plats), n_posts)
    )
    c0 = np.maximum(ev.comm, 0)
    on_home = (ev.comm >= 0) & (rng.random(n) < 0.6)
    platform = np.where(on_home, plats[home_plat[c0]], plats[rng.integers(0, len(plats), n)])
    on_post = ~ev.viral & (target_kind == "post")
    platform = np.where(on_post, plats[post_plat[post_idx]], platform)
    platform = np.where(ev.viral, "instagram", platform)
    cities = np.array([th.city for th in themes])
    location = np.where((ev.comm >= 0) & (rng.random(n) < 0.1), cities[c0], "")
    return platform, location


def _utc(start: datetime, seconds: np.ndarray) -> pl.Series:
    return pl.Series(
        np.datetime64(start.replace(tzinfo=None)) + seconds.astype("timedelta64[s]")
    ).dt.replace_time_zone("UTC")


def _themes_frame(themes: list[Theme], sizes: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "community": np.arange(len(themes)),
            "name": [th.name for th in themes],
            "hashtags": [list(th.hashtags) for th in themes],
            "brand": [th.brand for th in themes],
            "keywords": [list(th.keywords) for th in themes],
            "platform": [th.platform for th in themes],
            "city": [th.city for th in themes],
            "peak_weekday": np.array([th.peak_weekday for th in themes]),
            "peak_hour": np.array([th.peak_hour for th in themes]),
            "size": sizes,
        }
    )


def _dms(
    rng: np.random.Generator,
    acc: Accounts,
    themes: list[Theme],
    start: datetime,
    days: int,
    n_offset: int,
) -> pl.DataFrame:
    """A few DMs to the brand: requests, complaints, praise (one in twenty members)."""
    world = load_world()
    who = np.flatnonzero((acc.community >= 0) & (rng.random(len(acc.handles)) < 0.05))
    tmpl = rng.integers(0, len(world.dm_templates), len(who))
    texts = [
        world.dm_templates[t].format(
            city=themes[acc.community[w]].city, kw=themes[acc.community[w]].keywords[0]
        )
        for t, w in zip(tmpl, who, strict=True)
    ]
    secs = rng.integers(0, days * 86400, len(who))
    return pl.DataFrame(
        {
            "event_id": [f"dm{n_offset + i}" for i in range(len(who))],
            "platform": "instagram",
            "kind": "dm",
            "actor": acc.handles[who],
            "target": world.brand,
            "target_kind": "account",
            "text": texts,
            "created_at": _utc(start, secs),
        }
    )


def _answers(rng: np.random.Generator, acc: Accounts, n_communities: int) -> pl.DataFrame:
    """Survey answers: a third of accounts answer; each community leans to one answer."""
    world = load_world()
    n_answers = len(world.survey_answers)
    who = np.flatnonzero(rng.random(len(acc.handles)) < 0.33)
    favourite = np.arange(max(n_communities, 1)) % n_answers
    c = acc.community[who]
    lean = (c >= 0) & (rng.random(len(who)) < 0.6)
    ans = np.where(lean, favourite[np.maximum(c, 0)], rng.integers(0, n_answers, len(who)))
    return pl.DataFrame(
        {
            "actor": acc.handles[who],
            "platform": "instagram",
            "question": world.survey_question,
            "answer": np.array(world.survey_answers)[ans],
        }
    )
