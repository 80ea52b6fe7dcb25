"""Tweets to several brands: a few large planted groups of very sparse accounts.

A held-back kind of real audience microcomm is judged on (issue 12): every account tweets at a
brand, the brand is the label, there are a handful of large groups, and most accounts tweet
once or twice. Nothing else ties them — no posts of their own, no shared threads except the
replies — so this is the hardest case for a method that expects small dense communities (the
size rule alone cut six such brands into 74–133 pieces).

- **Activity**: per account, ``1 + floor(activity_scale · L)`` tweets with ``L`` a Lomax
  (Pareto II) draw of shape ``activity_alpha``, at most ``max_tweets``: with the defaults 60 %
  of the accounts tweet once, 77 % at most twice, the mean is 2.6 (3.4 events with replies).
- **Brands**: group ``i`` has ``sizes[i]`` accounts; its handle is ``brand{i}``.
- **Tweets** (kind ``mention``, target ``brand{i}``, text ``@brand{i} …``): at the account's
  own brand with probability ``1 − mixing``, else at another brand drawn uniformly (with one
  brand, always at it). A share
  ``tagged_share`` carries one of the brand's ``tags_per_brand`` hashtags ``#b{i}t{j}``
  (``j = min(floor(Lomax(1)), tags−1)``: half of them the first tag, a few popular, a tail),
  a share ``giveaway_share`` the ``#giveaway`` every brand uses.
- **Replies** (kind ``reply``, target a tweet id, text ``agree``): a share ``reply_share`` of
  the tweets also draw a reply by the same account to a tweet about the same brand, drawn
  uniformly among all of them (a per-brand offset into the tweets sorted by brand).

Everything is drawn with numpy from one seed and assembled with polars: no per-event Python
loop. The draws are those of the generator the brand test used before this module (same seed,
same rows), with the reply draw vectorised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import polars as pl

DEFAULT_SIZES = (1200, 1000, 700, 500, 350, 250)


@dataclass(frozen=True)
class BrandAudience:
    """Events of tweets to several brands and the ground truth (the brand of each account).

    Attributes
    ----------
    events
        Canonical events (``event_id, platform, kind, actor, target, target_kind, text,
        created_at``): the tweets (``t{i}``, kind ``mention``) and the replies (``r{i}``).
    truth
        ``actor, community``: each account's own brand (``community`` ``i`` is ``brand{i}``,
        of ``sizes[i]`` accounts).
    contexts
        ``context, community``: each brand handle, brand hashtag (``#b{i}t{j}``) and tweet id
        with its brand, and ``#giveaway`` with -1 (every brand's) — what an oracle would know.
    """

    events: pl.DataFrame
    truth: pl.DataFrame
    contexts: pl.DataFrame


def brand_audience(
    sizes: Sequence[int] = DEFAULT_SIZES,
    *,
    mixing: float = 0.25,
    seed: int = 0,
    tags_per_brand: int = 8,
    tagged_share: float = 0.5,
    giveaway_share: float = 0.2,
    reply_share: float = 0.3,
    activity_alpha: float = 1.5,
    activity_scale: float = 1.2,
    max_tweets: int = 50,
    start: datetime = datetime(2026, 9, 1, tzinfo=UTC),
    days: int = 30,
) -> BrandAudience:
    """Draw an audience of accounts tweeting at ``len(sizes)`` brands.

    Parameters
    ----------
    sizes
        Accounts of each brand (brand ``i`` has ``sizes[i]``); the default is six brands,
        4,000 accounts.
    mixing
        Probability that a tweet goes to another brand than the account's own.
    seed
        Seeds every draw: the same arguments give identical frames.
    tags_per_brand, tagged_share
        Each brand's hashtags, and the share of tweets carrying one (Lomax-popular).
    giveaway_share
        Share of tweets carrying ``#giveaway``, shared by every brand.
    reply_share
        Share of tweets that also draw a reply (same account) to a tweet about the same brand.
    activity_alpha, activity_scale, max_tweets
        Tweets per account: ``1 + floor(activity_scale · Lomax(activity_alpha))``, at most
        ``max_tweets``.
    start, days
        The tweets are spread uniformly over ``days`` days from ``start``.

    Returns
    -------
    BrandAudience

    Raises
    ------
    ValueError
        When the arguments cannot make an audience (no brand, a brand without accounts, a
        share outside [0, 1], no tags, a non-positive activity shape).

    Examples
    --------
    >>> aud = brand_audience((300, 200), seed=1)
    >>> aud.truth.height, aud.truth["community"].n_unique()
    (500, 2)
    >>> per = aud.events.filter(pl.col("kind") == "mention").group_by("actor").len()["len"]
    >>> int(per.min()), per.median()
    (1, 1.0)
    """
    counts = _check(sizes, mixing, tags_per_brand, tagged_share, giveaway_share, reply_share,
                    activity_alpha, activity_scale, max_tweets, days)  # fmt: skip
    rng = np.random.default_rng(seed)
    n, k = int(counts.sum()), len(counts)
    brand = np.repeat(np.arange(k), counts)[rng.permutation(n)]
    per = np.minimum(1 + np.floor(activity_scale * rng.pareto(activity_alpha, n)), max_tweets)
    actor = np.repeat(np.arange(n), per.astype(np.int64))
    frame = _tweets(rng, actor, brand[actor], k, mixing, tags_per_brand, tagged_share,
                    giveaway_share, days)  # fmt: skip
    to = frame["to"].to_numpy()
    replies = _replies(rng, frame, to, k, reply_share)
    truth = pl.DataFrame({"i": np.arange(n), "community": brand.astype(np.int64)}).select(
        actor=pl.format("u{}", "i"), community="community"
    )
    return BrandAudience(
        events=_to_events(frame, replies, start),
        truth=truth,
        contexts=_context_truth(to, k, tags_per_brand),
    )


def _tweets(
    rng: np.random.Generator,
    actor: np.ndarray,
    own: np.ndarray,
    k: int,
    mixing: float,
    tags: int,
    tagged_share: float,
    giveaway_share: float,
    days: int,
) -> pl.DataFrame:
    """One row per tweet: id ``i``, account ``a``, brand ``to``, hashtag, giveaway, second."""
    m = len(actor)
    away = rng.random(m) < mixing
    shift = rng.integers(1, max(k, 2), m)  # another brand, uniform over the k - 1 others
    to = np.where(away, (own + shift) % k, own)
    tag = np.minimum(rng.pareto(1.0, m).astype(np.int64), tags - 1)
    return pl.DataFrame(
        {
            "i": np.arange(m),
            "a": actor,
            "to": to,
            "tag": tag,
            "tagged": rng.random(m) < tagged_share,
            "give": rng.random(m) < giveaway_share,
            "s": rng.integers(0, days * 86_400, m),
        }
    )


def _to_events(frame: pl.DataFrame, replies: pl.DataFrame, start: datetime) -> pl.DataFrame:
    """Canonical events: the tweets (``t{i}``, mentions of the brand) then the replies."""
    at = pl.lit(start) + pl.duration(seconds="s")
    tweets = frame.select(
        event_id=pl.format("t{}", "i"),
        platform=pl.lit("x"),
        kind=pl.lit("mention"),
        actor=pl.format("u{}", "a"),
        target=pl.format("brand{}", "to"),
        target_kind=pl.lit("account"),
        text=pl.concat_str(
            [
                pl.format("@brand{}", "to"),
                pl.when("tagged").then(pl.format("#b{}t{}", "to", "tag")),
                pl.when("give").then(pl.lit("#giveaway")),
            ],
            separator=" ",
            ignore_nulls=True,
        ),
        created_at=at,
    )
    replies = replies.select(
        event_id=pl.format("r{}", "i"),
        platform=pl.lit("x"),
        kind=pl.lit("reply"),
        actor=pl.format("u{}", "a"),
        target=pl.format("t{}", "j"),
        target_kind=pl.lit("post"),
        text=pl.lit("agree"),
        created_at=at,
    )
    return pl.concat([tweets, replies])


def _check(
    sizes: Sequence[int],
    mixing: float,
    tags_per_brand: int,
    tagged_share: float,
    giveaway_share: float,
    reply_share: float,
    activity_alpha: float,
    activity_scale: float,
    max_tweets: int,
    days: int,
) -> np.ndarray:
    """The brand sizes as an array when the arguments can make an audience, else a ValueError."""
    counts = np.asarray(list(sizes), dtype=np.int64)
    if len(counts) == 0:
        raise ValueError("sizes must name at least one brand, got ()")
    if counts.min() < 1:
        raise ValueError(f"every brand needs at least one account, got sizes={tuple(sizes)}")
    shares = (("mixing", mixing), ("tagged_share", tagged_share),
              ("giveaway_share", giveaway_share), ("reply_share", reply_share))  # fmt: skip
    for name, p in shares:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{name} must be within [0, 1], got {p}")
    if tags_per_brand < 1:
        raise ValueError(f"tags_per_brand must be at least 1, got {tags_per_brand}")
    if not activity_alpha > 0:
        raise ValueError(f"activity_alpha must be positive, got {activity_alpha}")
    if not activity_scale >= 0:
        raise ValueError(f"activity_scale must be 0 or more, got {activity_scale}")
    if max_tweets < 1:
        raise ValueError(f"max_tweets must be at least 1, got {max_tweets}")
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    return counts


def _replies(
    rng: np.random.Generator, frame: pl.DataFrame, to: np.ndarray, k: int, share: float
) -> pl.DataFrame:
    """The tweets that draw a reply, each with ``j``: a tweet about the same brand, uniform.

    The tweets sorted by brand (then id) put brand ``b``'s at ``order[start[b]:start[b+1]]``;
    a uniform ``u`` picks ``order[start[b] + floor(u · count[b])]`` for every reply at once.
    """
    src = np.flatnonzero(rng.random(len(to)) < share)
    u = rng.random(len(src))
    order = np.argsort(to, kind="stable")
    count = np.bincount(to, minlength=k)
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    b = to[src]
    j = order[first[b] + (u * count[b]).astype(np.int64)]
    return frame[src].select("i", "a", "s").with_columns(j=pl.Series(j, dtype=pl.Int64))


def _context_truth(to: np.ndarray, k: int, tags: int) -> pl.DataFrame:
    """Each brand handle, brand hashtag and tweet with its brand; ``#giveaway`` with -1."""
    handles = pl.DataFrame({"c": np.arange(k)}).select(
        context=pl.format("brand{}", "c"), community="c"
    )
    hashtags = pl.DataFrame(
        {"c": np.repeat(np.arange(k), tags), "t": np.tile(np.arange(tags), k)}
    ).select(context=pl.format("#b{}t{}", "c", "t"), community="c")
    tweets = pl.DataFrame({"i": np.arange(len(to)), "c": to}).select(
        context=pl.format("t{}", "i"), community="c"
    )
    giveaway = pl.DataFrame({"context": ["#giveaway"], "community": [-1]})
    return pl.concat([handles, hashtags, tweets, giveaway], how="vertical_relaxed").with_columns(
        pl.col("community").cast(pl.Int64)
    )
