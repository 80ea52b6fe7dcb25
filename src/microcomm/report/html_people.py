"""Report stage, HTML: the audience-wide people and platform sections (issue 11) — who the
brand is, the reach bar, the organic influencers and paid partners (kept apart), each
platform's interests, places, peak and tone, and where the brand is absent. Built from the
report data alone; every string escaped (:func:`html.escape` after dropping control characters).
"""

from __future__ import annotations

from html import escape
from typing import Any

from microcomm.textsafe import plain

_PREFIX = {"hashtag": "#", "mention": "@"}


def _t(text: Any) -> str:
    return escape(plain(text), quote=True)


def _brand(report: dict[str, Any]) -> str:
    b = report.get("brand_accounts") or {}
    names = [f"@{h}" for h in b.get("handles", [])] + [f"#{t}" for t in b.get("tags", [])]
    if not names:
        return (
            "No brand account given or found (set <b>report.brand</b>): brand mentions "
            "are not counted."
        )
    how = (
        "given"
        if b.get("how") == "given"
        else f"found automatically: the account the most accounts engage with "
        f"({b.get('engagers', 0):,}); set <b>report.brand</b> if that is wrong"
    )
    return f"Brand: <b>{_t(', '.join(names))}</b> ({how})."


def _influencer_table(title: str, rows: list[dict[str, Any]]) -> str:
    body = "".join(
        f"<tr><td>@{_t(r['actor'])}{' ✓' if r['verified'] else ''}</td>"
        f'<td class="n">{r["followers"]:,}</td>'
        f'<td class="n">{r["organic_mentions"]} ({r["paid_mentions"]})</td>'
        f'<td class="n">{r["engagers"]:,}</td>'
        f"<td>{_t(', '.join(r['niche'][:4]) or '–')}</td>"
        f"<td>{'–' if r['community'] is None else r['community']}</td></tr>"
        for r in rows
    )
    return (
        f"<h3>{_t(title)}</h3><table><thead><tr><th>account</th><th>followers</th>"
        "<th>brand mentions (paid)</th><th>engaged by</th><th>niche</th><th>community</th>"
        f"</tr></thead><tbody>{body}</tbody></table>"
    )


def audience_people_html(report: dict[str, Any]) -> str:
    """The brand, the influencer lists and the platform comparison, as one page section."""
    out = [f'<section id="people"><h2>People to work with</h2><p>{_brand(report)}</p>']
    inf = report.get("influencers") or {}
    if inf.get("bar") is None:
        out.append(
            "<p>No follower counts in these exports, so reach is unknown: no influencer list.</p>"
        )
    else:
        out.append(
            f"<p>Large reach = at least <b>{inf['bar']:,} followers</b> (the top "
            f"{1 - inf['percentile']:.0%} of the {inf['known']:,} accounts whose counts the "
            f"exports carry). {inf['brand_mentions']:,} messages name the brand; "
            f"{inf['paid_mentions']:,} carry a paid marker (#ad, #sponsored, paid partnership…) "
            "and are counted apart.</p>"
        )
        if inf.get("organic"):
            out.append(_influencer_table("Organic influencers", inf["organic"]))
        if inf.get("paid"):
            out.append(_influencer_table("Paid partners (labelled, not organic)", inf["paid"]))
    out.append(_platforms(report.get("platforms") or {}))
    out.append("</section>")
    return "".join(out)


def _platforms(p: dict[str, Any]) -> str:
    if not p.get("compare"):
        return ""
    rows = []
    for r in p["compare"]:
        ints = ", ".join(_PREFIX.get(i["type"], "") + i["value"] for i in r["interests"][:4])
        places = ", ".join(x["value"] for x in r["places"][:3])
        tone = r["tone"]
        tone_s = f"{tone['positive']:.0%} / {tone['negative']:.0%}" if tone else "–"
        rows.append(
            f"<tr><td>{_t(r['platform'])}</td><td class=\"n\">{r['accounts']:,} "
            f"({r['share']:.0%})</td><td class=\"n\">{r['brand_posts']:,}</td>"
            f"<td>{_t(ints) or '–'}</td><td>{_t(places) or '–'}</td>"
            f"<td>{_t(r['peaks'][0]['label']) if r['peaks'] else '–'}</td>"
            f"<td>{tone_s}</td></tr>"
        )
    out = (
        "<h3>Platform differences</h3><table><thead><tr><th>platform</th><th>accounts</th>"
        "<th>brand posts</th><th>distinctive interests</th><th>places</th>"
        f"<th>peak ({_t(p['timezone'])})</th><th>tone +/−</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    if p.get("brand_absent"):
        items = "".join(
            f'<li><a href="#c{a["community"]}">{a["community"]}. {_t(a["label"])}</a>: '
            f"{a['share_in']:.0%} of its activity on {_t(a['platform'])} (audience "
            f"{a['share_all']:.0%}); the brand wrote {a['brand_posts']} posts there.</li>"
            for a in p["brand_absent"][:10]
        )
        out += (
            "<p><b>Where the brand is absent</b>: communities most active on platforms where "
            f"the brand's own accounts write little or nothing:</p><ul>{items}</ul>"
        )
    return out
