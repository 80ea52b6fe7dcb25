"""What a community answered: survey and poll answers joined to its members, scored against
the audience's, and the polls (counts only, voters unknown) its members took part in.
"""

from __future__ import annotations

import polars as pl

from microcomm.profiles.interests import distinctive_interests


def answer_profiles(
    answers: pl.DataFrame,
    members: pl.DataFrame,
    *,
    prior: float = 0.5,
    min_members: int = 2,
) -> pl.DataFrame:
    """Each community's answer distribution per question against the audience's, scored.

    ``share_in`` is the share of the community's respondents to that question who gave the
    answer, ``share_all`` the same over every respondent; ``score`` is the same weighted
    log-odds z-score as the interests (each question is its own vocabulary), counted by
    distinct respondents.

    Returns
    -------
    DataFrame
        ``community, question, answer, members, respondents, share_in, share_all, score``,
        by community, question, then score descending.

    Examples
    --------
    >>> a = pl.DataFrame({"actor": list("abcdef"), "question": ["Q"] * 6,
    ...                   "answer": ["tents", "tents", "kids", "kids", "kids", "tents"]})
    >>> m = pl.DataFrame({"actor": list("abcdef"), "community": [0, 0, 1, 1, 1, 1]})
    >>> answer_profiles(a, m).filter(pl.col("community") == 0)["answer"].to_list()
    ['tents']
    """
    uses = answers.filter(pl.col("actor").is_not_null()).select(
        "actor", pl.col("question").alias("type"), pl.col("answer").alias("value")
    )
    uses = uses.unique()
    respondents = uses.select("actor").unique().height
    resp_in = (
        uses.join(members, on="actor", how="inner")
        .group_by(["community", "type"])
        .agg(pl.col("actor").n_unique().alias("respondents"))
    )
    # A handful of answers share all the respondents, so "prior × audience counts" would
    # outweigh a micro community's few dozen answers many times over. Here the prior is
    # centred on the audience's distribution with the weight of `prior` × an average
    # community's respondents (the same Dirichlet prior, scaled to the group it is about).
    mean_resp = resp_in["respondents"].cast(pl.Float64).mean()
    scale = (mean_resp if isinstance(mean_resp, float) else 0.0) / max(respondents, 1)
    scored = distinctive_interests(
        uses,
        members,
        prior=prior * max(scale, 1e-9),
        min_members=min_members,
        audience_size=respondents,
    )
    per_q = uses.group_by("type").agg(pl.col("actor").n_unique().alias("q_all"))
    overall = (
        uses.group_by(["type", "value"])
        .agg(pl.col("actor").n_unique().alias("n"))
        .join(per_q, on="type")
        .with_columns((pl.col("n") / pl.col("q_all")).alias("share_all"))
    )
    return (
        scored.join(resp_in, on=["community", "type"])
        .join(overall.select("type", "value", "share_all"), on=["type", "value"])
        .with_columns((pl.col("members") / pl.col("respondents")).alias("share_in"))
        .sort(["community", "type", "score", "value"], descending=[False, False, True, False])
        .select(
            "community",
            pl.col("type").alias("question"),
            pl.col("value").alias("answer"),
            "members",
            "respondents",
            "share_in",
            "share_all",
            "score",
        )
    )


def poll_participation(
    polls: pl.DataFrame, events: pl.DataFrame, members: pl.DataFrame
) -> pl.DataFrame:
    """The polls each community took part in, by how many of its members engaged with them.

    A poll (``schema.POLLS``, one row per option) has vote counts but no voters (X, Discord
    and Mastodon never say who voted), so it is attached to the communities whose members
    engaged with where it lives: events whose ``target`` is the poll's ``context`` (the tweet,
    the channel, the status), on the same platform, plus the poll's author. Polls never create
    ties between accounts; this only describes communities.

    Parameters
    ----------
    polls
        ``poll_id, platform, context, author, question, option, votes`` (one row per option).
    events
        ``platform, actor, target`` of the engagement events.
    members
        ``actor, community``.

    Returns
    -------
    DataFrame
        ``community, poll_id, platform, question, options`` (list of ``{option, votes}`` in the
        poll's order), ``total_votes`` (the whole poll's, null when no count was exported),
        ``members`` (the community's members who engaged with the poll's context),
        ``engagers`` (everyone who did) and ``share`` (``members / engagers``); by community,
        then members descending.

    Examples
    --------
    >>> p = pl.DataFrame({"poll_id": ["x:9", "x:9"], "platform": ["x", "x"], "context": ["t1", "t1"],
    ...                   "author": ["ann", "ann"], "question": ["Tea?", "Tea?"],
    ...                   "option": ["yes", "no"], "votes": [7, 3]})
    >>> e = pl.DataFrame({"platform": ["x", "x", "x"], "actor": ["bob", "cy", "dan"],
    ...                   "target": ["t1", "t1", "t2"]})
    >>> m = pl.DataFrame({"actor": ["ann", "bob", "cy", "dan"], "community": [0, 0, 1, 1]})
    >>> poll_participation(p, e, m).select("community", "members", "engagers", "total_votes").rows()
    [(0, 2, 3, 10), (1, 1, 3, 10)]
    """
    schema = {
        "community": members.schema.get("community", pl.Int64),
        "poll_id": pl.String,
        "platform": pl.String,
        "question": pl.String,
        "options": pl.List(pl.Struct({"option": pl.String, "votes": pl.Int64})),
        "total_votes": pl.Int64,
        "members": pl.UInt32,
        "engagers": pl.UInt32,
        "share": pl.Float64,
    }
    if polls.height == 0:
        return pl.DataFrame(schema=schema)
    info = _poll_info(polls)
    engaged = (
        events.select("platform", "actor", "target")
        .filter(pl.col("actor").is_not_null() & pl.col("target").is_not_null())
        .join(
            info.select("poll_id", "platform", pl.col("context").alias("target")),
            on=["platform", "target"],
            how="inner",
        )
        .select("poll_id", "actor")
    )
    authors = info.filter(pl.col("author").is_not_null()).select(
        "poll_id", pl.col("author").alias("actor")
    )
    engagers = pl.concat([engaged, authors]).unique()
    totals = engagers.group_by("poll_id").agg(pl.len().alias("engagers"))
    return (
        engagers.join(members, on="actor", how="inner")
        .group_by(["community", "poll_id"])
        .agg(pl.len().alias("members"))
        .join(totals, on="poll_id")
        .join(info.drop("context", "author"), on="poll_id")
        .with_columns((pl.col("members") / pl.col("engagers")).alias("share"))
        .select(list(schema))
        .cast({"members": pl.UInt32, "engagers": pl.UInt32, "total_votes": pl.Int64})
        .sort(["community", "members", "poll_id"], descending=[False, True, False])
    )


def _poll_info(polls: pl.DataFrame) -> pl.DataFrame:
    """One row per poll: ``poll_id, platform, context, author, question, options`` (list of
    ``{option, votes}`` in the poll's order) and ``total_votes`` (null when no count was
    exported)."""
    return polls.group_by("poll_id", maintain_order=True).agg(
        pl.col("platform").first(),
        pl.col("context").first(),
        pl.col("author").drop_nulls().first(),
        pl.col("question").drop_nulls().first(),
        pl.struct("option", "votes").alias("options"),
        pl.when(pl.col("votes").is_not_null().any())
        .then(pl.col("votes").sum())
        .otherwise(None)
        .alias("total_votes"),
    )
