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
        # A type with a single value (every use is that value) has no odds to compare: drop.
        .filter((pl.col("members") >= min_members) & pl.col("score").is_finite())
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
                [pl.col("type").replace_strict(_PREFIX, default=""), pl.col("value")]
            ).alias("tag")
        )
        .group_by("community", maintain_order=True)
        .agg(pl.col("tag").str.join(" · ").alias("label"))
    )


# --- what sets them apart: more kinds of features --------------------------------------
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


def engaged_accounts(events: pl.DataFrame, entities: pl.DataFrame | None = None) -> pl.DataFrame:
    """``actor, type="account", value``: accounts each actor engaged with.

    An actor engages with an account when it follows, mentions or DMs it (``target_kind`` =
    account), when it comments on, likes or shares a post whose author is known (the post is
    an event of the store), or when it @-mentions it in a text. Self-engagement is dropped.

    Examples
    --------
    >>> ev = pl.DataFrame({"event_id": ["x:1", "x:2", "x:3"], "platform": ["x"] * 3,
    ...     "kind": ["post", "comment", "follow"], "actor": ["cat", "ann", "bob"],
    ...     "target": ["brand", "1", "cat"], "target_kind": ["account", "post", "account"]})
    >>> engaged_accounts(ev).sort("actor").rows()
    [('ann', 'account', 'cat'), ('bob', 'account', 'cat'), ('cat', 'account', 'brand')]
    """
    ev = events.filter(pl.col("actor").is_not_null() & pl.col("target").is_not_null())
    direct = ev.filter(pl.col("target_kind") == "account").select(
        "actor", pl.col("target").alias("value")
    )
    # Post authors: a post is an event whose native id (event_id minus "platform:") is the
    # target of other events on the same platform.
    posts = ev.filter(pl.col("kind") == "post").select(
        "platform",
        pl.col("event_id")
        .str.strip_prefix(pl.concat_str([pl.col("platform"), pl.lit(":")]))
        .alias("target"),
        pl.col("actor").alias("value"),
    )
    via_post = (
        ev.filter(pl.col("target_kind") != "account")
        .join(posts, on=["platform", "target"], how="inner")
        .select("actor", "value")
    )
    parts = [direct, via_post]
    if entities is not None:
        parts.append(
            entities.filter((pl.col("type") == "mention") & pl.col("actor").is_not_null()).select(
                "actor", "value"
            )
        )
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


