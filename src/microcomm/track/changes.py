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

from microcomm.privacy import DM, quote_key, quotable
from microcomm.profiles import (
    distinctive_interests,
    label_for,
    platform_mix,
    score_messages,
    voice_examples,
    voice_summary,
)

_SEP = "\x1f"  # never in tags or platform names
_SHIFT = 1 << 32  # account codes are below 2**32: key * _SHIFT + code is one account in one group
_LINE = 1_000_000  # period * _LINE + line number: one line in one period


def code_actors(*frames: pl.DataFrame) -> list[pl.DataFrame]:
    """The frames with ``actor`` replaced by one integer per account name (the same in all).

    Every per-period measure below keys an account by its period (or step) and its code:
    integer keys, where joined strings cost most of the time at a million events.
    """
    names = (
        pl.concat([f.select(pl.col("actor").cast(pl.String)) for f in frames])
        .drop_nulls()
        .unique()
        .sort("actor")
        .with_row_index("code")
        .with_columns(pl.col("code").cast(pl.Int64))
    )
    return [
        f.with_columns(pl.col("actor").cast(pl.String))
        .join(names, on="actor", how="left")
        .with_columns(pl.col("code").alias("actor"))
        .drop("code")
        for f in frames
    ]


def _in(group: str | pl.Expr) -> pl.Expr:
    """An account within ``group`` (an integer column): ``group * 2**32 + actor code``."""
    g = pl.col(group) if isinstance(group, str) else group
    return g.cast(pl.Int64) * _SHIFT + pl.col("actor")


def line_members(members: pl.DataFrame, lines: pl.DataFrame) -> pl.DataFrame:
    """``period, actor, community, line, key``: each member's line (``key``: the line in that
    period as one integer, for the per-line measures)."""
    return members.join(lines, on=["period", "community"]).with_columns(
        (pl.col("period").cast(pl.Int64) * _LINE + pl.col("line").str.slice(1).cast(pl.Int64))
        .alias("key")
    )


