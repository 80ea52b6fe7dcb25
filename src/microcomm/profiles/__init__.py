"""Profile stage: communities + events/entities → what sets each community apart, and who
matters inside it.

One module per part of a profile, in the order a reader needs them:

- :mod:`~microcomm.profiles.interests` — distinctive interests (weighted log-odds with an
  informative Dirichlet prior, by distinct members), the features they are ranked from
  (entities, bios, places) and the short label they give a community;
- :mod:`~microcomm.profiles.roles` — core members, engaged accounts (creators and
  outsiders), participation and bridges;
- :mod:`~microcomm.profiles.activity` — busiest hours of the week and platform mix;
- :mod:`~microcomm.profiles.voice` — the tone lexicon, message scoring, voice summary and
  examples;
- :mod:`~microcomm.profiles.answers` — survey answers and the polls members took part in;
- :mod:`~microcomm.profiles.hierarchy` — membership at one level and macro nesting.

Every function takes polars frames and returns a polars frame; none reads the store.
"""

from __future__ import annotations

from microcomm.profiles.activity import WEEKDAYS, activity_peaks, activity_slots, platform_mix
from microcomm.profiles.answers import answer_profiles, poll_participation
from microcomm.profiles.hierarchy import hierarchy, membership
from microcomm.profiles.interests import (
    INTEREST_TYPES,
    bio_features,
    distinctive_interests,
    entity_features,
    label_for,
    location_features,
)
from microcomm.profiles.roles import (
    bridges,
    core_members,
    engaged_accounts,
    participation,
    split_accounts,
)
from microcomm.profiles.voice import (
    FALLBACK_LEXICON,
    NEGATORS,
    VOICE_KINDS,
    load_lexicon,
    score_messages,
    voice_examples,
    voice_summary,
)

__all__ = [
    "FALLBACK_LEXICON",
    "INTEREST_TYPES",
    "NEGATORS",
    "VOICE_KINDS",
    "WEEKDAYS",
    "activity_peaks",
    "activity_slots",
    "answer_profiles",
    "bio_features",
    "bridges",
    "core_members",
    "distinctive_interests",
    "engaged_accounts",
    "entity_features",
    "hierarchy",
    "label_for",
    "load_lexicon",
    "location_features",
    "membership",
    "participation",
    "platform_mix",
    "poll_participation",
    "score_messages",
    "split_accounts",
    "voice_examples",
    "voice_summary",
]
