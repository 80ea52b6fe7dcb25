"""Canonical table schemas: column names, dtypes and the allowed values of enum columns.

Every stage reads and writes these tables; readers map their formats onto ``EVENTS``.
"""

from __future__ import annotations

import polars as pl

SCHEMA_VERSION = 1

UTC_DATETIME = pl.Datetime("us", "UTC")

# One row per engagement event.
EVENTS: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "platform": pl.String(),
    "kind": pl.String(),
    "actor": pl.String(),
    "actor_name": pl.String(),
    "target": pl.String(),
    "target_kind": pl.String(),
    "parent": pl.String(),
    "text": pl.String(),
    "created_at": UTC_DATETIME,
    "location": pl.String(),
    "source": pl.String(),
}
REQUIRED_EVENT_COLUMNS = ("platform", "kind", "actor", "target", "text", "created_at")
OPTIONAL_EVENT_COLUMNS = ("event_id", "actor_name", "target_kind", "parent", "location")

# One row per thing extracted from an event's text.
ENTITIES: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "actor": pl.String(),
    "type": pl.String(),
    "value": pl.String(),
}
ENTITY_TYPES = ("hashtag", "mention", "domain", "emoji", "keyword")

# One row per account seen (latest known profile fields).
ACCOUNTS: dict[str, pl.DataType] = {
    "actor": pl.String(),
    "platform": pl.String(),
    "name": pl.String(),
    "bio": pl.String(),
    "followers": pl.Int64(),
    "verified": pl.Boolean(),
}

# One row per account × hierarchy level of a detection run.
COMMUNITIES: dict[str, pl.DataType] = {
    "actor": pl.String(),
    "community": pl.Int64(),
    "level": pl.Int32(),
    "method": pl.String(),
    "strength": pl.Float64(),
    "centrality": pl.Float64(),
    # Share of the stability runs that put the member with its community's core (level 0).
    "confidence": pl.Float64(),
}

# The co-engagement graph of a detection run (one row per undirected edge).
EDGES: dict[str, pl.DataType] = {
    "source": pl.String(),
    "target": pl.String(),
    "weight": pl.Float64(),
}

# Survey / poll answers joined to the people who gave them (issue: profiles).
ANSWERS: dict[str, pl.DataType] = {
    "actor": pl.String(),
    "platform": pl.String(),
    "question": pl.String(),
    "answer": pl.String(),
    "source": pl.String(),
}

# Polls with their vote counts, one row per option (issue 3). X, Discord and Mastodon give
# counts only, never voters: polls are community-level attributes, never graph edges.
# ``context`` is where the poll lives, in the form ``events.target`` takes for engagements
# with it (the tweet id on X, the channel id on Discord, the status URI on Mastodon).
POLLS: dict[str, pl.DataType] = {
    "poll_id": pl.String(),
    "platform": pl.String(),
    "context": pl.String(),
    "author": pl.String(),
    "question": pl.String(),
    "option": pl.String(),
    "votes": pl.Int64(),
    "created_at": UTC_DATETIME,
    "source": pl.String(),
}

# Events the filter set aside at detect time, with the reason (issue 8). ``rule`` is the
# family (promo.*, ring, giveaway, coordinated, loud, account); ``scope`` says whether the event
# itself was flagged or its account was; ``account_reason`` is set on every row of an account
# flagged whole (loud, or mostly spam), whatever the row's own scope.
FILTERED: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "actor": pl.String(),
    "platform": pl.String(),
    "kind": pl.String(),
    "rule": pl.String(),
    "reason": pl.String(),
    "scope": pl.String(),
    "account_reason": pl.String(),
    "text": pl.String(),
}

EVENT_KINDS = (
    "post",
    "comment",
    "reply",
    "mention",
    "tag",
    "follow",
    "like",
    "share",
    "dm",
    "poll_answer",
)

# Words other tools use for the same kinds.
KIND_SYNONYMS = {
    "retweet": "share",
    "repost": "share",
    "reblog": "share",
    "boost": "share",
    "announce": "share",
    "quote": "share",
    "favourite": "like",
    "favorite": "like",
    "reaction": "like",
    "message": "dm",
    "direct_message": "dm",
    "tweet": "post",
    "status": "post",
    "submission": "post",
    "toot": "post",
    "answer": "poll_answer",
    "vote": "poll_answer",
    "following": "follow",
    "follower": "follow",
}

PLATFORMS = (
    "x",
    "instagram",
    "reddit",
    "youtube",
    "discord",
    "facebook",
    "tiktok",
    "mastodon",
    "bluesky",
    "other",
)
PLATFORM_SYNONYMS = {
    "twitter": "x",
    "ig": "instagram",
    "fb": "facebook",
    "yt": "youtube",
    "bsky": "bluesky",
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """An empty frame with the given schema."""
    return pl.DataFrame(schema=schema)


def conform(df: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Select and cast ``df`` to ``schema``, adding absent columns as nulls, in schema order."""
    cols = []
    for name, dtype in schema.items():
        if name in df.columns:
            cols.append(pl.col(name).cast(dtype))
        else:
            cols.append(pl.lit(None, dtype=dtype).alias(name))
    return df.select(cols)


def require_columns(df: pl.DataFrame, columns: tuple[str, ...] | list[str], *, where: str) -> None:
    """Raise SchemaError naming the first of ``columns`` missing from ``df``."""
    from microcomm.errors import SchemaError

    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{where}: missing required column(s) {', '.join(missing)}",
            hint="add them, or map your columns onto them with --mapping FILE.yaml",
        )
