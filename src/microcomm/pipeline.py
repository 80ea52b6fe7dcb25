"""The whole flow, top to bottom: ingest → store → graph → communities → profiles → report.

Each ``run_*`` function is what one CLI command calls, and returns a result dataclass that
the CLI renders and tests assert on; :func:`run_all` is ``microcomm run``: all three in turn.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from microcomm import __version__
from microcomm.config import Config
from microcomm.errors import EmptyStoreError, InputError
from microcomm.ingest import IngestResult, ingest_files, load_mapping
from microcomm.progress import ProgressCallback
from microcomm.store import Store

if TYPE_CHECKING:
    from microcomm.report.inputs import ReportInputs


# --- ingest ------------------------------------------------------------------------------
@dataclass
class IngestRunResult(IngestResult):
    """What one ingest did, with the survey answers it added."""

    answers_added: int = 0


def run_ingest(
    paths: list[str | Path],
    *,
    store: Store,
    config: Config | None = None,
    mapping: str | Path | None = None,
    progress: ProgressCallback | None = None,
    survey: list[str | Path] | None = None,
) -> IngestRunResult:
    """Read export files (and survey answer files) into the store.

    Each write is atomic and re-ingesting changes nothing. Survey files are read and checked
    before any export is ingested, so a bad survey file leaves the store as it was.
    """
    from microcomm.survey import read_answers, write_answers

    config = config or Config()
    survey = list(survey or [])
    if not paths and not survey:
        raise InputError(
            "nothing to ingest", hint="give export files, or a survey with --survey FILE"
        )
    for path in survey:  # validate first: fail before anything is written
        read_answers(path)
    loaded = load_mapping(mapping) if mapping else None
    result = (
        ingest_files(paths, store, config=config.ingest, mapping=loaded, progress=progress)
        if paths
        else IngestResult(store=str(store.root))
    )
    if paths:
        _require_readable(paths, result)
    answers = write_answers(survey, store) if survey else 0
    return IngestRunResult(**result.__dict__, answers_added=answers)


def _require_readable(paths: list[str | Path], result: IngestResult) -> None:
    """An empty folder, or one with nothing microcomm can read, is an error, not "0 events
    added" (issue 13): nothing was written."""
    from microcomm.errors import InputError

    named = ", ".join(str(p) for p in paths[:3]) + (" …" if len(paths) > 3 else "")
    if not result.files:
        raise InputError(
            f"{named}: no file to read (empty folder?)",
            hint="point at the exports themselves: files, folders or ZIP archives",
        )
    if all(f.status == "unrecognised" for f in result.files):
        n = len(result.files)
        raise InputError(
            f"{named}: nothing readable ({n} file{'' if n == 1 else 's'}, e.g. "
            f"{result.files[0].path}, none an export microcomm knows)",
            hint="see the supported exports in the README, or map other columns with --mapping",
        )


# --- detect ------------------------------------------------------------------------------
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


