"""Coordinated link / hashtag bursts, giveaway tagging and loud accounts.

Coordinated link sharing (Giglietto, Righetti, Rossi & Marino 2020, *It takes a village to
manipulate the media*; the CooRnet method): accounts that share the same link within a very
short interval of each other, again and again. Here a *burst* is at least ``burst_accounts``
distinct accounts sharing one link (or one identical set of three or more hashtags) within
``burst_seconds``; an account is coordinated when it took part in bursts on at least
``burst_links`` different links — one burst alone is what a popular link looks like.
Reshares (retweets, boosts) are left out: they copy the original's link by design.
"""

from __future__ import annotations

import polars as pl

__all__ = ["burst_flags", "giveaway_flags", "loud_accounts"]

_URL = r"https?://[^\s<>\"')\]]+"
_MENTION = r"(?:^|[^\p{L}\p{N}_@/.])@[\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?"
# Kinds a person writes themselves (reshares and likes copy someone else's text or have none).
WRITTEN_KINDS = ("post", "comment", "reply", "dm", "mention", "tag")


def _link_keys(events: pl.DataFrame) -> pl.DataFrame:
    """One row per (event, shared link or hashtag set): ``event_id, actor, created_at, key``."""
    base = events.filter(
        pl.col("kind").is_in(["post", "comment", "reply"])
        & pl.col("text").is_not_null()
        & pl.col("created_at").is_not_null()
    ).select("event_id", "actor", "created_at", pl.col("text").str.to_lowercase().alias("t"))
    links = (
        base.with_columns(pl.col("t").str.extract_all(_URL).alias("key"))
        .explode("key")
        .filter(pl.col("key").is_not_null())
        .with_columns(
            pl.col("key")
            .str.replace(r"^https?://(www\.)?", "")
            .str.replace(r"[?#].*$", "")
            .str.strip_chars_end("/.,;:!?")
        )
    )
    tags = base.with_columns(
        pl.col("t").str.extract_all(r"#[\p{L}\p{N}_]+").list.unique().list.sort().alias("tags")
    ).filter(pl.col("tags").list.len() >= 3)
    tags = tags.with_columns(pl.col("tags").list.join(" ").alias("key")).drop("tags")
    return pl.concat([links.drop("t"), tags.drop("t")]).unique(subset=["event_id", "key"])


def burst_flags(
    events: pl.DataFrame,
    *,
    burst_accounts: int = 4,
    burst_seconds: int = 60,
    burst_links: int = 2,
) -> pl.DataFrame:
    """Events of coordinated accounts inside a burst: ``event_id, rule, reason``.

    Examples
    --------
    >>> from datetime import datetime, timedelta
    >>> t0 = datetime(2024, 1, 1)
    >>> rows = [(f"e{l}{a}", f"bot{a}", t0 + timedelta(hours=l, seconds=a), f"buy https://x.io/{l}")
    ...         for l in range(2) for a in range(4)]
    >>> ev = pl.DataFrame(rows, schema=["event_id", "actor", "created_at", "text"], orient="row")
    >>> ev = ev.with_columns(pl.lit("comment").alias("kind"))
    >>> burst_flags(ev).height
    8
    """
    keyed = _link_keys(events).sort(["key", "created_at", "event_id"])
    empty = pl.DataFrame(schema={"event_id": pl.String, "rule": pl.String, "reason": pl.String})
    if keyed.height == 0:
        return empty
    window = f"{burst_seconds}s"
    counts = (
        keyed.rolling(index_column="created_at", period=window, group_by="key")
        .agg(pl.col("actor").n_unique().alias("n"))
        .unique(subset=["key", "created_at"])  # rows at one instant share one window
    )
    keyed = keyed.join(counts, on=["key", "created_at"], how="left")
    ends = (
        keyed.filter(pl.col("n") >= burst_accounts)
        .select("key", pl.col("created_at").alias("end"), pl.col("n").alias("size"))
        .unique(subset=["key", "end"], keep="last")
        .sort(["key", "end"])
    )
    if ends.height == 0:
        return empty
    inside = (
        keyed.sort("created_at")
        .join_asof(
            ends.sort("end"),
            left_on="created_at",
            right_on="end",
            by="key",
            strategy="forward",
            check_sortedness=False,  # sorted by time; polars cannot check it within groups
        )
        .filter(
            pl.col("end").is_not_null()
            & ((pl.col("end") - pl.col("created_at")).dt.total_seconds() <= burst_seconds)
        )
    )
    per_actor = inside.group_by("actor").agg(pl.col("key").n_unique().alias("links"))
    coordinated = per_actor.filter(pl.col("links") >= burst_links)
    out = inside.join(coordinated, on="actor", how="semi").join(per_actor, on="actor")
    out = out.group_by("event_id").agg(
        pl.col("key").min(), pl.col("size").max(), pl.col("links").first()
    )
    return out.sort("event_id").select(
        "event_id",
        pl.lit("coordinated").alias("rule"),
        pl.format(
            "coordinated link sharing: {} accounts shared {} within {} s; this account did so "
            "with {} links",
            pl.col("size"),
            pl.col("key").str.slice(0, 80),
            pl.lit(burst_seconds),
            pl.col("links"),
        ).alias("reason"),
    )


