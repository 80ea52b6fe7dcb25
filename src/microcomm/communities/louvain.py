"""Seeded Louvain with its hierarchy of levels (finest first), on networkx or igraph.

networkx runs the graphs most audiences make; above ``engine_switch_edges`` edges the C
implementation in igraph serves the same function (same algorithm, same levels), because
networkx's pure-Python passes take minutes on millions of edges.

References
----------
V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of communities in
large networks", J. Stat. Mech. (2008) P10008.
"""

from __future__ import annotations

import numpy as np

from microcomm.communities.engine import (
    Partition,
    choose_engine,
    finish,
    igraph_graph,
    prepare,
    seeded_igraph,
)
from microcomm.graph import CoGraph

__all__ = ["Partition", "detect_louvain"]


def detect_louvain(
    graph: CoGraph,
    *,
    resolution: float | None = 1.0,
    seed: int | None = 42,
    engine: str = "auto",
    engine_switch_edges: int = 200_000,
    threshold: float = 1e-7,
    micro_size: int = 32,
) -> Partition:
    """Louvain communities of ``graph``, every level kept, labels ordered by size.

    Accounts with identical engagement are one node (never split). ``resolution`` None or 0
    follows the audience's size (:func:`~microcomm.communities.engine.size_resolution`).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.planted_partition_graph(3, 10, 0.9, 0.02, seed=1)
    >>> s, d = np.array(g.edges()).T
    >>> cg = CoGraph(actors=np.arange(30).astype(str), src=s, dst=d, weight=np.ones(len(s)))
    >>> p = detect_louvain(cg, seed=1)
    >>> sorted(np.bincount(p.labels).tolist())
    [10, 10, 10]
    """
    prep = prepare(graph, seed=seed, resolution=resolution, micro_size=micro_size)
    c, gamma, seed = prep.graph, prep.resolution, prep.seed
    engine = choose_engine(engine, len(c.src), engine_switch_edges)
    raw = (
        _louvain_igraph(c.n, c.src, c.dst, c.weight, gamma, seed)
        if engine == "igraph"
        else _louvain_networkx(c.n, c.src, c.dst, c.weight, gamma, seed, threshold)
    )
    return finish(prep, raw, graph, engine=engine)


def _louvain_networkx(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    resolution: float,
    seed: int,
    threshold: float,
) -> list[np.ndarray]:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), weight.tolist(), strict=True))
    levels = []
    for part in nx.community.louvain_partitions(
        g, weight="weight", resolution=resolution, threshold=threshold, seed=seed
    ):
        labels = np.empty(n, dtype=np.int64)
        for i, members in enumerate(sorted(part, key=min)):
            labels[sorted(members)] = i
        levels.append(labels)
    if not levels:  # no edges: every node alone
        levels.append(np.arange(n))
    return levels


def _louvain_igraph(
    n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray, resolution: float, seed: int
) -> list[np.ndarray]:
    ig = seeded_igraph(seed)
    g = igraph_graph(ig, n, src, dst)
    levels = g.community_multilevel(weights=weight, return_levels=True, resolution=resolution)
    return [np.asarray(level.membership, dtype=np.int64) for level in levels] or [np.arange(n)]