def find_communities(
    events: pl.DataFrame,
    entities: pl.DataFrame,
    *,
    config: Config | None = None,
    stage: ProgressCallback | None = None,
    timings: dict[str, float] | None = None,
) -> Found:
    """Graph + communities of events/entities frames, with ``config``'s settings (seeded).

    The pure core of :func:`run_detect` (no store, no stability runs); ``microcomm track``
    calls it once per period so that every period is detected exactly as ``detect`` would.

    Raises
    ------
    EmptyGraphError
        No two accounts share a context.
    """
    from microcomm.communities import InterestClusterer, detect_communities
    from microcomm.communities.engine import nest_levels, number_levels
    from microcomm.communities.postprocess import finalize_levels
    from microcomm.graph import build_graph

    config = config or Config()
    dc = config.detect
    timings = {} if timings is None else timings
    t = time.perf_counter()
    inc, graph = build_graph(events, entities, config=config.graph, seed=dc.seed)
    timings["graph"] = time.perf_counter() - t
    t = time.perf_counter()
    if dc.method in ("leiden", "louvain"):
        _tell(stage, f"running {dc.method.capitalize()}")
        part = detect_communities(graph, dc)
        timings["detect"] = time.perf_counter() - t
        # Right-sized communities (hubs do not count toward a size), numbered by size then
        # smallest member name (issue 12).
        # Coarser levels are re-derived from the right-sized micro level so they still nest.
        sized = np.arange(graph.n_nodes) < graph.n_accounts
        micro = finalize_levels(part.node_levels[:1], graph.src, graph.dst, graph.weight,
                                names=graph.names, min_size=dc.min_size, sized=sized)[0]  # fmt: skip
        coarse = nest_levels(micro, part.node_levels[1:], graph.n_accounts)
        nodes = number_levels([micro, *coarse], graph.n_accounts)
        levels = [lv[: graph.n_accounts] for lv in nodes]
        q = part.modularity[0]
        return Found(inc, graph, levels, part.engine, q, nodes, part.resolution)
    _tell(stage, f"clustering interests ({dc.method})")
    est = InterestClusterer(
        dc.method, n_clusters=dc.n_clusters, n_components=dc.svd_components, seed=dc.seed
    ).fit(inc.matrix)
    hubs = np.full(graph.n_nodes - graph.n_accounts, -1, dtype=np.int64)
    timings["detect"] = time.perf_counter() - t
    sized = np.arange(graph.n_nodes) < graph.n_accounts
    nodes = finalize_levels([np.concatenate([est.labels_, hubs])], graph.src, graph.dst,
                            graph.weight, names=graph.names, min_size=dc.min_size, sized=sized)  # fmt: skip
    return Found(inc, graph, [nodes[0][: graph.n_accounts]], "scikit-learn", None, nodes)


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
    filtered: dict[str, int] = field(default_factory=dict)  # events / accounts set aside as spam


def run_detect(
    *, store: Store, config: Config | None = None, stage: ProgressCallback | None = None
) -> DetectResult:
    """Build the co-engagement graph, find communities, write them to the store.

    Level 0 is the micro level (Louvain's first, finest pass); later levels nest the micro
    communities into macro ones.
    """
    from microcomm.brand import resolve_brand
    from microcomm.communities import membership_strength
    from microcomm.filter import drop_filtered, flag_events

    config = config or Config()
    dc = config.detect
    store.require_events()
    timings: dict[str, float] = {}
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

    _tell(stage, "building the co-engagement graph")
    found = find_communities(events, entities, config=config, stage=stage, timings=timings)
    graph, levels, engine, q = found.graph, found.levels, found.engine, found.modularity
    stability, confidence = _stability(found, config, stage, timings)
    t = time.perf_counter()
    frames = []
    deg_all, n_acc = graph.degree()[: graph.n_accounts], graph.n_accounts
    for level, (labels, nodes) in enumerate(zip(levels, found.node_levels, strict=True)):
        strength = membership_strength(nodes, graph.src, graph.dst, graph.weight)[:n_acc]
        frames.append(
            pl.DataFrame(
                {
                    "actor": graph.actors,
                    "community": labels,  # -1: unplaced (in a group under detect.min_size)
                    "level": np.full(len(labels), level, dtype=np.int32),
                    "method": dc.method,
                    "strength": strength,
                    "centrality": strength * deg_all,
                    "confidence": confidence if level == 0 else None,
                },
                schema_overrides={"confidence": pl.Float64},
            ).with_columns(pl.col("confidence").fill_nan(None))
        )
    communities = pl.concat(frames)
    timings["detect"] += time.perf_counter() - t

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
        unplaced=int((micro < 0).sum()),
        filtered={
            "events": filtered.height,
            "accounts": filtered.filter(pl.col("account_reason").is_not_null())["actor"].n_unique(),
        },
    )
    names = graph.names  # accounts, then busy contexts kept as nodes (graph.py)
    edges = pl.DataFrame(
        {"source": names[graph.src], "target": names[graph.dst], "weight": graph.weight},
        schema={"source": pl.String, "target": pl.String, "weight": pl.Float64},
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
        txn.set_run(run, communities, edges, filtered)
    return result


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
                                names=g.names, min_size=dc.min_size, sized=sized)  # fmt: skip
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


