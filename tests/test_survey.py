"""Survey answers: parsing, reading, storing, and the `ingest --survey` command."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from microcomm.cli import app
from microcomm.errors import InputError, SchemaError
from microcomm.store import Store
from microcomm.survey import parse_answers, read_answers, write_answers


def test_parse_answers_exact_rows() -> None:
    raw = pl.DataFrame(
        {
            "Username": ["@Ann", "bob", "bob", "  ", "cat"],
            "Question": ["Q1", "Q1", "Q1", "Q1", "Q1"],
            "Response": [" tents ", "kids gear", "kids gear", "x", ""],
            "platform": ["Twitter", None, None, None, None],
        }
    )
    out = parse_answers(raw, source="s.csv")
    assert out.columns == ["actor", "platform", "question", "answer", "source"]
    assert out.rows() == [
        ("ann", "x", "Q1", "tents", "s.csv"),
        ("bob", None, "Q1", "kids gear", "s.csv"),
    ]


def test_parse_answers_missing_column() -> None:
    with pytest.raises(SchemaError, match=r"s.csv: missing survey column\(s\) answer") as err:
        parse_answers(pl.DataFrame({"actor": ["a"], "question": ["q"]}), source="s.csv")
    assert "actor, question, answer" in (err.value.hint or "")


def test_parse_answers_unknown_platform_names_the_row() -> None:
    raw = pl.DataFrame(
        {
            "actor": ["a", "b"],
            "question": ["q", "q"],
            "answer": ["x", "y"],
            "platform": ["x", "myspace"],
        }
    )
    with pytest.raises(InputError, match=r"s.csv:row 2: unknown platform 'myspace'"):
        parse_answers(raw, source="s.csv")


def test_read_answers_formats(tmp_path: Path) -> None:
    rows = [{"actor": "Ann", "question": "Q", "answer": "tents"}]
    pl.DataFrame(rows).write_ndjson(tmp_path / "a.jsonl")
    pl.DataFrame(rows).write_csv(tmp_path / "a.tsv", separator="\t")
    pl.DataFrame(rows).write_parquet(tmp_path / "a.parquet")
    for name in ("a.jsonl", "a.tsv", "a.parquet"):
        assert read_answers(tmp_path / name).select("actor", "answer").rows() == [("ann", "tents")]
    (tmp_path / "a.xlsx").write_text("nope")
    with pytest.raises(InputError, match="unknown survey file type"):
        read_answers(tmp_path / "a.xlsx")
    with pytest.raises(InputError, match="no such survey file"):
        read_answers(tmp_path / "missing.csv")


def test_write_answers_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    pl.DataFrame({"actor": ["a", "b"], "question": ["q", "q"], "answer": ["x", "y"]}).write_csv(
        path
    )
    store = Store(tmp_path / "store")
    assert write_answers([path], store) == 2
    assert write_answers([path], store) == 0  # same file: nothing new
    copy = tmp_path / "copy.csv"
    pl.DataFrame({"actor": ["a", "c"], "question": ["q", "q"], "answer": ["x", "z"]}).write_csv(
        copy
    )
    assert write_answers([copy], store) == 1  # only the row not already stored
    assert store.read("answers").height == 3


def test_cli_ingest_survey(runner: CliRunner, tiny_csv: Path, tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    pl.DataFrame(
        {"actor": ["g0_m00", "g1_m00"], "question": ["Next?", "Next?"], "answer": ["tents", "kids"]}
    ).write_csv(survey)
    store = tmp_path / "store"
    result = runner.invoke(
        app, ["ingest", str(tiny_csv), "--survey", str(survey), "-s", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert "2 survey answers" in result.output
    again = runner.invoke(app, ["ingest", "--survey", str(survey), "-s", str(store)])
    assert again.exit_code == 0 and "0 survey answers" in again.output
    assert Store(store).read("answers")["answer"].sort().to_list() == ["kids", "tents"]


def test_cli_bad_survey_leaves_store_untouched(
    runner: CliRunner, tiny_csv: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    pl.DataFrame({"actor": ["a"], "question": ["q"]}).write_csv(bad)
    store = tmp_path / "store"
    result = runner.invoke(app, ["ingest", str(tiny_csv), "--survey", str(bad), "-s", str(store)])
    assert result.exit_code == 1
    assert "missing survey column(s) answer" in result.output
    assert "hint:" in result.output
    assert not Store(store).exists()  # the events were not ingested either


def test_cli_nothing_to_ingest(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", "-s", str(tmp_path / "store")])
    assert result.exit_code == 1
    assert "nothing to ingest" in result.output and "--survey" in result.output
