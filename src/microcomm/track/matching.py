"""Track stage, step 2: communities of consecutive periods → community lines and transitions.

Communities of two consecutive periods are linked when the Jaccard similarity of their
members reaches ``match`` (the best-match step of Greene, Doyle & Cunningham 2010), or when a
group moves together: at least ``absorb`` of one's members are the other's largest share (a
small group absorbed into a large one, a splinter leaving one). The links decide the events:

- a community of the later period with several linked predecessors is a **merge**;
- one of the earlier period with several linked successors is a **split**;
- one-to-one: **continuation**, or **growth** / **shrink** when the size changes by more than
  ``change``;
- a later community with no predecessor is a **birth**, an earlier one with no successor a
  **death**.

A line (a lasting community, ``L1``, ``L2``…) passes from each community to its *heir*, the
successor holding most of its members; when several lines have the same heir (a merge), the
one that gives it most members continues and the others end there. A split's other pieces
start new lines. Unlike Greene et al., lines never share a community, so every community of
every period belongs to exactly one line and ids stay stable.

References
----------
D. Greene, D. Doyle, P. Cunningham, "Tracking the Evolution of Communities in Dynamic Social
Networks", ASONAM 2010, 176–183.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import polars as pl


def overlaps(members: pl.DataFrame, steps: list[tuple[int, int]]) -> pl.DataFrame:
    """Member overlap of every pair of communities of the periods of each step.

    Returns
    -------
    DataFrame
        ``before, after, src, dst, overlap, src_size, dst_size, jaccard, share_src,
        share_dst`` (shares: of the source's members that went to dst, of dst's that came from
        the source), sorted.

    Examples
    --------
    >>> m = pl.DataFrame({"period": [0, 0, 0, 1, 1, 1], "actor": list("abcabd"),
    ...                   "community": [0, 0, 0, 5, 5, 5]})
    >>> overlaps(m, [(0, 1)]).select("src", "dst", "overlap", "jaccard").rows()
    [(0, 5, 2, 0.5)]
    """
    from scipy import sparse

    cols = {"before": pl.Int32, "after": pl.Int32, "src": pl.Int64, "dst": pl.Int64,
            "overlap": pl.Int64, "src_size": pl.Int64, "dst_size": pl.Int64}  # fmt: skip
    m = members.select("period", "actor", pl.col("community").cast(pl.Int64))
    if not m.schema["actor"].is_integer():  # one integer per account, the same in every period
        names = m.select(pl.col("actor").unique()).with_row_index("code")
        m = m.join(names, on="actor").select("period", pl.col("code").alias("actor"), "community")
    n = int(m["actor"].max() or 0) + 1
    by = {p: (f["actor"].to_numpy(), f["community"].to_numpy())
          for (p,), f in m.partition_by("period", as_dict=True).items()}  # fmt: skip
    parts = []
    for before, after in steps:
        if before not in by or after not in by:
            continue
        # The contingency table of the two partitions: overlap[s, d] = members in both.
        (xa, ca), (xb, cb) = by[before], by[after]
        ka, kb = int(ca.max()) + 1, int(cb.max()) + 1
        table = sparse.csr_matrix((np.ones(len(xa), np.int64), (ca, xa)), shape=(ka, n)) @ \
            sparse.csc_matrix((np.ones(len(xb), np.int64), (xb, cb)), shape=(n, kb))  # fmt: skip
        t = table.tocoo()
        size_a, size_b = np.bincount(ca, minlength=ka), np.bincount(cb, minlength=kb)
        parts.append(pl.DataFrame(
            {"before": np.full(t.nnz, before), "after": np.full(t.nnz, after), "src": t.row,
             "dst": t.col, "overlap": t.data, "src_size": size_a[t.row], "dst_size": size_b[t.col]},
            schema=cols,
        ))  # fmt: skip
    ov = pl.concat(parts) if parts else pl.DataFrame(schema=cols)
    return ov.with_columns(
        (pl.col("overlap") / (pl.col("src_size") + pl.col("dst_size") - pl.col("overlap")))
        .round(6)
        .alias("jaccard"),
        (pl.col("overlap") / pl.col("src_size")).alias("share_src"),
        (pl.col("overlap") / pl.col("dst_size")).alias("share_dst"),
    ).sort(["before", "src", "dst"])


def links(ov: pl.DataFrame, *, match: float = 0.3, absorb: float = 0.5) -> pl.DataFrame:
    """The overlaps that link two communities (see the module docstring)."""
    biggest_out = pl.col("overlap") == pl.col("overlap").max().over(["before", "src"])
    biggest_in = pl.col("overlap") == pl.col("overlap").max().over(["after", "dst"])
    return ov.filter(
        (pl.col("jaccard") >= match)
        | ((pl.col("share_src") >= absorb) & biggest_out)
        | ((pl.col("share_dst") >= absorb) & biggest_in)
    )


def build_lines(
    members: pl.DataFrame,
    steps: list[tuple[int, int]],
    *,
    match: float = 0.3,
    absorb: float = 0.5,
    change: float = 0.1,
    labels: dict[int, str] | None = None,
) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """Lines (``period, community, line``) and the transitions of every step.

    ``labels`` maps period index → label for the transition rows (default: the index).
    Each transition is a dict with ``from, to, type, line`` and member counts: ``before``,
    ``after``, ``stayed`` (in both), ``joined`` and ``left``; merges list the lines they
    took members ``from``, splits the lines they went ``into``.

    Examples
    --------
    >>> m = pl.DataFrame({"period": [0] * 4 + [1] * 4, "actor": list("abcd") * 2,
    ...                   "community": [0, 0, 1, 1, 0, 0, 0, 0]})
    >>> lines, events = build_lines(m, [(0, 1)])
    >>> [(e["type"], e["line"], e["before"], e["after"]) for e in events]
    [('merge', 'L1', 4, 4)]
    """
    labels = labels or {}
    comms = members.group_by(["period", "community"]).agg(pl.len().alias("size"))
    size = {(p, c): s for p, c, s in comms.iter_rows()}
    by_period: dict[int, list[int]] = defaultdict(list)
    for p, c in sorted(size):
        by_period[p].append(c)
    ov = overlaps(members, steps)
    linked = links(ov, match=match, absorb=absorb)
    # Members each community shares with any community of the other period (births, deaths).
    shared = pl.col("overlap").sum()
    came = {(p, d): n for p, d, n in ov.group_by(["after", "dst"]).agg(shared).iter_rows()}
    went = {(p, s): n for p, s, n in ov.group_by(["before", "src"]).agg(shared).iter_rows()}
    by_step = {k: f for (k,), f in linked.partition_by("before", as_dict=True).items()}
    line: dict[tuple[int, int], int] = {}
    next_id = 1
    if steps or by_period:
        first = steps[0][0] if steps else min(by_period)
        for c in by_period[first]:
            line[(first, c)] = next_id
            next_id += 1
    events: list[dict[str, Any]] = []
    for before, after in steps:
        rows = by_step.get(before, linked.clear()).select("src", "dst", "overlap")
        pairs = {(s, d): o for s, d, o in rows.iter_rows()}
        succ: dict[int, list[int]] = defaultdict(list)
        pred: dict[int, list[int]] = defaultdict(list)
        for s, d in sorted(pairs):
            succ[s].append(d)
            pred[d].append(s)
        # A community's heir holds most of its members (ties: the lower community number).
        heir = {s: max(ds, key=lambda d: (pairs[(s, d)], -d)) for s, ds in succ.items()}
        for d in by_period[after]:
            cands = [s for s in pred.get(d, []) if heir[s] == d]
            if cands:
                best = max(cands, key=lambda s: (pairs[(s, d)], -line[(before, s)]))
                line[(after, d)] = line[(before, best)]
            else:
                line[(after, d)] = next_id
                next_id += 1
        ctx = _Step(before, after, labels, size, line, pairs)
        events += _step_events(ctx, by_period, succ, pred, change, (came, went))
    frame = pl.DataFrame(
        [(p, c, f"L{n}") for (p, c), n in sorted(line.items())],
        schema={"period": pl.Int32, "community": pl.Int64, "line": pl.String},
        orient="row",
    )
    return frame, events


class _Step:
    """What one step's event rows need (plain holder)."""

    def __init__(
        self,
        before: int,
        after: int,
        labels: dict[int, str],
        size: dict[tuple[int, int], int],
        line: dict[tuple[int, int], int],
        pairs: dict[tuple[int, int], int],
    ) -> None:
        self.before, self.after, self.size, self.line, self.pairs = before, after, size, line, pairs
        self.frm, self.to = labels.get(before, str(before)), labels.get(after, str(after))

    def row(self, kind: str, line: int, before: int, after: int, stayed: int) -> dict[str, Any]:
        return {
            "from": self.frm,
            "to": self.to,
            "type": kind,
            "line": f"L{line}",
            "before": before,
            "after": after,
            "stayed": stayed,
            "joined": after - stayed,
            "left": before - stayed,
        }

    def fan(self, kind: str, hub: int, spokes: list[int]) -> dict[str, Any]:
        """A merge (``spokes`` of the earlier period into ``hub``) or a split (``hub`` into
        ``spokes`` of the later period): one row, each spoke with its line, size and the
        members it shares with the hub."""
        merge = kind == "merge"
        hub_key = (self.after if merge else self.before, hub)
        spoke_p = self.before if merge else self.after
        shared = [self.pairs[(k, hub) if merge else (hub, k)] for k in spokes]
        spread = sum(self.size[(spoke_p, k)] for k in spokes)
        sizes = (spread, self.size[hub_key]) if merge else (self.size[hub_key], spread)
        row = self.row(kind, self.line[hub_key], *sizes, sum(shared))
        row["from_lines" if merge else "into_lines"] = [
            {"line": f"L{self.line[(spoke_p, k)]}", "size": self.size[(spoke_p, k)], "members": n}
            for k, n in zip(spokes, shared, strict=True)
        ]
        return row


