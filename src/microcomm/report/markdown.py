"""The report data as a Markdown document a marketer can read and share.

Built from the report data alone (the JSON contract), never from the store or frames. User
text (labels, interests, places, messages, answers, poll questions) is escaped for tables.
"""

from __future__ import annotations

from typing import Any

from microcomm.profiles.interests import TYPE_PREFIX
from microcomm.report.brief import community_brief as _community_brief
from microcomm.report.brief import plural as _n
from microcomm.report.brief import quotes as _quotes
from microcomm.report.bullets import bullet
from microcomm.report.filtered import filtered_markdown
from microcomm.report.markdown_people import audience_markdown, community_people_markdown
from microcomm.report.shares import pct
from microcomm.report.summary import summary_markdown
from microcomm.textsafe import md, md_code


def _fmt_interest(i: dict[str, Any]) -> str:
    return f"{TYPE_PREFIX.get(i['type'], '')}{i['value']}"


def _conf(member: dict[str, Any]) -> str:
    """`` (90%)``: the member's confidence, or nothing when it was not measured."""
    conf = member.get("confidence")
    return "" if conf is None else f" ({conf:.0%})"


_pct = pct  # a non-zero share never reads as 0 %


def _md(text: str) -> str:
    """User text made inert: HTML tags, backticks, brackets and pipes escaped (issue 13)."""
    return md(text)


def _handle(actor: str) -> str:
    """``@actor`` as a code span that survives backticks in the handle."""
    return md_code(f"@{actor}")


def to_markdown(report: dict[str, Any], *, full: bool = True) -> str:
    """The report as a Markdown document a marketer can read and share.

    Order: the one-page summary, the overview (what was found, how sure we are), then one
    section per community in the order a reader acts on it — what sets it apart, who matters,
    when and where, what it says to the brand, what it answered — then the notes on method and
    limits. ``full=False`` gives each community a few lines (``microcomm report`` without
    ``--full``): the demo's 37 communities fit in about 500 lines.
    """
    lines: list[str] = []
    if report.get("summary"):
        lines += [*summary_markdown(report["summary"]).splitlines(), ""]
    lines += _overview(report, titled=not report.get("summary"))
    groups = [g for g in report.get("hierarchy", []) if len(g["communities"]) > 1]
    lines += _families(groups)
    lines += audience_markdown(report)
    families = {g["id"] for g in groups}
    for c in report["communities"]:
        lines += _community_markdown(c, families) if full else _community_brief(c)
    lines += filtered_markdown(report.get("filtered"))
    lines += _method_notes(report)
    return "\n".join(lines) + "\n"


def _overview(report: dict[str, Any], *, titled: bool = True) -> list[str]:
    """The headline, the verdict, one table row per community and what is not shown (under the
    summary, which holds the headline and the verdict, a titled table and the rest)."""
    aud, stab = report["audience"], report.get("stability", {})
    lines = [
        "# Audience micro communities",
        "",
        f"{aud['accounts']:,} accounts and {aud['events']:,} engagement events; "
        f"**{aud['communities']} communities** shown ({aud['in_communities']:,} accounts placed"
        + (
            f"; {aud['unplaced']:,} unplaced: in groups under `detect.min_size` tied to no larger community"
            ", or receive-only without a clear community"
            if aud.get("unplaced")
            else ""
        )
        + ").",
        "",
    ]
    if stab:
        lines += [f"**How sure we are.** {stab['verdict']}", ""]
    if not titled:
        lines = ["## All communities", "", lines[2], ""]
    lines += [
        "| # | community | members | stability | top interests | most active | main platform |",
        "|---|---|---:|---:|---|---|---|",
    ]
    for c in report["communities"]:
        tops = ", ".join(_fmt_interest(i) for i in c["interests"][:3]) or "–"
        peak = (c.get("activity") or {}).get("peak")
        plat = (c.get("platforms") or [None])[0]
        flag = "".join(f" ⚠ {f}" for f in c.get("flags", []))
        lines.append(
            f"| {c['id']} | {_md(c['label'])}{flag} | {c['size']} | "
            f"{_pct(c.get('stability'))} | {_md(tops)} | {peak['label'] if peak else '–'} | "
            f"{plat['platform'] + ' ' + _pct(plat['share_in']) if plat else '–'} |"
        )
    hidden = report["hidden"]
    if hidden["smaller_than_min_size"]:
        lines += [
            "",
            f"{hidden['smaller_than_min_size']} groups smaller than {hidden['min_size']} members "
            f"({hidden['accounts_in_them']:,} accounts) are not shown (`--min-size`).",
        ]
    if hidden.get("larger_than_max_size"):
        lines += [
            "",
            f"{hidden['larger_than_max_size']} communities larger than {hidden['max_size']} "
            f"members ({hidden['accounts_in_large']:,} accounts) are not shown (`--max-size`).",
        ]
    return lines


