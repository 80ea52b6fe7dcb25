"""Report stage, HTML: one self-contained page built from the report data (the JSON contract).

Input: the report dict; output: an HTML document that opens offline (no script, no network, no
external file): the one-page summary first, then charts (inline SVG, :mod:`microcomm.report.svg`), each
community's profile, the flagged and filtered sections and a note on method. A
Content-Security-Policy meta tag allows nothing but the page's own stylesheet (by its hash), so
even a string that escaped escaping could not run or load anything. Every piece of user text
goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any

from microcomm.report import svg
from microcomm.report.html_parts import (
    filtered,
    flagged,
    member_flows,
    methods,
    next_steps,
    people,
)
from microcomm.report.html_people import audience_people_html
from microcomm.report.summary import SUMMARY_LINES, act_on, influencer_line
from microcomm.textsafe import plain

_PREFIX = {"hashtag": "#", "mention": "@"}

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2933;margin:0;
background:#f5f7fa}
main{max-width:1040px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 10px;border-bottom:2px solid
#e4e7eb;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px;color:#3e4c59}
.meta{color:#616e7c;margin:0 0 14px}.verdict{background:#eef4fb;padding:8px 12px;border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top}
th{color:#616e7c;font-weight:600}td.n{text-align:right;white-space:nowrap}
.summary td:first-child{font-weight:700;white-space:nowrap}.ask{font-style:italic}
.flag{display:inline-block;background:#fdecea;color:#a61b1b;border-radius:4px;padding:0 6px;
font-size:12px;margin-left:6px}.community{border-top:1px solid #e4e7eb;margin-top:28px}
.community table{width:auto;min-width:55%}.grid{display:grid;grid-template-columns:1fr 1fr;gap:18px}ul{margin:4px 0;padding-left:20px}
.muted{color:#616e7c;font-size:13px}svg{max-width:100%;height:auto;display:block}blockquote{margin:4px 0;color:#3e4c59}
@media print{body{background:#fff}main{padding:0}#summary{page-break-after:always}
.community{page-break-inside:avoid}}
""".strip()


def _t(text: Any) -> str:
    return escape(plain(text), quote=True)


def _pct(x: float | None, nd: int = 0) -> str:
    return "–" if x is None else f"{x:.{nd}%}"


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def to_html(report: dict[str, Any], *, summary_only: bool = False) -> str:
    """The report as one self-contained HTML page (summary, charts, profiles, method), or only
    its one-page summary."""
    brand = (report.get("summary") or {}).get("brand")
    title = f"Audience of {brand}: micro communities" if brand else "Audience micro communities"
    body = (
        [_summary(report, title)]
        if summary_only
        else [
            _summary(report, title),
            _charts(report),
            member_flows(report),
            audience_people_html(report),
            '<section id="communities"><h2>Community profiles</h2>',
            *(_community(c) for c in report["communities"]),
            "</section>",
            flagged(report),
            filtered(report),
            methods(report),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_csp()}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="microcomm {_t(report.get("microcomm", ""))}">'
        f"<title>{_t(title)}</title><style>{CSS}</style></head>\n<body><main>\n"
        + "\n".join(b for b in body if b)
        + "\n</main></body></html>\n"
    )


def _period(summary: dict[str, Any]) -> str:
    p = summary.get("period") or {}
    if not p.get("first"):
        return "no dated events"
    return f"{str(p['first'])[:10]} to {str(p['last'])[:10]}"


def _summary(report: dict[str, Any], title: str) -> str:
    s = report.get("summary") or {}
    lines = s.get("lines", [])
    rows = "".join(
        f"<tr><td>{ln['id']}.</td><td><b>{_t(ln['label'])}</b><br>"
        f'<span class="muted">{_t(ln["who"])}</span></td><td>{_t(ln["apart"])}</td>'
        f'<td>{_t(ln["when_where"])}</td><td class="ask">{_t(ln["ask"])}</td>'
        f"<td>{_t(act_on(ln))}</td></tr>"
        for ln in lines[:SUMMARY_LINES]
    )
    more = len(lines) - SUMMARY_LINES
    extra = [f"{more} more communities in the profiles below"] if more > 0 else []
    if s.get("flagged"):
        extra.append(f"{s['flagged']} flagged as unstable or diffuse (see Flagged)")
    return (
        f'<section id="summary"><h1>{_t(title)}</h1>'
        f'<p class="meta">{_t(_period(s))} · {s.get("accounts", 0):,} accounts · '
        f"{s.get('events', 0):,} engagement events · <b>{s.get('communities', 0)} communities</b> "
        f"({s.get('placed', 0):,} accounts placed)</p>"
        + (f'<p class="verdict">{_t(s["verdict"])}</p>' if s.get("verdict") else "")
        + "<h2>Communities, in the order to act on</h2>"
        '<table class="summary"><thead><tr><th>#</th><th>who they are</th>'
        "<th>what sets them apart (members vs rest of audience)</th><th>when and where</th>"
        f"<th>what they ask</th><th>who to contact · next step</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        + (
            f"<p><b>Organic influencers</b>: {_t(influencer_line(s))}.</p>"
            if s.get("influencers")
            else ""
        )
        + (f'<p class="muted">{_t("; ".join(extra))}.</p>' if extra else "")
        + "</section>"
    )


