"""Community detection against baselines, on sparse planted audiences (issue 12).

    python bench/bench_detect.py                        # 3 k accounts and 1 M events
    python bench/bench_detect.py --sizes 100000 --repeat 3
    python bench/bench_detect.py --seeds 10             # 3 k accounts, seeds 0-9, baselines
    python bench/bench_detect.py --audience brands      # tweets to brands: 10 k, 100 k accounts

For each size, in separate processes (so each peak memory is that step's own):
``generate`` (``microcomm.synth.sparse_audience``, or with ``--audience brands``
``brand_audience``: the six default brands scaled to ``--sizes`` accounts, ``--mixing``
0.25 unless given), ``ingest``, microcomm ``detect`` with the
defaults (stability runs included), ``report``, and the baselines on the same store:
``ig-louvain`` / ``ig-leiden`` (igraph Louvain / Leiden, resolution 1, on the plain
Newman-weighted projection ``Bᵀ W B``, W = 1/(k−1)) and ``nx-louvain`` (networkx, when the
projection has under 300 k ties). A baseline whose projection would exceed ``--max-pairs``
pairs is skipped and the pair count reported: that is the memory wall microcomm avoids.

``--seeds N`` scores the detection core (graph + Leiden + right-sizing, in process) on seeds
0..N-1 of the 3 k-account audience beside the same baselines and the issue's reference:
igraph Leiden (modularity) on the weighted account × context bipartite graph, edge weight
``ln(1 + count) · ln(N/k)``, contexts used by one account dropped, at resolutions 1, 2 and 4;
and the oracle that puts each account in the community of most of its contexts (it knows
each post's community). On the brand audience, ``brand-vote`` puts each account with the
brand it mentions most: what reading the labels off the tweets gives, a reference, not a
baseline to beat.

NMI and ARI are scored against the planted truth over every account (an account left out
or unplaced counts as a group of its own). Timings on a shared machine are noisy:
``--repeat`` runs detect and each baseline several times and reports every run. Results:
stdout and bench/out/detect.json (``--audience brands``: detect-brands.json).
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
BASELINES = ("ig-louvain", "ig-leiden", "nx-louvain")


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _cpu_seconds() -> float:
    """CPU time of this process (user + system): less sensitive than wall time to the other
    jobs on a shared machine (single-threaded steps: wall ≈ CPU on an idle machine)."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    return round(use.ru_utime + use.ru_stime, 2)


def _generate(work: Path, size: int, audience: str, mixing: float | None) -> dict[str, float]:
    from microcomm.synth import brand_audience, sparse_audience
    from microcomm.synth.brands import DEFAULT_SIZES

    t = time.perf_counter()
    mix = {} if mixing is None else {"mixing": mixing}
    if audience == "brands":  # the six default brands (4,000 accounts) scaled to `size`
        sizes = [round(s * size / sum(DEFAULT_SIZES)) for s in DEFAULT_SIZES]
        aud = brand_audience(sizes, seed=1, **mix)  # type: ignore[arg-type]
    elif size < 100_000:
        aud = sparse_audience(size, seed=1, **mix)  # type: ignore[arg-type]
    else:
        aud = sparse_audience(None, n_events=size, seed=1, **mix)  # type: ignore[arg-type]
    aud.events.write_parquet(work / "events.parquet")
    aud.truth.write_parquet(work / "truth.parquet")
    return {
        "seconds": round(time.perf_counter() - t, 1),
        "events": aud.events.height,
        "accounts": aud.truth.height,
        "planted": aud.truth["community"].n_unique(),
    }


def _pipeline(stage: str, work: Path) -> dict[str, float]:
    from microcomm.config import Config
    from microcomm.pipeline import run_detect, run_ingest, run_report
    from microcomm.report import to_json
    from microcomm.store import Store

    store = Store(work / "store")
    t, cpu = time.perf_counter(), _cpu_seconds()
    extra: dict[str, float] = {}
    if stage == "ingest":
        extra["events"] = run_ingest([work / "events.parquet"], store=store).events_added
    elif stage == "detect":
        result = run_detect(store=store, config=Config())
        extra = {
            "communities": len(result.sizes),
            "resolution": round(result.resolution, 2),
            **{f"s_{k}": round(v, 2) for k, v in result.seconds.items()},
        }
    else:
        to_json(run_report(store=store, config=Config()))
    return {
        "seconds": round(time.perf_counter() - t, 2),
        "cpu_seconds": round(_cpu_seconds() - cpu, 2),
        "peak_mib": _peak_mib(),
        **extra,
    }


