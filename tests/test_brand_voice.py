"""Every message to the brand (issue 8, item 4): comments, replies, DMs, and posts naming it;
brand accounts given (report.brand / --brand) or found in the data."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from conftest import planted_events
from microcomm.cli import app
from microcomm.config import Config
from microcomm.pipeline import run_detect, run_ingest, run_report
from microcomm.profiles.brand import messages_to_brand
from microcomm.store import Store


def _events() -> pl.DataFrame:
    base = planted_events()
    extra = pl.DataFrame(
        {
            "platform": "x",
            "kind": ["post", "post", "post", "follow", "follow", "follow", "follow"],
            "actor": ["g0_m00", "g1_m03", "kestrel", "g0_m01", "g0_m02", "g1_m01", "g1_m02"],
            "target": [None, None, None, "kestrel", "kestrel", "kestrel", "kestrel"],
            "text": [
                "@Kestrel my tent leaks after one night, terrible",
                "what a lovely sunset today",
                "New tents in store now",
                None,
                None,
                None,
                None,
            ],
            "created_at": "2026-05-03T10:00:00Z",
        }
    ).with_columns(pl.when(pl.col("kind") == "follow").then(pl.lit("account")).alias("target_kind"))
    return pl.concat([base, extra], how="diagonal_relaxed")


def test_posts_that_mention_the_brand_are_messages_to_it_and_its_own_are_not() -> None:
    msgs = messages_to_brand(_events(), ["kestrel"])
    texts = msgs["text"].to_list()
    assert "@Kestrel my tent leaks after one night, terrible" in texts
    assert "what a lovely sunset today" not in texts and "New tents in store now" not in texts
    assert msgs.filter(pl.col("kind") == "comment").height == planted_events().height
    # Without a brand, only what is written in its space counts.
    assert messages_to_brand(_events(), [])["kind"].unique().to_list() == ["comment"]


def test_the_report_counts_the_mention_as_voice(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    _events().write_csv(path)
    store = Store(tmp_path / "s")
    run_ingest([path], store=store)
    run_detect(store=store)
    report = run_report(store=store)
    assert report["audience"]["messages"] == planted_events().height + 1
    assert any("Messages to the brand (@kestrel, found in the data" in n for n in report["notes"])
    given = run_report(store=store, config=Config().override("report", brand="@other"))
    assert any("Messages to the brand (@other, as given)" in n for n in given["notes"])
    assert given["audience"]["messages"] == planted_events().height


def test_brand_flags_are_repeatable(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    _events().write_csv(path)
    res = CliRunner().invoke(
        app,
        ["run", str(path), "--store", str(tmp_path / "s"), "--brand", "kestrel", "--brand",
         "Other", "--format", "json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    notes = json.loads(res.stdout)["notes"]
    assert any("Messages to the brand (@kestrel, @other, as given)" in n for n in notes)
