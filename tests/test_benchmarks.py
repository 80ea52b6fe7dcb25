"""Labelled benchmark graphs (../shared/benchmarks), written as engagement data: microcomm's
finest level must score at least plain networkx Louvain's NMI on the raw graph (issue 12).

Each edge u — v becomes a thread both ends comment on, so the co-engagement graph of the data
*is* the original graph: microcomm and plain Louvain see the same ties.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import polars as pl
import pytest

from microcomm.communities import nmi
from microcomm.config import Config
from microcomm.pipeline import run_detect, run_ingest
from microcomm.store import Store

pytestmark = pytest.mark.slow  # Louvain and microcomm on each public benchmark graph

GRAPHS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "graphs"
LABELS = {"football": "value", "polbooks": "value", "dolphins": "group", "polblogs": "value"}
# The reference: networkx Louvain with a fixed seed (the benchmarks README's recipe).
REFERENCE_SEED = 42


def read_benchmark(name: str) -> tuple[nx.Graph, dict[str, str]]:
    """The undirected simple graph (nodes named ``n<id>``) and each node's label."""
    raw = nx.read_gml(GRAPHS / f"{name}.gml", label="id")
    g = nx.Graph(raw.to_undirected())
    g.remove_edges_from(list(nx.selfloop_edges(g)))
    g = nx.relabel_nodes(g, {v: f"n{v}" for v in g.nodes})
    return g, {v: str(d[LABELS[name]]) for v, d in g.nodes(data=True)}


def as_threads(g: nx.Graph) -> pl.DataFrame:
    """Each edge ``u — v`` as two comments, by u and by v, on thread ``edge-<i>``."""
    rows = [
        {"event_id": f"edge-{i}-{end}", "platform": "other", "kind": "comment", "actor": a,
         "target": f"edge-{i}", "target_kind": "post", "text": None,
         "created_at": "2026-01-01T00:00:00Z"}
        for i, (u, v) in enumerate(sorted(g.edges())) for end, a in enumerate((u, v))
    ]
    return pl.DataFrame(rows)


def score(labels: dict[str, str], found: dict[str, int]) -> float:
    nodes = sorted(found)
    truth = np.unique([labels[v] for v in nodes], return_inverse=True)[1]
    return nmi(truth, np.array([found[v] for v in nodes]))


@pytest.mark.parametrize("name", sorted(LABELS))
def test_finest_level_matches_or_beats_plain_louvain(name: str, tmp_path: Path) -> None:
    if not (GRAPHS / f"{name}.gml").is_file():
        pytest.skip(f"{GRAPHS} is absent (the shared benchmarks live beside the repository)")
    g, labels = read_benchmark(name)
    path = tmp_path / "threads.parquet"
    as_threads(g).write_parquet(path)
    store = Store(tmp_path / "store")
    run_ingest([path], store=store)
    run_detect(store=store, config=Config())
    micro = store.communities().filter((pl.col("level") == 0) & (pl.col("community") >= 0))
    found = dict(micro.select("actor", "community").iter_rows())
    plain = nx.community.louvain_communities(g, seed=REFERENCE_SEED)
    reference = {v: i for i, members in enumerate(plain) for v in members if v in found}
    ours, theirs = score(labels, found), score(labels, reference)
    assert ours >= theirs, f"{name}: microcomm NMI {ours:.3f} < plain Louvain {theirs:.3f}"
