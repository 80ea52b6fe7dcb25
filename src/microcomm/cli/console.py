"""Consoles: data to stdout, messages and progress to stderr. Colours turn off in a pipe and
under NO_COLOR (rich does both)."""

from __future__ import annotations

import os

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


def stdout() -> Console:
    return Console(theme=THEME, width=_width(), soft_wrap=False)


def stderr() -> Console:
    return Console(theme=THEME, stderr=True, width=_width())


def _width() -> int | None:
    value = os.environ.get("MICROCOMM_WIDTH")
    return int(value) if value and value.isdigit() else None
