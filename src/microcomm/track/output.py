"""Track outputs built from the tracking data: JSON, Markdown, and a flat table for export.

Nothing here reads the store: every output is made from the dict :func:`track_events`
returns (the JSON contract).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.textsafe import md as _md

VERBS = {
    "birth": "born",
    "death": "gone",
    "growth": "grew",
    "shrink": "shrank",
    "continuation": "continued",
    "merge": "merged",
    "split": "split",
}


def to_json(data: dict[str, Any]) -> str:
    """The tracking data as indented JSON (the ``--format json`` contract)."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def _pct(x: float) -> str:
    return f"{x * 100:+.0f} %"


def describe(t: dict[str, Any], names: dict[str, str]) -> str:
    """One sentence for one transition, e.g. ``L3 split into L3 (80) and L9 (78)``."""
    line = f"{t['line']} {names.get(t['line'], '')}".strip()
    kind = t["type"]
    if kind == "merge":
        parts = " + ".join(f"{p['line']} ({p['members']})" for p in t["from_lines"])
        return f"{parts} merged into {t['line']} ({t['after']} members)"
    if kind == "split":
        parts = " and ".join(f"{p['line']} ({p['members']})" for p in t["into_lines"])
        return f"{line} ({t['before']} members) split into {parts}"
    if kind == "birth":
        return f"{line} was born with {t['after']} members ({t['from_communities']} from other communities)"
    if kind == "death":
        return f"{line} ({t['before']} members) is gone ({t['to_communities']} moved to other communities)"
    return (
        f"{line} {VERBS[kind]}: {t['before']} → {t['after']} members "
        f"({t['stayed']} stayed, {t['joined']} joined, {t['left']} left)"
    )


def _interest(i: dict[str, Any]) -> str:
    tag = {"hashtag": "#", "mention": "@"}.get(i["type"], "") + str(i["value"])
    return f"{tag} ({i['share_before'] * 100:.0f} % → {i['share_after'] * 100:.0f} %)"


