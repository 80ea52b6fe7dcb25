"""Track stage, step 3: what changed inside each community line, and in the audience.

Interests rise and fall by the same weighted log-odds with an informative Dirichlet prior as
the profiles (:func:`microcomm.profiles.distinctive_interests`, Monroe et al. 2008), here
between a line's members in one period and its members in the next, counted by distinct
members. Tone, requests and complaints come from :func:`microcomm.profiles.score_messages`,
:func:`voice_summary` and :func:`voice_examples`; platform shares from :func:`platform_mix`.
All of them run once over every (period, community) at a time: each key below makes one
community of one period look like a community of its own.
"""

from __future__ import annotations

import polars as pl

from microcomm.profiles import (
    distinctive_interests,
    label_for,
    platform_mix,
    score_messages,
    voice_examples,
    voice_summary,
)

_SEP = "\x1f"  # never in handles, tags or platform names


def _key(*cols: str | pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.col(c) if isinstance(c, str) else c for c in cols], separator=_SEP)


def period_interests(
    uses: pl.DataFrame, members: pl.DataFrame, *, prior: float, min_members: int
) -> pl.DataFrame:
    """Each community's distinctive interests against the rest of *its own period*.

    ``uses``: ``period, actor, type, value``; ``members``: ``period, actor, community``.
    Returns ``period, community, type, value, members, share_in, score``.
    """
    keyed = members.select(
        _key(pl.col("period").cast(pl.String), "actor").alias("actor"),
        (pl.col("period").cast(pl.Int64) * 1_000_000 + pl.col("community")).alias("community"),
    )
    feats = uses.select(
        _key(pl.col("period").cast(pl.String), "actor").alias("actor"),
        _key(pl.col("period").cast(pl.String), "type").alias("type"),
        "value",
    )
    scored = distinctive_interests(feats, keyed, prior=prior, min_members=min_members)
    return scored.select(
        (pl.col("community") // 1_000_000).cast(pl.Int32).alias("period"),
        (pl.col("community") % 1_000_000).alias("community"),
        pl.col("type").str.split(_SEP).list.get(1).alias("type"),
        "value",
        "members",
        "share_in",
        "score",
    )


def line_names(interests: pl.DataFrame, lines: pl.DataFrame) -> dict[str, str]:
    """A stable name per line: the label of its community in the period it first appeared.

    Names that come out the same (two pieces of one theme) get the line id appended.
    """
    first = lines.sort(["line", "period"]).group_by("line", maintain_order=True).first()
    codes = first.with_columns(
        (pl.col("period").cast(pl.Int64) * 1_000_000 + pl.col("community")).alias("code")
    )
    labels = label_for(
        interests.with_columns(
            (pl.col("period").cast(pl.Int64) * 1_000_000 + pl.col("community")).alias("community")
        )
    )
    named = codes.join(labels, left_on="code", right_on="community", how="left").sort("line")
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line, label in named.select("line", "label").iter_rows():
        name = label or f"community {line}"
        seen[name] = seen.get(name, 0) + 1
        out[line] = name if seen[name] == 1 else f"{name} ({line})"
    return out


def _sides(
    members: pl.DataFrame, lines: pl.DataFrame, steps: list[tuple[int, int]]
) -> pl.DataFrame:
    """``pair, side, period, actor, line``: each line's members before (0) and after (1) a step."""
    ml = members.join(lines, on=["period", "community"])
    parts = []
    for before, after in steps:
        both = ml.filter(pl.col("period").is_in([before, after]))
        kept = (
            both.group_by("line")
            .agg(pl.col("period").n_unique().alias("n"))
            .filter(pl.col("n") == 2)
        )
        parts.append(
            both.join(kept.select("line"), on="line").with_columns(
                (pl.col("period") == after).cast(pl.Int64).alias("side"),
                pl.lit(before, pl.Int32).alias("before"),
            )
        )
    if not parts:
        return pl.DataFrame(
            schema={
                "before": pl.Int32,
                "line": pl.String,
                "side": pl.Int64,
                "period": pl.Int32,
                "actor": pl.String,
            }
        )
    return pl.concat(parts).select("before", "line", "side", "period", "actor")


def interest_shifts(
    uses: pl.DataFrame,
    members: pl.DataFrame,
    lines: pl.DataFrame,
    steps: list[tuple[int, int]],
    *,
    prior: float,
    min_members: int,
    min_score: float,
) -> pl.DataFrame:
    """Rising and falling interests of each line across each step.

    An interest **rises** when the line's members after the step use it more than its
    members before did (log-odds z-score ≥ ``min_score``), and **falls** the other way.

    Returns
    -------
    DataFrame
        ``before, line, direction (rising|falling), type, value, score, share_before,
        share_after`` sorted by step, line, direction, score descending.
    """
    sides = _sides(members, lines, steps)
    pair = _key(pl.col("before").cast(pl.String), "line")
    tagged = sides.with_columns(pair.alias("pair"))
    pairs = tagged.select("pair").unique().sort("pair").with_row_index("code")
    tagged = tagged.join(pairs, on="pair").with_columns(pl.col("code").cast(pl.Int64))
    akey = _key(pl.col("code").cast(pl.String), pl.col("side").cast(pl.String), "actor")
    # One corpus per (step, line): all interest types pooled, so that a type with one
    # dominant value (a line's partner brand among its mentions) has odds to compare.
    feats = uses.join(tagged, on=["period", "actor"]).select(
        akey.alias("actor"),
        pl.col("code").cast(pl.String).alias("type"),
        _key("type", "value").alias("value"),
    )
    keyed = tagged.select(
        akey.alias("actor"), (pl.col("code") * 2 + pl.col("side")).alias("community")
    )
    scored = distinctive_interests(feats, keyed, prior=prior, min_members=min_members).filter(
        pl.col("score") >= min_score
    )
    used = _side_shares(uses, tagged)
    return (
        scored.with_columns(
            (pl.col("community") // 2).alias("code"),
            pl.when(pl.col("community") % 2 == 1)
            .then(pl.lit("rising"))
            .otherwise(pl.lit("falling"))
            .alias("direction"),
            pl.col("value").str.split(_SEP).list.get(0).alias("type"),
            pl.col("value").str.split(_SEP).list.get(1).alias("value"),
        )
        .join(pairs.with_columns(pl.col("code").cast(pl.Int64)), on="code")
        .join(used, on=["code", "type", "value"], how="left")
        .with_columns(
            pl.col("pair").str.split(_SEP).list.get(0).cast(pl.Int32).alias("before"),
            pl.col("pair").str.split(_SEP).list.get(1).alias("line"),
            pl.col("0").fill_null(0.0).round(4).alias("share_before"),
            pl.col("1").fill_null(0.0).round(4).alias("share_after"),
            pl.col("score").round(3),
        )
        .select(
            "before", "line", "direction", "type", "value", "score", "share_before", "share_after"
        )
        .sort(
            ["before", "line", "direction", "score", "type", "value"],
            descending=[False, False, True, True, False, False],
        )
    )


def _side_shares(uses: pl.DataFrame, tagged: pl.DataFrame) -> pl.DataFrame:
    """Shares on both sides of each step (distinct members using an interest / members on
    that side): ``code, type, value, "0", "1"``."""
    sizes = tagged.group_by(["code", "side"]).agg(pl.len().alias("n"))
    used = (
        uses.join(tagged, on=["period", "actor"])
        .select("code", "side", "actor", "type", "value")
        .unique()
        .group_by(["code", "side", "type", "value"])
        .agg(pl.len().alias("m"))
        .join(sizes, on=["code", "side"])
        .with_columns((pl.col("m") / pl.col("n")).alias("share"))
        .pivot(on="side", index=["code", "type", "value"], values="share")
    )
    for col in ("0", "1"):
        if col not in used.columns:
            used = used.with_columns(pl.lit(None, pl.Float64).alias(col))
    return used


def _keyed_members(members: pl.DataFrame, lines: pl.DataFrame) -> pl.DataFrame:
    return members.join(lines, on=["period", "community"]).select(
        _key(pl.col("period").cast(pl.String), "actor").alias("actor"),
        _key(pl.col("period").cast(pl.String), "line").alias("community"),
    )


def _unkey(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.col("community").str.split(_SEP).list.get(0).cast(pl.Int32).alias("period"),
        pl.col("community").str.split(_SEP).list.get(1).alias("line"),
    ).drop("community")


def voice_by_period(
    events: pl.DataFrame,
    members: pl.DataFrame,
    lines: pl.DataFrame,
    lexicon: pl.DataFrame,
    *,
    min_senders: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Tone per line and period, and its request / complaint texts (quoted only when at least
    ``min_senders`` members sent the same text, so no single person is quoted).

    Returns ``(summary: period, line, messages, authors, positive, negative, unscored,
    questions, requests, complaints; texts: period, line, category, text, senders,
    quotable)``.
    """
    # The period rides in the actor key: event ids of two stores (``--runs``) may repeat.
    keyed = score_messages(
        events.with_columns(_key(pl.col("period").cast(pl.String), "actor").alias("actor")),
        lexicon,
    )
    km = _keyed_members(members, lines)
    summary = _unkey(voice_summary(keyed, km))
    negatives = (
        keyed.filter(pl.col("compound") <= -0.05)
        .join(km, on="actor")
        .group_by("community")
        .agg(pl.len().alias("complaints"))
    )
    summary = summary.join(_unkey(negatives), on=["period", "line"], how="left").with_columns(
        pl.col("complaints").fill_null(0)
    )
    # Every request / complaint text (not only the top few): "new" means not sent at all by
    # the line the period before; only texts enough members sent are ever quoted.
    ex = _unkey(voice_examples(keyed, km, per=2**31)).filter(
        pl.col("category").is_in(["request", "complaint"])
    )
    return summary.sort(["line", "period"]), ex.select(
        "period", "line", "category", "text", "senders"
    ).with_columns((pl.col("senders") >= min_senders).alias("quotable"))


def platform_by_period(
    events: pl.DataFrame, members: pl.DataFrame, lines: pl.DataFrame
) -> pl.DataFrame:
    """``period, line, platform, share_in``: each line's activity share per platform."""
    keyed = events.select(
        _key(pl.col("period").cast(pl.String), "actor").alias("actor"), "platform"
    )
    mix = platform_mix(keyed, _keyed_members(members, lines))
    return _unkey(mix).select("period", "line", "platform", "share_in")


def audience_flow(active: pl.DataFrame, periods: list[int]) -> pl.DataFrame:
    """New, returning and lost accounts per period.

    ``active``: ``period, actor`` (distinct). New: active for the first time; returning:
    active now and in an earlier period; lost: active in the previous period, not now.

    Examples
    --------
    >>> a = pl.DataFrame({"period": [0, 0, 1, 1, 2], "actor": ["a", "b", "b", "c", "a"]})
    >>> audience_flow(a, [0, 1, 2]).rows()
    [(0, 2, 2, 0, 0), (1, 2, 1, 1, 1), (2, 1, 0, 1, 2)]
    """
    first = active.group_by("actor").agg(pl.col("period").min().alias("first"))
    per = (
        active.join(first, on="actor")
        .group_by("period")
        .agg(
            pl.len().alias("accounts"),
            (pl.col("period") == pl.col("first")).sum().alias("new"),
            (pl.col("period") > pl.col("first")).sum().alias("returning"),
        )
    )
    prev = active.with_columns((pl.col("period") + 1).alias("period"))
    lost = (
        prev.join(active, on=["period", "actor"], how="anti")
        .group_by("period")
        .agg(pl.len().alias("lost"))
    )
    grid = pl.DataFrame({"period": periods}, schema={"period": active.schema["period"]})
    return (
        grid.join(per, on="period", how="left")
        .join(lost, on="period", how="left")
        .fill_null(0)
        .select("period", "accounts", "new", "returning", "lost")
        .sort("period")
    )
