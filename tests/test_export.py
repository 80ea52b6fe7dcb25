"""`microcomm export members|communities|graph` (issue 13): one row per placed account, CSV
cells neutralised, the graph round-trips through networkx's GEXF and GraphML readers."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import polars as pl
import pytest
from typer.testing import CliRunner

from conftest import planted_events
from microcomm.cli import app
from microcomm.export import build_graph, write_graph
from microcomm.pipeline import run_detect, run_ingest
from microcomm.report.inputs import ReportInputs
from microcomm.store import Store

# Ingest drops a leading "@" from handles; "@" cells are covered by _neutralise's doctest.
HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("export")
    events = planted_events()
    rename = {f"g0_m{i:02d}": h for i, h in enumerate(HOSTILE)}
    events = events.with_columns(pl.col("actor").replace(rename))
    events.write_csv(root / "events.csv")
    s = Store(root / "store")
    run_ingest([root / "events.csv"], store=s)
    run_detect(store=s)
    return s


@pytest.mark.slow
def test_members_one_row_per_placed_account(
    runner: CliRunner, store: Store, tmp_path: Path
) -> None:
    placed = store.communities().filter((pl.col("level") == 0) & (pl.col("community") >= 0))
    for ext in ("csv", "parquet", "json"):
        out = tmp_path / f"members.{ext}"
        result = runner.invoke(app, ["export", "members", "-s", str(store.root), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert f"members: {placed.height} rows written to {out}" in result.output
    df = pl.read_parquet(tmp_path / "members.parquet")
    assert df.height == placed.height and df["actor"].n_unique() == df.height
    assert set(df["actor"]) == set(placed["actor"])
    assert {"community_0", "label", "strength", "role"} <= set(df.columns)
    assert set(df["role"]) <= {
        "member",
        "core",
        "creator",
        "bridge",
        "core+bridge",
        "core+creator",
        "creator+bridge",
        "core+creator+bridge",
    }
    assert "core" in set(df["role"].str.split("+").explode())
    as_json = json.loads((tmp_path / "members.json").read_text())
    assert len(as_json) == df.height and as_json[0].keys() == set(df.columns)


@pytest.mark.slow
def test_members_csv_neutralises_formulas(runner: CliRunner, store: Store, tmp_path: Path) -> None:
    out = tmp_path / "members.csv"
    runner.invoke(app, ["export", "members", "-s", str(store.root), "-o", str(out)])
    actors = set(pl.read_csv(out)["actor"])
    for handle in HOSTILE:
        assert handle not in actors
        assert "'" + handle.lower() in actors or "'" + handle in actors, handle
    # Parquet keeps the exact handles (only CSV is opened by spreadsheets).
    exact = runner.invoke(
        app, ["export", "members", "-s", str(store.root), "-o", str(tmp_path / "m.parquet")]
    )
    assert exact.exit_code == 0
    assert not any(a.startswith("'") for a in pl.read_parquet(tmp_path / "m.parquet")["actor"])


def test_communities_table(runner: CliRunner, store: Store, tmp_path: Path) -> None:
    out = tmp_path / "communities.csv"
    result = runner.invoke(app, ["export", "communities", "-s", str(store.root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    df = pl.read_csv(out)
    assert df.columns[:5] == ["id", "label", "size", "stability", "flags"]
    assert sorted(df["size"].to_list()) == [12, 12]
    assert {t.split("; ")[0] for t in df["top_interests"]} == {"#group0tag", "#group1tag"}


@pytest.mark.parametrize("ext", ["gexf", "graphml"])
def test_graph_round_trips(runner: CliRunner, store: Store, tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"graph.{ext}"
    result = runner.invoke(app, ["export", "graph", "-s", str(store.root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    g = nx.read_gexf(out) if ext == "gexf" else nx.read_graphml(out)
    edges = store.edges()
    assert g.number_of_edges() == edges.height
    for s, t, w in edges.iter_rows():
        assert g[s][t]["weight"] == pytest.approx(w)
    members = store.communities().filter(pl.col("level") == 0)
    for actor, community in members.select("actor", "community").iter_rows():
        assert int(g.nodes[actor]["community_0"]) == community
        assert int(g.nodes[actor]["size"]) == 12
    if ext == "gexf":
        assert 'version="1.3"' in out.read_text() and "http://www.w3.org/2001/" in out.read_text()


def test_graph_keeps_unit_weights(tmp_path: Path) -> None:
    comms = pl.DataFrame(
        {"actor": ["a", "b", "c"], "community": [0, 0, -1], "level": [0, 0, 0]},
    )
    edges = pl.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "weight": [1.0, 2.5]})
    empty = pl.DataFrame()
    inputs = ReportInputs({}, comms, empty, empty, empty, edges, empty, empty)
    g = build_graph(inputs, {"communities": [{"id": 0, "label": "#x"}]})
    for ext in ("gexf", "graphml"):
        write_graph(g, tmp_path / f"g.{ext}")
        back = (
            nx.read_gexf(tmp_path / "g.gexf")
            if ext == "gexf"
            else nx.read_graphml(tmp_path / "g.graphml")
        )
        assert back["a"]["b"]["weight"] == 1.0 and back["a"]["c"]["weight"] == 2.5
        assert back.nodes["c"]["community_0"] == -1 and back.nodes["a"]["community_label"] == "#x"
    assert 'weight="1.0"' in (tmp_path / "g.gexf").read_text()


def test_export_errors_are_one_line(runner: CliRunner, store: Store, tmp_path: Path) -> None:
    bad = runner.invoke(app, ["export", "graph", "-s", str(store.root), "-o", "g.csv"])
    assert bad.exit_code == 1
    assert bad.output.startswith("error: g.csv: the graph cannot be written as csv")
    assert "use one of .gexf, .graphml" in bad.output
    missing = runner.invoke(
        app, ["export", "members", "-s", str(store.root), "-o", "no/such/dir/m.csv"]
    )
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    assert "the folder no/such/dir does not exist" in missing.output
