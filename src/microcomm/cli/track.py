"""`microcomm track`: month over month, or one stored run against another."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from microcomm.cli.console import stderr, stdout
from microcomm.cli.errors import handle_errors
from microcomm.cli.options import ConfigOpt, ReportFmt, StoreOpt, config_from, open_store

if TYPE_CHECKING:
    from microcomm.config import Config


class PeriodOpt(StrEnum):
    month = "month"
    week = "week"
    quarter = "quarter"


PeriodOption = Annotated[
    PeriodOpt | None,
    typer.Option("--period", "-p", help="Period length. \\[default: month]", show_default=False),
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="First day tracked (YYYY-MM-DD).", show_default=False),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", help="Last day tracked (YYYY-MM-DD, included).", show_default=False),
]
RunsOpt = Annotated[
    tuple[str, str] | None,
    typer.Option(
        "--runs",
        help="Compare two stored runs instead: RUN_A RUN_B, each a store directory or a "
        "run id of --store.",
        show_default=False,
        metavar="RUN_A RUN_B",
    ),
]


def track_config(
    config: Path | None, period: PeriodOpt | None, since: str | None, until: str | None
) -> Config:
    """The config with the track flags applied (shared with `export tracking`)."""
    return config_from(config).override(
        "track", period=period.value if period else None, since=since, until=until
    )


def track(
    store: StoreOpt = None,
    config: ConfigOpt = None,
    period: PeriodOption = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    runs: RunsOpt = None,
    fmt: Annotated[
        ReportFmt | None,
        typer.Option(
            "--format",
            "-f",
            help="terminal, markdown, json or html (with a flow chart). \\[default: from the -o extension, else terminal]",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (.md, .json or .html) instead of stdout.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Track communities over time: births, deaths, merges, splits, member flows, and what
    changed inside each one (rising and falling interests, tone, platforms, new requests).

    Example: microcomm track --store brand-data --period month --since 2026-01-01 -o changes.md

    Example: microcomm track --runs september-store october-store -o flows.html
    """
    from microcomm.outputs import format_for, write_text
    from microcomm.pipeline import run_track
    from microcomm.track.output import to_json, to_markdown

    with handle_errors():
        allowed = ["markdown", "json", "html"] + (["terminal"] if output is None else [])
        given = None if fmt is None or (fmt is ReportFmt.terminal and output) else fmt.value
        chosen = format_for(output, given, allowed=allowed, what="tracking") or "terminal"
        cfg = track_config(config, period, since, until)
        data = run_track(store=open_store(store), config=cfg, runs=runs)
        if chosen == "terminal":
            _terminal(data)
            return
        if chosen == "html":
            from microcomm.track.html import to_html

            text = to_html(data)
        else:
            text = to_json(data) if chosen == "json" else to_markdown(data)
        if output is None:
            typer.echo(text, nl=False)
            return
        write_text(output, text)
    stderr().print(f"[ok]tracking written to {output}[/ok]", highlight=False)


def _terminal(data: dict[str, Any]) -> None:
    """Rich tables: periods, lines by period, what happened, what changed inside."""
    from rich.markup import escape as _escape
    from rich.table import Table

    from microcomm.textsafe import plain

    def escape(text: str) -> str:
        return _escape(plain(text))

    from microcomm.track.output import describe

    con = stdout()
    for note in data["notes"]:
        con.print(f"[warn]note:[/warn] {escape(note)}", highlight=False)
    periods = Table(title="Periods", title_justify="left")
    for col in (
        "period",
        "events",
        "accounts",
        "new",
        "returning",
        "lost",
        "communities",
        "status",
    ):
        periods.add_column(col, justify="left" if col in ("period", "status") else "right")
    for p in data["periods"]:
        periods.add_row(
            p["label"],
            *(str(p[k]) for k in ("events", "accounts", "new", "returning", "lost", "communities")),
            p["status"],
        )
    con.print(periods)
    labels = [p["label"] for p in data["periods"] if p["status"] == "ok"]
    lines = Table(title="Community lines (members per period)", title_justify="left")
    lines.add_column("line")
    lines.add_column("name")
    for lab in labels:
        lines.add_column(lab, justify="right")
    for ln in data["lines"]:
        lines.add_row(
            ln["id"], escape(ln["name"]), *(str(ln["sizes"].get(lab, "·")) for lab in labels)
        )
    con.print(lines)
    names = {ln["id"]: ln["name"] for ln in data["lines"]}
    con.print("[head]What happened[/head]")
    for t in data["transitions"]:
        if t["type"] != "continuation":
            con.print(
                f"  {t['from']} → {t['to']}  [bold]{t['type']}[/bold]  {escape(describe(t, names))}",
                highlight=False,
            )
    con.print("[head]What changed inside[/head]")
    for c in data["changes"]:
        up = ", ".join(_tag(i) for i in c["rising"][:5])
        down = ", ".join(_tag(i) for i in c["falling"][:5])
        plat = ", ".join(
            f"{p['platform']} {p['change'] * 100:+.0f} pts" for p in c["platforms"][:3]
        )
        bits = [
            f"rising {up}" if up else "",
            f"falling {down}" if down else "",
            f"platforms {plat}" if plat else "",
            f"{len(c['new_complaints'])} new complaint(s)" if c["new_complaints"] else "",
        ]
        if any(bits):
            con.print(
                f"  {c['from']} → {c['to']}  {c['line']} {escape(c['name'])}: "
                + escape("; ".join(b for b in bits if b)),
                highlight=False,
            )


def _tag(i: dict[str, Any]) -> str:
    return {"hashtag": "#", "mention": "@"}.get(i["type"], "") + str(i["value"])
