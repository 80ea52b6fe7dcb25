"""Literal paths (issue 9, item 2) where the first pass left polars globbing: a Parquet export
sniffed by its schema, and JSON Lines survey answers."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from microcomm.pipeline import run_ingest
from microcomm.store import Store
from microcomm.survey import read_answers


def test_a_bracketed_parquet_export_is_sniffed_and_read(tmp_path: Path) -> None:
    # Its schema was read with a globbing call: 'events [2026].parquet' matched nothing, the
    # sniff saw no columns and the file was "not a format microcomm knows".
    rows = {
        "platform": ["x", "x"],
        "kind": ["post", "post"],
        "actor": ["ann", "bob"],
        "target": ["p1", "p1"],
        "text": ["hi", "yo"],
        "created_at": ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"],
    }
    path = tmp_path / "events [2026].parquet"
    pl.DataFrame(rows).write_parquet(path)
    store = Store(tmp_path / "s")
    assert run_ingest([path], store=store).events_added == 2
    assert sorted(store.read("events")["actor"]) == ["ann", "bob"]


def test_a_bracketed_jsonl_survey_reads_that_file(tmp_path: Path) -> None:
    # 'answers [1].jsonl' as a glob matches 'answers 1.jsonl': its rows were read instead.
    other = tmp_path / "answers 1.jsonl"
    named = tmp_path / "answers [1].jsonl"
    other.write_text('{"actor": "zed", "question": "q", "answer": "wrong file"}\n', "utf-8")
    named.write_text('{"actor": "ann", "question": "q", "answer": "right file"}\n', "utf-8")
    answers = read_answers(named)
    assert answers.select("actor", "answer").rows() == [("ann", "right file")]
