"""Partition quality and bookkeeping: labels ordered by size, membership strength, NMI."""

from __future__ import annotations

import numpy as np


def relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber labels 0..k-1 by decreasing size (ties by first appearance); -1 stays -1.

    Examples
    --------
    >>> relabel_by_size(np.array([5, 3, 3, -1, 5, 3])).tolist()
    [1, 0, 0, -1, 1, 0]
    """
    labels = np.asarray(labels)
    valid = labels >= 0
    if not valid.any():
        return labels.copy()
    uniq, first, counts = np.unique(labels[valid], return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    mapping = np.empty(uniq.max() + 1, dtype=np.int64)
    mapping[uniq[order]] = np.arange(len(uniq))
    out = np.full(len(labels), -1, dtype=np.int64)
    out[valid] = mapping[labels[valid]]
    return out


def membership_strength(
    labels: np.ndarray, src: np.ndarray, dst: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """Share of each node's tie weight that stays inside its community (0 for isolated nodes)."""
    n = len(labels)
    inside = labels[src] == labels[dst]
    w_in = np.bincount(src, weight * inside, n) + np.bincount(dst, weight * inside, n)
    deg = np.bincount(src, weight, n) + np.bincount(dst, weight, n)
    return np.divide(w_in, deg, out=np.zeros(n), where=deg > 0)


def modularity(
    labels: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    *,
    resolution: float = 1.0,
) -> float:
    """Newman–Girvan modularity of ``labels`` on an undirected edge list (vectorised)."""
    n = len(labels)
    m = weight.sum()
    if m == 0:
        return 0.0
    inside = labels[src] == labels[dst]
    deg = np.bincount(src, weight, n) + np.bincount(dst, weight, n)
    lab = np.where(labels >= 0, labels, labels.max() + 1 + np.arange(n))
    _, inv = np.unique(lab, return_inverse=True)
    tot = np.bincount(inv, deg)
    return float(weight[inside].sum() / m - resolution * (tot**2).sum() / (4 * m * m))


def nmi(truth: np.ndarray, found: np.ndarray) -> float:
    """Normalised mutual information (arithmetic mean), as scikit-learn computes it."""
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(truth, found))