def _families(groups: list[dict[str, Any]]) -> list[str]:
    """Macro communities holding more than one micro community shown."""
    if not groups:
        return []
    lines = [
        "",
        "**Families of communities**: communities whose members also form one larger group "
        "(Louvain's coarser level):",
        "",
    ]
    for g in groups:
        lines.append(
            f"- family {g['id']}, {_md(g['label'])} — {g['size']:,} accounts: communities "
            + ", ".join(str(i) for i in g["communities"])
        )
    return lines


def _method_notes(report: dict[str, Any]) -> list[str]:
    run, stab = report["run"], report.get("stability", {})
    lines = ["", "## Notes on method", ""]
    lines += [
        "- Interests, accounts, places and answers are ranked by the weighted log-odds ratio with "
        "an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), counted by distinct "
        "members, against the rest of the audience; only z-scores ≥ the report's `min_score` are shown.",
        f"- Communities: {run['method']} ({run['engine']}), resolution {run.get('resolution')}, "
        f"seed {run['seed']}, run `{run['run_id']}`.",
    ]
    if stab.get("measured"):
        lines.append(
            f"- Stability: {stab['runs']} extra runs ({stab['method']}); bar {_pct(stab['bar'])}."
        )
    lines += [f"- {note}" for note in report.get("notes", [])]
    return lines


def _community_markdown(c: dict[str, Any], families: set[int]) -> list[str]:
    """One community's section, in the order a reader acts on it."""
    return (
        _head(c, families)
        + _interests(c)
        + _who(c)
        + _when_where(c)
        + _voice(c)
        + _answers(c)
        + _polls(c)
        + community_people_markdown(c)
        + _moderation(c)
    )


def _moderation(c: dict[str, Any]) -> list[str]:
    """Hostile messages: share, kinds and who sends most — never their text."""
    m = c.get("moderation") or {}
    if not m.get("hostile"):
        return []
    kinds = ", ".join(f"{n} {k}" for k, n in m["by_category"].items())
    who = ", ".join(f"`@{s['actor']}` ({s['hostile']})" for s in m["senders"])
    return [
        "",
        "### Moderation",
        "",
        f"{m['hostile']:,} of {m['messages']:,} messages are hostile ({_pct(m['share'])}: "
        f"{kinds}); sent most by {who}.",
    ]


def _head(c: dict[str, Any], families: set[int]) -> list[str]:
    flags = c.get("flags", [])
    head = f"**{c['size']} members**"
    if c.get("stability") is not None:
        head += f" · stability {_pct(c['stability'])}"
    if c.get("confidence") is not None:
        head += f" · median member confidence {_pct(c['confidence'])}"
    if c.get("macro") in families:
        head += f" · in family {c['macro']} with other communities"
    lines = ["", f"## {c['id']}. {_md(c['label'])}", "", head + "."]
    if "diffuse" in flags:
        lines += [
            "",
            "> ⚠ **Diffuse**: no interest is shared by even a tenth of its members; it gathers "
            "accounts the detection could not place more precisely.",
        ]
    if "unstable" in flags:
        lines += [
            "",
            "> ⚠ **Unstable**: this group does not come back intact when the analysis is re-run "
            "with small changes; read it as a tentative cluster, not a community.",
        ]
    return lines


