"""A sparse planted audience, as real ones are: for measuring community detection.

Real audiences are sparse: most accounts engage a handful of times, a few engage hundreds of
times, part of everyone's engagement lands outside their own niche, and a few viral posts draw
thousands of people from everywhere. This generator plants communities under exactly those
conditions and returns who belongs where, so detection can be scored (NMI/ARI) on the
conditions that matter — the dense Kestrel example (4+ events each, strong text signals)
flatters any method.

- **Activity**: per account, ``min_events + floor(activity_scale · L)`` events with ``L`` a Lomax
  (Pareto II) draw of shape ``activity_alpha``, capped at ``max_events``. The defaults give a
  median of 4 events, a mean of about 7.5 and a heavy tail (issue 12: "3+ events, median 4").
- **Communities**: sizes from a power law of exponent ``size_exponent`` truncated to
  ``size_range`` (20–300 members by default), filling ``n_accounts`` exactly.
- **Contexts**: each community has ``size // 4`` posts (at least 3; Zipf-like popularity) on its
  home platform and three hashtags. Comments, likes and replies target a post; posts (kind
  ``post``) tag the brand and carry one or two of the community's hashtags.
- **Mixing**: each event independently goes outside the actor's community with probability
  ``mixing`` — then to one of the ``n_viral`` brand posts with probability ``viral_share``,
  otherwise to a post or hashtag of another community drawn uniformly.

Everything is drawn with numpy from one seed; strings are built by polars — no per-event Python
loop (1 M events take about 2 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import polars as pl

from microcomm.synth.themes import load_world

PLATFORMS = ("instagram", "x", "reddit", "youtube", "tiktok")
TAGS_PER_COMMUNITY = 3
# kinds of the events that engage with a post, and their shares (posts carry tags instead)
POST_KINDS = ("comment", "like", "reply", "share")
POST_KIND_P = (0.55, 0.25, 0.12, 0.08)


@dataclass(frozen=True)
class SparseAudience:
    """Events of a sparse planted audience and its ground truth.

    Attributes
    ----------
    events
        Canonical events (``event_id, platform, kind, actor, target, target_kind, text,
        created_at``), ready to write as Parquet/CSV/JSONL and ingest.
    truth
        ``actor, community``: the planted community of every account (all accounts belong to
        one; numbers 0..k-1, largest community first).
    contexts
        ``context, community``: each post id (``events.target``) and hashtag (``#tag``) with the
        community it belongs to (-1 for the viral brand posts) — what an oracle would know.
    """

    events: pl.DataFrame
    truth: pl.DataFrame
    contexts: pl.DataFrame


def sparse_audience(
    n_accounts: int | None = 3_000,
    *,
    n_events: int | None = None,
    mixing: float = 0.3,
    size_range: tuple[int, int] = (20, 300),
    size_exponent: float = 2.0,
    min_events: int = 3,
    activity_alpha: float = 1.5,
    activity_scale: float = 2.5,
    max_events: int = 1_000,
    n_viral: int = 5,
    viral_share: float = 0.25,
    tag_share: float = 0.15,
    seed: int = 0,
    start: datetime = datetime(2026, 9, 1, tzinfo=UTC),
    days: int = 61,
) -> SparseAudience:
    """Draw a sparse audience of ``n_accounts`` accounts (or about ``n_events`` events).

    Parameters
    ----------
    n_accounts
        Number of accounts; ignored when ``n_events`` is given.
    n_events
        Aim for about this many events instead: ``n_accounts`` is set from the expected
        activity (1 M events ≈ 133 k accounts and ~2,300 communities with the defaults).
    mixing
        Probability that an event goes outside the actor's community.
    size_range, size_exponent
        Community sizes: a power law ``p(s) ∝ s^-size_exponent`` on ``size_range``.
    min_events, activity_alpha, activity_scale, max_events
        Events per account: ``min_events + floor(activity_scale · Lomax(activity_alpha))``,
        at most ``max_events``. ``min_events=1`` gives the harshest, most realistic audience.
    n_viral, viral_share
        The brand's viral posts, and the share of outside events that land on them.
    tag_share
        Share of events that are posts carrying hashtags (the rest engage with a post).
    seed
        Seeds every draw: the same arguments give identical frames.

    Returns
    -------
    SparseAudience

    Raises
    ------
    ValueError
        When the arguments cannot make an audience (fewer accounts than the smallest
        community, probabilities outside [0, 1], an empty size range).

    Examples
    --------
    >>> aud = sparse_audience(2_000, seed=1)
    >>> aud.truth.height, aud.truth["community"].n_unique() > 5
    (2000, True)
    >>> per = aud.events.group_by("actor").len()["len"]
    >>> int(per.min()), 3 <= per.median() <= 4
    (3, True)
    """
    lo, hi = size_range
    if n_events is not None:
        mean = _mean_activity(min_events, activity_alpha, activity_scale, max_events)
        n_accounts = max(round(n_events / mean), lo)
    n = _check(n_accounts, lo, hi, mixing, viral_share, tag_share, min_events, max_events)
    rng = np.random.default_rng(seed)
    sizes = _community_sizes(rng, n, lo, hi, size_exponent)
    community = np.repeat(np.arange(len(sizes)), sizes)[rng.permutation(n)]
    scale_draws = activity_scale * rng.pareto(activity_alpha, n)
    per = np.minimum(min_events + np.floor(scale_draws), max_events).astype(np.int64)
    actor = np.repeat(np.arange(n), per)
    ctx_comm, viral = _contexts(rng, community[actor], len(sizes), mixing, viral_share)
    n_posts = np.maximum(sizes // 4, 3)
    home = rng.integers(0, len(PLATFORMS), len(sizes))
    events = _events(rng, actor, ctx_comm, viral, n_posts, home, tag_share, n_viral, start, days)
    return SparseAudience(
        events=events,
        truth=pl.DataFrame({"actor": _handles(n), "community": community.astype(np.int64)}),
        contexts=_context_truth(n_posts, n_viral),
    )


def _check(
    n_accounts: int | None,
    lo: int,
    hi: int,
    mixing: float,
    viral_share: float,
    tag_share: float,
    min_events: int,
    max_events: int,
) -> int:
    """``n_accounts`` when the arguments can make an audience, else a ValueError naming why."""
    if n_accounts is None:
        raise ValueError("give n_accounts or n_events")
    if not 1 <= lo <= hi:
        raise ValueError(f"size_range must be 1 <= low <= high, got {(lo, hi)}")
    if n_accounts < lo:
        raise ValueError(f"n_accounts={n_accounts} is below the smallest community size {lo}")
    for name, p in (("mixing", mixing), ("viral_share", viral_share), ("tag_share", tag_share)):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{name} must be within [0, 1], got {p}")
    if not 1 <= min_events <= max_events:
        raise ValueError(f"need 1 <= min_events <= max_events, got {min_events}, {max_events}")
    return n_accounts


def _mean_activity(min_events: int, alpha: float, scale: float, max_events: int) -> float:
    """Expected events per account: min + Σ_j P(floor(scale·L) ≥ j) = Σ_j (1 + j/scale)^-alpha."""
    j = np.arange(1, max_events - min_events + 1, dtype=float)
    return float(min_events + np.sum((1.0 + j / scale) ** -alpha))


def _community_sizes(
    rng: np.random.Generator, n_accounts: int, lo: int, hi: int, exponent: float
) -> np.ndarray:
    """Power-law sizes on [lo, hi] (inverse CDF) that add up to exactly ``n_accounts``."""
    if n_accounts <= hi:
        return np.array([n_accounts])
    u = rng.random(n_accounts // lo + 1)
    if exponent == 1.0:
        draws = lo * (hi / lo) ** u
    else:
        a, b = lo ** (1 - exponent), hi ** (1 - exponent)
        draws = (a + u * (b - a)) ** (1 / (1 - exponent))
    sizes = np.floor(draws).astype(np.int64)
    k = int(np.searchsorted(np.cumsum(sizes), n_accounts))  # first k+1 sizes reach n_accounts
    sizes = sizes[: k + 1]
    sizes[-1] -= int(sizes.sum()) - n_accounts
    if sizes[-1] < lo:  # too small to stand alone: spread over the others, one each
        rest, sizes = int(sizes[-1]), sizes[:-1]
        room = np.flatnonzero(sizes < hi)[:rest]
        sizes[room] += 1
        sizes[-1] += rest - len(room)  # only when every community is full (never in practice)
    return np.sort(sizes)[::-1]  # community 0 is the largest


def _contexts(
    rng: np.random.Generator, comm: np.ndarray, k: int, mixing: float, viral_share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Community each event engages with (its actor's, or another one), and the viral ones."""
    n = len(comm)
    outside = rng.random(n) < mixing
    viral = outside & (rng.random(n) < viral_share)
    shift = rng.integers(1, max(k, 2), n)  # another community, uniform over the k - 1 others
    ctx = np.where(outside & (k > 1), (comm + shift) % max(k, 1), comm)
    return ctx, viral


def _events(
    rng: np.random.Generator,
    actor: np.ndarray,
    ctx: np.ndarray,
    viral: np.ndarray,
    n_posts: np.ndarray,
    home: np.ndarray,
    tag_share: float,
    n_viral: int,
    start: datetime,
    days: int,
) -> pl.DataFrame:
    """The event rows: kind, target (post, viral post or the brand), tags, platform, time."""
    n = len(actor)
    brand = load_world().brand
    offsets = np.concatenate([[0], np.cumsum(n_posts)])
    pick = np.minimum((rng.pareto(1.2, n) * n_posts[ctx] / 6).astype(np.int64), n_posts[ctx] - 1)
    post = offsets[ctx] + pick
    is_tag = ~viral & (rng.random(n) < tag_share)
    viral = viral & (n_viral > 0)
    viral_post = rng.integers(0, max(n_viral, 1), n)
    kind_idx = rng.choice(len(POST_KINDS), n, p=POST_KIND_P)
    tag1 = rng.integers(0, TAGS_PER_COMMUNITY, n)
    two = rng.random(n) < 0.4
    tag2 = (tag1 + rng.integers(1, TAGS_PER_COMMUNITY, n)) % TAGS_PER_COMMUNITY
    frame = pl.DataFrame(
        {
            "i": np.arange(n),
            "a": actor,
            "c": ctx,
            "post": post,
            "vp": viral_post,
            "k": kind_idx,
            "viral": viral,
            "is_tag": is_tag,
            "two": two,
            "t1": tag1,
            "t2": tag2,
            "s": rng.integers(0, days * 86_400, n),
        }
    )
    tag1_text = pl.format("#c{}t{}", "c", "t1")
    return frame.select(
        event_id=pl.format("e{}", "i"),
        platform=pl.when("viral")
        .then(pl.lit("instagram"))
        .otherwise(pl.col("c").replace_strict(np.arange(len(home)), np.array(PLATFORMS)[home])),
        kind=pl.when("is_tag")
        .then(pl.lit("post"))
        .otherwise(pl.col("k").replace_strict(np.arange(len(POST_KINDS)), POST_KINDS)),
        actor=pl.format("u{}", "a"),
        target=pl.when("viral")
        .then(pl.format("viral{}", "vp"))
        .when("is_tag")
        .then(pl.lit(brand))
        .otherwise(pl.format("p{}", "post")),
        target_kind=pl.when("is_tag").then(pl.lit("account")).otherwise(pl.lit("post")),
        text=pl.when("is_tag")
        .then(
            pl.when("two")
            .then(pl.concat_str([tag1_text, pl.format("#c{}t{}", "c", "t2")], separator=" "))
            .otherwise(tag1_text)
        )
        .when(pl.col("k") == POST_KINDS.index("like"))  # likes have no text
        .then(None)
        .otherwise(pl.lit("love this")),
        created_at=pl.lit(start) + pl.duration(seconds="s"),
    )


def _handles(n_accounts: int) -> pl.Series:
    return pl.select(pl.format("u{}", pl.int_range(n_accounts))).to_series()


def _context_truth(n_posts: np.ndarray, n_viral: int) -> pl.DataFrame:
    k = len(n_posts)
    posts = pl.DataFrame(
        {"i": np.arange(int(n_posts.sum())), "community": np.repeat(np.arange(k), n_posts)}
    ).select(context=pl.format("p{}", "i"), community="community")
    tags = pl.DataFrame(
        {"c": np.repeat(np.arange(k), TAGS_PER_COMMUNITY), "t": np.tile(np.arange(3), k)}
    ).select(context=pl.format("#c{}t{}", "c", "t"), community="c")
    viral = pl.DataFrame({"context": [f"viral{i}" for i in range(n_viral)], "community": -1})
    return pl.concat([posts, tags, viral], how="vertical_relaxed").with_columns(
        pl.col("community").cast(pl.Int64)
    )
