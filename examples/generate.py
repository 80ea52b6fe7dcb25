"""Generate the bundled example audience of Kestrel Outdoor (a fictional outdoor-gear brand).

Writes the events, split by platform into the canonical format in several file types, into
``src/microcomm/demo/`` (shipped inside the package, used by ``microcomm demo``), the survey
answers beside them, and the planted truth into ``examples/planted/``.

    python examples/generate.py            # the bundled example (seeded: same files every time)
    python examples/generate.py --events 1000000 --communities 877 --out /tmp/big   # larger

See examples/README.md for what is planted.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import polars as pl

from microcomm.synth import generate_audience

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "src" / "microcomm" / "demo"


def write_audience(
    out: Path, truth_dir: Path, *, events: int, communities: int, mixing: float, seed: int
) -> None:
    aud = generate_audience(events, n_communities=communities, mixing=mixing, seed=seed)
    out.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    ev = aud.events.sort(["created_at", "event_id"])
    # One file per platform family, in different canonical file types, as users would bring them.
    _gz(out / "kestrel-instagram.csv.gz", ev.filter(pl.col("platform") == "instagram").write_csv())
    _gz(
        out / "kestrel-microblogs.jsonl.gz",
        ev.filter(pl.col("platform").is_in(["x", "bluesky", "mastodon"])).write_ndjson(),
    )
    ev.filter(pl.col("platform").is_in(["reddit", "discord"])).write_parquet(
        out / "kestrel-forums.parquet"
    )
    _gz(
        out / "kestrel-video-and-facebook.csv.gz",
        ev.filter(pl.col("platform").is_in(["youtube", "tiktok", "facebook"])).write_csv(),
    )
    aud.answers.select("actor", "platform", "question", "answer").write_csv(
        out / "survey-kestrel.csv"
    )
    aud.truth.write_csv(truth_dir / "truth.csv")
    (truth_dir / "themes.json").write_text(
        json.dumps(aud.themes.to_dicts(), indent=2) + "\n", encoding="utf-8"
    )
    print(
        f"{ev.height:,} events, {aud.truth.height:,} accounts, {communities} planted communities → {out}"
    )


def _gz(path: Path, text: str) -> None:
    # mtime=0: the same data always gives the same bytes (stable sha256, clean git diffs).
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=60_000)
    parser.add_argument("--communities", type=int, default=36)
    parser.add_argument("--mixing", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=DEMO)
    parser.add_argument("--truth", type=Path, default=HERE / "planted")
    args = parser.parse_args()
    write_audience(
        args.out,
        args.truth,
        events=args.events,
        communities=args.communities,
        mixing=args.mixing,
        seed=args.seed,
    )


if __name__ == "__main__":
    main()
