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


def test_bracketed_store_detects_and_reports(tmp_path: Path) -> None:
    """detect and report read the store's parts and run files literally too (polars globbed
    them: 'expanded paths were empty')."""
    from microcomm.pipeline import run_detect, run_report

    rows = [f"instagram,comment,u{g}{m},post{g}{p},hi,2026-01-0{1 + p}T10:00:00Z\n"
            for g in range(2) for m in range(6) for p in range(3)]  # fmt: skip
    src = tmp_path / "two.csv"
    src.write_text(HEADER + "".join(rows), encoding="utf-8")
    store = Store(tmp_path / "brand [2026]")
    run_ingest([src], store=store)
    assert run_detect(store=store).communities == 2
    assert store.communities().height > 0 and store.filtered().height == 0
    assert run_report(store=store) is not None


# --- 2. cut compressed files ------------------------------------------------------------------
def _jsonl_rows(n: int) -> bytes:
    return "".join(
        f'{{"platform":"instagram","kind":"comment","actor":"user{i:05d}","target":"post{i % 7}",'
        f'"text":"hello number {i}","created_at":"2026-01-01T00:00:00Z"}}\n'
        for i in range(n)
    ).encode()


def _compress(kind: str, data: bytes) -> bytes:
    if kind == "gz":
        import gzip

        return gzip.compress(data)
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


@pytest.mark.parametrize("kind", ["gz", "zst"])
def test_cut_compressed_file_is_one_line_and_stores_nothing(tmp_path: Path, kind: str) -> None:
    whole = _compress(kind, _jsonl_rows(5000))
    cut = tmp_path / f"events.jsonl.{kind}"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    store = Store(tmp_path / "s")
    with pytest.raises(InputError) as err:
        run_ingest([cut], store=store)
    message = err.value.args[0]
    assert message.startswith(f"{cut.name}: the compressed file is cut short or corrupt (")
    assert message.endswith("; nothing of it was stored")
    assert "\n" not in str(err.value)
    assert not store.exists() or _actors(store) == []


@pytest.mark.parametrize("kind", ["gz", "zst"])
def test_keep_partial_keeps_whole_rows_and_marks_the_file_cut(tmp_path: Path, kind: str) -> None:
    from microcomm.config import Config

    rows = _jsonl_rows(5000)
    whole = _compress(kind, rows)
    cut = tmp_path / f"events.jsonl.{kind}"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    store = Store(tmp_path / "s")
    config = Config().override("ingest", keep_partial=True)
    result = run_ingest([cut], store=store, config=config)
    (report,) = result.files
    assert report.cut and "cut short or corrupt" in report.notes[-1]
    actors = _actors(store)
    # A prefix of the file, whole rows only: no phantom all-null event, no half record.
    assert 0 < len(actors) < 5000
    assert actors == [f"user{i:05d}" for i in range(len(actors))]
    assert report.rows_skipped == 0


