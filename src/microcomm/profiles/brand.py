"""Which messages are addressed to the brand (issue 8, item 4).

"What they say to us" is every comment and reply (under the brand's posts, in an export of
the brand's own pages), every DM, and every post, mention or tag that names one of the brand's
accounts — on X, complaints to an airline are posts that @mention it, not comments. Who the
brand is comes from :func:`microcomm.brand.resolve_brand` (given, or the most engaged account).
"""

from __future__ import annotations

import polars as pl

__all__ = ["ADDRESSED_KINDS", "NAMING_KINDS", "messages_to_brand"]

# Kinds addressed to the brand by where they are written (its comment sections, its inbox).
ADDRESSED_KINDS = ("comment", "reply", "dm")
# Kinds addressed to it only when they name it.
NAMING_KINDS = ("post", "mention", "tag", "share")


def messages_to_brand(events: pl.DataFrame, brands: list[str]) -> pl.DataFrame:
    """The events that say something to the brand, written by anyone but the brand itself.

    Examples
    --------
    >>> ev = pl.DataFrame({"actor": ["a", "b", "c", "kestrel", "d"],
    ...     "kind": ["comment", "post", "post", "reply", "mention"],
    ...     "target": ["p1", None, None, "p1", "kestrel"], "target_kind": ["post", None, None, "post", "account"],
    ...     "text": ["love it", "@Kestrel my tent leaks", "nice day", "thanks!", "hey"]})
    >>> messages_to_brand(ev, ["kestrel"])["actor"].to_list()
    ['a', 'b', 'd']
    """
    written = events.filter(pl.col("text").is_not_null() & pl.col("actor").is_not_null())
    addressed = pl.col("kind").is_in(list(ADDRESSED_KINDS))
    if not brands:
        return written.filter(addressed)
    pattern = r"(?:^|[^\p{L}\p{N}_@/.])@(?:" + "|".join(_escape(b) for b in brands) + r")\b"
    names = pl.col("text").str.to_lowercase().str.contains(pattern) | (
        (pl.col("target_kind") == "account") & pl.col("target").is_in(brands)
    ).fill_null(False)
    return written.filter(
        (addressed | (pl.col("kind").is_in(list(NAMING_KINDS)) & names))
        & ~pl.col("actor").is_in(brands)
    )


def _escape(handle: str) -> str:
    return "".join(c if c.isalnum() or c == "_" else "\\" + c for c in handle)
