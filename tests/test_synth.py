"""The synthetic generators: the Kestrel example reproduces the bundled demo exactly; the sparse
audience has the sparsity, mixing and sizes it promises, from one seed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from microcomm.pipeline import run_ingest
from microcomm.store import Store
from microcomm.synth import THEMES, Theme, generate_audience, sparse_audience, theme_for
from microcomm.synth.themes import load_world

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "microcomm" / "demo"


@pytest.mark.slow
def test_kestrel_generator_reproduces_the_bundled_demo_exactly() -> None:
    # examples/generate.py's defaults made the shipped demo: the same seed must give the same rows
    aud = generate_audience(60_000, n_communities=36, mixing=0.3, seed=7)
    ev = aud.events.sort(["created_at", "event_id"])
    forums = ev.filter(pl.col("platform").is_in(["reddit", "discord"]))
    assert_frame_equal(forums, pl.read_parquet(DEMO / "kestrel-forums.parquet"))
    truth = pl.read_csv(ROOT / "examples" / "planted" / "truth.csv")
    assert_frame_equal(aud.truth, truth, check_dtypes=False)
    survey = pl.read_csv(DEMO / "survey-kestrel.csv")
    assert_frame_equal(aud.answers.select(survey.columns), survey)


def test_themes_are_named_and_repeat_with_a_suffix() -> None:
    assert len(THEMES) == 36 and all(isinstance(t, Theme) for t in THEMES)
    assert THEMES[7].name == "birders" and THEMES[7].peak_weekday == 6
    again = theme_for(36 + 7)
    assert again.name == "birders 1"
    assert again.hashtags == ("birding1", "birdphotography1", "lifelist1")
    assert again.brand == "aviaoptics1" and again.city == THEMES[7].city
    assert load_world().generic_tags[-1] == "kestrel"


def test_sparse_audience_has_the_promised_sparsity_mixing_and_sizes() -> None:
    aud = sparse_audience(3_000, seed=3)
    per = aud.events.group_by("actor").len()["len"]
    assert per.len() == aud.truth.height == 3_000  # every account engages
    assert per.min() == 3 and per.median() in (3.0, 3.5, 4.0)
    assert per.max() >= 100  # a heavy tail: a few accounts engage far more than the rest
    sizes = aud.truth.group_by("community").len()["len"]
    assert sizes.min() >= 20 and sizes.max() <= 300 and sizes.sum() == 3_000
    # community numbers: 0 is the largest
    assert sizes.sort(descending=True).to_list() == (
        aud.truth.group_by("community").len().sort("community")["len"].to_list()
    )
    # every event's context is planted in exactly one community (or is a viral post)
    ctx = aud.events.with_columns(
        context=pl.when(pl.col("kind") == "post")
        .then(pl.col("text").str.extract(r"(#\S+)"))
        .otherwise(pl.col("target"))
    ).join(aud.contexts, on="context", how="left", suffix="_ctx")
    assert ctx["community"].null_count() == 0
    joined = ctx.join(aud.truth, on="actor", suffix="_actor")
    outside = (joined["community"] != joined["community_actor"]).mean()
    assert 0.28 <= outside <= 0.32  # mixing 0.3
    viral = joined.filter(pl.col("community") == -1)
    assert viral["target"].n_unique() == 5 and viral["actor"].n_unique() >= 1_000


def test_sparse_audience_is_seeded_and_ingestable(tmp_path: Path) -> None:
    a, b = sparse_audience(500, seed=9), sparse_audience(500, seed=9)
    assert_frame_equal(a.events, b.events)
    assert_frame_equal(a.truth, b.truth)
    assert not a.events.equals(sparse_audience(500, seed=10).events)
    path = tmp_path / "sparse.parquet"
    a.events.write_parquet(path)
    store = Store(tmp_path / "store")
    res = run_ingest([path], store=store)
    assert res.events_added == a.events.height


def test_sparse_audience_sized_by_events_and_bad_arguments() -> None:
    aud = sparse_audience(n_events=50_000, seed=1)
    assert 45_000 <= aud.events.height <= 55_000
    with pytest.raises(ValueError, match="below the smallest community size 20"):
        sparse_audience(10)
    with pytest.raises(ValueError, match=r"mixing must be within \[0, 1\], got 1.5"):
        sparse_audience(100, mixing=1.5)
