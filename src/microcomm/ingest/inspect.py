"""Read one export file into canonical frames without a store (for previews, tests, notebooks).

``read_file`` sniffs (or takes) a reader, runs it and finalises its batches exactly as
``ingest_files`` does, but keeps everything in memory and does not dedupe.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.errors import InputError
from microcomm.ingest.base import REGISTRY, FileReport, ReadContext, get_reader, read_head
from microcomm.ingest.core import finalize_events, sniff_reader
from microcomm.schema import ACCOUNTS, EVENTS, PLATFORMS, conform, empty


@dataclass
class FileRead:
    """Events and account profiles read from one file, and the coverage report."""

    events: pl.DataFrame
    accounts: pl.DataFrame
    report: FileReport


def read_file(
    path: str | Path,
    *,
    reader: str | None = None,
    mapping: dict[str, Any] | None = None,
    strict: bool = False,
    batch_size: int = 100_000,
) -> FileRead:
    """Read ``path`` with ``reader`` (a registered name) or the one its content is sniffed as.

    With ``mapping`` (see :func:`~microcomm.ingest.generic.load_mapping`) the generic reader
    applies it, as ``ingest_files`` does.

    Raises
    ------
    InputError
        No reader recognises the file, or it is malformed (a bad record under ``strict``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "e.jsonl"
    >>> _ = p.write_text('{"platform":"x","kind":"post","actor":"Ann","target":null,"text":"hi","created_at":"2024-01-01"}\\n')
    >>> read_file(p).events["actor"].to_list()
    ['ann']
    """
    p = Path(path)
    if mapping is not None:
        reader = "canonical"  # a mapping always goes through the generic reader, as in ingest
    chosen = get_reader(reader) if reader else sniff_reader(p, read_head(p))
    if chosen is None:
        tried = ", ".join(r.name for r in sorted(REGISTRY, key=lambda r: r.priority))
        raise InputError(f"{p}: not a format microcomm knows (tried: {tried})")
    report = FileReport(path=str(p), reader=chosen.name, platform=chosen.platform)
    ctx = ReadContext(
        path=p, display=str(p), report=report, strict=strict, batch_size=batch_size, mapping=mapping
    )
    if chosen.note:
        ctx.note(chosen.note)
    platform = chosen.platform if chosen.platform in PLATFORMS else None
    frames = []
    try:
        for batch in chosen.read(p, ctx):
            if batch.height:
                frames.append(finalize_events(batch, display=str(p), platform=platform))
    except (UnicodeDecodeError, RecursionError, MemoryError) as exc:
        raise InputError(
            f"{p}: unreadable ({type(exc).__name__})", hint="is this the right file?"
        ) from None
    events = pl.concat(frames) if frames else empty(EVENTS)
    report.rows_read = events.height
    accounts = (
        pl.concat([conform(a, ACCOUNTS) for a in ctx.accounts]) if ctx.accounts else empty(ACCOUNTS)
    )
    return FileRead(events=events, accounts=accounts, report=report)
