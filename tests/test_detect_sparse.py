"""Community recovery on sparse planted audiences (issue 12): Pareto activity, median 4
events, 30 % of each account's engagement outside its community.

Most run the detection core (``find_communities``: graph + Leiden + right-sizing) with the
default config; one runs the whole ``detect`` (store, spam filter, stability) with the defaults
a user gets, which must flag none of these ordinary accounts.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import polars as pl
import pytest

from microcomm.communities import detect_leiden, nmi
from microcomm.config import Config
from microcomm.ingest import finalize_events
from microcomm.normalize import extract_entities
from microcomm.pipeline import Found, find_communities
from microcomm.synth import brand_audience, sparse_audience


def _score(found: Found, truth: pl.DataFrame) -> float:
    """NMI over every planted account; an unplaced account counts as a group of its own."""
    got = pl.DataFrame({"actor": found.graph.actors, "found": found.levels[0]})
    joined = truth.join(got, on="actor", how="left")
    labels = joined["found"].fill_null(-1).to_numpy().copy()
    alone = labels < 0
    labels[alone] = 1_000_000 + np.arange(alone.sum())
    return nmi(joined["community"].to_numpy(), labels)


@functools.cache  # read only: seed 0 serves the NMI and the resolution tests (0.5 s each)
def _found(n_accounts: int | None, seed: int, **kw: int) -> tuple[Found, pl.DataFrame]:
    aud = sparse_audience(n_accounts, seed=seed, **kw)
    events = finalize_events(aud.events, display="sparse")
    return find_communities(events, extract_entities(events), config=Config()), aud.truth


@pytest.mark.parametrize("seed", [0, 1])
def test_sparse_3k_audience_nmi_at_least_088(seed: int) -> None:
    found, truth = _found(3_000, seed)
    score = _score(found, truth)
    assert score >= 0.88, f"NMI {score:.3f}"


@pytest.mark.slow
def test_sparse_3k_audiences_nmi_088_on_average_over_ten_seeds() -> None:
    """Seeds 0-9: mean NMI 0.891, lowest 0.868 (seed 4: fewer, larger communities, weak for
    every method, the oracle included). Before accounts with few ties joined the community
    they are most tied to (detect.reassign_ties): mean 0.877, lowest 0.849."""
    scores = [_score(*_found(3_000, seed)) for seed in range(10)]
    assert sum(scores) / 10 >= 0.88, [round(s, 3) for s in scores]
    assert min(scores) >= 0.86, [round(s, 3) for s in scores]


def test_levels_nest_and_twins_stay_together() -> None:
    found, _ = _found(3_000, 2)
    graph, levels = found.graph, found.levels
    for fine, coarse in itertools.pairwise(levels):
        pairs = pl.DataFrame({"fine": fine, "coarse": coarse}).filter(pl.col("fine") >= 0)
        assert pairs.group_by("fine").agg(pl.col("coarse").n_unique())["coarse"].max() == 1
    assert graph.twin is not None
    twins = graph.twin != np.arange(graph.n_accounts)
    assert twins.sum() > 0  # the audience has accounts with identical engagement
    assert (levels[0][twins] == levels[0][graph.twin[twins]]).all()


def test_resolution_override_is_used_as_given() -> None:
    found, _ = _found(3_000, 0)
    fixed = detect_leiden(found.graph, resolution=5.0, seed=42)
    assert fixed.resolution == 5.0 and found.resolution != 5.0
    assert len(np.unique(fixed.levels[0])) > len(np.unique(found.levels[0]))


@pytest.mark.slow
def test_sparse_1m_events_nmi_at_least_093() -> None:
    found, truth = _found(None, 1, n_events=1_000_000)
    score = _score(found, truth)
    assert score >= 0.93, f"NMI {score:.3f}"


@pytest.mark.slow
def test_whole_detect_with_defaults_on_a_sparse_3k_audience(tmp_path) -> None:
    """The command a user runs: ingest, then ``detect`` with every default (filter included)."""
    from microcomm.pipeline import run_detect, run_ingest
    from microcomm.store import Store

    aud = sparse_audience(3_000, seed=0)
    path = tmp_path / "events.parquet"
    aud.events.write_parquet(path)
    store = Store(tmp_path / "store")
    run_ingest([path], store=store)
    run_detect(store=store)
    assert store.filtered().height == 0  # heavy fans writing "love this" are not spam
    got = store.communities().filter(pl.col("level") == 0).select("actor", "community")
    joined = aud.truth.join(got, on="actor", how="left")
    labels = joined["community_right"].fill_null(-1).to_numpy().copy()
    alone = labels < 0
    labels[alone] = 1_000_000 + np.arange(alone.sum())
    score = nmi(joined["community"].to_numpy(), labels)
    assert score >= 0.88, f"NMI {score:.3f}"


@pytest.mark.slow
def test_a_few_large_groups_are_not_carved_up() -> None:
    """Tweets to several brands: 6 planted groups of 300-1,500 accounts. The size rule alone
    (resolution 1.93) cut them into 26 pieces (ARI 0.59); the most stable resolution is 1 and
    they come back at ARI 0.79, as plain igraph Louvain on the projection finds them (0.79)."""
    from sklearn.metrics import adjusted_rand_score

    found, truth = _found(3_000, 0, size_range=(300, 1500))  # type: ignore[arg-type]
    got = pl.DataFrame({"actor": found.graph.actors, "found": found.levels[0]})
    joined = truth.join(got, on="actor", how="left")
    assert found.resolution == 1.0 and joined["found"].n_unique() <= 8
    ari = adjusted_rand_score(joined["community"].to_numpy(), joined["found"].to_numpy())
    assert ari >= 0.78, f"ARI {ari:.3f}"


@pytest.mark.slow
def test_a_viral_posts_low_signal_engagers_do_not_make_communities() -> None:
    """4 planted groups of 800-3,000 accounts (8 k). Modularity gathered the accounts whose few
    events went mostly to the brand's viral posts into three mixed groups (purity 0.49-0.59,
    keeping 25-28 % of their ties inside; ARI 0.653). They are dissolved (detect.min_internal),
    each member joining the group it is most tied to: ARI 0.703; with accounts of few ties
    moved to their most-tied community first (detect.reassign_ties), 0.753 (plain igraph
    Louvain on the projection: 0.748)."""
    from sklearn.metrics import adjusted_rand_score

    found, truth = _found(8_000, 1, size_range=(800, 3000))  # type: ignore[arg-type]
    g, micro = found.graph, found.node_levels[0]
    ok = (micro[g.src] >= 0) & (micro[g.dst] >= 0)
    a, b, w = micro[g.src][ok], micro[g.dst][ok], g.weight[ok]
    k = int(micro.max()) + 1
    volume = np.bincount(a, w, k) + np.bincount(b, w, k)
    internal = 2 * np.bincount(a[a == b], w[a == b], k)
    assert (internal[volume > 0] / volume[volume > 0]).min() >= 0.3
    got = pl.DataFrame({"actor": found.graph.actors, "found": found.levels[0]})
    joined = truth.join(got, on="actor", how="left")
    ari = adjusted_rand_score(joined["community"].to_numpy(), joined["found"].to_numpy())
    assert ari >= 0.745, f"ARI {ari:.3f}"


@pytest.mark.slow
@pytest.mark.parametrize("mixing", [0.25, 0.4])
def test_tweets_to_several_brands_come_back_as_the_brands(mixing: float) -> None:
    """Six brands, 4,000 accounts, most tweeting once or twice (``synth.brand_audience``).
    The size rule expects tiny communities of such sparse accounts, and the seed-only
    stability check of the ladder chose 1.6 (mixing 0.25) and 6.3 (mixing 0.4) here (17-21
    on 10 k accounts: 74-133 pieces, ARI 0.08-0.16). The ladder now bootstraps the ties and
    stops at the first peak of the runs' agreement: resolution 1, the six brands, at least
    plain igraph Louvain's ARI on the projection. Seed 0: ARI 0.564 vs Louvain 0.532 (mixing
    0.25), 0.333 vs 0.277 (0.4); seeds 1 and 2 likewise (0.516/0.477, 0.302/0.219;
    0.552/0.524, 0.308/0.270)."""
    import random

    import igraph as ig
    import scipy.sparse as sp
    from sklearn.metrics import adjusted_rand_score

    aud = brand_audience(mixing=mixing, seed=0)  # six brands of 1,200 down to 250 accounts
    events, truth = finalize_events(aud.events, display="sparse"), aud.truth
    found = find_communities(events, extract_entities(events), config=Config())
    got = pl.DataFrame({"actor": found.graph.actors, "found": found.levels[0]})
    joined = truth.join(got, on="actor", how="left").with_columns(pl.col("found").fill_null(-1))
    ours = adjusted_rand_score(joined["community"].to_numpy(), joined["found"].to_numpy())
    b = found.inc.matrix.copy()
    b.data[:] = 1.0
    deg = np.asarray(b.sum(axis=0)).ravel()
    proj = sp.triu((b @ sp.diags(np.where(deg >= 2, 1.0 / np.maximum(deg - 1, 1), 0.0))) @ b.T, 1).tocoo()
    ig.set_random_number_generator(random.Random(42))
    plain = ig.Graph(n=b.shape[0], edges=np.column_stack([proj.row, proj.col]))
    labels = np.asarray(plain.community_multilevel(weights=proj.data).membership)
    base = truth.join(pl.DataFrame({"actor": found.inc.actors, "found": labels}), on="actor", how="left")
    theirs = adjusted_rand_score(base["community"].to_numpy(), base["found"].fill_null(-1).to_numpy())
    assert found.resolution == 1.0
    assert ours >= theirs, f"ARI {ours:.3f} < plain Louvain {theirs:.3f}"
