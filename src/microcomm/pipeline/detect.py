"""``microcomm detect``: the co-engagement graph and its communities, written to the store."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import polars as pl

from microcomm import __version__
from microcomm.config import Config
from microcomm.pipeline._common import _tell, store_config
from microcomm.pipeline.stability import _stability
from microcomm.progress import ProgressCallback
from microcomm.store import Store


@dataclass
class Found:
    """Communities found in events frames: every level (finest first) over ``graph.actors``.

    ``node_levels`` label every node of the graph (accounts, then busy-context hubs);
    ``resolution`` is the one used (the size rule's when ``detect.resolution`` is 0).
    """

    inc: Any  # graph.Incidence
    graph: Any  # graph.CoGraph
    levels: list[np.ndarray]
    engine: str
    modularity: float | None
    node_levels: list[np.ndarray] = field(default_factory=list)
    resolution: float | None = None
    # Receive-only accounts (communities.receivers): actor, community, confidence, senders,
    # dm (reached by a DM: written as a member).
    receivers: pl.DataFrame | None = None


def find_communities(
    events: pl.DataFrame,
    entities: pl.DataFrame,
    *,
    config: Config | None = None,
    stage: ProgressCallback | None = None,
    timings: dict[str, float] | None = None,
    exclude: tuple[str, ...] | None = None,
    finest_only: bool = False,
    choose_resolution: bool = True,
) -> Found:
    """Graph + communities of events/entities frames, with ``config``'s settings (seeded).

    The pure core of :func:`run_detect` (no store, no stability runs); ``microcomm track``
    calls it once per period so that every period is detected as ``detect`` would (at the
    size rule's resolution: one rule for every period keeps their partitions comparable).
    Accounts that only receive are placed by their senders' micro communities
    (:func:`~microcomm.communities.receivers.place_receivers`), except the brand: the
    ``exclude`` handles as the caller resolved them (``()``: no brand), or with None detect's
    rule for finding it. ``finest_only``: the micro level alone (what ``track`` uses);
    ``choose_resolution=False`` keeps the size rule's resolution (no stability ladder).

    Raises
    ------
    EmptyGraphError
        No two accounts share a context.
    """
    from microcomm.brand import resolve_brand
    from microcomm.communities import InterestClusterer, detect_communities
    from microcomm.communities.engine import nest_levels, number_levels
    from microcomm.communities.postprocess import finalize_levels
    from microcomm.graph import build_graph

    config = config or Config()
    dc = config.detect
    timings = {} if timings is None else timings
    t = time.perf_counter()
    # The brand's direct ties keep the idf even in a conversation (graph.py); callers that did
    # not resolve it (the Python API) get detect's own rule for finding it. detect and track
    # pass the brand they resolved, none included: it is not looked for twice.
    if exclude is None:
        exclude = resolve_brand(events, given=(config.report.brand,)).handles
    brand = exclude
    inc, graph = build_graph(events, entities, config=config.graph, seed=dc.seed, brand=brand)
    timings["graph"] = time.perf_counter() - t
    t = time.perf_counter()
    if dc.method in ("leiden", "louvain"):
        _tell(stage, f"running {dc.method.capitalize()}")
        part = detect_communities(
            graph, dc, finest_only=finest_only, choose_resolution=choose_resolution
        )
        timings["detect"] = time.perf_counter() - t
        # Right-sized communities (hubs do not count toward a size), numbered by size then
        # smallest member name (issue 12).
        # Coarser levels are re-derived from the right-sized micro level so they still nest.
        sized = np.arange(graph.n_nodes) < graph.n_accounts
        micro = finalize_levels(part.node_levels[:1], graph.src, graph.dst, graph.weight,
                                names=graph.names, min_size=dc.min_size, sized=sized,
                                min_internal=dc.min_internal,
                                reassign_ties=dc.reassign_ties)[0]  # fmt: skip
        coarse = nest_levels(micro, part.node_levels[1:], graph.n_accounts)
        nodes = number_levels([micro, *coarse], graph.n_accounts)
        levels = [lv[: graph.n_accounts] for lv in nodes]
        q = part.modularity[0]
        found = Found(inc, graph, levels, part.engine, q, nodes, part.resolution)
        found.receivers = _receivers(found, events, brand)
        return found
    _tell(stage, f"clustering interests ({dc.method})")
    est = InterestClusterer(
        dc.method, n_clusters=dc.n_clusters, n_components=dc.svd_components, seed=dc.seed
    ).fit(inc.matrix)
    hubs = np.full(graph.n_nodes - graph.n_accounts, -1, dtype=np.int64)
    timings["detect"] = time.perf_counter() - t
    sized = np.arange(graph.n_nodes) < graph.n_accounts
    nodes = finalize_levels([np.concatenate([est.labels_, hubs])], graph.src, graph.dst,
                            graph.weight, names=graph.names, min_size=dc.min_size, sized=sized)  # fmt: skip
    found = Found(inc, graph, [nodes[0][: graph.n_accounts]], "scikit-learn", None, nodes)
    found.receivers = _receivers(found, events, brand)
    return found


def _receivers(found: Found, events: pl.DataFrame, exclude: tuple[str, ...]) -> pl.DataFrame:
    """Receive-only accounts placed by the micro communities of those who reach them."""
    from microcomm.communities.receivers import place_receivers

    acting = events.select(pl.col("actor").drop_nulls().unique())["actor"].to_numpy()
    placed = place_receivers(found.inc, found.levels[0], acting=acting, exclude=exclude)
    # A DM recipient is a person in a conversation: a member. An account only followed or
    # mentioned is what a community is about (the report names it as an interest or a partner
    # to approach), so it is placed and counted but not written as a member.
    dm = events.filter((pl.col("kind") == "dm") & (pl.col("target_kind") == "account"))
    return placed.with_columns(pl.col("actor").is_in(dm["target"].unique().implode()).alias("dm"))


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
    stability: float | None = None  # median community stability (None: not measured)
    unplaced: int = 0  # accounts in no community (their group was under detect.min_size)
    # Accounts that only receive (DMs, follows, mentions), and how many of them were placed
    # by their senders' communities. DM recipients are written as members (``unplaced``
    # counts those not placed); accounts only followed or mentioned stay interests.
    receivers: int = 0
    receivers_placed: int = 0
    filtered: dict[str, int] = field(default_factory=dict)  # events / accounts set aside as spam


def run_detect(
    *, store: Store, config: Config | None = None, stage: ProgressCallback | None = None
) -> DetectResult:
    """Build the co-engagement graph, find communities, write them to the store.

    Level 0 is the micro level (Louvain's first, finest pass); later levels nest the micro
    communities into macro ones.
    """
    config = store_config(store, config or Config())
    dc = config.detect
    store.require_events()
    timings: dict[str, float] = {}
    events, entities, filtered, brand = _read_unfiltered(store, config, stage, timings)

    _tell(stage, "building the co-engagement graph")
    found = find_communities(
        events, entities, config=config, stage=stage, timings=timings, exclude=brand
    )
    graph, levels, engine, q = found.graph, found.levels, found.engine, found.modularity
    stability, confidence = _stability(found, config, stage, timings)
    t = time.perf_counter()
    communities = _community_frames(found, confidence, dc.method)
    timings["detect"] += time.perf_counter() - t

    micro = levels[0]
    recv = found.receivers
    if recv is None:
        recv = pl.DataFrame(schema={"community": pl.Int64, "dm": pl.Boolean})
    sizes = np.bincount(micro[micro >= 0]) if (micro >= 0).any() else np.array([], dtype=int)
    min_size = config.report.min_size
    covered = float(sizes[sizes >= min_size].sum()) / max(len(micro), 1)
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    result = DetectResult(
        run_id=run_id,
        method=dc.method,
        engine=engine,
        seed=dc.seed,
        resolution=dc.resolution if found.resolution is None else found.resolution,
        accounts=len(micro),
        communities=int((sizes >= min_size).sum()),
        sizes=sorted((int(s) for s in sizes), reverse=True),
        modularity=q,
        coverage=covered,
        levels=[len(np.unique(lv[lv >= 0])) for lv in levels],
        graph=graph.stats,
        seconds=timings,
        stability=_median_stability(stability, sizes, min_size),
        unplaced=int((micro < 0).sum()) + int(((recv["community"] < 0) & recv["dm"]).sum()),
        receivers=recv.height,
        receivers_placed=int((recv["community"] >= 0).sum()),
        filtered={
            "events": filtered.height,
            "accounts": filtered.filter(pl.col("account_reason").is_not_null())["actor"].n_unique(),
        },
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
        "stability": stability,
    }
    _tell(stage, "writing communities")
    with store.transaction() as txn:
        txn.set_run(run, communities, _edges(graph), filtered)
    return result


def _read_unfiltered(
    store: Store, config: Config, stage: ProgressCallback | None, timings: dict[str, float]
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, tuple[str, ...]]:
    """The store's events (graph columns) and entities with spam set aside, what was set
    aside (issue 8: spam makes no ties, so it goes before the graph), and the brand's
    handles."""
    from microcomm.brand import resolve_brand
    from microcomm.filter import drop_filtered, flag_events

    t = time.perf_counter()
    _tell(stage, "reading the store")
    events = store.read("events", ["event_id", "actor", "platform", "kind", "target",
                                   "target_kind", "text", "created_at"])  # fmt: skip
    entities = store.read("entities", ["event_id", "actor", "type", "value"])
    timings["read"] = time.perf_counter() - t

    t = time.perf_counter()  # spam makes no ties (issue 8): set aside before the graph
    _tell(stage, "filtering spam")
    brand = resolve_brand(events, given=(config.report.brand,))  # never filtered as spam
    filtered = flag_events(events, config=config.filter, exempt=brand.handles)
    events, entities = drop_filtered(events, entities, filtered)
    events = events.select("actor", "platform", "kind", "target", "target_kind")
    timings["filter"] = time.perf_counter() - t
    return events, entities, filtered, tuple(sorted(brand.handles))


def _community_frames(found: Found, confidence: np.ndarray | None, method: str) -> pl.DataFrame:
    """Every level's membership rows: community, strength, centrality (and, on the micro
    level, each member's confidence from the stability runs)."""
    from microcomm.communities import membership_strength

    graph = found.graph
    frames = []
    deg_all, n_acc = graph.degree()[: graph.n_accounts], graph.n_accounts
    for level, (labels, nodes) in enumerate(zip(found.levels, found.node_levels, strict=True)):
        strength = membership_strength(nodes, graph.src, graph.dst, graph.weight)[:n_acc]
        frames.append(
            pl.DataFrame(
                {
                    "actor": graph.actors,
                    "community": labels,  # -1: unplaced (in a group under detect.min_size)
                    "level": np.full(len(labels), level, dtype=np.int32),
                    "method": method,
                    "strength": strength,
                    "centrality": strength * deg_all,
                    "confidence": confidence if level == 0 else None,
                },
                schema_overrides={"confidence": pl.Float64},
            ).with_columns(pl.col("confidence").fill_nan(None))
        )
        if found.receivers is not None and found.receivers["dm"].any():
            frames.append(_receiver_rows(found, level, labels, method))
    return pl.concat(frames)


def _receiver_rows(found: Found, level: int, labels: np.ndarray, method: str) -> pl.DataFrame:
    """DM recipients that only receive, at ``level``: the micro community's community there
    (levels nest), no tie strength of their own; confidence (micro level) is their senders'
    share."""
    assert found.receivers is not None
    recv = found.receivers.filter(pl.col("dm"))
    micro = found.levels[0]
    lookup = np.full(int(micro.max()) + 2 if len(micro) else 1, -1, dtype=np.int64)
    lookup[micro[micro >= 0]] = labels[micro >= 0]
    comm = recv["community"].to_numpy()
    return pl.DataFrame(
        {
            "actor": recv["actor"],
            "community": np.where(comm >= 0, lookup[comm], -1),
            "level": np.full(recv.height, level, dtype=np.int32),
            "method": method,
            "strength": np.zeros(recv.height),
            "centrality": np.zeros(recv.height),
            "confidence": recv["confidence"] if level == 0 else None,
        },
        schema_overrides={"confidence": pl.Float64},
    )


def _edges(graph: Any) -> pl.DataFrame:
    """The graph's ties by node name (accounts, then busy contexts kept as nodes: graph.py)."""
    names = graph.names
    return pl.DataFrame(
        {"source": names[graph.src], "target": names[graph.dst], "weight": graph.weight},
        schema={"source": pl.String, "target": pl.String, "weight": pl.Float64},
    )


def _median_stability(
    stability: dict[str, Any] | None, sizes: np.ndarray, min_size: int
) -> float | None:
    """Median stability of the communities the report shows (size >= min_size)."""
    if not stability:
        return None
    scores = np.asarray(stability["scores"])
    shown = scores[: len(sizes)][sizes[: len(scores)] >= min_size]
    return float(np.median(shown)) if len(shown) else None
