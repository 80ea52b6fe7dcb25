"""`microcomm export …`: tables of the current run written to files, the format chosen by the
output's extension. A Typer group: each table is one subcommand (``filtered`` first; members,
communities, graph and tracking join it)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from microcomm.cli.console import stdout
from microcomm.cli.errors import handle_errors
from microcomm.cli.options import ConfigOpt, QuietOpt, StoreOpt, config_from, open_store
from microcomm.cli.track import PeriodOption, RunsOpt, SinceOpt, UntilOpt

export_app = typer.Typer(
    name="export",
    help="Write tables of the current run to CSV, Parquet or JSON (by the file's extension).\n\n"
    "Example: microcomm export filtered --output spam.csv",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

OutputOpt = Annotated[
    Path,
    typer.Option(
        "--output", "-o", help="File to write: .csv, .parquet or .json.", show_default=False
    ),
]
GraphOutputOpt = Annotated[
    Path,
    typer.Option(
        "--output", "-o", help="File to write: .gexf (GEXF 1.3) or .graphml.", show_default=False
    ),
]


def _export(what: str, output: Path, store: Path | None, config: Path | None, quiet: bool) -> None:
    from microcomm.pipeline import run_export

    with handle_errors():
        done = run_export(what, output, store=open_store(store), config=config_from(config))
    if not quiet:
        n = (
            f"{done['nodes']:,} accounts and {done['edges']:,} ties"
            if what == "graph"
            else f"{done['rows']:,} rows"
        )
        stdout().print(f"[ok]{what}: {n} written to {output}[/ok]", highlight=False)


@export_app.command("members")
def members(
    output: OutputOpt, store: StoreOpt = None, config: ConfigOpt = None, quiet: QuietOpt = False
) -> None:
    """One row per placed account, for an ads tool or a CRM.

    Columns: actor, community_0 (micro), community_1… (coarser levels), label, strength,
    confidence, role (core, creator, bridge, or member). CSV cells starting with = + - @ get a
    leading ' so spreadsheets never run them.

    Example: microcomm export members --output members.csv
    """
    _export("members", output, store, config, quiet)


@export_app.command("communities")
def communities(
    output: OutputOpt, store: StoreOpt = None, config: ConfigOpt = None, quiet: QuietOpt = False
) -> None:
    """One row per community shown in the report.

    Columns: id, label, size, stability, flags, top_interests, peak (hour of the week) and its
    timezone, main_platform, macro (the coarser community it nests in).

    Example: microcomm export communities --output communities.parquet
    """
    _export("communities", output, store, config, quiet)


@export_app.command("graph")
def graph(
    output: GraphOutputOpt,
    store: StoreOpt = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """The co-engagement graph for Gephi (GEXF 1.3) or any GraphML tool.

    Every tie keeps its weight; each account has community_0, community_1… (-1 = not placed),
    label (its handle), community_label and size (members of its micro community).

    Example: microcomm export graph --output audience.gexf
    """
    _export("graph", output, store, config, quiet)


@export_app.command("tracking")
def tracking(
    output: OutputOpt,
    store: StoreOpt = None,
    config: ConfigOpt = None,
    period: PeriodOption = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    runs: RunsOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Month over month as a table: one row per community line and period.

    Columns: line, name, period, community, size, transition (first, birth, continuation,
    growth, shrink, merge, split, death), before, stayed, joined, left. Same options as
    `microcomm track`.

    Example: microcomm export tracking --output tracking.csv --period month --since 2026-01-01
    """
    from microcomm.cli.track import track_config
    from microcomm.pipeline import run_track
    from microcomm.track.output import check_tracking_target, write_tracking

    with handle_errors():
        check_tracking_target(output)  # a wrong extension fails before the work
        cfg = track_config(config, period, since, until)
        rows = write_tracking(run_track(store=open_store(store), config=cfg, runs=runs), output)
    if not quiet:
        stdout().print(f"[ok]tracking: {rows:,} rows written to {output}[/ok]", highlight=False)


@export_app.command("filtered")
def filtered(
    output: OutputOpt, store: StoreOpt = None, config: ConfigOpt = None, quiet: QuietOpt = False
) -> None:
    """Every event the spam filter set aside, with its reason.

    Columns: event_id, actor, platform, reason, text (the audit of issue 8). The text is left
    empty for a DM or a text fewer than report.min_quote_senders accounts sent (privacy).

    Example: microcomm export filtered --output spam.csv --store brand-data
    """
    from microcomm.errors import EmptyStoreError
    from microcomm.filter.audit import write_filtered

    with handle_errors():
        st = open_store(store)
        st.require_events()
        if st.current_run() is None:
            raise EmptyStoreError(
                f"{st.root}: no communities have been detected yet, so nothing was filtered",
                hint="run `microcomm detect` first",
            )
        k = config_from(config).report.min_quote_senders
        n = write_filtered(st.filtered(), output, min_senders=k)
    if not quiet:
        stdout().print(f"[ok]{n:,} filtered events written to {output}[/ok]", highlight=False)
