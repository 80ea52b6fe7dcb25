"""What the tests that read the code itself need of each module of ``src/microcomm`` (imports,
functions), parsed once per test run: the size, layering and import checks each parsed and
walked every module again (22,000 lines).

Only small tuples are kept, never the syntax trees: a million AST nodes alive for the rest of
the run would make every later full garbage collection walk them. Parsing runs with the
collector paused (syntax trees hold no reference cycles): in a test process whose heap holds
polars, scikit-learn and the stores of earlier tests, collections triggered by the parse cost
more than the parse itself.
"""

from __future__ import annotations

import ast
import functools
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

SRC = Path(__file__).resolve().parents[1] / "src" / "microcomm"


class Imported(NamedTuple):
    """``import a, b.c`` → module None, names (a, b.c); ``from ..x import y`` → x, (y,), 2."""

    module: str | None
    names: tuple[str, ...]
    level: int

    @property
    def plain(self) -> bool:
        """``import a, b.c``, not ``from … import``."""
        return self.module is None and not self.level


class Function(NamedTuple):
    qualname: str  # Class.method, outer.inner
    line: int  # of the def
    first: int  # its first decorator's line, else the def's
    last: int


class Module(NamedTuple):
    imports: tuple[Imported, ...]
    functions: tuple[Function, ...]


def _parse(path: Path) -> ast.Module:
    paused = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    finally:
        if paused:
            gc.enable()


def _statements(node: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.stmt]]:
    """Every statement at any depth with the qualified name of the def or class it is in.

    A statement sits only in a body, an else, a finally, an except or a match case: walking
    those finds every import and every def without visiting expressions (nine nodes in ten).
    """
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        for child in getattr(node, field, None) or ():
            if isinstance(child, ast.stmt):
                yield prefix, child
            inner = prefix
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = f"{prefix}{child.name}."
            yield from _statements(child, inner)


@functools.cache
def module(path: Path) -> Module:
    imports, functions = [], []
    for prefix, node in _statements(_parse(path)):
        if isinstance(node, ast.Import):
            imports.append(Imported(None, tuple(a.name for a in node.names), 0))
        elif isinstance(node, ast.ImportFrom):
            names = tuple(a.name for a in node.names)
            imports.append(Imported(node.module, names, node.level))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            last = node.end_lineno or node.lineno
            functions.append(Function(prefix + node.name, node.lineno, first, last))
    return Module(tuple(imports), tuple(functions))


def imports(path: Path) -> tuple[Imported, ...]:
    return module(path).imports


def functions(path: Path) -> tuple[Function, ...]:
    return module(path).functions
