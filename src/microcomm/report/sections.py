"""The profile sections of a report: frames in, per-community tables out.

Each section is a function ``(inputs, scope, config) -> Section``: ``tables`` holds result
tables with a ``community`` column (trimmed to what the report shows), ``facts`` the
audience-wide figures the overview and notes need. :data:`PROFILE_SECTIONS` lists them in
the order a reader needs them; :func:`microcomm.report.build.build_report` runs them in that
order and times each under its name. To add a section, write such a function, list it here,
and shape its rows in :mod:`microcomm.report.community` (or the overview).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from microcomm.brand import Brand, resolve_brand
from microcomm.config import ReportConfig
from microcomm.privacy import keep_quotable
from microcomm.profiles import (
    answer_profiles,
    bio_features,
    bridges,
    core_members,
    distinctive_interests,
    engaged_accounts,
    entity_features,
    label_for,
    load_lexicon,
    location_features,
    membership,
    participation,
    platform_mix,
    poll_participation,
    score_messages,
    split_accounts,
    voice_examples,
    voice_summary,
)
from microcomm.profiles.advocates import advocates
from microcomm.profiles.brand import ADDRESSED_KINDS, NAMING_KINDS, messages_to_brand
from microcomm.profiles.moderation import hostile_messages, moderation_summary
from microcomm.profiles.platforms import tone_by_platform
from microcomm.report.inputs import ANSWER_COLUMNS, ReportInputs
from microcomm.report.people import people_section, platforms_section


@dataclass(frozen=True)
class Scope:
    """The communities a report shows, and the members every section profiles.

    Attributes
    ----------
    sized
        ``community, size, stability, confidence`` of every micro community (level 0);
        ``confidence`` is the median member confidence.
    shown
        ``community, size, stability, confidence, unstable`` of those within the size bar, in the order a
        reader sees them: stable ones first, largest first.
    all_members
        ``actor, community`` at level 0, every community.
    members
        ``actor, community`` of the shown communities only.
    n_accounts
        Accounts in the audience (distinct actors of the events).
    brand
        The brand's own accounts (given, or the most engaged account): :mod:`microcomm.brand`.
    """

    sized: pl.DataFrame
    shown: pl.DataFrame
    all_members: pl.DataFrame
    members: pl.DataFrame
    n_accounts: int
    brand: Brand = field(default_factory=Brand)


@dataclass
class Section:
    """What one profile section found: per-community tables and audience-wide facts."""

    tables: dict[str, pl.DataFrame]
    facts: dict[str, Any] = field(default_factory=dict)


ProfileSection = Callable[[ReportInputs, Scope, ReportConfig], Section]


def select_communities(inputs: ReportInputs, config: ReportConfig) -> Scope:
    """Sizes and stability of every micro community, and which ones the report shows."""
    all_members = membership(inputs.communities, level=0)
    sizes = all_members.group_by("community").agg(pl.len().alias("size"))
    scores = (inputs.run.get("stability") or {}).get("scores")
    stab = pl.DataFrame(
        {
            "community": list(range(len(scores or []))),
            "stability": [float(v) for v in scores or []],
        },
        schema={"community": pl.Int64, "stability": pl.Float64},
    )
    sized = sizes.join(stab, on="community", how="left").join(
        _median_confidence(inputs.communities), on="community", how="left"
    )
    in_bar = pl.col("size") >= config.min_size
    if config.max_size:
        in_bar = in_bar & (pl.col("size") <= config.max_size)
    shown = sized.filter(in_bar).with_columns(
        (pl.col("stability") < config.stability_bar).fill_null(False).alias("unstable")
    )
    # A reader sees the communities we are sure of first, largest first; unstable ones after.
    shown = shown.sort(["unstable", "size", "community"], descending=[False, True, False])
    members = all_members.join(shown.select("community"), on="community", how="semi")
    return Scope(
        sized=sized,
        shown=shown,
        all_members=all_members,
        members=members,
        n_accounts=inputs.events["actor"].n_unique(),
        brand=resolve_brand(inputs.events, given=(config.brand,)),
    )


def _median_confidence(communities: pl.DataFrame) -> pl.DataFrame:
    """``community, confidence``: the median member confidence of each micro community."""
    level0 = communities.filter((pl.col("level") == 0) & (pl.col("community") >= 0))
    if "confidence" not in level0.columns:
        return pl.DataFrame(schema={"community": pl.Int64, "confidence": pl.Float64})
    return level0.group_by("community").agg(pl.col("confidence").median())


def _ranked(features: pl.DataFrame, scope: Scope, config: ReportConfig) -> pl.DataFrame:
    """Weighted log-odds of ``features`` for the shown communities, with the config's prior."""
    return distinctive_interests(
        features,
        scope.members,
        prior=config.prior,
        min_members=config.min_members,
        audience_size=scope.n_accounts,
    )


def interests_section(inputs: ReportInputs, scope: Scope, config: ReportConfig) -> Section:
    """1. What sets them apart: distinctive interests (entities and bios) and the labels."""
    features = pl.concat([entity_features(inputs.entities), bio_features(inputs.accounts)])
    interests = _ranked(features, scope, config).filter(pl.col("score") >= config.min_score)
    top = config.top
    return Section(
        {
            "labels": label_for(interests),
            "interests": interests.group_by("community", maintain_order=True).head(top),
            "by_type": interests.group_by(["community", "type"], maintain_order=True).head(top),
        }
    )


