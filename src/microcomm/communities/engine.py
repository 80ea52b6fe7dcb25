"""What every detection engine shares: engine choice, seeding, resolution, the collapsed graph,
numbering.

One home (issue 7) for the choice between networkx and igraph, for seeding igraph (it draws
from a Python ``random`` generator), for the resolution rule (:func:`size_resolution`), and
for the graph an algorithm actually runs on (:func:`prepare`, :func:`finish`):
accounts with identical engagement (``CoGraph.twin``) are collapsed into one node first, so
they can never be split apart (issue 12) and detection has fewer nodes to move. Sums run in
a fixed order, so the same graph gives the same collapsed graph bit for bit.

Inputs: a :class:`~microcomm.graph.CoGraph`. Outputs: compact edge lists and labels.

References
----------
S. Fortunato, M. Barthélemy, "Resolution limit in community detection", PNAS 104 (2007) 36.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from microcomm.communities.quality import modularity, relabel_by_size
from microcomm.graph import CoGraph


def has_igraph() -> bool:
    """Whether python-igraph can be imported."""
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def choose_engine(engine: str, n_edges: int, switch_edges: int) -> str:
    """``networkx`` or ``igraph`` for Louvain: ``auto`` takes igraph above ``switch_edges``.

    Examples
    --------
    >>> choose_engine("auto", 10, 200_000), choose_engine("networkx", 10**9, 0)
    ('networkx', 'networkx')
    """
    if engine == "auto":
        return "igraph" if n_edges > switch_edges and has_igraph() else "networkx"
    return engine


def seeded_igraph(seed: int) -> Any:
    """The igraph module, its random generator seeded with ``seed`` (no global state touched)."""
    import igraph as ig

    ig.set_random_number_generator(random.Random(seed))
    return ig


def igraph_graph(ig: Any, n: int, src: np.ndarray, dst: np.ndarray) -> Any:
    """An undirected igraph graph on ``n`` nodes with edges ``src[i] — dst[i]``, in that order
    (the edge list goes to C as one array, no Python tuples)."""
    return ig.Graph(n=n, edges=np.column_stack([src, dst]), directed=False)


@dataclass(frozen=True)
class Partition:
    """Community levels, ``levels[0]`` finest (micro), ``levels[-1]`` the coarsest.

    ``levels`` label the accounts (``CoGraph.actors`` order); ``node_levels`` label every node
    of the graph, busy-context hubs included (``-1``: a hub in a community with no account).
    """

    levels: list[np.ndarray]
    modularity: list[float]
    engine: str
    seed: int
    resolution: float
    node_levels: list[np.ndarray] = field(default_factory=list)

    @property
    def labels(self) -> np.ndarray:
        return self.levels[-1]


def make_partition(
    node_levels: list[np.ndarray], graph: CoGraph, *, engine: str, seed: int, resolution: float
) -> Partition:
    """Number the levels by size and score them (modularity at ``resolution``)."""
    levels = number_levels(node_levels, graph.n_accounts)
    q = [modularity(lv, graph.src, graph.dst, graph.weight, resolution=resolution) for lv in levels]
    return Partition(
        levels=[lv[: graph.n_accounts] for lv in levels],
        modularity=q,
        engine=engine,
        seed=seed,
        resolution=resolution,
        node_levels=levels,
    )


@dataclass(frozen=True)
class Collapsed:
    """A graph with twins merged: node ``i`` of the original is node ``node_of[i]`` here."""

    node_of: np.ndarray
    n: int
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray


def collapse(graph: CoGraph) -> Collapsed:
    """Merge each account into its twin; sum parallel edges in a fixed order.

    Ties between twins become self-loops, which keeps every node's weighted degree.

    Examples
    --------
    >>> g = CoGraph(actors=np.array(["a", "b", "c"]), src=np.array([0, 0, 1]),
    ...             dst=np.array([1, 2, 2]), weight=np.ones(3), twin=np.array([0, 0, 2]))
    >>> c = collapse(g)
    >>> c.node_of.tolist(), c.src.tolist(), c.dst.tolist(), c.weight.tolist()
    ([0, 0, 1], [0, 0], [0, 1], [1.0, 2.0])
    """
    n = graph.n_nodes
    head = np.arange(n)
    if graph.twin is not None:
        head[: graph.n_accounts] = graph.twin
    _, node_of = np.unique(head, return_inverse=True)
    return Collapsed(node_of, int(node_of.max()) + 1 if n else 0, *merge_edges(
        node_of[graph.src], node_of[graph.dst], graph.weight
    ))


def size_resolution(graph: CoGraph, *, micro_size: int = 32) -> float:
    """The resolution at which a community of ``micro_size`` accounts stays apart.

    Modularity cannot resolve communities whose volume is below about ``√(2m/γ)``
    (Fortunato & Barthélemy 2007), so a fixed resolution of 1 merges the micro communities of
    a large audience. With total edge weight ``m`` and mean account degree ``d̄``, a community
    of ``s`` accounts has volume about ``s·d̄``; modularity keeps two such communities joined
    by one average tie apart only when ``γ > 2m / (s·d̄)²``. The rule takes that bound for
    ``s = micro_size``, and never less than 1 (the classic modularity):
    ``γ = max(1, 2m / (micro_size·d̄)²)``. Measured on planted sparse audiences (``bench/``):
    about 2.1 at 3 k accounts, 90 at 137 k; at 3 k (seeds 0–9) no fixed resolution in
    1.5–6 scores a higher mean NMI.

    Examples
    --------
    >>> g = CoGraph(actors=np.arange(4).astype(str), src=np.array([0, 2]),
    ...             dst=np.array([1, 3]), weight=np.ones(2))
    >>> size_resolution(g)
    1.0
    """
    deg = graph.degree()[: graph.n_accounts]
    tied = deg[deg > 0]
    if len(tied) == 0:
        return 1.0
    two_m = 2.0 * float(graph.weight.sum())
    return max(1.0, two_m / (micro_size * float(tied.mean())) ** 2)


@dataclass(frozen=True)
class Prepared:
    """What an algorithm runs on: its seed, its resolution and the twin-collapsed graph."""

    seed: int
    resolution: float
    graph: Collapsed


def prepare(
    graph: CoGraph, *, seed: int | None, resolution: float | None, micro_size: int
) -> Prepared:
    """The preamble every engine shares: seed None → 0, resolution None or 0 → the size rule
    (:func:`size_resolution`), twins collapsed into one node (never split).

    Examples
    --------
    >>> g = CoGraph(actors=np.array(["a", "b"]), src=np.array([0]), dst=np.array([1]),
    ...             weight=np.ones(1), twin=np.array([0, 0]))
    >>> p = prepare(g, seed=None, resolution=0, micro_size=32)
    >>> p.seed, p.resolution, p.graph.n
    (0, 1.0, 1)
    """
    gamma = float(resolution) if resolution else size_resolution(graph, micro_size=micro_size)
    return Prepared(0 if seed is None else seed, gamma, collapse(graph))


def finish(
    prepared: Prepared, levels: list[np.ndarray], graph: CoGraph, *, engine: str
) -> Partition:
    """Levels found on the collapsed graph, spread back to every node, numbered and scored."""
    node_of = prepared.graph.node_of
    return make_partition(
        [level[node_of] for level in levels],
        graph,
        engine=engine,
        seed=prepared.seed,
        resolution=prepared.resolution,
    )


def merge_edges(
    src: np.ndarray, dst: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Undirected edge list with parallel edges summed, sorted by (src, dst), src <= dst."""
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    order = np.lexsort((weight, hi, lo))
    lo, hi, w = lo[order], hi[order], weight[order]
    if len(lo) == 0:
        return lo, hi, w
    start = np.flatnonzero(np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])])
    return lo[start], hi[start], np.add.reduceat(w, start)


