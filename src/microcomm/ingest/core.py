"""Ingest orchestration: walk paths (files, folders, ZIPs), pick a reader, normalise each batch,
dedupe on ``event_id``, extract entities and stage everything in one store transaction.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from microcomm.config import IngestConfig
from microcomm.errors import InputError
from microcomm.ingest.base import REGISTRY, FileReport, ReadContext, Reader, get_reader, read_head
from microcomm.normalize import (
    derive_event_ids,
    extract_entities,
    normalize_handle,
    normalize_kind,
    normalize_platform,
    parse_datetimes,
)
from microcomm.schema import ACCOUNTS, EVENT_KINDS, EVENTS, PLATFORMS, POLLS, conform
from microcomm.store import Store, Transaction
from microcomm.text import clean_texts

Progress = Callable[[str, int], None]


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


@dataclass
class _Input:
    path: Path
    display: str
    explicit: bool  # named on the command line (an unknown format is an error, not a skip)


def iter_inputs(paths: list[Path], workdir: Path) -> Iterator[_Input]:
    """Files under ``paths``: folders walked, ZIP archives unpacked into ``workdir``."""
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory", hint="check the path")
        if path.is_dir():
            for sub in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in sub.relative_to(path).parts):
                    continue
                yield from _expand(sub, str(sub), workdir, explicit=False)
        else:
            yield from _expand(path, str(path), workdir, explicit=True)


def _expand(path: Path, display: str, workdir: Path, *, explicit: bool) -> Iterator[_Input]:
    if path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
        target = Path(tempfile.mkdtemp(prefix="zip-", dir=workdir))
        try:
            with zipfile.ZipFile(path) as zf:
                members = sorted(
                    (
                        m
                        for m in zf.infolist()
                        if not m.is_dir() and not Path(m.filename).name.startswith(".")
                    ),
                    key=lambda m: m.filename,
                )
                # Unpack everything first: some readers look for a sibling file (X
                # account.js, Instagram personal_information.json) that may sort later.
                extracted = [
                    (Path(zf.extract(m, target)), m.filename)
                    for m in members
                    if "__MACOSX" not in m.filename
                ]
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(
                f"{display}: unreadable ZIP archive ({exc})", hint="download the export again"
            ) from None
        for path_in_zip, name in extracted:
            yield _Input(path_in_zip, f"{display}!{name}", explicit=False)
        return
    yield _Input(path, display, explicit)


class SeenIds:
    """The event ids already in the store or in this ingest, for deduplication.

    Kept as two independent 64-bit hashes per id in sorted runs (merged when two runs reach a
    similar size), so a batch is checked in O(b log n) and memory is 16 bytes an id. Checking
    a growing set of id strings instead costs a full hash-table build per batch, which made a
    2 GB file ingest at half speed. Two ids collide on both hashes with a probability of about
    n²/2¹²⁹ (10⁻²⁵ for 10 M ids); a collision on one hash only can at worst keep a duplicate,
    never drop an event. The hashes live for one process only, so polars' hash is fine here.
    """

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    @staticmethod
    def _hashes(ids: pl.Series) -> tuple[np.ndarray, np.ndarray]:
        return ids.hash(seed=11).to_numpy(), ids.hash(seed=29).to_numpy()

    def contains(self, ids: pl.Series) -> np.ndarray:
        """Boolean mask: which of ``ids`` were added before."""
        found = np.zeros(len(ids), dtype=bool)
        if not self._runs or len(ids) == 0:
            return found
        h1, h2 = self._hashes(ids)
        for r1, r2 in self._runs:
            idx = np.minimum(np.searchsorted(r1, h1), len(r1) - 1)
            found |= (r1[idx] == h1) & (r2[idx] == h2)
        return found

    def add(self, ids: pl.Series) -> None:
        """Remember ``ids`` (assumed not seen yet)."""
        if len(ids) == 0:
            return
        h1, h2 = self._hashes(ids)
        order = np.argsort(h1, kind="stable")
        self._runs.append((h1[order], h2[order]))
        while len(self._runs) >= 2 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (a1, a2), (b1, b2) = self._runs[-2], self._runs[-1]
            m1, m2 = np.concatenate([a1, b1]), np.concatenate([a2, b2])
            order = np.argsort(m1, kind="stable")
            self._runs[-2:] = [(m1[order], m2[order])]


def sniff_reader(path: Path, head: bytes) -> Reader | None:
    """The first registered reader that recognises the file, or None."""
    for reader in sorted(REGISTRY, key=lambda r: r.priority):
        try:
            if reader.sniff(path, head):
                return reader
        except Exception:  # a sniffer must never take the ingest down
            continue
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def finalize_events(df: pl.DataFrame, *, display: str, platform: str | None = None) -> pl.DataFrame:
    """Conform a reader's batch to the events schema: normalise, parse dates, derive ids.

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
    out = out.with_columns(
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
    bad = out.filter(~pl.col("platform").is_in(PLATFORMS) | pl.col("platform").is_null())
    if bad.height:
        row = bad.row(0, named=True)
        raise InputError(
            f"{row['source']}: unknown platform {row['platform']!r}",
            hint=f"use one of {', '.join(PLATFORMS)}",
        )
    bad = out.filter(~pl.col("kind").is_in(EVENT_KINDS) | pl.col("kind").is_null())
    if bad.height:
        row = bad.row(0, named=True)
        raise InputError(
            f"{row['source']}: unknown kind {row['kind']!r}",
            hint=f"use one of {', '.join(EVENT_KINDS)} (or map yours with kinds: in a --mapping file)",
        )
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


def _accounts_from_events(events: pl.DataFrame) -> pl.DataFrame:
    return (
        events.filter(pl.col("actor").is_not_null())
        .group_by(["actor", "platform"], maintain_order=True)
        .agg(pl.col("actor_name").drop_nulls().last().alias("name"))
    )


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
    known = store.known_sha256() if store.exists() else set()
    seen = SeenIds()
    for part in (
        store.parts("events") if store.exists() else []
    ):  # one part at a time: memory stays flat
        seen.add(pl.read_parquet(part, columns=["event_id"])["event_id"])
    added_counts: list[pl.DataFrame] = []
    forced = (
        get_reader("canonical")
        if mapping
        else (None if config.platform == "auto" else get_reader(config.platform))
    )
    with (
        store.transaction() as txn,
        tempfile.TemporaryDirectory(prefix="microcomm-ingest-") as workdir,
    ):
        for item in iter_inputs([Path(p) for p in paths], Path(workdir)):
            report = FileReport(path=item.display)
            result.files.append(report)
            report.sha256 = _sha256(item.path)
            if report.sha256 in known:
                report.status = "unchanged"
                continue
            head = read_head(item.path)
            reader = forced or sniff_reader(item.path, head)
            if reader is None:
                if item.explicit and not head.strip():
                    raise InputError(f"{item.display}: the file is empty", hint="export it again")
                if item.explicit:
                    tried = ", ".join(r.name for r in sorted(REGISTRY, key=lambda r: r.priority))
                    raise InputError(
                        f"{item.display}: not a format microcomm knows (tried: {tried})",
                        hint="give the export file itself, or a CSV/JSONL with --mapping FILE.yaml",
                    )
                report.status = "unrecognised"
                continue
            known.add(report.sha256)
            _ingest_one(item, reader, report, txn, config, mapping, seen, added_counts, progress)
        if added_counts:
            result.added = (
                pl.concat(added_counts)
                .group_by(["platform", "kind"])
                .agg(pl.col("events").sum())
                .sort(["platform", "kind"])
            )
        result.events_added = sum(f.rows_added for f in result.files)
        result.entities_added = sum(df_h for df_h in _staged_rows(txn, "entities"))
    result.seconds = time.perf_counter() - started
    return result


def _staged_rows(txn: Transaction, table: str) -> Iterator[int]:
    for path in txn.staged.get(table, []):
        yield pl.scan_parquet(path).select(pl.len()).collect().item() if path.exists() else 0


def _ingest_one(
    item: _Input,
    reader: Reader,
    report: FileReport,
    txn: Transaction,
    config: IngestConfig,
    mapping: dict[str, Any] | None,
    seen: SeenIds,
    added_counts: list[pl.DataFrame],
    progress: Progress | None,
) -> None:
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
    firsts: list[Any] = []
    lasts: list[Any] = []
    platform = reader.platform if reader.platform in PLATFORMS else None
    try:
        for batch in reader.read(item.path, ctx):
            if batch.height == 0:
                continue
            events = finalize_events(batch, display=item.display, platform=platform)
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
                    fresh.group_by(["platform", "kind"]).agg(
                        pl.len().cast(pl.UInt32).alias("events")
                    )
                )
                actors.append(fresh["actor"].drop_nulls().unique())
                span = fresh.select(
                    pl.col("created_at").min().alias("a"), pl.col("created_at").max().alias("b")
                ).row(0)
                if span[0] is not None:
                    firsts.append(span[0])
                    lasts.append(span[1])
            if progress:
                progress(item.display, batch.height)
    except (UnicodeDecodeError, RecursionError, MemoryError) as exc:
        raise InputError(
            f"{item.display}: unreadable ({type(exc).__name__})", hint="is this the right file?"
        ) from None
    for frame in ctx.accounts:
        txn.add(
            "accounts",
            conform(frame.with_columns(normalize_handle(pl.col("actor")).alias("actor")), ACCOUNTS),
        )
    if ctx.polls:  # same transaction as the events: the ingest stays all-or-nothing
        txn.add(
            "polls",
            finalize_polls(pl.concat(ctx.polls, how="diagonal_relaxed"), platform=reader.platform),
        )
    report.accounts = pl.concat(actors).n_unique() if actors else 0
    if firsts:
        report.first = min(firsts).isoformat()
        report.last = max(lasts).isoformat()
    txn.record_file(
        {
            "path": item.display,
            "sha256": report.sha256,
            "reader": report.reader,
            "rows_read": report.rows_read,
            "rows_added": report.rows_added,
            "rows_skipped": report.rows_skipped,
            "skip_reasons": dict(report.skip_reasons),
        }
    )
