"""Ingest, step 3: remember which event ids the store and this ingest already hold.

Re-ingesting a file adds nothing because every event id is checked here before it is staged.
"""

from __future__ import annotations

import numpy as np
import polars as pl


class SeenIds:
    """The event ids already in the store or in this ingest, for deduplication.

    Kept as two independent 64-bit hashes per id in sorted runs (merged when two runs reach a
    similar size), so a batch is checked in O(b log n) and memory is 16 bytes an id. Checking
    a growing set of id strings instead costs a full hash-table build per batch, which made a
    2 GB file ingest at half speed. Two ids collide on both hashes with a probability of about
    n²/2¹²⁹ (10⁻²⁵ for 10 M ids); a collision on one hash only can at worst keep a duplicate,
    never drop an event. The hashes live for one process only, so polars' hash is fine here.
    """

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    @staticmethod
    def _hashes(ids: pl.Series) -> tuple[np.ndarray, np.ndarray]:
        return ids.hash(seed=11).to_numpy(), ids.hash(seed=29).to_numpy()

    def contains(self, ids: pl.Series) -> np.ndarray:
        """Boolean mask: which of ``ids`` were added before."""
        found = np.zeros(len(ids), dtype=bool)
        if not self._runs or len(ids) == 0:
            return found
        h1, h2 = self._hashes(ids)
        for r1, r2 in self._runs:
            idx = np.minimum(np.searchsorted(r1, h1), len(r1) - 1)
            found |= (r1[idx] == h1) & (r2[idx] == h2)
        return found

    def add(self, ids: pl.Series) -> None:
        """Remember ``ids`` (assumed not seen yet)."""
        if len(ids) == 0:
            return
        h1, h2 = self._hashes(ids)
        order = np.argsort(h1, kind="stable")
        self._runs.append((h1[order], h2[order]))
        while len(self._runs) >= 2 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (a1, a2), (b1, b2) = self._runs[-2], self._runs[-1]
            m1, m2 = np.concatenate([a1, b1]), np.concatenate([a2, b2])
            order = np.argsort(m1, kind="stable")
            self._runs[-2:] = [(m1[order], m2[order])]
