"""People to work with and where to meet them: the report's people and platform sections.

Two profile sections (listed in :data:`~microcomm.report.sections.PROFILE_SECTIONS`):

- :func:`people_section` — per community: organic influencers (with their niche), paid
  partners, UGC creators; audience-wide: the brand, the reach bar and the influencer list;
- :func:`platforms_section` — per community: the platforms where it is active and the brand
  writes little or nothing; audience-wide: each platform's interests, places, peak hours.

Advocates come from the voice section (they need its scored messages). The shapers below turn
the rows into the JSON contract: :func:`people_entry` (per community),
:func:`audience_people` (``brand_accounts``, ``influencers``) and :func:`platform_overview`
(``platforms``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from microcomm.profiles.activity import WEEKDAYS
from microcomm.profiles.interests import TYPE_PREFIX, entity_features, location_features
from microcomm.profiles.people import (
    brand_posts,
    community_reach,
    engagers_of,
    influencers,
    niches,
    reach,
    ugc_creators,
)
from microcomm.profiles.platforms import (
    actor_platforms,
    brand_absent,
    brand_presence,
    main_platform,
    platform_interests,
    platform_peaks,
    platform_slots,
)

if TYPE_CHECKING:
    from microcomm.config import ReportConfig
    from microcomm.report.inputs import ReportInputs
    from microcomm.report.sections import Scope, Section


def _r(x: Any, nd: int = 4) -> float | None:
    return None if x is None else round(float(x), nd)


def _head(rows: pl.DataFrame, top: int) -> pl.DataFrame:
    """The first ``top`` rows of each community (rows sorted by community, best first)."""
    return rows.group_by("community", maintain_order=True).head(top)


def people_section(inputs: ReportInputs, scope: Scope, config: ReportConfig) -> Section:
    """6. People to work with: organic influencers, paid partners, UGC creators."""
    from microcomm.report.sections import Section

    events, top = inputs.events, config.top
    mentions = brand_posts(events, scope.brand)
    followers, bar, n_known = reach(
        inputs.accounts, events["actor"], percentile=config.reach_percentile
    )
    big = mentions.join(followers, on="actor").filter(pl.col("followers") >= (bar or 0))
    handles = sorted(big["actor"].unique().to_list()) if bar is not None else []
    eng = engagers_of(events, inputs.entities, handles)
    found = influencers(mentions, followers, bar, eng)
    niche = niches(
        entity_features(inputs.entities),
        eng,
        prior=config.prior,
        min_members=config.min_members,
        audience_size=scope.n_accounts,
        min_score=config.min_score,
    )
    labels = niche.group_by("actor", maintain_order=True).agg(
        pl.concat_str(
            [pl.col("type").replace_strict(TYPE_PREFIX, default=""), pl.col("value")]
        ).alias("niche")
    )
    found = found.join(labels, on="actor", how="left", maintain_order="left")
    per = community_reach(found, eng, scope.members, min_members=config.min_members)
    ugc = ugc_creators(
        mentions, events, scope.members, scope.brand, min_engagers=config.min_members
    )
    return Section(
        {
            "influencers": _head(per.filter(pl.col("kind") == "organic"), top),
            "paid_partners": _head(per.filter(pl.col("kind") == "paid"), top),
            "ugc": _head(ugc, top),
        },
        {
            "brand": scope.brand,
            "reach": {
                "percentile": config.reach_percentile,
                "bar": bar,
                "known": n_known,
                "brand_mentions": mentions.height,
                "paid_mentions": int(mentions["paid"].sum()),
            },
            "influencer_list": found,
        },
    )


def platforms_section(inputs: ReportInputs, scope: Scope, config: ReportConfig) -> Section:
    """7. Platform differences: each platform's interests, places, peak hours; the brand's
    own posts per platform (the communities where it is absent are found from the
    communities' platform mix, in :func:`brand_gaps`)."""
    from microcomm.report.sections import Section

    events = inputs.events
    slots = platform_slots(events, timezone=config.timezone)
    per = actor_platforms(slots)
    main = main_platform(per)
    ranked: dict[str, Any] = {
        "prior": config.prior,
        "min_members": config.min_members,
        "min_score": config.min_score,
        "audience_size": scope.n_accounts,
        "top": config.top,
    }
    # Hashtags and @-mentions: the content and partners a platform's audience is about
    # (keywords depend on each platform's language and length limits, and cost the most).
    tags = entity_features(inputs.entities, types=("hashtag", "mention"))
    return Section(
        {},
        {
            "platform_presence": brand_presence(events, scope.brand, per),
            "platform_interests": platform_interests(tags, main, **ranked),
            "platform_places": platform_interests(location_features(events), main, **ranked),
            "platform_peaks": platform_peaks(slots, audience_size=scope.n_accounts, per=per),
        },
    )


def brand_gaps(tables: dict[str, pl.DataFrame], facts: dict[str, Any]) -> pl.DataFrame:
    """The communities shown most active where the brand writes little or nothing, from their
    platform mix (the ``platforms`` table of the when-and-where section)."""
    return brand_absent(tables["platforms"], facts["platform_presence"])


def _person(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "actor": r["actor"],
        "followers": r["followers"],
        "verified": bool(r["verified"]),
        "members": int(r["members"]),
        "share_in": _r(r["share_in"]),
        "organic_mentions": int(r["organic"]),
        "paid_mentions": int(r["paid"]),
        "example": r["example"],
        "niche": list(r.get("niche") or []),
    }


def people_entry(cid: int, g: dict[str, Any]) -> dict[str, Any]:
    """A community's people keys: influencers, paid partners, UGC creators, advocates, gaps."""
    return {
        "influencers": [_person(r) for r in g["influencers"].get(cid, [])],
        "paid_partners": [_person(r) for r in g["paid_partners"].get(cid, [])],
        "ugc_creators": [
            {k: r[k] for k in ("actor", "posts", "engagers", "top_post", "top_engagers")}
            for r in g["ugc"].get(cid, [])
        ],
        "advocates": [
            {k: r[k] for k in ("actor", "praise", "complaints", "messages", "dms", "example")}
            for r in g["advocates"].get(cid, [])
        ],
        "brand_gaps": [
            {
                "platform": r["platform"],
                "share_in": _r(r["share_in"]),
                "share_all": _r(r["share_all"]),
                "lift": _r(r["lift"], 2),
                "brand_posts": int(r["brand_posts"]),
            }
            for r in g["brand_gaps"].get(cid, [])
        ],
    }


def audience_people(facts: dict[str, Any], out: list[dict[str, Any]], top: int) -> dict[str, Any]:
    """``brand_accounts`` and ``influencers``: who the brand is, the reach bar, the influencer lists."""
    found: pl.DataFrame = facts["influencer_list"]
    home: dict[str, tuple[int, int]] = {}
    for c in out:  # the community that engages most with each influencer
        for r in c["influencers"] + c["paid_partners"]:
            if r["members"] > home.get(r["actor"], (-1, 0))[1]:
                home[r["actor"]] = (c["id"], r["members"])

    def rows(kind: str) -> list[dict[str, Any]]:
        return [
            {
                "actor": r["actor"],
                "followers": r["followers"],
                "verified": bool(r["verified"]),
                "engagers": int(r["engagers"]),
                "organic_mentions": int(r["organic"]),
                "paid_mentions": int(r["paid"]),
                "example": r["example"],
                "niche": list(r.get("niche") or []),
                "community": home.get(r["actor"], (None, 0))[0],
            }
            for r in found.filter(pl.col("kind") == kind).head(top).to_dicts()
        ]

    return {
        "brand_accounts": facts["brand"].to_dict(),
        "influencers": {**facts["reach"], "organic": rows("organic"), "paid": rows("paid")},
    }


def platform_overview(facts: dict[str, Any], out: list[dict[str, Any]], tz: str) -> dict[str, Any]:
    """``platforms``: per platform its accounts, brand posts, interests, places, peaks, tone;
    and the communities shown that are most active where the brand is absent."""

    def grouped(name: str) -> dict[str, list[dict[str, Any]]]:
        res: dict[str, list[dict[str, Any]]] = {}
        for r in facts[name].to_dicts():
            res.setdefault(r.pop("platform"), []).append(r)
        return res

    ints, places, peaks = (
        grouped(n) for n in ("platform_interests", "platform_places", "platform_peaks")
    )
    tone = {r["platform"]: r for r in facts["tone_by_platform"].to_dicts()}
    compare = []
    for p in facts["platform_presence"].to_dicts():
        name, t = p["platform"], tone.get(p["platform"])
        compare.append(
            {
                "platform": name,
                "accounts": int(p["accounts"]),
                "share": _r(p["share"]),
                "brand_posts": int(p["brand_posts"]),
                "interests": [
                    {
                        "type": i["type"],
                        "value": i["value"],
                        "members": int(i["members"]),
                        "share_in": _r(i["share_in"]),
                        "score": _r(i["score"], 3),
                    }
                    for i in ints.get(name, [])
                ],
                "places": [
                    {"value": i["value"], "members": int(i["members"])}
                    for i in places.get(name, [])
                ],
                "peaks": [
                    {
                        "label": f"{WEEKDAYS[s['weekday']]} {s['hour']:02d}:00",
                        "share_in": _r(s["share_in"]),
                        "lift": _r(s["lift"], 2),
                    }
                    for s in peaks.get(name, [])
                ],
                "tone": None
                if t is None
                else {
                    "messages": int(t["messages"]),
                    "positive": _r(t["positive"]),
                    "negative": _r(t["negative"]),
                    "unscored": _r(t["unscored"]),
                },
            }
        )
    absent = [
        {"community": c["id"], "label": c["label"], **g} for c in out for g in c["brand_gaps"][:1]
    ]
    absent.sort(key=lambda a: (-(a["share_in"] or 0), a["community"]))
    return {"timezone": tz, "compare": compare, "brand_absent": absent}
