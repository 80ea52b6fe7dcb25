"""Track two stored detection runs: last month's store against this month's.

A run is named by a store directory (its newest run) or by a run id recorded in the
manifest of ``--store``. A store keeps the assignments of its newest run only (older runs
keep their config and stats), so an older run id is refused with the way out: point at the
store directory that run was made in. Each run is one "period": its own store's events and
entities and its own communities (level 0, at least ``report.min_size`` members).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.config import Config
from microcomm.errors import EmptyStoreError, InputError
from microcomm.store import Store
from microcomm.track.core import ENTITY_COLUMNS, EVENT_COLUMNS, build_tracking
from microcomm.track.periods import Period


def resolve_run(ref: str, *, store: Store) -> tuple[Store, dict[str, Any]]:
    """The store and manifest entry of ``ref``: a store directory, or a run id of ``store``.

    Raises
    ------
    InputError
        ``ref`` is neither, or names a run whose assignments are no longer kept.
    EmptyStoreError
        The store named has no detection run.
    """
    path = Path(ref)
    if (path / "manifest.json").is_file():
        other = Store(path)
        run = other.current_run()
        if run is None:
            raise EmptyStoreError(
                f"{path}: no communities have been detected in this store",
                hint=f"run `microcomm detect --store {path}` first",
            )
        return other, run
    runs = store.manifest().get("runs", []) if store.exists() else []
    found = [r for r in runs if r.get("run_id") == ref]
    if not found:
        known = ", ".join(r["run_id"] for r in runs[-3:]) or "none"
        raise InputError(
            f"{ref}: neither a store directory nor a run id of {store.root} (its last runs: {known})",
            hint="give a store directory (e.g. last month's --store) or a run id from its manifest.json",
        )
    run = found[-1]
    if not run.get("file") or not (store.root / run["file"]).is_file():
        raise InputError(
            f"{ref}: this run's communities are no longer kept in {store.root} (a store keeps its newest run only)",
            hint="compare the store directories the two runs were made in instead",
        )
    return store, run


def _snapshot(
    store: Store, run: dict[str, Any], index: int, min_size: int
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, Period]:
    from microcomm.filter import drop_filtered

    store.require_events()
    # What that run's filter set aside reaches no interest, tone or flow here either.
    events, entities = drop_filtered(
        store.read("events", EVENT_COLUMNS),
        store.read("entities", ENTITY_COLUMNS),
        store.filtered(),
    )
    events = events.with_columns(pl.lit(index, pl.Int32).alias("period"))
    entities = entities.with_columns(pl.lit(index, pl.Int32).alias("period"))
    members = (
        pl.read_parquet(store.root / run["file"], glob=False)
        .filter((pl.col("level") == 0) & (pl.col("community") >= 0))  # -1: unplaced
        .select("actor", "community")
        .filter(pl.len().over("community") >= min_size)
        .with_columns(pl.lit(index, pl.Int32).alias("period"))
        .select("period", "actor", pl.col("community").cast(pl.Int64))
    )
    times = events["created_at"].drop_nulls()
    lo: Any = times.min() if len(times) else None
    hi: Any = times.max() if len(times) else None
    period = Period(
        index=index,
        label=str(run["run_id"]),
        start=lo,
        end=None if hi is None else hi + timedelta(microseconds=1),
        events=events.height,
        accounts=events["actor"].n_unique(),
        communities=members["community"].n_unique(),
        placed=members.height,
        status="ok" if members.height else "no community reaches report.min_size",
    )
    return events, entities, members, period


def track_runs(
    ref_a: str, ref_b: str, *, store: Store, config: Config | None = None
) -> dict[str, Any]:
    """The tracking data between two stored runs (see :mod:`microcomm.track.core`)."""
    config = config or Config()
    (sa, ra), (sb, rb) = resolve_run(ref_a, store=store), resolve_run(ref_b, store=store)
    if ra["run_id"] == rb["run_id"] and sa.root.resolve() == sb.root.resolve():
        raise InputError(
            f"{ref_a} and {ref_b} are the same run", hint="give two different runs or stores"
        )
    a = _snapshot(sa, ra, 0, config.report.min_size)
    b = _snapshot(sb, rb, 1, config.report.min_size)
    data = build_tracking(
        pl.concat([a[0], b[0]]),
        pl.concat([a[1], b[1]]),
        pl.concat([a[2], b[2]]),
        [a[3], b[3]],
        config=config,
        period="run",
    )
    data["runs"] = [
        {"run_id": r["run_id"], "store": str(s.root), "created": r.get("created")}
        for s, r in ((sa, ra), (sb, rb))
    ]
    return data
