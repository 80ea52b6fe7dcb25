"""The interest-segment estimator checks its parameters once, when fit starts (scikit-learn's
convention), and refuses what it cannot do instead of silently running k-means."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from microcomm.communities import InterestClusterer

X = sp.csr_matrix(np.kron(np.eye(3), np.ones((10, 4))))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"method": "kmean"}, "method must be one of 'kmeans', 'hdbscan', got 'kmean'"),
        ({"method": "louvain"}, "method must be one of 'kmeans', 'hdbscan', got 'louvain'"),
        ({"n_clusters": -1}, "n_clusters must be an int >= 0, got -1"),
        ({"n_clusters": 2.5}, "n_clusters must be an int >= 0, got 2.5"),
        ({"n_components": 0}, "n_components must be an int >= 1, got 0"),
        ({"seed": -3}, "seed must be None or an int >= 0, got -3"),
    ],
)
def test_bad_parameters_are_refused_when_fit_starts(params: dict, message: str) -> None:
    est = InterestClusterer(**params)  # the constructor only stores, as in scikit-learn
    assert all(getattr(est, k) == v for k, v in params.items())
    with pytest.raises(ValueError, match=f"^InterestClusterer: {message}$"):
        est.fit(X)
    assert not hasattr(est, "labels_")


def test_a_parameter_changed_after_construction_is_checked_too() -> None:
    est = InterestClusterer(n_clusters=3, seed=0)  # valid: the doctest of fit shows it run
    est.method = "spectral"
    with pytest.raises(ValueError, match="got 'spectral'"):
        est.fit(X)
