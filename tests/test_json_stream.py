"""Whole-document JSON is streamed (issue 9 item 6): records one by one, errors in one line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from microcomm.errors import InputError
from microcomm.ingest._common import iter_json_array
from microcomm.ingest.jsonstream import iter_items, read_header, read_parts


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_items_at_a_path_with_records_cut_across_every_read(tmp_path: Path) -> None:
    records = [{"id": i, "text": "café ☕" * (i % 3), "score": i / 4} for i in range(50)]
    doc = {"meta": {"n": 50}, "data": records, "includes": {"users": [{"id": 9}]}}
    path = _write(tmp_path, "page.json.gz", gzip.compress(json.dumps(doc).encode()))
    assert list(iter_items(path, "data.item", buf_size=7)) == records
    assert read_parts(path, ["includes", "meta", "absent"]) == {
        "includes": {"users": [{"id": 9}]},
        "meta": {"n": 50},
    }


def test_js_prefix_and_bom_are_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.js", b'\xef\xbb\xbfwindow.YTD.tweets.part0 = [{"a": 1}, {"a": 2}]')
    assert list(iter_items(path, "item", js_prefix=True, array="window.YTD")) == [
        {"a": 1},
        {"a": 2},
    ]
    with pytest.raises(InputError, match=r"t\.js: no 'window\.YTD' array found"):
        list(iter_items(_write(tmp_path, "t.js", b'{"a": 1}'), "item", array="window.YTD"))


def test_header_before_the_array_and_every_array_of_that_name(tmp_path: Path) -> None:
    doc = b'{"guild": {"id": "1"}, "orderedItems": [], "n": 2, "orderedItems": [1, 2]}'
    header, items = iter_json_array(_write(tmp_path, "o.json", doc), "orderedItems")
    assert header == {"guild": {"id": "1"}}
    assert list(items) == [1, 2]
    with pytest.raises(InputError, match=r"o2\.json: no 'messages' array found"):
        read_header(_write(tmp_path, "o2.json", b'{"a": 1}'), "messages")


def test_cut_document_is_one_line_naming_the_file_and_byte(tmp_path: Path) -> None:
    data = b'{"data": [' + b",".join(b'{"id": %d}' % i for i in range(5000)) + b', {"id": 50'
    path = _write(tmp_path, "cut.json", data)
    with pytest.raises(InputError) as info:
        list(iter_items(path, "data.item"))
    assert str(info.value).splitlines()[0] == (
        f"{path}: the JSON document is cut short (it ends at byte {len(data):,}, inside a value);"
        " nothing of it was stored — the file is truncated: export or download it again"
    )


def test_invalid_json_names_line_column_and_byte(tmp_path: Path) -> None:
    body = b'[\n{"a": 1},\n' + b'{"b": 2},' * 20_000 + b'\n{"c" 3}]'
    path = _write(tmp_path, "bad.json", body)
    with pytest.raises(InputError) as info:
        list(iter_items(path, "item"))
    byte = body.index(b"}]") + 1  # yajl stops just past the value where ':' should be
    assert str(info.value).startswith(
        f"{path}: not valid JSON near line 4, column 7 (byte {byte:,}): parse error: "
        "object key and value must be separated by a colon"
    )


def test_a_number_past_64_bits_is_named_as_such(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.json", b'[{"id": 1}, {"id": 123456789012345678901234}]')
    with pytest.raises(InputError) as info:
        list(iter_items(path, "item"))
    assert str(info.value).startswith(
        f"{path}: a number near line 1, column 20 (byte 20) is too large to read (parse error: "
        "integer overflow); nothing of it was stored — write such numbers as strings"
    )



@pytest.mark.parametrize("word", ["NaN", "-Infinity"])
def test_nan_is_named_with_a_way_out(tmp_path: Path, word: str) -> None:
    """json.dump writes NaN for a missing float and json.loads read it; yajl refuses it with
    'invalid char': say which word and how to fix it, not 'the file is corrupt'."""
    path = tmp_path / "page.json"
    path.write_text('[{"id": "1"},\n {"score": ' + word + ', "id": "2"}]', encoding="utf-8")
    with pytest.raises(InputError) as info:
        list(iter_items(path, "item"))
    assert str(info.value).startswith(
        f"{path}: {word} near line 2, column 12 (byte 26) is not a JSON number (Python writes it "
        "for a missing or infinite value); nothing of it was stored — write null instead"
    )

# --- readers: streamed documents give exactly the rows of the whole document ------------------

DATA = Path(__file__).parent / "data" / "readers"
REAL = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"
# (file, chunks expected when read two records at a time); the fast run (-m 'not slow') skips
# the two big real files (0.7 and 4-6 s of CPU), every other file shows the same property.
STREAMED = [
    (DATA / "bluesky_feed.json", 2),
    (DATA / "mastodon_statuses.json", 2),
    (DATA / "tiktok" / "research_comments.json", 1),
    (DATA / "polls" / "x_v2_poll_page.jsonl", 1),  # one line: streamed as 'line 1'
    pytest.param(REAL / "twitter-v2-twarc-csv" / "noflat.jsonl", 50, marks=pytest.mark.slow),
    (REAL / "twitter-v2-twarc-csv" / "users.jsonl", 48),
    pytest.param(  # 3.5 MB read three times, once in 499 chunks: 4-6 s of CPU
        REAL / "bluesky-searchposts" / "searchPosts_league_of_legends.json",
        499,
        marks=pytest.mark.slow,
    ),
    (REAL / "youtube-data-api-sns-sdks/apidata/comment_threads/comment_threads_all_to_me.json", 2),
    (DATA / "tiktok" / "user_data.json", 4),  # four lists at four paths, the profile kept
    (DATA / "facebook_dyi" / "comments.json", 1),
    (DATA / "instagram_dyi/connections/followers_and_following/followers_1.json", 1),
    (DATA / "instagram_dyi/your_instagram_activity/messages/inbox/lea_123/message_1.json", 1),
    (REAL / "meta-graph-api-sns-sdks/facebook/apidata/comments/comments_p1.json", 5),
    (REAL / "meta-graph-api-sns-sdks/instagram/apidata/hashtags/hashtag_top_medias_p1.json", 12),
]


def _distinct(frame: pl.DataFrame) -> pl.DataFrame:
    """Account rows as a set (a streamed page repeats its includes' profiles per chunk)."""
    return frame.unique().sort(frame.columns, nulls_last=True)


@pytest.mark.parametrize(("path", "chunks"), STREAMED, ids=lambda v: getattr(v, "name", str(v)))
def test_streamed_document_gives_the_rows_of_the_whole_one(
    path: Path, chunks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared/realdata is not on this machine)")
    import importlib

    from microcomm.ingest import inspect_file

    common = importlib.import_module("microcomm.ingest._common")
    whole = inspect_file(path)  # records 20,000 at a time: these files are one chunk
    seen: list[int] = []
    numbered = common._numbered

    def spy(*args: object):  # type: ignore[no-untyped-def]
        for item in numbered(*args):
            seen.append(item[2])
            yield item

    monkeypatch.setattr(common, "_numbered", spy)
    streamed = inspect_file(path, batch_size=2)
    assert len(seen) == chunks  # several chunk documents, numbered from where they start
    monkeypatch.setattr(common, "_streamed", lambda *a: None)  # the document read whole
    loaded = inspect_file(path)
    for read in (whole, streamed):
        assert read.events.equals(loaded.events)  # same rows, sources and order
        assert _distinct(read.accounts).equals(_distinct(loaded.accounts))
        assert read.report.skip_reasons == loaded.report.skip_reasons
        assert read.report.bad_locations == loaded.report.bad_locations
        assert read.report.notes == loaded.report.notes


@pytest.mark.parametrize("name", ["events.json", "page.json"])
def test_cut_document_stops_the_ingest_and_stores_nothing(tmp_path: Path, name: str) -> None:
    from microcomm.pipeline import run_ingest
    from microcomm.store import Store

    tweets = [
        {"id": str(i), "author_id": "9", "text": f"hi {i}", "conversation_id": str(i)}
        for i in range(3000)
    ]
    if name == "events.json":  # the canonical format: a bare array of events
        rows = [
            {"platform": "x", "kind": "post", "actor": f"u{i}", "target": "p", "text": "hi",
             "created_at": "2026-01-01T00:00:00Z"}
            for i in range(3000)
        ]
        text = json.dumps(rows)
    else:  # X API v2: a page whose tweets sit under 'data'
        text = json.dumps({"data": tweets, "includes": {"users": [{"id": "9", "username": "ann"}]}})
    cut = tmp_path / name
    cut.write_text(text[: len(text) * 3 // 4], encoding="utf-8")
    store = Store(tmp_path / "s")
    with pytest.raises(InputError) as err:
        run_ingest([cut], store=store)
    assert f"{cut.name}: the JSON document is cut short (it ends at byte " in str(err.value)
    assert "\n" not in str(err.value)
    assert not store.exists() or not store.parts("events")


def test_canonical_object_holding_its_records_is_streamed(tmp_path: Path) -> None:
    from microcomm.ingest import inspect_file

    rows = [
        {"platform": "x", "kind": "post", "actor": f"u{i}", "target": "p", "text": f"hi {i}",
         "created_at": "2026-01-01T00:00:00Z"}
        for i in range(7)
    ]  # fmt: skip
    (tmp_path / "bare").mkdir()
    bare = _write(tmp_path / "bare", "events.json", json.dumps(rows).encode())
    keyed = _write(tmp_path, "events.json", json.dumps({"meta": {"n": 7}, "data": rows}).encode())
    whole = inspect_file(bare)
    streamed = inspect_file(keyed, reader="canonical", batch_size=2)  # batches of two records
    assert streamed.events.drop("source").equals(whole.events.drop("source"))
    assert streamed.events["actor"].to_list() == [f"u{i}" for i in range(7)]
