"""Who matters inside a community: its core members, the accounts it engages with (creators
among its members, outsiders beyond), and its bridges to other communities.
"""

from __future__ import annotations

import polars as pl


def core_members(communities: pl.DataFrame, *, level: int = 0, top: int = 10) -> pl.DataFrame:
    """Each community's most central members (weighted degree inside it), best first."""
    return (
        communities.filter((pl.col("level") == level) & (pl.col("community") >= 0))
        .sort(["community", "centrality", "actor"], descending=[False, True, False])
        .group_by("community", maintain_order=True)
        .head(top)
        .select(
            "community",
            "actor",
            pl.col("centrality").alias("score"),
            "strength",
            # Share of the stability runs that kept it with its community (null: not measured).
            pl.col("confidence") if "confidence" in communities.columns else pl.lit(None),
        )
    )


def native_id() -> pl.Expr:
    """A post event's native id (``event_id`` minus its ``platform:`` prefix): what other
    events on that platform name as their ``target`` when they answer, like or share it."""
    return pl.col("event_id").str.strip_prefix(pl.concat_str([pl.col("platform"), pl.lit(":")]))


def engaged_accounts(
    events: pl.DataFrame, entities: pl.DataFrame | None = None, *, only: list[str] | None = None
) -> pl.DataFrame:
    """``actor, type="account", value``: accounts each actor engaged with.

    An actor engages with an account when it follows, mentions or DMs it (``target_kind`` =
    account), when it comments on, likes or shares a post whose author is known (the post is
    an event of the store), or when it @-mentions it in a text. Self-engagement is dropped.
    ``only`` restricts the engaged accounts to these handles (and the scan to their posts).

    Examples
    --------
    >>> ev = pl.DataFrame({"event_id": ["x:1", "x:2", "x:3"], "platform": ["x"] * 3,
    ...     "kind": ["post", "comment", "follow"], "actor": ["cat", "ann", "bob"],
    ...     "target": ["brand", "1", "cat"], "target_kind": ["account", "post", "account"]})
    >>> engaged_accounts(ev).sort("actor").rows()
    [('ann', 'account', 'cat'), ('bob', 'account', 'cat'), ('cat', 'account', 'brand')]
    >>> engaged_accounts(ev, only=["brand"]).rows()
    [('cat', 'account', 'brand')]
    """
    ev = events.filter(pl.col("actor").is_not_null() & pl.col("target").is_not_null())
    direct = pl.col("target_kind") == "account"
    authors = pl.col("kind") == "post"
    if only is not None:
        direct = direct & pl.col("target").is_in(only)
        authors = authors & pl.col("actor").is_in(only)
    # Post authors: a post is an event whose native id is the target of other events on the
    # same platform.
    posts = ev.filter(authors).select(
        "platform", native_id().alias("target"), pl.col("actor").alias("value")
    )
    via_post = (
        ev.filter(pl.col("target_kind") != "account")
        .join(posts, on=["platform", "target"], how="inner")
        .select("actor", "value")
    )
    parts = [ev.filter(direct).select("actor", pl.col("target").alias("value")), via_post]
    if entities is not None:
        named = (pl.col("type") == "mention") & pl.col("actor").is_not_null()
        if only is not None:
            named = named & pl.col("value").is_in(only)
        parts.append(entities.filter(named).select("actor", "value"))
    return (
        pl.concat(parts)
        .filter(pl.col("actor") != pl.col("value"))
        .unique()
        .select("actor", pl.lit("account").alias("type"), "value")
    )


