"""Moderation signals (issue 8, item 6): hostile messages per community, who sends most, and
no hostile text quoted by the section."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from conftest import planted_events
from microcomm.pipeline import run_detect, run_ingest, run_report
from microcomm.profiles.moderation import hostile_messages
from microcomm.report import to_markdown
from microcomm.store import Store


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I'll find you and hurt you", "threat"),
        ("kys", "threat"),
        ("you're a complete idiot", "insult"),
        ("shut up already", "insult"),
        ("What a loser", "insult"),
        ("nobody likes you, delete your account", "harassment"),
        ("go back home you retard", "slur"),
        ("this is so fucking good", None),  # profanity is not hostility
        ("I hate the new logo", None),  # a complaint is not hostility
        ("you are amazing", None),
        ("the zipper is stupid", None),  # an insult needs someone addressed
    ],
)
def test_hostile_categories(text: str, category: str | None) -> None:
    out = hostile_messages(pl.DataFrame({"actor": ["a"], "kind": ["comment"], "text": [text]}))
    assert out["category"].to_list() == [category]


def test_report_counts_hostility_per_community_and_never_quotes_it(tmp_path: Path) -> None:
    ev = planted_events()
    hostile = [
        ("g0_m00", "you're such an idiot, shut up"),
        ("g0_m00", "nobody likes you"),
        ("g0_m01", "I'll find you"),
    ]
    rows = pl.DataFrame(
        {
            "platform": "instagram",
            "kind": "comment",
            "actor": [a for a, _ in hostile],
            "target": "post0_0",
            "text": [t for _, t in hostile],
            "created_at": "2026-05-01T12:00:00Z",
        }
    )
    path = tmp_path / "e.csv"
    pl.concat([ev, rows], how="diagonal_relaxed").write_csv(path)
    store = Store(tmp_path / "s")
    run_ingest([path], store=store)
    run_detect(store=store)
    report = run_report(store=store)
    by_member = {m["actor"]: c for c in report["communities"] for m in c["members"]}
    mod = by_member["g0_m00"]["moderation"]
    assert mod["hostile"] == 3 and mod["by_category"] == {"threat": 1, "insult": 1, "harassment": 1}
    assert mod["senders"] == [{"actor": "g0_m00", "hostile": 2}, {"actor": "g0_m01", "hostile": 1}]
    assert mod["share"] == pytest.approx(3 / mod["messages"])
    md = to_markdown(report)
    section = md.split("### Moderation", 1)[1].split("\n## ", 1)[0]
    assert "3 of" in section and "`@g0_m00` (2)" in section
    assert "idiot" not in section and "find you" not in section