def test_whole_multi_frame_zst_reads_every_row(tmp_path: Path) -> None:
    import zstandard

    rows = _jsonl_rows(300)
    half = rows.index(b"\n", len(rows) // 2) + 1
    c = zstandard.ZstdCompressor()
    path = tmp_path / "two-frames.jsonl.zst"
    path.write_bytes(c.compress(rows[:half]) + c.compress(rows[half:]))
    store = Store(tmp_path / "s")
    assert run_ingest([path], store=store).events_added == 300


# --- 3. bad values ----------------------------------------------------------------------------
def test_epochs_in_any_unit_are_read_by_magnitude() -> None:
    from datetime import UTC, datetime

    from microcomm.normalize import parse_datetimes

    base = 1_700_000_000  # 2023-11-14T22:13:20Z
    values = [base, base * 1_000 + 123, base * 1_000_000 + 123_456, base * 10**9 + 123_456_000]
    got = parse_datetimes(pl.Series(values)).to_list()
    t = datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert [g.replace(tzinfo=UTC) for g in got] == [
        t,
        t.replace(microsecond=123_000),
        t.replace(microsecond=123_456),
        t.replace(microsecond=123_456),
    ]
    # As text too (CSV columns are read as text).
    assert parse_datetimes(pl.Series([str(values[2])])).to_list()[0].replace(tzinfo=UTC) == got[2]
    # Past any unit: null (reported as unparseable), never an OverflowError.
    assert parse_datetimes(pl.Series([1e30, float("inf"), -1e30])).to_list() == [None] * 3


def test_microsecond_epochs_ingest(tmp_path: Path) -> None:
    # Used to end in an OverflowError traceback (times past year 9999 in the coverage span).
    path = tmp_path / "us.csv"
    path.write_text(
        HEADER + "instagram,comment,ann,post1,hi,1700000000123456\n"
        "instagram,comment,bob,post1,yo,1700000000\n",
        encoding="utf-8",
    )
    result = run_ingest([path], store=Store(tmp_path / "s"))
    (report,) = result.files
    assert report.first == "2023-11-14T22:13:20+00:00"
    assert report.last == "2023-11-14T22:13:20.123456+00:00"


def test_absurd_epoch_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "absurd.csv"
    path.write_text(HEADER + "instagram,comment,ann,post1,hi,1e30\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"absurd.csv:.*cannot parse created_at '1e30'"):
        run_ingest([path], store=Store(tmp_path / "s"))


INVISIBLES = ["\ufe0f", "\u034f", "\u3164", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
INVISIBLES += ["\u115f", "\u1160", "\uffa0"]  # Hangul fillers (choseong, jungseong, halfwidth)


def test_invisible_characters_leave_handles() -> None:
    from microcomm.normalize import normalize_handle

    raw = ["jane" + c for c in INVISIBLES] + ["ja" + "".join(INVISIBLES) + "ne", "\u3164"]
    got = pl.DataFrame({"h": raw}).select(normalize_handle(pl.col("h"))).to_series().to_list()
    assert got == ["jane"] * (len(INVISIBLES) + 1) + [None]


def test_invisible_characters_never_split_an_account_property() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from microcomm.normalize import normalize_handle

    letters = st.text(alphabet=st.characters(codec="ascii", categories=["Ll", "Nd"]), min_size=1)
    inserts = st.lists(st.tuples(st.integers(0, 40), st.sampled_from(INVISIBLES)))

    # Up to 10 handles per example, normalised in one frame: ~250 handles as before (200
    # examples of one), for a fifth of the polars calls (4 ms each).
    @settings(max_examples=50, deadline=None, derandomize=True)
    @given(st.lists(st.tuples(letters, inserts), min_size=1, max_size=10))
    def check(cases: list[tuple[str, list[tuple[int, str]]]]) -> None:
        handles, dirty = [h for h, _ in cases], []
        for handle, where in cases:
            for pos, ch in where:
                pos = pos % (len(handle) + 1)
                handle = handle[:pos] + ch + handle[pos:]
            dirty.append(handle)
        frame = pl.DataFrame({"h": handles + dirty}).select(normalize_handle(pl.col("h")))
        got = frame.to_series().to_list()
        assert got[len(cases) :] == got[: len(cases)]

    check()


# --- 4. special files, links, archives --------------------------------------------------------
def test_fifo_on_the_command_line_is_refused_without_hanging(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as err:
        run_ingest([fifo], store=Store(tmp_path / "s"))
    assert err.value.args[0] == f"{fifo}: is a FIFO (named pipe), not a file; microcomm reads only regular files"


def test_fifo_inside_a_folder_is_refused(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "exports"
    _csv(folder / "a.csv", ["ann"])
    os.mkfifo(folder / "b.csv")
    with pytest.raises(InputError, match=r"b\.csv: is a FIFO"):
        run_ingest([folder], store=Store(tmp_path / "s"))
    assert not Store(tmp_path / "s").exists()


def test_links_out_of_a_folder_are_skipped_unless_followed(tmp_path: Path) -> None:
    from microcomm.config import Config

    folder = tmp_path / "exports"
    _csv(folder / "a.csv", ["ann"])
    secret = _csv(tmp_path / "elsewhere" / "secret.csv", ["victim"])
    (folder / "b.csv").symlink_to(secret)
    (folder / "c.csv").symlink_to(folder / "a.csv")  # a link inside the folder is fine
    store = Store(tmp_path / "s")
    result = run_ingest([folder], store=store)
    assert sorted(f.path for f in result.files) == ["exports/a.csv", "exports/c.csv"]
    assert _actors(store) == ["ann"]
    followed = Store(tmp_path / "s2")
    run_ingest([folder], store=followed, config=Config().override("ingest", follow_symlinks=True))
    assert _actors(followed) == ["ann", "victim"]


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "export.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.csv", HEADER + "\n" * 5_000_000)  # 5 MB of newlines: ~5 KB packed
    with pytest.raises(InputError) as err:
        run_ingest([bomb], store=Store(tmp_path / "s"))
    assert "over the limit of 200× (ingest.max_expansion_ratio): a ZIP bomb?" in err.value.args[0]


def test_zip_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    import zipfile

    from microcomm.config import Config

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("a.csv", HEADER + "instagram,comment,ann,p,hi,2026-01-01\n" * 100)
    config = Config().override("ingest", max_unpacked_gb=0.001)  # 1 MB: fine
    assert run_ingest([archive], store=Store(tmp_path / "s"), config=config).events_added == 1
    with zipfile.ZipFile(archive, "a", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("b.csv", "x" * 1_100_000)
    with pytest.raises(InputError, match=r"unpacks to 1,10\d,\d{3} bytes, over the limit of 1,000,000"):
        run_ingest([archive], store=Store(tmp_path / "s3"), config=config)


def test_work_folders_of_killed_ingests_are_swept(tmp_path: Path) -> None:
    import subprocess
    import sys

    from microcomm.ingest.walk import work_folder

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    left = tmp_path / "microcomm-ingest-left"
    (left / "zip-1").mkdir(parents=True)
    (left / ".pid").write_text(dead.stdout.strip(), encoding="ascii")
    other = tmp_path / "microcomm-ingest-other"  # no pid file: not known to be ours, kept
    other.mkdir()
    with work_folder(tmp_path) as mine:
        assert mine.is_dir() and not left.exists() and other.exists()
    assert not mine.exists()


# --- 5. Bluesky follower / follow CSVs --------------------------------------------------------
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FOLLOW_GRAPH = SHARED / "realdata" / "bluesky-nytimes-follow-graph"
FOLLOW_HEADER = "did,handle,display_name,created_at\n"


def test_bluesky_follow_lists_with_owner(tmp_path: Path) -> None:
    from microcomm.config import Config

    folder = tmp_path / "bsky"
    folder.mkdir()
    (folder / "followers.csv").write_text(
        FOLLOW_HEADER + "did:plc:a,ann.bsky.social,Ann,2024-01-01T00:00:00Z\n"
        "did:plc:b,,,2024-01-02T00:00:00Z\n",
        encoding="utf-8",
    )
    (folder / "follows.csv").write_text(
        FOLLOW_HEADER + "did:plc:c,cid.bsky.social,Cid,2024-01-03T00:00:00Z\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"followers\.csv: a Bluesky follower/follow list, but whose"):
        run_ingest([folder], store=Store(tmp_path / "s0"))
    store = Store(tmp_path / "s")
    run_ingest([folder], store=store, config=Config().override("ingest", owner="@Brand.bsky.social"))
    got = store.read("events").sort("event_id").select("event_id", "kind", "actor", "target")
    assert got.rows() == [
        ("bluesky:follower/ann.bsky.social/brand.bsky.social", "follow", "ann.bsky.social", "brand.bsky.social"),
        ("bluesky:follower/did:plc:b/brand.bsky.social", "follow", "did:plc:b", "brand.bsky.social"),
        ("bluesky:following/brand.bsky.social/cid.bsky.social", "follow", "brand.bsky.social", "cid.bsky.social"),
    ]


@pytest.mark.skipif(not FOLLOW_GRAPH.is_dir(), reason=f"{FOLLOW_GRAPH} absent (real data not shared here)")
def test_bluesky_nytimes_follow_graph_folder(tmp_path: Path) -> None:
    # Used to ingest 0 events: the follower lists were not read at all.
    store = Store(tmp_path / "s")
    result = run_ingest([FOLLOW_GRAPH], store=store)
    by_file = {Path(f.path).name: f for f in result.files}
    assert by_file["followers.csv"].reader == "bluesky-follows"
    assert (by_file["followers.csv"].rows_added, by_file["follows.csv"].rows_added) == (1713, 116)
    events = store.read("events")
    followers = events.filter(pl.col("event_id").str.starts_with("bluesky:follower/"))
    assert set(followers["target"]) == {"nytimes.com"}
    follows = events.filter(pl.col("event_id").str.starts_with("bluesky:following/"))
    assert set(follows["actor"]) == {"nytimes.com"}
    assert "jasonzinoman.bsky.social" in set(follows["target"])
