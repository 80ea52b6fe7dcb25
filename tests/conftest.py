"""Shared fixtures: a tiny planted audience, an isolated store, a CLI runner with plain output."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

# No cyclic garbage collection while the test modules and the libraries they use are imported
# (nothing there is garbage: 8 full collections walking a growing heap, ~1 s of CPU); after
# collection the heap built so far is frozen out of later collections (pytest_collection_finish).
gc.disable()

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
import pytest  # noqa: E402
import typer  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


@pytest.fixture(scope="session")
def _scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scratch", numbered=False)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _scratch: Path) -> None:
    """No MICROCOMM_* from the developer's shell; plain, wide, colourless output; a temp folder
    of the session's own (each ingest lists its temp folder to sweep unpack folders of killed
    ingests: a shared /tmp of 13,000 entries cost ~15 ms an ingest)."""
    import os
    import tempfile

    for key in list(os.environ):
        if key.startswith("MICROCOMM_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("MICROCOMM_WIDTH", "200")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TMPDIR", str(_scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(_scratch))
    monkeypatch.chdir(tmp_path)


def _build_each_command_tree_once() -> None:
    """Typer's ``CliRunner.invoke`` rebuilds the app's whole click command tree (type hints of
    every option of every command, ~30 ms) at each call; an app's tree never changes in a test
    run, so it is built once per app. The commands run exactly as before."""
    import typer.testing

    build = getattr(typer.testing, "_get_command", None)
    if build is None or getattr(build, "cached", False):
        return  # another typer: leave it be
    built: dict[int, tuple[object, object]] = {}  # the app is kept so that its id stays its own

    def get_command(app: typer.Typer) -> object:
        if id(app) not in built:
            built[id(app)] = (app, build(app))
        return built[id(app)][1]

    get_command.cached = True  # type: ignore[attr-defined]
    typer.testing._get_command = get_command  # type: ignore[attr-defined]


_build_each_command_tree_once()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


def planted_events(
    n_groups: int = 2, size: int = 12, posts: int = 4, seed: int = 0
) -> pl.DataFrame:
    """Two (or more) groups that each comment on their own posts and use their own hashtag."""
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(n_groups):
        for m in range(size):
            actor = f"g{g}_m{m:02d}"
            for p in rng.choice(posts, size=3, replace=False):
                rows.append(
                    {
                        "platform": "instagram",
                        "kind": "comment",
                        "actor": actor,
                        "target": f"post{g}_{p}",
                        "text": f"love this #group{g}tag #brand",
                        "created_at": f"2026-05-0{1 + g}T1{m % 10}:00:00Z",
                    }
                )
    return pl.DataFrame(rows)


@pytest.fixture
def tiny_csv(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.csv"
    planted_events().write_csv(path)
    return path


def _files(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


@pytest.fixture(scope="session")
def detected_tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The store of ``tiny.csv`` (:func:`planted_events`) ingested and detected with the
    defaults, once per run, for the tests that only read it (explain, report options): READ
    ONLY — copy it (``shutil.copytree``) to change it. A test that writes to it fails at the end
    of the run."""
    from microcomm.pipeline import run_detect, run_ingest
    from microcomm.store import Store

    root = tmp_path_factory.mktemp("detected-tiny")
    planted_events().write_csv(root / "tiny.csv")
    store = Store(root / "store")
    run_ingest([root / "tiny.csv"], store=store)
    run_detect(store=store)
    before = _files(store.root)
    yield store.root
    assert _files(store.root) == before, "a test wrote to the shared detected_tiny store"


def pytest_configure(config: pytest.Config) -> None:
    # pytest rewrites the asserts of every module of a package that ships a pytest plugin: all
    # of hypothesis (~80 modules, its own asserts, none of ours) at each run where the rewritten
    # bytecode cannot be cached (PYTHONDONTWRITEBYTECODE), 1.2 s of CPU. Our tests, conftest
    # and helpers stay rewritten. Nothing happens if pytest keeps its marks elsewhere.
    hook = getattr(config.pluginmanager, "rewrite_hook", None)
    marked = getattr(hook, "_must_rewrite", None)
    if isinstance(marked, set):
        marked.discard("hypothesis")


# Doctests cannot carry a marker: the slow ones are named here (each runs a whole detection).
SLOW_DOCTESTS = {"microcomm.api"}


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.enable()
    gc.collect()
    gc.freeze()  # modules, functions, test items: alive to the end, never garbage


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if type(item).__name__ == "DoctestItem" and item.name in SLOW_DOCTESTS:
            item.add_marker(pytest.mark.slow)
