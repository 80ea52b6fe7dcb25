"""The command line: exit codes, messages on the right stream, machine-readable output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcomm import __version__
from microcomm.cli import app

COMMANDS = ["ingest", "detect", "report", "run", "demo"]


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"microcomm {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: microcomm " + command in result.stdout


def test_missing_file_is_one_line_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "nope.csv"), "--store", str(tmp_path / "s")]
    )
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'nope.csv'}: no such file or directory" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "s" / "manifest.json").exists()


def test_detect_on_empty_store_says_ingest_first(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["detect", "--store", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert "the store holds no events" in result.stderr
    assert "run `microcomm ingest FILE...` first" in result.stderr


def test_report_before_detect(runner: CliRunner, tiny_csv: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    assert runner.invoke(app, ["ingest", str(tiny_csv), "-s", store, "-q"]).exit_code == 0
    result = runner.invoke(app, ["report", "-s", store])
    assert result.exit_code == 1
    assert "no communities have been detected yet" in result.stderr
    assert "microcomm detect" in result.stderr


def test_bad_config_key_exits_1_naming_it(runner: CliRunner, tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("detect:\n  colour: blue\n")
    result = runner.invoke(app, ["detect", "-s", str(tmp_path / "s"), "--config", str(cfg)])
    assert result.exit_code == 1
    assert "unknown key detect.colour" in result.stderr


def test_usage_error_is_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["detect", "--resolution", "lots"])
    assert result.exit_code == 2


def test_ingest_detect_report_json(runner: CliRunner, tiny_csv: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "s")
    ingested = runner.invoke(app, ["ingest", str(tiny_csv), "-s", store, "--format", "json"])
    assert ingested.exit_code == 0, ingested.output
    data = json.loads(ingested.stdout)
    assert data["events_added"] == 72
    assert data["files"][0]["reader"] == "canonical"
    detected = runner.invoke(app, ["detect", "-s", store, "--format", "json", "--seed", "3"])
    assert detected.exit_code == 0, detected.output
    assert json.loads(detected.stdout)["seed"] == 3
    reported = runner.invoke(app, ["report", "-s", store, "--format", "json", "--top", "2"])
    assert reported.exit_code == 0, reported.output
    report = json.loads(reported.stdout)
    assert [c["size"] for c in report["communities"]] == [12, 12]
    first = report["communities"][0]
    assert {"id", "size", "label", "interests", "members"} <= set(first)
    assert {"type", "value", "score", "members"} <= set(first["interests"][0])
    assert {"actor", "score"} <= set(first["members"][0])
    assert len(first["interests"]) <= 2


def test_markdown_to_file(runner: CliRunner, tiny_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    result = runner.invoke(
        app,
        ["run", str(tiny_csv), "-s", str(tmp_path / "s"), "-f", "markdown", "-o", str(out), "-q"],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("# Audience micro communities")
    assert "#group0tag" in text and "#group1tag" in text


@pytest.mark.slow
def test_demo_runs_from_any_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["demo", "--format", "json", "--quiet", "--store", str(tmp_path / "demo")]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["audience"]["events"] > 50_000
    assert len(report["communities"]) >= 30


def test_detect_summary_in_a_pipe_is_aligned_without_trailing_spaces(
    runner: CliRunner, tiny_csv: Path, tmp_path: Path
) -> None:
    """Piped (not a terminal), the summary is ``key  value`` lines, values in one column, with
    no grid padding after them (cli/render.py detect_summary)."""
    store = str(tmp_path / "s")
    assert runner.invoke(app, ["ingest", str(tiny_csv), "-s", store, "-q"]).exit_code == 0
    result = runner.invoke(app, ["detect", "-s", store, "--seed", "3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "communities  2 (micro level; levels: 2)"
    assert lines[1] == "sizes        largest 12, median 12, smallest 12"
    assert lines[-2].startswith("time         read ")
    assert all(line == line.rstrip() for line in lines)
    column = len("communities  ")  # the longest key, two spaces
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in lines[:-1])
