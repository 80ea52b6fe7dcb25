"""Benchmark of ``track`` against one ``detect`` on the same events (issue 10).

Generates ``generate_audience(1_000_000, n_communities=877, days=181)`` — six months of
events, September to February — ingests it once, then times, each in a fresh process and
``--repeat`` times (the machine is shared: take the spread, not one figure):

- ``detect``: one :func:`microcomm.pipeline.run_detect` on all events (default config, so
  with its stability re-runs), and the same with ``detect.stability_runs: 0``;
- ``track``: :func:`microcomm.pipeline.run_track` by month (six detections and the matching).

The target: track at most twice one detect, in CPU seconds as well as wall seconds (on a
shared machine wall time mostly measures the queue). The 1-minute load average before each
step is printed beside its figures.

    python bench/bench_track.py                    # 1 M events, store in a temp dir
    python bench/bench_track.py --store /tmp/t1m   # keep the store; reuse it next time
    python bench/bench_track.py --events 100000 --communities 88
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def prepare(store_dir: Path, *, events: int, communities: int, seed: int) -> None:
    """Generate six months of events and ingest them into ``store_dir``."""
    from microcomm.pipeline import run_ingest
    from microcomm.store import Store
    from microcomm.synth import generate_audience

    aud = generate_audience(events, n_communities=communities, seed=seed, days=181)
    work = store_dir.parent / f"{store_dir.name}-input"
    work.mkdir(parents=True, exist_ok=True)
    aud.events.write_parquet(work / "events.parquet")
    run_ingest([work / "events.parquet"], store=Store(store_dir))
    print(f"prepared {aud.events.height:,} events in {store_dir}", file=sys.stderr)


def measure(store_dir: Path, what: str) -> dict[str, float]:
    """Run one step in this process: wall seconds and peak RSS."""
    from microcomm.config import Config, DetectConfig
    from microcomm.pipeline import run_detect, run_track
    from microcomm.store import Store

    store = Store(store_dir)
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = before.ru_utime + before.ru_stime
    t = time.perf_counter()
    extra: dict[str, float] = {}
    if what == "detect":
        run_detect(store=store, config=Config())
    elif what == "detect-no-stability":
        run_detect(store=store, config=Config(detect=DetectConfig(stability_runs=0)))
    else:
        data = run_track(store=store, config=Config())
        extra = {
            "periods": float(len(data["periods"])),
            "lines": float(len(data["lines"])),
            "transitions": float(len(data["transitions"])),
        }
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": time.perf_counter() - t,
        # CPU seconds of this process: on a shared machine wall time mostly measures the queue.
        "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu0,
        "peak_mb": usage.ru_maxrss / 1024,
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--communities", type=int, default=877)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--steps",
        nargs="+",
        default=["detect", "detect-no-stability", "track"],
        help="what to time",
    )
    parser.add_argument("--store", type=Path, default=None, help="reuse this store if it exists")
    parser.add_argument("--measure", nargs=2, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1])))
        return
    store_dir = args.store or Path(tempfile.mkdtemp(prefix="microcomm-bench-track-")) / "store"
    if not (store_dir / "manifest.json").is_file():
        prepare(store_dir, events=args.events, communities=args.communities, seed=args.seed)
    rows: dict[str, list[dict[str, float]]] = {}
    for _ in range(args.repeat):
        for what in args.steps:
            load = os.getloadavg()  # the machine is shared: say how busy it was
            out = subprocess.run(
                [sys.executable, __file__, "--measure", str(store_dir), what],
                check=True,
                capture_output=True,
                text=True,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.setdefault(what, []).append({**row, "load_1m_before": load[0]})
            print(what, rows[what][-1], file=sys.stderr)
    summary: dict[str, object] = {
        what: {
            "seconds": [round(r["seconds"], 1) for r in runs],
            "cpu_seconds": [round(r["cpu_seconds"], 1) for r in runs],
            "peak_mb": max(round(r["peak_mb"]) for r in runs),
            "load_1m_before": [round(r["load_1m_before"], 1) for r in runs],
        }
        for what, runs in rows.items()
    }
    for base in ("detect", "detect-no-stability"):
        if base in rows and "track" in rows:
            for unit in ("seconds", "cpu_seconds"):
                best = {w: min(r[unit] for r in rows[w]) for w in (base, "track")}
                summary[f"track / {base} ({unit})"] = round(best["track"] / best[base], 2)
                # Each repeat's own pair too: the two ran minutes apart, under the same load.
                pairs = zip(rows[base], rows["track"], strict=False)
                summary[f"track / {base} ({unit}, each repeat)"] = [
                    round(t[unit] / d[unit], 2) for d, t in pairs
                ]
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
