"""How sure we are: the stability of each community over perturbed, re-seeded Louvain runs.

A community that reflects real structure comes back when the graph is shaken a little and
Louvain starts from another seed; one that Louvain carved out of a structureless region
(many near-equal partitions) does not. Each extra run keeps a random ``keep`` share of the
graph's edges (an edge bootstrap, after Rosvall & Bergstrom 2010) and runs Louvain with a new
seed; a reference community's score is the mean, over runs, of its best-match Jaccard
similarity with the communities of that run (Hennig 2007). 1 means it came back intact every
time; scores under about 0.5 mean it dissolves.

The same runs give a *consensus* and a per-member *confidence* (:func:`consensus`): in each
run, a reference community's core is the run's community holding most of its members; a
member's confidence is the share of runs in which it lands in the core of its community, so a
member on the fence between two communities scores about 0.5 and a member of a tight group 1.
Members that a majority of runs put with another community's core move there (the consensus
partition, after Lancichinetti & Fortunato 2012, computed from run-to-reference contingency
tables: no N × N co-assignment matrix).

Inputs: the :class:`~microcomm.graph.CoGraph` and the reference micro-level labels.
Output: one score per reference community; consensus labels and one confidence per member.

References
----------
M. Rosvall, C. T. Bergstrom, "Mapping change in large networks", PLoS ONE 5 (2010) e8694.
C. Hennig, "Cluster-wise assessment of cluster stability", Comput. Stat. Data Anal. 52 (2007).
A. Lancichinetti, S. Fortunato, "Consensus clustering in complex networks", Sci. Rep. 2 (2012).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from microcomm.communities.engine import choose_engine, igraph_graph
from microcomm.graph import CoGraph


def best_match_jaccard(reference: np.ndarray, other: np.ndarray) -> np.ndarray:
    """For each community of ``reference``, its highest Jaccard similarity with one of ``other``.

    Labels are non-negative ints over the same nodes; nodes labelled ``-1`` in ``reference``
    are ignored (in ``other`` they count as a community of their own).

    Examples
    --------
    >>> best_match_jaccard(np.array([0, 0, 0, 1, 1, 1]), np.array([5, 5, 5, 6, 6, 7])).round(3)
    array([1.   , 0.667])
    """
    ref = np.asarray(reference)
    oth = np.asarray(other)
    keep = ref >= 0
    ref, oth = ref[keep], oth[keep]
    if len(ref) == 0:
        return np.zeros(0)
    _, oth = np.unique(oth, return_inverse=True)
    n_ref, n_oth = int(ref.max()) + 1, int(oth.max()) + 1
    # Contingency table in sparse form: only the (ref, other) pairs that occur.
    table = sp.coo_matrix((np.ones(len(ref)), (ref, oth)), shape=(n_ref, n_oth)).tocsr()
    table.sum_duplicates()
    size_ref = np.bincount(ref, minlength=n_ref).astype(np.float64)
    size_oth = np.bincount(oth, minlength=n_oth).astype(np.float64)
    coo = table.tocoo()
    jac = coo.data / (size_ref[coo.row] + size_oth[coo.col] - coo.data)
    best = np.zeros(n_ref)
    np.maximum.at(best, coo.row, jac)
    return best


def perturbed_partitions(
    graph: CoGraph,
    *,
    runs: int,
    seed: int = 0,
    keep: float = 0.5,
    resolution: float = 1.0,
    engine: str = "auto",
    engine_switch_edges: int = 200_000,
    threshold: float = 1e-7,
    detect: Callable[[CoGraph, int], np.ndarray] | None = None,
) -> list[np.ndarray]:
    """Micro-level (first Louvain level) labels of ``runs`` perturbed, re-seeded runs.

    Run ``i`` uses seed ``seed + i + 1`` both to drop edges (each kept with probability
    ``keep``) and to seed Louvain, so the whole set is reproducible from ``seed``. ``detect``,
    when given, replaces Louvain: ``detect(subgraph, seed)`` returns the finest labels of the
    detector the run itself used, so the stability measured is that of the method in use.
    """
    if runs <= 0 or graph.n_edges == 0:
        return []
    if not 0.0 < keep <= 1.0:
        raise ValueError("keep must be in (0, 1]")
    if detect is not None:
        return [detect(_edge_sample(graph, keep, seed + i + 1), seed + i + 1) for i in range(runs)]
    engine = choose_engine(engine, graph.n_edges, engine_switch_edges)
    if engine == "igraph":
        return _igraph_runs(graph, runs, seed, keep, resolution)
    from microcomm.communities.louvain import detect_louvain

    out = []
    for i in range(runs):  # a handful of runs, each vectorised inside
        s = seed + i + 1
        part = detect_louvain(
            _edge_sample(graph, keep, s),
            resolution=resolution,
            seed=s,
            engine="networkx",
            threshold=threshold,
        )
        out.append(part.levels[0])
    return out


def _edge_sample(graph: CoGraph, keep: float, seed: int) -> CoGraph:
    """``graph`` with each edge kept with probability ``keep`` (seeded); nodes unchanged."""
    mask = np.random.default_rng(seed).random(graph.n_edges) < keep
    # replace() keeps the busy-context hubs and twins of the graph (graph.py).
    return dataclasses.replace(
        graph, src=graph.src[mask], dst=graph.dst[mask], weight=graph.weight[mask]
    )


def run_count(runs: int, n_edges: int, *, full_edges: int = 250_000) -> int:
    """How many stability runs a graph of ``n_edges`` gets: ``runs`` up to ``full_edges``
    edges, then fewer in proportion (at least 2), so that the runs cost about as much as
    ``runs`` runs on a graph of ``full_edges`` edges. Depends on the graph alone, so it is as
    reproducible as the graph.

    Examples
    --------
    >>> run_count(5, 100_000), run_count(5, 500_000), run_count(5, 5_000_000), run_count(0, 10)
    (5, 2, 2, 0)
    """
    if runs <= 0 or n_edges <= full_edges:
        return max(runs, 0)
    return max(min(runs, 2), runs * full_edges // n_edges)


def leiden_runs(
    graph: CoGraph,
    *,
    runs: int,
    seed: int = 0,
    keep: float = 0.8,
    resolution: float = 1.0,
    iterations: int = 2,
) -> list[np.ndarray]:
    """Micro-level Leiden labels of the accounts in ``runs`` perturbed, re-seeded runs.

    The same perturbation as :func:`perturbed_partitions` (run ``i`` keeps each edge with
    probability ``keep``, seed ``seed + i + 1``), made cheap for large graphs: accounts with
    identical engagement (``graph.twin``) are merged and the igraph graph is built once; each
    run only re-weights it (a dropped tie weighs 0, summed in edge order) and runs
    ``iterations`` Leiden passes for the finest level alone — no coarser levels, no restarts.
    """
    import igraph as ig

    from microcomm.communities.engine import seeded_igraph

    if runs <= 0 or graph.n_edges == 0:
        return []
    n_nodes = getattr(graph, "n_nodes", len(graph.actors))
    n_accounts = len(graph.actors)
    head = np.arange(n_nodes)
    twin = getattr(graph, "twin", None)
    if twin is not None:
        head[:n_accounts] = twin
    _, node_of = np.unique(head, return_inverse=True)
    lo = np.minimum(node_of[graph.src], node_of[graph.dst])
    hi = np.maximum(node_of[graph.src], node_of[graph.dst])
    n = int(node_of.max()) + 1
    keys, edge_of = np.unique(lo.astype(np.int64) * n + hi, return_inverse=True)
    g = igraph_graph(ig, n, keys // n, keys % n)
    out = []
    for i in range(runs):  # a handful of runs, each one C call
        s = seed + i + 1
        mask = np.random.default_rng(s).random(graph.n_edges) < keep
        weight = np.bincount(edge_of, graph.weight * mask, minlength=len(keys))
        seeded_igraph(s)  # a private random.Random: no global state touched
        part = g.community_leiden(
            objective_function="modularity",
            weights=weight,
            resolution=resolution,
            n_iterations=iterations,
        )
        out.append(np.asarray(part.membership, dtype=np.int64)[node_of[:n_accounts]])
    return out


def _igraph_runs(
    graph: CoGraph, runs: int, seed: int, keep: float, resolution: float
) -> list[np.ndarray]:
    import igraph as ig

    from microcomm.communities.engine import seeded_igraph

    # Build the C graph once (the costly part on millions of edges); each run only re-weights:
    # a dropped edge gets weight 0, which Louvain treats as absent.
    g = igraph_graph(ig, graph.n_nodes, graph.src, graph.dst)
    out = []
    for i in range(runs):
        s = seed + i + 1
        mask = np.random.default_rng(s).random(graph.n_edges) < keep
        seeded_igraph(s)
        levels = g.community_multilevel(
            weights=np.where(mask, graph.weight, 0.0).tolist(),
            return_levels=True,
            resolution=resolution,
        )
        out.append(
            np.asarray(levels[0].membership, dtype=np.int64) if levels else np.arange(graph.n_nodes)
        )
    return out


def community_stability(reference: np.ndarray, partitions: list[np.ndarray]) -> np.ndarray:
    """Mean best-match Jaccard of each reference community over ``partitions`` (NaN if none).

    Examples
    --------
    >>> ref = np.array([0, 0, 0, 1, 1, 1])
    >>> community_stability(ref, [ref, np.array([0, 0, 1, 1, 2, 2])]).round(3)
    array([0.833, 0.833])
    """
    ref = np.asarray(reference)
    n_ref = int(ref.max()) + 1 if (ref >= 0).any() else 0
    if not partitions:
        return np.full(n_ref, np.nan)
    scores = np.zeros(n_ref)
    for labels in partitions:  # a handful of runs
        best = best_match_jaccard(ref, labels)
        scores[: len(best)] += best
    return scores / len(partitions)


def consensus(
    reference: np.ndarray, partitions: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Consensus labels and per-member confidence from ``partitions`` of the same nodes.

    In each run, the *core* of reference community ``c`` is the run's community holding most
    of ``c``'s members (ties: the smaller run label). A member votes, in each run, for the
    reference community whose core it is in (the largest such, if the run merged several;
    none if it fell out of every core). Its consensus community is the one with most votes
    (ties: its reference community), and its confidence the share of runs that voted for it.
    Unplaced members (``-1``) stay unplaced, with confidence NaN; with no runs, the reference
    is returned with NaN confidences.

    Examples
    --------
    >>> ref = np.array([0, 0, 0, 1, 1, 1])
    >>> runs = [np.array([0, 0, 0, 1, 1, 1]), np.array([4, 4, 3, 3, 3, 3]),
    ...         np.array([2, 2, 5, 5, 5, 5])]
    >>> labels, conf = consensus(ref, runs)
    >>> labels.tolist(), conf.round(2).tolist()
    ([0, 0, 1, 1, 1, 1], [1.0, 1.0, 0.67, 1.0, 1.0, 1.0])
    """
    ref = np.asarray(reference, dtype=np.int64)
    n = len(ref)
    placed = ref >= 0
    if not partitions or not placed.any():
        return ref.copy(), np.full(n, np.nan)
    k = int(ref.max()) + 1
    idx = np.flatnonzero(placed)
    votes = np.empty((len(partitions), len(idx)), dtype=np.int64)
    for r, labels in enumerate(partitions):  # a handful of runs, each vectorised
        votes[r] = _core_votes(ref[idx], np.asarray(labels)[idx], k)
    # Count votes per (member, community) sparsely: at most runs × members entries.
    cols = np.tile(np.arange(len(idx)), len(partitions))
    v = votes.ravel()
    ok = v >= 0
    table = sp.coo_matrix(
        (np.ones(int(ok.sum())), (cols[ok], v[ok])), shape=(len(idx), k)
    ).tocsr()
    table.sum_duplicates()
    t = table.tocoo()
    is_ref = t.col == ref[idx][t.row]
    # Most votes first, then the member's own community, then the smaller label.
    order = np.lexsort((t.col, ~is_ref, -t.data, t.row))
    row, col, cnt = t.row[order], t.col[order], t.data[order]
    first = np.ones(len(row), dtype=bool)
    first[1:] = row[1:] != row[:-1]
    labels = ref.copy()
    conf = np.full(n, np.nan)
    conf[idx] = 0.0
    labels[idx[row[first]]] = col[first]
    conf[idx[row[first]]] = cnt[first] / len(partitions)
    return labels, conf


