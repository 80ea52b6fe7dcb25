"""The command line as a newcomer uses it (issue 13, point 8): empty or unreadable folders fail
in one line, `run` takes the options of the commands it chains, the demo leaves no stray store
and says what to type next, counts agree in number."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcomm.cli import app
from microcomm.report.brief import plural


def test_empty_folder_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    result = runner.invoke(app, ["ingest", str(tmp_path / "exports"), "-s", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {tmp_path / 'exports'}: no file to read")
    assert not (tmp_path / "s" / "events").exists()


def test_nothing_readable_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello\n")
    result = runner.invoke(app, ["run", str(folder), "-s", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "nothing readable (1 file, e.g." in result.output
    assert "none an export microcomm knows" in result.output and "Traceback" not in result.output


def test_run_takes_the_options_of_the_commands_it_chains(runner: CliRunner) -> None:
    help_text = runner.invoke(app, ["run", "--help"]).output
    for option in ("--timezone", "--strict", "--platform", "--max-size", "--summary", "--full"):
        assert option in help_text, option


def test_run_timezone_and_summary(runner: CliRunner, tiny_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = runner.invoke(
        app,
        ["run", str(tiny_csv), "-s", str(tmp_path / "s"), "--timezone", "Asia/Tokyo", "-q",
         "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert {c["activity"]["timezone"] for c in data["communities"]} == {"Asia/Tokyo"}
    only = runner.invoke(app, ["run", str(tiny_csv), "-s", str(tmp_path / "s"), "-q",
                               "--summary", "-f", "json"])  # fmt: skip
    assert only.exit_code == 0 and set(json.loads(only.output)) == {"microcomm", "summary"}


def test_counts_agree_in_number() -> None:
    assert [plural(n, "question") for n in (0, 1, 2)] == [
        "0 questions",
        "1 question",
        "2 questions",
    ]


@pytest.mark.slow
def test_demo_leaves_no_stray_store_and_says_what_next(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    result = runner.invoke(app, ["demo", "-o", str(tmp_path / "demo.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo.html").read_text().startswith("<!DOCTYPE html>")
    assert list(scratch.iterdir()) == []
    assert "next:" in result.output and "demo --store kestrel-data" in result.output
    assert "next: microcomm report" not in result.output  # its store is gone by then


def test_almost_canonical_csv_is_read(runner: CliRunner, tmp_path: Path) -> None:
    # European spreadsheet: ';'-separated, capitalised headers, "Created" for created_at.
    path = tmp_path / "export.csv"
    path.write_text(
        "Platform;Kind;Actor;Target;Text;Created\n"
        "instagram;comment;ann;p1;love it #vegan;2026-05-01T10:00:00Z\n"
        "instagram;comment;bob;p1;yes #vegan;2026-05-01T11:00:00Z\n"
    )
    result = runner.invoke(app, ["ingest", str(path), "-s", str(tmp_path / "s"), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["events_added"] == 2


def test_almost_canonical_csv_names_the_missing_column(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Platform;Kind;Actor;Target;Text;Posted on\ninstagram;comment;ann;p1;hi;x\n")
    result = runner.invoke(app, ["ingest", str(path), "-s", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert f"error: {path.name}: no column 'created_at'; the closest header is 'posted_on'" in (
        result.output.replace("\n", " ").replace("  ", " ")
    )
