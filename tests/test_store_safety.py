"""The store under stress (issue 9): two writers at once, a crafted manifest, private file
modes, and disk-full / read-only / permission errors turned into one line."""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from pathlib import Path

import polars as pl
import pytest

import microcomm.store as store_mod
import microcomm.storefs as storefs
from microcomm.errors import StoreError
from microcomm.ingest import core, ingest_files
from microcomm.store import Store


def test_two_ingests_at_once_store_no_duplicates(
    tiny_csv: Path, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pauses right after reading what the store holds; B ingests the same rows meanwhile.

    Before the fix A read the known ids outside the lock, so both stored the 72 events (144).
    Now A holds the lock while it reads; B waits (and says so) and then adds nothing.
    """
    a_reading, b_moved = threading.Event(), threading.Event()
    real_seen = core._seen_ids
    messages: list[str] = []

    def paused_seen(store: Store):  # type: ignore[no-untyped-def]
        seen = real_seen(store)
        if threading.current_thread().name == "A":
            a_reading.set()
            b_moved.wait(timeout=20)  # until B waits for the lock (or, unlocked, has finished)
        return seen

    monkeypatch.setattr(core, "_seen_ids", paused_seen)
    results: dict[str, object] = {}

    def run(name: str) -> None:
        def said(message: str) -> None:
            messages.append(message)
            b_moved.set()

        s = Store(store_dir, on_wait=said if name == "B" else None)
        try:
            results[name] = ingest_files([tiny_csv], s).events_added
        except Exception as exc:
            results[name] = exc
        finally:
            if name == "B":
                b_moved.set()

    a = threading.Thread(target=run, args=("A",), name="A")
    a.start()
    assert a_reading.wait(timeout=20)
    b = threading.Thread(target=run, args=("B",), name="B")
    b.start()
    a.join(30)
    b.join(30)
    assert results == {"A": 72, "B": 0}
    assert Store(store_dir).read("events").height == 72
    assert messages and messages[0].startswith("waiting for the store lock…")


def test_a_writer_gives_up_after_the_timeout_in_one_line(store_dir: Path) -> None:
    holder = Store(store_dir)
    waited: list[str] = []
    with holder.transaction():
        other = Store(store_dir, lock_timeout=0.2, on_wait=waited.append)
        with pytest.raises(StoreError) as err, other.transaction():
            pass
    assert str(err.value).startswith(
        f"{store_dir}: another microcomm process kept the store locked for 0.2 s"
    )
    assert "MICROCOMM_LOCK_TIMEOUT" in str(err.value) and "\n" not in str(err.value)
    assert len(waited) == 1
    with Store(store_dir, lock_timeout=0.2).transaction():  # released: the next writer goes
        pass


def test_detect_writes_under_the_same_lock(store_dir: Path) -> None:
    """Detect commits through ``transaction()``: it waits for an ingest holding the lock."""
    with (
        Store(store_dir).transaction(),
        pytest.raises(StoreError, match="kept the store locked"),
        Store(store_dir, lock_timeout=0.1).transaction() as txn,
    ):
        txn.set_run({"run_id": "r1"}, pl.DataFrame())


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("runs", "../victim.txt"),
        ("runs", "/tmp/victim.txt"),
        ("tables", "events/../../victim.txt"),
    ],
)
def test_a_crafted_manifest_never_reaches_outside_the_store(
    tiny_csv: Path, tmp_path: Path, where: str, value: str
) -> None:
    root = tmp_path / "store"
    store = Store(root)
    ingest_files([tiny_csv], store)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    manifest = json.loads(store.manifest_path.read_text())
    if where == "runs":
        manifest["runs"] = [{"run_id": "x", "file": value, "edges_file": None}]
    else:
        manifest["tables"]["events"].append(value)
    store.manifest_path.write_text(json.dumps(manifest))
    key = "runs[0].file" if where == "runs" else "table 'events'"
    with pytest.raises(StoreError) as err:
        store.read("events")
    assert str(err.value).startswith(
        f"{root / 'manifest.json'}: {key} names {value!r}, outside the store"
    )
    with pytest.raises(StoreError), store.transaction() as txn:  # what detect does
        txn.set_run({"run_id": "y"}, pl.DataFrame())
    assert victim.read_text() == "keep me"


def test_orphans_of_a_killed_write_are_swept(tiny_csv: Path, store_dir: Path) -> None:
    store = Store(store_dir)
    ingest_files([tiny_csv], store)
    orphans = [
        store_dir / ".manifest.json.0123abcd.tmp",
        store_dir / "events" / "part-dead.parquet",
        store_dir / ".staging-dead" / "events-000000.parquet",
    ]
    for path in orphans:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"half")
    again = ingest_files([tiny_csv], store)
    assert again.events_added == 0
    assert not any(p.exists() for p in orphans)
    assert not (store_dir / ".staging-dead").exists()
    assert store.read("events").height == 72


def test_store_files_are_private_whatever_the_umask(tiny_csv: Path, store_dir: Path) -> None:
    old = os.umask(0)
    try:
        ingest_files([tiny_csv], Store(store_dir))
    finally:
        os.umask(old)
    modes = {
        str(p.relative_to(store_dir)): stat.S_IMODE(p.stat().st_mode)
        for p in [store_dir, *store_dir.rglob("*")]
    }
    assert {k: v for k, v in modes.items() if Path(store_dir / k).is_dir()} == {
        k: 0o700 for k in modes if Path(store_dir / k).is_dir()
    }
    files = {k: v for k, v in modes.items() if Path(store_dir / k).is_file()}
    assert "manifest.json" in files and any(k.startswith("events/") for k in files)
    assert files == dict.fromkeys(files, 0o600)


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "no permission to write"),
    ],
)
def test_write_failures_are_one_line_and_change_nothing(
    tiny_csv: Path, store_dir: Path, monkeypatch: pytest.MonkeyPatch, code: int, hint: str
) -> None:
    """Tests run as root, where chmod stops nothing, so the failing write is simulated."""
    store = Store(store_dir)

    def failing(df: pl.DataFrame, path: Path) -> None:
        raise pl.exceptions.ComputeError(
            f"parquet: underlying IO error: {os.strerror(code)} (os error {code})"
        )

    monkeypatch.setattr(store_mod, "_write_parquet", failing)
    with pytest.raises(StoreError) as err:
        ingest_files([tiny_csv], store)
    message = str(err.value)
    assert message.startswith(
        f"{store_dir}: cannot write the store ({os.strerror(code)}); nothing was changed"
    )
    assert hint in message and "\n" not in message
    assert not store.exists()
    assert not list(store_dir.glob(".staging-*"))


def test_a_full_disk_while_writing_the_manifest_is_one_line(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store_mod, "_atomic_write_text", full)
    with pytest.raises(StoreError, match="disk is full"), Store(store_dir).transaction() as txn:
        txn.add("events", pl.DataFrame({"event_id": ["e1"]}))
    assert not Store(store_dir).exists()


def test_other_errors_are_not_disguised_as_store_errors() -> None:
    with pytest.raises(OSError, match="No such file"), storefs.writing(Path("s")):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")


def test_ingest_and_survey_read_what_the_store_holds_under_its_lock(
    tiny_csv: Path, tmp_path: Path, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whenever a writer reads the known file hashes, no other writer can take the lock."""
    from microcomm.survey import write_answers

    ingest_files([tiny_csv], Store(store_dir))
    held: list[bool] = []
    real = Store.known_sha256

    def probing(self: Store) -> set[str]:
        try:
            with Store(self.root, lock_timeout=0).transaction():
                held.append(False)
        except StoreError:
            held.append(True)
        return real(self)

    monkeypatch.setattr(Store, "known_sha256", probing)
    survey = tmp_path / "s.csv"
    pl.DataFrame({"actor": ["a"], "question": ["q"], "answer": ["x"]}).write_csv(survey)
    assert write_answers([survey], Store(store_dir)) == 1
    assert ingest_files([tiny_csv], Store(store_dir)).events_added == 0
    assert held == [True, True]


@pytest.mark.parametrize("wrapped", [True, False])
def test_a_full_disk_while_writing_an_output_is_one_line(tmp_path: Path, wrapped: bool) -> None:
    """Exports write through polars, which wraps the OS error: still one line, no leftover."""
    from microcomm.outputs import OutputError, write_atomic

    def full(tmp: Path) -> None:
        tmp.write_text("half")
        if wrapped:
            raise pl.exceptions.ComputeError("csv: No space left on device (os error 28)")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OutputError) as err:
        write_atomic(tmp_path / "members.csv", full)
    assert str(err.value) == f"cannot write {tmp_path / 'members.csv'}: No space left on device"
    assert list(tmp_path.iterdir()) == []
