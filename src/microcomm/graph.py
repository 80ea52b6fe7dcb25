"""Graph stage: events + entities → account × context incidence → co-engagement graph.

Accounts are tied by what they engage with together: the same post or thread, the same
followed or mentioned account, the same hashtag or link domain. Each relation has a weight in
``GraphConfig``. The projection is ``X W Xᵀ`` with sparse matrices, where each context ``c``
with ``k`` engagers is weighted by ``1/(k−1)`` (Newman 2001, so every account gets the same
total weight from a context however busy it is) times an inverse document frequency
``ln(N/k)/ln(N)`` (a context the whole audience shares says nothing about who belongs with
whom).

Busy contexts (more than ``max_context_size`` engagers: viral posts, the brand's own tag) never
create ties on their own — expanding a 5,000-engager post would add 12.5 M equal pairs — but
they still add their Newman weight to ties that the rest of the data creates, so nothing a
large community shares is deleted. A k-nearest-neighbour backbone (each account keeps its
``knn`` strongest ties; the union is kept) then bounds the graph at about ``N·knn`` edges.

References
----------
M. E. J. Newman, "Scientific collaboration networks. II.", Phys. Rev. E 64, 016132 (2001).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
import scipy.sparse as sp

from microcomm.config import GraphConfig
from microcomm.errors import EmptyGraphError


@dataclass(frozen=True)
class Incidence:
    """Account × context matrix with its labels."""

    matrix: sp.csr_matrix  # accounts × contexts, sublinear engagement weight
    actors: np.ndarray  # account names, row order
    contexts: np.ndarray  # context keys ("#tag", "@account", "platform:post"), column order


@dataclass(frozen=True)
class CoGraph:
    """Undirected weighted co-engagement graph over ``actors`` (edges with src < dst)."""

    actors: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def n_nodes(self) -> int:
        return len(self.actors)

    @property
    def n_edges(self) -> int:
        return len(self.src)

    def adjacency(self) -> sp.csr_matrix:
        """Symmetric sparse adjacency matrix."""
        n = self.n_nodes
        a = sp.coo_matrix((self.weight, (self.src, self.dst)), shape=(n, n))
        return (a + a.T).tocsr()

    def degree(self) -> np.ndarray:
        """Weighted degree of each node."""
        n = self.n_nodes
        return np.bincount(self.src, self.weight, n) + np.bincount(self.dst, self.weight, n)


def build_incidence(
    events: pl.DataFrame, entities: pl.DataFrame, *, config: GraphConfig | None = None
) -> Incidence:
    """Account × context incidence from events (targets) and entities (tags, mentions, domains).

    Examples
    --------
    >>> ev = pl.DataFrame({"event_id": ["1", "2"], "platform": ["x", "x"], "kind": ["comment"] * 2,
    ...                    "actor": ["ann", "bob"], "target": ["p1", "p1"], "target_kind": ["post"] * 2})
    >>> inc = build_incidence(ev, pl.DataFrame(schema={"event_id": pl.String, "actor": pl.String,
    ...                       "type": pl.String, "value": pl.String}))
    >>> inc.contexts.tolist(), inc.matrix.toarray().tolist()
    (['x:p1'], [[1.0], [1.0]])
    """
    config = config or GraphConfig()
    kind_w = pl.DataFrame(
        {"kind": list(config.kind_weights), "w": list(config.kind_weights.values())}
    )
    ent_w = pl.DataFrame(
        {"type": list(config.entity_weights), "w": list(config.entity_weights.values())}
    )
    by_target = (
        events.lazy()
        .filter(pl.col("actor").is_not_null() & pl.col("target").is_not_null())
        .join(kind_w.lazy(), on="kind", how="inner")
        .select(
            "actor",
            pl.when(pl.col("target_kind") == "account")
            .then(pl.concat_str([pl.lit("@"), pl.col("target")]))
            .otherwise(pl.concat_str([pl.col("platform"), pl.lit(":"), pl.col("target")]))
            .alias("context"),
            "w",
        )
    )
    prefix = {
        "hashtag": "#",
        "mention": "@",
        "domain": "domain:",
        "emoji": "emoji:",
        "keyword": "word:",
    }
    by_entity = (
        entities.lazy()
        .filter(pl.col("actor").is_not_null())
        .join(ent_w.lazy(), on="type", how="inner")
        .select(
            "actor",
            pl.concat_str(
                [pl.col("type").replace_strict(prefix, default="x:"), pl.col("value")]
            ).alias("context"),
            "w",
        )
    )
    # A mention in the text and a mention/follow event of the same account are one context;
    # an account's repeated engagement counts sublinearly (1 + ln x), so one loud account
    # cannot own a context.
    # Accounts with too few engagements to be placed are left out (graph.min_events).
    if config.min_events > 1:
        enough = (
            events.lazy()
            .filter(pl.col("actor").is_not_null())
            .group_by("actor")
            .agg(pl.len().alias("n"))
            .filter(pl.col("n") >= config.min_events)
            .select("actor")
        )
        by_target = by_target.join(enough, on="actor", how="semi")
        by_entity = by_entity.join(enough, on="actor", how="semi")
    pairs = (
        pl.concat([by_target, by_entity])
        .filter(pl.col("w") > 0)
        # Sort before reducing: a float sum in row order would change in the last bit with
        # the ingest order or the thread count, and flip near-tied neighbours (issue 12).
        .sort(["actor", "context", "w"])
        .group_by(["actor", "context"], maintain_order=True)
        .agg(pl.col("w").sum())
        .with_columns(
            pl.when(pl.col("w") > 1).then(1 + pl.col("w").log()).otherwise(pl.col("w")).alias("w")
        )
        .collect()
    )
    actors = pairs["actor"].unique().sort()
    contexts = pairs["context"].unique().sort()
    a_idx = pairs.select(pl.col("actor").cast(pl.Enum(actors)).to_physical())["actor"].to_numpy()
    c_idx = pairs.select(pl.col("context").cast(pl.Enum(contexts)).to_physical())[
        "context"
    ].to_numpy()
    matrix = sp.csr_matrix(
        (pairs["w"].to_numpy().astype(np.float64), (a_idx, c_idx)),
        shape=(len(actors), len(contexts)),
    )
    return Incidence(matrix=matrix, actors=actors.to_numpy(), contexts=contexts.to_numpy())


def context_weights(inc: Incidence, *, config: GraphConfig | None = None) -> np.ndarray:
    """Per-context projection weight: Newman 1/(k−1) × idf; 0 for contexts with one engager."""
    config = config or GraphConfig()
    k = np.diff(inc.matrix.tocsc().indptr).astype(np.float64)
    n = max(inc.matrix.shape[0], 2)
    w = np.zeros_like(k)
    shared = k >= 2
    w[shared] = 1.0 / (k[shared] - 1) if config.context_weighting == "newman" else 1.0
    if config.idf:
        w *= np.clip(np.log(n / np.maximum(k, 1)) / np.log(n), 0.0, 1.0)
    return w


def project_coengagement(
    inc: Incidence, *, config: GraphConfig | None = None, seed: int | None = 0
) -> CoGraph:
    """Co-engagement graph: the kNN backbone of a low-rank ``X W Xᵀ``.

    ``Y = X W^½`` is reduced by truncated SVD to ``U Σ`` (``svd_dims`` columns), so that
    ``U Σ² Uᵀ`` is the best rank-d approximation of the projection ``X W Xᵀ``: it keeps the
    aggregate of many weak shared contexts (the community signal) and drops one-off
    coincidences, and it costs time linear in the number of engagements — busy contexts are
    weighted in, never expanded into pairs. Each account keeps its ``knn`` most similar
    accounts (cosine of the rows of ``U Σ``); the union of those lists is the graph.

    Raises
    ------
    EmptyGraphError
        Fewer than two accounts share any context.
    """
    config = config or GraphConfig()
    x = inc.matrix
    n = x.shape[0]
    w = context_weights(inc, config=config)
    useful = w > 0
    y = (x[:, useful] @ sp.diags(np.sqrt(w[useful]))).tocsr()
    active = np.flatnonzero(np.asarray(y.getnnz(axis=1)) > 0)
    if len(active) < 2 or y.shape[1] == 0:
        raise EmptyGraphError(
            "no two accounts share a post, thread, followed account or hashtag, so there is no co-engagement graph",
            hint="ingest more exports, or raise the relation weights in the config",
        )
    emb = embed_rows(y[active], dims=config.svd_dims, seed=seed)
    knn = config.knn if config.knn > 0 else len(active) - 1
    rows, cols, sims = knn_pairs(emb, min(knn, len(active) - 1), seed=seed)
    rows, cols = active[rows], active[cols]
    lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
    _, first = np.unique(lo.astype(np.int64) * n + hi, return_index=True)
    lo, hi, weight = lo[first], hi[first], sims[first]
    keep = weight > max(config.min_weight, 0.0)
    lo, hi, weight = lo[keep], hi[keep], weight[keep]
    if len(lo) == 0:
        raise EmptyGraphError(
            "no co-engagement tie is stronger than graph.min_weight", hint="lower graph.min_weight"
        )
    k = np.diff(x.tocsc().indptr)
    stats = {
        "accounts": float(n),
        "contexts": float(x.shape[1]),
        "shared_contexts": float(useful.sum()),
        "busy_contexts": float((k > config.busy_context_size).sum()),
        "engagements": float(x.nnz),
        "edges": float(len(lo)),
        "isolated_accounts": float(n - len(np.union1d(lo, hi))),
    }
    return CoGraph(actors=inc.actors, src=lo, dst=hi, weight=weight, stats=stats)


def embed_rows(y: sp.csr_matrix, *, dims: int, seed: int | None = 0) -> np.ndarray:
    """L2-normalised rows of the truncated-SVD embedding ``U Σ`` of ``y``."""
    from sklearn.preprocessing import normalize
    from sklearn.utils.extmath import randomized_svd

    d = max(1, min(dims, min(y.shape) - 1))
    if d < 1 or min(y.shape) <= 2:
        return normalize(y.toarray())
    from threadpoolctl import threadpool_limits

    # One BLAS thread: a threaded QR/GEMM splits its sums by thread count, and the last-bit
    # differences flip near-tied neighbours, so 1 and 2 threads gave different graphs (#12).
    with threadpool_limits(limits=1, user_api="blas"):
        u, s, _ = randomized_svd(y, d, n_iter=4, random_state=seed)
    return normalize(u * s)


def knn_pairs(
    emb: np.ndarray, k: int, *, seed: int | None = 0, exact_below: int = 20_000
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, col, cosine) of each row's ``k`` nearest rows of a normalised embedding.

    Exact in blocks up to ``exact_below`` rows; above, an inverted-file search: rows are
    bucketed by k-means and each bucket is compared with its nearest buckets only, which keeps
    the cost near ``N·√N·d`` instead of ``N²·d``.
    """
    n = len(emb)
    if n <= exact_below:
        return _knn_block(emb, np.arange(n), np.arange(n), k)
    from sklearn.cluster import MiniBatchKMeans

    n_buckets = int(np.sqrt(n))
    km = MiniBatchKMeans(n_clusters=n_buckets, n_init=1, batch_size=4096, random_state=seed).fit(
        emb
    )
    bucket = km.labels_
    order = np.argsort(bucket, kind="stable")
    bounds = np.searchsorted(bucket[order], np.arange(n_buckets + 1))
    centroids = km.cluster_centers_ / np.maximum(
        np.linalg.norm(km.cluster_centers_, axis=1, keepdims=True), 1e-12
    )
    probe = min(4, n_buckets)
    near = np.argsort(-(centroids @ centroids.T), axis=1)[:, :probe]
    out_r, out_c, out_v = [], [], []
    for b in range(n_buckets):  # a loop over ~√N buckets, each a vectorised block
        queries = order[bounds[b] : bounds[b + 1]]
        if len(queries) == 0:
            continue
        cands = np.concatenate([order[bounds[c] : bounds[c + 1]] for c in near[b]])
        r, c, v = _knn_block(emb, queries, cands, min(k, len(cands) - 1))
        out_r.append(r)
        out_c.append(c)
        out_v.append(v)
    return np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_v)


def _knn_block(
    emb: np.ndarray, queries: np.ndarray, cands: np.ndarray, k: int, chunk: int = 2048
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, cols, vals = [], [], []
    if k <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    cand_emb = emb[cands]
    for s in range(0, len(queries), chunk):
        q = queries[s : s + chunk]
        sim = emb[q] @ cand_emb.T
        sim[q[:, None] == cands[None, :]] = -np.inf  # never your own neighbour
        kk = min(k, sim.shape[1] - 1) if sim.shape[1] > 1 else 0
        if kk <= 0:
            continue
        idx = np.argpartition(-sim, kk - 1, axis=1)[:, :kk]
        rows.append(np.repeat(q, kk))
        cols.append(cands[idx].ravel())
        vals.append(np.take_along_axis(sim, idx, axis=1).ravel())
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def build_graph(
    events: pl.DataFrame,
    entities: pl.DataFrame,
    *,
    config: GraphConfig | None = None,
    seed: int | None = 0,
) -> tuple[Incidence, CoGraph]:
    """Incidence and co-engagement graph in one call."""
    inc = build_incidence(events, entities, config=config)
    return inc, project_coengagement(inc, config=config, seed=seed)
