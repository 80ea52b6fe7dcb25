"""Imports point down the pipeline: stage modules never import the CLI, typer or rich."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "microcomm"
FORBIDDEN = ("typer", "rich", "microcomm.cli")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_stage_modules_do_not_import_the_cli() -> None:
    offenders = {}
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "cli" or rel.name == "__main__.py":
            continue
        bad = {
            n
            for n in _imports(path)
            if n.split(".")[0] in ("typer", "rich") or n.startswith("microcomm.cli")
        }
        if bad:
            offenders[str(rel)] = sorted(bad)
    assert offenders == {}


def test_cli_does_not_hold_data_logic() -> None:
    # The CLI renders; polars/numpy/networkx work belongs to the stages.
    for path in (SRC / "cli").glob("*.py"):
        heavy = {
            n
            for n in _imports(path)
            if n.split(".")[0] in ("polars", "numpy", "networkx", "sklearn", "scipy")
        }
        assert not heavy, f"{path.name} imports {heavy}"
