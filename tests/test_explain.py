"""`microcomm explain ACTOR`: why an account is in its community."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcomm.cli import app
from microcomm.errors import InputError
from microcomm.explain import explain_actor
from microcomm.pipeline import run_ingest
from microcomm.store import Store


@pytest.fixture
def detected(detected_tiny: Path) -> Store:
    return Store(detected_tiny)  # shared, read only


def test_explain_names_the_shared_contexts(detected: Store) -> None:
    ex = explain_actor(detected, "@G0_M00")
    assert ex.actor == "g0_m00" and ex.size == 12
    rows = ex.contexts.to_dicts()
    # Its group's hashtag: all 11 fellow members use it, nobody else does; it ranks first.
    assert rows[0] == {
        "kind": "hashtag",
        "context": "#group0tag",
        "fellow_members": 11,
        "others": 0,
        "share_of_community": 11 / 12,
        "inside_share": 1.0,
    }
    # #brand is shared with everyone: it ties less, so it ranks below the group's own posts.
    kinds = [r["context"] for r in rows]
    assert kinds.index("#brand") > max(i for i, r in enumerate(rows) if r["kind"] == "post")
    assert all(r["context"].startswith("instagram:post0_") for r in rows if r["kind"] == "post")
    # Its ties: its group's posts and tag (busy enough to be hub nodes), all inside.
    assert ex.ties == ex.ties_inside == 4 and ex.strength > 0.99
    assert set(ex.neighbours["actor"].str.slice(0, 2).to_list()) == {"g0"}


def test_explain_errors(detected: Store, tmp_path: Path, tiny_csv: Path) -> None:
    with pytest.raises(InputError, match="no account 'nobody'"):
        explain_actor(detected, "nobody")


def test_cli_explain(runner: CliRunner, detected: Store) -> None:
    result = runner.invoke(app, ["explain", "g1_m03", "-s", str(detected.root)])
    assert result.exit_code == 0, result.output
    assert "@g1_m03 is in community" in result.output
    assert "#group1tag" in result.output and "fellow members" in result.output
    as_json = runner.invoke(
        app, ["explain", "g1_m03", "-s", str(detected.root), "-f", "json", "-n", "2"]
    )
    data = json.loads(as_json.output)
    assert data["actor"] == "g1_m03" and len(data["contexts"]) == 2
    assert data["contexts"][0]["context"] == "#group1tag"


def test_cli_explain_unknown_account(runner: CliRunner, detected: Store) -> None:
    result = runner.invoke(app, ["explain", "@nobody", "-s", str(detected.root)])
    assert result.exit_code == 1
    assert "no account '@nobody'" in result.output
    assert "handles are matched lower-case" in result.output


def test_cli_explain_before_detect(runner: CliRunner, tiny_csv: Path, tmp_path: Path) -> None:
    store = tmp_path / "fresh"
    run_ingest([tiny_csv], store=Store(store))
    result = runner.invoke(app, ["explain", "g0_m00", "-s", str(store)])
    assert result.exit_code == 1
    assert "no communities have been detected yet" in result.output
    assert "microcomm detect" in result.output
    empty = runner.invoke(app, ["explain", "g0_m00", "-s", str(tmp_path / "none")])
    assert empty.exit_code == 1 and "microcomm ingest" in empty.output


def test_explain_the_brand_says_it_is_the_brand(tmp_path: Path, runner: CliRunner) -> None:
    """The brand is engaged with by the audience but never placed (detect excludes it):
    explain used to answer 'no account' for an account six people had messaged."""
    import polars as pl

    from conftest import planted_events
    from microcomm.pipeline import run_detect

    dms = pl.DataFrame(
        {
            "platform": "instagram",
            "kind": "dm",
            "actor": [f"g0_m{m:02d}" for m in range(6)],
            "target": "Kestrel",
            "target_kind": "account",
            "text": "hello",
            "created_at": "2026-05-03T10:00:00Z",
        }
    )
    path = tmp_path / "audience.csv"
    pl.concat([planted_events(), dms], how="diagonal").write_csv(path)
    store = Store(tmp_path / "s")
    run_ingest([path], store=store)
    run_detect(store=store)
    result = runner.invoke(app, ["explain", "@Kestrel", "--store", str(store.root)])
    assert result.exit_code == 0, result.output
    assert "@kestrel: it is the brand this audience is about (the account the most" in result.output
    unknown = runner.invoke(app, ["explain", "nobody", "--store", str(store.root)])
    assert unknown.exit_code == 1 and "no account 'nobody'" in unknown.output
