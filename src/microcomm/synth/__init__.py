"""Synthetic audiences with planted communities, for the example data, tests and bench.

Four generators, all seeded, drawn with numpy and assembled with polars (no per-event loop):

- :func:`generate_audience` — the bundled example of **Kestrel Outdoor** (``@kestrel``): dense
  planted communities (every member engages 4+ times) with the signals profiles are tested on —
  signature hashtags, partner brands, keywords, home platforms, cities, active hours, bridges,
  loud accounts, DMs and survey answers. Its themes live in ``kestrel.yaml`` (:mod:`.themes`).
- :func:`sparse_audience` — a realistically sparse audience for measuring detection: heavy-tailed
  (Pareto) activity with a median of 3–4 events per account, 30 % of each account's engagement
  outside its community, communities of 20–300 members and a few viral posts.
- :func:`brand_audience` — tweets to several brands: a few large groups (the brands) of very
  sparse accounts (most tweet once or twice, a quarter of the tweets at another brand).
- :func:`generate_periods` — three months of an audience that changes (a birth, a death, a
  merge, a split, a replaced signature hashtag) with its planted history, for ``track``.
"""

from microcomm.synth.audience import Audience, generate_audience
from microcomm.synth.brands import BrandAudience, brand_audience
from microcomm.synth.periods import PlantedPeriods, generate_periods
from microcomm.synth.sparse import SparseAudience, sparse_audience
from microcomm.synth.themes import (
    BRAND,
    DM_TEMPLATES,
    GENERIC_TAGS,
    LOUD_TAGS,
    SURVEY_ANSWERS,
    SURVEY_QUESTION,
    THEMES,
    Theme,
    theme_for,
)

__all__ = [
    "BRAND",
    "DM_TEMPLATES",
    "GENERIC_TAGS",
    "LOUD_TAGS",
    "SURVEY_ANSWERS",
    "SURVEY_QUESTION",
    "THEMES",
    "Audience",
    "BrandAudience",
    "PlantedPeriods",
    "SparseAudience",
    "Theme",
    "brand_audience",
    "generate_audience",
    "generate_periods",
    "sparse_audience",
    "theme_for",
]
