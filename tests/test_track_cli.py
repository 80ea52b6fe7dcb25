"""`microcomm track`: the command, its bad-input paths, two stored runs, and the matching rules."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from conftest import planted_events
from microcomm.cli import app
from microcomm.config import Config, DetectConfig
from microcomm.pipeline import run_detect, run_ingest
from microcomm.store import Store
from microcomm.synth import generate_periods
from microcomm.track import build_lines


def _store(tmp_path: Path, events: pl.DataFrame, name: str = "store") -> Path:
    src = tmp_path / f"{name}.parquet"
    events.write_parquet(src)
    run_ingest([src], store=Store(tmp_path / name))
    return tmp_path / name


def test_a_store_spanning_one_month_says_so_and_suggests_weeks(
    tmp_path: Path, runner: CliRunner
) -> None:
    store = _store(tmp_path, planted_events(n_groups=3, size=12))
    result = runner.invoke(app, ["track", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert (
        "note: the store spans one month (2026-05): nothing to compare; try --period week"
        in result.output
    )


def test_empty_and_thin_periods_are_reported_not_errors(tmp_path: Path, runner: CliRunner) -> None:
    sep = planted_events(n_groups=3, size=12).with_columns(
        pl.col("created_at").str.replace("2026-05", "2026-09")
    )
    nov = planted_events(n_groups=1, size=5, seed=1).with_columns(
        pl.col("created_at").str.replace("2026-05", "2026-11")
    )
    store = _store(tmp_path, pl.concat([sep, nov]))
    result = runner.invoke(app, ["track", "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    status = [(p["label"], p["status"], p["accounts"]) for p in data["periods"]]
    assert status == [
        ("2026-09", "ok", 36),
        ("2026-10", "no events", 0),
        ("2026-11", "too few accounts", 5),
    ]
    assert "2026-10: no events (0 events, 0 accounts); not compared" in data["notes"]
    assert "fewer than two periods have communities: nothing to compare" in data["notes"]
    assert data["transitions"] == [] and len(data["lines"]) == 3


def test_a_bad_date_names_the_option_and_the_format(tmp_path: Path, runner: CliRunner) -> None:
    store = _store(tmp_path, planted_events())
    result = runner.invoke(app, ["track", "--store", str(store), "--since", "last week"])
    assert result.exit_code == 1
    assert "track.since = 'last week' is not a date" in result.output
    assert "YYYY-MM-DD" in result.output


@pytest.mark.slow
def test_window_keeps_only_the_chosen_months(tmp_path: Path, runner: CliRunner) -> None:
    planted = generate_periods()
    store = _store(tmp_path, planted.events)
    out = tmp_path / "t.md"
    args = ["track", "--store", str(store), "--since", "2026-10-01", "--until", "2026-11-30"]
    result = runner.invoke(app, [*args, "--format", "markdown", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "| 2026-10 |" in text and "| 2026-11 |" in text and "2026-09" not in text
    assert "split into" in text and "was born with" in text and "#skoolie (0 % → " in text


@pytest.fixture(scope="module")
def two_months(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """September's store and October's store, each detected once."""
    root = tmp_path_factory.mktemp("runs")
    events = generate_periods().events
    month = pl.col("created_at").dt.month()
    config = Config(detect=DetectConfig(stability_runs=0))
    paths = []
    for name, m in (("sep", 9), ("oct", 10)):
        src = root / f"{name}.parquet"
        events.filter(month == m).write_parquet(src)
        store = Store(root / name)
        run_ingest([src], store=store)
        run_detect(store=store, config=config)
        paths.append(root / name)
    return paths[0], paths[1]


@pytest.mark.slow
def test_two_stored_runs_are_compared(two_months: tuple[Path, Path], runner: CliRunner) -> None:
    sep, oct_ = two_months
    result = runner.invoke(app, ["track", "--runs", str(sep), str(oct_), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    kinds = sorted(t["type"] for t in data["transitions"])
    assert kinds.count("merge") == 1 and kinds.count("death") == 1
    assert kinds.count("continuation") == 5
    run_ids = [Store(p).current_run()["run_id"] for p in two_months]  # type: ignore[index]
    assert [p["label"] for p in data["periods"]] == run_ids
    assert [r["store"] for r in data["runs"]] == [str(sep), str(oct_)]


def test_a_run_id_of_the_store_is_accepted(
    two_months: tuple[Path, Path], runner: CliRunner
) -> None:
    sep, oct_ = two_months
    run_id = Store(oct_).current_run()["run_id"]  # type: ignore[index]
    result = runner.invoke(app, ["track", "--store", str(oct_), "--runs", str(sep), run_id])
    assert result.exit_code == 0, result.output
    assert "merged into" in result.output


def test_an_old_or_unknown_run_is_refused_with_the_way_out(
    tmp_path: Path, runner: CliRunner
) -> None:
    store = _store(tmp_path, planted_events(n_groups=3, size=12))
    config = Config(detect=DetectConfig(stability_runs=0))
    old = run_detect(store=Store(store), config=config).run_id
    run_detect(store=Store(store), config=config)
    result = runner.invoke(app, ["track", "--store", str(store), "--runs", old, str(store)])
    assert result.exit_code == 1
    assert f"{old}: this run's communities are no longer kept in {store}" in result.output
    assert "compare the store directories the two runs were made in" in result.output
    result = runner.invoke(app, ["track", "--store", str(store), "--runs", "nope", str(store)])
    assert result.exit_code == 1
    assert f"nope: neither a store directory nor a run id of {store}" in result.output


# --- the matching rules, on hand-built memberships ---------------------------------------
def _members(spec: dict[int, dict[int, list[str]]]) -> pl.DataFrame:
    rows = [(p, a, c) for p, comms in spec.items() for c, actors in comms.items() for a in actors]
    return pl.DataFrame(
        rows,
        schema={"period": pl.Int32, "actor": pl.String, "community": pl.Int64},
        orient="row",
    )


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def test_a_small_group_absorbed_into_a_large_one_is_a_merge() -> None:
    big, small = _ids("b", 300), _ids("s", 30)
    m = _members({0: {0: big, 1: small}, 1: {0: big + small[:25]}})
    lines, events = build_lines(m, [(0, 1)])
    (merge,) = events
    assert merge["type"] == "merge" and merge["line"] == "L1"
    assert [(x["line"], x["members"]) for x in merge["from_lines"]] == [("L1", 300), ("L2", 25)]
    assert lines.filter(pl.col("period") == 1)["line"].to_list() == ["L1"]


def test_a_splinter_is_a_split_and_starts_a_new_line() -> None:
    big = _ids("b", 300)
    m = _members({0: {0: big}, 1: {0: big[40:], 1: big[:40] + _ids("n", 5)}})
    _, events = build_lines(m, [(0, 1)])
    (split,) = events
    assert split["type"] == "split" and split["line"] == "L1"
    assert [(x["line"], x["members"]) for x in split["into_lines"]] == [("L1", 260), ("L2", 40)]


def test_size_change_beyond_the_bar_is_growth_or_shrink() -> None:
    a, b = _ids("a", 100), _ids("b", 100)
    m = _members({0: {0: a, 1: b}, 1: {0: a + _ids("x", 30), 1: b[:85]}})
    _, events = build_lines(m, [(0, 1)], change=0.1)
    assert [(e["type"], e["before"], e["after"], e["joined"], e["left"]) for e in events] == [
        ("growth", 100, 130, 30, 0),
        ("shrink", 100, 85, 0, 15),
    ]
    _, events = build_lines(m, [(0, 1)], change=0.5)
    assert [e["type"] for e in events] == ["continuation", "continuation"]


def test_below_the_jaccard_bar_a_community_dies_and_another_is_born() -> None:
    a = _ids("a", 100)
    m = _members({0: {0: a}, 1: {0: a[:20] + _ids("n", 80)}})
    _, events = build_lines(m, [(0, 1)], match=0.3)
    assert [(e["type"], e["line"]) for e in events] == [("birth", "L2"), ("death", "L1")]
    _, events = build_lines(m, [(0, 1)], match=0.1)
    assert [e["type"] for e in events] == ["continuation"]


def test_an_output_the_tracking_cannot_be_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    store = _store(tmp_path, planted_events())
    result = runner.invoke(app, ["track", "--store", str(store), "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 1
    assert "t.csv: the tracking cannot be written as csv" in result.output
    assert "use one of .md, .markdown, .json" in result.output


@pytest.mark.slow
def test_export_tracking_writes_the_line_table(
    two_months: tuple[Path, Path], runner: CliRunner, tmp_path: Path
) -> None:
    sep, oct_ = two_months
    out = tmp_path / "tracking.parquet"
    args = ["export", "tracking", "--runs", str(sep), str(oct_), "--output", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    table = pl.read_parquet(out)
    assert f"tracking: {table.height} rows written to {out}" in result.output
    assert table.columns == ["line", "name", "period", "community", "size", "transition",
                             "before", "stayed", "joined", "left"]  # fmt: skip
    counts = table.group_by("transition").len().sort("transition").rows()
    assert counts == [("continuation", 5), ("death", 1), ("first", 8), ("merge", 1)]
    bad = runner.invoke(app, ["export", "tracking", "--runs", str(sep), str(oct_), "-o", "t.txt"])
    assert bad.exit_code == 1
    assert "t.txt: cannot tell the format from .txt" in bad.output


def test_html_has_the_flow_chart_and_escapes_names(
    two_months: tuple[Path, Path], runner: CliRunner, tmp_path: Path
) -> None:
    from microcomm.pipeline import run_track
    from microcomm.track.html import to_html

    sep, oct_ = two_months
    out = tmp_path / "flows.html"
    result = runner.invoke(app, ["track", "--runs", str(sep), str(oct_), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "Content-Security-Policy" in page and "<script" not in page
    data = run_track(store=Store(sep), runs=(str(sep), str(oct_)))
    bands = [
        f for f in data["flows"] if f["source"].startswith("L") and f["target"].startswith("L")
    ]
    assert page.count("<path ") == len(bands) > 0
    merge = next(t for t in data["transitions"] if t["type"] == "merge")
    src = merge["from_lines"][1]
    assert f"<title>{src['line']} → {merge['line']}: {src['members']} members" in page
    data["lines"][0]["name"] = "<script>alert(1)</script>"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in to_html(data)
    assert "<script>" not in to_html(data)
