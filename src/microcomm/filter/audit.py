"""Auditing the filter: what was set aside for one account, and the export of everything.

``explain ACCOUNT`` answers from :func:`account_filter_info`; ``export filtered`` writes
:func:`export_frame` as CSV, Parquet or JSON by the file's extension.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.errors import InputError
from microcomm.privacy import MIN_QUOTE_SENDERS, keep_quotable, withhold_text

EXPORT_COLUMNS = ["event_id", "actor", "platform", "reason", "text"]
EXPORT_FORMATS = (".csv", ".parquet", ".json")


@dataclass
class FilteredAccount:
    """What the filter set aside for one account (``explain`` shows it)."""

    actor: str
    account_reason: str | None  # set when the account was flagged whole
    events: int  # its events set aside
    total: int  # its events in the store
    reasons: list[dict[str, Any]] = field(default_factory=list)  # reason, events
    examples: list[dict[str, Any]] = field(default_factory=list)  # event_id, kind, reason, text
    lookalike_letters: list[dict[str, str]] = field(default_factory=list)  # issue 9, set by explain

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--format json``."""
        return {
            "actor": self.actor,
            "filtered": True,
            "account_reason": self.account_reason,
            "events_filtered": self.events,
            "events": self.total,
            "reasons": self.reasons,
            "examples": self.examples,
            "lookalike_letters": self.lookalike_letters,
        }


def account_filter_info(
    filtered: pl.DataFrame,
    actor: str,
    *,
    total: int,
    examples: int = 3,
    min_senders: int = MIN_QUOTE_SENDERS,
) -> FilteredAccount | None:
    """What was set aside for ``actor`` (lower-case handle), or None when nothing was.

    Examples
    --------
    >>> f = pl.DataFrame({"event_id": ["1", "2"], "actor": ["bot", "bot"], "kind": ["comment", "like"],
    ...     "reason": ["asks people to subscribe or follow", "spam account: 1 of its 1 messages flagged"],
    ...     "scope": ["event", "account"], "account_reason": ["spam account: 1 of its 1 messages flagged"] * 2,
    ...     "text": ["sub to me", None]})
    >>> info = account_filter_info(f, "bot", total=2)
    >>> info.events, info.account_reason
    (2, 'spam account: 1 of its 1 messages flagged')
    """
    mine = filtered.filter(pl.col("actor") == actor)
    if mine.height == 0:
        return None
    reasons = (
        mine.group_by("reason")
        .agg(pl.len().alias("events"))
        .sort(["events", "reason"], descending=[True, False])
    )
    quoted = (  # quoted only as every output quotes (microcomm.privacy.quotable)
        keep_quotable(
            mine.filter((pl.col("scope") == "event") & pl.col("text").is_not_null()),
            filtered,
            k=min_senders,
        )
        .sort("event_id")
        .head(examples)
        .select("event_id", "kind", "reason", "text")
    )
    return FilteredAccount(
        actor=actor,
        account_reason=mine["account_reason"].drop_nulls().first(),
        events=mine.height,
        total=total,
        reasons=reasons.to_dicts(),
        examples=quoted.to_dicts(),
    )


def write_filtered(
    filtered: pl.DataFrame, output: str | Path, *, min_senders: int = MIN_QUOTE_SENDERS
) -> int:
    """Write ``event_id, actor, platform, reason, text`` to ``output`` (.csv, .parquet, .json).

    ``text`` is empty where :func:`microcomm.privacy.quotable` refuses it (a DM, or a text
    fewer than ``min_senders`` accounts sent): every row is there, with its id and reason.
    Returns the number of rows written. Raises InputError for another extension.
    """
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise InputError(
            f"{path}: cannot tell the format from the extension {suffix or '(none)'!r}",
            hint="name the output .csv, .parquet or .json",
        )
    frame = withhold_text(filtered, filtered, k=min_senders).select(EXPORT_COLUMNS).sort("event_id")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    if suffix == ".csv":
        frame.write_csv(tmp)
    elif suffix == ".parquet":
        frame.write_parquet(tmp)
    else:
        frame.write_json(tmp)
    tmp.replace(path)
    return frame.height