def _charts(report: dict[str, Any]) -> str:
    comms = report["communities"]
    if not comms:
        return ""
    name = {c["id"]: f"{c['id']}. {c['label']}" for c in comms}
    parts = ['<section id="charts"><h2>Charts</h2><h3>Community sizes</h3>']
    parts.append(svg.bar_chart([(name[c["id"]], c["size"]) for c in comms], title="members"))
    parts.append("<h3>What sets each community apart (top interests, members vs audience)</h3>")
    parts.append('<div class="grid">')
    for c in comms[:8]:
        if c["interests"]:
            parts.append(f"<div><b>{_t(name[c['id']])}</b>{_interest_chart(c)}</div>")
    parts.append("</div>")
    if len(comms) > 8:
        parts.append('<p class="muted">Every community has this chart in its profile.</p>')
    weeks = [
        (
            f"{c['id']}. {c['label'].split(' · ')[0]} "
            f"({c['activity']['timezone'].split('/')[-1].replace('_', ' ')} time)",
            c["activity"]["week"],
        )
        for c in comms
        if (c.get("activity") or {}).get("week")
    ]
    if weeks:
        aud = report.get("audience_week") or {}
        if aud.get("week"):
            weeks.append((f"whole audience ({aud['timezone']})", aud["week"]))
        parts.append("<h3>When they are active (hour of the week, each in its local time)</h3>")
        parts.append(svg.week_heatmap(weeks, title="hour-of-week activity"))
    mix = [
        (name[c["id"]], {p["platform"]: p["share_in"] for p in c.get("platforms") or []})
        for c in comms
        if c.get("platforms")
    ]
    if mix:
        parts.append("<h3>Platform mix (share of each community's activity)</h3>")
        parts.append(svg.stacked_shares(mix, title="platform mix"))
    parts.append(
        '<h3>Map of the communities</h3><p class="muted">Circle area = members; a line = '
        "accounts of the two communities engaging with the same posts, tags or accounts "
        "(thicker = more). Grey circles are flagged.</p>"
    )
    parts.append(svg.community_map(comms, report.get("ties") or [], title="community map"))
    parts.append("</section>")
    return "".join(parts)


def _interest_chart(c: dict[str, Any]) -> str:
    rows = [
        (_PREFIX.get(i["type"], "") + i["value"], i["share_in"], i["share_out"])
        for i in c["interests"][:6]
    ]
    return svg.paired_bars(rows, title=f"interests of {c['label']}")


def _community(c: dict[str, Any]) -> str:
    flags = "".join(f'<span class="flag">{_t(f)}</span>' for f in c.get("flags", []))
    head = f"{c['size']:,} members"
    if c.get("stability") is not None:
        head += f" · stays together in {_pct(c['stability'])} of re-runs"
    out = [
        f'<section class="community" id="c{c["id"]}"><h2>{c["id"]}. {_t(c["label"])}{flags}</h2>'
        f'<p class="meta">{_t(head)}</p>'
    ]
    if c["interests"]:
        rows = "".join(
            f"<tr><td>{_t(_PREFIX.get(i['type'], '') + i['value'])}</td><td>{_t(i['type'])}</td>"
            f'<td class="n">{i["members"]:,}</td><td class="n">{_pct(i["share_in"])}</td>'
            f'<td class="n">{_pct(i["share_out"], 1)}</td></tr>'
            for i in c["interests"]
        )
        out.append(
            '<div class="grid"><div><h3>What sets them apart</h3><table><thead><tr>'
            "<th>interest</th><th>type</th><th>members</th><th>here</th><th>rest</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></div><div>{_interest_chart(c)}</div></div>"
        )
    out.append(next_steps(c))
    out.append(_who(c))
    out.append(people(c))
    out.append(_when_where(c))
    out.append(_voice(c))
    out.append(_answers(c))
    out.append("</section>")
    return "".join(out)


