"""Progress displays on stderr (hidden when quiet or when stderr is not a terminal)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from microcomm.progress import ProgressCallback as Callback


@contextlib.contextmanager
def _progress(
    console: Console, enabled: bool, *columns: ProgressColumn
) -> Iterator[Progress | None]:
    if not enabled or not console.is_terminal:
        yield None
        return
    with Progress(
        SpinnerColumn(), *columns, TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        yield bar


@contextlib.contextmanager
def file_progress(console: Console, *, enabled: bool = True) -> Iterator[Callback | None]:
    """A rows-read counter per file."""
    with _progress(
        console, enabled, TextColumn("{task.description}"), TextColumn("{task.completed:,} rows")
    ) as bar:
        if bar is None:
            yield None
            return
        tasks: dict[str, TaskID] = {}

        def advance(name: str, rows: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name[-60:], total=None)
            bar.advance(tasks[name], rows)

        yield advance


@contextlib.contextmanager
def stage_progress(console: Console, *, enabled: bool = True) -> Iterator[Callback | None]:
    """A spinner naming the current stage."""
    with _progress(
        console, enabled, TextColumn("{task.description}"), BarColumn(bar_width=None)
    ) as bar:
        if bar is None:
            yield None
            return
        task = bar.add_task("starting", total=None)
        yield lambda what, _n: bar.update(task, description=what)


@contextlib.contextmanager
def run_progress(
    console: Console, *, enabled: bool = True
) -> Iterator[tuple[Callback | None, Callback | None]]:
    """Rows per file, then the current stage, in one display (one live display at a time):
    the ``progress`` and ``stage`` callbacks of :func:`microcomm.pipeline.run_all`."""
    with _progress(
        console, enabled, TextColumn("{task.description}"), TextColumn("{task.fields[count]}")
    ) as bar:
        if bar is None:
            yield None, None
            return
        tasks: dict[str, TaskID] = {}
        rows: dict[str, int] = {}
        stage = bar.add_task("starting", total=None, count="")

        def advance(name: str, n: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name[-60:], total=None, count="")
            rows[name] = rows.get(name, 0) + n
            bar.update(tasks[name], count=f"{rows[name]:,} rows")

        yield advance, lambda what, _n: bar.update(stage, description=what)
