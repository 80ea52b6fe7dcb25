"""The synthetic generators: the Kestrel example reproduces the bundled demo exactly; the sparse
and brand audiences have the sparsity, mixing and sizes they promise, from one seed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from microcomm.pipeline import run_ingest
from microcomm.store import Store
from microcomm.synth import (
    THEMES,
    Theme,
    brand_audience,
    generate_audience,
    sparse_audience,
    theme_for,
)
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


def test_brand_audience_is_seeded() -> None:
    a, b = brand_audience((300, 200, 100), seed=4), brand_audience((300, 200, 100), seed=4)
    assert_frame_equal(a.events, b.events)
    assert_frame_equal(a.truth, b.truth)
    assert_frame_equal(a.contexts, b.contexts)
    other = brand_audience((300, 200, 100), seed=5)
    assert not a.events.equals(other.events) and not a.truth.equals(other.truth)


def test_brand_audience_truth_covers_every_actor_with_the_planted_sizes() -> None:
    aud = brand_audience((700, 300, 50, 1), seed=2)
    assert aud.truth["actor"].is_unique().all()
    assert set(aud.events["actor"]) == set(aud.truth["actor"])  # every account tweets
    sizes = aud.truth.group_by("community").len().sort("community")["len"].to_list()
    assert sizes == [700, 300, 50, 1]
    tweets = aud.events.filter(pl.col("kind") == "mention")
    per = tweets.group_by("actor").len()["len"]
    assert per.min() == 1 and per.median() == 1.0 and per.max() <= 50  # most tweet once
    assert 0.55 <= (per == 1).mean() <= 0.65 and 0.72 <= (per <= 2).mean() <= 0.82


@pytest.mark.parametrize("mixing", [0.0, 0.25, 0.4, 1.0])
def test_brand_audience_own_brand_share_is_one_minus_mixing(mixing: float) -> None:
    aud = brand_audience(mixing=mixing, seed=1)  # ~10,800 tweets: sd of the share 0.005
    tweets = aud.events.filter(pl.col("kind") == "mention").join(aud.truth, on="actor")
    brand = tweets["target"].str.strip_prefix("brand").cast(pl.Int64)
    own = (brand == tweets["community"]).mean()
    assert abs(own - (1 - mixing)) <= 0.02, f"own-brand share {own:.3f}"
    assert (tweets["text"].str.split(" ").list.first() == "@" + tweets["target"]).all()


def test_brand_audience_tags_and_replies_stay_with_the_brand() -> None:
    aud = brand_audience((400, 300, 200), seed=3)
    ctx = aud.contexts
    tweets = aud.events.filter(pl.col("kind") == "mention").join(
        ctx, left_on="event_id", right_on="context"
    )
    assert tweets.height == aud.events.filter(pl.col("kind") == "mention").height
    tags = tweets.select("community", tag=pl.col("text").str.extract(r"(#b\d+t\d+)"))
    tags = tags.drop_nulls("tag").join(ctx, left_on="tag", right_on="context", suffix="_tag")
    assert tags.height > 0 and (tags["community"] == tags["community_tag"]).all()
    assert tags["tag"].str.extract(r"t(\d+)$").cast(pl.Int64).max() == 7  # 8 tags per brand
    # reply r{i} goes to a tweet about the brand of tweet t{i}, never elsewhere
    replies = aud.events.filter(pl.col("kind") == "reply").select(
        "target", source=pl.col("event_id").str.replace("^r", "t")
    )
    replies = replies.join(ctx, left_on="source", right_on="context").join(
        ctx, left_on="target", right_on="context", suffix="_target"
    )
    n_replies = aud.events.filter(pl.col("kind") == "reply").height
    assert replies.height == n_replies
    assert (replies["community"] == replies["community_target"]).all()
    assert 0.27 <= n_replies / tweets.height <= 0.33
    assert ctx.filter(pl.col("context") == "#giveaway")["community"].to_list() == [-1]


SHARES = ("mixing", "tagged_share", "giveaway_share", "reply_share")
OUTSIDE = st.one_of(
    st.floats(max_value=0.0, exclude_max=True, allow_nan=False),
    st.floats(min_value=1.0, exclude_min=True, allow_nan=False),
)


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(SHARES), p=OUTSIDE)
def test_brand_audience_rejects_a_share_outside_0_1(name: str, p: float) -> None:
    with pytest.raises(ValueError) as err:
        brand_audience((5, 5), **{name: p})
    assert str(err.value) == f"{name} must be within [0, 1], got {p}"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-5, 20), min_size=1, max_size=6).filter(lambda s: min(s) < 1))
def test_brand_audience_rejects_a_brand_without_accounts(sizes: list[int]) -> None:
    with pytest.raises(ValueError) as err:
        brand_audience(sizes)
    assert str(err.value) == f"every brand needs at least one account, got sizes={tuple(sizes)}"


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(("tags_per_brand", "max_tweets", "days")),
    value=st.integers(-10**6, 0),
)
def test_brand_audience_rejects_counts_below_one(name: str, value: int) -> None:
    with pytest.raises(ValueError) as err:
        brand_audience((5, 5), **{name: value})
    assert str(err.value) == f"{name} must be at least 1, got {value}"


@settings(max_examples=40, deadline=None)
@given(st.floats(max_value=0.0, allow_nan=False))
def test_brand_audience_rejects_a_non_positive_activity_shape(alpha: float) -> None:
    with pytest.raises(ValueError) as err:
        brand_audience((5, 5), activity_alpha=alpha)
    assert str(err.value) == f"activity_alpha must be positive, got {alpha}"
    with pytest.raises(ValueError, match=r"^sizes must name at least one brand, got \(\)$"):
        brand_audience(())
    with pytest.raises(ValueError, match=r"^activity_scale must be 0 or more, got -1.0$"):
        brand_audience((5,), activity_scale=-1.0)


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 40), min_size=1, max_size=5),
    mixing=st.floats(0.0, 1.0),
    reply_share=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_brand_audience_accepts_every_valid_argument(
    sizes: list[int], mixing: float, reply_share: float, seed: int
) -> None:
    aud = brand_audience(sizes, mixing=mixing, reply_share=reply_share, seed=seed)
    assert aud.truth.height == sum(sizes)
    assert set(aud.events["actor"]) == set(aud.truth["actor"])
    assert aud.events["event_id"].is_unique().all()
    targets = aud.events.join(aud.contexts, left_on="target", right_on="context", how="anti")
    assert targets.height == 0  # every target is a known context
