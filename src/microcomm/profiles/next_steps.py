"""Next steps for one community, derived from its profile, each saying which data it rests on.

Input: one community entry of the report data (the JSON contract, after its sections are
assembled); output: a short list of steps, in the order a marketer acts on them:

1. **partner** — brands and accounts it names far more than the audience (distinctive
   @-mentions that are neither the brand, its members, nor an influencer listed to contact);
2. **content** — pillars: its most distinctive hashtags and keywords;
3. **product** — what it asks for: requests in its messages (public ones quoted, DMs only
   counted) and the survey answers it gives far more than the audience;
4. **contact** — people to work with: organic influencers, UGC creators, advocates;
5. **where_when** — where and when to post: its main platform, its peak hour, and a platform
   where it is active but the brand writes little or nothing.

A step is left out when the data behind it is missing; nothing is invented.
"""

from __future__ import annotations

from typing import Any

Step = dict[str, str]


def _handles(rows: list[dict[str, Any]] | None, n: int = 3) -> list[str]:
    return [f"@{r['actor']}" for r in (rows or [])[:n]]


def _partner(c: dict[str, Any], brand: set[str]) -> Step | None:
    people = {m["actor"] for m in c.get("members", [])} | {
        a["actor"] for a in c.get("creators", [])
    }
    people |= {a["actor"] for a in c.get("influencers", [])} | brand
    rows = [
        i for i in c.get("interests_by_type", {}).get("mention", []) if i["value"] not in people
    ]
    if not rows:
        return None
    names = ", ".join(f"@{i['value']} ({i['share_in']:.0%} of members)" for i in rows[:3])
    return {
        "step": "partner",
        "text": f"Partner brands and accounts to approach: {names}.",
        "based_on": "distinctive @-mentions (log-odds against the audience)",
    }


def _content(c: dict[str, Any]) -> Step | None:
    by_type = c.get("interests_by_type", {})
    tags = [f"#{i['value']}" for i in by_type.get("hashtag", [])[:3]]
    words = [i["value"] for i in by_type.get("keyword", [])[:3]]
    if not tags and not words:
        return None
    return {
        "step": "content",
        "text": "Content pillars: " + ", ".join(tags + words) + ".",
        "based_on": "distinctive hashtags and keywords",
    }


def _product(c: dict[str, Any]) -> Step | None:
    v = c.get("voice") or {}
    parts = []
    public = [e for e in v.get("examples", []) if e["category"] == "request" and e["kind"] != "dm"]
    if v.get("requests"):
        quoted = "; ".join(f"“{e['text']}”" for e in public[:2])
        parts.append(
            f"{v['requests']} request{'' if v['requests'] == 1 else 's'} in their messages"
            + (f", e.g. {quoted}" if quoted else "")
        )
    answers = [
        a["answer"] for q in c.get("answers", []) for a in q["answers"] if a.get("distinctive")
    ]
    if answers:
        parts.append(
            "they answer "
            + ", ".join(f"“{a}”" for a in answers[:3])
            + " far more than the audience"
        )
    if not parts:
        return None
    return {
        "step": "product",
        "text": "Product asks: " + "; ".join(parts) + ".",
        "based_on": "requests in comments, replies and DMs (DMs counted, never quoted); distinctive survey answers",
    }


def _contact(c: dict[str, Any]) -> Step | None:
    groups = [
        ("organic influencers", _handles(c.get("influencers"))),
        ("UGC creators", _handles(c.get("ugc_creators"))),
        ("advocates", _handles(c.get("advocates"))),
    ]
    parts = [f"{name} {', '.join(h)}" for name, h in groups if h]
    if not parts:
        return None
    return {
        "step": "contact",
        "text": "People to contact: " + "; ".join(parts) + ".",
        "based_on": "follower counts and unpaid brand mentions; brand posts that drew engagement; repeated praise",
    }


def _where_when(c: dict[str, Any]) -> Step | None:
    plats = c.get("platforms") or []
    peak = (c.get("activity") or {}).get("peak")
    gaps = c.get("brand_gaps") or []
    if not plats and not peak:
        return None
    parts = []
    if plats:
        parts.append(f"on {plats[0]['platform']} ({plats[0]['share_in']:.0%} of its activity)")
    if peak:
        parts.append(f"around {peak['label']} ({(c.get('activity') or {}).get('timezone', 'UTC')})")
    text = "Post " + " ".join(parts) + "."
    if gaps:
        g = gaps[0]
        text += (
            f" The brand writes {'nothing' if not g['brand_posts'] else 'little'} on {g['platform']}, "
            f"where {g['share_in']:.0%} of this community's activity is."
        )
    return {
        "step": "where_when",
        "text": text,
        "based_on": "platform mix, busiest hour of the week, the brand's own posts per platform",
    }


def next_steps(community: dict[str, Any], *, brand: tuple[str, ...] = ()) -> list[Step]:
    """The next steps of one community entry (``step, text, based_on`` each).

    Examples
    --------
    >>> c = {"interests_by_type": {"hashtag": [{"value": "vanlife"}], "mention": [
    ...     {"value": "solarco", "share_in": 0.4}]}, "platforms": [{"platform": "reddit", "share_in": 0.6}]}
    >>> [s["step"] for s in next_steps(c)]
    ['partner', 'content', 'where_when']
    """
    steps = [
        _partner(community, set(brand)),
        _content(community),
        _product(community),
        _contact(community),
        _where_when(community),
    ]
    return [s for s in steps if s is not None]
