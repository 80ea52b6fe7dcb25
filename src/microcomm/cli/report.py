"""`microcomm report`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from microcomm.cli import render_report
from microcomm.cli.console import stderr, stdout
from microcomm.cli.errors import handle_errors
from microcomm.cli.options import (
    BrandOpt,
    ConfigOpt,
    ReportFmt,
    StoreOpt,
    config_from,
    open_store,
)

TopOpt = Annotated[
    int | None,
    typer.Option(
        "--top",
        "-n",
        help="Items per list (interests, members). \\[default: 10]",
        show_default=False,
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


FormatOpt = Annotated[
    ReportFmt | None,
    typer.Option(
        "--format",
        "-f",
        help="terminal, markdown, json or html. \\[default: from the -o extension, else terminal]",
        show_default=False,
    ),
]
SummaryOpt = Annotated[
    bool, typer.Option("--summary", help="Only the one-page summary (any format).")
]
FullOpt = Annotated[
    bool,
    typer.Option(
        "--full", help="Markdown: every community with its full tables (default: a few lines each)."
    ),
]


def report(
    store: StoreOpt = None,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    summary: SummaryOpt = False,
    full: FullOpt = False,
    top: TopOpt = None,
    min_size: MinSizeOpt = None,
    max_size: MaxSizeOpt = None,
    timezone: TimezoneOpt = None,
    brand: BrandOpt = None,
) -> None:
    """Profile each community: what sets it apart, who matters, when and where, what it says
    and answered, and how sure we are.

    The -o extension picks the format (.md, .json, .html); --summary prints only the one-page
    summary.

    Example: microcomm report -o communities.html --top 5 --timezone Europe/Paris
    """
    from microcomm.pipeline import run_report

    with handle_errors():
        cfg = config_from(config).override(
            "report",
            top=top,
            min_size=min_size,
            max_size=max_size,
            timezone=timezone,
            brand=",".join(brand) if brand else None,
        )
        data = run_report(store=open_store(store), config=cfg)
        emit_report(data, fmt, output, summary=summary, full=full)


def emit_report(
    data: dict[str, Any],
    fmt: ReportFmt | None,
    output: Path | None,
    *,
    summary: bool = False,
    full: bool = False,
) -> None:
    """Write the report where and how it was asked for (the -o extension picks the format);
    with ``summary`` only its one-page summary."""
    from microcomm.outputs import format_for, write_text
    from microcomm.report import to_json, to_markdown
    from microcomm.report.html import to_html
    from microcomm.report.summary import summary_markdown

    allowed = ["markdown", "json", "html"] + (["terminal"] if output is None else [])
    given = None if fmt is None or (fmt is ReportFmt.terminal and output) else fmt.value
    chosen = format_for(output, given, allowed=allowed) or "terminal"
    if chosen == "terminal":
        if summary:
            render_report.summary_terminal(stdout(), data["summary"])
        else:
            render_report.report_terminal(stdout(), data)
        return
    if chosen == "html":
        text = to_html(data, summary_only=summary)
    elif chosen == "json":
        text = to_json(
            {"microcomm": data["microcomm"], "summary": data["summary"]} if summary else data
        )
    else:
        text = summary_markdown(data["summary"]) if summary else to_markdown(data, full=full)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text(output, text)
        stderr().print(f"[ok]report written to {output}[/ok]", highlight=False)