def _baseline(name: str, work: Path, max_pairs: float) -> dict[str, float]:
    """Plain Newman projection of the same incidence, then one classic algorithm."""
    import numpy as np
    import polars as pl
    import scipy.sparse as sp

    from microcomm.config import GraphConfig
    from microcomm.graph import build_incidence
    from microcomm.store import Store

    t, cpu = time.perf_counter(), _cpu_seconds()
    store = Store(work / "store")
    events = store.read("events", ["actor", "platform", "kind", "target", "target_kind"])
    inc = build_incidence(events, store.read("entities", ["actor", "type", "value"]),
                          config=GraphConfig())  # fmt: skip
    b = inc.matrix.copy()
    b.data[:] = 1.0
    k = np.asarray(b.sum(axis=0)).ravel()
    pairs = float((k * (k - 1) / 2).sum())
    if pairs > max_pairs:
        return {"skipped_pairs": pairs}
    w = np.where(k >= 2, 1.0 / np.maximum(k - 1, 1), 0.0)
    proj = sp.triu((b @ sp.diags(w)) @ b.T, 1).tocoo()
    if name == "nx-louvain" and proj.nnz > 300_000:
        return {"skipped_edges": float(proj.nnz)}
    labels = _classic(name, b.shape[0], proj.row, proj.col, proj.data)
    seconds = time.perf_counter() - t
    pl.DataFrame({"actor": inc.actors, "community": labels}).write_parquet(work / f"{name}.parquet")
    return {"seconds": round(seconds, 2), "cpu_seconds": round(_cpu_seconds() - cpu, 2),
            "peak_mib": _peak_mib(), "edges": float(proj.nnz),
            "communities": float(len(np.unique(labels)))}  # fmt: skip


def _classic(name: str, n: int, src: object, dst: object, weight: object) -> object:
    import random

    import igraph as ig
    import numpy as np

    if name == "nx-louvain":
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), weight.tolist(), strict=True))  # type: ignore[attr-defined]
        labels = np.empty(n, dtype=np.int64)
        for i, members in enumerate(nx.community.louvain_communities(g, seed=42)):
            labels[list(members)] = i
        return labels
    ig.set_random_number_generator(random.Random(42))
    g = ig.Graph(n=n, edges=np.column_stack([src, dst]), directed=False)
    if name == "ig-louvain":
        return np.asarray(g.community_multilevel(weights=weight).membership)
    part = g.community_leiden(objective_function="modularity", weights=weight, n_iterations=-1)
    return np.asarray(part.membership)


def _scores(work: Path, name: str) -> dict[str, float]:
    import numpy as np
    import polars as pl
    from sklearn.metrics import adjusted_rand_score

    from microcomm.communities import nmi
    from microcomm.store import Store

    truth = pl.read_parquet(work / "truth.parquet")
    if name == "microcomm":
        found = Store(work / "store").communities().filter(pl.col("level") == 0)
    elif name == "brand-vote":  # each account to the brand it mentions most (ties: first name)
        mentions = pl.read_parquet(work / "events.parquet").filter(pl.col("kind") == "mention")
        found = (
            mentions.group_by("actor", "target").len()
            .sort("actor", "len", "target", descending=[False, True, False])
            .unique("actor", keep="first")
            .select("actor", community=pl.col("target").str.strip_prefix("brand").cast(pl.Int64))
        )  # fmt: skip
    else:
        found = pl.read_parquet(work / f"{name}.parquet")
    joined = truth.join(found.select("actor", pl.col("community").alias("found")), on="actor",
                        how="left")  # fmt: skip
    labels = joined["found"].to_numpy().astype(float)
    missing = np.isnan(labels) | (labels < 0)
    labels[missing] = 1e7 + np.arange(missing.sum())
    truth, found_labels = joined["community"].to_numpy(), labels.astype(int)
    return {"nmi": round(nmi(truth, found_labels), 4),
            "ari": round(float(adjusted_rand_score(truth, found_labels)), 4)}  # fmt: skip


