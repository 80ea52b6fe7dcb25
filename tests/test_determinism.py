"""Same answer every time (issue 12): the same events, in any row order, split over any files,
ingested in any order, on 1 or 2 threads, give the identical ``communities`` table — the same
memberships, levels, community numbers and scores — with every method and engine.

Thread counts must be set before numpy, polars and igraph are imported, so each variant runs
ingest + detect in a fresh Python process.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from conftest import REALDATA, planted_events
from microcomm.config import Config, DetectConfig

DEMO = Path(__file__).resolve().parents[1] / "src" / "microcomm" / "demo"
SRC = Path(__file__).resolve().parents[1] / "src"

_JOB = """
import json, sys
from microcomm.config import Config
from microcomm.pipeline import run_detect, run_ingest
from microcomm.store import Store

job = json.loads(sys.argv[1])
store = Store(job["store"])
for path in job["files"]:  # one ingest per file, in the order given
    run_ingest([path], store=store)
for name, detect in job["configs"].items():
    run_detect(store=store, config=Config().override("detect", **detect))
    store.communities().write_parquet(f"{job['out']}/{name}.parquet")
"""


def _run(
    files: list[Path], tmp: Path, name: str, *, threads: int, configs: dict[str, dict[str, Any]]
) -> dict[str, pl.DataFrame]:
    """Ingest ``files`` in order and detect with each config, in a process with ``threads``."""
    out = tmp / f"out-{name}"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROCOMM_")}
    n = str(threads)
    env.update(
        PYTHONPATH=str(SRC),
        OMP_NUM_THREADS=n,
        OPENBLAS_NUM_THREADS=n,
        MKL_NUM_THREADS=n,
        POLARS_MAX_THREADS=n,
        RAYON_NUM_THREADS=n,
    )
    job = {
        "store": str(tmp / f"store-{name}"),
        "files": [str(f) for f in files],
        "configs": configs,
        "out": str(out),
    }
    done = subprocess.run(
        [sys.executable, "-c", _JOB, json.dumps(job)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {c: pl.read_parquet(out / f"{c}.parquet") for c in configs}


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """Row order is not part of the answer; everything else is, to the last bit."""
    return frame.sort(["level", "actor"])


def _same(a: dict[str, pl.DataFrame], b: dict[str, pl.DataFrame]) -> None:
    for name in a:
        assert_frame_equal(_canonical(a[name]), _canonical(b[name]), check_exact=True)


def _reshuffled(frames: list[pl.DataFrame], tmp: Path, parts: int, seed: int) -> list[Path]:
    """All rows in a random order, split over ``parts`` CSV files, listed last file first."""
    rows = pl.concat(frames, how="diagonal_relaxed")
    rows = rows.sample(fraction=1.0, shuffle=True, seed=seed)
    paths = []
    for i, chunk in enumerate(np.array_split(np.arange(rows.height), parts)):
        path = tmp / f"part{i}.csv"
        rows[chunk.tolist()].write_csv(path)
        paths.append(path)
    return paths[::-1]


def _read_demo(path: Path) -> pl.DataFrame:
    if path.name.endswith(".parquet"):
        frame = pl.read_parquet(path)
    elif path.name.endswith(".jsonl.gz"):
        frame = pl.read_ndjson(io.BytesIO(gzip.decompress(path.read_bytes())))
    else:
        frame = pl.read_csv(path, infer_schema=False)
    return frame.select(pl.all().cast(pl.String))


def test_numbers_follow_size_then_smallest_member_name() -> None:
    """In-process and quick: shuffled rows give the same table, numbered by the stated rule."""
    from microcomm.pipeline import run_detect, run_ingest
    from microcomm.store import Store

    events = planted_events(n_groups=3, size=10)
    tables = []
    for i, seed in enumerate((None, 7)):
        rows = events if seed is None else events.sample(fraction=1.0, shuffle=True, seed=seed)
        rows.write_csv(f"ev{i}.csv")
        store = Store(f"store{i}")
        run_ingest([f"ev{i}.csv"], store=store)
        run_detect(store=store, config=Config().override("detect", stability_runs=2))
        tables.append(_canonical(store.communities()))
    assert_frame_equal(tables[0], tables[1], check_exact=True)
    for _, level in tables[0].filter(pl.col("community") >= 0).group_by("level"):
        order = (
            level.group_by("community")
            .agg(pl.len().alias("size"), pl.col("actor").min().alias("first"))
            .sort("community")
        )
        expected = order.sort(["size", "first"], descending=[True, False])
        assert order["community"].to_list() == list(range(order.height))
        assert order.rows() == expected.with_columns(
            pl.Series("community", range(order.height))
        ).select(order.columns).rows()


@pytest.mark.slow
def test_demo_same_answer_shuffled_split_reversed_and_threads(tmp_path: Path) -> None:
    """Default config (stability runs and confidences included) on the packaged demo."""
    files = sorted(DEMO.glob("kestrel-*"))
    assert len(files) == 4
    base = _run(files, tmp_path, "base", threads=2, configs={"default": {}})
    reshuffled = _reshuffled([_read_demo(f) for f in files], tmp_path, parts=3, seed=12)
    _same(base, _run(reshuffled, tmp_path, "shuffled", threads=1, configs={"default": {}}))
    assert base["default"]["confidence"].is_not_null().any()


@pytest.mark.slow
def test_every_method_and_engine_gives_the_same_answer(tmp_path: Path) -> None:
    """Each method/engine the config accepts, 2 threads in file order vs 1 thread reshuffled."""
    from microcomm.synth import sparse_audience

    configs: dict[str, dict[str, Any]] = {}
    for method in ("louvain", "leiden", "kmeans", "hdbscan"):
        for engine in ("networkx", "igraph"):
            try:
                DetectConfig(method=method, engine=engine)
            except Exception:  # not a combination this version offers
                continue
            if method != "louvain" and engine != "networkx":
                continue  # detect.engine only chooses Louvain's engine: one run is enough
            configs[f"{method}-{engine}"] = {"method": method, "engine": engine}
    expected = {"leiden-networkx", "louvain-networkx", "louvain-igraph", "kmeans-networkx"}
    assert expected <= set(configs)
    events = sparse_audience(600, seed=5).events
    events.write_csv(tmp_path / "events.csv")
    base = _run([tmp_path / "events.csv"], tmp_path, "base", threads=2, configs=configs)
    files = _reshuffled([events.select(pl.all().cast(pl.String))], tmp_path, parts=2, seed=3)
    _same(base, _run(files, tmp_path, "shuffled", threads=1, configs=configs))


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is absent (a fresh clone)")
def test_realdata_same_answer_in_any_ingest_order_and_thread_count(tmp_path: Path) -> None:
    """The real export samples: the folder at once on 2 threads vs file by file, last file
    first, on 1 thread."""
    from microcomm.store import Store

    configs: dict[str, dict[str, Any]] = {"default": {}}
    base = _run([REALDATA], tmp_path, "base", threads=2, configs=configs)
    # stored paths are relative to what was named (issue 9): realdata/<folder>/<file>
    files = [REALDATA.parent / f["path"] for f in Store(tmp_path / "store-base").manifest()["files"]]
    assert len(files) > 50
    _same(base, _run(files[::-1], tmp_path, "reversed", threads=1, configs=configs))
    assert base["default"]["community"].n_unique() > 5
