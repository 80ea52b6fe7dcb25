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

import random
from dataclasses import dataclass

import numpy as np

from microcomm.communities.quality import modularity, relabel_by_size
from microcomm.graph import CoGraph


@dataclass(frozen=True)
class Partition:
    """Louvain levels over a graph's nodes: ``levels[0]`` finest, ``levels[-1]`` the result."""

    levels: list[np.ndarray]
    modularity: list[float]
    engine: str
    seed: int
    resolution: float

    @property
    def labels(self) -> np.ndarray:
        return self.levels[-1]


def detect_louvain(
    graph: CoGraph,
    *,
    resolution: float = 1.0,
    seed: int | None = 42,
    engine: str = "auto",
    engine_switch_edges: int = 200_000,
    threshold: float = 1e-7,
) -> Partition:
    """Louvain communities of ``graph``, every level kept, labels ordered by size.

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
    seed = 0 if seed is None else seed
    if engine == "auto":
        engine = "igraph" if graph.n_edges > engine_switch_edges and _has_igraph() else "networkx"
    raw = (
        _louvain_igraph(graph, resolution, seed)
        if engine == "igraph"
        else _louvain_networkx(graph, resolution, seed, threshold)
    )
    levels = [relabel_by_size(level) for level in raw]
    q = [
        modularity(level, graph.src, graph.dst, graph.weight, resolution=resolution)
        for level in levels
    ]
    return Partition(levels=levels, modularity=q, engine=engine, seed=seed, resolution=resolution)


def _has_igraph() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def _louvain_networkx(
    graph: CoGraph, resolution: float, seed: int, threshold: float
) -> list[np.ndarray]:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(graph.n_nodes))
    g.add_weighted_edges_from(
        zip(graph.src.tolist(), graph.dst.tolist(), graph.weight.tolist(), strict=True)
    )
    levels = []
    for part in nx.community.louvain_partitions(
        g, weight="weight", resolution=resolution, threshold=threshold, seed=seed
    ):
        labels = np.empty(graph.n_nodes, dtype=np.int64)
        for i, members in enumerate(part):
            labels[list(members)] = i
        levels.append(labels)
    if not levels:  # no edges: every node alone
        levels.append(np.arange(graph.n_nodes))
    return levels


def _louvain_igraph(graph: CoGraph, resolution: float, seed: int) -> list[np.ndarray]:
    import igraph as ig

    # igraph draws from Python's `random` unless told otherwise: seed it for reproducibility.
    ig.set_random_number_generator(random)
    random.seed(seed)
    g = ig.Graph(
        n=graph.n_nodes, edges=np.column_stack([graph.src, graph.dst]).tolist(), directed=False
    )
    g.es["weight"] = graph.weight.tolist()
    levels = g.community_multilevel(weights="weight", return_levels=True, resolution=resolution)
    return [np.asarray(level.membership, dtype=np.int64) for level in levels] or [
        np.arange(graph.n_nodes)
    ]
