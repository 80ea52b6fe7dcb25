"""One account's people roles, for ``microcomm explain ACTOR``: organic influencer, paid partner,
UGC creator, advocate — each as a sentence with its evidence (counts and a public event id,
never a quoted DM). The same rules as the report's lists (:mod:`microcomm.profiles.people`).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from microcomm.brand import Brand
from microcomm.profiles.advocates import advocates
from microcomm.profiles.people import (
    brand_posts,
    engagers_of,
    reach,
    ugc_creators,
)


def short_count(n: int) -> str:
    """48 k, 1.2 M, 950: a follower count as a person says it.

    >>> short_count(48_210), short_count(1_250_000), short_count(950)
    ('48 k', '1.2 M', '950')
    """
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} M"
    if n >= 10_000:
        return f"{n / 1000:.0f} k"
    return f"{n:,}"


def describe_person(
    actor: str,
    *,
    events: pl.DataFrame,
    entities: pl.DataFrame,
    accounts: pl.DataFrame,
    members: pl.DataFrame,
    brand: Brand,
    percentile: float = 0.99,
    messages: pl.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """The roles ``actor`` holds, each ``{role, text, evidence}``; empty when none.

    Parameters
    ----------
    members
        ``actor, community`` at the micro level (engagement is counted from members).
    messages
        Scored messages (:func:`microcomm.profiles.voice.score_messages`) of ``actor``, for
        the advocate role; scored here from ``events`` when not given.
    """
    out: list[dict[str, Any]] = []
    if not brand:
        return out
    mine = events.filter(pl.col("actor") == actor)
    mentions = brand_posts(mine, brand)
    reach_role = _reach_role(actor, mentions, events, entities, accounts, members, percentile)
    if reach_role is not None:
        out.append(reach_role)
    home = members.filter(pl.col("actor") == actor)
    if home.height:
        ugc = ugc_creators(mentions, events, home, brand)
        if ugc.height:
            u = ugc.row(0, named=True)
            out.append(
                {
                    "role": "ugc_creator",
                    "text": f"a UGC creator: {u['posts']} posts featuring the brand drew "
                    f"{u['engagers']} accounts (top post {u['top_post']}, {u['top_engagers']})",
                    "evidence": u["top_post"],
                }
            )
        if messages is None:
            from microcomm.profiles.voice import load_lexicon, score_messages

            messages = score_messages(mine, load_lexicon()[0])
        adv = advocates(messages, home, brand, events)
        if adv.height:
            a = adv.row(0, named=True)
            dm = f", {a['dms']} of them by DM (never quoted)" if a["dms"] else ""
            out.append(
                {
                    "role": "advocate",
                    "text": f"an advocate: {a['praise']} praising messages about the brand "
                    f"out of {a['messages']}{dm}",
                    "evidence": a["example"],
                }
            )
    return out


def _reach_role(
    actor: str,
    mentions: pl.DataFrame,
    events: pl.DataFrame,
    entities: pl.DataFrame,
    accounts: pl.DataFrame,
    members: pl.DataFrame,
    percentile: float,
) -> dict[str, Any] | None:
    """The organic influencer or paid partner role, when ``actor`` has large reach."""
    followers, bar, _ = reach(accounts, events["actor"], percentile=percentile)
    row = followers.filter(pl.col("actor") == actor)
    n_followers = int(row["followers"][0]) if row.height else None
    if bar is None or n_followers is None or n_followers < bar or not mentions.height:
        return None
    organic = int((~mentions["paid"]).sum())
    paid = int(mentions["paid"].sum())
    engaged = engagers_of(events, entities, [actor]).join(members, on="actor", how="semi").height
    example = mentions.sort(["paid", "event_id"])["event_id"][0]
    if organic:
        text = (
            f"an organic influencer: {short_count(n_followers)} followers, mentioned the brand "
            f"{organic} times without a paid marker, engaged by {engaged} members"
        )
        if paid:
            text += f" ({paid} more mentions carried a paid marker and are counted apart)"
        return {"role": "organic_influencer", "text": text, "evidence": example}
    text = (
        f"a paid partner: {short_count(n_followers)} followers, all {paid} brand mentions carry a "
        f"paid marker (#ad, #sponsored, paid partnership…), engaged by {engaged} members"
    )
    return {"role": "paid_partner", "text": text, "evidence": example}
