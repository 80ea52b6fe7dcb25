"""The store: Parquet tables plus ``manifest.json``, in one directory.

Tables are sets of part files; the manifest lists the parts that belong to the store and is
the single commit point. A transaction writes its parts under a staging directory, moves them
into place, and only then replaces the manifest (write temp, fsync, rename). A crash or an
error before that rename leaves the store exactly as it was; orphan parts are swept away by
the next transaction.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from filelock import FileLock, Timeout

from microcomm.errors import EmptyStoreError, InputError, StoreError
from microcomm.pseudonym import Pseudonymizer
from microcomm.storefs import (
    atomic_write_text as _atomic_write_text,
    check_inside as _check_inside,
    lock_timeout as _lock_timeout,
    mkdir_private as _mkdir,
    pseudonymizer as _pseudonymizer,
    read_tracking as _read_tracking,
    write_parquet_private as _write_parquet,
    write_tracking as _write_tracking,
    writing as _writing,
)
from microcomm.schema import (
    ACCOUNTS,
    ANSWERS,
    COMMUNITIES,
    EDGES,
    ENTITIES,
    EVENTS,
    FILTERED,
    POLLS,
    SCHEMA_VERSION,
    conform,
)

TABLES: dict[str, dict[str, pl.DataType]] = {
    "events": EVENTS,
    "entities": ENTITIES,
    "accounts": ACCOUNTS,
    "answers": ANSWERS,
    "polls": POLLS,
    "communities": COMMUNITIES,
}
DEFAULT_STORE = "microcomm-data"
_log = logging.getLogger(__name__)
_RUN_FILES = ("file", "edges_file", "filtered_file")  # a run's files; only the newest run's kept


def default_store_path() -> Path:
    """``$MICROCOMM_STORE`` or ``./microcomm-data``."""
    return Path(os.environ.get("MICROCOMM_STORE") or DEFAULT_STORE)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _before_lock() -> None:
    """Called just before a writer asks for the lock (a seam for race tests)."""


class Store:
    """A microcomm store directory.

    Examples
    --------
    >>> import tempfile
    >>> store = Store(tempfile.mkdtemp())
    >>> store.exists()
    False
    """

    def __init__(
        self,
        root: str | Path,
        *,
        lock_timeout: float | None = None,
        on_wait: Callable[[str], object] | None = None,
    ) -> None:
        self.root = Path(root)
        self.lock_timeout = lock_timeout
        self.on_wait = on_wait  # told "waiting for the store lock…" when another writer holds it

    # -- reading -------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def exists(self) -> bool:
        return self.manifest_path.is_file()

    def manifest(self) -> dict[str, Any]:
        if not self.exists():
            return {
                "schema_version": SCHEMA_VERSION,
                "created": None,
                "files": [],
                "tables": {},
                "runs": [],
            }
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(
                f"{self.manifest_path}: the store's manifest is unreadable ({exc})",
                hint="restore it from a backup, or ingest again into a new --store",
            ) from None
        if data.get("schema_version") != SCHEMA_VERSION:
            raise InputError(
                f"{self.root}: store schema version {data.get('schema_version')} is not {SCHEMA_VERSION}",
                hint="ingest the exports again into a new --store",
            )
        self._check_paths(data)
        return data

    def _check_paths(self, data: dict[str, Any]) -> None:
        """Every file the manifest names must lie inside the store (it may have been crafted)."""
        for table, parts in (data.get("tables") or {}).items():
            for rel in parts or []:
                _check_inside(self.root, rel, f"table {table!r}")
        for i, run in enumerate(data.get("runs") or []):
            for key in _RUN_FILES:
                if run.get(key) is not None:
                    _check_inside(self.root, run[key], f"runs[{i}].{key}")
        if (data.get("tracking") or {}).get("file"):
            _check_inside(self.root, data["tracking"]["file"], "tracking.file")

    def parts(self, table: str) -> list[Path]:
        return [self.root / p for p in self.manifest().get("tables", {}).get(table, [])]

    def scan(self, table: str) -> pl.LazyFrame:
        """Lazy frame over a table (empty, with its schema, when the table has no parts)."""
        parts = self.parts(table)
        if not parts:
            return pl.LazyFrame(schema=TABLES[table])
        return pl.scan_parquet(parts, glob=False)

    def read(self, table: str, columns: list[str] | None = None) -> pl.DataFrame:
        lf = self.scan(table)
        if columns is not None:
            lf = lf.select(columns)
        return lf.collect()

    def accounts(self) -> pl.DataFrame:
        """Accounts, one row per (actor, platform), latest known value of each field."""
        lf = self.scan("accounts")
        return (
            lf.group_by(["actor", "platform"], maintain_order=True)
            .agg(
                [pl.col(c).drop_nulls().last() for c in ACCOUNTS if c not in ("actor", "platform")]
            )
            .collect()
        )

    def polls(self) -> pl.DataFrame:
        """Polls, one row per (poll_id, option), with the counts of the latest ingest.

        A poll ingested twice (an early and a final export) keeps its last counts: parts are
        read in commit order, so the last row of each (poll_id, option) is the newest.
        """
        return (
            self.scan("polls")
            .unique(subset=["poll_id", "option"], keep="last", maintain_order=True)
            .sort("poll_id", maintain_order=True)
            .collect()
        )

    def require_events(self) -> None:
        if not self.exists() or not self.parts("events"):
            raise EmptyStoreError(
                f"{self.root}: the store holds no events",
                hint="run `microcomm ingest FILE...` first (or `microcomm demo` to try the example)",
            )

    def current_run(self) -> dict[str, Any] | None:
        runs = self.manifest().get("runs", [])
        return runs[-1] if runs else None

    def communities(self) -> pl.DataFrame:
        run = self.current_run()
        if run is None:
            raise EmptyStoreError(
                f"{self.root}: no communities have been detected yet",
                hint="run `microcomm detect` first",
            )
        return pl.read_parquet(self.root / run["file"], glob=False)

    def edges(self) -> pl.DataFrame:
        """The co-engagement graph of the current run (empty if it was not kept)."""
        run = self.current_run()
        if run is None or not run.get("edges_file"):
            return pl.DataFrame(schema=EDGES)
        return pl.read_parquet(self.root / run["edges_file"], glob=False)

    def filtered(self) -> pl.DataFrame:
        """What the current run's filter set aside (``schema.FILTERED``; empty when nothing)."""
        run = self.current_run()
        if run is None or not run.get("filtered_file"):
            return pl.DataFrame(schema=FILTERED)
        return pl.read_parquet(self.root / run["filtered_file"], glob=False)

    def tracking(self) -> dict[str, Any] | None:
        """The last ``track`` result kept in the store (its data plus ``computed``), or None."""
        return _read_tracking(self.root, self.manifest() if self.exists() else None)

    def keep_tracking(self, data: dict[str, Any]) -> None:
        """Keep a ``track`` result (replacing the last one) for ``report``, in one transaction."""
        with self.transaction() as txn:
            txn.tracking = data

    def pseudonymizer(self) -> Pseudonymizer | None:
        """The keyed hash of a pseudonymised store (``ingest --pseudonymize``), else None."""
        return _pseudonymizer(self.root, self.manifest() if self.exists() else None)

    def known_sha256(self) -> set[str]:
        return {f["sha256"] for f in self.manifest().get("files", [])}

    # -- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """Hold the store's write lock; wait (saying so) up to the timeout for another writer."""
        _before_lock()
        with _writing(self.root):
            _mkdir(self.root)
        timeout = self.lock_timeout if self.lock_timeout is not None else _lock_timeout()
        lock = FileLock(self.root / ".lock", mode=0o600)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            message = f"waiting for the store lock… (another microcomm process is writing to {self.root})"
            if self.on_wait:  # the caller shows it (the CLI on stderr): said once, not twice
                self.on_wait(message)
            else:
                _log.warning(message)
            try:
                lock.acquire(timeout=timeout, poll_interval=0.05)
            except Timeout:
                raise StoreError(
                    f"{self.root}: another microcomm process kept the store locked for {timeout:g} s",
                    hint="wait for it to finish, or raise MICROCOMM_LOCK_TIMEOUT (seconds)",
                ) from None
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Stage writes; commit them all at once on success, drop them all on error.

        The write lock is held throughout, so whatever the caller reads inside the block (the
        known file hashes and event ids, for deduplication) cannot change under it.
        """
        with self._lock():
            with _writing(self.root):
                self._sweep_orphans()
                txn = Transaction(self, self.root / f".staging-{uuid.uuid4().hex}")
                _mkdir(txn.staging)
            try:
                yield txn
                with _writing(self.root):
                    txn._commit()
            finally:
                shutil.rmtree(txn.staging, ignore_errors=True)

    def _sweep_orphans(self) -> None:
        listed = {str(p) for t in TABLES for p in self.parts(t)} if self.exists() else set()
        listed |= {
            str(self.root / r[k])
            for r in [*self.manifest().get("runs", []), self.manifest().get("tracking") or {}]
            for k in (*_RUN_FILES, "file")
            if r.get(k)
        }
        for table in (*TABLES, "tracking"):
            folder = self.root / table
            if folder.is_dir():
                for part in folder.glob("*.parquet" if table in TABLES else "*.json"):
                    if str(part) not in listed:
                        part.unlink(missing_ok=True)
        for staging in self.root.glob(".staging-*"):
            shutil.rmtree(staging, ignore_errors=True)
        for tmp in self.root.glob(".manifest.json.*.tmp"):  # a write killed before its rename
            tmp.unlink(missing_ok=True)


@dataclass
class Transaction:
    """Writes staged by one ingest or detect; see :meth:`Store.transaction`."""

    store: Store
    staging: Path
    staged: dict[str, list[Path]] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)
    run: dict[str, Any] | None = None
    run_frame: pl.DataFrame | None = None
    run_edges: pl.DataFrame | None = None
    run_filtered: pl.DataFrame | None = None
    pseudonymized: bool = False
    tracking: dict[str, Any] | None = None  # a ``track`` result to keep (Store.keep_tracking)

    def add(self, table: str, df: pl.DataFrame) -> None:
        """Stage rows of ``table`` (conformed to its schema)."""
        if df.height == 0:
            return
        path = self.staging / f"{table}-{len(self.staged.get(table, [])):06d}.parquet"
        with _writing(self.store.root):
            _write_parquet(conform(df, TABLES[table]), path)
        self.staged.setdefault(table, []).append(path)

    def pseudonymizer(self, wanted: bool) -> Pseudonymizer | None:
        """The keyed hash to ingest with, or None (real handles): see :func:`storefs.pseudonymizer`."""
        store = self.store
        found = _pseudonymizer(store.root, store.manifest() if store.exists() else None, wanted)
        self.pseudonymized = found is not None
        return found

    def record_file(self, info: dict[str, Any]) -> None:
        self.files.append(info)

    def set_run(
        self,
        run: dict[str, Any],
        communities: pl.DataFrame,
        edges: pl.DataFrame | None = None,
        filtered: pl.DataFrame | None = None,
    ) -> None:
        """Stage a detection run: its assignments and (optionally) its graph's edges and what
        its filter set aside."""
        self.run = run
        self.run_frame = conform(communities, COMMUNITIES)
        self.run_edges = None if edges is None else conform(edges, EDGES)
        self.run_filtered = None if filtered is None else conform(filtered, FILTERED)

    def _commit(self) -> None:
        store = self.store
        manifest = store.manifest()
        stale: list[Path] = []
        manifest["created"] = manifest.get("created") or _now()
        manifest["updated"] = _now()
        tables = manifest.setdefault("tables", {})
        for table, paths in self.staged.items():
            folder = store.root / table
            _mkdir(folder)
            for path in paths:
                final = folder / f"part-{uuid.uuid4().hex}.parquet"
                os.replace(path, final)
                tables.setdefault(table, []).append(str(final.relative_to(store.root)))
        manifest.setdefault("files", []).extend(self.files)
        if self.pseudonymized:
            manifest["pseudonymized"] = True
        if self.run is not None and self.run_frame is not None:
            folder = store.root / "communities"
            _mkdir(folder)
            final = folder / f"run-{self.run['run_id']}.parquet"
            tmp = self.staging / "communities.parquet"
            _write_parquet(self.run_frame, tmp)
            os.replace(tmp, final)
            self.run["file"] = str(final.relative_to(store.root))
            self.run["edges_file"] = None
            if self.run_edges is not None:
                edges = folder / f"edges-{self.run['run_id']}.parquet"
                _write_parquet(self.run_edges, tmp)
                os.replace(tmp, edges)
                self.run["edges_file"] = str(edges.relative_to(store.root))
            self.run["filtered_file"] = None
            if self.run_filtered is not None:
                kept = folder / f"filtered-{self.run['run_id']}.parquet"
                _write_parquet(self.run_filtered, tmp)
                os.replace(tmp, kept)
                self.run["filtered_file"] = str(kept.relative_to(store.root))
            # Keep the history of runs (config, seed, stats) but only the newest assignment file.
            runs = manifest.setdefault("runs", [])
            for old in runs:
                for key in _RUN_FILES:
                    if old.get(key):
                        stale.append(store.root / old[key])
                        old[key] = None
            runs.append(self.run)
        if self.tracking is not None:  # written before the manifest names it, like the parts
            stale += _write_tracking(store.root, manifest, self.tracking, _now())
        _atomic_write_text(store.manifest_path, json.dumps(manifest, indent=2, default=str))
        for path in stale:  # only once the new manifest no longer names them
            path.unlink(missing_ok=True)
