"""Options shared by several commands (one definition each)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # imported when a command runs, not for --help (they load polars)
    from microcomm.config import Config
    from microcomm.store import Store

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        "-s",
        help="Store directory. \\[default: $MICROCOMM_STORE or ./microcomm-data]",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="YAML config (see configs/default.yaml).", show_default=False
    ),
]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress or summary on the terminal.")
]

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Export files, folders or ZIP archives.", show_default=False),
]
MappingOpt = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        "-m",
        help="YAML column mapping for other tools' CSV/JSONL (see configs/mappings/).",
    ),
]
SurveyOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--survey",
        help="Survey or poll answers (CSV/JSONL with actor, question, answer, optional platform) "
        "to join to the people who gave them. Repeatable.",
        show_default=False,
    ),
]
ResolutionOpt = Annotated[
    float | None,
    typer.Option(
        "--resolution",
        "-r",
        help="Modularity resolution: higher finds smaller communities; 0 follows the audience size (detect.micro_size). \\[default: 0]",
        show_default=False,
    ),
]
SeedOpt = Annotated[
    int | None,
    typer.Option(
        "--seed", help="Random seed (stored with the result). \\[default: 42]", show_default=False
    ),
]

KeepSpamOpt = Annotated[
    bool | None,
    typer.Option(
        "--keep-spam/--filter-spam",
        help="Keep spam in the graph and the report (filter.keep_spam). \\[default: filter it]",
        show_default=False,
    ),
]
BrandOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--brand",
        help="The brand's account (repeatable; report.brand): posts that @mention it count as "
        "messages to the brand, and it is never filtered as spam. \\[default: found in the data]",
        show_default=False,
    ),
]


class Fmt(StrEnum):
    terminal = "terminal"
    json = "json"


class ReportFmt(StrEnum):
    terminal = "terminal"
    markdown = "markdown"
    json = "json"
    html = "html"


def open_store(path: Path | None) -> Store:
    """The store at ``path``; while another process holds its lock, stderr says so (once)."""
    from microcomm.store import Store, default_store_path

    return Store(path or default_store_path(), on_wait=say_waiting)


def say_waiting(message: str) -> None:
    """Tell the user on stderr that this command waits for another one's store lock."""
    from rich.text import Text

    from microcomm.cli.console import stderr

    stderr().print(Text(message, style="warn"))


def config_from(path: Path | None) -> Config:
    from microcomm.config import load_config

    return load_config(path)
