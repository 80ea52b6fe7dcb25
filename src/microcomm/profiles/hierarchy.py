"""Community levels: who is in which community at one level, and which macro community each
micro one nests in.
"""

from __future__ import annotations

import polars as pl


def membership(communities: pl.DataFrame, *, level: int = 0) -> pl.DataFrame:
    """``actor → community`` at one hierarchy level (level 0 is the micro level)."""
    return communities.filter((pl.col("level") == level) & (pl.col("community") >= 0)).select(
        "actor", "community"
    )


def hierarchy(communities: pl.DataFrame) -> pl.DataFrame:
    """``community, macro, levels``: the top-level (macro) community each micro one nests in.

    Louvain's levels nest exactly, so every member of a micro community shares one macro
    community; the most common one is taken to stay robust to other methods.
    """
    top = communities["level"].max()
    micro = membership(communities, level=0)
    macro = membership(communities, level=top).rename({"community": "macro"})
    return (
        micro.join(macro, on="actor", how="inner")
        .group_by(["community", "macro"])
        .agg(pl.len().alias("n"))
        .sort(["community", "n", "macro"], descending=[False, True, False])
        .group_by("community", maintain_order=True)
        .first()
        .select("community", "macro")
    )