def member_confidence(reference: np.ndarray, partitions: list[np.ndarray]) -> np.ndarray:
    """Share of ``partitions`` in which each member sits in its own community's core.

    The confidence :func:`consensus` gives, but for the reference communities as they are
    (NaN for unplaced members, and for everyone when there are no runs).

    Examples
    --------
    >>> member_confidence(np.array([0, 0, 0, -1]), [np.array([1, 1, 2, 2])]).tolist()
    [1.0, 1.0, 0.0, nan]
    """
    ref = np.asarray(reference, dtype=np.int64)
    conf = np.full(len(ref), np.nan)
    placed = ref >= 0
    if not partitions or not placed.any():
        return conf
    k = int(ref.max()) + 1
    hits = np.zeros(int(placed.sum()))
    for labels in partitions:  # a handful of runs, each vectorised
        hits += _core_votes(ref[placed], np.asarray(labels)[placed], k) == ref[placed]
    conf[placed] = hits / len(partitions)
    return conf


def _core_votes(ref: np.ndarray, run: np.ndarray, k: int) -> np.ndarray:
    """Per member: the reference community whose core (in this run) it sits in, else -1."""
    _, run = np.unique(run, return_inverse=True)
    m = int(run.max()) + 1 if len(run) else 0
    table = sp.coo_matrix((np.ones(len(ref)), (ref, run)), shape=(k, m)).tocsr()
    table.sum_duplicates()
    t = table.tocoo()
    # Core of each reference community: its run community with most members (ties: smaller).
    order = np.lexsort((t.col, -t.data, t.row))
    r, c, cnt = t.row[order], t.col[order], t.data[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = r[1:] != r[:-1]
    core_of = np.full(k, -1, dtype=np.int64)
    core_of[r[first]] = c[first]
    # Each run community speaks for the largest reference community it is the core of.
    owner = np.full(m, -1, dtype=np.int64)
    cores = r[first]
    held = cnt[first]
    pick = np.lexsort((cores, -held, core_of[cores]))  # by run community, most members first
    rc = core_of[cores][pick]
    lead = np.ones(len(rc), dtype=bool)
    lead[1:] = rc[1:] != rc[:-1]
    owner[rc[lead]] = cores[pick][lead]
    return owner[run]