def _median_stability(
    stability: dict[str, Any] | None, sizes: np.ndarray, min_size: int
) -> float | None:
    """Median stability of the communities the report shows (size >= min_size)."""
    if not stability:
        return None
    scores = np.asarray(stability["scores"])
    shown = scores[: len(sizes)][sizes[: len(scores)] >= min_size]
    return float(np.median(shown)) if len(shown) else None


def _tell(stage: ProgressCallback | None, what: str) -> None:
    if stage:
        stage(what, 0)


# --- report ------------------------------------------------------------------------------
def load_report_inputs(store: Store) -> ReportInputs:
    """The frames the report is built from: the store's current run and what it profiles."""
    from microcomm.filter import drop_filtered
    from microcomm.report.inputs import (
        ANSWER_COLUMNS,
        ENTITY_COLUMNS,
        EVENT_COLUMNS,
        ReportInputs,
    )

    run = store.current_run()
    if run is None:
        raise EmptyStoreError(
            f"{store.root}: no communities have been detected yet",
            hint="run `microcomm detect` first",
        )
    # Spam reaches no interest, name, member list or quote (issue 8): drop it on the way in.
    filtered = store.filtered()
    events, entities = drop_filtered(
        store.read("events", list(EVENT_COLUMNS)),
        store.read("entities", ["event_id", *ENTITY_COLUMNS]),
        filtered,
    )
    return ReportInputs(
        run=run,
        communities=store.communities(),
        events=events,
        entities=entities.select(ENTITY_COLUMNS),
        accounts=store.accounts(),
        edges=store.edges(),
        answers=store.read("answers", list(ANSWER_COLUMNS)),
        polls=store.polls(),
        filtered=filtered,
    )


def run_report(
    *, store: Store, config: Config | None = None, timings: dict[str, float] | None = None
) -> dict[str, Any]:
    """The report data (the ``--format json`` contract); rendered by :mod:`microcomm.report`.

    ``timings``, when given, receives the seconds each report section took (``read``: the
    store reads).
    """
    from microcomm.report import build_report

    config = config or Config()
    store.require_events()
    t = time.perf_counter()
    inputs = load_report_inputs(store)
    if timings is not None:
        timings["read"] = time.perf_counter() - t
    return build_report(inputs, config=config.report, timings=timings)


# --- export ------------------------------------------------------------------------------
def run_export(
    what: str, output: Path, *, store: Store, config: Config | None = None
) -> dict[str, Any]:
    """Write ``members``, ``communities`` or ``graph`` of the current run to ``output`` (format
    by extension; see :mod:`microcomm.export`). Returns what was written."""
    from microcomm.export import check_target, export
    from microcomm.report import build_report

    config = config or Config()
    check_target(what, output)  # a wrong extension fails before the work
    store.require_events()
    inputs = load_report_inputs(store)
    return export(what, inputs, build_report(inputs, config=config.report), output)