def giveaway_flags(events: pl.DataFrame, *, min_tags: int = 2, max_words: int = 2) -> pl.DataFrame:
    """Comments that are mostly @tags (giveaway farms): ``event_id, rule, reason``.

    The run of @handles that opens a reply is reply syntax on X, Mastodon and Bluesky, so it
    is not counted.

    Examples
    --------
    >>> ev = pl.DataFrame({"event_id": ["a", "b", "c"], "kind": ["comment", "reply", "comment"],
    ...                    "text": ["@ann @bob @cy 🎁", "@ann @bob thanks so much for this", "@ann look"]})
    >>> giveaway_flags(ev)["event_id"].to_list()
    ['a']
    """
    base = events.filter(
        pl.col("kind").is_in(["comment", "reply", "post", "mention", "tag"])
        & pl.col("text").is_not_null()
    ).select("event_id", "kind", pl.col("text").str.to_lowercase().alias("t"))
    body = (
        pl.when(pl.col("kind") == "reply")
        .then(pl.col("t").str.replace(r"^(?:\s*@[\p{L}\p{N}_.]+)+", ""))
        .otherwise(pl.col("t"))
    )
    base = base.with_columns(body.alias("t"))
    tags = pl.col("t").str.count_matches(_MENTION)
    words = (
        pl.col("t")
        .str.replace_all(r"@[\p{L}\p{N}_.]+|https?://\S+", " ")
        .str.extract_all(r"\p{L}[\p{L}\p{N}]+")
        .list.len()
    )
    hit = base.with_columns(tags.alias("tags"), words.alias("words")).filter(
        (pl.col("tags") >= min_tags) & (pl.col("words") <= max_words)
    )
    return hit.select(
        "event_id",
        pl.lit("giveaway").alias("rule"),
        pl.format("giveaway tagging: {} @tags and little else", pl.col("tags")).alias("reason"),
    )


def loud_accounts(
    events: pl.DataFrame, *, per_hour: int = 50, repeats: int = 10, common: int = 20
) -> pl.DataFrame:
    """Accounts that flood: ``actor, rule, reason``.

    Loud is either at least ``per_hour`` written messages within one hour, or the same message
    (ignoring case, links, @tags, numbers and punctuation) posted at least ``repeats`` times — unless
    ``common`` or more accounts write that message too (the audience's idiom, "love this").

    Examples
    --------
    >>> from datetime import datetime, timedelta
    >>> t0 = datetime(2024, 1, 1)
    >>> ev = pl.DataFrame({"actor": ["x"] * 12 + ["y"], "kind": "comment",
    ...     "text": ["same thing again"] * 12 + ["hello"],
    ...     "created_at": [t0 + timedelta(days=i) for i in range(13)]})
    >>> loud_accounts(ev).rows()
    [('x', 'loud', 'loud account: posted the same message 12 times')]
    """
    written = events.filter(
        pl.col("kind").is_in(list(WRITTEN_KINDS)) & pl.col("text").is_not_null()
    ).select("actor", "created_at", "text")
    empty = pl.DataFrame(schema={"actor": pl.String, "rule": pl.String, "reason": pl.String})
    if written.height == 0:
        return empty
    rate = (
        written.filter(pl.col("created_at").is_not_null())
        .sort(["actor", "created_at"])
        .rolling(index_column="created_at", period="1h", group_by="actor")
        .agg(pl.len().alias("n"))
        .group_by("actor")
        .agg(pl.col("n").max().alias("peak"))
        .filter(pl.col("peak") >= per_hour)
        .select(
            "actor",
            pl.format("loud account: {} messages within one hour", pl.col("peak")).alias("reason"),
        )
    )
    same = (
        written.with_columns(
            pl.col("text")
            .str.to_lowercase()
            .str.replace_all(r"https?://\S+|@[\p{L}\p{N}_.]+|[^\p{L}]+", "")
            .alias("k")
        )
        .filter(pl.col("k").str.len_chars() > 0)
        # A phrase many accounts write ("love this", an emoji) is the audience's idiom, not a
        # copy-paste: a fan who writes it on every post is not flooding (copy-paste shared by
        # several accounts is the ring rule's job).
        .filter(pl.col("actor").n_unique().over("k") < common)
        .group_by(["actor", "k"])
        .agg(pl.len().alias("n"))
        .group_by("actor")
        .agg(pl.col("n").max().alias("copies"))
        .filter(pl.col("copies") >= repeats)
        .select(
            "actor",
            pl.format("loud account: posted the same message {} times", pl.col("copies")).alias(
                "reason"
            ),
        )
    )
    out = pl.concat([rate, same]).unique(subset="actor", keep="first", maintain_order=True)
    return out.sort("actor").select("actor", pl.lit("loud").alias("rule"), "reason")