def _step_events(
    st: _Step,
    by_period: dict[int, list[int]],
    succ: dict[int, list[int]],
    pred: dict[int, list[int]],
    change: float,
    shared: tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]],
) -> list[dict[str, Any]]:
    b, a = st.before, st.after
    came, went = shared
    out: list[dict[str, Any]] = []
    for d in by_period[a]:
        srcs = pred.get(d, [])
        if len(srcs) >= 2:
            out.append(st.fan("merge", d, srcs))
        elif not srcs:
            row = st.row("birth", st.line[(a, d)], 0, st.size[(a, d)], 0)
            row["joined"], row["from_communities"] = st.size[(a, d)], came.get((a, d), 0)
            out.append(row)
    for s in by_period[b]:
        dsts = succ.get(s, [])
        if len(dsts) >= 2:
            out.append(st.fan("split", s, dsts))
        elif not dsts:
            row = st.row("death", st.line[(b, s)], st.size[(b, s)], 0, 0)
            row["to_communities"] = went.get((b, s), 0)
            out.append(row)
        elif len(pred[dsts[0]]) == 1:
            d = dsts[0]
            n0, n1 = st.size[(b, s)], st.size[(a, d)]
            rel = (n1 - n0) / n0
            kind = "growth" if rel > change else "shrink" if rel < -change else "continuation"
            out.append(st.row(kind, st.line[(b, s)], n0, n1, st.pairs[(s, d)]))
    return out
