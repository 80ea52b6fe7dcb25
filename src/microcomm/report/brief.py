"""A community in a few lines: the default Markdown report (``microcomm report --full`` gives
the tables). Built from the report data alone; user text escaped (:mod:`microcomm.textsafe`)."""

from __future__ import annotations

from typing import Any

from microcomm.profiles.interests import TYPE_PREFIX
from microcomm.report.bullets import item
from microcomm.report.markdown_people import community_people_brief
from microcomm.textsafe import md as _md
from microcomm.textsafe import md_code


def _handle(actor: str) -> str:
    return md_code(f"@{actor}")


def _fmt_interest(i: dict[str, Any]) -> str:
    return f"{TYPE_PREFIX.get(i['type'], '')}{i['value']}"


def _pct(x: float | None, nd: int = 0) -> str:
    return "–" if x is None else f"{x:.{nd}%}"


def _account_list(rows: list[dict[str, Any]], n: int) -> str:
    return ", ".join(f"{_handle(r['actor'])} ({r['members']})" for r in rows[:n])


def quotes(v: dict[str, Any]) -> list[dict[str, Any]]:
    """Example messages distinctive for this community (filler quoted everywhere is left out)."""
    return [e for e in v.get("examples") or [] if e.get("distinctive", True)]


def community_brief(c: dict[str, Any]) -> list[str]:
    """One community in a few lines: the default Markdown report (``--full`` for tables)."""
    head = f"{c['size']:,} members"
    if c.get("stability") is not None:
        head += f", stays together in {_pct(c['stability'])} of re-runs"
    flags = "".join(f" ⚠ {f}" for f in c.get("flags", []))
    lines = ["", f"## {c['id']}. {_md(c['label'])}{flags}", "", f"{head}."]
    items = [
        item(
            "What sets them apart",
            (
                f"{_md(_fmt_interest(i))} {i['share_in']:.0%} vs {i['share_out']:.1%}"
                for i in c["interests"][:5]
            ),
            note="members vs rest of the audience",
        )
    ]
    who = []
    if c["members"]:
        who.append("core " + ", ".join(_handle(m["actor"]) for m in c["members"][:5]))
    if c.get("creators"):
        who.append("creators " + _account_list(c["creators"], 3))
    if c.get("bridges"):
        who.append(
            "bridges " + ", ".join(f"{_handle(b['actor'])} → {b['to']}" for b in c["bridges"][:3])
        )
    items.append(item("Who matters", who, sep="; "))
    act, where = c.get("activity") or {}, []
    if act.get("peak"):
        p = act["peak"]
        where.append(
            f"{p['label']} {act['timezone']} ({p['share_in']:.0%} of members active vs "
            f"{p['share_all']:.0%} of the audience)"
        )
    if c.get("locations"):
        where.append(", ".join(_md(p["value"]) for p in c["locations"][:3]))
    if c.get("platforms"):
        where.append(", ".join(f"{p['platform']} {p['share_in']:.0%}" for p in c["platforms"][:3]))
    items.append(item("When and where", where, sep="; "))
    v = c.get("voice") or {}
    if v.get("messages"):
        items.append(
            f"**What they say**: {v['messages']:,} messages, {v['positive']:.0%} positive, "
            f"{v['negative']:.0%} negative; {plural(v['questions'], 'question')}, "
            f"{plural(v['requests'], 'request')}"
            + "".join(
                f"\n  - “{_md(e['text'])}” ({e['category']}"
                + (f", {e['senders']} members)" if e["senders"] > 1 else ")")
                for e in quotes(v)[:3]
            )
        )
    for q in c.get("answers") or []:
        best = [a for a in q["answers"] if a["distinctive"]][:2]
        if best:
            items.append(
                f"**They answered** {_md(q['question'])}: "
                + ", ".join(
                    f"{_md(a['answer'])} {a['share_in']:.0%} (audience {a['share_all']:.0%})"
                    for a in best
                )
            )
    for p in (c.get("polls") or [])[:2]:
        items.append(
            f"**Poll** {_md(p['question'] or p['poll_id'])} ({p['platform']}): "
            f"{p['members']} members engaged with it"
        )
    items += community_people_brief(c)
    return lines + [""] + [f"- {i}" for i in items if i]


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")
