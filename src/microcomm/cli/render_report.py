"""Rich renderings of the report data on the terminal: the one-page summary, then one block
per community (interests, who, when and where, what it says)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from microcomm.cli.render_filter import filtered_terminal
from microcomm.cli.render_people import audience_people_terminal, community_people_lines
from microcomm.textsafe import plain

_PREFIX = {"hashtag": "#", "mention": "@"}


def _clean(value: Any) -> Any:
    """Every string of the report data without control characters or escape sequences."""
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def summary_terminal(console: Console, summary: dict[str, Any]) -> None:
    """The one-page summary: brand, period, audience, one line per community to act on."""
    from microcomm.report.summary import (  # not at import: it loads polars
        SUMMARY_LINES,
        act_on,
        influencer_line,
    )

    s = _clean(summary)
    period = s.get("period") or {}
    span = f"{period['first'][:10]} → {period['last'][:10]}" if period.get("first") else "no dates"
    who = f"Audience of {s['brand']}" if s.get("brand") else "Audience"
    console.print(
        Text.assemble(
            (who, "head"),
            f" · {span} · {s['accounts']:,} accounts · {s['events']:,} events · "
            f"{s['communities']} communities",
        )
    )
    table = Table(header_style="dim", show_lines=False, title_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("who they are", overflow="fold")
    table.add_column("what sets them apart", overflow="fold")
    table.add_column("when and where", overflow="fold")
    table.add_column("what they ask", overflow="fold")
    table.add_column("who to contact · next step", overflow="fold")
    for ln in s["lines"][:SUMMARY_LINES]:
        table.add_row(
            str(ln["id"]),
            Text.assemble((ln["label"], "head"), "\n" + ln["who"]),
            Text(ln["apart"]),
            Text(ln["when_where"]),
            Text(ln["ask"]),
            Text(act_on(ln)),
        )
    console.print(table)
    if s.get("influencers"):
        console.print(Text.assemble(("Organic influencers", "head"), ": " + influencer_line(s)))
    more = len(s["lines"]) - SUMMARY_LINES
    if more > 0:
        console.print(f"[dim]…and {more} more communities (microcomm report)[/dim]")


def report_terminal(console: Console, report: dict[str, Any]) -> None:
    """The report on the terminal: summary first, then one block per community."""
    report = _clean(report)
    if report.get("summary"):
        summary_terminal(console, report["summary"])
        console.print()
    aud = report["audience"]
    console.print(
        f"[head]{aud['communities']} communities[/head] in an audience of {aud['accounts']:,} accounts "
        f"({aud['events']:,} events) — run {report['run']['run_id']}",
        highlight=False,
    )
    if aud.get("unplaced"):
        console.print(
            f"[dim]{aud['unplaced']:,} accounts unplaced: in groups under detect.min_size "
            "tied to no larger community, or receive-only without a clear community[/dim]",
            highlight=False,
        )
    stab = report.get("stability") or {}
    if stab:
        low = stab.get("median") is not None and stab["median"] < stab["bar"]
        style = "warn" if low or not stab.get("measured") or stab.get("unstable") else "ok"
        console.print(Text(stab["verdict"], style=style))
    for c in report["communities"]:
        _community_terminal(console, c)
    audience_people_terminal(console, report)
    hidden = report["hidden"]
    if hidden["smaller_than_min_size"]:
        console.print(
            f"[dim]{hidden['smaller_than_min_size']} groups under {hidden['min_size']} members not shown (--min-size)[/dim]"
        )
    if hidden.get("larger_than_max_size"):
        console.print(
            f"[dim]{hidden['larger_than_max_size']} communities over {hidden['max_size']} members not shown (--max-size)[/dim]"
        )
    filtered_terminal(console, report.get("filtered"))
    for note in report.get("notes", []):
        console.print(Text(note, style="dim"))


def _community_terminal(console: Console, c: dict[str, Any]) -> None:
    console.print(_interest_table(c))
    _who_lines(console, c)
    _said_lines(console, c)
    for label, text in community_people_lines(c):
        _line(console, label, text)


def _interest_table(c: dict[str, Any]) -> Table:
    """The community's title (size, stability, flags) over its distinctive interests."""
    title = f"{c['id']}. {c['label']}  ({c['size']} members"
    if c.get("stability") is not None:
        title += f", stability {c['stability']:.0%}"
    if c.get("confidence") is not None:
        title += f", median confidence {c['confidence']:.0%}"
    title += ")"
    if "unstable" in c.get("flags", []):
        title += "  ⚠ UNSTABLE — tentative group"
    if "diffuse" in c.get("flags", []):
        title += "  ⚠ DIFFUSE — no shared interest"
    table = Table(title=title, title_justify="left", title_style="head", header_style="dim")
    table.add_column("interest")
    table.add_column("type", style="dim")
    table.add_column("score", justify="right")
    table.add_column("members", justify="right")
    table.add_column("inside", justify="right")
    table.add_column("outside", justify="right")
    for i in c["interests"]:
        table.add_row(
            Text(_PREFIX.get(i["type"], "") + i["value"]),
            i["type"],
            f"{i['score']:.1f}",
            str(i["members"]),
            f"{i['share_in']:.0%}",
            f"{i['share_out']:.1%}",
        )
    return table


