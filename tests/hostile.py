"""A hostile audience for the output tests: markup, script, links and terminal escape codes in
handles, texts, locations and survey answers (issue 13)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from microcomm.config import Config
from microcomm.pipeline import run_detect, run_ingest
from microcomm.store import Store

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
LINK = "[click](javascript:alert(1))"
RAW_LINK = '<a href="javascript:alert(1)">win</a>'
ESC = "\x1b[31mRED\x1b[0m\x1b]8;;http://evil.example\x07link\x1b]8;;\x07\x07"
BACKTICK = "tick`name"
HOSTILE_HANDLES = [f"{SCRIPT}", f"evil{ESC}", BACKTICK, IMG]


def hostile_events() -> pl.DataFrame:
    rows = []
    for g in range(2):
        for m in range(12):
            actor = HOSTILE_HANDLES[m] if m < len(HOSTILE_HANDLES) and g == 0 else f"g{g}_m{m:02d}"
            for p in range(3):
                rows.append(
                    {
                        "platform": "instagram",
                        "kind": "comment",
                        "actor": actor,
                        "target": f"post{g}_{(m + p) % 4}",
                        "target_kind": "post",
                        "text": f"{SCRIPT} {IMG} {LINK} {RAW_LINK} {ESC} #group{g}tag #brand",
                        "created_at": f"2026-05-0{1 + g}T1{m % 10}:00:00Z",
                        "location": f"Lyon {IMG}{ESC}" if g == 0 else RAW_LINK,
                    }
                )
            rows.append(
                {
                    "platform": "instagram",
                    "kind": "dm",
                    "actor": actor,
                    "target": "brand",
                    "target_kind": "account",
                    "text": f"please open a store {SCRIPT}{ESC} `x` [y](javascript:z)?",
                    "created_at": f"2026-05-0{1 + g}T11:00:00Z",
                    "location": None,
                }
            )
    return pl.DataFrame(rows)


def hostile_store(root: Path) -> Store:
    """Ingest, survey and detect the hostile audience into ``root / 'store'``."""
    events = root / "hostile.csv"
    hostile_events().write_csv(events)
    survey = root / "survey.csv"
    actors = hostile_events()["actor"].unique(maintain_order=True).to_list()
    pl.DataFrame(
        {
            "actor": actors,
            "question": [f"What next? {IMG}"] * len(actors),
            "answer": [f"{RAW_LINK}{ESC}" if i % 2 else SCRIPT for i in range(len(actors))],
        }
    ).write_csv(survey)
    store = Store(root / "store")
    run_ingest([events], store=store, survey=[survey])
    # Every member posts the same hostile payload: a copy-paste ring the spam filter would
    # drop; kept here so the payload reaches every part of the report.
    run_detect(store=store, config=Config().override("filter", keep_spam=True))
    return store
