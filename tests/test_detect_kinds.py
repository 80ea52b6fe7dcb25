"""Every kind of engagement ties people, and an audience with no ties says why (issue 12)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import polars as pl
import pytest
from sklearn.metrics import adjusted_rand_score

from microcomm.communities import nmi
from microcomm.config import Config
from microcomm.errors import EmptyGraphError
from microcomm.pipeline import run_detect, run_ingest
from microcomm.store import Store


def _people(kind: str, *, groups: int = 4, size: int = 15, seed: int = 0) -> pl.DataFrame:
    """``kind`` events from account to account only: each person reaches 3 people of their own
    group and, one time in ten, someone anywhere."""
    rng = np.random.default_rng(seed)
    n = groups * size
    actor = np.repeat(np.arange(n), 3)
    same = (actor // size) * size + rng.integers(0, size, len(actor))
    target = np.where(rng.random(len(actor)) < 0.1, rng.integers(0, n, len(actor)), same)
    keep = target != actor
    return pl.DataFrame(
        {
            "event_id": [f"{kind}-{i}" for i in range(int(keep.sum()))],
            "platform": "x",
            "kind": kind,
            "actor": [f"p{a:03d}" for a in actor[keep]],
            "target": [f"p{t:03d}" for t in target[keep]],
            "target_kind": "account",
            "text": None,
            "created_at": "2026-03-01T12:00:00Z",
        }
    )


def _detect(events: pl.DataFrame, tmp_path: Path, config: Config | None = None) -> Store:
    path = tmp_path / "events.parquet"
    events.write_parquet(path)
    store = Store(tmp_path / "store")
    run_ingest([path], store=store)
    run_detect(store=store, config=config or Config())
    return store


@pytest.mark.parametrize("kind", ["dm", "follow", "mention"])
def test_one_kind_of_account_engagement_alone_finds_the_groups(kind: str, tmp_path: Path) -> None:
    store = _detect(_people(kind), tmp_path)
    micro = store.communities().filter(pl.col("level") == 0).sort("actor")
    truth = micro["actor"].str.slice(1).cast(pl.Int64) // 15
    assert micro.height == 60 and (micro["community"] >= 0).all()
    assert nmi(truth.to_numpy(), micro["community"].to_numpy()) >= 0.9


def test_an_audience_with_no_ties_says_which_kinds_weigh_nothing(tmp_path: Path) -> None:
    config = Config().override("graph", kind_weights={"dm": 0.0})
    with pytest.raises(EmptyGraphError) as err:
        _detect(_people("dm"), tmp_path, config)
    assert err.value.message == (
        "no two accounts share a post, thread, account or hashtag that ties them: "
        "the events are dm (172); weighing 0: dm (graph.kind_weights)"
    )
    assert "graph.kind_weights" in (err.value.hint or "")


def _with_receivers(seed: int = 0) -> pl.DataFrame:
    """Four DM groups of 15 (``_people``) plus receive-only accounts: ``inbox<g>`` gets DMs from
    5 people of group g and one outsider; ``stray`` from one person of each group; ``lone``
    from a single person; ``kestrel`` (the brand, named by handle) from everyone; ``idol`` is
    followed by 5 people of group 0."""
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(4):
        senders = [*(g * 15 + rng.choice(15, 5, replace=False)), (g * 15 + 20) % 60]
        rows += [(f"p{s:03d}", f"inbox{g}") for s in senders]
    rows += [(f"p{g * 15 + 1:03d}", "stray") for g in range(4)]
    rows += [("p007", "lone")] + [(f"p{s:03d}", "kestrel") for s in range(60)]
    rows += [(f"p{s:03d}", "idol") for s in range(5)]  # followed only: an interest, no member
    extra = pl.DataFrame(
        {
            "event_id": [f"r-{i}" for i in range(len(rows))],
            "platform": "x",
            "kind": ["follow" if t == "idol" else "dm" for _, t in rows],
            "actor": [a for a, _ in rows],
            "target": [t for _, t in rows],
            "target_kind": "account",
            "text": None,
            "created_at": "2026-03-01T12:00:00Z",
        }
    )
    return pl.concat([_people("dm", seed=seed), extra])


def test_receive_only_accounts_are_placed_by_their_senders_or_counted_unplaced(
    tmp_path: Path,
) -> None:
    """Item 6: a DM recipient whose senders sit mostly in one community joins it, with their
    share as its confidence; one reached by a single person joins that person's community
    (confidence 1, one sender: what plain Louvain on the person-person graph does); one with
    no clear majority is unplaced (-1) and counted; the brand is no member at all, and an account only followed is placed
    and counted but stays an interest, not a member."""
    path = tmp_path / "events.parquet"
    _with_receivers().write_parquet(path)
    store = Store(tmp_path / "store")
    run_ingest([path], store=store)
    result = run_detect(store=store, config=Config().override("report", brand="kestrel"))
    micro = store.communities().filter(pl.col("level") == 0)
    people = micro.filter(pl.col("actor").str.starts_with("p"))
    group_of = dict(people.select("actor", "community").iter_rows())
    got = {a: (c, conf) for a, c, conf in micro.select("actor", "community", "confidence").iter_rows()
           if not a.startswith("p")}  # fmt: skip
    assert "kestrel" not in got and "idol" not in got
    for g in range(4):
        community, confidence = got[f"inbox{g}"]
        assert community == group_of[f"p{g * 15:03d}"]
        assert confidence == pytest.approx(5 / 6)
    assert got["stray"] == (-1, None) and got["lone"] == (group_of["p007"], 1.0)
    assert (result.receivers, result.receivers_placed) == (7, 6)
    assert result.unplaced == 1
    from microcomm.pipeline.explain import run_explain

    ex = run_explain("inbox1", store=store)  # explain says where a receiver is, and why
    assert (ex.community, ex.ties, ex.ties_inside) == (got["inbox1"][0], 6, 5)
    assert ex.extra["receive_only"] == (
        "It only receives: placed with 5 of the 6 placed accounts that reach it"
    )
    assert run_explain("stray", store=store).community == -1
    # Coarser levels put each placed receiver where its micro community went.
    for level in range(1, len(result.levels)):
        at = dict(store.communities().filter(pl.col("level") == level)
                  .select("actor", "community").iter_rows())  # fmt: skip
        assert at["inbox0"] == at["p000"] and at["stray"] == -1


def test_find_communities_without_exclude_leaves_out_the_brand_it_finds() -> None:
    """The Python core finds the brand as detect does (everyone DMs ``kestrel``) and, as for
    the graph's ties, keeps it out of the receive-only accounts: the same seven as ``detect
    --brand kestrel`` (it was counted as an eighth, unplaced)."""
    from microcomm.ingest import finalize_events
    from microcomm.normalize import extract_entities
    from microcomm.pipeline import find_communities

    events = finalize_events(_with_receivers(), display="test")
    found = find_communities(events, extract_entities(events))
    assert sorted(found.receivers["actor"]) == [
        "idol", "inbox0", "inbox1", "inbox2", "inbox3", "lone", "stray"
    ]  # fmt: skip


SIZES = (6, 9, 12, 16, 20, 25, 30, 40)  # planted groups, small to large


def _planted_people(kind: str, seed: int, *, p_out: float = 0.25) -> tuple[pl.DataFrame, dict]:
    """People reaching people (``kind`` events, account to account): groups of ``SIZES``;
    each person acts 1-12 times (geometric, mean 3), each time at someone of their own group,
    or with probability ``p_out`` at anyone. Everyone both sends and receives."""
    rng = np.random.default_rng(seed)
    sizes = np.asarray(SIZES)
    group = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    actor = np.repeat(np.arange(len(group)), np.minimum(rng.geometric(1 / 3, len(group)), 12))
    g = group[actor]
    same = starts[g] + (rng.random(len(actor)) * sizes[g]).astype(int)
    target = np.where(rng.random(len(actor)) < p_out, rng.integers(0, len(group), len(actor)), same)
    a, t = actor[target != actor], target[target != actor]
    events = pl.DataFrame(
        {
            "event_id": [f"{kind}-{i}" for i in range(len(a))],
            "platform": "x",
            "kind": kind,
            "actor": [f"u{x:03d}" for x in a],
            "target": [f"u{x:03d}" for x in t],
            "target_kind": "account",
            "text": None,
            "created_at": "2026-03-01T12:00:00Z",
        }
    )
    return events, {f"u{i:03d}": int(c) for i, c in enumerate(group)}


def _plain_louvain(events: pl.DataFrame) -> dict[str, int]:
    """networkx Louvain (seed 42) on the plain person–person graph: an edge per pair that
    reached each other, weighted by how many times."""
    pairs = events.select(
        pl.min_horizontal("actor", "target").alias("u"), pl.max_horizontal("actor", "target").alias("v")
    ).group_by("u", "v").len().sort("u", "v")  # fmt: skip
    g = nx.Graph()
    g.add_weighted_edges_from(pairs.iter_rows())
    return {v: i for i, c in enumerate(nx.community.louvain_communities(g, seed=42)) for v in c}


def _ari(truth: dict, found: dict[str, int]) -> float:
    nodes = sorted(found)
    labels = np.array([found[v] for v in nodes])
    alone = labels < 0  # an unplaced account is a group of its own
    labels[alone] = 1_000_000 + np.arange(alone.sum())
    return float(adjusted_rand_score([truth[v] for v in nodes], labels))


@pytest.mark.parametrize(
    ("kind", "seed"), [("dm", 0), ("dm", 3), ("follow", 2), ("mention", 1)]
)
def test_people_reaching_people_score_at_least_plain_louvain(
    kind: str, seed: int, tmp_path: Path
) -> None:
    """Data of one kind only, with every default: the planted groups come back at least as
    well as plain Louvain finds them on the person–person graph (ARI over every person; seeds
    0-3 of each kind measured: 0.85-0.92 vs 0.78-0.91)."""
    events, truth = _planted_people(kind, seed)
    store = _detect(events, tmp_path)
    micro = store.communities().filter(pl.col("level") == 0)
    ours = dict(micro.select("actor", "community").iter_rows())
    acting = set(events["actor"])  # DM recipients that never act are members too
    assert acting <= set(ours) <= set(truth) and (kind == "dm" or set(ours) == acting)
    plain = _plain_louvain(events)
    assert _ari(truth, ours) >= max(_ari(truth, plain), 0.8), (_ari(truth, ours), _ari(truth, plain))
