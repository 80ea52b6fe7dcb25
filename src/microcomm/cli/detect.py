"""`microcomm detect`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from microcomm.cli import render
from microcomm.cli.console import stderr, stdout
from microcomm.cli.errors import handle_errors
from microcomm.cli.options import (
    BrandOpt,
    ConfigOpt,
    Fmt,
    KeepSpamOpt,
    QuietOpt,
    ResolutionOpt,
    SeedOpt,
    StoreOpt,
    config_from,
    open_store,
)
from microcomm.cli.progress import stage_progress


class Method(StrEnum):
    leiden = "leiden"
    louvain = "louvain"
    kmeans = "kmeans"
    hdbscan = "hdbscan"


class Engine(StrEnum):
    auto = "auto"
    networkx = "networkx"
    igraph = "igraph"


def detect(
    store: StoreOpt = None,
    config: ConfigOpt = None,
    resolution: ResolutionOpt = None,
    seed: SeedOpt = None,
    method: Annotated[
        Method | None,
        typer.Option(
            "--method",
            help="leiden or louvain (graph communities) or kmeans / hdbscan (interest segments). \\[default: leiden]",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        Engine | None,
        typer.Option(
            "--engine",
            help="Louvain engine (--method louvain); auto uses igraph on large graphs. \\[default: auto]",
            show_default=False,
        ),
    ] = None,
    min_size: Annotated[
        int | None,
        typer.Option(
            "--min-size",
            help="Smallest community kept: smaller groups join the community they are most tied to, or are counted as unplaced. \\[default: 5]",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        Fmt, typer.Option("--format", "-f", help="terminal or json (on stdout).")
    ] = Fmt.terminal,
    keep_spam: KeepSpamOpt = None,
    brand: BrandOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Find communities in the co-engagement graph and save them in the store. Spam is set
    aside first (see `microcomm export filtered`) unless --keep-spam.

    Example: microcomm detect --store brand-data --resolution 1.5 --seed 7
    """
    from microcomm.pipeline import run_detect

    with handle_errors():
        cfg = (
            config_from(config)
            .override(
                "detect",
                resolution=resolution,
                seed=seed,
                method=method.value if method else None,
                engine=engine.value if engine else None,
                min_size=min_size,
            )
            .override("filter", keep_spam=keep_spam)
            .override("report", brand=",".join(brand) if brand else None)
        )
        with stage_progress(stderr(), enabled=not quiet) as stage:
            result = run_detect(store=open_store(store), config=cfg, stage=stage)
    if fmt is Fmt.json:
        typer.echo(render.detect_json(result))
    elif not quiet:
        render.detect_summary(stdout(), result)
