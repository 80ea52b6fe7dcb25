"""Whole-document JSON is streamed (issue 9 item 6): records one by one, errors in one line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

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
        f"{path}: the JSON document is cut short (it ends at byte {len(data):,} inside a value)"
        " — the file is truncated: export or download it again; nothing of it was stored"
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