def _interests(c: dict[str, Any]) -> list[str]:
    if not c["interests"]:
        return []
    lines = [
        "",
        "### What sets them apart",
        "",
        "| interest | type | score | members | share inside | share outside |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for i in c["interests"]:
        lines.append(
            f"| {_md(_fmt_interest(i))} | {i['type']} | {i['score']:.1f} | {i['members']} | "
            f"{i['share_in']:.0%} | {i['share_out']:.1%} |"
        )
    return lines


def _who(c: dict[str, Any]) -> list[str]:
    who = [
        *bullet(
            "Core members",
            (f"{_handle(m['actor'])}{_conf(m)}" for m in c["members"]),
            note="most central; confidence",
        ),
        *bullet(
            "Creators they gather around",
            _accounts(c.get("creators")),
            note="members engaging",
        ),
        *bullet(
            "Bridges",
            (
                f"{_handle(b['actor'])} → {b['to']}. {_md(b['to_label'] or '')} "
                f"({b['own']} / {b['other']} engagements)"
                for b in c.get("bridges") or []
            ),
            note="active here and in another community",
        ),
        *bullet("Outside accounts they engage with", _accounts(c.get("outside_accounts"))),
    ]
    return ["", "### Who matters", "", *who] if who else []


def _accounts(rows: list[dict[str, Any]] | None) -> list[str]:
    """``@handle (members)`` of each row."""
    return [f"{_handle(r['actor'])} ({r['members']})" for r in rows or []]


def _when_where(c: dict[str, Any]) -> list[str]:
    act = c.get("activity") or {}
    where = []
    if act.get("peak"):
        p = act["peak"]
        where.append(
            f"- **Most active**: {p['label']} ({act['timezone']}) — {p['share_in']:.0%} of members "
            f"active then vs {p['share_all']:.0%} of the audience (×{p['lift']:.1f})."
        )
        if len(act["slots"]) > 1:
            where.append(
                "- Next best: "
                + ", ".join(f"{s['label']} ({s['share_in']:.0%})" for s in act["slots"][1:])
            )
    where += bullet(
        "Places",
        (
            f"{_md(p['value'])} ({p['members']} members, {p['share_in']:.0%})"
            for p in c.get("locations") or []
        ),
    )
    where += bullet(
        "Platforms",
        (
            f"{p['platform']} {p['share_in']:.0%} ({p['share_all']:.0%})"
            for p in c.get("platforms") or []
        ),
        note="share of activity vs audience",
    )
    return ["", "### When and where", "", *where] if where else []


def _voice(c: dict[str, Any]) -> list[str]:
    v = c.get("voice") or {}
    if not v.get("messages"):
        return []
    lines = [
        "",
        "### What they say to us",
        "",
        f"{v['messages']:,} messages to the brand from {v['authors']:,} members: "
        f"{_pct(v['positive'])} positive, {_pct(v['negative'])} negative"
        + (f" ({_pct(v['unscored'])} not scored)" if v.get("unscored") else "")
        + f"; {_n(v['questions'], 'question')}, {_n(v['requests'], 'request')}.",
    ]
    quotes = _quotes(v)
    if quotes:
        lines.append("")
        for e in quotes:
            who_sent = f", {e['senders']} members" if e["senders"] > 1 else ""
            lines.append(
                f"- *{e['category']}* ({e['kind']} on {e['platform']}{who_sent}): “{_md(e['text'])}”"
            )
    return lines


def _answers(c: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for q in c.get("answers") or []:
        lines += [
            "",
            f"### What they answered: {_md(q['question'])}",
            "",
            f"{q['respondents']} members answered.",
            "",
            "| answer | members | share here | audience | score |",
            "|---|---:|---:|---:|---:|",
        ]
        for a in q["answers"]:
            mark = " ★" if a["distinctive"] else ""
            lines.append(
                f"| {_md(a['answer'])}{mark} | {a['members']} | {a['share_in']:.0%} | "
                f"{a['share_all']:.0%} | {a['score']:.1f} |"
            )
        lines += ["", "★ = distinctive: this community gives it clearly more than the audience."]
    return lines


def _polls(c: dict[str, Any]) -> list[str]:
    if not c.get("polls"):
        return []
    lines = [
        "",
        "### Polls they took part in",
        "",
        "Vote counts are the whole poll's: who voted is unknown, so a poll describes the "
        "community whose members engaged with its post or channel, and never ties anyone.",
        "",
    ]
    for p in c["polls"]:
        options = ", ".join(
            f"{_md(o['option'])} {o['votes'] if o['votes'] is not None else '–'}"
            + (f" ({_pct(o['share'])})" if o["share"] is not None else "")
            for o in p["options"]
        )
        votes = f"{p['total_votes']:,} votes" if p["total_votes"] is not None else "votes hidden"
        lines.append(
            f"- **{_md(p['question'] or p['poll_id'])}** ({p['platform']}): {options}; {votes}. "
            f"{p['members']} members engaged with it ({_pct(p['share'])} of its "
            f"{p['engagers']} engagers)."
        )
    return lines
