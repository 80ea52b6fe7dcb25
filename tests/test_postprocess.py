"""Right-sized communities and their numbering: small groups merged or unplaced, never lost."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcomm.communities.postprocess import (
    dissolve_weak_groups,
    finalize_levels,
    move_to_most_tied,
    place_small_groups,
    unplaced_count,
)
from microcomm.communities.quality import ari, relabel_by_size


def test_relabel_ties_by_smallest_member_name_not_label_order() -> None:
    names = np.array(["dan", "amy", "cat", "bob", "eve", "fay"])
    # Two groups of 2 (labels 9 and 3) and one of 2 (label 1): equal sizes, so the group
    # holding "amy" is 0, the one holding "bob" 1, the one holding "eve" 2.
    labels = np.array([9, 9, 3, 3, 1, 1])
    assert relabel_by_size(labels, names).tolist() == [0, 0, 1, 1, 2, 2]
    # The same groups under other label values give the same numbers.
    assert relabel_by_size(np.array([0, 0, 7, 7, 2, 2]), names).tolist() == [0, 0, 1, 1, 2, 2]
    # Size first: a group of 3 beats the group holding "amy".
    assert relabel_by_size(np.array([5, 5, 4, 4, 4, -1]), names).tolist() == [1, 1, 0, 0, 0, -1]


def test_relabel_without_names_ties_by_smallest_index() -> None:
    assert relabel_by_size(np.array([4, 2, 2, 4, 8])).tolist() == [0, 1, 1, 0, 2]
    assert relabel_by_size(np.array([-1, -1])).tolist() == [-1, -1]


def test_small_group_joins_the_community_it_is_most_tied_to() -> None:
    # Communities 0 (nodes 0-3) and 1 (nodes 4-7); group 2 (nodes 8, 9) ties to both, more to 1.
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2])
    src = np.array([8, 9, 8, 0])
    dst = np.array([0, 4, 5, 1])
    w = np.array([1.0, 1.5, 1.0, 3.0])
    out = place_small_groups(labels, src, dst, w, min_size=3)
    assert out.tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]


def test_equal_ties_go_to_the_smaller_label_and_untied_groups_are_unplaced() -> None:
    labels = np.array([0, 0, 0, 1, 1, 1, 2, 3, 3])
    src = np.array([6, 6, 7])
    dst = np.array([0, 3, 8])  # node 6 ties equally to 0 and 1; group 3 only to itself
    out = place_small_groups(labels, src, dst, np.ones(3), min_size=3)
    assert out.tolist() == [0, 0, 0, 1, 1, 1, 0, -1, -1]
    assert unplaced_count(out) == 2


def test_sized_mask_counts_only_accounts() -> None:
    # Nodes 0-2 accounts of group 0, nodes 3-5 contexts of group 0: 3 accounts, not 6.
    labels = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    sized = np.array([True] * 3 + [False] * 3 + [True] * 4)
    out = place_small_groups(labels, np.array([0]), np.array([6]), np.ones(1), min_size=4, sized=sized)
    assert out.tolist() == [1] * 10
    assert unplaced_count(np.array([-1, -1, 0]), np.array([True, False, True])) == 1


def test_finalize_levels_is_independent_of_node_order() -> None:
    rng = np.random.default_rng(0)
    names = np.array([f"a{i:03d}" for i in range(60)])
    labels = np.repeat(np.arange(12), 5)[rng.permutation(60)]
    labels[:4] = 99  # a small group
    src = rng.integers(0, 60, 200)
    dst = rng.integers(0, 60, 200)
    w = rng.random(200).round(3)
    base = finalize_levels([labels], src, dst, w, names=names, min_size=5)[0]
    perm = rng.permutation(60)
    inv = np.argsort(perm)
    # Relabel the communities arbitrarily and renumber the nodes: same answer per name.
    shuffled = finalize_levels(
        [(labels * 7 + 3)[perm]], inv[src], inv[dst], w, names=names[perm], min_size=5
    )[0]
    assert dict(zip(names[perm], shuffled, strict=True)) == dict(zip(names, base, strict=True))
    sizes = np.bincount(base[base >= 0])
    assert (sizes >= 5).all() and (np.diff(sizes) <= 0).all()


@pytest.fixture
def chain_store(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two planted groups of 12 plus a pair that only talk to each other."""
    from conftest import planted_events
    from microcomm.pipeline import run_ingest
    from microcomm.store import Store

    ev = planted_events()
    pair = pl.DataFrame(
        {
            "platform": "instagram",
            "kind": "comment",
            "actor": ["loner_a", "loner_b", "loner_a", "loner_b"],
            "target": ["solo1", "solo1", "solo2", "solo2"],
            "text": ["#hermits", "#hermits", "hi", "hi"],
            "created_at": "2026-05-03T10:00:00Z",
        }
    )
    pl.concat([ev, pair], how="diagonal").write_csv(tmp_path / "ev.csv")
    store = Store(tmp_path / "store")
    run_ingest([tmp_path / "ev.csv"], store=store)
    return store