def number_levels(levels: list[np.ndarray], n_accounts: int) -> list[np.ndarray]:
    """Number each level's communities by account count (descending), ties by first account.

    Labels cover every graph node; ``-1`` (unplaced) stays ``-1``, and a hub whose community
    holds no account gets ``-1``.

    Examples
    --------
    >>> number_levels([np.array([4, 4, 9, -1, 9, 9, 7])], 4)[0].tolist()
    [0, 0, 1, -1, 1, 1, -1]
    """
    out = []
    for level in levels:
        level = np.asarray(level, dtype=np.int64)
        accounts = relabel_by_size(level[:n_accounts])
        mapping = np.full(int(level.max()) + 2 if len(level) else 1, -1, dtype=np.int64)
        placed = level[:n_accounts] >= 0
        mapping[level[:n_accounts][placed]] = accounts[placed]
        out.append(np.where(level >= 0, mapping[level], -1))
    return out


def nest_levels(micro: np.ndarray, coarse: list[np.ndarray], n_accounts: int) -> list[np.ndarray]:
    """Coarser levels re-derived from a right-sized ``micro`` level, so they nest in it.

    Each micro community goes where most of its accounts were at that coarser level (ties:
    the smaller label); unplaced nodes (``-1``) stay unplaced.

    Examples
    --------
    >>> nest_levels(np.array([0, 0, 0, 1, -1]), [np.array([5, 5, 6, 6, 6])], 5)[0].tolist()
    [5, 5, 5, 6, -1]
    """
    import polars as pl

    out = []
    placed = micro[:n_accounts] >= 0
    for level in coarse:
        votes = (
            pl.DataFrame({"micro": micro[:n_accounts][placed], "coarse": level[:n_accounts][placed]})
            .group_by(["micro", "coarse"])
            .len()
            .sort(["micro", "len", "coarse"], descending=[False, True, False])
            .unique("micro", keep="first", maintain_order=True)
        )
        mapping = np.full(int(micro.max()) + 2 if len(micro) else 1, -1, dtype=np.int64)
        mapping[votes["micro"].to_numpy()] = votes["coarse"].to_numpy()
        out.append(np.where(micro >= 0, mapping[micro], -1))
    return out