# --- who matters inside: bridges -------------------------------------------------------
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
    counts = (
        ctx.join(owners, on=["platform", "target"], how="inner")
        .group_by(["actor", "community", "owner"])
        .agg(pl.len().alias("n"))
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


# --- when and where --------------------------------------------------------------------
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def activity_slots(events: pl.DataFrame, *, timezone: str = "UTC") -> pl.DataFrame:
    """``actor, slot`` pairs: hours of the week (0 = Monday 00:00) each account was active in.

    Examples
    --------
    >>> from datetime import datetime, timezone as tz
    >>> ev = pl.DataFrame({"actor": ["a"], "created_at": [datetime(2026, 9, 5, 7, 30, tzinfo=tz.utc)]})
    >>> activity_slots(ev, timezone="Europe/Paris")["slot"].to_list()  # Sat 09:30 in Paris
    [129]
    """
    local = pl.col("created_at").dt.convert_time_zone(timezone)
    return (
        events.filter(pl.col("actor").is_not_null() & pl.col("created_at").is_not_null())
        .select(
            "actor",
            ((local.dt.weekday().cast(pl.Int32) - 1) * 24 + local.dt.hour().cast(pl.Int32)).alias(
                "slot"
            ),
        )
        .unique()
    )


def activity_peaks(
    slots: pl.DataFrame, members: pl.DataFrame, *, audience_size: int, top: int = 3
) -> pl.DataFrame:
    """Each community's busiest hours of the week against the whole audience.

    A slot's ``share_in`` is the share of members active in it; ``share_all`` the share of the
    audience active in it; ``lift`` their ratio. Slots are ranked by ``share_in`` (when most
    members can be reached), ties by lift.

    Returns
    -------
    DataFrame
        ``community, slot, weekday, hour, members, share_in, share_all, lift`` (``top`` rows
        per community, best first).
    """
    sizes = members.group_by("community").agg(pl.len().alias("size"))
    overall = slots.group_by("slot").agg(pl.len().alias("all"))
    return (
        slots.join(members, on="actor", how="inner")
        .group_by(["community", "slot"])
        .agg(pl.len().alias("members"))
        .join(sizes, on="community")
        .join(overall, on="slot")
        .with_columns(
            (pl.col("members") / pl.col("size")).alias("share_in"),
            (pl.col("all") / max(audience_size, 1)).alias("share_all"),
        )
        .with_columns((pl.col("share_in") / pl.col("share_all")).alias("lift"))
        .sort(["community", "members", "lift", "slot"], descending=[False, True, True, False])
        .group_by("community", maintain_order=True)
        .head(top)
        .with_columns(
            (pl.col("slot") // 24).alias("weekday"),
            (pl.col("slot") % 24).alias("hour"),
        )
        .select("community", "slot", "weekday", "hour", "members", "share_in", "share_all", "lift")
    )


def platform_mix(events: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Share of each community's activity per platform, against the audience's.

    Every account weighs the same (its events are spread over its platforms in proportion),
    so a loud account cannot move a community's mix.

    Returns
    -------
    DataFrame
        ``community, platform, share_in, share_all, lift`` sorted by community, share_in desc.

    Examples
    --------
    >>> ev = pl.DataFrame({"actor": ["a", "a", "b", "c"], "platform": ["x", "reddit", "x", "x"]})
    >>> m = pl.DataFrame({"actor": ["a", "b"], "community": [0, 0]})
    >>> platform_mix(ev, m).select("platform", "share_in").rows()
    [('x', 0.75), ('reddit', 0.25)]
    """
    per_actor = (
        events.filter(pl.col("actor").is_not_null())
        .group_by(["actor", "platform"])
        .agg(pl.len().alias("n"))
        .with_columns((pl.col("n") / pl.col("n").sum().over("actor")).alias("w"))
    )
    n_actors = per_actor["actor"].n_unique()
    overall = per_actor.group_by("platform").agg(
        (pl.col("w").sum() / max(n_actors, 1)).alias("share_all")
    )
    return (
        per_actor.join(members, on="actor", how="inner")
        .group_by(["community", "platform"])
        .agg(pl.col("w").sum().alias("w"))
        .with_columns((pl.col("w") / pl.col("w").sum().over("community")).alias("share_in"))
        .join(overall, on="platform")
        .with_columns((pl.col("share_in") / pl.col("share_all")).alias("lift"))
        .sort(["community", "share_in", "platform"], descending=[False, True, False])
        .select("community", "platform", "share_in", "share_all", "lift")
    )


# --- what they say to us ---------------------------------------------------------------
VOICE_KINDS = ("comment", "reply", "dm")
# Negators flip the valence of the next three words (VADER's window and scalar).
NEGATORS = (
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot",
    "can't", "cant", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt",
    "wasn't", "wasnt", "aren't", "arent", "won't", "wont", "wouldn't", "wouldnt", "shouldn't",
    "couldn't", "haven't", "hasn't", "hadn't", "ain't", "aint", "without",
)  # fmt: skip
_NEGATION_SCALAR = -0.74
# A small English fallback lexicon (valence −4…+4, VADER's scale) for when vaderSentiment is
# not installed; the words people use to praise or complain to a brand.
FALLBACK_LEXICON: dict[str, float] = {
    "love": 3.2, "loved": 2.9, "loving": 2.9, "great": 3.1, "good": 1.9, "best": 3.2,
    "amazing": 2.8, "awesome": 3.1, "excellent": 3.2, "perfect": 2.7, "happy": 2.7,
    "thanks": 1.9, "thank": 1.5, "beautiful": 2.9, "nice": 1.8, "favourite": 2.0,
    "favorite": 2.0, "wonderful": 2.7, "fantastic": 2.6, "quality": 1.0, "recommend": 1.5,
    "fun": 2.3, "glad": 2.0, "cool": 1.3, "wow": 2.8, "please": 1.3, "enjoy": 2.2,
    "bad": -2.5, "terrible": -2.1, "awful": -2.0, "worst": -3.1, "hate": -2.7, "broke": -1.8,
    "broken": -2.1, "damaged": -1.9, "disappointed": -1.9, "disappointing": -2.2,
    "poor": -2.1, "angry": -2.3, "sad": -2.1, "problem": -1.7, "issue": -1.0, "refund": -0.5,
    "wrong": -2.1, "late": -0.8, "never": -0.5, "unhappy": -1.8, "useless": -1.8,
    "rude": -2.0, "annoying": -1.7, "fail": -2.3, "failed": -2.3, "scam": -2.4,
    "expensive": -0.9, "lost": -1.3, "leak": -1.0, "leaks": -1.0, "ripped": -1.3,
}  # fmt: skip


def load_lexicon() -> tuple[pl.DataFrame, str]:
    """The English sentiment lexicon (``word, valence``) and its name.

    VADER's lexicon (Hutto & Gilbert 2014, ~7,500 social-media words rated by people) when
    the ``vaderSentiment`` package is installed — only its word list is used — otherwise the
    small built-in :data:`FALLBACK_LEXICON`.
    """
    try:
        from importlib.resources import files

        text = (files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return (
            pl.DataFrame(
                {"word": list(FALLBACK_LEXICON), "valence": list(FALLBACK_LEXICON.values())}
            ),
            "built-in English word list",
        )
    rows = [line.split("\t")[:2] for line in text.splitlines() if "\t" in line]
    lex = pl.DataFrame(rows, schema=["word", "valence"], orient="row").with_columns(
        pl.col("valence").cast(pl.Float64)
    )
    # Words only (the emoticons never survive tokenisation); negators are handled apart.
    lex = lex.filter(
        pl.col("word").str.contains(r"^[a-z][a-z'-]*$") & ~pl.col("word").is_in(NEGATORS)
    )
    return lex.unique(subset="word", keep="first"), "VADER lexicon (vaderSentiment)"


# A question mark, or an opening that asks ("when is", "do you"); "what a day" is not one.
_QUESTION = (
    r"\?|^(?:who|what|when|where|why|how|which)(?:'s|\s+(?:is|are|was|were|do|does|did|can|"
    r"could|will|would|should|about|time|size))\b|^(?:do|does|did|can|could|will|would|should|"
    r"is|are|any)\s+(?:you|we|i|they|it|there|the|this|these|one)\b"
)
_REQUEST = (
    r"\b(?:please|pls|plz|could you|can you|would you|would love|i wish|we wish|wish you|"
    r"i want|we want|i need|we need|need more|bring|open a|open an|launch|restock|make (?:a|an|more|the)|"
    r"add (?:a|an|more|the)|ship to|sell (?:in|more)|hope you|should make|should sell|should open)\b"
)


def score_messages(
    events: pl.DataFrame, lexicon: pl.DataFrame, *, kinds: tuple[str, ...] = VOICE_KINDS
) -> pl.DataFrame:
    """Tone, question and request flags of each comment, reply and DM.

    A simplified VADER (Hutto & Gilbert 2014), vectorised: the valences of a message's words
    are summed, a word within three words after a negator counts ×−0.74, and the sum ``s`` is
    normalised to ``s / √(s² + 15)`` (VADER's compound); ≥ 0.05 is positive, ≤ −0.05
    negative. Hashtags, mentions and links are removed first. English only: a message with
    no lexicon word is neutral (``scored`` false).

    Returns
    -------
    DataFrame
        ``event_id, actor, kind, platform, text, created_at, compound, scored, question,
        request``.

    Examples
    --------
    >>> lex = pl.DataFrame({"word": ["happy", "great"], "valence": [2.7, 3.1]})
    >>> ev = pl.DataFrame({"event_id": ["1", "2", "3"], "actor": ["a", "b", "c"],
    ...     "kind": ["dm"] * 3, "platform": ["x"] * 3, "created_at": [None] * 3,
    ...     "text": ["Not happy with it", "great tent!", "can you ship to Lyon?"]})
    >>> score_messages(ev, lex).select("compound", "question", "request").rows()
    [(-0.458, False, False), (0.625, False, False), (0.0, True, True)]
    """
    msgs = (
        events.filter(
            pl.col("kind").is_in(list(kinds))
            & pl.col("text").is_not_null()
            & pl.col("actor").is_not_null()
        )
        .select("event_id", "actor", "kind", "platform", "text", "created_at")
        .with_row_index("_m")
    )
    clean = (
        pl.col("text")
        .str.to_lowercase()
        .str.replace_all("’", "'")
        .str.replace_all(r"https?://\S+", " ")
        .str.replace_all(r"[#@][\p{L}\p{N}_.]+", " ")
    )
    tokens = (
        msgs.select("_m", clean.str.extract_all(r"[\p{L}][\p{L}'-]*").alias("w"))
        .explode("w")
        .filter(pl.col("w").is_not_null())
    )
    neg = pl.col("w").is_in(list(NEGATORS))
    negated = pl.lit(False)
    for lag in (1, 2, 3):  # VADER looks three words back
        negated = negated | (
            neg.shift(lag).fill_null(False) & (pl.col("_m").shift(lag) == pl.col("_m"))
        ).fill_null(False)
    valued = (
        tokens.with_columns(negated.alias("negated"))
        .join(lexicon, left_on="w", right_on="word", how="inner")
        .with_columns(
            pl.when(pl.col("negated"))
            .then(pl.col("valence") * _NEGATION_SCALAR)
            .otherwise(pl.col("valence"))
            .alias("v")
        )
        .group_by("_m")
        .agg(pl.col("v").sum().alias("s"))
    )
    low = pl.col("text").str.to_lowercase().str.strip_chars()
    return (
        msgs.join(valued, on="_m", how="left")
        .with_columns(
            (pl.col("s").fill_null(0.0) / (pl.col("s").fill_null(0.0) ** 2 + 15).sqrt())
            .round(3)
            .alias("compound"),
            pl.col("s").is_not_null().alias("scored"),
            low.str.contains(_QUESTION).alias("question"),
            low.str.contains(_REQUEST).alias("request"),
        )
        .sort("_m")
        .drop("_m", "s")
    )


def voice_summary(messages: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Per community: messages, positive / negative / unscored shares, questions, requests.

    Examples
    --------
    >>> msgs = pl.DataFrame({"actor": ["a", "a", "b"], "compound": [0.6, -0.4, 0.0],
    ...     "scored": [True, True, False], "question": [False, False, True],
    ...     "request": [False, False, True]})
    >>> voice_summary(msgs, pl.DataFrame({"actor": ["a", "b"], "community": [0, 0]})).row(0)
    (0, 3, 2, 0.3333, 0.3333, 0.3333, 1, 1)
    """
    return (
        messages.join(members, on="actor", how="inner")
        .group_by("community")
        .agg(
            pl.len().alias("messages"),
            pl.col("actor").n_unique().alias("authors"),
            (pl.col("compound") >= 0.05).mean().round(4).alias("positive"),
            (pl.col("compound") <= -0.05).mean().round(4).alias("negative"),
            (~pl.col("scored")).mean().round(4).alias("unscored"),
            pl.col("question").sum().alias("questions"),
            pl.col("request").sum().alias("requests"),
        )
        .sort("community")
    )


def voice_examples(messages: pl.DataFrame, members: pl.DataFrame, *, per: int = 3) -> pl.DataFrame:
    """A few example messages per community and category (request, question, complaint, praise).

    A message goes in its first matching category in that order. Texts sent by the most
    members come first (what many say), then the most recent; each text appears once.

    Returns
    -------
    DataFrame
        ``community, category, text, kind, platform, senders``.
    """
    cat = (
        pl.when(pl.col("request"))
        .then(pl.lit("request"))
        .when(pl.col("question"))
        .then(pl.lit("question"))
        # Examples must be clear-cut: |compound| ≥ 0.3, not the 0.05 used to count tone.
        .when(pl.col("compound") <= -0.3)
        .then(pl.lit("complaint"))
        .when(pl.col("compound") >= 0.3)
        .then(pl.lit("praise"))
    )
    order = {"request": 0, "question": 1, "complaint": 2, "praise": 3}
    return (
        messages.join(members, on="actor", how="inner")
        .with_columns(cat.alias("category"), pl.col("text").str.strip_chars())
        .filter(pl.col("category").is_not_null())
        .group_by(["community", "category", "text"])
        .agg(
            pl.col("actor").n_unique().alias("senders"),
            pl.col("created_at").max().alias("last"),
            pl.col("kind").first(),
            pl.col("platform").first(),
        )
        .with_columns(pl.col("category").replace_strict(order, return_dtype=pl.Int8).alias("_o"))
        .sort(
            ["community", "_o", "senders", "last", "text"],
            descending=[False, False, True, True, False],
            nulls_last=True,
        )
        .group_by(["community", "category"], maintain_order=True)
        .head(per)
        .select("community", "category", "text", "kind", "platform", "senders")
    )


# --- what they answered ----------------------------------------------------------------
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


# --- polls they took part in --------------------------------------------------------------
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
    info = polls.group_by("poll_id", maintain_order=True).agg(
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


# --- how sure we are -------------------------------------------------------------------
def hierarchy(communities: pl.DataFrame) -> pl.DataFrame:
    """``community, macro, levels``: the top-level (macro) community each micro one nests in.

    Louvain's levels nest exactly, so every member of a micro community shares one macro
    community; the most common one is taken to stay robust to other methods.
    """
    top = communities["level"].max()
    micro = communities.filter(pl.col("level") == 0).select("actor", "community")
    macro = communities.filter(pl.col("level") == top).select(
        "actor", pl.col("community").alias("macro")
    )
    return (
        micro.join(macro, on="actor", how="inner")
        .group_by(["community", "macro"])
        .agg(pl.len().alias("n"))
        .sort(["community", "n", "macro"], descending=[False, True, False])
        .group_by("community", maintain_order=True)
        .first()
        .select("community", "macro")
    )