def _by_line(df: pl.DataFrame) -> pl.DataFrame:
    """``community`` (a ``key`` of :func:`line_members`) back to ``period, line``."""
    return df.with_columns(
        (pl.col("community") // _LINE).cast(pl.Int32).alias("period"),
        pl.format("L{}", pl.col("community") % _LINE).alias("line"),
    ).drop("community")


def code_values(uses: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``uses`` with ``value`` replaced by an integer ``vid``, and ``vid, type, value``.

    Codes follow (type, value) order, so sorting by code sorts by type, then value.
    """
    values = (
        uses.select("type", "value").unique().sort(["type", "value"]).with_row_index("vid")
        .with_columns(pl.col("vid").cast(pl.Int64))
    )  # fmt: skip
    return uses.join(values, on=["type", "value"]).drop("value"), values


def period_interests(
    uses: pl.DataFrame,
    values: pl.DataFrame,
    members: pl.DataFrame,
    *,
    prior: float,
    min_members: int,
) -> pl.DataFrame:
    """Each community's distinctive interests against the rest of *its own period*.

    ``uses``: ``period, actor, type, vid`` and ``values`` (:func:`code_values`); ``members``:
    ``period, actor, community`` (``actor`` codes of :func:`code_actors`). Returns
    ``period, community, type, value, members, share_in, score``.
    """
    # A type is keyed by its period too (period * n + its rank by name, so ties still sort
    # by type name): each period is a corpus of its own.
    types = values["type"].unique().sort().to_list()
    n = max(len(types), 1)
    keyed = members.select(
        _in("period").alias("actor"),
        (pl.col("period").cast(pl.Int64) * 1_000_000 + pl.col("community")).alias("community"),
    )
    rank = pl.col("type").replace_strict(
        {t: i for i, t in enumerate(types)}, return_dtype=pl.Int64
    ) if types else pl.lit(0, pl.Int64)  # fmt: skip
    feats = uses.select(
        _in("period").alias("actor"),
        (pl.col("period").cast(pl.Int64) * n + rank).alias("type"),
        pl.col("vid").alias("value"),
    )
    scored = distinctive_interests(feats, keyed, prior=prior, min_members=min_members)
    return scored.join(
        values.select("vid", pl.col("value").alias("_v")), left_on="value", right_on="vid",
        maintain_order="left",
    ).select(
        (pl.col("community") // 1_000_000).cast(pl.Int32).alias("period"),
        (pl.col("community") % 1_000_000).alias("community"),
        (pl.col("type") % n).replace_strict(dict(enumerate(types)), return_dtype=pl.String)
        .alias("type") if types else pl.lit(None, pl.String).alias("type"),
        pl.col("_v").alias("value"),
        "members",
        "share_in",
        "score",
    )  # fmt: skip


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


def _sides(ml: pl.DataFrame, steps: list[tuple[int, int]]) -> pl.DataFrame:
    """``code, before, line, side, period, actor``: the members of each line present on both
    sides of a step, before (side 0) and after (side 1); ``code`` numbers the (step, line)."""
    step = pl.DataFrame(
        {"before": [b for b, _ in steps], "after": [a for _, a in steps]},
        schema={"before": pl.Int32, "after": pl.Int32},
    )
    # Each membership row goes to the steps it is the before (side 0) or the after side of.
    rows = pl.concat(
        [
            ml.join(step, left_on="period", right_on="before").select(
                pl.col("period").alias("before"), "line", pl.lit(0, pl.Int64).alias("side"),
                "period", "actor",
            ),
            ml.join(step, left_on="period", right_on="after").select(
                "before", "line", pl.lit(1, pl.Int64).alias("side"), "period", "actor"
            ),
        ]
    )
    both = (
        rows.group_by(["before", "line"])
        .agg(pl.col("side").n_unique().alias("n"))
        .filter(pl.col("n") == 2)
        .select("before", "line")
        .sort(["before", "line"])
        .with_row_index("code")
        .with_columns(pl.col("code").cast(pl.Int64))
    )
    return rows.join(both, on=["before", "line"]).select(
        "code", "before", "line", "side", "period", "actor"
    )


def interest_shifts(
    uses: pl.DataFrame,
    values: pl.DataFrame,
    ml: pl.DataFrame,
    steps: list[tuple[int, int]],
    *,
    prior: float,
    min_members: int,
    min_score: float,
) -> pl.DataFrame:
    """Rising and falling interests of each line across each step.

    An interest **rises** when the line's members after the step use it more than its
    members before did (log-odds z-score ≥ ``min_score``), and **falls** the other way.
    ``uses``, ``values``: :func:`code_values`; ``ml``: :func:`line_members`.

    Returns
    -------
    DataFrame
        ``before, line, direction (rising|falling), type, value, score, share_before,
        share_after`` sorted by step, line, direction, score descending.
    """
    tagged = _sides(ml, steps)
    group = pl.col("code") * 2 + pl.col("side")  # one (step, line, side)
    # One corpus per (step, line): all interest types pooled (the value code tells them
    # apart), so that a type with one dominant value (a line's partner brand among its
    # mentions) has odds to compare.
    feats = (
        uses.join(tagged, on=["period", "actor"])
        .select(_in(group).alias("actor"), pl.col("code").alias("type"),
                pl.col("vid").alias("value"))
        .unique()
    )  # fmt: skip
    keyed = tagged.select(_in(group).alias("actor"), group.alias("community"))
    scored = distinctive_interests(feats, keyed, prior=prior, min_members=min_members).filter(
        pl.col("score") >= min_score
    )
    pairs = tagged.select("code", "before", "line").unique()
    return (
        scored.with_columns(
            (pl.col("community") // 2).alias("code"),
            pl.when(pl.col("community") % 2 == 1)
            .then(pl.lit("rising"))
            .otherwise(pl.lit("falling"))
            .alias("direction"),
        )
        .drop("type")  # the (step, line) code: the interest's own type comes with its value
        .join(pairs, on="code")
        .join(_side_shares(feats, keyed), on=["code", "value"], how="left")
        .join(values, left_on="value", right_on="vid")
        .with_columns(
            pl.col("0").fill_null(0.0).round(4).alias("share_before"),
            pl.col("1").fill_null(0.0).round(4).alias("share_after"),
            pl.col("score").round(3),
        )
        .select(
            "before", "line", "direction", "type", pl.col("value_right").alias("value"), "score",
            "share_before", "share_after",
        )
        .sort(
            ["before", "line", "direction", "score", "type", "value"],
            descending=[False, False, True, True, False, False],
        )
    )  # fmt: skip


def _side_shares(feats: pl.DataFrame, keyed: pl.DataFrame) -> pl.DataFrame:
    """Shares on both sides of each step (distinct members using an interest / members on
    that side): ``code, value, "0", "1"`` from the distinct uses of :func:`interest_shifts`."""
    sizes = keyed.group_by("community").agg(pl.len().alias("n"))
    used = (
        feats.group_by([(pl.col("actor") // _SHIFT).alias("community"), "value"])
        .agg(pl.len().alias("m"))
        .join(sizes, on="community")
        .select(
            (pl.col("community") // 2).alias("code"),
            (pl.col("community") % 2).cast(pl.String).alias("side"),
            "value",
            (pl.col("m") / pl.col("n")).alias("share"),
        )
        .pivot(on="side", index=["code", "value"], values="share")
    )
    for col in ("0", "1"):
        if col not in used.columns:
            used = used.with_columns(pl.lit(None, pl.Float64).alias(col))
    return used


def _keyed(ml: pl.DataFrame) -> pl.DataFrame:
    """``actor, community``: each member keyed by its period, in its line of that period."""
    return ml.select(_in("period").alias("actor"), pl.col("key").alias("community"))


def voice_by_period(
    events: pl.DataFrame, ml: pl.DataFrame, lexicon: pl.DataFrame, *, min_senders: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Tone per line and period, and its request / complaint texts (quoted only when
    :func:`microcomm.privacy.quotable` allows: at least ``min_senders`` accounts sent the same
    text, never a DM, so no single person is quoted).

    Returns ``(summary: period, line, messages, authors, positive, negative, unscored,
    questions, requests, complaints; texts: period, line, category, text, senders,
    audience_senders, quotable)``: ``senders`` counts the line's members that period,
    ``audience_senders`` the distinct accounts of the whole audience (outside DMs), the count
    the quote rule uses — so a text one member of the line sent may be quoted when others
    outside it sent it too.
    """
    # The period rides in the actor key: event ids of two stores (``--runs``) may repeat.
    keyed = score_messages(events.with_columns(_in("period").alias("actor")), lexicon)
    km = _keyed(ml)
    negatives = keyed.filter(pl.col("compound") <= -0.05).join(km, on="actor")
    summary = (
        voice_summary(keyed, km)
        .join(negatives.group_by("community").agg(pl.len().alias("complaints")), on="community",
              how="left")  # fmt: skip
        .with_columns(pl.col("complaints").fill_null(0))
    )
    # Every request / complaint text (not only the top few): "new" means not sent at all by
    # the line the period before; only texts enough members sent are ever quoted.
    ex = _by_line(voice_examples(keyed, km, per=2**31, min_senders=1)).filter(
        pl.col("category").is_in(["request", "complaint"])
    )
    everyone = (
        events.filter((pl.col("kind") != DM).fill_null(True))
        .select(quote_key(pl.col("text")).alias("_q"), "actor")
        .drop_nulls()
        .unique()
        .group_by("_q")
        .agg(pl.len().cast(pl.Int64).alias("audience_senders"))
    )
    texts = ex.select("period", "line", "category", "text", "senders").with_columns(
        quotable(ex, events, k=min_senders)
    )
    texts = texts.with_columns(quote_key(pl.col("text")).alias("_q")).join(
        everyone, on="_q", how="left", maintain_order="left"
    )
    return _by_line(summary).sort(["line", "period"]), texts.select(
        "period", "line", "category", "text", "senders",
        pl.col("audience_senders").fill_null(0), "quotable",
    )  # fmt: skip


def platform_by_period(events: pl.DataFrame, ml: pl.DataFrame) -> pl.DataFrame:
    """``period, line, platform, share_in``: each line's activity share per platform."""
    keyed = events.select(_in("period").alias("actor"), "platform")
    mix = platform_mix(keyed, _keyed(ml))
    return _by_line(mix).select("period", "line", "platform", "share_in")


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
