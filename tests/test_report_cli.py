"""`microcomm report` on the command line: formats, options and error paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcomm.cli import app
from microcomm.pipeline import run_ingest
from microcomm.store import Store


@pytest.fixture
def store(detected_tiny: Path) -> Path:
    return detected_tiny  # shared, read only


@pytest.mark.slow
def test_report_formats(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    term = runner.invoke(app, ["report", "-s", str(store), "--top", "2"])
    assert term.exit_code == 0, term.output
    assert "#group0tag" in term.output and "core:" in term.output
    md = runner.invoke(app, ["report", "-s", str(store), "-f", "markdown"])
    assert md.exit_code == 0 and "# Audience micro communities" in md.output
    assert "**What sets them apart**" in md.output and "## Notes on method" in md.output
    full = runner.invoke(app, ["report", "-s", str(store), "-f", "markdown", "--full"])
    assert "### What sets them apart" in full.output and len(full.output) > len(md.output)
    out = tmp_path / "r.json"
    js = runner.invoke(app, ["report", "-s", str(store), "-f", "json", "-o", str(out)])
    assert js.exit_code == 0 and "report written to" in js.output
    data = json.loads(out.read_text())
    assert {c["label"].split(" · ")[0] for c in data["communities"]} == {"#group0tag", "#group1tag"}
    assert data["stability"]["measured"] is True


@pytest.mark.slow
def test_report_timezone_option(runner: CliRunner, store: Path) -> None:
    utc = json.loads(runner.invoke(app, ["report", "-s", str(store), "-f", "json"]).output)
    tokyo = json.loads(
        runner.invoke(
            app, ["report", "-s", str(store), "-f", "json", "--timezone", "Asia/Tokyo"]
        ).output
    )
    for a, b in zip(utc["communities"], tokyo["communities"], strict=True):
        assert b["activity"]["timezone"] == "Asia/Tokyo"
        assert (b["activity"]["peak"]["hour"] - a["activity"]["peak"]["hour"]) % 24 == 9


def test_report_bad_timezone(runner: CliRunner, store: Path) -> None:
    result = runner.invoke(app, ["report", "-s", str(store), "--timezone", "Mars/Olympus"])
    assert result.exit_code == 1
    assert "report.timezone = 'Mars/Olympus' is not a known time zone" in result.output
    assert "Europe/Paris" in result.output


def test_report_size_bar(runner: CliRunner, store: Path) -> None:
    result = runner.invoke(app, ["report", "-s", str(store), "-f", "markdown", "--min-size", "13"])
    assert result.exit_code == 0
    assert "2 groups smaller than 13 members" in result.output
    bad = runner.invoke(app, ["report", "-s", str(store), "--min-size", "0"])
    assert bad.exit_code == 1 and "report.min_size = 0 is out of range" in bad.output


def test_report_before_detect(runner: CliRunner, tiny_csv: Path, tmp_path: Path) -> None:
    s = tmp_path / "fresh"
    run_ingest([tiny_csv], store=Store(s))
    result = runner.invoke(app, ["report", "-s", str(s)])
    assert result.exit_code == 1
    assert "no communities have been detected yet" in result.output
    assert "run `microcomm detect` first" in result.output
