"""The synthetic generators: the Kestrel example reproduces the bundled demo exactly; the sparse
audience has the sparsity, mixing and sizes it promises, from one seed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from microcomm.synth import THEMES, Theme, generate_audience, theme_for
from microcomm.synth.themes import load_world

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "microcomm" / "demo"


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
