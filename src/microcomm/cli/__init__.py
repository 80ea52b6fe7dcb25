"""The command line: a thin Typer layer over :mod:`microcomm.pipeline`."""

from __future__ import annotations

from typing import Annotated

import typer

from microcomm import __version__
from microcomm.cli.detect import detect
from microcomm.cli.explain import explain
from microcomm.cli.export import export_app
from microcomm.cli.ingest import ingest
from microcomm.cli.report import report
from microcomm.cli.run import demo, run
from microcomm.cli.track import track

app = typer.Typer(
    name="microcomm",
    help="Find the micro communities inside a social audience and what each one cares about.\n\n"
    "Typical session: microcomm ingest EXPORTS... → microcomm detect → microcomm report.\n"
    "Try it first: microcomm demo",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"microcomm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Find the micro communities inside a social audience and what each one cares about."""


app.command()(ingest)
app.command()(detect)
app.command()(report)
app.command()(explain)
app.command()(track)
app.command()(run)
app.command()(demo)
app.add_typer(export_app)


def main() -> None:
    """Console-script entry point."""
    app()
