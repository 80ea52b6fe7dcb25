"""The canonical reader and the ingest framework's bad-input paths."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from microcomm.errors import ConfigError, InputError, SchemaError
from microcomm.ingest import ingest_files, inspect_file, load_mapping
from microcomm.store import Store

HEADER = "platform,kind,actor,target,text,created_at"


def _write(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_rows_are_normalised_exactly(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "e.csv",
        f"{HEADER},event_id\n"
        "Twitter,Retweet,@Ann_Smith,P1,Love #Vegan @Glossier https://www.shop.example.com/x 😍,2024-05-01T10:00:00+02:00,77\n",
    )
    store = Store(tmp_path / "s")
    ingest_files([src], store)
    row = store.read("events").row(0, named=True)
    assert row["event_id"] == "x:77"
    assert (row["platform"], row["kind"], row["actor"], row["target"]) == (
        "x",
        "share",
        "ann_smith",
        "P1",
    )
    assert row["created_at"].isoformat() == "2024-05-01T08:00:00+00:00"
    assert row["source"] == f"{src.name}:2"  # relative to what was named
    ents = store.read("entities").sort(["type", "value"]).select("type", "value").rows()
    assert ents == [
        ("domain", "shop.example.com"),
        ("emoji", "😍"),
        ("hashtag", "vegan"),
        ("keyword", "love"),
        ("mention", "glossier"),
    ]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", ".csv.gz", ".jsonl.gz", ".json"])
def test_every_canonical_file_type(tmp_path: Path, suffix: str) -> None:
    df = pl.DataFrame(
        {
            "platform": ["reddit", "reddit"],
            "kind": ["comment", "reply"],
            "actor": ["a", "b"],
            "target": ["t3_x", "t3_x"],
            "text": ["hi #x", "yo"],
            "created_at": ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"],
        }
    )
    path = tmp_path / f"events{suffix}"
    if suffix.startswith(".csv"):
        text = df.write_csv()
    elif suffix.startswith(".jsonl"):
        text = df.write_ndjson()
    elif suffix == ".json":
        text = df.write_json()
    else:
        df.write_parquet(path)
        text = None
    if text is not None:
        path.write_bytes(gzip.compress(text.encode()) if suffix.endswith(".gz") else text.encode())
    result = ingest_files([path], Store(tmp_path / "s"))
    assert result.events_added == 2
    assert result.files[0].reader == "canonical"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.csv: no such file or directory"):
        ingest_files([tmp_path / "nope.csv"], Store(tmp_path / "s"))


def test_unknown_format_names_the_readers_tried(tmp_path: Path) -> None:
    src = _write(tmp_path / "notes.txt", "just some words\n")
    with pytest.raises(
        InputError, match=r"notes\.txt: not a format microcomm knows \(tried: .*canonical\)"
    ):
        ingest_files([src], Store(tmp_path / "s"))


def test_missing_required_column_names_it_and_the_fix(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "e.csv", "platform,kind,user,target,text,created_at\nx,post,a,t,hi,2024-01-01\n"
    )
    with pytest.raises(SchemaError, match=r"e\.csv: missing required column\(s\) actor") as err:
        ingest_files([src], Store(tmp_path / "s"), mapping={"name": "m", "columns": {}})
    assert "--mapping" in (err.value.hint or "")


def test_unparsable_date_names_file_record_and_value(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "e.csv", f"{HEADER}\nx,post,a,t,hi,2024-01-01\nx,post,b,t,hi,yesterday-ish\n"
    )
    with pytest.raises(
        InputError, match=r"e\.csv:3: cannot parse created_at 'yesterday-ish' \(1 such rows\)"
    ):
        ingest_files([src], Store(tmp_path / "s"))
    assert not (tmp_path / "s" / "manifest.json").exists()


def test_unknown_kind_is_an_error_with_the_allowed_list(tmp_path: Path) -> None:
    src = _write(tmp_path / "e.csv", f"{HEADER}\nx,wave,a,t,hi,2024-01-01\n")
    with pytest.raises(InputError, match=r"e\.csv:2: unknown kind 'wave'") as err:
        ingest_files([src], Store(tmp_path / "s"))
    assert "poll_answer" in (err.value.hint or "")


def test_mapping_renames_other_tools_columns(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "tool.csv",
        "User Name,Post URL,Comment,Date,Type\n@Zoe,http://p/1,nice #tag,2024-03-01 10:00,Retweeted\n",
    )
    mapping = _write(
        tmp_path / "m.yaml",
        "name: some-tool\ncolumns:\n  actor: User Name\n  target: Post URL\n  text: Comment\n  created_at: Date\n  kind: Type\n"
        "values:\n  platform: x\nkinds:\n  Retweeted: share\n",
    )
    store = Store(tmp_path / "s")
    result = ingest_files([src], store, mapping=load_mapping(mapping))
    assert result.files[0].reader == "some-tool"
    row = store.read("events").row(0, named=True)
    assert (row["actor"], row["kind"], row["platform"], row["target"]) == (
        "zoe",
        "share",
        "x",
        "http://p/1",
    )


def test_mapping_with_unknown_key_is_rejected(tmp_path: Path) -> None:
    mapping = _write(tmp_path / "m.yaml", "colums:\n  actor: x\n")
    with pytest.raises(ConfigError, match=r"m\.yaml: unknown key 'colums'"):
        load_mapping(mapping)


def test_folder_walk_skips_unrecognised_files(tmp_path: Path, tiny_csv: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "events.csv").write_text(tiny_csv.read_text())
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not text")
    result = ingest_files([folder], Store(tmp_path / "s"))
    statuses = {Path(f.path).name: f.status for f in result.files}
    assert statuses == {"events.csv": "ingested", "photo.jpg": "unrecognised"}
    assert result.events_added == 72


def test_link_shorteners_are_not_interests(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "e.csv",
        f"{HEADER}\nx,post,a,t,read https://t.co/x1 and https://www.nytimes.com/a,2024-01-01\n",
    )
    store = Store(tmp_path / "s")
    ingest_files([src], store)
    domains = store.read("entities").filter(pl.col("type") == "domain")["value"].to_list()
    assert domains == ["nytimes.com"]


def test_empty_file_says_so(tmp_path: Path) -> None:
    src = _write(tmp_path / "zero.csv", "")
    with pytest.raises(InputError, match=r"zero\.csv: the file is empty"):
        ingest_files([src], Store(tmp_path / "s"))


def test_a_json_array_is_read_in_batches_with_its_record_numbers(tmp_path: Path) -> None:
    rows = [
        {
            "platform": "x",
            "kind": "post",
            "actor": f"a{i}",
            "target": None,
            "text": f"t{i}",
            "created_at": "2024-01-01T00:00:00Z",
        }
        for i in range(5)
    ]
    path = tmp_path / "events.json"
    path.write_text(json.dumps([rows[0], rows[1], 7, rows[2], rows[3], rows[4]]))
    read = inspect_file(path, batch_size=2)
    assert read.events["actor"].to_list() == ["a0", "a1", "a2", "a3", "a4"]
    assert read.events["source"].to_list() == [f"{path}:{n}" for n in (1, 2, 4, 5, 6)]
    assert read.report.rows_skipped == 1
    assert read.report.bad_locations == [f"{path}:record 3: not a JSON object"]


def test_a_target_written_as_a_handle_is_an_account(tmp_path: Path) -> None:
    """A CSV of DMs and follows without target_kind: '@Kestrel' is the account kestrel (it
    was a post named '@Kestrel', so no person-person tie, no brand, no receive-only member)."""
    path = tmp_path / "dms.csv"
    path.write_text(
        "platform,kind,actor,target,text,created_at\n"
        "instagram,dm,ann,@Kestrel,hi,2026-05-01T10:00:00Z\n"
        "instagram,follow,bo, @kestrel ,,2026-05-01T10:00:00Z\n"
        "instagram,comment,cy,p1,nice,2026-05-01T10:00:00Z\n",
        encoding="utf-8",
    )
    ev = inspect_file(path).events.sort("actor")
    assert ev.select("target", "target_kind").rows() == [
        ("kestrel", "account"),
        ("kestrel", "account"),
        ("p1", None),
    ]
