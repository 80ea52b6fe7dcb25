"""The HTML report carries the flow chart of the last `microcomm track` kept in the store."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from conftest import planted_events
from microcomm.cli import app
from microcomm.pipeline import run_detect, run_ingest
from microcomm.store import Store


def _two_months(tmp_path: Path) -> Path:
    months = [
        planted_events(n_groups=3, size=12, seed=s).with_columns(
            pl.col("created_at").str.replace("2026-05", m)
        )
        for s, m in ((0, "2026-09"), (1, "2026-10"))
    ]
    pl.concat(months).write_parquet(tmp_path / "events.parquet")
    store = Store(tmp_path / "store")
    run_ingest([tmp_path / "events.parquet"], store=store)
    run_detect(store=store)
    return store.root


def test_report_html_shows_the_kept_tracking_and_says_how_to_get_it(
    tmp_path: Path, runner: CliRunner
) -> None:
    store = _two_months(tmp_path)
    before = tmp_path / "before.html"
    result = runner.invoke(app, ["report", "--store", str(store), "-o", str(before)])
    assert result.exit_code == 0, result.output
    page = before.read_text()
    assert "<h2>Member flows over time</h2><p class=\"muted\">No tracking in this store: run " \
        "<b>microcomm track</b>, then this report again" in page  # fmt: skip
    assert 'aria-labelledby="flows-title"' not in page
    assert "tracking" not in json.loads(
        runner.invoke(app, ["report", "--store", str(store), "--format", "json"]).output
    )

    result = runner.invoke(app, ["track", "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    kept = Store(store).manifest()["tracking"]
    path = store / kept["file"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["flows"] == data["flows"]

    after = tmp_path / "after.html"
    result = runner.invoke(app, ["report", "--store", str(store), "-o", str(after)])
    assert result.exit_code == 0, result.output
    page = after.read_text()
    assert 'aria-labelledby="flows-title"' in page
    assert (
        f"By month, 2026-09 to 2026-10 (2 periods, 2 with communities); computed by "
        f"<b>microcomm track</b> on {kept['computed']}." in page
    )
    bands = [f for f in data["flows"] if f["source"][0] == "L" and f["target"][0] == "L"]
    section = page.split('<section id="flows">')[1].split("</section>")[0]
    assert section.count("<path ") == len(bands) > 0
    summary = json.loads(
        runner.invoke(app, ["report", "--store", str(store), "--format", "json"]).output
    )["tracking"]
    assert summary["computed"] == kept["computed"] and summary["flows"] == data["flows"]

    # Tracking again replaces the kept result: one file, the old one gone.
    assert runner.invoke(app, ["track", "--store", str(store), "--format", "json"]).exit_code == 0
    files = sorted(p.name for p in (store / "tracking").iterdir())
    assert files == [Path(Store(store).manifest()["tracking"]["file"]).name]
    assert path.name not in files


def test_a_store_that_cannot_be_written_still_tracks_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from microcomm.errors import StoreError
    from microcomm.pipeline import run_track

    store = Store(_two_months(tmp_path))

    def refuse(data: object) -> None:
        raise StoreError(f"{store.root}: cannot write the store (Read-only file system)")

    monkeypatch.setattr(store, "keep_tracking", refuse)
    data = run_track(store=store)
    assert data["notes"][-1] == (
        f"not kept for the report ({store.root}: cannot write the store (Read-only file system))"
    )
    assert len(data["lines"]) > 0 and Store(store.root).tracking() is None


def test_a_quoted_text_shows_the_audience_wide_senders_the_quote_rule_counted() -> None:
    """One member of the line sent it, two accounts outside the line too: quotable (three
    distinct senders in the audience), and the output says both counts, not just "1 member"."""
    from microcomm.profiles import load_lexicon
    from microcomm.track.changes import voice_by_period
    from microcomm.track.output import _senders

    text = "can you ship to Lyon?"
    events = pl.DataFrame(
        {
            "event_id": ["1", "2", "3", "4"],
            "actor": [1, 2, 3, 4],
            "kind": ["comment", "comment", "reply", "dm"],
            "platform": ["instagram"] * 4,
            "text": [text, f" {text}", text, text],
            "created_at": [None] * 4,
            "period": [0] * 4,
        },
        schema_overrides={"period": pl.Int32, "actor": pl.Int64},
    )
    ml = pl.DataFrame({"period": [0], "actor": [1], "key": [0]},
                      schema={"period": pl.Int32, "actor": pl.Int64, "key": pl.Int64})  # fmt: skip
    _, texts = voice_by_period(events, ml, load_lexicon()[0], min_senders=3)
    assert texts.select("line", "category", "text", "senders", "audience_senders",
                        "quotable").rows() == [("L0", "request", text, 1, 3, True)]  # fmt: skip
    row = {"text": text, "senders": 1, "audience_senders": 3}
    assert _senders(row) == "1 member; 3 accounts in the audience sent it"
    assert _senders({**row, "senders": 3}) == "3 members"
    _, texts = voice_by_period(events, ml, load_lexicon()[0], min_senders=4)  # the DM not counted
    assert texts["quotable"].to_list() == [False]
