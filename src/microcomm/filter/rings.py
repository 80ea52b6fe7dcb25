"""Copy-paste rings: near-identical messages posted by many accounts.

Word 3-shingles of each message → MinHash signatures (numpy, multiply-shift hashing) →
locality-sensitive hashing in bands (Broder 1997; Leskovec, Rajaraman & Ullman, *Mining of
Massive Datasets*, ch. 3). Messages that share a band bucket and whose signatures agree on at
least ``similarity`` of their positions are linked; linked groups written by at least
``min_accounts`` distinct accounts are rings. Links, @mentions and numbers are replaced by
placeholders first, so copies that differ only in the tagged account or the link still match.
Short messages ("love this!", "first") are left out: many people say them on their own.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["minhash_signatures", "near_duplicate_groups"]

_MASK32 = np.uint64(0xFFFFFFFF)


def minhash_signatures(
    doc: np.ndarray, shingle_hash: np.ndarray, n_docs: int, *, num_perm: int = 32, seed: int = 0
) -> np.ndarray:
    """MinHash signature (``n_docs`` × ``num_perm``, uint64) of each document's shingle set.

    ``doc`` (sorted, every document present) and ``shingle_hash`` list one row per shingle.

    Examples
    --------
    >>> sig = minhash_signatures(np.array([0, 0, 1, 1]), np.array([5, 9, 5, 9], dtype=np.uint64), 2)
    >>> bool((sig[0] == sig[1]).all())
    True
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63 - 1, num_perm, dtype=np.int64).astype(np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63 - 1, num_perm, dtype=np.int64).astype(np.uint64)
    starts = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1]])
    out = np.empty((n_docs, num_perm), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(num_perm):  # a loop over permutations, not over documents
            hashed = (shingle_hash * a[j] + b[j]) >> np.uint64(32)
            out[:, j] = np.minimum.reduceat(hashed, starts)
    return out


def near_duplicate_groups(
    texts: pl.Series,
    *,
    min_words: int = 6,
    similarity: float = 0.6,
    num_perm: int = 32,
    bands: int = 8,
    seed: int = 0,
) -> pl.Series:
    """A group id per text (UInt32; null for texts too short to compare).

    Texts in one group are near-duplicates of each other (transitively). Exact copies always
    share a group.

    Examples
    --------
    >>> s = pl.Series(["Win a free phone today click the link in my bio now",
    ...                "win a FREE phone today, click the link in my bio now!!",
    ...                "We climbed the north ridge at dawn and the light was unreal", "short one"])
    >>> g = near_duplicate_groups(s).to_list()
    >>> g[0] == g[1], g[0] == g[2], g[3]
    (True, False, None)
    """
    words = (
        texts.cast(pl.String)
        .str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_all(r"https?://\S+|www\.\S+", " url ")
        .str.replace_all(r"@[\p{L}\p{N}_.]+", " at ")
        .str.replace_all(r"\p{N}+", " 0 ")
        .str.extract_all(r"[\p{L}\p{N}]+|\p{Extended_Pictographic}")
    )
    frame = pl.DataFrame({"w": words}).with_row_index("row")
    # Only words count towards min_words: not links, @tags, #tags or numbers.
    n_real = (
        texts.cast(pl.String)
        .str.replace_all(r"https?://\S+|www\.\S+|[@#][\p{L}\p{N}_.]+", " ")
        .str.count_matches(r"\p{L}[\p{L}\p{N}'’]+")
        .fill_null(0)
    )
    frame = frame.with_columns(
        pl.when(n_real >= min_words).then(pl.col("w").list.join(" ")).alias("key")
    )
    keyed = frame.filter(pl.col("key").is_not_null())
    out = pl.Series("group", [None] * len(texts), dtype=pl.UInt32)
    if keyed.height == 0:
        return out
    # Documents in text order, not row order: the LSH buckets link each to its bucket's first
    # document, so the groups must not depend on the order the events came in.
    uniq = keyed.select("key", "w").unique(subset="key").sort("key").with_row_index("doc")
    sh = (
        uniq.select("doc", "w")
        .explode("w")
        .with_columns(
            pl.concat_str(
                [pl.col("w"), pl.col("w").shift(-1).over("doc"), pl.col("w").shift(-2).over("doc")],
                separator=" ",
            ).alias("s")
        )
        .filter(pl.col("s").is_not_null())
        .unique(maintain_order=True)
        .sort("doc", maintain_order=True)
    )
    n_docs = uniq.height
    doc = sh["doc"].to_numpy().astype(np.int64)
    hashes = sh["s"].hash(seed=seed + 17).to_numpy()
    sig = minhash_signatures(doc, hashes, n_docs, num_perm=num_perm, seed=seed)
    labels = _lsh_components(sig, bands=bands, similarity=similarity, seed=seed)
    doc_group = uniq.select("key").with_columns(pl.Series("group", labels, dtype=pl.UInt32))
    grouped = keyed.select("row", "key").join(doc_group, on="key", how="left")
    return out.scatter(grouped["row"], grouped["group"])


def _lsh_components(sig: np.ndarray, *, bands: int, similarity: float, seed: int) -> np.ndarray:
    """Component label per signature row: rows sharing a band bucket and agreeing on at least
    ``similarity`` of their MinHash values are linked (each bucket as a star, O(n) links)."""
    n_docs, num_perm = sig.shape
    rows = num_perm // bands
    src_l, dst_l = [], []
    mult = np.random.default_rng(seed + 1).integers(1, 2**63 - 1, rows, dtype=np.int64)
    for band in range(bands):
        block = sig[:, band * rows : (band + 1) * rows] & _MASK32
        with np.errstate(over="ignore"):
            key = (block * mult.astype(np.uint64)).sum(axis=1, dtype=np.uint64)
        order = np.argsort(key, kind="stable")
        ks = key[order]
        head = np.r_[True, ks[1:] != ks[:-1]]
        first = order[np.maximum.accumulate(np.where(head, np.arange(len(ks)), 0))]
        src_l.append(first[~head])
        dst_l.append(order[~head])
    src, dst = np.concatenate(src_l), np.concatenate(dst_l)
    if len(src):
        agree = (sig[src] == sig[dst]).mean(axis=1) >= similarity
        src, dst = src[agree], dst[agree]
    graph = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n_docs, n_docs))
    return connected_components(graph, directed=False)[1]
