"""The one place where exceptions become terminal output and exit codes.

A MicrocommError prints one line (plus its hint) on stderr and exits 1. Usage errors stay
Typer's (exit 2). Anything else is a bug: Typer shows its traceback, locals hidden.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

import typer
from rich.markup import escape

from microcomm.cli.console import stderr
from microcomm.errors import MicrocommError


@contextlib.contextmanager
def handle_errors() -> Iterator[None]:
    try:
        yield
    except MicrocommError as exc:
        console = stderr()
        console.print(f"[err]error:[/err] {escape(exc.message)}", highlight=False, soft_wrap=True)
        if exc.hint:
            console.print(
                f"  [hint]hint:[/hint] {escape(exc.hint)}", highlight=False, soft_wrap=True
            )
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:
        # `microcomm report | head`: the reader left. Exit quietly with 0 like other Unix tools
        # (click would exit 1); stdout goes to /dev/null so the final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0) from None
    except KeyboardInterrupt:
        stderr().print("[warn]interrupted[/warn]: nothing was written to the store")
        raise typer.Exit(130) from None
