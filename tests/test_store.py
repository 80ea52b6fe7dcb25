from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from microcomm.errors import EmptyStoreError, InputError
from microcomm.ingest import ingest_files
from microcomm.store import Store


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_reingesting_the_same_file_changes_nothing(tiny_csv: Path, store_dir: Path) -> None:
    store = Store(store_dir)
    first = ingest_files([tiny_csv], store)
    assert first.events_added == 72
    before = _snapshot(store_dir)
    again = ingest_files([tiny_csv], store)
    assert again.events_added == 0
    assert again.files[0].status == "unchanged"
    after = {k: v for k, v in _snapshot(store_dir).items() if k != "manifest.json"}
    assert after == {k: v for k, v in before.items() if k != "manifest.json"}
    assert store.read("events").height == 72


def test_same_rows_in_another_file_are_deduplicated(
    tiny_csv: Path, tmp_path: Path, store_dir: Path
) -> None:
    copy = tmp_path / "copy.csv"
    copy.write_text(tiny_csv.read_text() + "\n")  # other bytes, same rows
    store = Store(store_dir)
    ingest_files([tiny_csv], store)
    result = ingest_files([copy], store)
    assert result.events_added == 0
    assert result.files[0].duplicates == 72
    assert store.read("events")["event_id"].n_unique() == 72


def test_failed_ingest_leaves_store_exactly_as_it_was(
    tiny_csv: Path, tmp_path: Path, store_dir: Path
) -> None:
    store = Store(store_dir)
    ingest_files([tiny_csv], store)
    before = _snapshot(store_dir)
    good = tmp_path / "good.csv"
    good.write_text("platform,kind,actor,target,text,created_at\nx,post,zed,t1,hi,2026-01-01\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("platform,kind,actor,target,text,created_at\nx,post,ann,t1,hi,not a date\n")
    with pytest.raises(InputError, match=r"bad\.csv:2: cannot parse created_at 'not a date'"):
        ingest_files([good, bad], store)  # the good file's rows must not land either
    assert _snapshot(store_dir) == before
    assert not list(store_dir.glob(".staging-*"))


def test_empty_store_says_what_to_do(store_dir: Path) -> None:
    with pytest.raises(EmptyStoreError, match="holds no events") as err:
        Store(store_dir).require_events()
    assert "microcomm ingest" in (err.value.hint or "")


def test_orphan_parts_are_swept(tiny_csv: Path, store_dir: Path) -> None:
    store = Store(store_dir)
    ingest_files([tiny_csv], store)
    orphan = store_dir / "events" / "part-orphan.parquet"
    pl.DataFrame({"x": [1]}).write_parquet(orphan)
    ingest_files([tiny_csv], store)
    assert not orphan.exists()
    assert store.read("events").height == 72


def test_seen_ids_membership_across_merged_runs() -> None:
    from microcomm.ingest.dedupe import SeenIds

    seen = SeenIds()
    batches = [
        pl.Series([f"x:{i}" for i in range(start, start + 700)]) for start in range(0, 7000, 700)
    ]
    for batch in batches:
        assert not seen.contains(batch).any()
        seen.add(batch)
    probe = pl.Series([f"x:{i}" for i in range(6990, 7010)])
    assert seen.contains(probe).tolist() == [True] * 10 + [False] * 10
    assert len(seen._runs) < len(batches)  # runs were merged


def test_duplicates_spread_over_batches_are_dropped(tmp_path: Path) -> None:
    from microcomm.config import IngestConfig

    rows = [f"x,comment,a{i % 50},p{i % 7},hi,2024-01-01,{i % 2500}" for i in range(6000)]
    src = tmp_path / "e.csv"
    src.write_text("platform,kind,actor,target,text,created_at,event_id\n" + "\n".join(rows) + "\n")
    store = Store(tmp_path / "s")
    result = ingest_files([src], store, config=IngestConfig(batch_size=1000))
    assert result.events_added == 2500
    assert result.files[0].duplicates == 3500
    assert store.read("events")["event_id"].n_unique() == 2500
