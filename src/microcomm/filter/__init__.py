"""Filter stage: spam and junk set aside between the store and the graph, with an audit.

``events → flag_events → filtered`` (one row per set-aside event, with its reason). Per event:
promotional / link spam (:mod:`.promo`), copy-paste rings (:mod:`.rings`), giveaway tagging
and coordinated link bursts (:mod:`.coordination`). Per account: loud accounts, and accounts
at least ``account_share`` of whose messages were flagged — all their events go, likes and
follows included, so a spam account ties no one. The brand's own accounts are never flagged.

Runs at detect time, over the whole store: rings and bursts only show across files and
ingests, and changing the config (or ``--keep-spam``) must not need a re-ingest. The result is
written with the detection run, in the same transaction (:meth:`Store.filtered`).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from microcomm.config import FilterConfig
from microcomm.filter.coordination import WRITTEN_KINDS, burst_flags, giveaway_flags, loud_accounts
from microcomm.filter.promo import promo_flags
from microcomm.filter.rings import near_duplicate_groups
from microcomm.schema import FILTERED, UTC_DATETIME, conform

__all__ = [
    "FILTER_COLUMNS",
    "RULE_LABELS",
    "drop_filtered",
    "flag_events",
    "flagged_accounts",
    "without_filtered",
]

# The columns flag_events needs from the events table.
FILTER_COLUMNS = ["event_id", "platform", "kind", "actor", "text", "created_at"]

# Rule family → what a person calls it (report sections, export, explain).
RULE_LABELS = {
    "promo": "promotional or link spam",
    "ring": "copy-paste ring",
    "giveaway": "giveaway tagging",
    "coordinated": "coordinated link sharing",
    "loud": "loud account",
    "account": "spam account",
}
_PRIORITY = ("promo", "ring", "giveaway", "coordinated")


def ring_flags(
    events: pl.DataFrame, *, min_accounts: int = 5, min_words: int = 6, similarity: float = 0.6
) -> pl.DataFrame:
    """Messages in copy-paste rings: ``event_id, rule, reason``."""
    written = events.filter(
        pl.col("kind").is_in(["post", "comment", "reply"])  # DMs: a shared template is voice
        & pl.col("text").is_not_null()
        & ~pl.col("text").str.starts_with("RT @")
    ).select("event_id", "actor", "text")
    if written.height == 0:
        return pl.DataFrame(schema={"event_id": pl.String, "rule": pl.String, "reason": pl.String})
    groups = near_duplicate_groups(written["text"], min_words=min_words, similarity=similarity)
    grouped = written.with_columns(groups.alias("g")).filter(pl.col("g").is_not_null())
    sizes = grouped.group_by("g").agg(pl.col("actor").n_unique().alias("accounts"))
    rings = grouped.join(sizes.filter(pl.col("accounts") >= min_accounts), on="g")
    return rings.sort("event_id").select(
        "event_id",
        pl.lit("ring").alias("rule"),
        pl.format(
            "copy-paste ring: near-identical text posted by {} accounts", pl.col("accounts")
        ).alias("reason"),
    )


def flag_events(
    events: pl.DataFrame, *, config: FilterConfig | None = None, exempt: Iterable[str] = ()
) -> pl.DataFrame:
    """The events to set aside, each with a reason (``schema.FILTERED``), sorted by event id.

    Parameters
    ----------
    events
        At least :data:`FILTER_COLUMNS`.
    config
        Thresholds; ``keep_spam`` returns an empty table.
    exempt
        Accounts never flagged (the brand's own).

    Examples
    --------
    >>> ev = pl.DataFrame({"event_id": ["1", "2", "3"], "platform": "youtube", "actor": ["a", "b", "b"],
    ...     "kind": ["comment", "comment", "like"], "created_at": None,
    ...     "text": ["Subscribe to my channel plz!!", "great trail run today", None]})
    >>> flag_events(ev).select("event_id", "rule", "scope").rows()
    [('1', 'promo.subscribe', 'event')]
    """
    config = config or FilterConfig()
    if config.keep_spam or events.height == 0:
        return pl.DataFrame(schema=FILTERED)
    exempt = sorted({e.lower().lstrip("@") for e in exempt})
    events = (
        events.select(FILTER_COLUMNS)
        .filter(~pl.col("actor").is_in(exempt))
        .with_columns(pl.col("created_at").cast(UTC_DATETIME))
    )
    flagged = pl.concat(
        [
            promo_flags(events),
            ring_flags(
                events,
                min_accounts=config.ring_min_accounts,
                min_words=config.ring_min_words,
                similarity=config.ring_similarity,
            ),
            giveaway_flags(events, min_tags=config.giveaway_min_tags),
            burst_flags(
                events,
                burst_accounts=config.burst_accounts,
                burst_seconds=config.burst_seconds,
                burst_links=config.burst_links,
            ),
        ]
    )
    family = pl.col("rule").str.split(".").list.first()
    rank = family.replace_strict({f: i for i, f in enumerate(_PRIORITY)}, return_dtype=pl.Int32)
    per_event = (
        flagged.with_columns(rank.alias("rank"))
        .sort(["event_id", "rank"])
        .unique(subset="event_id", keep="first", maintain_order=True)
        .drop("rank")
        .join(events, on="event_id", how="inner")
    )
    accounts = _flagged_accounts(events, per_event, config)
    by_account = (
        events.join(accounts, on="actor", how="inner")
        .join(per_event.select("event_id"), on="event_id", how="anti")
        .with_columns(pl.lit("account").alias("scope"))
    )
    out = pl.concat(
        [per_event.with_columns(pl.lit("event").alias("scope")), by_account], how="diagonal"
    ).join(
        accounts.select("actor", pl.col("reason").alias("account_reason")), on="actor", how="left"
    )
    return conform(out, FILTERED).sort("event_id")


def _flagged_accounts(
    events: pl.DataFrame, per_event: pl.DataFrame, config: FilterConfig
) -> pl.DataFrame:
    """``actor, rule, reason`` of accounts flagged whole: loud, or mostly flagged messages."""
    written = events.filter(
        pl.col("kind").is_in(list(WRITTEN_KINDS)) & pl.col("text").is_not_null()
    )
    share = (
        written.group_by("actor")
        .agg(pl.len().alias("messages"))
        .join(
            per_event.group_by("actor").agg(
                pl.len().alias("flagged"),
                pl.col("rule").str.split(".").list.first().mode().sort().first().alias("top"),
            ),
            on="actor",
        )
        .filter(pl.col("flagged") >= config.account_share * pl.col("messages"))
        .select(
            "actor",
            pl.lit("account").alias("rule"),
            pl.format(
                "spam account: {} of its {} messages flagged (mostly {})",
                pl.col("flagged"),
                pl.col("messages"),
                pl.col("top").replace_strict(RULE_LABELS, default=pl.col("top")),
            ).alias("reason"),
        )
    )
    loud = loud_accounts(events, per_hour=config.loud_per_hour, repeats=config.loud_repeats)
    return pl.concat([loud, share]).unique(subset="actor", keep="first").sort("actor")


def without_filtered(frame: pl.DataFrame, filtered: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (events or entities, with ``event_id``) minus the filtered events.

    Examples
    --------
    >>> f = pl.DataFrame({"event_id": ["2"]})
    >>> without_filtered(pl.DataFrame({"event_id": ["1", "2"], "x": [1, 2]}), f)["x"].to_list()
    [1]
    """
    if filtered.height == 0:
        return frame
    return frame.join(filtered.select("event_id"), on="event_id", how="anti")


def flagged_accounts(filtered: pl.DataFrame) -> list[str]:
    """Accounts flagged whole (loud, or mostly spam), sorted."""
    return sorted(filtered.filter(pl.col("account_reason").is_not_null())["actor"].unique())


def drop_filtered(
    events: pl.DataFrame, entities: pl.DataFrame, filtered: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Events and entities with spam gone: filtered events, their entities, and engagements
    with or mentions of accounts flagged whole (a spam account is no one's context either).

    Examples
    --------
    >>> f = pl.DataFrame({"event_id": ["2"], "actor": ["bot"], "account_reason": ["loud"]})
    >>> ev = pl.DataFrame({"event_id": ["1", "2", "3"], "actor": ["ann", "bot", "cy"],
    ...                    "target": ["p1", "p1", "bot"], "target_kind": ["post", "post", "account"]})
    >>> en = pl.DataFrame({"event_id": ["1", "2"], "type": ["mention", "hashtag"], "value": ["bot", "x"]})
    >>> e, n = drop_filtered(ev, en, f)
    >>> e["event_id"].to_list(), n.height
    (['1'], 0)
    """
    if filtered.height == 0:
        return events, entities
    bots = flagged_accounts(filtered)
    events = without_filtered(events, filtered)
    if "target" in events.columns and bots:
        at_bot = (pl.col("target_kind") == "account") & pl.col("target").is_in(bots)
        events = events.filter(~at_bot.fill_null(False))
    if "event_id" in entities.columns:
        entities = without_filtered(entities, filtered)
    if bots:
        entities = entities.filter(~((pl.col("type") == "mention") & pl.col("value").is_in(bots)))
    return events, entities
