"""Accounts that only receive: placed by the communities of the people who reach them.

A DM recipient, a followed or mentioned account that never acts itself has no engagement of
its own, so the graph cannot place it: it is a context (``@handle``) that ties its senders
together, not a node of its own (issue 12, item 6). It is still someone the audience reaches,
and the data often says where it belongs — when most of the people who message, follow or
mention it sit in one community.

The rule: each sender placed in a micro community votes for it with its tie to the receiver
(the incidence weight, ``1 + ln x`` of its kind-weighted engagements); the receiver joins the
community holding more than ``share`` (half) of the votes, if at least ``min_senders`` (1)
placed accounts reach it, with that share as its *confidence*. Otherwise it is unplaced
(``-1``) and counted as such. Sums run in a fixed order, ties go to the smaller label.

Inputs: the account × context :class:`~microcomm.graph.Incidence`, the micro labels of its
accounts, and the handles that act. Output: one row per receive-only account.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import polars as pl

from microcomm.contexts import ACCOUNT
from microcomm.graph import Incidence

__all__ = ["RECEIVER_SCHEMA", "place_receivers"]

RECEIVER_SCHEMA = {
    "actor": pl.String,
    "community": pl.Int64,
    "confidence": pl.Float64,
    "senders": pl.Int64,
}


def _receiver_columns(
    inc: Incidence, acting: Iterable[str], exclude: Iterable[str]
) -> pl.DataFrame:
    """``col, actor`` of the ``@handle`` columns of ``inc`` whose account never acts and is
    not excluded, by column."""
    skip = pl.DataFrame({"actor": pl.Series([*acting, *exclude], dtype=pl.String)})
    return (
        pl.DataFrame({"context": pl.Series(inc.contexts, dtype=pl.String)})
        .with_row_index("col")
        .filter(pl.col("context").str.starts_with(ACCOUNT))
        .select("col", pl.col("context").str.slice(len(ACCOUNT)).alias("actor"))
        .join(skip, on="actor", how="anti")
        .sort("col")
    )


def place_receivers(
    inc: Incidence,
    labels: np.ndarray,
    *,
    acting: Iterable[str],
    exclude: Iterable[str] = (),
    min_senders: int = 1,
    share: float = 0.5,
) -> pl.DataFrame:
    """Community of each account that is engaged with as an account but never acts.

    Parameters
    ----------
    inc
        Account × context incidence (its ``@handle`` columns are the accounts engaged with).
    labels
        Micro community of each row of ``inc`` (``-1``: unplaced; such senders do not vote).
    acting
        Handles that act in the events: they are not receive-only, the graph places them.
    exclude
        Handles never placed as members (the brand the audience is about).
    min_senders, share
        A receiver is placed when at least ``min_senders`` placed accounts reach it and one
        community holds more than ``share`` of their vote weight.

    Returns
    -------
    polars.DataFrame
        ``actor, community, confidence, senders`` sorted by actor; ``community`` -1 and
        ``confidence`` null when unplaced; ``senders`` counts the placed senders.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> m = sp.csr_matrix(np.array([[1.0, 1, 1], [1, 0, 1], [1, 0, 0], [0, 1, 0]]))
    >>> inc = Incidence(m, np.array(["a", "b", "c", "d"]), np.array(["@r", "@s", "x:p"]))
    >>> place_receivers(inc, np.array([0, 0, 1, 1]), acting=["a", "b", "c", "d"]).rows()
    [('r', 0, 0.6666666666666666, 3), ('s', -1, None, 2)]
    """
    accounts = _receiver_columns(inc, acting, exclude)
    if accounts.height == 0:
        return pl.DataFrame(schema=RECEIVER_SCHEMA)
    cols = accounts["col"].to_numpy().astype(np.int64)
    sub = inc.matrix.tocsc()[:, cols].tocoo()
    lab = np.asarray(labels, dtype=np.int64)[sub.row]
    ok = lab >= 0
    recv, comm, w = sub.col[ok].astype(np.int64), lab[ok], sub.data[ok]
    community = np.full(len(cols), -1, dtype=np.int64)
    confidence = np.full(len(cols), np.nan)
    senders = np.bincount(recv, minlength=len(cols))
    if len(recv):
        # Vote weight per (receiver, community), summed in a fixed order.
        order = np.lexsort((w, comm, recv))
        recv, comm, w = recv[order], comm[order], w[order]
        start = np.flatnonzero(np.r_[True, (recv[1:] != recv[:-1]) | (comm[1:] != comm[:-1])])
        r, c, v = recv[start], comm[start], np.add.reduceat(w, start)
        total = np.bincount(r, v, minlength=len(cols))
        # Strongest community first, then the smaller label.
        best = np.lexsort((c, -v, r))
        first = best[np.r_[True, r[best][1:] != r[best][:-1]]]
        top_share = v[first] / total[r[first]]
        placed = (top_share > share) & (senders[r[first]] >= min_senders)
        community[r[first][placed]] = c[first][placed]
        confidence[r[first][placed]] = top_share[placed]
    return pl.DataFrame(
        {
            "actor": accounts["actor"],
            "community": community,
            "confidence": confidence,
            "senders": senders.astype(np.int64),
        },
        schema=RECEIVER_SCHEMA,
    ).with_columns(pl.col("confidence").fill_nan(None))
