"""Consoles: data to stdout, messages and progress to stderr. Colours turn off in a pipe and
under NO_COLOR (rich does both)."""

from __future__ import annotations

import os
import sys

from rich.console import Console
from rich.theme import Theme

THEME = Theme(
    {
        "ok": "green",
        "warn": "yellow",
        "err": "bold red",
        "dim": "dim",
        "hint": "cyan",
        "head": "bold",
    }
)


PIPE_WIDTH = 400


class _Stdout(Console):
    def on_broken_pipe(self) -> None:
        """`microcomm report | head`: the reader left; exit 0 quietly (rich would exit 1)."""
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0)


def stdout() -> Console:
    return _Stdout(theme=THEME, width=_width(), soft_wrap=False)


def stderr() -> Console:
    return Console(theme=THEME, stderr=True, width=_width())


def _width() -> int | None:
    value = os.environ.get("MICROCOMM_WIDTH")
    if value and value.isdigit():
        return int(value)
    # In a pipe or a file rich would assume 80 columns and cut tables (dates shown as
    # "2024-12-"); there, lines are as long as their content needs (issue 13).
    return None if sys.stdout.isatty() else PIPE_WIDTH
