"""`microcomm run` and `microcomm demo`: ingest → detect → report in one go."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from microcomm.cli import render
from microcomm.cli.console import stderr
from microcomm.cli.errors import handle_errors
from microcomm.cli.options import (
    ConfigOpt,
    MappingOpt,
    PathsArg,
    QuietOpt,
    ReportFmt,
    ResolutionOpt,
    SeedOpt,
    StoreOpt,
    SurveyOpt,
    config_from,
    open_store,
)
from microcomm.cli.progress import run_progress
from microcomm.cli.report import MinSizeOpt, OutputOpt, TopOpt, emit_report

if TYPE_CHECKING:
    from microcomm.config import Config
    from microcomm.store import Store


def run(
    paths: PathsArg,
    store: StoreOpt = None,
    config: ConfigOpt = None,
    mapping: MappingOpt = None,
    survey: SurveyOpt = None,
    resolution: ResolutionOpt = None,
    seed: SeedOpt = None,
    fmt: Annotated[
        ReportFmt, typer.Option("--format", "-f", help="terminal, markdown or json.")
    ] = ReportFmt.terminal,
    output: OutputOpt = None,
    top: TopOpt = None,
    min_size: MinSizeOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Ingest, detect and report in one command.

    Example: microcomm run exports/ --store brand-data --format markdown -o report.md
    """
    with handle_errors():
        cfg = (
            config_from(config)
            .override("detect", resolution=resolution, seed=seed)
            .override("report", top=top, min_size=min_size)
        )
        _pipeline(
            list(paths or []),
            open_store(store),
            cfg,
            mapping=mapping,
            survey=list(survey or []),
            fmt=fmt,
            output=output,
            quiet=quiet,
        )


def demo(
    store: StoreOpt = None,
    fmt: Annotated[
        ReportFmt, typer.Option("--format", "-f", help="terminal, markdown or json.")
    ] = ReportFmt.terminal,
    output: OutputOpt = None,
    top: TopOpt = 5,
    quiet: QuietOpt = False,
) -> None:
    """Run the whole pipeline on the bundled example audience of Kestrel Outdoor.

    Example: microcomm demo --format markdown --output demo-report.md
    """
    from importlib.resources import files

    from microcomm.config import Config
    from microcomm.store import Store

    with handle_errors():
        data = files("microcomm") / "demo"
        paths = sorted(Path(str(p)) for p in data.iterdir() if p.name.startswith("kestrel-"))
        survey = sorted(Path(str(p)) for p in data.iterdir() if p.name.startswith("survey-"))
        target = store or Path(tempfile.mkdtemp(prefix="microcomm-demo-"))
        if not quiet:
            stderr().print(
                f"[dim]demo store: {target} (keep it with --store DIR)[/dim]", highlight=False
            )
        _pipeline(
            paths,
            Store(target),
            Config().override("report", top=top),
            mapping=None,
            survey=survey,
            fmt=fmt,
            output=output,
            quiet=quiet,
        )


def _pipeline(
    paths: list[Path],
    store: Store,
    cfg: Config,
    *,
    mapping: Path | None,
    survey: list[Path],
    fmt: ReportFmt,
    output: Path | None,
    quiet: bool,
) -> None:
    from microcomm.pipeline import run_all

    err = stderr()
    with run_progress(err, enabled=not quiet) as (progress, stage):
        result = run_all(
            paths,
            store=store,
            config=cfg,
            mapping=mapping,
            survey=survey,
            progress=progress,
            stage=stage,
        )
    if not quiet:
        render.ingest_line(err, result.ingest)
        render.detect_summary(err, result.detect)
    emit_report(result.report, fmt, output)
