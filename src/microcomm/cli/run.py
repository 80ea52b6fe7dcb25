"""`microcomm run` and `microcomm demo`: ingest → detect → report in one go."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from microcomm.cli import render
from microcomm.cli.console import stderr
from microcomm.cli.errors import handle_errors
from microcomm.cli.ingest import PlatformOpt, PseudonymizeOpt, StrictOpt
from microcomm.cli.options import (
    BrandOpt,
    ConfigOpt,
    KeepSpamOpt,
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
from microcomm.cli.report import (
    FormatOpt,
    FullOpt,
    MaxSizeOpt,
    MinSizeOpt,
    OutputOpt,
    SummaryOpt,
    TimezoneOpt,
    TopOpt,
    emit_report,
)

if TYPE_CHECKING:
    from microcomm.config import Config
    from microcomm.store import Store


def run(
    paths: PathsArg,
    store: StoreOpt = None,
    config: ConfigOpt = None,
    mapping: MappingOpt = None,
    survey: SurveyOpt = None,
    platform: PlatformOpt = None,
    strict: StrictOpt = None,
    pseudonymize: PseudonymizeOpt = None,
    resolution: ResolutionOpt = None,
    seed: SeedOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    summary: SummaryOpt = False,
    full: FullOpt = False,
    top: TopOpt = None,
    min_size: MinSizeOpt = None,
    max_size: MaxSizeOpt = None,
    timezone: TimezoneOpt = None,
    keep_spam: KeepSpamOpt = None,
    brand: BrandOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Ingest, detect and report in one command (the options of the three commands).

    Example: microcomm run exports/ --store brand-data --timezone Europe/Paris -o report.html
    """
    with handle_errors():
        cfg = (
            config_from(config)
            .override("ingest", platform=platform, strict=strict, pseudonymize=pseudonymize)
            .override("detect", resolution=resolution, seed=seed)
            .override(
                "report",
                top=top,
                min_size=min_size,
                max_size=max_size,
                timezone=timezone,
                brand=",".join(brand) if brand else None,
            )
            .override("filter", keep_spam=keep_spam)
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
            summary=summary,
            full=full,
        )


def demo(
    store: StoreOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    top: TopOpt = 5,
    quiet: QuietOpt = False,
) -> None:
    """Run the whole pipeline on the bundled example audience of Kestrel Outdoor.

    Example: microcomm demo --format markdown --output demo-report.md
    """
    from importlib.resources import files

    from microcomm.config import Config

    with handle_errors():
        data = files("microcomm") / "demo"
        paths = sorted(Path(str(p)) for p in data.iterdir() if p.name.startswith("kestrel-"))
        survey = sorted(Path(str(p)) for p in data.iterdir() if p.name.startswith("survey-"))
        # Without --store the demo works in a temporary store and removes it (no stray
        # stores in the temp folder); with --store the store stays for the next commands.
        with tempfile.TemporaryDirectory(prefix="microcomm-demo-") as tmp:
            target = store or Path(tmp) / "store"
            _pipeline(
                paths,
                open_store(target),
                Config().override("report", top=top),
                mapping=None,
                survey=survey,
                fmt=fmt,
                output=output,
                quiet=quiet,
            )
    if not quiet:
        stderr().print(_next_hint(store), highlight=False, soft_wrap=True)


def _next_hint(store: Path | None) -> str:
    """What to run after the demo, exactly as it can be typed (`microcomm` may not be on PATH
    when it lives in a virtual environment)."""
    import shutil
    import sys

    beside = Path(sys.executable).with_name("microcomm")  # the venv's console script
    exe = (
        "microcomm"
        if shutil.which("microcomm")
        else str(beside)
        if beside.exists()
        else f"{sys.executable} -m microcomm"
    )
    if store is None:
        return (
            f"[hint]next:[/hint] keep the demo's store with `{exe} demo --store kestrel-data`, "
            f"then `{exe} report --store kestrel-data -o kestrel.html`"
        )
    return f"[hint]next:[/hint] `{exe} report --store {store} -o kestrel.html`"


def _pipeline(
    paths: list[Path],
    store: Store,
    cfg: Config,
    *,
    mapping: Path | None,
    survey: list[Path],
    fmt: ReportFmt | None,
    output: Path | None,
    quiet: bool,
    summary: bool = False,
    full: bool = False,
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
        # run and demo report right away: no "next: microcomm report" in between
        render.detect_summary(err, result.detect, hint=False)
    emit_report(result.report, fmt, output, summary=summary, full=full)
