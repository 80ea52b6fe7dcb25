"""People to work with: organic influencers, paid partners, UGC creators and advocates.

- **Reach** is relative to the audience: an account has large reach when its follower count
  is at or above the ``percentile`` (default 0.99: the top 1 %) of the follower counts known
  for the audience's accounts (the actors of the events). No fixed number: 5 k followers is a
  lot in a local running club's audience and nothing in a sportswear brand's.
- **Organic influencers** are such accounts that name the brand in their own words (a post,
  comment, reply, mention or tag: :func:`microcomm.brand.brand_mention`) at least once
  *without* a paid marker. Messages with a paid marker (:data:`PAID_PATTERN`: ``#ad``,
  ``#sponsored``, ``#partner``, "paid partnership"…) are counted apart; an account whose brand
  mentions are all paid is a **paid partner**, listed apart and never ranked as organic.
  They are ranked, per community, by how many members engage with them, and their **niche** is
  the distinctive interests of the accounts that engage with them (the same weighted log-odds
  as a community's interests, with their engagers as the group).
- **UGC creators** are members whose own posts feature the brand — a tag of its account, or a
  mention with a link — without a paid marker, and draw engagement (comments, replies,
  likes, shares) from other accounts.
- **Advocates** (:mod:`microcomm.profiles.advocates`) are members who repeatedly praise the brand: ``min_praise``
  clear-cut praising messages (compound ≥ 0.3, as the voice examples) and more praise than
  complaints. DMs count but are never quoted or linked: the evidence is counts and the id of
  a public message.
"""

from __future__ import annotations

import polars as pl

from microcomm.brand import Brand, brand_mention
from microcomm.profiles.interests import distinctive_interests
from microcomm.profiles.roles import engaged_accounts, native_id

# Disclosure markers of paid content (FTC / ASA / EU guidance words, and Instagram's label).
PAID_PATTERN = (
    r"(?i)(?:#(?:ad|ads|advert|advertisement|advertising|sponsored|sponsor|spon|partner|"
    r"paidpartner|paidpartnership|brandpartner|werbung|anzeige|publicidad|publicite|publicité|"
    r"sponsorise|sponsorisé)(?:[^\p{L}\p{N}_]|$)|paid partnership|sponsored by|"
    r"in partnership with)"
)
LINK_PATTERN = r"(?i)https?://|www\."
PRAISE = 0.3  # |compound| of a clear-cut message (the voice examples' bar)


def brand_posts(events: pl.DataFrame, brand: Brand) -> pl.DataFrame:
    """Events in which an account (not the brand's own) names the brand, with their markers.

    Returns
    -------
    DataFrame
        ``event_id, platform, kind, actor, target, target_kind, created_at, paid, link``.
    """
    if not brand:
        return pl.DataFrame(
            schema={
                "event_id": pl.String,
                "platform": pl.String,
                "kind": pl.String,
                "actor": pl.String,
                "target": pl.String,
                "target_kind": pl.String,
                "created_at": pl.Datetime("us", "UTC"),
                "paid": pl.Boolean,
                "link": pl.Boolean,
            }
        )
    return (
        events.filter(
            pl.col("actor").is_not_null()
            & ~pl.col("actor").is_in(list(brand.handles))
            & pl.col("kind").is_in(["post", "comment", "reply", "mention", "tag"])
        )
        .filter(brand_mention(brand))
        .select(
            "event_id",
            "platform",
            "kind",
            "actor",
            "target",
            "target_kind",
            "created_at",
            pl.col("text").fill_null("").str.contains(PAID_PATTERN).alias("paid"),
            pl.col("text").fill_null("").str.contains(LINK_PATTERN).alias("link"),
        )
    )


