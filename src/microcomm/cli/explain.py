"""`microcomm explain`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from microcomm.cli import render
from microcomm.cli.console import stdout
from microcomm.cli.errors import handle_errors
from microcomm.cli.options import ConfigOpt, Fmt, StoreOpt, config_from, open_store
from microcomm.cli.render_filter import filtered_account_terminal, filtered_events_terminal


def explain(
    actor: Annotated[str, typer.Argument(help="The account handle (with or without @).")],
    store: StoreOpt = None,
    config: ConfigOpt = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top", "-n", help="Contexts and ties to list. \\[default: 10]", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        Fmt, typer.Option("--format", "-f", help="terminal or json (on stdout).")
    ] = Fmt.terminal,
) -> None:
    """Say why an account is in its community: the posts, accounts and tags it shares with
    fellow members, with counts, and how its ties split — or why the spam filter set it or
    some of its events aside.

    Example: microcomm explain @sunnyfox12 --store brand-data
    """
    from microcomm.filter.audit import FilteredAccount
    from microcomm.pipeline import run_explain

    with handle_errors():
        cfg = config_from(config).override("report", top=top)
        result = run_explain(actor, store=open_store(store), config=cfg)
    if fmt is Fmt.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif isinstance(result, FilteredAccount):
        render.lookalikes(stdout(), result.actor, result.lookalike_letters)
        filtered_account_terminal(stdout(), result)
    else:
        render.explain_terminal(stdout(), result)
        filtered_events_terminal(stdout(), result.extra.get("filtered"))