def _line(console: Console, label: str, text: str) -> None:
    if text:
        console.print(Text.assemble(("  " + label + ": ", "head"), text))


def _who_lines(console: Console, c: dict[str, Any]) -> None:
    """Who is in it and where: core members, creators, bridges, follows, time, places."""
    _line(
        console,
        "core",
        ", ".join(
            "@" + m["actor"] + ("" if m.get("confidence") is None else f" ({m['confidence']:.0%})")
            for m in c["members"]
        ),
    )
    _line(
        console,
        "creators",
        ", ".join(f"@{a['actor']} ({a['members']})" for a in c.get("creators", [])),
    )
    _line(
        console,
        "bridges",
        ", ".join(
            f"@{b['actor']} → {b['to']} ({b['own']}/{b['other']})" for b in c.get("bridges", [])
        ),
    )
    _line(
        console,
        "follows",
        ", ".join(f"@{a['actor']} ({a['members']})" for a in c.get("outside_accounts", [])),
    )
    peak = (c.get("activity") or {}).get("peak")
    if peak:
        _line(
            console,
            "active",
            f"{peak['label']} {c['activity']['timezone']} — {peak['share_in']:.0%} of members "
            f"vs {peak['share_all']:.0%} of audience",
        )
    _line(
        console,
        "places",
        ", ".join(f"{p['value']} ({p['members']})" for p in c.get("locations", [])),
    )
    _line(
        console,
        "platforms",
        ", ".join(
            f"{p['platform']} {p['share_in']:.0%} ({p['share_all']:.0%})"
            for p in c.get("platforms", [])[:4]
        ),
    )


def _said_lines(console: Console, c: dict[str, Any]) -> None:
    """What it says and answered: tone with example requests, survey answers, polls."""
    from microcomm.report.shares import pct  # lazy: the report package loads polars

    v = c.get("voice") or {}
    if v.get("messages"):
        _line(
            console,
            "tone",
            f"{v['messages']:,} messages: {pct(v['positive'])} positive, {pct(v['negative'])} "
            f"negative ({pct(v.get('unscored'))} not scored); "
            f"{_n(v['questions'], 'question')}, {_n(v['requests'], 'request')}",
        )
        for e in v.get("examples", []):
            if e["category"] in ("request", "question", "complaint"):
                console.print(Text(f"    {e['category']}: “{e['text']}”", style="dim"))
    m = c.get("moderation") or {}
    if m.get("hostile"):
        _line(
            console,
            "moderation",
            f"{m['hostile']:,} hostile messages ({pct(m['share'])}); most from "
            + ", ".join(f"@{s['actor']} ({s['hostile']})" for s in m["senders"]),
        )
    for q in c.get("answers") or []:
        top = [a for a in q["answers"] if a["distinctive"]] or q["answers"][:1]
        _line(
            console,
            "answered",
            f"{q['question']} → "
            + ", ".join(
                f"{a['answer']} {a['share_in']:.0%} (audience {a['share_all']:.0%})" for a in top
            ),
        )
    _line(
        console,
        "polls",
        "; ".join(
            f"{p['question'] or p['poll_id']} ({p['total_votes'] if p['total_votes'] is not None else '?'}"
            f" votes, whole poll; {p['members']} members, {p['share']:.0%} of engagers)"
            for p in c.get("polls") or []
        ),
    )


def _n(count: int, word: str) -> str:
    """``1 question``, ``2 questions``: counts agree in number."""
    return f"{count:,} {word}" + ("" if count == 1 else "s")
