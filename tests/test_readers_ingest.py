"""End to end: folders and ZIP archives of exports through ingest_files into a store."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest

from microcomm.config import IngestConfig
from microcomm.errors import InputError
from microcomm.ingest import ingest_files
from microcomm.store import Store

DATA = Path(__file__).parent / "data" / "readers"
REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder.parent))
    return target


def test_instagram_export_folder_and_zip_give_the_same_store(tmp_path: Path) -> None:
    folder = DATA / "instagram_dyi"
    a = ingest_files([folder], Store(tmp_path / "a"))
    b = ingest_files([_zip(folder, tmp_path / "instagram-export.zip")], Store(tmp_path / "b"))
    by_reader = {Path(f.path.split("!")[-1]).name: (f.reader, f.status) for f in a.files}
    assert by_reader["followers_1.json"] == ("instagram-dyi", "ingested")
    assert by_reader["message_1.json"] == ("meta-messages", "ingested")
    assert by_reader["personal_information.json"][1] == "unrecognised"  # profile only, not events
    assert a.events_added == b.events_added == 9
    ev_a = Store(tmp_path / "a").read("events")
    ev_b = Store(tmp_path / "b").read("events")
    assert set(ev_a.filter(pl.col("kind") == "follow")["target"].drop_nulls()) == {
        "brand.owner",
        "glossier",
        "lush",
    }
    assert any("!instagram_dyi/" in s for s in ev_b["source"])
    # The ZIP is unpacked whole before reading, so personal_information/ (which sorts after
    # connections/) still names the account holder: folder and ZIP give the same events.
    notes = [n for f in b.files for n in f.notes]
    assert not any("account holder is unknown" in n for n in notes)
    assert ev_a.drop("source").sort("event_id").equals(ev_b.drop("source").sort("event_id"))
    ents = Store(tmp_path / "a").read("entities")
    assert ents.filter(pl.col("type") == "emoji")["value"].to_list().count("😍") >= 1
    assert "vegan" in ents.filter(pl.col("type") == "hashtag")["value"].to_list()


def test_x_archive_zip_with_account_js(tmp_path: Path) -> None:
    archive = _zip(DATA / "x_archive", tmp_path / "twitter-2024.zip")
    result = ingest_files([archive], Store(tmp_path / "s"))
    events = Store(tmp_path / "s").read("events")
    # account.js sorts first in the ZIP, so the tweets know their author
    assert set(events.filter(pl.col("kind") == "post")["actor"]) == {"ownerhandle"}
    assert {f.reader for f in result.files if f.status == "ingested"} == {"x-archive"}
    unrecognised = [f.path for f in result.files if f.status == "unrecognised"]
    assert any(p.endswith("ad-engagements.js") for p in unrecognised)
    skipped = sum(f.rows_skipped for f in result.files)
    assert skipped == 1


def test_reingest_is_a_no_op_and_duplicates_are_counted(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    first = ingest_files([DATA / "reddit_pushshift.ndjson"], store)
    assert first.events_added == 3 and first.files[0].rows_skipped == 2  # cut line, [deleted]
    copy = tmp_path / "copy.ndjson"
    copy.write_bytes((DATA / "reddit_pushshift.ndjson").read_bytes() + b"\n")
    second = ingest_files([copy], store)
    assert second.events_added == 0 and second.files[0].duplicates == 3


def test_strict_leaves_the_store_untouched(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    ingest_files([DATA / "x_v1.jsonl"], store, config=IngestConfig(strict=False))
    before = store.read("events").height
    with pytest.raises(InputError, match="line 4"):
        ingest_files([DATA / "reddit_pushshift.ndjson"], store, config=IngestConfig(strict=True))
    assert store.read("events").height == before


def test_unknown_file_names_the_formats_tried(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{"hello": "world"}')
    with pytest.raises(InputError, match=r"tried: .*bluesky-posts.*x-archive.*canonical"):
        ingest_files([path], Store(tmp_path / "s"))
    assert not Store(tmp_path / "s").exists()


def test_forced_wrong_reader_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read this file|expected|no 'messages'"):
        ingest_files(
            [DATA / "tiktok" / "user_data.json"],
            Store(tmp_path / "s"),
            config=IngestConfig(platform="discord-dce"),
        )


@pytest.mark.realdata
@pytest.mark.skipif(not REALDATA.is_dir(), reason=f"real export samples not found at {REALDATA}")
def test_discord_export_folder_with_odd_names(tmp_path: Path) -> None:
    folder = tmp_path / "DiscordChatExporter [guild]"
    shutil.copytree(REALDATA / "discord-dce-example-guild", folder)
    result = ingest_files([folder], Store(tmp_path / "s"))
    assert [f.reader for f in result.files] == ["discord-dce"] * 4
    assert sum(f.rows_read for f in result.files) == 51 - 4 + 4  # 47 messages + 4 mentions
    events = Store(tmp_path / "s").read("events")
    assert events.filter(pl.col("kind").is_in(["post", "reply"])).height == 42