def _config(**detect: object):  # type: ignore[no-untyped-def]
    from microcomm.config import Config, GraphConfig

    cfg = Config().override("detect", **detect)
    # The projection's float noise (~1e-14 cosines) is not a tie.
    if "min_weight" in {f for f in GraphConfig.__dataclass_fields__}:
        cfg = cfg.override("graph", min_weight=1e-9)
    return cfg


@pytest.mark.slow
def test_unplaced_accounts_are_kept_counted_and_explained(chain_store) -> None:  # type: ignore[no-untyped-def]
    from microcomm.errors import InputError
    from microcomm.pipeline import run_detect, run_explain, run_report

    result = run_detect(store=chain_store, config=_config(stability_runs=2))
    assert result.unplaced == 2
    table = chain_store.communities()
    loners = table.filter(pl.col("actor").str.starts_with("loner"))
    assert loners["community"].to_list() == [-1] * loners.height  # at every level
    assert loners.height == 2 * table["level"].n_unique()
    micro = table.filter(pl.col("level") == 0)
    placed = micro.filter(pl.col("community") >= 0)
    sizes = placed.group_by("community").len().sort("community")["len"].to_list()
    assert min(sizes) >= 5 and sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == 24
    assert placed["confidence"].is_between(0.0, 1.0).all()
    assert micro.filter(pl.col("community") == -1)["confidence"].is_null().all()
    report = run_report(store=chain_store)
    assert sorted(c["size"] for c in report["communities"]) == sorted(sizes)
    with pytest.raises(InputError, match="'loner_a' is unplaced: its group was smaller than"):
        run_explain("loner_a", store=chain_store)
    ex = run_explain("g0_m00", store=chain_store)
    assert ex.confidence is not None and ex.to_dict()["confidence"] == round(ex.confidence, 4)
    # --min-size 2 keeps the pair as a community of its own.
    again = run_detect(store=chain_store, config=_config(stability_runs=0, min_size=2))
    assert again.unplaced == 0 and again.sizes[-1] == 2
    pair = chain_store.communities().filter(
        (pl.col("level") == 0) & pl.col("actor").str.starts_with("loner")
    )
    assert pair["community"].n_unique() == 1 and pair["confidence"].is_null().all()


def test_report_shows_confidence_and_unplaced(chain_store) -> None:  # type: ignore[no-untyped-def]
    from microcomm.pipeline import run_detect, run_report
    from microcomm.report import to_markdown

    run_detect(store=chain_store, config=_config(stability_runs=3))
    table = chain_store.communities().filter(pl.col("level") == 0)
    report = run_report(store=chain_store)
    assert report["audience"]["unplaced"] == 2
    for c in report["communities"]:
        mine = table.filter(pl.col("community") == c["id"])["confidence"]
        assert c["confidence"] == round(float(mine.median()), 3)
        conf = dict(zip(table["actor"], table["confidence"], strict=True))
        assert all(m["confidence"] == round(conf[m["actor"]], 3) for m in c["members"])
    text = to_markdown(report)
    assert (
        "2 unplaced: in groups under `detect.min_size` tied to no larger community, or "
        "receive-only without a clear community)." in text
    )
    assert "median member confidence" in text and "(most central; confidence)" in text