# --- explain -----------------------------------------------------------------------------
def run_explain(actor: str, *, store: Store, config: Config | None = None) -> Any:
    """Why ``actor`` is in its community (:func:`microcomm.explain.explain_actor`), or why it
    was filtered (:class:`microcomm.filter.audit.FilteredAccount`) when the filter set it
    aside whole; events of it that were filtered are in the explanation's ``extra``."""
    from microcomm.explain import explain_actor
    from microcomm.filter.audit import account_filter_info

    config = config or Config()
    store.require_events()
    if store.current_run() is None:
        raise EmptyStoreError(
            f"{store.root}: no communities have been detected yet",
            hint="run `microcomm detect` first",
        )
    handle = actor.strip().removeprefix("@").lower()
    total = store.scan("events").filter(pl.col("actor") == handle).select(pl.len()).collect()
    info = account_filter_info(store.filtered(), handle, total=int(total.item()))
    if info is not None and info.account_reason is not None:
        return info
    roles = _people_roles(handle, store, config)
    try:
        ex = explain_actor(store, actor, top=config.report.top)
    except InputError as err:
        if not roles:  # an influencer often sits outside every community: say what it is
            raise
        from microcomm.explain import unplaced

        ex = unplaced(handle, reason=err.message)
    ex.extra["roles"] = roles
    if info is not None:
        ex.extra["filtered"] = info.to_dict()
    return ex


def _people_roles(actor: str, store: Store, config: Config) -> list[dict[str, Any]]:
    """The people roles of ``actor`` (influencer, paid partner, UGC creator, advocate)."""
    from microcomm.brand import resolve_brand
    from microcomm.profiles.hierarchy import membership
    from microcomm.profiles.person import describe_person

    inputs = load_report_inputs(store)
    return describe_person(
        actor,
        events=inputs.events,
        entities=inputs.entities,
        accounts=inputs.accounts,
        members=membership(inputs.communities, level=0),
        brand=resolve_brand(inputs.events, given=(config.report.brand,)),
        percentile=config.report.reach_percentile,
    )


# --- track -------------------------------------------------------------------------------
def run_track(
    *, store: Store, config: Config | None = None, runs: tuple[str, str] | None = None
) -> dict[str, Any]:
    """Month over month: the tracking data of :mod:`microcomm.track` (the JSON contract).

    Without ``runs``, the store's events are split into ``track.period`` periods and each is
    detected with the same settings; with ``runs`` (store directories or run ids of
    ``store``), two stored detection runs are compared.
    """
    from microcomm.brand import resolve_brand
    from microcomm.filter import drop_filtered, flag_events
    from microcomm.track import track_events
    from microcomm.track.core import ENTITY_COLUMNS, EVENT_COLUMNS
    from microcomm.track.runs import track_runs

    config = config or Config()
    if runs is not None:
        return track_runs(runs[0], runs[1], store=store, config=config)

    store.require_events()
    events, entities = store.read("events", EVENT_COLUMNS), store.read("entities", ENTITY_COLUMNS)
    # Spam is set aside over the whole store, as detect does (issue 8), before periods split it.
    brand = resolve_brand(events, given=(config.report.brand,))  # never filtered as spam
    filtered = flag_events(events, config=config.filter, exempt=brand.handles)
    events, entities = drop_filtered(events, entities, filtered)
    return track_events(events, entities, config=config)


# --- all ---------------------------------------------------------------------------------
@dataclass
class RunResult:
    """What :func:`run_all` did, stage by stage."""

    ingest: IngestRunResult
    detect: DetectResult
    report: dict[str, Any]


def run_all(
    paths: Sequence[str | Path],
    *,
    store: Store,
    config: Config | None = None,
    mapping: str | Path | None = None,
    survey: Sequence[str | Path] | None = None,
    progress: ProgressCallback | None = None,
    stage: ProgressCallback | None = None,
) -> RunResult:
    """Ingest ``paths`` (and ``survey``), detect communities, build the report data.

    ``progress`` hears the rows read per file, ``stage`` the name of each step as it starts.
    """
    config = config or Config()
    _tell(stage, "ingesting")
    ingested = run_ingest(
        list(paths),
        store=store,
        config=config,
        mapping=mapping,
        progress=progress,
        survey=list(survey or []),
    )
    detected = run_detect(store=store, config=config, stage=stage)
    _tell(stage, "profiling the communities")
    return RunResult(
        ingest=ingested, detect=detected, report=run_report(store=store, config=config)
    )
