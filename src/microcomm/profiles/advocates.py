"""Advocates: members who repeatedly speak well of the brand (issue 11).

Their evidence is counts and the id of a public message: a DM is counted, never quoted or
linked. Split from :mod:`microcomm.profiles.people`, whose rules (the brand, the praise bar)
it shares.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import polars as pl

from microcomm.brand import Brand
from microcomm.profiles.people import PRAISE
from microcomm.profiles.roles import native_id


def advocates(
    messages: pl.DataFrame,
    members: pl.DataFrame,
    brand: Brand,
    events: pl.DataFrame | None = None,
    *,
    min_praise: int = 2,
) -> pl.DataFrame:
    """Members who repeatedly praise the brand.

    A scored message (comment, reply, DM) is about the brand when it is a DM (the brand's
    inbox), names the brand (``@handle``, ``#handle``, ``#tag``) or answers one of the brand's
    own posts (found in ``events``). An advocate has at least ``min_praise`` clear-cut
    praising ones (compound ≥ 0.3) and more praise than complaints among them.

    Returns
    -------
    DataFrame
        ``community, actor, praise, complaints, messages, dms, example`` — ``messages`` about
        the brand, ``example`` the id of a public praising one (None when all the praise came
        by DM: DMs are never quoted or linked).

    Examples
    --------
    >>> msgs = pl.DataFrame({"event_id": ["1", "2", "3", "4"], "actor": ["a", "a", "a", "b"],
    ...     "kind": ["dm", "comment", "comment", "comment"], "compound": [0.6, 0.5, -0.1, 0.9],
    ...     "text": ["thanks!", "love @kestrel", "meh @Kestrel", "love it"], "created_at": [None] * 4})
    >>> m = pl.DataFrame({"actor": ["a", "b"], "community": [0, 0]})
    >>> advocates(msgs, m, Brand(handles=("kestrel",), how="given")).rows()
    [(0, 'a', 2, 0, 3, 1, '2')]
    """
    if not brand:
        return pl.DataFrame(
            schema={
                "community": pl.Int64,
                "actor": pl.String,
                "praise": pl.UInt32,
                "complaints": pl.UInt32,
                "messages": pl.UInt32,
                "dms": pl.UInt32,
                "example": pl.String,
            }
        )
    about = (pl.col("kind") == "dm") | pl.col("text").pipe(_names(brand))
    if events is not None:
        own = events.filter(
            pl.col("actor").is_in(list(brand.handles)) & (pl.col("kind") == "post")
        ).select(native_id().alias("target"))
        if own.height:
            answers = events.filter(pl.col("target").is_in(own["target"].implode())).select(
                "event_id"
            )
            about = about | pl.col("event_id").is_in(answers["event_id"].implode())
    praise = pl.col("compound") >= PRAISE
    public = (pl.col("kind") != "dm") & praise
    return (
        messages.join(members, on="actor", how="inner")
        .filter(about)
        .sort(["actor", "created_at", "event_id"], nulls_last=True)
        .group_by(["community", "actor"])
        .agg(
            praise.sum().alias("praise"),
            (pl.col("compound") <= -PRAISE).sum().alias("complaints"),
            pl.len().alias("messages"),
            (pl.col("kind") == "dm").sum().alias("dms"),
            pl.col("event_id").filter(public).first().alias("example"),
        )
        .filter((pl.col("praise") >= min_praise) & (pl.col("praise") > pl.col("complaints")))
        .sort(["community", "praise", "messages", "actor"], descending=[False, True, False, False])
    )


def _names(brand: Brand) -> Callable[[pl.Expr], pl.Expr]:
    """A function of a text column: true where the text names the brand."""
    names = "|".join(re.escape(n) for n in sorted(set(brand.handles) | set(brand.tags)))

    def f(text: pl.Expr) -> pl.Expr:
        return text.fill_null("").str.contains(rf"(?i)[@#](?:{names})(?:[^\p{{L}}\p{{N}}_]|$)")

    return f
