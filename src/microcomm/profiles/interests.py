"""What sets a community apart: its distinctive interests, ranked, and the name they give it.

Interests are ranked by the weighted log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008), computed on *distinct members* (an account that uses a tag
300 times counts once), against the rest of the audience. The prior is the audience's own
distribution, so tags everybody uses (the brand's own, #love) score near zero by themselves,
with no stop list. Features come from the entities table (hashtags, mentions, domains,
emojis, keywords), from bios and from the places accounts post from.

References
----------
B. L. Monroe, M. P. Colaresi, K. M. Quinn, "Fightin' Words: Lexical Feature Selection and
Evaluation for Identifying the Content of Political Conflict", Political Analysis 16 (2008).
"""

from __future__ import annotations

import polars as pl

INTEREST_TYPES = ("hashtag", "mention", "domain", "emoji", "keyword")
# How each interest type is written in a label or a report: #hashtag, @mention.
TYPE_PREFIX = {"hashtag": "#", "mention": "@"}


def distinctive_interests(
    features: pl.DataFrame,
    members: pl.DataFrame,
    *,
    prior: float = 0.1,
    min_members: int = 2,
    audience_size: int | None = None,
) -> pl.DataFrame:
    """Rank each community's features by weighted log-odds against the rest of the audience.

    Parameters
    ----------
    features
        One row per (actor, type, value) use; repeats are fine (counted once per actor).
    members
        ``actor, community`` for the accounts in communities.
    prior
        Strength of the informative Dirichlet prior: pseudo-counts ``prior × audience counts``.
    min_members
        Features used by fewer distinct members of a community are not ranked for it.
    audience_size
        Number of accounts in the audience (default: distinct actors in ``features`` ∪ ``members``).

    Returns
    -------
    DataFrame
        ``community, type, value, members, share_in, share_out, score`` sorted by community,
        then score descending. ``score`` is the z-score of the log-odds ratio.

    Examples
    --------
    >>> f = pl.DataFrame({"actor": ["a", "b", "c", "d", "a", "b", "c", "d"],
    ...                   "type": ["hashtag"] * 8,
    ...                   "value": ["vegan", "vegan", "run", "run", "brand", "brand", "brand", "brand"]})
    >>> m = pl.DataFrame({"actor": ["a", "b", "c", "d"], "community": [0, 0, 1, 1]})
    >>> distinctive_interests(f, m).filter(pl.col("community") == 0)["value"].to_list()[0]
    'vegan'
    """
    uses = features.lazy().select("actor", "type", "value").unique().collect()
    n_accounts = (
        audience_size or pl.concat([uses.select("actor"), members.select("actor")]).n_unique()
    )
    lazy, mem = uses.lazy(), members.lazy()  # one plan: the engine shares the scans of uses
    sizes = mem.group_by("community").agg(pl.len().alias("size"))
    totals = lazy.group_by(["type", "value"]).agg(pl.len().alias("total"))
    # n = number of (member, feature) uses: the "corpus size" of each side, per feature type.
    type_total = lazy.group_by("type").agg(pl.len().alias("n_all"))
    inside = (
        lazy.join(mem, on="actor", how="inner")
        .group_by(["community", "type", "value"])
        .agg(pl.len().alias("members"))
    )
    comm_type = inside.group_by(["community", "type"]).agg(pl.col("members").sum().alias("n_in"))
    scored = (
        inside.join(totals, on=["type", "value"])
        .join(type_total, on="type")
        .join(comm_type, on=["community", "type"])
        .join(sizes, on="community")
        .with_columns(
            (pl.col("total") - pl.col("members")).alias("out"),
            (pl.col("n_all") - pl.col("n_in")).alias("n_out"),
            (prior * pl.col("total")).alias("alpha"),
            (prior * pl.col("n_all")).alias("alpha0"),
        )
        .with_columns(*_log_odds())
        .with_columns(
            (pl.col("delta") / pl.col("var").sqrt()).alias("score"),
            (pl.col("members") / pl.col("size")).alias("share_in"),
            (
                pl.col("out") / pl.max_horizontal(pl.lit(n_accounts) - pl.col("size"), pl.lit(1))
            ).alias("share_out"),
        )
        # A type with a single value (every use is that value) has no odds to compare: drop.
        .filter((pl.col("members") >= min_members) & pl.col("score").is_finite())
    )
    return (
        scored.select("community", "type", "value", "members", "share_in", "share_out", "score")
        .sort(["community", "score", "type", "value"], descending=[False, True, False, False])
        .collect()
    )


