"""Planted spam never reaches a profile, and the filter can be audited (issue 8).

A synthetic audience with planted copy-paste rings, giveaway farms and link spammers
(:mod:`spam_plant`) goes through ingest → detect → report: no planted account or spam term
may show in any community's top-10 interests, name, core members, creators, bridges or quoted
examples; the "What was filtered" section, ``export filtered`` and ``explain`` tell why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from microcomm.cli import app
from microcomm.config import Config
from microcomm.pipeline import run_detect, run_ingest, run_report
from microcomm.report import to_markdown
from microcomm.store import Store
from microcomm.synth import generate_audience
from spam_plant import PLANTED_VALUES, plant_spam


@pytest.fixture(scope="module")
def spammed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict[str, Any], pl.DataFrame]:
    root: Path = tmp_path_factory.mktemp("spammed")
    events, planted = plant_spam(generate_audience(20_000, n_communities=10, seed=3).events)
    events.write_parquet(root / "events.parquet")
    store = Store(root / "store")
    run_ingest([root / "events.parquet"], store=store)
    run_detect(store=store)
    return store, run_report(store=store), planted


def _shown_values(c: dict[str, Any]) -> set[str]:
    return {
        *(i["value"] for i in c["interests"][:10]),
        *(c["label"].replace(" · ", "\n").splitlines()),
        *(m["actor"] for m in c["members"]),
        *(a["actor"] for a in c["creators"]),
        *(b["actor"] for b in c["bridges"]),
        *(a["actor"] for a in c["outside_accounts"]),
    }


def test_planted_spam_reaches_no_profile(
    spammed: tuple[Store, dict[str, Any], pl.DataFrame],
) -> None:
    store, report, planted = spammed
    spam_accounts = set(planted["actor"])
    assert report["communities"]
    for c in report["communities"]:
        shown = _shown_values(c)
        assert not shown & (spam_accounts | PLANTED_VALUES), (
            c["id"],
            shown & (spam_accounts | PLANTED_VALUES),
        )
        quoted = " ".join(e["text"] for e in c["voice"]["examples"]).lower()
        assert not any(v in quoted for v in ("glowdealz", "quickcash", "farmhand", "gift card")), (
            quoted
        )
    # None of them is in any community at all: they make no ties.
    assert not spam_accounts & set(store.communities()["actor"])


def test_every_planted_account_is_flagged_with_a_reason(
    spammed: tuple[Store, dict[str, Any], pl.DataFrame],
) -> None:
    store, _, planted = spammed
    filtered = store.filtered()
    flagged = filtered.filter(pl.col("account_reason").is_not_null())
    assert set(planted["actor"]) <= set(flagged["actor"])
    families = (
        filtered.join(planted.rename({"kind": "planted"}), on="actor")
        .with_columns(pl.col("rule").str.split(".").list.first().alias("family"))
        .group_by("planted")
        .agg(pl.col("family").unique().sort())
    )
    by_kind = dict(zip(families["planted"].to_list(), families["family"].to_list(), strict=True))
    assert "ring" in by_kind["ring"] and "giveaway" in by_kind["giveaway"]
    assert set(by_kind["link"]) <= {"promo", "coordinated"}


def test_what_was_filtered_in_json_and_markdown(
    spammed: tuple[Store, dict[str, Any], pl.DataFrame],
) -> None:
    _, report, planted = spammed
    section = report["filtered"]
    assert section["enabled"] and section["events"] >= 14 * 5 + 16 * 4 + 12 * 4
    assert {r["rule"] for r in section["by_reason"]} >= {"promo", "ring", "giveaway"}
    assert len(section["accounts_flagged"]) == 10  # report.top, most set-aside events first
    assert section["accounts"] >= planted.height
    md = to_markdown(report)
    assert "## What was filtered" in md and "| copy-paste ring |" in md
    assert "microcomm export filtered --output spam.csv" in md


def test_export_filtered_by_extension(
    spammed: tuple[Store, dict[str, Any], pl.DataFrame], tmp_path: Path
) -> None:
    store, _, _ = spammed
    runner = CliRunner()
    for name in ("spam.csv", "spam.parquet", "spam.json"):
        out = tmp_path / name
        res = runner.invoke(
            app, ["export", "filtered", "--output", str(out), "--store", str(store.root)]
        )
        assert res.exit_code == 0, res.output
        frame = (
            pl.read_csv(out) if name.endswith("csv")
            else pl.read_parquet(out) if name.endswith("parquet")
            else pl.DataFrame(json.loads(out.read_text()), infer_schema_length=None)
        )  # fmt: skip
        assert frame.columns == ["event_id", "actor", "platform", "reason", "text"]
        assert frame.height == store.filtered().height
    res = runner.invoke(
        app, ["export", "filtered", "-o", str(tmp_path / "x.xlsx"), "-s", str(store.root)]
    )
    assert res.exit_code == 1 and "name the output .csv, .parquet or .json" in res.output


def test_explain_says_why_an_account_was_filtered(
    spammed: tuple[Store, dict[str, Any], pl.DataFrame],
) -> None:
    store, _, _ = spammed
    res = CliRunner().invoke(
        app, ["explain", "@glowfan3", "--store", str(store.root), "-f", "json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["filtered"] and data["account_reason"].startswith(
        "spam account: 5 of its 5 messages"
    )
    assert data["events_filtered"] == 5 and data["reasons"][0]["reason"].startswith(
        "copy-paste ring"
    )
    assert data["lookalike_letters"] == []  # a plain Latin handle (issue 9)
    res = CliRunner().invoke(app, ["explain", "glowfan3", "--store", str(store.root)])
    assert "was filtered as spam" in res.output


def test_keep_spam_keeps_everything(tmp_path: Path) -> None:
    events, planted = plant_spam(generate_audience(4_000, n_communities=4, seed=2).events)
    events.write_parquet(tmp_path / "e.parquet")
    store = Store(tmp_path / "s")
    run_ingest([tmp_path / "e.parquet"], store=store)
    result = run_detect(store=store, config=Config().override("filter", keep_spam=True))
    assert result.filtered == {"events": 0, "accounts": 0} and store.filtered().is_empty()
    assert set(planted["actor"]) & set(store.communities()["actor"])
    report = run_report(store=store, config=Config())
    assert report["filtered"]["enabled"] is False
    assert "the spam filter was off for this run" in to_markdown(report)
