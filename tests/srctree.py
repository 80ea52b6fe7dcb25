"""The modules of ``src/microcomm`` parsed once per test run, for the tests that read the code
itself (module and function sizes, layering, imports): each used to parse and walk every module
again (22,000 lines, ~1 s each)."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "microcomm"


@functools.cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _nested(node: ast.AST) -> Iterator[ast.stmt]:
    # A statement sits only in a body, an else, a finally, an except or a match case: walking
    # those finds every import and every def, without visiting the expressions (nine nodes in
    # ten) that ast.walk visits.
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        for child in getattr(node, field, None) or ():
            if isinstance(child, ast.stmt):
                yield child
            yield from _nested(child)


@functools.cache
def statements(path: Path) -> tuple[ast.stmt, ...]:
    """Every statement of the module at any depth (in functions, classes, ifs, tries…)."""
    return tuple(_nested(tree(path)))


def imports(path: Path) -> Iterator[ast.Import | ast.ImportFrom]:
    return (s for s in statements(path) if isinstance(s, ast.Import | ast.ImportFrom))


def functions(path: Path) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    return (s for s in statements(path) if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef))
