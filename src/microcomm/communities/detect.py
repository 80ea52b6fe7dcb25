"""One entry point for graph community detection: the method and engine the config names.

The pipeline's main run and the stability runs both call :func:`detect_communities`, so a
perturbed run always re-runs the same algorithm as the result it checks.
"""

from __future__ import annotations

from microcomm.communities.engine import Partition
from microcomm.config import DetectConfig
from microcomm.graph import CoGraph


def detect_communities(
    graph: CoGraph,
    config: DetectConfig | None = None,
    *,
    seed: int | None = None,
    resolution: float | None = None,
    finest_only: bool = False,
    choose_resolution: bool = True,
) -> Partition:
    """Leiden or Louvain (``config.method``) on ``graph``; ``seed``/``resolution`` override.
    ``finest_only``: Leiden skips its coarser levels (Louvain finds them in the same pass);
    ``choose_resolution=False``: Leiden keeps the size rule's resolution (no stability ladder).

    Examples
    --------
    >>> import networkx as nx, numpy as np
    >>> g = nx.planted_partition_graph(2, 8, 1.0, 0.0, seed=1)
    >>> s, d = np.array(g.edges()).T
    >>> cg = CoGraph(actors=np.arange(16).astype(str), src=s, dst=d, weight=np.ones(len(s)))
    >>> detect_communities(cg).levels[0].tolist()
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]
    """
    from microcomm.communities.leiden import detect_leiden
    from microcomm.communities.louvain import detect_louvain

    dc = config or DetectConfig()
    seed = dc.seed if seed is None else seed
    res = dc.resolution if resolution is None else resolution
    if dc.method == "louvain":
        return detect_louvain(
            graph,
            resolution=res,
            seed=seed,
            engine=dc.engine,
            engine_switch_edges=dc.engine_switch_edges,
            threshold=dc.threshold,
            micro_size=dc.micro_size,
        )
    if dc.method != "leiden":
        raise ValueError(f"detect_communities runs leiden or louvain, not {dc.method!r}")
    return detect_leiden(
        graph,
        resolution=res,
        seed=seed,
        iterations=dc.iterations,
        micro_size=dc.micro_size,
        restarts=dc.restarts if graph.n_edges <= dc.restart_edges else 1,
        choose_edges=dc.restart_edges if choose_resolution else 0,
        finest_only=finest_only,
    )
