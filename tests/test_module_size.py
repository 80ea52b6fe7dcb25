"""Modules a newcomer can read: no module over 400 lines, no function over 80 (issue 7).

Every module of ``src/microcomm`` is held to it (``SIZE_CHECKED`` is the prefix ``""``: the
whole tree); split a module or function that grows past the limit.
"""

from __future__ import annotations

from pathlib import Path

from srctree import SRC, functions

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
# Path prefixes under src/microcomm/ held to the limits: all of it.
SIZE_CHECKED: tuple[str, ...] = ("",)


def _checked() -> list[Path]:
    paths = sorted(SRC.rglob("*.py"))
    return [p for p in paths if p.relative_to(SRC).as_posix().startswith(SIZE_CHECKED)]


def _function_lengths(path: Path) -> dict[tuple[str, int], int]:
    """Lines of every function and method (decorators and docstrings included), keyed by
    qualified name and line: two functions of one name (methods of two classes, a redefinition)
    are each held to the limit, not one hidden by the other."""
    return {(f.qualname, f.line): f.last - f.first + 1 for f in functions(path)}


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
        f"{path.relative_to(SRC)}:{line}:{name}": n
        for path in _checked()
        for (name, line), n in _function_lengths(path).items()
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
    assert _function_lengths(probe) == {("short", 1): 2, ("long", 6): MAX_FUNCTION_LINES + 2}


def test_functions_of_one_name_are_each_checked(tmp_path: Path) -> None:
    # Keyed by bare name, the short `run` of B (or the later `helper`) hid the long one of A.
    body = "\n".join(f"        x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    probe = tmp_path / "probe.py"
    probe.write_text(
        f"class A:\n    def run(self):\n{body}\n\n\n"
        "class B:\n    def run(self):\n        return 1\n\n\n"
        "def helper():\n    def inner():\n        return 2\n    return inner\n\n\n"
        "def helper():\n    return 3\n",
        encoding="utf-8",
    )
    b = MAX_FUNCTION_LINES + 5  # the line of `class B`
    assert _function_lengths(probe) == {
        ("A.run", 2): MAX_FUNCTION_LINES + 1,
        ("B.run", b + 1): 2,
        ("helper", b + 5): 4,
        ("helper.inner", b + 6): 2,
        ("helper", b + 11): 2,
    }
