"""Ingest orchestration: paths → files (:mod:`.walk`) → reader (:mod:`.registry`) → rows
staged in one store transaction (:mod:`.commit`), deduplicated on ``event_id``
(:mod:`.dedupe`) after :func:`~microcomm.ingest.finalize.finalize_events`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.config import IngestConfig
from microcomm.errors import InputError
from microcomm.fileio import sha256_file
from microcomm.ingest.base import FileReport, compression_of, open_binary, read_head
from microcomm.ingest.commit import Progress, commit_file
from microcomm.ingest.compressed import reading
from microcomm.ingest.dedupe import SeenIds
from microcomm.ingest.registry import Reader, get_reader, sniff_reader, tried_names
from microcomm.ingest.walk import Input, WalkLimits, iter_inputs, work_folder
from microcomm.store import Store, Transaction

__all__ = ["IngestResult", "Progress", "ingest_files"]


@dataclass
class IngestResult:
    """What one ingest did."""

    store: str
    files: list[FileReport] = field(default_factory=list)
    added: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={"platform": pl.String, "kind": pl.String, "events": pl.UInt32}
        )
    )
    events_added: int = 0
    entities_added: int = 0
    seconds: float = 0.0


def _seen_ids(store: Store) -> SeenIds:
    seen = SeenIds()
    for part in store.parts("events") if store.exists() else []:
        # one part at a time: memory stays flat
        seen.add(pl.read_parquet(part, columns=["event_id"], glob=False)["event_id"])
    return seen


def ingest_files(
    paths: list[str | Path],
    store: Store,
    *,
    config: IngestConfig | None = None,
    mapping: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Read export files into ``store`` in one transaction.

    Parameters
    ----------
    paths
        Files, folders or ZIP archives.
    store
        Target store; created if absent. Left untouched if anything fails.
    config
        Reader choice (``platform``), ``strict``, batch size.
    mapping
        A loaded mapping (:func:`microcomm.ingest.generic.load_mapping`); forces the generic reader.
    progress
        Called with (file, rows) after each batch.

    Raises
    ------
    InputError
        A missing, unreadable or unrecognised file, or a malformed record under ``strict``.
    """
    config = config or IngestConfig()
    started = time.perf_counter()
    result = IngestResult(store=str(store.root))
    added_counts: list[pl.DataFrame] = []
    forced = (
        get_reader("canonical")
        if mapping
        else (None if config.platform == "auto" else get_reader(config.platform))
    )
    with store.transaction() as txn, work_folder() as workdir:
        # read under the store lock: another writer cannot add these ids or files meanwhile
        known = store.known_sha256() if store.exists() else set()
        seen = _seen_ids(store)
        pseudo = txn.pseudonymizer(config.pseudonymize)  # a store is one or the other
        for item in iter_inputs([Path(p) for p in paths], workdir, _limits(config)):
            report = FileReport(path=item.display)
            result.files.append(report)
            report.sha256 = sha256_file(item.path)
            if report.sha256 in known:
                report.status = "unchanged"
                continue
            reader = forced or _sniff(item)
            if reader is None:
                report.status = "unrecognised"
                continue
            known.add(report.sha256)
            with _reading(item, report, config):
                commit_file(
                    item,
                    reader,
                    report,
                    txn,
                    config=config,
                    mapping=mapping,
                    seen=seen,
                    added_counts=added_counts,
                    progress=progress,
                    pseudo=pseudo,
                )
        if added_counts:
            result.added = (
                pl.concat(added_counts)
                .group_by(["platform", "kind"])
                .agg(pl.col("events").sum())
                .sort(["platform", "kind"])
            )
        result.events_added = sum(f.rows_added for f in result.files)
        result.entities_added = sum(_staged_rows(txn, "entities"))
    result.seconds = time.perf_counter() - started
    return result


def _reading(item: Input, report: FileReport, config: IngestConfig) -> Any:
    return reading(
        item, keep_partial=config.keep_partial, on_cut=report.mark_cut, owner=config.owner
    )


def _limits(config: IngestConfig) -> WalkLimits:
    return WalkLimits(
        follow_symlinks=config.follow_symlinks,
        max_unpacked_bytes=int(config.max_unpacked_gb * 10**9),
        max_expansion_ratio=config.max_expansion_ratio,
    )


def _sniff(item: Input) -> Reader | None:
    """The reader for ``item``; None for an unknown file found in a folder or archive.

    Raises
    ------
    InputError
        A file named on the command line is empty or in no known format.
    """
    head = read_head(item.path)
    if not head:
        _check_not_cut(item)
    reader = sniff_reader(item.path, head)
    if reader is None and item.explicit:
        if not head.strip():
            raise InputError(f"{item.display}: the file is empty", hint="export it again")
        raise InputError(
            f"{item.display}: not a format microcomm knows (tried: {tried_names()})",
            hint="give the export file itself, or a CSV/JSONL with --mapping FILE.yaml",
        )
    return reader


def _check_not_cut(item: Input) -> None:
    """A compressed file cut inside its first block has an empty head (a cut ``.bz2`` of one
    block used to be "the file is empty"): read it strictly, so the cut is the error shown."""
    with open(item.path, "rb") as fh:
        if compression_of(fh.read(4)) is None:
            return
    strict = _reading(item, FileReport(path=item.display), IngestConfig())
    try:
        with strict, open_binary(item.path) as fh:
            fh.read(1)
    except InputError as err:
        # --keep-partial or not, no whole row comes before this cut: there is nothing to keep
        raise InputError(err.message, hint="download or copy it again") from None


def _staged_rows(txn: Transaction, table: str) -> Iterator[int]:
    for path in txn.staged.get(table, []):
        yield pl.scan_parquet(path, glob=False).select(pl.len()).collect().item() if path.exists() else 0
