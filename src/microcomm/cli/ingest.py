"""`microcomm ingest`."""

from __future__ import annotations

from typing import Annotated

import typer

from microcomm.cli import render
from microcomm.cli.console import stderr, stdout
from microcomm.cli.errors import handle_errors
from microcomm.cli.options import (
    ConfigOpt,
    Fmt,
    MappingOpt,
    PathsArg,
    QuietOpt,
    StoreOpt,
    SurveyOpt,
    config_from,
    open_store,
)
from microcomm.cli.progress import file_progress

PlatformOpt = Annotated[
    str | None,
    typer.Option("--platform", "-p", help="Reader to use instead of sniffing (auto)."),
]
StrictOpt = Annotated[
    bool | None,
    typer.Option(
        "--strict/--lenient",
        help="Fail on the first malformed record instead of skipping and counting it.",
    ),
]
KeepPartialOpt = Annotated[
    bool | None,
    typer.Option(
        "--keep-partial/--no-keep-partial",
        help="Keep the rows read before the cut of a truncated .gz/.zst/.bz2 (marked 'cut').",
    ),
]
FollowOpt = Annotated[
    bool | None,
    typer.Option(
        "--follow-symlinks/--no-follow-symlinks",
        help="Read files in a folder that link outside it (skipped by default).",
    ),
]
PseudonymizeOpt = Annotated[
    bool | None,
    typer.Option(
        "--pseudonymize/--no-pseudonymize",
        help="Store salted keyed hashes (p_3fa9…) instead of handles and names; the salt stays in "
        "the store, so pseudonyms are stable across ingests (ingest.pseudonymize).",
    ),
]
OwnerOpt = Annotated[
    str | None,
    typer.Option(
        "--owner",
        help="Whose export this is when its files do not say (Bluesky follow CSVs, an X "
        "archive without account.js, Reddit CSVs without statistics.csv).",
    ),
]


def ingest(
    paths: PathsArg = None,
    store: StoreOpt = None,
    survey: SurveyOpt = None,
    mapping: MappingOpt = None,
    platform: PlatformOpt = None,
    strict: StrictOpt = None,
    keep_partial: KeepPartialOpt = None,
    follow_symlinks: FollowOpt = None,
    owner: OwnerOpt = None,
    pseudonymize: PseudonymizeOpt = None,
    config: ConfigOpt = None,
    fmt: Annotated[
        Fmt, typer.Option("--format", "-f", help="terminal or json (on stdout).")
    ] = Fmt.terminal,
    quiet: QuietOpt = False,
) -> None:
    """Read export files into the store (atomic; re-ingesting a file changes nothing).

    Example: microcomm ingest exports/instagram.zip tweets.jsonl --survey poll.csv --store brand-data

    Example: microcomm ingest exports/ --pseudonymize --store private-data
    """
    from microcomm.pipeline import run_ingest

    with handle_errors():
        cfg = config_from(config).override(
            "ingest",
            platform=platform,
            strict=strict,
            keep_partial=keep_partial,
            follow_symlinks=follow_symlinks,
            owner=owner,
            pseudonymize=pseudonymize,
        )
        with file_progress(stderr(), enabled=not quiet) as progress:
            result = run_ingest(
                list(paths or []),
                store=open_store(store),
                config=cfg,
                mapping=mapping,
                progress=progress,
                survey=list(survey or []),
            )
    if fmt is Fmt.json:
        typer.echo(render.ingest_json(result))
    elif not quiet:
        if result.files:
            render.ingest_summary(stdout(), result)
        if survey:
            stdout().print(
                f"[ok]{result.answers_added:,} survey answers[/ok] added to {result.store}",
                highlight=False,
            )
