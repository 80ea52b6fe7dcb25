"""`microcomm report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from microcomm.cli import render
from microcomm.cli.console import stderr, stdout
from microcomm.cli.errors import handle_errors
from microcomm.cli.options import ConfigOpt, ReportFmt, StoreOpt, config_from, open_store

TopOpt = Annotated[
    int | None,
    typer.Option(
        "--top", "-n", help="Items per list (interests, members). \\[default: 10]", show_default=False
    ),
]
MinSizeOpt = Annotated[
    int | None,
    typer.Option(
        "--min-size", help="Hide communities smaller than this. \\[default: 5]", show_default=False
    ),
]
MaxSizeOpt = Annotated[
    int | None,
    typer.Option(
        "--max-size", help="Hide communities larger than this (0 = no limit).", show_default=False
    ),
]
TimezoneOpt = Annotated[
    str | None,
    typer.Option(
        "--timezone",
        "--tz",
        help="Time zone for activity peaks (IANA name, e.g. Europe/Paris). \\[default: UTC]",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of stdout.", show_default=False
    ),
]


def report(
    store: StoreOpt = None,
    config: ConfigOpt = None,
    fmt: Annotated[
        ReportFmt, typer.Option("--format", "-f", help="terminal, markdown or json.")
    ] = ReportFmt.terminal,
    output: OutputOpt = None,
    top: TopOpt = None,
    min_size: MinSizeOpt = None,
    max_size: MaxSizeOpt = None,
    timezone: TimezoneOpt = None,
) -> None:
    """Profile each community: what sets it apart, who matters, when and where, what it says
    and answered, and how sure we are.

    Example: microcomm report --format markdown --output communities.md --top 5 --timezone Europe/Paris
    """
    from microcomm.pipeline import run_report

    with handle_errors():
        cfg = config_from(config).override(
            "report", top=top, min_size=min_size, max_size=max_size, timezone=timezone
        )
        data = run_report(store=open_store(store), config=cfg)
        emit_report(data, fmt, output)


def emit_report(data: dict[str, Any], fmt: ReportFmt, output: Path | None) -> None:
    """Write the report where and how it was asked for."""
    from microcomm.report import to_json, to_markdown

    if fmt is ReportFmt.terminal and output is None:
        render.report_terminal(stdout(), data)
        return
    text = to_json(data) if fmt is ReportFmt.json else to_markdown(data)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        stderr().print(f"[ok]report written to {output}[/ok]", highlight=False)