def _child(args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _run_size(size: int, out: Path, repeat: int, max_pairs: float, audience: str,
              mixing: float | None) -> dict[str, object]:  # fmt: skip
    work = out / (f"n{size}" if audience == "sparse" else f"{audience}-n{size}")
    if work.exists():
        import shutil

        shutil.rmtree(work)
    work.mkdir(parents=True)
    w = ["--work", str(work)]
    gen = ["--stage", "generate", "--size", str(size), "--audience", audience]
    if mixing is not None:
        gen += ["--mixing", str(mixing)]
    row: dict[str, object] = {"size": size, "audience": audience, "generate": _child([*gen, *w])}
    row["ingest"] = _child(["--stage", "ingest", *w])
    row["detect"] = [_child(["--stage", "detect", *w]) for _ in range(repeat)]
    row["report"] = _child(["--stage", "report", *w])
    row.update(_child(["--stage", "scores", "--name", "microcomm", *w]))  # nmi, ari
    if audience == "brands":
        row["brand-vote"] = _child(["--stage", "scores", "--name", "brand-vote", *w])
    for name in BASELINES:
        runs = [_child(["--stage", "baseline", "--name", name, "--max-pairs", str(max_pairs), *w])
                for _ in range(repeat)]  # fmt: skip
        row[name] = runs
        if "seconds" in runs[0]:
            runs[0].update(_child(["--stage", "scores", "--name", name, *w]))
    return row


def _summary(row: dict[str, object]) -> str:
    gen, det = row["generate"], row["detect"]
    best = min(det, key=lambda r: r["seconds"])  # type: ignore[arg-type,index]
    total = row["ingest"]["seconds"] + best["seconds"] + row["report"]["seconds"]  # type: ignore[index]
    lines = [
        f"{gen['events']:,} events, {gen['accounts']:,} accounts, {gen['planted']:,} planted | "  # type: ignore[index]
        f"ingest {row['ingest']['seconds']}s | detect {[r['seconds'] for r in det]}s "  # type: ignore[index,union-attr]
        f"(CPU {[r['cpu_seconds'] for r in det]}s) "  # type: ignore[index,union-attr]
        f"{best['peak_mib']} MiB, {best['communities']} communities, resolution {best['resolution']} | "
        f"report {row['report']['seconds']}s | total {total:.1f}s | NMI {row['nmi']} ARI {row['ari']}"  # type: ignore[index]
    ]
    if "brand-vote" in row:
        vote = row["brand-vote"]
        lines.append(f"  brand-vote  (each account to the brand it mentions most) NMI {vote['nmi']} "  # type: ignore[index]
                     f"ARI {vote['ari']} | microcomm/vote: ARI {row['ari'] / vote['ari']:.3f}")  # type: ignore[index,operator]
    for name in BASELINES:
        runs = row[name]
        r0 = runs[0]  # type: ignore[index]
        if "seconds" not in r0:
            why = r0.get("skipped_pairs") or r0.get("skipped_edges")
            lines.append(f"  {name:<11} skipped: projection of {why:,.0f} {'pairs' if 'skipped_pairs' in r0 else 'ties'}")
            continue
        secs = [r["seconds"] for r in runs]  # type: ignore[union-attr]
        lines.append(
            f"  {name:<11} {secs}s (CPU {r0['cpu_seconds']}s) {r0['peak_mib']} MiB NMI {r0['nmi']} ARI {r0['ari']} ({r0['communities']:.0f} communities, {r0['edges']:,.0f} ties) | "
            f"microcomm/baseline: time {best['seconds'] / min(secs):.2f}, memory "
            f"{best['peak_mib'] / r0['peak_mib']:.2f}, NMI {row['nmi'] / r0['nmi']:.3f}, "  # type: ignore[operator]
            f"ARI {row['ari'] / r0['ari']:.3f}"  # type: ignore[operator]
        )
    return "\n".join(lines)


def _score_seed(seed: int) -> dict[str, float]:
    """One 3 k-account audience: microcomm's core, the baselines, the reference, the oracle."""
    import random

    import igraph as ig
    import numpy as np
    import polars as pl
    import scipy.sparse as sp

    from microcomm.communities import nmi
    from microcomm.config import Config
    from microcomm.ingest import finalize_events
    from microcomm.normalize import extract_entities
    from microcomm.pipeline import find_communities
    from microcomm.synth import sparse_audience

    aud = sparse_audience(3_000, seed=seed)
    events = finalize_events(aud.events, display="sparse")
    cpu = _cpu_seconds()
    found = find_communities(events, extract_entities(events), config=Config())
    cpu = _cpu_seconds() - cpu
    inc, actors = found.inc, found.inc.actors

    def score(labels: object) -> float:
        got = pl.DataFrame({"actor": actors, "found": np.asarray(labels)})
        lab = aud.truth.join(got, on="actor", how="left")["found"].fill_null(-1).to_numpy().copy()
        lab[lab < 0] = 10**7 + np.arange((lab < 0).sum())
        return round(nmi(aud.truth["community"].to_numpy(), lab), 4)

    row = {"seed": seed, "microcomm": score(found.levels[0]), "cpu": round(cpu, 2),
           "communities": len(np.unique(found.levels[0][found.levels[0] >= 0])),
           "planted": aud.truth["community"].n_unique(),
           "unplaced": int((found.levels[0] < 0).sum())}  # fmt: skip
    b = inc.matrix.copy()
    b.data[:] = 1.0
    k = np.asarray(b.sum(axis=0)).ravel()
    proj = sp.triu((b @ sp.diags(np.where(k >= 2, 1.0 / np.maximum(k - 1, 1), 0.0))) @ b.T, 1).tocoo()
    for name in ("ig-louvain", "ig-leiden"):
        row[name] = score(_classic(name, b.shape[0], proj.row, proj.col, proj.data))
    x = inc.matrix.tocsc()
    count = np.where(x.data > 1, np.exp(x.data - 1), x.data)  # the incidence holds 1 + ln x
    kc = np.diff(x.indptr)
    idf = np.where(kc >= 2, np.log(b.shape[0] / np.maximum(kc, 1)), 0.0)
    bip = sp.csc_matrix((np.log1p(count) * np.repeat(idf, kc), x.indices, x.indptr), x.shape).tocoo()
    n = b.shape[0] + x.shape[1]
    for res in (1.0, 2.0, 4.0):
        ig.set_random_number_generator(random.Random(42))
        g = ig.Graph(n=n, edges=np.column_stack([bip.row, b.shape[0] + bip.col]), directed=False)
        part = g.community_leiden(objective_function="modularity", weights=bip.data,
                                  resolution=res, n_iterations=-1)  # fmt: skip
        row[f"ref-r{res:g}"] = score(np.asarray(part.membership)[: b.shape[0]])
    truth = dict(zip(aud.contexts["context"], aud.contexts["community"], strict=True))
    keys = [c.split(":", 1)[-1] if not c.startswith("#") else c for c in inc.contexts.tolist()]
    home = np.array([truth.get(c, -1) for c in keys])
    xc = inc.matrix.tocoo()
    ok = home[xc.col] >= 0
    votes = sp.coo_matrix((xc.data[ok], (xc.row[ok], home[xc.col[ok]])),
                          shape=(b.shape[0], int(home.max()) + 1)).toarray()  # fmt: skip
    row["oracle"] = score(np.where(votes.sum(1) > 0, votes.argmax(1), -1))
    return row


def _seeds(n: int, out: Path) -> None:
    import polars as pl

    rows = []
    for seed in range(n):
        rows.append(_score_seed(seed))
        print(json.dumps(rows[-1]), flush=True)
    df = pl.DataFrame(rows).drop("seed")
    print("mean", df.select(pl.all().mean().round(4)).to_dicts()[0])
    print("min ", df.select(pl.all().min()).to_dicts()[0])
    out.mkdir(parents=True, exist_ok=True)
    (out / "detect_seeds.json").write_text(json.dumps(rows, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+",
                        help="sparse: under 100000 accounts, from 100000 events (default 3000 "
                             "1000000); brands: accounts (default 10000 100000)")  # fmt: skip
    parser.add_argument("--audience", choices=("sparse", "brands"), default="sparse",
                        help="synth.sparse_audience, or synth.brand_audience (tweets to brands)")
    parser.add_argument("--mixing", type=float,
                        help="the generator's mixing (its own default if not given)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seeds", type=int, default=0,
                        help="score seeds 0..N-1 of the 3 k audience instead")  # fmt: skip
    parser.add_argument("--max-pairs", type=float, default=60e6)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--name", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:  # child process
        result = (
            _generate(args.work, args.size, args.audience, args.mixing) if args.stage == "generate"
            else _scores(args.work, args.name) if args.stage == "scores"
            else _baseline(args.name, args.work, args.max_pairs) if args.stage == "baseline"
            else _pipeline(args.stage, args.work)
        )  # fmt: skip
        print(json.dumps(result))
        return
    if args.seeds:
        _seeds(args.seeds, args.out)
        return
    sizes = args.sizes or ([10_000, 100_000] if args.audience == "brands" else [3_000, 1_000_000])
    rows = []
    for size in sizes:
        rows.append(_run_size(size, args.out, args.repeat, args.max_pairs, args.audience, args.mixing))
        print(_summary(rows[-1]), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    name = "detect.json" if args.audience == "sparse" else f"detect-{args.audience}.json"
    (args.out / name).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
