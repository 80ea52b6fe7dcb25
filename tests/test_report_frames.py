"""The report is built from frames alone (issue 7): no store inside the report package, and
the same frames give the same report whether they come from a store or from a notebook."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from microcomm.config import Config, ReportConfig
from microcomm.pipeline import run_report
from microcomm.report import ReportInputs, build_report, to_markdown
from microcomm.schema import ACCOUNTS, ANSWERS, EDGES, POLLS
from microcomm.store import Store
from srctree import SRC, imports

REPORT = SRC / "report"
RUN = {
    "run_id": "r1",
    "created": "2024-05-07T00:00:00+00:00",
    "method": "louvain",
    "engine": "test",
    "seed": 7,
    "stats": {"resolution": 1.0, "modularity": 0.5},
    "stability": {"runs": 5, "method": "bootstrap", "scores": [0.9, 0.3]},
}


def _inputs() -> ReportInputs:
    """Two communities of six (vegan, trail) under one macro community; community 1 unstable."""
    t = datetime(2024, 5, 6, 18, 30, tzinfo=UTC)  # a Monday
    actors = [f"v{i}" for i in range(6)] + [f"t{i}" for i in range(6)]
    tag = {a: ("vegan" if a[0] == "v" else "trail") for a in actors}
    events = pl.DataFrame(
        [
            {"event_id": f"x:{i}", "platform": "x", "kind": "post", "actor": a, "target": None,
             "target_kind": None, "text": f"#{tag[a]} #brand", "created_at": t, "location": None}
            for i, a in enumerate(actors)
        ],
        schema_overrides={"target": pl.String, "target_kind": pl.String, "location": pl.String},
    )  # fmt: skip
    entities = pl.DataFrame(
        {
            "event_id": [f"x:{i}" for i in range(12)] * 2,
            "actor": actors * 2,
            "type": ["hashtag"] * 24,
            "value": [tag[a] for a in actors] + ["brand"] * 12,
        }
    )
    communities = pl.DataFrame(
        {
            "actor": actors * 2,
            "community": [0] * 6 + [1] * 6 + [0] * 12,
            "level": [0] * 12 + [1] * 12,
            "method": ["louvain"] * 24,
            "strength": [1.0] * 24,
            "centrality": [float(i % 6) for i in range(24)],
        }
    )
    return ReportInputs(
        run=RUN,
        communities=communities,
        events=events,
        entities=entities,
        accounts=pl.DataFrame(schema=ACCOUNTS),
        edges=pl.DataFrame(schema=EDGES),
        answers=pl.DataFrame(schema=ANSWERS),
        polls=pl.DataFrame(schema=POLLS),
    )


def test_report_package_never_imports_the_store() -> None:
    offenders = {}
    for path in sorted(REPORT.rglob("*.py")):
        names: set[str] = set()
        for node in imports(path):
            names |= set(node.names) if node.plain else {node.module} - {None}
        bad = {n for n in names if n in ("microcomm.store", "microcomm.pipeline")}
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def test_build_report_from_frames_alone() -> None:
    report = build_report(_inputs(), config=ReportConfig(min_size=1))
    assert report["audience"] == {
        "accounts": 12, "events": 12, "in_communities": 12, "communities": 2, "messages": 0,
        "respondents": 0, "polls": 0, "unplaced": 0,
    }  # fmt: skip
    assert [(c["id"], c["label"], c["flags"], c["stability"]) for c in report["communities"]] == [
        (0, "#vegan", [], 0.9),
        (1, "#trail", ["unstable"], 0.3),
    ]
    vegan = report["communities"][0]
    assert [(i["value"], i["members"], i["score"]) for i in vegan["interests"]] == [
        ("vegan", 6, 2.153)
    ]
    assert [m["actor"] for m in vegan["members"][:2]] == ["v5", "v4"]
    assert vegan["activity"]["peak"]["label"] == "Mon 18:00–19:00"
    assert report["stability"]["verdict"] == (
        "1 of 2 communities are stable (median 60%); 1 fall under the 50% bar and are flagged "
        "unstable."
    )
    assert report["hierarchy"] == [
        {"id": 0, "size": 12, "label": "#vegan / #trail", "communities": [0, 1]}
    ]
    assert report["flagged"] == {"unstable": 1, "diffuse": 0}
    assert "## 1. #trail" in to_markdown(report)


def test_frames_from_a_store_give_the_same_report(tmp_path: Path) -> None:
    inputs = _inputs()
    store = Store(tmp_path / "s")
    with store.transaction() as txn:
        txn.add("events", inputs.events)
        txn.add("entities", inputs.entities)
        txn.set_run(dict(RUN), inputs.communities)
    config = Config(report=ReportConfig(min_size=1))
    from_store = run_report(store=store, config=config)
    assert from_store == build_report(inputs, config=config.report)
    assert [c["label"] for c in from_store["communities"]] == ["#vegan", "#trail"]
