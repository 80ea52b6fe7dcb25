"""Benchmark every pipeline stage on synthetic audiences: wall time and peak memory.

    python bench/bench.py                       # 100k and 1M events
    python bench/bench.py --sizes 100000 1000000 10000000

Each stage runs in its own process (so peak memory is that stage's own): ingest reads a
canonical JSON Lines file, detect runs the default Louvain method, report builds the
profiles and renders JSON. NMI against the planted truth is printed for each size.
Results go to stdout as a table and to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _stage(stage: str, work: Path) -> dict[str, float]:
    """Run one stage in this (child) process and return its figures."""
    from microcomm.config import Config
    from microcomm.pipeline import run_detect, run_ingest, run_report
    from microcomm.report import to_json
    from microcomm.store import Store

    if stage == "generate":
        return _generate(int(work.name.removeprefix("n")), work)
    if stage == "nmi":
        return {"nmi": _nmi(work)}
    store = Store(work / "store")
    t = time.perf_counter()
    extra: dict[str, float] = {}
    if stage == "ingest":
        result = run_ingest([work / "events.jsonl"], store=store)
        extra["events"] = result.events_added
    elif stage == "detect":
        result = run_detect(store=store, config=Config())
        extra["communities"] = result.communities
        extra["edges"] = result.graph.get("edges", 0)
    elif stage == "report":
        to_json(run_report(store=store, config=Config()))
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB on Linux
    return {"seconds": round(seconds, 2), "peak_mib": round(peak), **extra}


def _nmi(work: Path) -> float:
    import numpy as np
    import polars as pl

    from microcomm.communities import nmi
    from microcomm.store import Store

    truth = pl.read_parquet(work / "truth.parquet").filter(pl.col("community") >= 0)
    found = (
        Store(work / "store")
        .communities()
        .filter(pl.col("level") == 0)
        .select("actor", pl.col("community").alias("found"))
    )
    joined = truth.join(found, on="actor", how="left")
    labels = joined["found"].to_numpy().astype(float)
    missing = np.isnan(labels)
    labels[missing] = 1e7 + np.arange(missing.sum())
    return round(nmi(joined["community"].to_numpy(), labels.astype(int)), 3)


def _generate(n: int, work: Path) -> dict[str, float]:
    """Write the audience (in a child process: the parent stays small, so each stage's
    peak memory is its own — a child inherits its parent's high-water mark at fork)."""
    from microcomm.synth import generate_audience

    t = time.perf_counter()
    # About 100 accounts per community, as in DESIGN.md's measurements (877 at 1M events).
    aud = generate_audience(n, n_communities=max(8, round(n / 1140)), mixing=0.3, seed=1)
    aud.events.write_ndjson(work / "events.jsonl")
    aud.truth.write_parquet(work / "truth.parquet")
    return {
        "seconds": round(time.perf_counter() - t, 1),
        "events": aud.events.height,
        "accounts": aud.truth.height,
    }


def _child(stage: str, work: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--work", str(work)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:  # child process
        print(json.dumps(_stage(args.stage, args.work)))
        return
    results = []
    for n in args.sizes:
        work = args.out / f"n{n}"
        if work.exists():
            import shutil

            shutil.rmtree(work)
        work.mkdir(parents=True)
        gen = _child("generate", work)
        row: dict[str, object] = {"target_events": n, **{f"gen_{k}": v for k, v in gen.items()}}
        for stage in ("ingest", "detect", "report"):
            row.update({f"{stage}_{k}": v for k, v in _child(stage, work).items()})
        row["total_seconds"] = round(
            sum(float(row[f"{s}_seconds"]) for s in ("ingest", "detect", "report")), 2
        )  # type: ignore[arg-type]
        row["nmi"] = _child("nmi", work)["nmi"]
        results.append(row)
        print(
            f"{gen['events']:>11,} events {gen['accounts']:>9,} accounts | "
            f"ingest {row['ingest_seconds']:>6}s {row['ingest_peak_mib']:>6} MiB | "
            f"detect {row['detect_seconds']:>6}s {row['detect_peak_mib']:>6} MiB | "
            f"report {row['report_seconds']:>6}s {row['report_peak_mib']:>6} MiB | "
            f"total {row['total_seconds']:>6}s | NMI {row['nmi']}",
            flush=True,
        )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