def split_accounts(
    scored: pl.DataFrame, members: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split scored engaged accounts into creators (members of the community) and outsiders."""
    inside = members.select(pl.col("actor").alias("value"), pl.col("community").alias("_home"))
    tagged = scored.join(inside, on="value", how="left").with_columns(
        (pl.col("_home") == pl.col("community")).fill_null(False).alias("_in")
    )
    return (
        tagged.filter(pl.col("_in")).drop("_home", "_in"),
        tagged.filter(~pl.col("_in")).drop("_in").rename({"_home": "home"}),
    )


def participation(edges: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Participation coefficient of each account across communities (Guimerà & Amaral 2005).

    ``P = 1 − Σ_s (k_s / k)²`` where ``k_s`` is the account's tie weight into community ``s``
    and ``k`` its total tie weight: 0 for an account whose ties all stay in one community,
    towards 1 for one spread evenly over many. Ties to accounts in no community are ignored.

    Returns
    -------
    DataFrame
        ``actor, community, degree, inside, participation, other, other_share, expected``:
        ``inside`` is the share of its tie weight inside its own community, ``other`` the
        community it is most tied to besides its own, ``other_share`` its share of tie weight
        there, and ``expected`` the share of its whole community's tie weight that goes to
        ``other`` (what an ordinary member of its community has).

    References
    ----------
    R. Guimerà, L. A. N. Amaral, "Functional cartography of complex metabolic networks",
    Nature 433 (2005) 895–900.

    Examples
    --------
    >>> e = pl.DataFrame({"source": ["a", "a", "b", "c"], "target": ["b", "c", "c", "d"],
    ...                   "weight": [1.0, 1.0, 1.0, 1.0]})
    >>> m = pl.DataFrame({"actor": ["a", "b", "c", "d"], "community": [0, 0, 1, 1]})
    >>> participation(e, m).sort("actor")["participation"].round(3).to_list()
    [0.5, 0.5, 0.444, 0.0]
    """
    both = pl.concat(
        [
            edges.select(pl.col("source").alias("actor"), pl.col("target").alias("nb"), "weight"),
            edges.select(pl.col("target").alias("actor"), pl.col("source").alias("nb"), "weight"),
        ]
    )
    comm = members.select("actor", "community")
    k_s = (
        both.join(comm.rename({"actor": "nb", "community": "nb_comm"}), on="nb", how="inner")
        .group_by(["actor", "nb_comm"])
        .agg(pl.col("weight").sum().alias("k_s"))
        .join(comm, on="actor", how="inner")
    )
    per = k_s.with_columns(pl.col("k_s").sum().over("actor").alias("degree")).with_columns(
        (pl.col("k_s") / pl.col("degree")).alias("frac")
    )
    # Community × community tie shares: how much of a community's tie weight goes where.
    between = (
        k_s.group_by(["community", "nb_comm"])
        .agg(pl.col("k_s").sum())
        .with_columns((pl.col("k_s") / pl.col("k_s").sum().over("community")).alias("expected"))
        .select("community", pl.col("nb_comm").alias("other"), "expected")
    )
    own = per.filter(pl.col("nb_comm") == pl.col("community")).select(
        "actor", pl.col("frac").alias("inside")
    )
    other = (
        per.filter(pl.col("nb_comm") != pl.col("community"))
        .sort(["actor", "frac", "nb_comm"], descending=[False, True, False])
        .group_by("actor", maintain_order=True)
        .first()
        .select("actor", pl.col("nb_comm").alias("other"), pl.col("frac").alias("other_share"))
    )
    return (
        per.group_by(["actor", "community"])
        .agg(pl.col("degree").first(), (1.0 - (pl.col("frac") ** 2).sum()).alias("participation"))
        .join(own, on="actor", how="left")
        .join(other, on="actor", how="left")
        .join(between, on=["community", "other"], how="left")
        .with_columns(
            pl.col("inside").fill_null(0.0),
            pl.col("other_share").fill_null(0.0),
            pl.col("expected").fill_null(0.0),
        )
        .sort("actor")
    )


def _owned_engagement(
    events: pl.DataFrame, members: pl.DataFrame, *, min_engagers: int, min_owner_share: float
) -> pl.DataFrame:
    """``actor, community, owner, n``: how many contexts owned by community ``owner`` (engaged
    with by ``min_engagers`` placed accounts, ``min_owner_share`` of them from ``owner``) each
    member engaged with."""
    ctx = (
        events.filter(pl.col("actor").is_not_null() & pl.col("target").is_not_null())
        .select("actor", "platform", "target")
        .unique()
        .join(members.select("actor", "community"), on="actor", how="inner")
    )
    owners = (
        ctx.group_by(["platform", "target", "community"])
        .agg(pl.len().alias("n"))
        .with_columns(pl.col("n").sum().over(["platform", "target"]).alias("k"))
        .filter((pl.col("k") >= min_engagers) & (pl.col("n") >= min_owner_share * pl.col("k")))
        .select("platform", "target", pl.col("community").alias("owner"))
    )
    return (
        ctx.join(owners, on=["platform", "target"], how="inner")
        .group_by(["actor", "community", "owner"])
        .agg(pl.len().alias("n"))
    )


def bridges(
    events: pl.DataFrame,
    members: pl.DataFrame,
    *,
    top: int = 10,
    min_engagers: int = 3,
    min_owner_share: float = 0.5,
    min_balance: float = 0.25,
    min_side: int = 2,
) -> pl.DataFrame:
    """Each community's bridges: members who engage substantially on two communities' ground.

    Every post, thread or account engaged with by at least ``min_engagers`` placed accounts,
    a majority (``min_owner_share``) of them from one community, is that community's
    ground. For each member, ``own`` counts the contexts of its own community it engaged
    with, ``other`` those of the other community it engaged with most, ``total`` all owned
    contexts it engaged with. ``bridge = 2·own·other / (own + other) × (own + other) /
    total``: the harmonic mean of the two sides (high only when both are large, and counted
    in engagements, so four events split two and two are weak evidence) times the share of its
    engagement the two sides hold (an account spread thinly everywhere is noise, not a
    bridge). Only members with at least ``min_balance`` of their two-sided engagement on the
    other side, and ``min_side`` engagements on each side, are listed. It counts engagement
    rather than the graph's kNN ties, because the backbone keeps
    each account's ties to whichever side its profile leans to and so hides the other side.

    Returns
    -------
    DataFrame
        ``community, actor, own, other_community, other, total, bridge``; ``top`` rows per
        community, best first.

    Examples
    --------
    >>> ev = pl.DataFrame({"platform": ["x"] * 9, "target": ["p1", "p1", "p1", "q1", "q1", "q1",
    ...     "p2", "p2", "p2"], "actor": ["a", "b", "z", "c", "d", "z", "a", "b", "z"]})
    >>> m = pl.DataFrame({"actor": ["a", "b", "c", "d", "z"], "community": [0, 0, 1, 1, 0]})
    >>> bridges(ev, m, min_side=1).select("actor", "own", "other", pl.col("bridge").round(3)).rows()
    [('z', 2, 1, 1.333)]
    """
    counts = _owned_engagement(
        events, members, min_engagers=min_engagers, min_owner_share=min_owner_share
    )
    own = counts.filter(pl.col("owner") == pl.col("community")).select(
        "actor", pl.col("n").alias("own")
    )
    other = (
        counts.filter(pl.col("owner") != pl.col("community"))
        .sort(["actor", "n", "owner"], descending=[False, True, False])
        .group_by("actor", maintain_order=True)
        .first()
        .select("actor", pl.col("owner").alias("other_community"), pl.col("n").alias("other"))
    )
    both = pl.col("own") + pl.col("other")
    return (
        counts.group_by(["actor", "community"])
        .agg(pl.col("n").sum().alias("total"))
        .join(own, on="actor", how="left")
        .join(other, on="actor", how="inner")
        .with_columns(pl.col("own").fill_null(0))
        .with_columns(
            pl.when(both > 0)
            .then(2 * pl.col("own") * pl.col("other") / both * both / pl.col("total"))
            .otherwise(0.0)
            .alias("bridge")
        )
        .filter(
            (pl.col("bridge") > 0)
            & (pl.col("other") >= min_balance * both)
            & (pl.col("own") >= min_side)
            & (pl.col("other") >= min_side)
        )
        .sort(["community", "bridge", "total", "actor"], descending=[False, True, True, False])
        .group_by("community", maintain_order=True)
        .head(top)
        .select("community", "actor", "own", "other_community", "other", "total", "bridge")
    )
