"""Property tests (hypothesis) for the normalisers, the store and the partition."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcomm.communities import detect_leiden, detect_louvain
from microcomm.graph import CoGraph, build_graph
from microcomm.ingest import finalize_events, ingest_files
from microcomm.normalize import extract_entities, normalize_handle, parse_datetimes
from microcomm.store import Store

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=20))
def test_handle_normalisation_is_idempotent(values: list[str | None]) -> None:
    once = pl.DataFrame({"h": values}, schema={"h": pl.String}).select(
        normalize_handle(pl.col("h"))
    )
    twice = once.select(normalize_handle(pl.col("h")))
    assert once.equals(twice)
    assert all(
        v is None or (v == v.lower() and not v.startswith("@") and v == v.strip())
        for v in once["h"]
    )


@SETTINGS
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(max_size=40),
            st.from_regex(r"20\d\d-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\dZ", fullmatch=True),
        ),
        max_size=20,
    )
)
def test_date_parsing_never_raises(values: list[str | None]) -> None:
    out = parse_datetimes(pl.Series("d", values, dtype=pl.String))
    assert len(out) == len(values)
    assert out.dtype == pl.Datetime("us", "UTC")


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.text(max_size=80)), min_size=1, max_size=15))
def test_entities_are_normalised(texts: list[str | None]) -> None:
    ev = pl.DataFrame(
        {"event_id": [str(i) for i in range(len(texts))], "actor": "a", "text": texts},
        schema={"event_id": pl.String, "actor": pl.String, "text": pl.String},
    )
    ents = extract_entities(ev)
    assert ents.columns == ["event_id", "actor", "type", "value"]
    for typ, value in ents.select("type", "value").iter_rows():
        assert value
        if typ in ("hashtag", "mention", "keyword", "domain"):
            assert value == value.lower()
            assert not value.startswith(("#", "@"))
    assert ents.unique().height == ents.height


rows = st.lists(
    st.fixed_dictionaries(
        {
            "platform": st.sampled_from(["x", "instagram", "reddit"]),
            "kind": st.sampled_from(["comment", "like", "reply"]),
            "actor": st.from_regex(r"[a-z]{1,4}", fullmatch=True),
            "target": st.from_regex(r"p[0-9]", fullmatch=True),
            "text": st.one_of(st.none(), st.sampled_from(["#a hi", "@b yo", "plain"])),
            "created_at": st.sampled_from(["2024-01-01T00:00:00Z", "2024-06-01T12:30:00+02:00"]),
        }
    ),
    min_size=1,
    max_size=25,
)


@pytest.mark.slow
@SETTINGS
@given(rows)
def test_ingesting_twice_equals_ingesting_once(records: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "e.csv"
        pl.DataFrame(records).write_csv(src)
        copy = Path(tmp) / "again.csv"
        copy.write_text(src.read_text() + "\n")
        once, twice = Store(Path(tmp) / "a"), Store(Path(tmp) / "b")
        ingest_files([src], once)
        ingest_files([src], twice)
        ingest_files([copy], twice)
        a = once.read("events").drop("source").sort("event_id")
        b = twice.read("events").drop("source").sort("event_id")
        assert a.equals(b)


@pytest.mark.slow
@SETTINGS
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=3, max_value=6))
def test_every_account_is_in_exactly_one_community_per_level(seed: int, groups: int) -> None:
    rng = np.random.default_rng(seed)
    n = groups * 8
    actor = np.repeat(np.arange(n), 4)
    target = (actor // 8) * 10 + rng.integers(0, 5, len(actor))
    target = np.where(
        rng.random(len(actor)) < 0.2, rng.integers(0, groups * 10, len(actor)), target
    )
    ev = finalize_events(
        pl.DataFrame(
            {
                "platform": "x",
                "kind": "comment",
                "actor": [f"a{a}" for a in actor],
                "target": target.astype(str),
                "text": None,
                "created_at": None,
            }
        ),
        display="prop",
    )
    _, graph = build_graph(ev, extract_entities(ev), seed=seed)
    assert isinstance(graph, CoGraph)
    assert (graph.src < graph.dst).all()  # one undirected edge per pair
    assert (graph.weight > 0).all()
    adj = graph.adjacency()
    assert (adj != adj.T).nnz == 0  # symmetric
    for part in (detect_louvain(graph, seed=seed), detect_leiden(graph, seed=seed)):
        for level in part.levels:
            assert len(level) == graph.n_accounts
            assert (level >= 0).all()
            assert set(np.unique(level)) == set(range(level.max() + 1))
        for level in part.node_levels:
            assert len(level) == graph.n_nodes
