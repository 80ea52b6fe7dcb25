"""Profile stage: communities + events/entities → what sets each community apart, and who
matters inside it.

Interests are ranked by the weighted log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008), computed on *distinct members* (an account that uses a tag
300 times counts once), against the rest of the audience. The prior is the audience's own
distribution, so tags everybody uses (the brand's own, #love) score near zero by themselves,
with no stop list.

References
----------
B. L. Monroe, M. P. Colaresi, K. M. Quinn, "Fightin' Words: Lexical Feature Selection and
Evaluation for Identifying the Content of Political Conflict", Political Analysis 16 (2008).
"""

from __future__ import annotations

import polars as pl

INTEREST_TYPES = ("hashtag", "mention", "domain", "emoji", "keyword")
_PREFIX = {"hashtag": "#", "mention": "@"}


def membership(communities: pl.DataFrame, *, level: int = 0) -> pl.DataFrame:
    """``actor → community`` at one hierarchy level (level 0 is the micro level)."""
    return communities.filter(pl.col("level") == level).select("actor", "community")


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
    uses = features.select("actor", "type", "value").unique()
    n_accounts = (
        audience_size or pl.concat([uses.select("actor"), members.select("actor")]).n_unique()
    )
    sizes = members.group_by("community").agg(pl.len().alias("size"))
    totals = uses.group_by(["type", "value"]).agg(pl.len().alias("total"))
    # n = number of (member, feature) uses: the "corpus size" of each side, per feature type.
    type_total = uses.group_by("type").agg(pl.len().alias("n_all"))
    inside = (
        uses.join(members, on="actor", how="inner")
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
        .with_columns(
            (
                (
                    (pl.col("members") + pl.col("alpha"))
                    / (pl.col("n_in") + pl.col("alpha0") - pl.col("members") - pl.col("alpha"))
                ).log()
                - (
                    (pl.col("out") + pl.col("alpha"))
                    / (pl.col("n_out") + pl.col("alpha0") - pl.col("out") - pl.col("alpha"))
                ).log()
            ).alias("delta"),
            (
                1.0 / (pl.col("members") + pl.col("alpha"))
                + 1.0 / (pl.col("out") + pl.col("alpha"))
            ).alias("var"),
        )
        .with_columns(
            (pl.col("delta") / pl.col("var").sqrt()).alias("score"),
            (pl.col("members") / pl.col("size")).alias("share_in"),
            (
                pl.col("out") / pl.max_horizontal(pl.lit(n_accounts) - pl.col("size"), pl.lit(1))
            ).alias("share_out"),
        )
        .filter(pl.col("members") >= min_members)
    )
    return scored.select(
        "community", "type", "value", "members", "share_in", "share_out", "score"
    ).sort(["community", "score", "type", "value"], descending=[False, True, False, False])


def entity_features(
    entities: pl.DataFrame, *, types: tuple[str, ...] = INTEREST_TYPES
) -> pl.DataFrame:
    """``actor, type, value`` uses from the entities table."""
    return entities.filter(
        pl.col("actor").is_not_null() & pl.col("type").is_in(list(types))
    ).select("actor", "type", "value")


def core_members(communities: pl.DataFrame, *, level: int = 0, top: int = 10) -> pl.DataFrame:
    """Each community's most central members (weighted degree inside it), best first."""
    return (
        communities.filter(pl.col("level") == level)
        .sort(["community", "centrality", "actor"], descending=[False, True, False])
        .group_by("community", maintain_order=True)
        .head(top)
        .select("community", "actor", pl.col("centrality").alias("score"), "strength")
    )


def label_for(interests: pl.DataFrame, *, n: int = 3) -> pl.DataFrame:
    """A short name per community from its top interests: ``#vanlife · #buildout · solar``."""
    shown = interests.filter(pl.col("type").is_in(["hashtag", "mention", "keyword"]))
    return (
        shown.sort(["community", "score"], descending=[False, True])
        .group_by("community", maintain_order=True)
        .head(n)
        .with_columns(
            pl.concat_str(
                [pl.col("type").replace_strict(_PREFIX, default=""), pl.col("value")]
            ).alias("tag")
        )
        .group_by("community", maintain_order=True)
        .agg(pl.col("tag").str.join(" · ").alias("label"))
    )
