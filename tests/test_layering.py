"""Imports point down the pipeline: stage modules never import the CLI, typer or rich."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from srctree import SRC, imports

FORBIDDEN = ("typer", "rich", "microcomm.cli")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in imports(path):
        if node.plain:
            names |= set(node.names)
        elif node.module:
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


# --- stages import only upstream along the pipeline (issue 7 item 6) ----------------------
# ingest → store → filter → graph → communities → profiles → report → track: a stage module may
# import its own stage, the stages before it and the shared bottom modules; never a later stage.
STAGE_ORDER = ("ingest", "store", "filter", "graph", "communities", "profiles", "report", "track")
STAGE_OF = {
    "ingest": "ingest",
    "survey": "ingest",  # survey / poll answer files: read like exports
    "store": "store",
    "storefs": "store",  # the store's filesystem safety (modes, write errors, path checks)
    "filter": "filter",  # spam and junk, between the store and the graph
    "graph": "graph",
    "communities": "communities",
    "profiles": "profiles",
    "report": "report",
    "explain": "report",  # an output: why an account is where it is
    "outputs": "report",  # output files: format by extension, atomic writes
    "export": "report",  # members, communities, graph as files for other tools
    "track": "track",  # the same per period, matched across periods
}
# Shared by every stage; they import only each other.
BOTTOM = {
    *("microcomm", "errors", "schema", "config", "progress"),
    *("normalize", "text", "textsafe", "fileio", "contexts"),
    "brand",  # who the brand is: read by the filter (its accounts are exempt) and the report
    "privacy",  # what may be quoted (small cells): the same rule in every stage
    "pseudonym",  # keyed hashes of handles (ingest writes them; explain and --brand read them)
}
# Outside the stage order: tools that may import only bottom modules and themselves, and the
# layers on top (pipeline, its Python API and the CLI) that may import any stage.
TOOLS = {"synth"}
TOP = {"pipeline", "api", "cli", "__main__"}
# Each allowed exception (importing stage, imported unit), with its reason.
ALLOWED = {
    # ingest's output is a store transaction: the store is ingest's sink (ingest_files(paths,
    # store)), so ingest (and survey) write through Store although the store comes after it.
    ("ingest", "store"),
    # track detects each period with detect's own pipeline.find_communities (one function, so
    # that a period is detected exactly as `detect` would); it could move to communities/.
    ("track", "pipeline"),
}


def _unit(module: str) -> str:
    """``microcomm.report.build`` → ``report``; ``microcomm`` → ``microcomm``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _microcomm_imports(path: Path) -> set[str]:
    package = ["microcomm", *path.relative_to(SRC).parent.parts]
    names: set[str] = set()
    for node in imports(path):
        if node.level:  # relative: resolve against the file's package
            base = package[: len(package) - node.level + 1]
            names.add(".".join([*base, *([node.module] if node.module else [])]))
        elif node.plain:
            names |= set(node.names)
        elif node.module:
            names.add(node.module)
    return {n for n in names if n == "microcomm" or n.startswith("microcomm.")}


def _allowed(unit: str, target: str) -> bool:
    """May a module of ``unit`` import one of ``target``?"""
    if target == unit or target in BOTTOM or (STAGE_OF.get(unit), target) in ALLOWED:
        return True
    if unit == "microcomm":  # the package root re-exports the API lazily
        return target not in TOOLS
    if unit in BOTTOM or unit in TOOLS or target in TOP or target in TOOLS:
        return False
    mine, theirs = STAGE_OF[unit], STAGE_OF.get(target)
    if theirs is None:
        return False
    return STAGE_ORDER.index(theirs) <= STAGE_ORDER.index(mine)


def _stage_offenders() -> dict[str, list[str]]:
    offenders: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        unit = rel.parts[0].removesuffix(".py")
        unit = "microcomm" if unit == "__init__" else unit
        if unit in TOP:
            continue
        bad = [m for m in sorted(_microcomm_imports(path)) if not _allowed(unit, _unit(m))]
        if bad:
            offenders[rel.as_posix()] = bad
    return offenders


def test_every_module_has_a_place_in_the_layers() -> None:
    units = {p.name.removesuffix(".py") for p in SRC.iterdir() if p.suffix == ".py" or p.is_dir()}
    units -= {"__init__", "__pycache__", "demo", "py"}
    unplaced = units - set(STAGE_OF) - BOTTOM - TOOLS - TOP
    assert not unplaced, f"add {sorted(unplaced)} to STAGE_OF, BOTTOM, TOOLS or TOP in this test"


def test_stages_import_only_upstream_stages_and_shared_modules() -> None:
    assert _stage_offenders() == {}


def test_the_layer_check_catches_an_upward_import(tmp_path: Path, monkeypatch) -> None:
    # the checker itself: a graph module importing the report must be reported
    fake = tmp_path / "microcomm"
    (fake / "report").mkdir(parents=True)
    (fake / "graph.py").write_text("from microcomm.report import build_report\n")
    (fake / "store.py").write_text("from .graph import x\nimport microcomm.errors\n")
    (fake / "synth").mkdir()
    (fake / "synth" / "a.py").write_text("from microcomm.store import Store\n")
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    assert _stage_offenders() == {
        "graph.py": ["microcomm.report"],
        "store.py": ["microcomm.graph"],
        "synth/a.py": ["microcomm.store"],
    }


def test_no_module_imports_the_api_shadowed_packages_by_alias() -> None:
    # `import microcomm.ingest as x` binds the function microcomm.ingest (the notebook API),
    # not the package: see microcomm/__init__.py. Use `from microcomm.ingest import ...`.
    root = SRC.parents[1]
    pattern = re.compile(r"^\s*import microcomm\.(ingest|report) as (?!_\b)", re.M)
    files = [*SRC.rglob("*.py"), *(root / "tests").rglob("*.py"), *(root / "bench").rglob("*.py")]
    assert [p.name for p in files if pattern.search(p.read_text(encoding="utf-8"))] == []
