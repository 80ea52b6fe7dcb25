"""Modules a newcomer can read: no module over 400 lines, no function over 80 (issue 7).

Every module of ``src/microcomm`` is held to it (``SIZE_CHECKED`` is the prefix ``""``: the
whole tree); split a module or function that grows past the limit.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "microcomm"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
# Path prefixes under src/microcomm/ held to the limits: all of it.
SIZE_CHECKED: tuple[str, ...] = ("",)


def _checked() -> list[Path]:
    paths = sorted(SRC.rglob("*.py"))
    return [p for p in paths if p.relative_to(SRC).as_posix().startswith(SIZE_CHECKED)]


def _function_lengths(path: Path) -> dict[str, int]:
    """Lines of every function and method (decorators and docstrings included)."""
    lengths = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            lengths[node.name] = (node.end_lineno or node.lineno) - first + 1
    return lengths


def test_every_checked_prefix_exists() -> None:
    # A prefix that matches nothing (a typo, a moved package) would silently check nothing.
    names = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")]
    assert [p for p in SIZE_CHECKED if not any(n.startswith(p) for n in names)] == []


def test_no_module_over_the_line_limit() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in _checked()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_over_the_line_limit() -> None:
    long = {
        f"{path.relative_to(SRC)}:{name}": n
        for path in _checked()
        for name, n in _function_lengths(path).items()
        if n > MAX_FUNCTION_LINES
    }
    assert long == {}


def test_the_length_check_counts_decorators_and_bodies(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    probe = tmp_path / "probe.py"
    probe.write_text(
        f"def short():\n    return 1\n\n\n@staticmethod\ndef long():\n{body}\n",
        encoding="utf-8",
    )
    assert _function_lengths(probe) == {"short": 2, "long": MAX_FUNCTION_LINES + 2}