def reach(
    accounts: pl.DataFrame, audience: pl.Series, *, percentile: float = 0.99
) -> tuple[pl.DataFrame, int | None, int]:
    """Follower counts of the audience's accounts, the reach bar and how many counts are known.

    ``accounts`` has one row per (actor, platform); an account's reach is its largest count.
    The bar is the ``percentile`` of the known counts (the next count up when it falls
    between two); None when no count is known.

    Examples
    --------
    >>> acc = pl.DataFrame({"actor": [f"a{i}" for i in range(100)], "followers": list(range(100)),
    ...                     "verified": [False] * 100})
    >>> reach(acc, acc["actor"], percentile=0.95)[1:]
    (95, 100)
    """
    if "followers" not in accounts.columns:
        return pl.DataFrame(schema={"actor": pl.String, "followers": pl.Int64}), None, 0
    if "verified" not in accounts.columns:
        accounts = accounts.with_columns(pl.lit(None, dtype=pl.Boolean).alias("verified"))
    known = accounts.filter(pl.col("followers").is_not_null())
    if known.height == 0:  # no export carried a count: no need to look at the audience
        return known.select("actor", "followers", "verified"), None, 0
    per = (
        known.group_by("actor")
        .agg(pl.col("followers").max(), pl.col("verified").fill_null(False).any())
        .filter(pl.col("actor").is_in(audience.unique().implode()))
    )
    if per.height == 0:
        return per, None, 0
    bar = int(per["followers"].quantile(percentile, interpolation="higher") or 0)
    return per, bar, per.height


def engagers_of(events: pl.DataFrame, entities: pl.DataFrame, handles: list[str]) -> pl.DataFrame:
    """``actor, account``: who engaged with each of ``handles`` (followed, mentioned or DMed
    it, @-named it in a text, or commented on, liked or shared one of its posts): the rule of
    :func:`~microcomm.profiles.roles.engaged_accounts`, for these accounts only."""
    if not handles:  # no account with large reach names the brand: nothing to scan for
        return pl.DataFrame(schema={"actor": pl.String, "account": pl.String})
    return (
        engaged_accounts(events, entities, only=handles)
        .select("actor", pl.col("value").alias("account"))
        .sort(["account", "actor"])
    )


