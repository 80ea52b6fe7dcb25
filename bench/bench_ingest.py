"""Ingest throughput and peak memory on generated JSON Lines (canonical and Pushshift-like).

Each run happens in a fresh child process so that its peak RSS (``ru_maxrss``) is its own.
Two sizes show whether memory grows with the file.

    python bench/bench_ingest.py                 # 250k and 1M events, both formats
    python bench/bench_ingest.py --sizes 100000  # quicker
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WORDS = ["vegan", "beauty", "serum", "glow", "skin", "routine", "spf", "travel", "fear", "flying", "lyon", "store", "love", "hate", "new", "best"]
TAGS = ["#vegan", "#skincare", "#travel", "#lyon", "#crueltyfree", "#avgeek"]


def _text(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(5, 16))
    if rng.random() < 0.5:
        words.append(rng.choice(TAGS))
    if rng.random() < 0.3:
        words.append(f"@user{rng.randrange(100_000)}")
    return " ".join(words)


def canonical_record(rng: random.Random, i: int) -> dict[str, Any]:
    """One canonical event (the same records in every bench that writes this format)."""
    return {
        "event_id": f"e{i}",
        "platform": "x",
        "kind": rng.choice(["post", "reply", "share", "like"]),
        "actor": f"user{rng.randrange(100_000)}",
        "target": f"post{rng.randrange(50_000)}",
        "text": _text(rng),
        "created_at": 1_600_000_000 + i,
    }


def write_canonical(path: Path, n: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(canonical_record(rng, i)) + "\n")


def write_pushshift(path: Path, n: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            link = f"t3_{rng.randrange(50_000):x}"
            rec = {
                "id": f"{i:x}",
                "author": "[deleted]" if rng.random() < 0.05 else f"user{rng.randrange(100_000)}",
                "subreddit": rng.choice(
                    ["VeganBeauty", "SkincareAddiction", "travel", "fearofflying"]
                ),
                "created_utc": 1_600_000_000 + i,
                "body": _text(rng),
                "link_id": link,
                "parent_id": link if rng.random() < 0.6 else f"t1_{rng.randrange(max(i, 1)):x}",
                "score": rng.randint(-5, 500),
                "edited": False if rng.random() < 0.9 else 1_600_000_500.0,
                "gilded": 0,
                "author_flair_text": None,
                "distinguished": None,
                "stickied": False,
                "retrieved_on": 1_700_000_000,
            }
            fh.write(json.dumps(rec) + "\n")


def _child(path: str, store: str) -> None:
    from microcomm.ingest import ingest_files
    from microcomm.store import Store

    started = time.perf_counter()
    result = ingest_files([path], Store(store))
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    f = result.files[0]
    print(
        json.dumps(
            {
                "reader": f.reader,
                "events": result.events_added,
                "seconds": seconds,
                "rss_mb": rss_mb,
            }
        )
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", default=["canonical", "pushshift"])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="microcomm-bench-") as tmp:
        for fmt in args.formats:
            for n in args.sizes:
                path = Path(tmp) / f"{fmt}-{n}.jsonl"
                (write_canonical if fmt == "canonical" else write_pushshift)(path, n)
                store = Path(tmp) / f"store-{fmt}-{n}"
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(path), str(store)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                res = json.loads(out.strip().splitlines()[-1])
                mb = path.stat().st_size / 1e6
                rows.append(
                    (
                        fmt,
                        res["reader"],
                        n,
                        mb,
                        res["events"],
                        res["seconds"],
                        res["events"] / res["seconds"],
                        res["rss_mb"],
                    )
                )
                path.unlink()
    print(
        f"{'format':<10} {'reader':<17} {'lines':>9} {'file MB':>8} {'events':>9} {'s':>7} {'events/s':>10} {'peak RSS MB':>12}"
    )
    for fmt, reader, n, mb, ev, s, rate, rss in rows:
        print(
            f"{fmt:<10} {reader:<17} {n:>9,} {mb:>8.0f} {ev:>9,} {s:>7.1f} {rate:>10,.0f} {rss:>12.0f}"
        )


if __name__ == "__main__":
    main()
