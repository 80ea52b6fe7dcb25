"""Progress displays on stderr (hidden when quiet or when stderr is not a terminal)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@contextlib.contextmanager
def file_progress(
    console: Console, *, enabled: bool = True
) -> Iterator[Callable[[str, int], None] | None]:
    """A rows-read counter per file."""
    if not enabled or not console.is_terminal:
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def advance(name: str, rows: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name[-60:], total=None)
            bar.advance(tasks[name], rows)

        yield advance


@contextlib.contextmanager
def stage_progress(
    console: Console, *, enabled: bool = True
) -> Iterator[Callable[[str, int], None] | None]:
    """A spinner naming the current stage."""
    if not enabled or not console.is_terminal:
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(bar_width=None),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)

        def stage(what: str, _n: int) -> None:
            bar.update(task, description=what)

        yield stage
