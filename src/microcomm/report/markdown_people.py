"""Markdown for the people and platform parts of the report (issue 11), from the report data.

:func:`audience_markdown` — the brand, influencers across the audience, platform differences;
:func:`community_people_markdown` — one community's people to work with and next steps;
:func:`community_people_brief` — the same in two items, for the default (brief) report.
User text (handles, interests, places, quoted requests) is escaped for Markdown tables.
"""

from __future__ import annotations

from typing import Any

from microcomm.report.bullets import bullet, item
from microcomm.textsafe import md, md_code


def _md(text: object) -> str:
    return md(text)


def _h(actor: str) -> str:
    """A handle as an inline code span, safe whatever it holds."""
    return md_code("@" + actor)


def _followers(n: int | None) -> str:
    return "followers unknown" if n is None else f"{n:,} followers"


def _brand_line(report: dict[str, Any]) -> str:
    b = report.get("brand_accounts") or {}
    names = [f"@{h}" for h in b.get("handles", [])] + [f"#{t}" for t in b.get("tags", [])]
    if not names:
        return (
            "No brand account given or found (set `report.brand`): brand mentions are not counted."
        )
    how = {
        "given": "given",
        "auto": f"found automatically: the account the most accounts engage with ({b.get('engagers', 0):,}); "
        "set `report.brand` if that is wrong",
    }.get(b.get("how", ""), "")
    return f"Brand: {', '.join(md_code(n) for n in names)} ({how})."


def audience_markdown(report: dict[str, Any]) -> list[str]:
    """The brand, the organic influencers and paid partners, and platform differences."""
    lines = ["", "## People to work with", "", _brand_line(report)]
    inf = report.get("influencers") or {}
    if inf.get("bar") is None:
        lines += [
            "",
            "No follower counts in these exports, so reach is unknown: no influencer list.",
        ]
    else:
        lines += [
            "",
            f"Large reach = at least **{inf['bar']:,} followers** (the top {1 - inf['percentile']:.0%} of "
            f"the {inf['known']:,} accounts whose counts the exports carry). {inf['brand_mentions']:,} "
            f"messages name the brand; {inf['paid_mentions']:,} carry a paid marker (#ad, #sponsored, "
            "paid partnership…) and are counted apart.",
        ]
        for title, rows in (
            ("Organic influencers", inf.get("organic")),
            ("Paid partners (labelled, not organic)", inf.get("paid")),
        ):
            if not rows:
                continue
            lines += [
                "",
                f"**{title}**",
                "",
                "| account | followers | brand mentions (paid) | engaged by | niche |",
                "|---|---:|---:|---:|---|",
            ]
            for r in rows:
                mark = " ✓" if r["verified"] else ""
                lines.append(
                    f"| {_h(r['actor'])}{mark} | {r['followers']:,} | {r['organic_mentions']} "
                    f"({r['paid_mentions']}) | {r['engagers']:,} | {_md(', '.join(r['niche'][:4]) or '–')} |"
                )
    return lines + _platforms(report.get("platforms") or {})


def _platforms(p: dict[str, Any]) -> list[str]:
    if not p.get("compare"):
        return []
    lines = [
        "",
        "## Platform differences",
        "",
        f"| platform | accounts | brand posts | distinctive interests | places | peak ({p['timezone']}) | tone +/− |",
        "|---|---:|---:|---|---|---|---|",
    ]
    for r in p["compare"]:
        ints = ", ".join(
            ("#" if i["type"] == "hashtag" else "@" if i["type"] == "mention" else "") + i["value"]
            for i in r["interests"][:4]
        )
        places = ", ".join(x["value"] for x in r["places"][:3])
        peak = r["peaks"][0]["label"] if r["peaks"] else "–"
        tone = r["tone"]
        tone_s = f"{tone['positive']:.0%} / {tone['negative']:.0%}" if tone else "–"
        lines.append(
            f"| {r['platform']} | {r['accounts']:,} ({r['share']:.0%}) | {r['brand_posts']:,} | "
            f"{_md(ints) or '–'} | {_md(places) or '–'} | {peak} | {tone_s} |"
        )
    if p.get("brand_absent"):
        lines += [
            "",
            "**Where the brand is absent**: communities most active on platforms where the "
            "brand's own accounts write little or nothing:",
            "",
        ]
        for a in p["brand_absent"][:10]:
            lines.append(
                f"- {a['community']}. {_md(a['label'])}: {a['share_in']:.0%} of its activity on "
                f"{a['platform']} (audience {a['share_all']:.0%}); the brand wrote {a['brand_posts']} posts there."
            )
    return lines


