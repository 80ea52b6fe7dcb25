"""Read one export file in memory, without a store (previews, tests, notebooks).

:func:`read_file` gives the events of a file as a polars DataFrame; :func:`inspect_file` also
gives the account profiles and the coverage report. Both sniff (or take) a reader, run it and
finalise its batches exactly as ``ingest_files`` does, but keep everything in memory and do
not dedupe.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.errors import InputError
from microcomm.ingest.base import FileReport, ReadContext, read_head
from microcomm.ingest.finalize import finalize_events
from microcomm.ingest.registry import get_reader, sniff_reader, tried_names
from microcomm.schema import ACCOUNTS, EVENTS, PLATFORMS, conform, empty
from microcomm.text import mixes_scripts

__all__ = ["FileRead", "inspect_file", "read_file"]


@dataclass
class FileRead:
    """Events and account profiles read from one file, and the coverage report."""

    events: pl.DataFrame
    accounts: pl.DataFrame
    report: FileReport


def read_file(
    path: str | Path, *, platform: str = "auto", mapping: dict[str, Any] | None = None
) -> pl.DataFrame:
    """The events of one export file, in memory (no store, no deduplication).

    Parameters
    ----------
    path
        An export file (plain, gzip, bzip2 or zstandard).
    platform
        ``"auto"`` to sniff the format, or a reader name (as ``ingest --platform``).
    mapping
        A loaded mapping (:func:`~microcomm.ingest.generic.load_mapping`); forces the generic
        reader, as in ingest.

    Returns
    -------
    polars.DataFrame
        Rows of ``schema.EVENTS``, in file order.

    Raises
    ------
    InputError
        No reader recognises the file, or it is malformed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "e.jsonl"
    >>> _ = p.write_text('{"platform":"x","kind":"post","actor":"Ann","target":null,"text":"hi","created_at":"2024-01-01"}\\n')
    >>> read_file(p).select("platform", "kind", "actor").row(0)
    ('x', 'post', 'ann')
    """
    reader = None if platform == "auto" else platform
    return inspect_file(path, reader=reader, mapping=mapping).events


def inspect_file(
    path: str | Path,
    *,
    reader: str | None = None,
    mapping: dict[str, Any] | None = None,
    strict: bool = False,
    batch_size: int = 100_000,
    owner: str | None = None,
) -> FileRead:
    """Read ``path`` with ``reader`` (a registered name) or the one its content is sniffed as.

    With ``mapping`` (see :func:`~microcomm.ingest.generic.load_mapping`) the generic reader
    applies it, as ``ingest_files`` does. ``owner`` is whose export it is when the file does
    not say (``ingest --owner``); rows left without an actor are skipped as "no actor".

    Raises
    ------
    InputError
        No reader recognises the file, or it is malformed (a bad record under ``strict``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "e.jsonl"
    >>> _ = p.write_text('{"platform":"x","kind":"post","actor":"Ann","target":null,"text":"hi","created_at":"2024-01-01"}\\n')
    >>> inspect_file(p).events["actor"].to_list()
    ['ann']
    """
    p = Path(path)
    if mapping is not None:
        reader = "canonical"  # a mapping always goes through the generic reader, as in ingest
    chosen = get_reader(reader) if reader else sniff_reader(p, read_head(p))
    if chosen is None:
        raise InputError(f"{p}: not a format microcomm knows (tried: {tried_names()})")
    report = FileReport(path=str(p), reader=chosen.name, platform=chosen.platform)
    ctx = ReadContext(
        path=p,
        display=str(p),
        report=report,
        strict=strict,
        batch_size=batch_size,
        mapping=mapping,
        owner=owner,
    )
    if chosen.note:
        ctx.note(chosen.note)
    platform = chosen.platform if chosen.platform in PLATFORMS else None
    frames = []
    try:
        for batch in chosen.read(p, ctx):
            if batch.height:
                frames.append(finalize_events(batch, display=str(p), platform=platform, ctx=ctx))
    except (UnicodeDecodeError, RecursionError, MemoryError) as exc:
        raise InputError(
            f"{p}: unreadable ({type(exc).__name__})", hint="is this the right file?"
        ) from None
    events = pl.concat(frames) if frames else empty(EVENTS)
    report.rows_read = events.height
    report.mixed_scripts = mixes_scripts(events["actor"]).to_list()
    accounts = (
        pl.concat([conform(a, ACCOUNTS) for a in ctx.accounts]) if ctx.accounts else empty(ACCOUNTS)
    )
    return FileRead(events=events, accounts=accounts, report=report)