def test_finalize_counts_and_names_only_sized_nodes() -> None:
    # Accounts 0-4 ("e".."a"), then hub nodes 5-7. Community 1 = accounts {0, 1} + hubs
    # {5, 6, 7}: 2 accounts, not 5. Community 2 = accounts {2, 3}; community 3 = only account
    # 4 ("a"), merged into 2, its tie; hub-only community 9 gets -1.
    names = np.array(["e", "d", "c", "b", "a", "#x", "#y", "#z"])
    labels = np.array([1, 1, 2, 2, 3, 1, 1, 9])
    sized = np.arange(8) < 5
    out = finalize_levels(
        [labels], np.array([4]), np.array([2]), np.ones(1), names=names, min_size=2, sized=sized
    )[0]
    # {2, 3, 4} has 3 accounts → 0; {0, 1} → 1 with its hubs; the lone hub → -1.
    assert out.tolist() == [1, 1, 0, 0, 0, 1, 1, -1]


def test_a_weak_group_round_a_viral_post_is_dissolved_into_its_members_communities() -> None:
    """Two cliques of five, and a viral post (node 10) with four low-signal engagers: 11 and
    12 also tied to all of clique A, 13 and 14 to all of clique B. Labels as modularity can
    give them put the post and its engagers together: that group keeps 8 of its 28 tie
    weight inside (0.29)."""
    clique = [(i, j) for i in range(5) for j in range(i + 1, 5)]
    edges = clique + [(i + 5, j + 5) for i, j in clique]
    edges += [(10, e) for e in (11, 12, 13, 14)]
    edges += [(e, i) for e in (11, 12) for i in range(5)]
    edges += [(e, i + 5) for e in (13, 14) for i in range(5)]
    src, dst = np.array(edges).T
    w = np.ones(len(edges))
    labels = np.array([0] * 5 + [1] * 5 + [2] * 5)
    out = dissolve_weak_groups(labels, src, dst, w, min_internal=0.3)
    # Engagers go to their cliques; the post, tied only to them, follows on the second pass
    # (two ties to each clique: the smaller label).
    assert out.tolist() == [0] * 5 + [1] * 5 + [0, 0, 0, 1, 1]
    assert dissolve_weak_groups(labels, src, dst, w, min_internal=0.0).tolist() == labels.tolist()
    assert dissolve_weak_groups(labels, src, dst, w, min_internal=0.28).tolist() == labels.tolist()


def test_a_node_tied_only_to_dissolved_nodes_is_unplaced() -> None:
    labels = np.array([0, 0, 0, 1, 1])
    src, dst = np.array([0, 0, 1, 3, 4]), np.array([1, 2, 2, 0, 3])
    # Group 1 (nodes 3, 4): internal 2 of 3 → kept at 0.5; at 0.7 it dissolves: node 3 joins
    # group 0 (its tie), node 4 is tied only to node 3 (also dissolved) → joins on pass 2.
    out = dissolve_weak_groups(labels, src, dst, np.ones(5), min_internal=0.7)
    assert out.tolist() == [0, 0, 0, 0, 0]
    out = dissolve_weak_groups(labels, src, dst, np.ones(5), min_internal=0.7, passes=1)
    assert out.tolist() == [0, 0, 0, 0, -1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(-1, 4)), min_size=1, max_size=60))