def _log_odds() -> tuple[pl.Expr, pl.Expr]:
    """``delta``, the log-odds ratio of a feature inside vs outside the community with the
    prior's pseudo-counts, and ``var``, its approximate variance (Monroe et al. 2008), over
    the columns ``members, out, n_in, n_out, alpha, alpha0``."""
    delta = (
        (pl.col("members") + pl.col("alpha"))
        / (pl.col("n_in") + pl.col("alpha0") - pl.col("members") - pl.col("alpha"))
    ).log() - (
        (pl.col("out") + pl.col("alpha"))
        / (pl.col("n_out") + pl.col("alpha0") - pl.col("out") - pl.col("alpha"))
    ).log()
    var = 1.0 / (pl.col("members") + pl.col("alpha")) + 1.0 / (pl.col("out") + pl.col("alpha"))
    return delta.alias("delta"), var.alias("var")


def entity_features(
    entities: pl.DataFrame, *, types: tuple[str, ...] = INTEREST_TYPES
) -> pl.DataFrame:
    """``actor, type, value`` uses from the entities table."""
    return entities.filter(
        pl.col("actor").is_not_null() & pl.col("type").is_in(list(types))
    ).select("actor", "type", "value")


def label_for(interests: pl.DataFrame, *, n: int = 3) -> pl.DataFrame:
    """A short name per community from its top interests: ``#vanlife · #buildout · solar``.

    Hashtags, mentions and keywords name a community best; domains, bio words and emojis fill
    in only where it has too few of those (a group that only shares links gets a name too).
    """
    shown = interests.with_columns(
        (~pl.col("type").is_in(["hashtag", "mention", "keyword"])).alias("_fallback")
    )
    return (
        shown.sort(["community", "_fallback", "score"], descending=[False, False, True])
        .group_by("community", maintain_order=True)
        .head(n)
        .with_columns(
            pl.concat_str(
                [pl.col("type").replace_strict(TYPE_PREFIX, default=""), pl.col("value")]
            ).alias("tag")
        )
        .group_by("community", maintain_order=True)
        .agg(pl.col("tag").str.join(" · ").alias("label"))
    )


def bio_features(accounts: pl.DataFrame) -> pl.DataFrame:
    """``actor, type="bio", value`` keywords (and hashtags) of each account's bio.

    Bios are tokenised like event texts (:func:`microcomm.normalize.extract_entities`), so a
    bio word and a caption word normalise the same way.

    Examples
    --------
    >>> acc = pl.DataFrame({"actor": ["ann"], "bio": ["Vegan runner. #UltraRunning mum of 2"]})
    >>> sorted(bio_features(acc)["value"].to_list())
    ['mum', 'runner', 'ultrarunning', 'vegan']
    """
    from microcomm.normalize import extract_entities

    if "bio" not in accounts.columns or accounts.height == 0:
        return pl.DataFrame(schema={"actor": pl.String, "type": pl.String, "value": pl.String})
    bios = accounts.filter(pl.col("bio").is_not_null() & pl.col("actor").is_not_null()).select(
        pl.col("actor").alias("event_id"), "actor", pl.col("bio").alias("text")
    )
    ents = extract_entities(bios.unique())
    return (
        ents.filter(pl.col("type").is_in(["keyword", "hashtag"]))
        .select("actor", pl.lit("bio").alias("type"), "value")
        .unique()
    )


def location_features(events: pl.DataFrame) -> pl.DataFrame:
    """``actor, type="location", value`` for every place an account posted from."""
    return (
        events.filter(pl.col("location").is_not_null() & pl.col("actor").is_not_null())
        .select("actor", pl.lit("location").alias("type"), pl.col("location").str.strip_chars())
        .rename({"location": "value"})
        .filter(pl.col("value").str.len_chars() > 0)
        .unique()
    )
