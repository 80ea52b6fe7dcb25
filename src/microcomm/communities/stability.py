"""How sure we are: the stability of each community over perturbed, re-seeded Louvain runs.

A community that reflects real structure comes back when the graph is shaken a little and
Louvain starts from another seed; one that Louvain carved out of a structureless region
(many near-equal partitions) does not. Each extra run keeps a random ``keep`` share of the
graph's edges (an edge bootstrap, after Rosvall & Bergstrom 2010) and runs Louvain with a new
seed; a reference community's score is the mean, over runs, of its best-match Jaccard
similarity with the communities of that run (Hennig 2007). 1 means it came back intact every
time; scores under about 0.5 mean it dissolves.

Inputs: the :class:`~microcomm.graph.CoGraph` and the reference micro-level labels.
Output: one score per reference community.

References
----------
M. Rosvall, C. T. Bergstrom, "Mapping change in large networks", PLoS ONE 5 (2010) e8694.
C. Hennig, "Cluster-wise assessment of cluster stability", Comput. Stat. Data Anal. 52 (2007).
"""

from __future__ import annotations

import random

import numpy as np
import scipy.sparse as sp

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
) -> list[np.ndarray]:
    """Micro-level (first Louvain level) labels of ``runs`` perturbed, re-seeded runs.

    Run ``i`` uses seed ``seed + i + 1`` both to drop edges (each kept with probability
    ``keep``) and to seed Louvain, so the whole set is reproducible from ``seed``.
    """
    if runs <= 0 or graph.n_edges == 0:
        return []
    if not 0.0 < keep <= 1.0:
        raise ValueError("keep must be in (0, 1]")
    if engine == "auto":
        engine = "igraph" if graph.n_edges > engine_switch_edges and _has_igraph() else "networkx"
    if engine == "igraph":
        return _igraph_runs(graph, runs, seed, keep, resolution)
    from microcomm.communities.louvain import detect_louvain

    out = []
    for i in range(runs):  # a handful of runs, each vectorised inside
        s = seed + i + 1
        mask = np.random.default_rng(s).random(graph.n_edges) < keep
        sub = CoGraph(
            actors=graph.actors, src=graph.src[mask], dst=graph.dst[mask], weight=graph.weight[mask]
        )
        part = detect_louvain(
            sub, resolution=resolution, seed=s, engine="networkx", threshold=threshold
        )
        out.append(part.levels[0])
    return out


def _has_igraph() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def _igraph_runs(
    graph: CoGraph, runs: int, seed: int, keep: float, resolution: float
) -> list[np.ndarray]:
    import igraph as ig

    # Build the C graph once (the costly part on millions of edges); each run only re-weights:
    # a dropped edge gets weight 0, which Louvain treats as absent.
    g = ig.Graph(n=graph.n_nodes, edges=np.column_stack([graph.src, graph.dst]), directed=False)
    ig.set_random_number_generator(random)
    out = []
    for i in range(runs):
        s = seed + i + 1
        mask = np.random.default_rng(s).random(graph.n_edges) < keep
        random.seed(s)
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
