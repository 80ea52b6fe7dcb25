"""Graph building and community recovery on planted data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from conftest import planted_events
from microcomm.communities import InterestClusterer, detect_louvain, nmi
from microcomm.config import Config, GraphConfig
from microcomm.errors import EmptyGraphError
from microcomm.graph import build_graph, build_incidence, tie_weights
from microcomm.ingest import finalize_events
from microcomm.normalize import extract_entities
from microcomm.pipeline import run_detect, run_ingest, run_report
from microcomm.store import Store
from microcomm.synth import generate_audience


def _prepared(events: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    ev = finalize_events(events, display="test")
    return ev, extract_entities(ev)


def _groups(actors: np.ndarray, labels: np.ndarray) -> set[frozenset[str]]:
    return {frozenset(actors[labels == k].tolist()) for k in np.unique(labels)}


def test_two_planted_groups_come_back_exactly() -> None:
    ev, ent = _prepared(planted_events(n_groups=2, size=12))
    _, graph = build_graph(ev, ent)
    part = detect_louvain(graph, seed=1)
    expected = {frozenset(f"g{g}_m{m:02d}" for m in range(12)) for g in range(2)}
    assert _groups(graph.actors, part.labels) == expected


@pytest.mark.slow
def test_clustering_recovers_the_same_groups() -> None:
    ev, ent = _prepared(planted_events(n_groups=3, size=10))
    inc, _ = build_graph(ev, ent)
    est = InterestClusterer(n_clusters=3, seed=0).fit(inc.matrix)
    expected = {frozenset(f"g{g}_m{m:02d}" for m in range(10)) for g in range(3)}
    assert _groups(inc.actors, est.labels_) == expected


def test_busy_contexts_stay_hubs_and_small_ones_become_pair_ties() -> None:
    # 'big' is engaged by 40 accounts, 'small' by 2: big is one hub node with 40 edges (never
    # 780 pairs); small is one direct tie of weight w·w/(w+w) (its Kron reduction).
    rows = [
        {"platform": "x", "kind": "comment", "actor": f"a{i:02d}", "target": "big"}
        for i in range(40)
    ]
    rows += [{"platform": "x", "kind": "comment", "actor": f"a{i:02d}", "target": "small"} for i in range(2)]
    ev, ent = _prepared(pl.DataFrame(rows).with_columns(text=None, created_at=None))
    inc, graph = build_graph(ev, ent, config=GraphConfig(idf=False))
    assert graph.hubs.tolist() == ["x:big"]
    assert graph.n_edges == 41
    hub_edges = graph.dst == graph.n_accounts
    assert hub_edges.sum() == 40
    assert graph.weight[hub_edges] == pytest.approx(np.full(40, np.log(2)))
    pair = ~hub_edges
    assert (graph.actors[graph.src[pair]][0], graph.actors[graph.dst[pair]][0]) == ("a00", "a01")
    assert graph.weight[pair][0] == pytest.approx(np.log(2) / 2)
    assert tie_weights(inc, config=GraphConfig(idf=False)).nnz == 42


def test_a_conversation_is_tied_without_the_idf_except_with_the_brand() -> None:
    """graph.py: two people who each reach the other weigh ln 2 a message each way, no idf;
    one-way reach keeps the idf, and so does the brand even in a conversation. 8 accounts:
    the idf factor of a context of k engagers is sqrt(ln(8/k) / ln 8)."""
    pairs = [("ann", "bob"), ("bob", "ann"), ("cat", "bob"), ("kestrel", "dan"),
             ("dan", "kestrel"), ("eve", "cat"), ("fay", "eve"), ("gus", "fay")]  # fmt: skip
    rows = [{"platform": "x", "kind": "dm", "actor": a, "target": b, "target_kind": "account",
             "text": None, "created_at": None} for a, b in pairs]  # fmt: skip
    ev, ent = _prepared(pl.DataFrame(rows))

    def ties(brand: tuple[str, ...]) -> dict[tuple[str, str], float]:
        _, g = build_graph(ev, ent, brand=brand)
        return {(g.names[a], g.names[b]): w for a, b, w in zip(g.src, g.dst, g.weight, strict=True)}

    def idf(k: int) -> float:
        return float(np.sqrt(np.log(8 / k) / np.log(8)))

    plain, branded = ties(()), ties(("Kestrel",))
    assert plain[("ann", "bob")] == pytest.approx(2 * np.log(2))  # a conversation: no idf
    assert plain[("bob", "cat")] == pytest.approx(np.log(2) * idf(3))  # one way: @bob has 3
    assert plain[("dan", "kestrel")] == pytest.approx(2 * np.log(2))
    assert branded[("dan", "kestrel")] == pytest.approx(2 * np.log(2) * idf(2))  # the brand
    assert {k: v for k, v in branded.items() if k != ("dan", "kestrel")} == {
        k: v for k, v in plain.items() if k != ("dan", "kestrel")
    }


def test_loud_repeats_count_sublinearly() -> None:
    rows = [
        {
            "platform": "x",
            "kind": "comment",
            "actor": "loud",
            "target": "p",
            "text": None,
            "created_at": None,
            "event_id": str(i),
        }
        for i in range(300)
    ]
    ev, ent = _prepared(pl.DataFrame(rows))
    inc = build_incidence(ev, ent)
    assert inc.matrix[0, 0] == pytest.approx(1 + np.log(300))


def test_no_shared_context_is_an_empty_graph_error() -> None:
    rows = [
        {
            "platform": "x",
            "kind": "comment",
            "actor": f"a{i}",
            "target": f"t{i}",
            "text": None,
            "created_at": None,
        }
        for i in range(5)
    ]
    ev, ent = _prepared(pl.DataFrame(rows))
    with pytest.raises(EmptyGraphError, match="no two accounts share"):
        build_graph(ev, ent)


@pytest.mark.slow
def test_detection_is_reproducible_with_a_seed() -> None:
    aud = generate_audience(8_000, n_communities=6, seed=5)
    ev, ent = _prepared(aud.events)
    _, g1 = build_graph(ev, ent, seed=3)
    _, g2 = build_graph(ev, ent, seed=3)
    assert np.array_equal(detect_louvain(g1, seed=9).labels, detect_louvain(g2, seed=9).labels)


@pytest.fixture(scope="module")
def planted_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Store, dict]:
    """An audience made like examples/ at mixing 0.3, through ingest → detect → report."""
    tmp = tmp_path_factory.mktemp("planted")
    aud = generate_audience(60_000, n_communities=30, mixing=0.3, seed=11)
    path = tmp / "audience.parquet"
    aud.events.write_parquet(path)
    store = Store(tmp / "store")
    run_ingest([path], store=store)
    run_detect(store=store, config=Config())
    report = run_report(store=store, config=Config().override("report", top=10, min_size=1))
    return aud, store, report


@pytest.mark.slow
def test_planted_communities_are_recovered_nmi_at_least_090(planted_run: tuple) -> None:
    aud, store, _ = planted_run
    found = store.communities().filter(pl.col("level") == 0).select("actor", "community")
    truth = aud.truth.filter(pl.col("community") >= 0).join(found, on="actor", how="left")
    labels = truth["community_right"].to_numpy().astype(float)
    unplaced = np.isnan(labels)
    labels[unplaced] = 10_000 + np.arange(unplaced.sum())  # an unplaced account is its own group
    score = nmi(truth["community"].to_numpy(), labels.astype(int))
    assert score >= 0.90, f"NMI {score:.3f}"


@pytest.mark.slow
def test_signature_hashtags_top_the_matching_community(planted_run: tuple) -> None:
    aud, store, report = planted_run
    found = (
        store.communities()
        .filter(pl.col("level") == 0)
        .select("actor", pl.col("community").alias("found"))
    )
    overlap = (
        aud.truth.filter(pl.col("community") >= 0)
        .join(found, on="actor")
        .group_by(["community", "found"])
        .len()
        .sort("len", descending=True)
        .unique("community", keep="first")
    )
    by_id = {c["id"]: c for c in report["communities"]}
    themes = {r["community"]: set(r["hashtags"]) for r in aud.themes.iter_rows(named=True)}
    checked = 0
    for planted, comm in overlap.select("community", "found").iter_rows():
        top = [i["value"] for i in by_id[comm]["interests"] if i["type"] == "hashtag"][:3]
        assert set(top) == themes[planted], (planted, top)
        checked += 1
    assert checked == 30


@pytest.mark.slow
def test_kmeans_method_writes_a_single_level(tmp_path: Path) -> None:
    aud = generate_audience(6_000, n_communities=4, seed=2)
    path = tmp_path / "a.parquet"
    aud.events.write_parquet(path)
    store = Store(tmp_path / "s")
    run_ingest([path], store=store)
    result = run_detect(
        store=store, config=Config().override("detect", method="kmeans", n_clusters=4)
    )
    assert result.levels == [4]
    assert store.communities()["level"].unique().to_list() == [0]
