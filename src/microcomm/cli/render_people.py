"""Terminal rendering of the people and platform parts of the report (issue 11).

Every handle, interest and place is user text: it goes into rich ``Text`` objects, never into
markup.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text


def _f(n: int | None) -> str:
    return "?" if n is None else f"{n:,}"


def community_people_lines(c: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) lines of one community: influencers, paid, UGC, advocates, next steps."""
    lines = [
        (
            "influencers",
            ", ".join(
                f"@{i['actor']} ({_f(i['followers'])} followers, {i['organic_mentions']} brand "
                f"mentions, {i['members']} members)"
                for i in c.get("influencers", [])
            ),
        ),
        (
            "paid",
            ", ".join(
                f"@{i['actor']} ({_f(i['followers'])} followers, {i['paid_mentions']} paid posts)"
                for i in c.get("paid_partners", [])
            ),
        ),
        (
            "UGC",
            ", ".join(
                f"@{u['actor']} ({u['posts']} posts, {u['engagers']} engaging)"
                for u in c.get("ugc_creators", [])
            ),
        ),
        (
            "advocates",
            ", ".join(f"@{a['actor']} ({a['praise']} praising)" for a in c.get("advocates", [])),
        ),
    ]
    lines += [(f"next: {s['step']}", s["text"]) for s in c.get("next_steps", [])]
    return [(label, text) for label, text in lines if text]


def audience_people_terminal(console: Console, report: dict[str, Any]) -> None:
    """The brand, the influencer lists and the platform comparison."""
    b = report.get("brand_accounts") or {}
    names = [f"@{h}" for h in b.get("handles", [])] + [f"#{t}" for t in b.get("tags", [])]
    console.print(
        Text.assemble(
            ("brand: ", "head"),
            ", ".join(names) or "none given or found (set report.brand)",
            (f"  ({b.get('how')})" if names else "", "dim"),
        )
    )
    inf = report.get("influencers") or {}
    if inf.get("bar") is not None:
        table = Table(
            title=f"Influencers (≥ {inf['bar']:,} followers, top {1 - inf['percentile']:.0%})",
            title_justify="left",
            header_style="dim",
        )
        for col, just in (
            ("account", "left"),
            ("kind", "left"),
            ("followers", "right"),
            ("brand mentions (paid)", "right"),
            ("engaged by", "right"),
            ("niche", "left"),
        ):
            table.add_column(col, justify=just)  # type: ignore[arg-type]
        for kind in ("organic", "paid"):
            for r in inf.get(kind, []):
                table.add_row(
                    Text("@" + r["actor"]),
                    kind,
                    _f(r["followers"]),
                    f"{r['organic_mentions']} ({r['paid_mentions']})",
                    f"{r['engagers']:,}",
                    Text(", ".join(r["niche"][:3])),
                )
        console.print(table)
    p = report.get("platforms") or {}
    if p.get("compare"):
        table = Table(title="Platforms", title_justify="left", header_style="dim")
        for col in ("platform", "accounts", "brand posts", "interests", "peak", "tone +/−"):
            table.add_column(col)
        for r in p["compare"]:
            t = r["tone"]
            table.add_row(
                r["platform"],
                f"{r['accounts']:,}",
                f"{r['brand_posts']:,}",
                Text(", ".join(i["value"] for i in r["interests"][:3])),
                r["peaks"][0]["label"] if r["peaks"] else "–",
                f"{t['positive']:.0%}/{t['negative']:.0%}" if t else "–",
            )
        console.print(table)
    for a in (p.get("brand_absent") or [])[:5]:
        console.print(
            Text(
                f"  brand absent: {a['community']}. {a['label']} — {a['share_in']:.0%} of its "
                f"activity on {a['platform']}, where the brand wrote {a['brand_posts']} posts",
                style="warn",
            )
        )
