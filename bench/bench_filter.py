"""What the spam filter adds to ingest + detect (issue 8: at most 15 % at 1 M events).

    python bench/bench_filter.py                 # 1M events
    python bench/bench_filter.py --events 200000

A synthetic audience drawn as bench/bench.py draws it (about 100 accounts per community), with
planted spam (tests/spam_plant.py), is ingested once from JSON Lines; detect then runs twice on the same store, with the filter off (--keep-spam)
and on, each in its own process. Prints the seconds of each step, the filter's own time
(detect's ``filter`` timing) and the overhead on ingest + detect.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _child(step: str, work: Path, events: int) -> dict[str, float]:
    from microcomm.config import Config
    from microcomm.pipeline import run_detect, run_ingest
    from microcomm.store import Store

    store = Store(work / "store")
    t = time.perf_counter()
    if step == "generate":
        sys.path.insert(0, str(HERE.parent / "tests"))
        from microcomm.synth import generate_audience
        from spam_plant import plant_spam

        # About 100 accounts per community, as bench/bench.py draws them.
        aud = generate_audience(events, n_communities=max(8, round(events / 1140)), seed=1)
        ev, planted = plant_spam(aud.events)
        ev.write_ndjson(work / "events.jsonl")
        return {"events": ev.height, "planted": planted.height}
    if step == "ingest":
        run_ingest([work / "events.jsonl"], store=store)
        return {"seconds": time.perf_counter() - t}
    keep = step == "detect-keep"
    result = run_detect(store=store, config=Config().override("filter", keep_spam=keep))
    return {
        "seconds": time.perf_counter() - t,
        "filter": result.seconds.get("filter", 0.0),
        "filtered_events": result.filtered.get("events", 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child[0], Path(args.child[1]), args.events)))
        return
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-filter-") as tmp:
        for step in ("generate", "ingest", "detect-keep", "detect-filter"):
            run = subprocess.run(
                [sys.executable, __file__, "--events", str(args.events), "--child", step, tmp],
                capture_output=True,
                text=True,
                check=True,
            )
            out[step] = json.loads(run.stdout.strip().splitlines()[-1])
            print(step, out[step], flush=True)
    base = out["ingest"]["seconds"] + out["detect-keep"]["seconds"]
    with_filter = out["ingest"]["seconds"] + out["detect-filter"]["seconds"]
    print(
        f"ingest+detect: {base:.1f} s without the filter, {with_filter:.1f} s with it "
        f"({with_filter / base - 1:+.1%}); the filter step itself: "
        f"{out['detect-filter']['filter']:.1f} s ({out['detect-filter']['filter'] / base:.1%} "
        "of ingest+detect)"
    )


if __name__ == "__main__":
    main()
