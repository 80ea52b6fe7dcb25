"""Privacy rules shared by every stage: which message texts may be quoted, and pseudonyms.

**Small-cell suppression** (issue 9). A report or an export quotes a message only when
:func:`quotable` says so: never a direct message, and never a text sent by fewer than ``k``
distinct accounts (``report.min_quote_senders``, default 3), so that no single person's words
— a phone number in a request, a name in a complaint — are ever repeated. Texts are compared
exactly, after the cleaning every text gets at ingest and a trim of surrounding whitespace:
"open a store in Lyon" sent by three accounts may be quoted; the same words sent by one
account, or with one word changed, may not. Counts (messages, requests, complaints) still
include every message.
"""

from __future__ import annotations

import polars as pl

DM = "dm"
MIN_QUOTE_SENDERS = 3


def quote_key(expr: pl.Expr) -> pl.Expr:
    """The form two texts must share to count as the same message: the cleaned text, trimmed."""
    return expr.cast(pl.String).str.strip_chars()


def quotable(
    rows: pl.DataFrame,
    messages: pl.DataFrame,
    *,
    k: int = MIN_QUOTE_SENDERS,
    text: str = "text",
) -> pl.Series:
    """Which of ``rows`` may be quoted: a boolean per row (the one test every quote passes).

    A row may be quoted when its ``kind`` (if it has one) is not a DM and its text was sent,
    outside DMs, by at least ``k`` distinct accounts among ``messages`` (``actor, text`` and
    optionally ``kind``: the audience the rows come from).

    Examples
    --------
    >>> msgs = pl.DataFrame({"actor": ["a", "b", "c", "a", "d", "e"],
    ...     "kind": ["comment", "comment", "reply", "dm", "dm", "dm"],
    ...     "text": ["ship to Lyon?", "ship to Lyon? ", "ship to Lyon?", "call me", "call me", "call me"]})
    >>> rows = pl.DataFrame({"kind": ["comment", "dm"], "text": ["ship to Lyon?", "call me"]})
    >>> quotable(rows, msgs).to_list()
    [True, False]
    >>> quotable(rows, msgs, k=4).to_list()
    [False, False]
    """
    if rows.height == 0:
        return pl.Series("quotable", [], dtype=pl.Boolean)
    keys = rows.select(quote_key(pl.col(text)).alias("_q"))
    public = messages.select(
        quote_key(pl.col("text")).alias("_q"),
        pl.col("actor"),
        (pl.col("kind") != DM).fill_null(True).alias("_p")
        if "kind" in messages.columns
        else pl.lit(True).alias("_p"),
    )
    senders = (
        public.filter(pl.col("_p") & pl.col("_q").is_not_null() & pl.col("actor").is_not_null())
        .join(keys.unique(), on="_q", how="semi")
        .group_by("_q")
        .agg(pl.col("actor").n_unique().alias("_n"))
    )
    counted = keys.join(senders, on="_q", how="left", maintain_order="left")
    ok = (pl.col("_n").fill_null(0) >= k) & pl.col("_q").is_not_null()
    if "kind" in rows.columns:
        ok = ok & (rows["kind"] != DM).fill_null(True)
    return counted.select(ok.alias("quotable"))["quotable"]


def keep_quotable(
    rows: pl.DataFrame, messages: pl.DataFrame, *, k: int = MIN_QUOTE_SENDERS, text: str = "text"
) -> pl.DataFrame:
    """``rows`` without the ones :func:`quotable` refuses."""
    return rows.filter(quotable(rows, messages, k=k, text=text))


def withhold_text(
    rows: pl.DataFrame, messages: pl.DataFrame, *, k: int = MIN_QUOTE_SENDERS, text: str = "text"
) -> pl.DataFrame:
    """``rows`` with the text :func:`quotable` refuses set to null (the row itself is kept)."""
    ok = quotable(rows, messages, k=k, text=text)
    return rows.with_columns(pl.when(ok).then(pl.col(text)).otherwise(None).alias(text))
