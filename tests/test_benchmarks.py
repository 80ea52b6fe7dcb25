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


def as_people(g: nx.Graph, kind: str, *, both: bool) -> pl.DataFrame:
    """Each edge ``u — v`` (``u < v``) as a ``kind`` event from u to account v, and from v to
    u too when ``both``: people messaging, mentioning or following people."""
    ends = [(u, v) for u, v in sorted(tuple(sorted(e)) for e in g.edges())]
    pairs = [(a, b) for u, v in ends for a, b in ([(u, v), (v, u)] if both else [(u, v)])]
    return pl.DataFrame(
        {
            "event_id": [f"{kind}-{i}" for i in range(len(pairs))],
            "platform": "other",
            "kind": kind,
            "actor": [a for a, _ in pairs],
            "target": [b for _, b in pairs],
            "target_kind": "account",
            "text": None,
            "created_at": "2026-01-01T00:00:00Z",
        },
        schema_overrides={"text": pl.String},
    )


def micro_level(frame: pl.DataFrame, root: Path) -> pl.DataFrame:
    """``frame`` ingested into a fresh store under ``root`` and detected with the default
    config: the level-0 rows ``actor, community`` sorted by actor (-1: unplaced)."""
    root.mkdir()
    frame.write_parquet(root / "events.parquet")
    store = Store(root / "store")
    run_ingest([root / "events.parquet"], store=store)
    run_detect(store=store, config=Config())
    micro = store.communities().filter(pl.col("level") == 0)
    return micro.select("actor", "community").sort("actor")


def placed_vs_plain(name: str, micro: pl.DataFrame) -> tuple[float, float]:
    """NMI of microcomm's placed accounts and of plain Louvain on the raw graph over them."""
    g, labels = read_benchmark(name)
    found = dict(micro.filter(pl.col("community") >= 0).iter_rows())
    plain = nx.community.louvain_communities(g, seed=REFERENCE_SEED)
    reference = {v: i for i, members in enumerate(plain) for v in members if v in found}
    return score(labels, found), score(labels, reference)


def every_node_vs_plain(name: str, micro: pl.DataFrame) -> tuple[float, float]:
    """NMI over every node of the raw graph, microcomm's and plain Louvain's: a node
    microcomm leaves unplaced (or never saw: an isolated node) is a group of its own."""
    g, labels = read_benchmark(name)
    placed = dict(micro.filter(pl.col("community") >= 0).iter_rows())
    found = {v: placed.get(v, -1 - i) for i, v in enumerate(sorted(g.nodes))}
    plain = nx.community.louvain_communities(g, seed=REFERENCE_SEED)
    reference = {v: i for i, members in enumerate(plain) for v in members}
    return score(labels, found), score(labels, reference)


@pytest.mark.parametrize("name", sorted(LABELS))
def test_finest_level_matches_or_beats_plain_louvain(name: str, tmp_path: Path) -> None:
    if not (GRAPHS / f"{name}.gml").is_file():
        pytest.skip(f"{GRAPHS} is absent (the shared benchmarks live beside the repository)")
    g, _ = read_benchmark(name)
    ours, theirs = placed_vs_plain(name, micro_level(as_threads(g), tmp_path / "threads"))
    assert ours >= theirs, f"{name}: microcomm NMI {ours:.3f} < plain Louvain {theirs:.3f}"


PEOPLE = {  # writing: (kind, both ways)
    "dm-both-ways": ("dm", True),
    "dm-one-way": ("dm", False),
    "mention-one-way": ("mention", False),
    "follow-one-way": ("follow", False),
}


@pytest.mark.parametrize("writing", sorted(PEOPLE))
@pytest.mark.parametrize("name", sorted(LABELS))
def test_people_reaching_people_match_or_beat_plain_louvain(
    name: str, writing: str, tmp_path: Path
) -> None:
    """Each edge as direct person-to-person events (``as_people``): level 0 scores at least
    plain Louvain's NMI over the accounts microcomm places, and shuffled rows give the same
    communities. Both ways, everyone is placed but the members of groups too small to show.
    One way, the accounts that only receive are
    placed by their senders' communities (``communities/receivers.py``): a DM recipient is a
    member, so DM writings are also scored over every node (unplaced or isolated nodes as
    groups of their own) and beat or match plain Louvain there too (DMs one way: dolphins
    0.577 vs 0.449, football 0.890 = 0.890, polblogs 0.388 vs 0.368, polbooks 0.514 vs 0.504;
    while a recipient reached by one person stayed unplaced, polblogs scored 0.358). An
    account only mentioned or followed is an interest, never a member; counted as groups of
    their own over every node, those writings lose to plain Louvain (NMI: mentions or follows
    one way 0.322 vs 0.368 on polblogs, 0.403 vs 0.449 on dolphins, 0.865 vs 0.890 on
    football, 0.453/0.482 vs 0.504 on polbooks), so that is not asserted. ARI over the placed
    accounts is ahead or level everywhere but polbooks' one-way mentions (0.514 vs 0.515)."""
    if not (GRAPHS / f"{name}.gml").is_file():
        pytest.skip(f"{GRAPHS} is absent (the shared benchmarks live beside the repository)")
    g, _ = read_benchmark(name)
    kind, both = PEOPLE[writing]
    events = as_people(g, kind, both=both)
    micro = micro_level(events, tmp_path / "sorted")
    shuffled = micro_level(events.sample(fraction=1.0, shuffle=True, seed=7), tmp_path / "shuffled")
    assert micro.equals(shuffled)
    acting = set(events["actor"])
    unplaced = set(micro.filter(pl.col("community") < 0)["actor"])
    assert acting <= set(micro["actor"])
    if both:  # unplaced: only the people of a group under detect.min_size (polblogs: a pair)
        min_size = Config().detect.min_size
        small = {v for c in nx.connected_components(g) if len(c) < min_size for v in c}
        assert unplaced == small & acting
    ours, theirs = placed_vs_plain(name, micro)
    # Football's one-way mentions and follows give plain Louvain's partition: equal NMI, but
    # summed in another order (a difference of 3e-16).
    assert ours >= theirs - 1e-12, f"{name} {writing}: NMI {ours:.3f} < plain Louvain {theirs:.3f}"
    if kind == "dm":  # every DM recipient is a member: scored over every node too
        ours, theirs = every_node_vs_plain(name, micro)
        assert ours >= theirs - 1e-12, f"{name} {writing}: all-node NMI {ours:.3f} < {theirs:.3f}"
