"""Ingest, step 4: stage one file's rows in the store transaction.

:func:`commit_file` runs a reader over one file, finalises each batch, drops the events the
store (or this ingest) already holds, extracts entities and adds everything, with the file's
manifest entry, to the open :class:`~microcomm.store.Transaction`. Nothing is visible in the
store until the transaction commits, so a failure leaves the store as it was.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from microcomm.config import IngestConfig
from microcomm.errors import InputError
from microcomm.ingest.base import FileReport, ReadContext
from microcomm.ingest.dedupe import SeenIds
from microcomm.ingest.finalize import finalize_events, finalize_polls
from microcomm.ingest.registry import Reader
from microcomm.ingest.walk import Input
from microcomm.normalize import extract_entities, normalize_handle
from microcomm.progress import ProgressCallback as Progress
from microcomm.pseudonym import Pseudonymizer
from microcomm.schema import ACCOUNTS, PLATFORMS, conform
from microcomm.store import Transaction
from microcomm.text import mixes_scripts


def _accounts_from_events(events: pl.DataFrame) -> pl.DataFrame:
    return (
        events.filter(pl.col("actor").is_not_null())
        .group_by(["actor", "platform"], maintain_order=True)
        .agg(pl.col("actor_name").drop_nulls().last().alias("name"))
    )


def commit_file(
    item: Input,
    reader: Reader,
    report: FileReport,
    txn: Transaction,
    *,
    config: IngestConfig,
    mapping: dict[str, Any] | None,
    seen: SeenIds,
    added_counts: list[pl.DataFrame],
    progress: Progress | None = None,
    pseudo: Pseudonymizer | None = None,
) -> None:
    """Read ``item`` with ``reader`` and stage its new rows in ``txn``; fills ``report``.

    With ``pseudo`` every handle, name and id is replaced before anything is staged.

    Raises
    ------
    InputError
        The file is malformed (or, under ``config.strict``, holds a bad record).
    """
    report.reader = (mapping or {}).get("name") or reader.name
    report.platform = reader.platform
    ctx = ReadContext(
        path=item.path,
        display=item.display,
        report=report,
        strict=config.strict,
        batch_size=config.batch_size,
        max_locations=config.max_error_locations,
        mapping=mapping,
    )
    if reader.note:
        ctx.note(reader.note)
    actors: list[pl.Series] = []
    mixed: list[pl.Series] = []  # pseudonyms of handles that mix scripts (--pseudonymize)
    spans: list[tuple[Any, Any]] = []
    platform = reader.platform if reader.platform in PLATFORMS else None
    try:
        for batch in reader.read(item.path, ctx):
            if batch.height == 0:
                continue
            events = finalize_events(batch, display=item.display, platform=platform, ctx=ctx)
            if pseudo is not None:
                events = _pseudonymize(events, pseudo, mixed)
            fresh = _stage_batch(events, txn, report, seen, added_counts)
            if fresh.height:
                actors.append(fresh["actor"].drop_nulls().unique())
                span = fresh.select(
                    pl.col("created_at").min().alias("a"), pl.col("created_at").max().alias("b")
                ).row(0)
                if span[0] is not None:
                    spans.append(span)
            if progress:
                progress(item.display, batch.height)
    except (UnicodeDecodeError, RecursionError, MemoryError) as exc:
        raise InputError(
            f"{item.display}: unreadable ({type(exc).__name__})", hint="is this the right file?"
        ) from None
    _stage_extras(ctx, txn, reader.platform, pseudo)
    report.accounts = pl.concat(actors).n_unique() if actors else 0
    report.mixed_scripts = _mixed_scripts(actors, mixed if pseudo is not None else None)
    if spans:
        report.first = min(a for a, _ in spans).isoformat()
        report.last = max(b for _, b in spans).isoformat()
    txn.record_file(
        {
            "path": item.display,
            "sha256": report.sha256,
            "reader": report.reader,
            "rows_read": report.rows_read,
            "rows_added": report.rows_added,
            "rows_skipped": report.rows_skipped,
            "skip_reasons": dict(report.skip_reasons),
            "implausible_dates": report.implausible_dates,
        }
    )


def _mixed_scripts(actors: list[pl.Series], mixed: list[pl.Series] | None) -> list[str]:
    """Handles mixing look-alike scripts; ``mixed``: their pseudonyms, found before hashing."""
    if mixed is not None:
        return sorted(set(pl.concat(mixed).to_list())) if mixed else []
    return mixes_scripts(pl.concat(actors)).to_list() if actors else []


def _pseudonymize(
    events: pl.DataFrame, pseudo: Pseudonymizer, mixed: list[pl.Series]
) -> pl.DataFrame:
    """``events`` under pseudonyms; the pseudonyms of handles mixing look-alike scripts (seen
    in the real handle only) go to ``mixed``."""
    mixed.append(pseudo.handles(mixes_scripts(events["actor"].drop_nulls().unique())))
    return pseudo.events(events)


def _stage_batch(
    events: pl.DataFrame,
    txn: Transaction,
    report: FileReport,
    seen: SeenIds,
    added_counts: list[pl.DataFrame],
) -> pl.DataFrame:
    """Stage the events of ``events`` not seen before (with entities, accounts); return them."""
    report.rows_read += events.height
    unique = events.unique(subset="event_id", keep="first", maintain_order=True)
    fresh = unique.filter(pl.Series(~seen.contains(unique["event_id"])))
    seen.add(fresh["event_id"])
    report.duplicates += events.height - fresh.height
    report.rows_added += fresh.height
    if fresh.height:
        txn.add("events", fresh)
        txn.add("entities", extract_entities(fresh))
        txn.add("accounts", conform(_accounts_from_events(fresh), ACCOUNTS))
        added_counts.append(
            fresh.group_by(["platform", "kind"]).agg(pl.len().cast(pl.UInt32).alias("events"))
        )
    return fresh


def _stage_extras(
    ctx: ReadContext, txn: Transaction, platform: str, pseudo: Pseudonymizer | None
) -> None:
    """Stage the account profiles and polls the reader reported."""
    for frame in ctx.accounts:
        handles = frame.with_columns(normalize_handle(pl.col("actor")).alias("actor"))
        rows = conform(handles, ACCOUNTS)
        txn.add("accounts", pseudo.accounts(rows) if pseudo else rows)
    if ctx.polls:  # same transaction as the events: the ingest stays all-or-nothing
        polls = finalize_polls(pl.concat(ctx.polls, how="diagonal_relaxed"), platform=platform)
        txn.add("polls", pseudo.polls(polls) if pseudo else polls)