def members_section(inputs: ReportInputs, scope: Scope, config: ReportConfig) -> Section:
    """2. Who matters inside: core members, creators, outside accounts, bridges."""
    top = config.top
    cores = core_members(inputs.communities, top=top).join(
        scope.shown.select("community"), on="community", how="semi"
    )
    engaged = _ranked(engaged_accounts(inputs.events, inputs.entities), scope, config).filter(
        pl.col("score") >= config.min_score
    )
    creators, outside = split_accounts(engaged, scope.all_members)
    bridge_rows = bridges(inputs.events, scope.all_members, top=top)
    # A bridge's participation depends on its own ties only: only theirs are read (the whole
    # graph's took 0.6 s at 1 M events for a few dozen bridges).
    listed = bridge_rows["actor"].unique().implode()
    own_ties = inputs.edges.filter(pl.col("source").is_in(listed) | pl.col("target").is_in(listed))
    bridge_rows = bridge_rows.join(
        participation(own_ties, scope.all_members).select("actor", "participation"),
        on="actor",
        how="left",
    )
    return Section(
        {
            "members": cores,
            "creators": creators.group_by("community", maintain_order=True).head(top),
            "outside": outside.group_by("community", maintain_order=True).head(top),
            "bridges": bridge_rows,
        }
    )


def when_where_section(inputs: ReportInputs, scope: Scope, config: ReportConfig) -> Section:
    """3. When and where: places and platforms (the busiest hours of the week are each
    community's local ones, :func:`~microcomm.report.summary.localise_activity`)."""
    places = (
        _ranked(location_features(inputs.events), scope, config)
        .sort(["community", "members", "score"], descending=[False, True, True])
        .group_by("community", maintain_order=True)
        .head(config.top)
    )
    return Section(
        {
            "places": places,
            "platforms": platform_mix(inputs.events, scope.members),
        }
    )


def voice_section(inputs: ReportInputs, scope: Scope, config: ReportConfig) -> Section:
    """4. What they say to us: tone, questions, requests, examples."""
    lexicon, lexicon_name = load_lexicon()
    # Every message to the brand (issue 8): comments, replies, DMs, and posts naming it.
    brands, how = list(scope.brand.handles), scope.brand.how
    to_brand = messages_to_brand(inputs.events, brands)
    messages = score_messages(to_brand, lexicon, kinds=(*ADDRESSED_KINDS, *NAMING_KINDS))
    n_unscored = int(messages.height - messages["scored"].sum())
    return Section(
        {
            "voice": voice_summary(messages, scope.members),
            "examples": voice_examples(
                messages,
                scope.members,
                per=min(config.examples, config.top),
                audience=inputs.events,
                min_senders=config.min_quote_senders,
            ),
            "advocates": advocates(messages, scope.members, scope.brand, inputs.events)
            .group_by("community", maintain_order=True)
            .head(config.top),
        },
        {
            "tone_by_platform": tone_by_platform(messages),
            "messages": messages.height,
            "unscored": n_unscored / messages.height if messages.height else 0.0,
            "lexicon": lexicon_name,
            "brands": brands,
            "brands_found": how,
        },
    )


def answers_section(inputs: ReportInputs, scope: Scope, config: ReportConfig) -> Section:
    """5. What they answered (survey files, and poll answers that came in as events), and the
    polls they took part in."""
    events = inputs.events
    answers = pl.concat(
        [
            inputs.answers.select(ANSWER_COLUMNS),
            events.filter((pl.col("kind") == "poll_answer") & pl.col("text").is_not_null()).select(
                "actor",
                pl.col("target").fill_null("poll").alias("question"),
                pl.col("text").alias("answer"),
            ),
        ]
    )
    answer_rows = keep_quotable(  # free-text answers are people's words: quoted as messages are
        answer_profiles(answers, scope.members, prior=config.prior, min_members=config.min_members),
        answers.select("actor", pl.col("answer").alias("text")),
        k=config.min_quote_senders,
        text="answer",
    )
    # Polls: whole-poll vote counts, no voters (issue 3). Attached to the communities whose
    # members engaged with the poll's post, channel or status; never a tie in the graph.
    poll_rows = (
        poll_participation(inputs.polls, events, scope.members)
        .group_by("community", maintain_order=True)
        .head(config.top)
    )
    return Section(
        {"answers": answer_rows, "polls": poll_rows},
        {
            "respondents": answers["actor"].n_unique(),
            "polls": inputs.polls["poll_id"].n_unique(),
        },
    )


def moderation_section(inputs: ReportInputs, scope: Scope, config: ReportConfig) -> Section:
    """6. Moderation signals: the share of hostile messages and who sends most (no quotes)."""
    summary, senders = moderation_summary(hostile_messages(inputs.events), scope.members)
    return Section({"moderation": summary, "hostile_senders": senders})


# The profile sections, in the order a reader needs them (and their timing names).
PROFILE_SECTIONS: tuple[tuple[str, ProfileSection], ...] = (
    ("interests", interests_section),
    ("members", members_section),
    ("when_where", when_where_section),
    ("voice", voice_section),
    ("answers", answers_section),
    ("people", people_section),
    ("platforms", platforms_section),
    ("moderation", moderation_section),
)