def influencers(
    mentions: pl.DataFrame,
    followers: pl.DataFrame,
    bar: int | None,
    engagers: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Accounts with reach at or above ``bar`` that name the brand, organic first.

    Returns
    -------
    DataFrame
        ``actor, followers, verified, organic, paid, example, kind, engagers`` — ``organic``
        and ``paid`` count brand mentions without / with a paid marker; ``example`` is the id
        of an organic one (a paid one for paid partners); ``kind`` is ``organic`` when any
        mention is organic, else ``paid``. Sorted by kind, engagers, followers, actor.
    """
    if bar is None or mentions.height == 0:
        return pl.DataFrame(
            schema={
                "actor": pl.String,
                "followers": pl.Int64,
                "verified": pl.Boolean,
                "organic": pl.UInt32,
                "paid": pl.UInt32,
                "example": pl.String,
                "kind": pl.String,
                "engagers": pl.UInt32,
            }
        )
    big = followers.filter(pl.col("followers") >= bar)
    counts = (
        mentions.join(big, on="actor", how="inner")
        .sort(["actor", "paid", "created_at", "event_id"], nulls_last=True)
        .group_by("actor", maintain_order=True)
        .agg(
            pl.col("followers").first(),
            pl.col("verified").first(),
            (~pl.col("paid")).sum().alias("organic"),
            pl.col("paid").sum().alias("paid"),
            pl.col("event_id").first().alias("example"),
        )
        .with_columns(
            pl.when(pl.col("organic") > 0)
            .then(pl.lit("organic"))
            .otherwise(pl.lit("paid"))
            .alias("kind")
        )
    )
    n_eng = (
        engagers.group_by("account").agg(pl.len().cast(pl.UInt32).alias("engagers"))
        if engagers is not None
        else pl.DataFrame(schema={"account": pl.String, "engagers": pl.UInt32})
    )
    return (
        counts.join(n_eng.rename({"account": "actor"}), on="actor", how="left")
        .with_columns(pl.col("engagers").fill_null(0))
        .sort(["kind", "engagers", "followers", "actor"], descending=[False, True, True, False])
    )


def community_reach(
    accounts: pl.DataFrame, engagers: pl.DataFrame, members: pl.DataFrame, *, min_members: int = 2
) -> pl.DataFrame:
    """How each community engages with each of ``accounts`` (``actor, followers, kind, …``).

    Returns
    -------
    DataFrame
        The columns of ``accounts`` plus ``community, members, share_in`` (members who engage
        with it, and their share of the community), at least ``min_members``; sorted by
        community, members, followers, actor.
    """
    sizes = members.group_by("community").agg(pl.len().alias("size"))
    return (
        engagers.join(members, on="actor", how="inner")
        .group_by(["community", "account"])
        .agg(pl.len().alias("members"))
        .filter(pl.col("members") >= min_members)
        .join(sizes, on="community")
        .with_columns((pl.col("members") / pl.col("size")).alias("share_in"))
        .join(accounts, left_on="account", right_on="actor", how="inner")
        .rename({"account": "actor"})
        .drop("size")
        .sort(["community", "members", "followers", "actor"], descending=[False, True, True, False])
    )


def niches(
    features: pl.DataFrame,
    engagers: pl.DataFrame,
    *,
    prior: float,
    min_members: int,
    audience_size: int,
    min_score: float,
    top: int = 5,
) -> pl.DataFrame:
    """Each account's niche: the distinctive interests of the accounts that engage with it.

    Returns
    -------
    DataFrame
        ``actor, type, value, members, share_in, score`` (``top`` per account, best first).
    """
    if engagers.height == 0:
        return pl.DataFrame(
            schema={
                "actor": pl.String,
                "type": pl.String,
                "value": pl.String,
                "members": pl.UInt32,
                "share_in": pl.Float64,
                "score": pl.Float64,
            }
        )
    ids = engagers.select(pl.col("account").unique().sort()).with_row_index("community")
    groups = engagers.join(ids, on="account").select("actor", pl.col("community").cast(pl.Int64))
    ranked = distinctive_interests(
        features, groups, prior=prior, min_members=min_members, audience_size=audience_size
    ).filter(pl.col("score") >= min_score)
    return (
        ranked.join(ids.with_columns(pl.col("community").cast(pl.Int64)), on="community")
        .select(pl.col("account").alias("actor"), "type", "value", "members", "share_in", "score")
        # engagers name the account itself: that is not its niche
        .filter(~((pl.col("type") == "mention") & (pl.col("value") == pl.col("actor"))))
        .sort(["actor", "score", "type", "value"], descending=[False, True, False, False])
        .group_by("actor", maintain_order=True)
        .head(top)
    )


def ugc_creators(
    mentions: pl.DataFrame,
    events: pl.DataFrame,
    members: pl.DataFrame,
    brand: Brand,
    *,
    min_engagers: int = 2,
) -> pl.DataFrame:
    """Members whose own posts feature the brand and draw engagement from others.

    A post features the brand when it tags its account (a ``tag``, or a post whose target is
    the brand's account) or names it with a link; posts with a paid marker are left out.

    Returns
    -------
    DataFrame
        ``community, actor, posts, engagers, top_post, top_engagers`` — brand posts that drew
        engagement, distinct accounts engaging with them, and the id of the most engaged one.
    """
    tagged = (pl.col("kind") == "tag") | (
        (pl.col("target_kind") == "account")
        & pl.col("target").str.to_lowercase().is_in(list(brand.handles))
    )
    posts = mentions.filter(
        pl.col("kind").is_in(["post", "tag"]) & ~pl.col("paid") & (tagged | pl.col("link"))
    ).join(members.select("actor"), on="actor", how="semi")
    native = posts.select(
        "event_id", "platform", pl.col("actor").alias("author"), native_id().alias("target")
    )
    hits = (
        events.filter(
            pl.col("target").is_in(native["target"].implode())
            & (pl.col("target_kind") != "account")
        )
        .select("platform", "target", "actor")
        .join(native, on=["platform", "target"], how="inner")
        .filter(pl.col("actor") != pl.col("author"))
        .unique()
    )
    per_post = (
        hits.group_by(["author", "event_id"])
        .agg(pl.len().alias("n"))
        .sort(["author", "n", "event_id"], descending=[False, True, False])
    )
    top = per_post.group_by("author", maintain_order=True).first()
    return (
        hits.group_by("author")
        .agg(
            pl.col("actor").n_unique().alias("engagers"),
            pl.col("event_id").n_unique().alias("posts"),
        )
        .filter(pl.col("engagers") >= min_engagers)
        .join(top.rename({"event_id": "top_post", "n": "top_engagers"}), on="author")
        .rename({"author": "actor"})
        .join(members, on="actor", how="inner")
        .sort(["community", "engagers", "posts", "actor"], descending=[False, True, True, False])
        .select("community", "actor", "posts", "engagers", "top_post", "top_engagers")
    )
