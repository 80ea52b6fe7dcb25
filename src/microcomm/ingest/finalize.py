"""Ingest, step 2: conform a reader's rows to the store's schemas.

:func:`finalize_events` is the one place where every reader's event batch becomes canonical
(blank rows dropped, dates parsed, platform / kind / handles normalised, ids derived), for
``ingest_files`` and ``read_file`` alike: a cleaning step that must apply to all events
belongs here. :func:`finalize_polls` does the same for poll rows.

Rows without an actor (a deleted author, an export whose owner is unknown) make no tie and
reach no profile: they are dropped here and, given the read context, counted as skipped
("no actor"). Dates outside :data:`PLAUSIBLE_FIRST_YEAR` .. next year are kept but counted
per file, so the coverage table flags a wrong date column or epoch unit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import polars as pl

from microcomm.errors import InputError
from microcomm.normalize import (
    derive_event_ids,
    normalize_handle,
    normalize_kind,
    normalize_platform,
    parse_datetimes,
)
from microcomm.schema import EVENT_KINDS, EVENTS, PLATFORMS, POLLS, conform
from microcomm.text import clean_texts

if TYPE_CHECKING:
    from microcomm.ingest.base import ReadContext

# No social platform in microcomm's readers held posts before 2000; a date before it is a
# default (1970-01-01, epoch 0) or a wrong unit. After next year is a clock or unit error.
PLAUSIBLE_FIRST_YEAR = 2000
NO_ACTOR = "no actor"


def plausible_years(now: datetime | None = None) -> tuple[int, int]:
    """First and last plausible year of an event: 2000 and the year after ``now`` (UTC).

    >>> plausible_years(datetime(2026, 5, 1))
    (2000, 2027)
    """
    return PLAUSIBLE_FIRST_YEAR, (now or datetime.now(UTC)).year + 1


def implausible_dates(created_at: pl.Series, now: datetime | None = None) -> int:
    """How many dates of ``created_at`` (UTC datetimes) fall outside :func:`plausible_years`.

    >>> from datetime import UTC
    >>> s = pl.Series([datetime(1970, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC), None])
    >>> implausible_dates(s, now=datetime(2026, 1, 1))
    1
    """
    first, last = plausible_years(now)
    year = created_at.dt.year()
    return int(((year < first) | (year > last)).sum() or 0)


def _drop_actorless(out: pl.DataFrame, ctx: ReadContext | None, display: str) -> pl.DataFrame:
    """``out`` without its rows that have no actor, counted as skipped in ``ctx``."""
    missing = out["actor"].is_null()
    n = int(missing.sum() or 0)
    if n and ctx is not None:
        # one call per record while locations are listed (and --strict stops at the first)
        free = max(ctx.max_locations - len(ctx.report.bad_locations), 0)
        sources = out.filter(missing)["source"][: free or 1]
        where = [str(s).removeprefix(f"{display}:") for s in sources]
        for loc in where[:free]:
            ctx.skip(loc, NO_ACTOR)
        if n > free:
            ctx.skip(where[-1], NO_ACTOR, n - free)
    return out.filter(~missing) if n else out


def finalize_events(
    df: pl.DataFrame,
    *,
    display: str,
    platform: str | None = None,
    ctx: ReadContext | None = None,
) -> pl.DataFrame:
    """Conform a reader's batch to the events schema: normalise, parse dates, derive ids.

    Rows left without an actor are dropped (counted in ``ctx`` as skipped, "no actor"); dates
    outside the plausible years are counted in ``ctx.report.implausible_dates``.

    Raises
    ------
    InputError
        A row has an unknown platform or kind, or a date that parses in no known format.
    """
    # Blank lines (a trailing newline in a CSV) arrive as all-null rows: not records.
    present = [
        c for c in ("platform", "kind", "actor", "target", "text", "created_at") if c in df.columns
    ]
    if present:
        df = df.filter(~pl.all_horizontal(pl.col(present).is_null()))
    if "created_at" in df.columns and not isinstance(df.schema["created_at"], pl.Datetime):
        raw = df["created_at"]
        parsed = parse_datetimes(raw)
        bad = df.with_row_index("_row").filter(
            raw.is_not_null() & parsed.is_null() & (raw.cast(pl.String).str.strip_chars() != "")
        )
        if bad.height:
            row = bad.row(0, named=True)
            where = row.get("source") or f"{display}:row {row['_row'] + 1}"
            raise InputError(
                f"{where}: cannot parse created_at {str(row['created_at'])[:60]!r} ({bad.height} such rows)",
                hint="use ISO 8601 (2024-05-01T14:30:00Z) or epoch seconds",
            )
        df = df.with_columns(parsed.alias("created_at"))
    if platform and "platform" not in df.columns:
        df = df.with_columns(pl.lit(platform).alias("platform"))
    out = conform(df, EVENTS)
    # A target written as @handle names an account, whatever the export left out (a CSV of
    # DMs or follows without target_kind): an account context, not a post called '@handle'.
    at_handle = pl.col("target").str.strip_chars().str.starts_with("@")
    out = out.with_columns(
        pl.when(pl.col("target_kind").is_null() & at_handle)
        .then(pl.lit("account"))
        .otherwise(pl.col("target_kind"))
        .alias("target_kind")
    ).with_columns(
        normalize_platform(pl.col("platform")).alias("platform"),
        normalize_kind(pl.col("kind")).alias("kind"),
        normalize_handle(pl.col("actor")).alias("actor"),
        pl.when(pl.col("target_kind") == "account")
        .then(normalize_handle(pl.col("target")))
        .otherwise(pl.col("target").str.strip_chars())
        .alias("target"),
        pl.col("source").fill_null(
            pl.concat_str([pl.lit(f"{display}:row "), (pl.int_range(pl.len()) + 1).cast(pl.String)])
        ),
    )
    for column, known, tip in (
        ("platform", PLATFORMS, ""),
        ("kind", EVENT_KINDS, " (or map yours with kinds: in a --mapping file)"),
    ):
        bad = out.filter(~pl.col(column).is_in(known) | pl.col(column).is_null())
        if bad.height:
            row = bad.row(0, named=True)
            raise InputError(
                f"{row['source']}: unknown {column} {row[column]!r}",
                hint=f"use one of {', '.join(known)}{tip}",
            )
    out = _drop_actorless(out, ctx, display)  # after normalising: '@' or '\u200b' alone is none
    if ctx is not None:
        ctx.report.implausible_dates += implausible_dates(out["created_at"])
    # Clean text in one place, before ids are hashed and entities extracted (issue 8).
    out = out.with_columns(clean_texts(out["text"]))
    return out.with_columns(derive_event_ids(out).alias("event_id"))


def finalize_polls(df: pl.DataFrame, *, platform: str) -> pl.DataFrame:
    """Conform a reader's poll rows to ``schema.POLLS``.

    ``poll_id`` becomes ``platform:native_id`` (as event ids do), ``author`` a normalised
    handle, ``created_at`` a UTC datetime (text that parses in no format becomes null: a
    poll's date is never worth failing an ingest over), ``votes`` an integer.

    Examples
    --------
    >>> rows = pl.DataFrame({"poll_id": ["9"], "context": ["t1"], "author": ["@Ann"],
    ...                      "option": ["yes"], "votes": [3], "created_at": ["2024-01-02T03:04:05Z"]})
    >>> finalize_polls(rows, platform="x").select("poll_id", "author", "votes").row(0)
    ('x:9', 'ann', 3)
    """
    if "created_at" in df.columns and not isinstance(df.schema["created_at"], pl.Datetime):
        df = df.with_columns(parse_datetimes(df["created_at"]).alias("created_at"))
    if "platform" not in df.columns:
        df = df.with_columns(pl.lit(platform).alias("platform"))
    out = conform(df, POLLS).with_columns(
        normalize_platform(pl.col("platform").fill_null(platform)).alias("platform")
    )
    return out.with_columns(
        pl.concat_str([pl.col("platform"), pl.lit(":"), pl.col("poll_id")]).alias("poll_id"),
        normalize_handle(pl.col("author")).alias("author"),
    ).filter(pl.col("poll_id").is_not_null() & pl.col("option").is_not_null())
