"""Peak memory and speed of ``microcomm ingest`` on one huge single-line JSON document
(issue 9 item 6: a 500 MB one-line array must ingest under 1.5 GB peak).

Three shapes, each written as ONE line: the canonical format as a bare array of events, an
X API v2 page (``{"data": [tweets], "includes": {"users": [...]}, "meta": {...}}``) and a
Facebook Graph API page (``{"data": [comments], "paging": {...}}``). Each ingest runs in a
fresh child process (``python -m microcomm ingest``) so its peak RSS is its own.

    python bench/bench_json_document.py --mb 500                  # all three shapes
    python bench/bench_json_document.py --mb 50 --shapes x-v2     # quicker
    python bench/bench_json_document.py --mb 500 --src /old/src   # the same on other code

The machine is shared: run twice and give the load (``uptime``) with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bench_ingest import _text, canonical_record  # the same records as the other bench

ROOT = Path(__file__).resolve().parents[1]


def _tweet(rng: random.Random, i: int) -> dict[str, Any]:
    author = rng.randrange(50_000)
    tweet: dict[str, Any] = {
        "id": str(10**18 + i),
        "author_id": str(author),
        "text": _text(rng),
        "created_at": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T12:00:00.000Z",
        "conversation_id": str(10**18 + i),
        "public_metrics": {"retweet_count": rng.randrange(50), "like_count": rng.randrange(500)},
        "edit_history_tweet_ids": [str(10**18 + i)],
    }
    if rng.random() < 0.3:
        tweet["referenced_tweets"] = [{"type": "replied_to", "id": str(10**18 + rng.randrange(i + 1))}]
    return tweet


def _fb_comment(rng: random.Random, i: int) -> dict[str, Any]:
    post = rng.randrange(5_000)
    return {
        "id": f"{post}_{i}",
        "message": _text(rng),
        "created_time": f"2021-08-{1 + i % 28:02d}T18:45:03+0000",
        "from": {"id": str(rng.randrange(100_000)), "name": f"Person {rng.randrange(100_000)}"},
        "permalink_url": f"https://www.facebook.com/1000/posts/{post}/?comment_id={i}",
        "like_count": rng.randrange(20),
    }


SHAPES: dict[str, tuple[str, Callable[[random.Random, int], dict[str, Any]], str, str]] = {
    # name: (file name, record maker, text before the records, text after them)
    "canonical": ("events.json", canonical_record, "[", "]"),
    "x-v2": (
        "tweets.json",
        _tweet,
        '{"data":[',
        '],"includes":{"users":['
        + ",".join(json.dumps({"id": str(u), "username": f"user{u}", "name": f"User {u}"})
                   for u in range(50_000))  # fmt: skip
        + ']},"meta":{"result_count":0}}',
    ),
    "facebook-graph": (
        "comments.json",
        _fb_comment,
        '{"data":[',
        '],"paging":{"cursors":{"before":"a","after":"b"}}}',
    ),
}


def write_document(path: Path, shape: str, mb: float, seed: int = 0) -> int:
    """Write one line of about ``mb`` megabytes; return the number of records."""
    _, make, before, after = SHAPES[shape]
    rng = random.Random(seed)
    target = int(mb * 1_000_000) - len(before) - len(after)
    n = size = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(before)
        while size < target:
            piece = ("," if n else "") + json.dumps(make(rng, n), separators=(",", ":"))
            fh.write(piece)
            size += len(piece)
            n += 1
        fh.write(after)
    return n


def ingest(path: Path, src: Path) -> dict[str, float]:
    """``microcomm ingest`` of ``path`` in a child process: wall and CPU seconds, peak RSS (MiB).

    A middle process runs it, so that its children's peak RSS is that one ingest's alone.
    """
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--src", str(src)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _child(path: Path, src: Path) -> dict[str, float]:
    store = Path(tempfile.mkdtemp(prefix="microcomm-bench-"))
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    try:
        subprocess.run(
            [sys.executable, "-m", "microcomm", "ingest", str(path), "--store", str(store / "s"),
             "--quiet"],  # fmt: skip
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
    finally:
        shutil.rmtree(store, ignore_errors=True)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall_s": wall, "cpu_s": cpu, "peak_mib": usage.ru_maxrss / 1024}


def _rows(args: argparse.Namespace, work: Path) -> Iterator[dict[str, Any]]:
    for shape in args.shapes:
        path = work / SHAPES[shape][0]
        n = write_document(path, shape, args.mb)
        stats = ingest(path, args.src)
        yield {
            "shape": shape,
            "mb": round(path.stat().st_size / 1e6),
            "records": n,
            **{k: round(v, 1) for k, v in stats.items()},
            "records_per_s_cpu": round(n / stats["cpu_s"]),
        }
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=500)
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="microcomm's src to run")
    parser.add_argument("--work", type=Path, default=None, help="where to write the files")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_child(args.child, args.src)))
        return
    work = Path(args.work or tempfile.mkdtemp(prefix="microcomm-json-"))
    work.mkdir(parents=True, exist_ok=True)
    for row in _rows(args, work):
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
