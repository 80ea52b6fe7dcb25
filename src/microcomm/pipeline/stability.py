"""How stable detect's communities are: perturbed re-runs, consensus, member confidence."""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING, Any

import numpy as np

from microcomm.config import Config
from microcomm.pipeline._common import _tell
from microcomm.progress import ProgressCallback

if TYPE_CHECKING:
    from microcomm.pipeline.detect import Found


def _stability(
    found: Found, config: Config, stage: ProgressCallback | None, timings: dict[str, float]
) -> tuple[dict[str, Any] | None, np.ndarray | None]:
    """Stability scores per community and confidence per member, from perturbed re-runs.

    With ``detect.consensus`` the micro level (``found.levels[0]``) becomes the consensus of
    the runs. Returns ``(None, None)`` when stability is off or the method has no graph runs.
    """
    from microcomm.communities import detect_communities
    from microcomm.communities.engine import nest_levels, number_levels
    from microcomm.communities.postprocess import finalize_levels
    from microcomm.communities.stability import (
        community_stability,
        consensus,
        leiden_runs,
        member_confidence,
        perturbed_partitions,
        run_count,
    )

    dc = config.detect
    if dc.method not in ("leiden", "louvain") or dc.stability_runs <= 0:
        return None, None
    t = time.perf_counter()
    g = found.graph
    # Above detect.stability_edges ties, fewer runs (at least two): the time budget (#12).
    n_runs = run_count(dc.stability_runs, g.n_edges, full_edges=dc.stability_edges)
    _tell(stage, f"checking stability over {n_runs} perturbed runs")
    if dc.method == "leiden":
        # Leiden at the main run's resolution (a perturbed graph would give the size rule
        # another value), one iteration, the micro level only, on a graph built once (time).
        runs = leiden_runs(
            g,
            runs=n_runs,
            seed=dc.seed,
            keep=dc.stability_keep,
            resolution=found.resolution or 1.0,
            iterations=1,
        )
    else:
        fast = dataclasses.replace(dc, restarts=1, iterations=1)
        runs = perturbed_partitions(
            g,
            runs=n_runs,
            seed=dc.seed,
            keep=dc.stability_keep,
            detect=lambda sub, s: detect_communities(
                sub, fast, seed=s, resolution=found.resolution
            ).levels[0],
        )
    if dc.consensus and runs:
        agreed = consensus(found.levels[0], runs)[0]
        hubs = found.node_levels[0][g.n_accounts :]
        sized = np.arange(g.n_nodes) < g.n_accounts
        nodes = finalize_levels([np.concatenate([agreed, hubs])], g.src, g.dst, g.weight,
                                names=g.names, min_size=dc.min_size, sized=sized,
                                min_internal=dc.min_internal,
                                reassign_ties=dc.reassign_ties)  # fmt: skip
        coarse = nest_levels(nodes[0], found.node_levels[1:], g.n_accounts)
        found.node_levels[:] = number_levels([nodes[0], *coarse], g.n_accounts)
        found.levels[:] = [lv[: g.n_accounts] for lv in found.node_levels]
    scores = community_stability(found.levels[0], runs)
    timings["stability"] = time.perf_counter() - t
    stability = {
        "runs": len(runs),
        "keep": dc.stability_keep,
        "method": f"edge bootstrap + re-seeded {dc.method.capitalize()}; mean best-match Jaccard",
        "consensus": dc.consensus,
        "scores": [round(float(v), 4) for v in scores],
    }
    return stability, member_confidence(found.levels[0], runs)