def to_markdown(data: dict[str, Any]) -> str:
    """A Markdown report: periods, lines, transitions, what changed inside, growth."""
    names = {ln["id"]: ln["name"] for ln in data["lines"]}
    out = [f"# Month over month ({data['period']})", ""]
    out += [f"> {_md(n)}" for n in data["notes"]] + ([""] if data["notes"] else [])
    out += [
        "## Periods",
        "",
        "| period | events | accounts | new | returning | lost | communities | status |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in data["periods"]:
        out.append(
            f"| {p['label']} | {p['events']} | {p['accounts']} | {p['new']} | {p['returning']} "
            f"| {p['lost']} | {p['communities']} | {p['status']} |"
        )
    labels = [p["label"] for p in data["periods"] if p["status"] == "ok"]
    out += [
        "",
        "## Community lines",
        "",
        "| line | name | " + " | ".join(labels) + " |",
        "|---|---|" + "---:|" * len(labels),
    ]
    for ln in data["lines"]:
        sizes = " | ".join(str(ln["sizes"].get(lab, "")) for lab in labels)
        out.append(f"| {ln['id']} | {_md(ln['name'])} | {sizes} |")
    out += ["", "## What happened", ""]
    for t in data["transitions"]:
        out.append(f"- **{t['from']} → {t['to']}**, {t['type']}: {_md(describe(t, names))}")
    out += ["", "## What changed inside", ""]
    for c in data["changes"]:
        lines = _change_lines(c)
        if lines:
            out += [f"### {c['line']} {_md(c['name'])}, {c['from']} → {c['to']}", "", *lines, ""]
    growth = data["growth"]
    out += ["## Fastest growing and shrinking", ""]
    for key, title in (("fastest_growing", "Growing"), ("fastest_shrinking", "Shrinking")):
        rows = growth[key]
        items = ", ".join(
            f"{r['line']} {_md(r['name'])} {r['before']} → {r['after']} ({_pct(r['change'])}, {r['from']} → {r['to']})"
            for r in rows
        )
        out.append(f"- {title}: {items or 'none'}")
    return "\n".join(out) + "\n"


def _change_lines(c: dict[str, Any]) -> list[str]:
    out = []
    if c["rising"]:
        out.append("- Rising: " + ", ".join(_md(_interest(i)) for i in c["rising"]))
    if c["falling"]:
        out.append("- Falling: " + ", ".join(_md(_interest(i)) for i in c["falling"]))
    b, a = c["tone"]["before"], c["tone"]["after"]
    if b["messages"] and a["messages"]:
        dn = a["negative"] - b["negative"]
        if abs(dn) >= 0.02 or a["complaints"] > 2 * max(b["complaints"], 1):
            out.append(
                f"- Tone: negative {b['negative'] * 100:.0f} % → {a['negative'] * 100:.0f} % of messages "
                f"(complaints {b['complaints']} → {a['complaints']}, requests {b['requests']} → {a['requests']})"
            )
    if c["platforms"]:
        out.append(
            "- Platforms: "
            + ", ".join(
                f"{_md(p['platform'])} {p['before'] * 100:.0f} % → {p['after'] * 100:.0f} %"
                for p in c["platforms"]
            )
        )
    for key, title in (("new_requests", "New requests"), ("new_complaints", "New complaints")):
        if c[key]:
            out.append(
                f"- {title}: "
                + "; ".join(f"“{_md(x['text'])}” ({_senders(x)})" for x in c[key])
            )
    return out


def _senders(x: dict[str, Any]) -> str:
    """Who sent a quoted text: the line's members, and the audience-wide count the quote rule
    (at least ``report.min_quote_senders`` distinct accounts) went by when they differ."""
    n, everyone = x["senders"], x.get("audience_senders", x["senders"])
    said = f"{n} member{'s' if n != 1 else ''}"
    return said if everyone == n else f"{said}; {everyone} accounts in the audience sent it"


def tracking_table(data: dict[str, Any]) -> pl.DataFrame:
    """One row per line and period: ``line, name, period, community, size, transition,
    before, stayed, joined, left`` — what ``microcomm export tracking`` writes.

    ``transition`` is how the line came into that period (``birth`` in its first one;
    ``merge`` / ``split`` for a line those touched), ``death`` rows close lines that ended.
    """
    how: dict[tuple[str, str], dict[str, Any]] = {}
    for t in data["transitions"]:
        if t["type"] == "split":
            for piece in t["into_lines"]:
                # One piece: the members it took from the source, and the others it gained.
                how[(piece["line"], t["to"])] = {
                    **t,
                    "stayed": piece["members"],
                    "joined": piece["size"] - piece["members"],
                    "left": None,
                }
        elif t["type"] == "death":
            how[(t["line"], t["to"])] = t
        else:
            how.setdefault((t["line"], t["to"]), t)
    rows = []
    for ln in data["lines"]:
        for label, size in ln["sizes"].items():
            t = how.get((ln["id"], label))
            rows.append(
                _row(ln, label, ln["communities"][label], size, t, first=label == ln["first"])
            )
        end = how.get((ln["id"], _after(data, ln["last"]) or ""))
        if end is not None and end["type"] == "death":
            rows.append(_row(ln, end["to"], None, 0, end, first=False))
    schema = {
        "line": pl.String,
        "name": pl.String,
        "period": pl.String,
        "community": pl.Int64,
        "size": pl.Int64,
        "transition": pl.String,
        "before": pl.Int64,
        "stayed": pl.Int64,
        "joined": pl.Int64,
        "left": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _after(data: dict[str, Any], label: str) -> str | None:
    ok = [p["label"] for p in data["periods"] if p["status"] == "ok"]
    i = ok.index(label) if label in ok else -1
    return ok[i + 1] if 0 <= i < len(ok) - 1 else None


def _row(
    ln: dict[str, Any],
    label: str,
    community: int | None,
    size: int,
    t: dict[str, Any] | None,
    *,
    first: bool,
) -> tuple[Any, ...]:
    if t is None:
        kind = "first" if first else None
        return (ln["id"], ln["name"], label, community, size, kind, None, None, None, None)
    return (
        ln["id"],
        ln["name"],
        label,
        community,
        size,
        t["type"],
        t["before"],
        t["stayed"],
        t["joined"],
        t["left"],
    )


def check_tracking_target(path: Path) -> str:
    """The table format ``path``'s extension asks for (csv, parquet, json), or OutputError."""
    from microcomm.outputs import format_for

    return (
        format_for(path, None, allowed=["csv", "parquet", "json"], what="tracking table") or "csv"
    )


def write_tracking(data: dict[str, Any], path: Path) -> int:
    """Write :func:`tracking_table` to ``path`` as CSV (formula-like cells neutralised),
    Parquet or JSON by its extension, atomically, as every ``export`` does; the rows written.

    Raises
    ------
    OutputError
        The extension is not one of .csv, .parquet, .json, or the path cannot be written.
    """
    from microcomm.export import write_table

    check_tracking_target(path)
    table = tracking_table(data)
    write_table(table, path)
    return table.height
