"""Hostile inputs (issue 9, the input half): paths that look like globs, cut compressed files,
odd timestamps, special files, archives and the Bluesky follow-graph CSVs."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from microcomm.errors import InputError
from microcomm.pipeline import run_ingest
from microcomm.store import Store

HEADER = "platform,kind,actor,target,text,created_at\n"


def _csv(path: Path, actors: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = "".join(f"instagram,comment,{a},post1,hi {a},2026-01-01T00:00:00Z\n" for a in actors)
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _actors(store: Store) -> list[str]:
    parts = store.parts("events")
    if not parts:
        return []
    frames = [pl.read_parquet(p, columns=["actor"], glob=False) for p in parts]
    return sorted(pl.concat(frames)["actor"].to_list())


# --- 1. literal paths -------------------------------------------------------------------------
def test_bracketed_file_name_reads_exactly_that_file(tmp_path: Path) -> None:
    # 'export [1].csv' as a glob matches 'export 1.csv': the old code stored alice and bob.
    _csv(tmp_path / "export 1.csv", ["alice", "bob"])
    named = _csv(tmp_path / "export [1].csv", ["carol"])
    store = Store(tmp_path / "s")
    run_ingest([named], store=store)
    assert _actors(store) == ["carol"]


def test_bracketed_folder_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "[client] brand"
    _csv(folder / "a.csv", ["dave", "erin"])
    store = Store(tmp_path / "s")
    result = run_ingest([folder], store=store)
    assert result.events_added == 2
    assert _actors(store) == ["dave", "erin"]


def test_bracketed_store_ingests_and_dedupes(tmp_path: Path) -> None:
    # The second ingest reads the stored event ids back: with a globbed path it found none.
    src = _csv(tmp_path / "in.csv", ["frank", "gina"])
    store = Store(tmp_path / "brand [2026]")
    assert run_ingest([src], store=store).events_added == 2
    _csv(tmp_path / "in2.csv", ["frank", "gina", "hal"])
    assert run_ingest([tmp_path / "in2.csv"], store=store).events_added == 1
    assert _actors(store) == ["frank", "gina", "hal"]