def test_ari_is_scikit_learns_to_the_last_bit(pairs: list[tuple[int, int]]) -> None:
    from sklearn.metrics import adjusted_rand_score

    a, b = (np.array(x) for x in zip(*pairs, strict=True))
    assert ari(a, b) == adjusted_rand_score(a, b)


def test_an_account_joins_the_community_it_is_most_tied_to_and_a_tie_keeps_it() -> None:
    """A triangle 0-1-2 and a path 3-4-5 joined by 2-3; node 2 labelled with the path. It
    has two ties to the triangle and one to the path: it moves. Nodes 0 and 1 are tied once
    to each side before the sweep (every node sees the old labels): a tie keeps them."""
    src, dst = np.array([0, 0, 1, 3, 4, 2]), np.array([1, 2, 2, 4, 5, 3])
    labels = np.array([0, 0, 1, 1, 1, 1])
    assert move_to_most_tied(labels, src, dst, np.ones(6)).tolist() == [0, 0, 0, 1, 1, 1]
    # Only the movable nodes move; unplaced nodes stay unplaced.
    movable = np.array([True, True, False, True, True, True])
    assert move_to_most_tied(labels, src, dst, np.ones(6), movable=movable).tolist() == labels.tolist()
    labels[5] = -1
    assert move_to_most_tied(labels, src, dst, np.ones(6)).tolist() == [0, 0, 0, 1, 1, -1]


def test_finalize_moves_only_accounts_with_few_ties() -> None:
    """Node 2 of the triangle-and-path graph has 3 ties: moved with reassign_ties=3, not 2."""
    src, dst = np.array([0, 0, 1, 3, 4, 2]), np.array([1, 2, 2, 4, 5, 3])
    names = np.array(["a", "b", "c", "d", "e", "f"])
    labels = np.array([0, 0, 1, 1, 1, 1])
    w = np.ones(6)
    moved = finalize_levels([labels], src, dst, w, names=names, reassign_ties=3)[0]
    kept = finalize_levels([labels], src, dst, w, names=names, reassign_ties=2)[0]
    assert moved.tolist() == [0, 0, 0, 1, 1, 1]  # equal sizes: the group of "a" first
    assert kept.tolist() == [1, 1, 0, 0, 0, 0]


def test_dissolve_and_move_edge_cases() -> None:
    """No nodes, every node unplaced, labels with gaps, and every group weak (nowhere to go:
    nothing is dissolved)."""
    none = np.array([], dtype=np.int64)
    assert move_to_most_tied(none, none, none, np.array([])).tolist() == []
    assert dissolve_weak_groups(none, none, none, np.array([]), min_internal=0.3).tolist() == []
    src, dst, w = np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(3)
    unplaced = np.full(4, -1)
    assert move_to_most_tied(unplaced, src, dst, w).tolist() == [-1] * 4
    assert dissolve_weak_groups(unplaced, src, dst, w, min_internal=0.3).tolist() == [-1] * 4
    # A path 0-1-2-3 as {0, 1} and {2, 3}, labels 4 and 9: each keeps 2 of 3 inside (strong
    # at 0.6; at 0.7 both are weak, so neither is dissolved).
    gaps = np.array([4, 4, 9, 9])
    assert dissolve_weak_groups(gaps, src, dst, w, min_internal=0.6).tolist() == [4, 4, 9, 9]
    assert dissolve_weak_groups(gaps, src, dst, w, min_internal=0.7).tolist() == [4, 4, 9, 9]
    assert move_to_most_tied(gaps, src, dst, w).tolist() == [4, 4, 9, 9]
    # Singletons on the path: every group weak, nothing dissolved; with one strong group
    # ({0, 1, 2}), the weak singleton 3 joins it.
    singletons = dissolve_weak_groups(np.arange(4), src, dst, w, min_internal=0.3)
    assert singletons.tolist() == [0, 1, 2, 3]
    strong = np.array([0, 0, 0, 5])
    assert dissolve_weak_groups(strong, src, dst, w, min_internal=0.3).tolist() == [0, 0, 0, 0]