def _accounts(rows: list[dict[str, Any]], key: str = "members") -> str:
    return ", ".join(f"@{_t(r['actor'])} ({r[key]:,})" for r in rows)


def _who(c: dict[str, Any]) -> str:
    items = []
    if c.get("members"):
        items.append(
            "<b>Core members</b>: " + ", ".join(f"@{_t(m['actor'])}" for m in c["members"])
        )
    if c.get("creators"):
        items.append("<b>Creators they gather around</b>: " + _accounts(c["creators"]))
    if c.get("bridges"):
        items.append(
            "<b>Bridges to other communities</b>: "
            + ", ".join(
                f"@{_t(b['actor'])} → {b['to']}. {_t(b.get('to_label') or '')}"
                for b in c["bridges"]
            )
        )
    if c.get("outside_accounts"):
        items.append("<b>Outside accounts they follow</b>: " + _accounts(c["outside_accounts"]))
    return (
        "<h3>Who matters</h3><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
        if items
        else ""
    )


def _when_where(c: dict[str, Any]) -> str:
    act = c.get("activity") or {}
    items = []
    if act.get("peak"):
        p = act["peak"]
        zone = act["timezone"] + (
            f" time, where members say they are: {act['zone_place']}"
            if act.get("zone_from") == "places"
            else " time"
        )
        items.append(
            f"<b>Most active</b>: {_t(p['label'])} ({_t(zone)}) — {_pct(p['share_in'])} of "
            f"members active then vs {_pct(p['share_all'])} of the audience"
        )
    if c.get("locations"):
        items.append(
            "<b>Places</b>: "
            + ", ".join(f"{_t(p['value'])} ({p['members']:,})" for p in c["locations"])
        )
    if c.get("platforms"):
        items.append(
            "<b>Platforms</b> (share of activity, audience in brackets): "
            + ", ".join(
                f"{_t(p['platform'])} {_pct(p['share_in'])} ({_pct(p['share_all'])})"
                for p in c["platforms"]
            )
        )
    if not items:
        return ""
    chart = ""
    if act.get("week"):
        chart = svg.week_heatmap([(act["timezone"], act["week"])], title="hour-of-week activity")
    return "<h3>When and where</h3><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" + chart


def _voice(c: dict[str, Any]) -> str:
    v = c.get("voice") or {}
    if not v.get("messages"):
        return ""
    out = (
        f"<h3>What they say to the brand</h3><p>{v['messages']:,} comments, replies and DMs from "
        f"{v['authors']:,} members: {_pct(v['positive'])} positive, {_pct(v['negative'])} "
        f"negative; {_count(v['questions'], 'question')}, {_count(v['requests'], 'request')}.</p>"
    )
    quotes = [e for e in v.get("examples", []) if e.get("distinctive", True)]
    for e in quotes:
        senders = f", {e['senders']} members" if e.get("senders", 1) > 1 else ""
        out += (
            f'<blockquote>“{_t(e["text"])}” <span class="muted">— {_t(e["category"])}, '
            f"{_t(e['kind'])} on {_t(e['platform'])}{senders}</span></blockquote>"
        )
    return out


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _answers(c: dict[str, Any]) -> str:
    out = []
    for q in c.get("answers") or []:
        rows = "".join(
            f"<tr><td>{_t(a['answer'])}{' ★' if a.get('distinctive') else ''}</td>"
            f'<td class="n">{a["members"]:,}</td><td class="n">{_pct(a["share_in"])}</td>'
            f'<td class="n">{_pct(a["share_all"])}</td></tr>'
            for a in q["answers"]
        )
        out.append(
            f'<h3>They answered: {_t(q["question"])}</h3><p class="muted">'
            f"{_count(q['respondents'], 'member')} answered; ★ = clearly more than the audience."
            "</p><table><thead><tr><th>answer</th><th>members</th><th>here</th><th>audience</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    for p in c.get("polls") or []:
        opts = ", ".join(
            f"{_t(o['option'])} {o['votes'] if o['votes'] is not None else '–'}"
            for o in p["options"]
        )
        out.append(
            f"<h3>Poll: {_t(p['question'] or p['poll_id'])}</h3><p>{opts} (whole poll, "
            f"{_t(p['platform'])}); {p['members']:,} members engaged with it.</p>"
        )
    return "".join(out)
