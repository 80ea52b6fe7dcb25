"""Stability of communities: exact Jaccard rows, reproducibility, planted vs random graphs."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import polars as pl
import pytest

from microcomm.communities.stability import (
    best_match_jaccard,
    community_stability,
    consensus,
    member_confidence,
    perturbed_partitions,
)
from microcomm.graph import CoGraph
from microcomm.pipeline import run_detect, run_ingest, run_report
from microcomm.report import to_markdown
from microcomm.store import Store


def test_best_match_jaccard_exact() -> None:
    ref = np.array([0, 0, 0, 0, 1, 1, -1])
    other = np.array([3, 3, 4, 4, 4, 4, 9])
    # community 0 = {0,1,2,3}: best is {0,1} → 2/4; community 1 = {4,5}: {2,3,4,5} → 2/4.
    assert best_match_jaccard(ref, other).tolist() == [0.5, 0.5]
    assert best_match_jaccard(ref, ref).tolist() == [1.0, 1.0]


def test_community_stability_means_over_runs() -> None:
    ref = np.array([0, 0, 1, 1])
    runs = [ref, np.array([0, 1, 2, 3])]  # intact, then shattered into singletons
    assert community_stability(ref, runs).tolist() == [0.75, 0.75]
    assert np.isnan(community_stability(ref, [])).all()


def _cograph(g: nx.Graph) -> CoGraph:
    s, d = np.array(g.edges()).T
    return CoGraph(
        actors=np.arange(g.number_of_nodes()).astype(str), src=s, dst=d, weight=np.ones(len(s))
    )


def test_perturbed_runs_are_seeded() -> None:
    g = _cograph(nx.planted_partition_graph(4, 15, 0.6, 0.02, seed=3))
    a = perturbed_partitions(g, runs=2, seed=5)
    b = perturbed_partitions(g, runs=2, seed=5)
    assert all((x == y).all() for x, y in zip(a, b, strict=True))
    with pytest.raises(ValueError):
        perturbed_partitions(g, runs=1, keep=0.0)


def test_planted_graph_is_stable_random_graph_is_not() -> None:
    from microcomm.communities import detect_louvain

    planted = _cograph(nx.planted_partition_graph(6, 20, 0.9, 0.01, seed=1))
    ref = detect_louvain(planted, seed=1).levels[0]
    scores = community_stability(ref, perturbed_partitions(planted, runs=4, seed=1))
    assert scores.mean() > 0.85 and scores.min() >= 0.7
    rand = _cograph(nx.gnp_random_graph(120, 0.08, seed=1))
    ref = detect_louvain(rand, seed=1).levels[0]
    assert np.median(community_stability(ref, perturbed_partitions(rand, runs=4, seed=1))) < 0.5


def random_events(n_actors: int = 1500, n_posts: int = 400, per: int = 6) -> pl.DataFrame:
    """An audience with no structure: every comment lands on a random post with a random tag."""
    rng = np.random.default_rng(0)
    actor = np.repeat(np.arange(n_actors), per)
    return pl.DataFrame(
        {
            "platform": "instagram",
            "kind": "comment",
            "actor": [f"u{i}" for i in actor],
            "target": [f"p{i}" for i in rng.integers(0, n_posts, len(actor))],
            "text": [f"nice #tag{t}" for t in rng.integers(0, 60, len(actor))],
            "created_at": "2026-05-01T10:00:00Z",
        }
    )


@pytest.mark.slow
def test_random_audience_gets_low_stability_and_the_report_says_so(tmp_path: Path) -> None:
    random_events().write_csv(tmp_path / "random.csv")
    store = Store(tmp_path / "store")
    run_ingest([tmp_path / "random.csv"], store=store)
    result = run_detect(store=store)
    assert result.stability is not None and result.stability < 0.5
    run = store.current_run()
    assert run is not None and len(run["stability"]["scores"]) >= result.communities
    report = run_report(store=store)
    stab = report["stability"]
    assert stab["median"] < stab["bar"]
    assert stab["verdict"].startswith("Low stability")
    assert stab["unstable"] > len(report["communities"]) / 2
    flagged = [c for c in report["communities"] if "unstable" in c["flags"]]
    assert flagged and all(c["stability"] < 0.5 for c in flagged)
    # Unflagged ones come first, flagged ones after: never silently mixed in.
    kinds = [bool(c["flags"]) for c in report["communities"]]
    assert kinds == sorted(kinds)
    text = to_markdown(report)
    assert "Low stability" in text and "no clear micro-community structure" in text
    assert "⚠ **Unstable**" in text


def test_stability_can_be_switched_off(tmp_path: Path) -> None:
    from microcomm.config import Config

    random_events(300, 80, 4).write_csv(tmp_path / "r.csv")
    store = Store(tmp_path / "store")
    run_ingest([tmp_path / "r.csv"], store=store)
    run_detect(store=store, config=Config().override("detect", stability_runs=0))
    report = run_report(store=store)
    assert report["stability"]["measured"] is False
    assert "not measured" in report["stability"]["verdict"]
    assert all(
        c["stability"] is None and "unstable" not in c["flags"] for c in report["communities"]
    )


def test_confidence_is_the_share_of_runs_in_the_community_core() -> None:
    ref = np.array([0, 0, 0, 0, 1, 1, 1, -1])
    runs = [
        np.array([5, 5, 5, 5, 6, 6, 6, 6]),  # intact
        np.array([5, 5, 5, 6, 6, 6, 6, 6]),  # node 3 goes to 1's core
        np.array([1, 1, 2, 3, 4, 4, 9, 9]),  # 0 splits: core {0, 1}; 1's core is {4, 5}
    ]
    conf = member_confidence(ref, runs)
    assert np.round(conf[:7] * 3).tolist() == [3, 3, 2, 1, 3, 3, 2]
    assert np.isnan(conf[7])
    labels, agreed = consensus(ref, runs)
    # Node 3: one vote for 0, one for 1, one for none → tie, stays in 0 with 1/3.
    assert labels.tolist() == [0, 0, 0, 0, 1, 1, 1, -1]
    assert np.round(agreed[:7] * 3).tolist() == [3, 3, 2, 1, 3, 3, 2]
    moved, _ = consensus(ref, [*runs, runs[1]])
    assert moved.tolist() == [0, 0, 0, 1, 1, 1, 1, -1]  # two votes of four for 1 beat one


@pytest.mark.slow
def test_consensus_and_confidence_need_no_pairwise_matrix() -> None:
    # 200k members, 5 runs: linear in members × runs (an N² matrix would need 320 GB).
    rng = np.random.default_rng(0)
    ref = rng.integers(0, 2000, 200_000)
    runs = [np.where(rng.random(len(ref)) < 0.9, ref, rng.integers(0, 2000, len(ref))) for _ in range(5)]
    labels, _conf = consensus(ref, runs)
    assert (labels == ref).mean() > 0.99
    assert 0.85 < float(np.nanmean(member_confidence(ref, runs))) < 0.95


def test_confidence_without_runs_is_unknown() -> None:
    ref = np.array([0, 0, 1])
    labels, conf = consensus(ref, [])
    assert labels.tolist() == [0, 0, 1] and np.isnan(conf).all()
    assert np.isnan(member_confidence(ref, [])).all()


def test_planted_members_are_confident_random_ones_are_not() -> None:
    from microcomm.communities import detect_louvain

    planted = _cograph(nx.planted_partition_graph(6, 20, 0.9, 0.01, seed=1))
    ref = detect_louvain(planted, seed=1).levels[0]
    assert np.median(member_confidence(ref, perturbed_partitions(planted, runs=4, seed=1))) == 1.0
    rand = _cograph(nx.gnp_random_graph(120, 0.08, seed=1))
    ref = detect_louvain(rand, seed=1).levels[0]
    assert np.median(member_confidence(ref, perturbed_partitions(rand, runs=4, seed=1))) <= 0.5


def test_leiden_runs_are_seeded_and_find_planted_groups() -> None:
    from microcomm.communities.stability import leiden_runs

    planted = _cograph(nx.planted_partition_graph(6, 20, 0.9, 0.01, seed=1))
    a = leiden_runs(planted, runs=3, seed=4, keep=0.8)
    b = leiden_runs(planted, runs=3, seed=4, keep=0.8)
    assert len(a) == 3 and all((x == y).all() for x, y in zip(a, b, strict=True))
    truth = np.repeat(np.arange(6), 20)
    assert community_stability(truth, a).min() > 0.9
    rand = _cograph(nx.gnp_random_graph(120, 0.08, seed=1))
    ref = leiden_runs(rand, runs=1, seed=0, keep=1.0)[0]
    assert np.median(community_stability(ref, leiden_runs(rand, runs=4, seed=1))) < 0.6
