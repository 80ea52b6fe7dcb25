"""Interest segments: TF-IDF → truncated SVD → k-means or HDBSCAN on the account × interest
matrix. A scikit-learn-style estimator: the constructor stores parameters, ``fit`` returns
``self``, learned attributes end in ``_``.

Unlike Louvain this needs no co-engagement tie, so it also places accounts whose only signal
is what they talk about.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from microcomm.communities.quality import relabel_by_size

METHODS = ("kmeans", "hdbscan")


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def interest_matrix(incidence: sp.csr_matrix) -> sp.csr_matrix:
    """TF-IDF weighted, L2-normalised rows of an account × context/interest incidence."""
    from sklearn.feature_extraction.text import TfidfTransformer

    return TfidfTransformer(sublinear_tf=True).fit_transform(incidence).tocsr()


class InterestClusterer:
    """Cluster accounts by interests.

    Parameters
    ----------
    method
        ``"kmeans"`` or ``"hdbscan"`` (HDBSCAN leaves outliers at -1).
    n_clusters
        For k-means; 0 picks k by silhouette on a sample among a geometric grid.
    n_components
        SVD dimensions.
    seed
        Seed for SVD, k-means and sampling.

    Examples
    --------
    >>> x = sp.csr_matrix(np.kron(np.eye(3), np.ones((10, 4))))
    >>> sorted(np.bincount(InterestClusterer(n_clusters=3, seed=0).fit(x).labels_).tolist())
    [10, 10, 10]
    """

    def __init__(
        self,
        method: str = "kmeans",
        *,
        n_clusters: int = 0,
        n_components: int = 64,
        seed: int | None = 42,
    ) -> None:
        self.method = method
        self.n_clusters = n_clusters
        self.n_components = n_components
        self.seed = seed

    def _validate_params(self) -> None:
        """Check every parameter once, when ``fit`` starts (scikit-learn's convention: the
        constructor only stores them, so ``set``-then-``fit`` is checked too)."""
        if self.method not in METHODS:
            raise ValueError(
                f"InterestClusterer: method must be one of {', '.join(map(repr, METHODS))}, "
                f"got {self.method!r}"
            )
        for name, low in (("n_clusters", 0), ("n_components", 1)):
            value = getattr(self, name)
            if not _is_int(value) or value < low:
                raise ValueError(
                    f"InterestClusterer: {name} must be an int >= {low}, got {value!r}"
                )
        if self.seed is not None and not (_is_int(self.seed) and self.seed >= 0):
            raise ValueError(
                f"InterestClusterer: seed must be None or an int >= 0, got {self.seed!r}"
            )

    def fit(self, incidence: sp.spmatrix) -> InterestClusterer:
        """Embed the accounts' interests and cluster them: sets ``labels_`` (-1 for HDBSCAN's
        outliers), ``n_clusters_`` and ``embedding_``.

        Raises
        ------
        ValueError
            A parameter is outside its domain, e.g. an unknown ``method``.
        """
        self._validate_params()
        from sklearn.cluster import HDBSCAN, KMeans
        from sklearn.decomposition import TruncatedSVD
        from sklearn.preprocessing import normalize

        x = interest_matrix(sp.csr_matrix(incidence))
        n, d = x.shape
        comps = max(1, min(self.n_components, d - 1, n - 1))
        emb = (
            TruncatedSVD(n_components=comps, random_state=self.seed).fit_transform(x)
            if comps < d
            else x.toarray()
        )
        emb = normalize(emb)
        self.embedding_ = emb
        if self.method == "hdbscan":
            labels = HDBSCAN(min_cluster_size=10, copy=True).fit_predict(emb)
        else:  # kmeans: _validate_params lets no other name through
            k = self.n_clusters or self._choose_k(emb)
            k = max(1, min(k, n))
            labels = KMeans(n_clusters=k, n_init=3, random_state=self.seed).fit_predict(emb)
        self.labels_ = relabel_by_size(labels)
        self.n_clusters_ = int(self.labels_.max() + 1) if (self.labels_ >= 0).any() else 0
        return self

    def _choose_k(self, emb: np.ndarray) -> int:
        from sklearn.cluster import MiniBatchKMeans
        from sklearn.metrics import silhouette_score

        n = len(emb)
        rng = np.random.default_rng(self.seed)
        sample = emb[rng.choice(n, size=min(n, 4000), replace=False)]
        hi = max(2, min(400, n // 20))
        grid = sorted({round(v) for v in np.geomspace(2, hi, num=10)})
        best_k, best_s = grid[0], -1.0
        for k in grid:
            if k >= len(sample):
                break
            labels = MiniBatchKMeans(n_clusters=k, n_init=3, random_state=self.seed).fit_predict(
                sample
            )
            if len(set(labels.tolist())) < 2:
                continue
            s = silhouette_score(sample, labels)
            if s > best_s:
                best_k, best_s = k, s
        return best_k