def community_people_markdown(c: dict[str, Any]) -> list[str]:
    """One community's people to work with (with evidence) and its next steps."""
    who = [
        *bullet(
            "Organic influencers",
            (
                f"{_h(i['actor'])} ({_followers(i['followers'])}, {i['organic_mentions']} brand "
                f"mentions, {i['members']} members"
                f"{'; niche ' + _md(', '.join(i['niche'][:3])) if i['niche'] else ''})"
                for i in c.get("influencers") or []
            ),
            note="large reach, name the brand unpaid; members engaging",
        ),
        *bullet(
            "Paid partners",
            (
                f"{_h(i['actor'])} ({_followers(i['followers'])}, {i['paid_mentions']} paid posts, "
                f"{i['members']} members)"
                for i in c.get("paid_partners") or []
            ),
            note="every brand mention marked paid",
        ),
        *bullet(
            "UGC creators",
            (
                f"{_h(u['actor'])} ({u['posts']} posts, {u['engagers']} engaging; "
                f"top post {md_code(u['top_post'])})"
                for u in c.get("ugc_creators") or []
            ),
            note="their brand posts draw engagement",
        ),
        *bullet(
            "Advocates",
            (
                f"{_h(a['actor'])} ({a['praise']} praising messages"
                + (f", e.g. {md_code(a['example'])}" if a["example"] else ", by DM")
                + ")"
                for a in c.get("advocates") or []
            ),
            note="repeated praise of the brand",
        ),
    ]
    lines = ["", "### People to work with", "", *who] if who else []
    if c.get("next_steps"):
        lines += ["", "### Next steps", ""]
        lines += [
            f"{i}. {_md(s['text'])} *(from: {s['based_on']})*"
            for i, s in enumerate(c["next_steps"], 1)
        ]
    return lines


def community_people_brief(c: dict[str, Any], n: int = 3) -> list[str]:
    """One community's people to work with and next steps as two list items (the brief report:
    ``microcomm report`` without ``--full``); the counts that back each name stay with it."""
    groups = [
        (
            "organic influencers",
            [
                f"{_h(i['actor'])} ({_followers(i['followers'])}, {i['members']} members engage)"
                for i in (c.get("influencers") or [])[:n]
            ],
        ),
        (
            "paid partners (labelled paid)",
            [_h(i["actor"]) for i in (c.get("paid_partners") or [])[:n]],
        ),
        (
            "UGC creators",
            [
                f"{_h(u['actor'])} ({u['posts']} posts, {u['engagers']} engaging)"
                for u in (c.get("ugc_creators") or [])[:n]
            ],
        ),
        (
            "advocates",
            [f"{_h(a['actor'])} ({a['praise']} praising)" for a in (c.get("advocates") or [])[:n]],
        ),
    ]
    steps = [s for s in c.get("next_steps") or [] if s["step"] != "contact"]  # said above
    items = [item("People to work with", (f"{k} {', '.join(r)}" for k, r in groups if r), sep="; ")]
    if steps:  # one sub-item per step
        items.append("**Next steps**:" + "".join(f"\n  - {_md(s['text'])}" for s in steps))
    return [i for i in items if i]
