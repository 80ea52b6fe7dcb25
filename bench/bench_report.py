"""Benchmark of ``report`` (community profiles) on a synthetic audience of 1 M events.

Generates ``generate_audience(1_000_000, n_communities=877)`` with its survey answers,
ingests it, detects communities (with the stability runs of ``detect.stability_runs``), then
times :func:`microcomm.pipeline.run_report` in a fresh process and reports its wall time and
peak memory (max RSS of that process), plus the time of each report section.

    python bench/bench_report.py                       # 1 M events, store in a temp dir
    python bench/bench_report.py --store /tmp/b1m      # keep the store; reuse it next time
    python bench/bench_report.py --events 100000 --communities 88
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def prepare(store_dir: Path, *, events: int, communities: int, seed: int) -> dict[str, float]:
    """Generate, ingest and detect into ``store_dir``; the seconds each step took."""
    from microcomm.pipeline import run_detect, run_ingest
    from microcomm.store import Store
    from microcomm.synth import generate_audience

    seconds: dict[str, float] = {}
    t = time.perf_counter()
    aud = generate_audience(events, n_communities=communities, seed=seed)
    work = store_dir.parent / f"{store_dir.name}-input"
    work.mkdir(parents=True, exist_ok=True)
    aud.events.write_parquet(work / "events.parquet")
    aud.answers.write_csv(work / "survey.csv")
    seconds["generate"] = time.perf_counter() - t
    store = Store(store_dir)
    t = time.perf_counter()
    run_ingest([work / "events.parquet"], store=store, survey=[work / "survey.csv"])
    seconds["ingest"] = time.perf_counter() - t
    t = time.perf_counter()
    result = run_detect(store=store)
    seconds["detect"] = time.perf_counter() - t
    seconds.update({f"detect.{k}": v for k, v in result.seconds.items()})
    print(
        f"prepared {aud.events.height:,} events, {result.accounts:,} accounts, "
        f"{result.communities:,} communities",
        file=sys.stderr,
    )
    return seconds


def time_report(store_dir: Path) -> dict[str, float]:
    """Run the report in this process; wall time, per-section times and peak RSS."""
    from microcomm.config import Config
    from microcomm.pipeline import run_report
    from microcomm.store import Store

    sections: dict[str, float] = {}
    t = time.perf_counter()
    data = run_report(store=Store(store_dir), config=Config(), timings=sections)
    wall = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "report_seconds": wall,
        "peak_mb": peak_mb,
        "communities": float(len(data["communities"])),
        **{f"section.{k}": v for k, v in sections.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--communities", type=int, default=877)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--store", type=Path, default=None, help="reuse this store if it exists")
    parser.add_argument("--report-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.report_only:  # the child process: only the report, so its peak RSS is its own
        print(json.dumps(time_report(args.report_only)))
        return
    store_dir = args.store or Path(tempfile.mkdtemp(prefix="microcomm-bench-")) / "store"
    prep: dict[str, float] = {}
    if not (store_dir / "manifest.json").is_file():
        prep = prepare(store_dir, events=args.events, communities=args.communities, seed=args.seed)
    child = subprocess.run(
        [sys.executable, __file__, "--report-only", str(store_dir)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    for key, value in {**prep, **figures}.items():
        unit = "MB" if key.endswith("_mb") else ("" if key == "communities" else "s")
        print(f"{key:28s} {value:10.1f} {unit}")


if __name__ == "__main__":
    main()
