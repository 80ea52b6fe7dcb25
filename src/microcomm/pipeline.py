"""The whole flow, top to bottom: ingest → store → graph → communities → profiles → report.

Each ``run_*`` function is what one CLI command calls, and returns a result dataclass that
the CLI renders and tests assert on.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from microcomm import __version__
from microcomm.config import Config
from microcomm.errors import EmptyStoreError
from microcomm.ingest import IngestResult, ingest_files, load_mapping
from microcomm.store import Store

Progress = Callable[[str, int], None]


# --- ingest ------------------------------------------------------------------------------
def run_ingest(
    paths: list[str | Path],
    *,
    store: Store,
    config: Config | None = None,
    mapping: str | Path | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Read export files into the store (atomically; re-ingesting changes nothing)."""
    config = config or Config()
    loaded = load_mapping(mapping) if mapping else None
    return ingest_files(paths, store, config=config.ingest, mapping=loaded, progress=progress)


# --- detect ------------------------------------------------------------------------------
@dataclass
class DetectResult:
    """What one detection run found."""

    run_id: str
    method: str
    engine: str
    seed: int
    resolution: float
    accounts: int
    communities: int
    sizes: list[int]
    modularity: float | None
    coverage: float
    levels: list[int]
    graph: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def run_detect(
    *, store: Store, config: Config | None = None, stage: Progress | None = None
) -> DetectResult:
    """Build the co-engagement graph, find communities, write them to the store.

    Level 0 is the micro level (Louvain's first, finest pass); later levels nest the micro
    communities into macro ones.
    """
    from microcomm.communities import InterestClusterer, detect_louvain, membership_strength
    from microcomm.graph import build_graph

    config = config or Config()
    dc = config.detect
    store.require_events()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    _tell(stage, "reading the store")
    events = store.read("events", ["actor", "platform", "kind", "target", "target_kind"])
    entities = store.read("entities", ["actor", "type", "value"])
    timings["read"] = time.perf_counter() - t

    t = time.perf_counter()
    _tell(stage, "building the co-engagement graph")
    inc, graph = build_graph(events, entities, config=config.graph, seed=dc.seed)
    timings["graph"] = time.perf_counter() - t

    t = time.perf_counter()
    frames = []
    if dc.method == "louvain":
        _tell(stage, "running Louvain")
        part = detect_louvain(
            graph,
            resolution=dc.resolution,
            seed=dc.seed,
            engine=dc.engine,
            engine_switch_edges=dc.engine_switch_edges,
            threshold=dc.threshold,
        )
        levels, engine, q = part.levels, part.engine, part.modularity[0]
    else:
        _tell(stage, f"clustering interests ({dc.method})")
        est = InterestClusterer(
            dc.method, n_clusters=dc.n_clusters, n_components=dc.svd_components, seed=dc.seed
        ).fit(inc.matrix)
        levels, engine, q = [est.labels_], "scikit-learn", None
    deg_all = graph.degree()
    for level, labels in enumerate(levels):
        strength = membership_strength(labels, graph.src, graph.dst, graph.weight)
        frames.append(
            pl.DataFrame(
                {
                    "actor": graph.actors,
                    "community": labels,
                    "level": np.full(len(labels), level, dtype=np.int32),
                    "method": dc.method,
                    "strength": strength,
                    "centrality": strength * deg_all,
                }
            ).filter(pl.col("community") >= 0)
        )
    communities = pl.concat(frames)
    timings["detect"] = time.perf_counter() - t

    micro = levels[0]
    sizes = np.bincount(micro[micro >= 0]) if (micro >= 0).any() else np.array([], dtype=int)
    min_size = config.report.min_size
    covered = float(sizes[sizes >= min_size].sum()) / max(len(micro), 1)
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    result = DetectResult(
        run_id=run_id,
        method=dc.method,
        engine=engine,
        seed=dc.seed,
        resolution=dc.resolution,
        accounts=len(micro),
        communities=int((sizes >= min_size).sum()),
        sizes=sorted((int(s) for s in sizes), reverse=True),
        modularity=q,
        coverage=covered,
        levels=[len(np.unique(lv[lv >= 0])) for lv in levels],
        graph=graph.stats,
        seconds=timings,
    )
    edges = pl.DataFrame(
        {
            "source": graph.actors[graph.src],
            "target": graph.actors[graph.dst],
            "weight": graph.weight,
        }
    )
    run = {
        "run_id": run_id,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "microcomm": __version__,
        "method": dc.method,
        "engine": engine,
        "seed": dc.seed,
        "config": config.to_dict(),
        "stats": {k: v for k, v in result.__dict__.items() if k not in ("sizes",)},
    }
    _tell(stage, "writing communities")
    with store.transaction() as txn:
        txn.set_run(run, communities, edges)
    return result


def _tell(stage: Progress | None, what: str) -> None:
    if stage:
        stage(what, 0)


# --- report ------------------------------------------------------------------------------
def run_report(*, store: Store, config: Config | None = None) -> dict[str, Any]:
    """The report data (the ``--format json`` contract); rendered by :mod:`microcomm.report`."""
    from microcomm.report import build_report

    config = config or Config()
    store.require_events()
    run = store.current_run()
    if run is None:
        raise EmptyStoreError(
            f"{store.root}: no communities have been detected yet",
            hint="run `microcomm detect` first",
        )
    return build_report(store, run=run, config=config.report)
