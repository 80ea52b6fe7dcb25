"""The brand's own accounts: given (``--brand HANDLE``, ``report.brand``) or found in the data.

Several stages need to know who the brand is: the report (who mentions it, where it posts,
what is said to it) and the spam filter (its own accounts are never flagged). This module is
the one place that resolves it, from plain frames:

- given handles win (``@kestrel`` or ``kestrel``, matched lower-case); an entry written
  ``#tag`` is a brand *tag* (a campaign or product hashtag) that counts as mentioning it;
- otherwise the account engaged with by the most distinct accounts (followed, mentioned, DMed,
  tagged), when it clearly leads, is taken as the brand — the same rule as the summary's.
  ``how`` says which rule applied, so a report can say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

__all__ = ["Brand", "brand_mention", "parse_brand", "resolve_brand"]

# Event kinds in which an account speaks about the brand in its own words (not a like,
# follow or re-share of someone else's words).
MENTION_KINDS = ("post", "comment", "reply", "mention", "tag")


@dataclass(frozen=True)
class Brand:
    """The brand's handles (lower-case, no ``@``) and tags (no ``#``), and how they were found.

    ``how`` is ``given`` (command line or config), ``auto`` (the most engaged account) or
    ``none`` (nothing given and no account engaged by two or more accounts).
    """

    handles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    how: str = "none"
    engagers: int = 0  # for ``auto``: distinct accounts that engaged with it

    def __bool__(self) -> bool:
        return bool(self.handles or self.tags)

    def to_dict(self) -> dict[str, object]:
        return {
            "handles": list(self.handles),
            "tags": list(self.tags),
            "how": self.how,
            "engagers": self.engagers,
        }


def parse_brand(given: Iterable[str]) -> Brand:
    """Handles and tags from ``--brand`` values (comma-separated lists allowed).

    Examples
    --------
    >>> parse_brand(["@Kestrel", "#KestrelTrail, kestrel_fr"])
    Brand(handles=('kestrel', 'kestrel_fr'), tags=('kestreltrail',), how='given', engagers=0)
    """
    items = [p.strip().lower() for g in given for p in str(g).split(",") if p.strip()]
    handles = sorted({i.lstrip("@") for i in items if not i.startswith("#")} - {""})
    tags = sorted({i.lstrip("#") for i in items if i.startswith("#")} - {""})
    if not handles and not tags:
        return Brand()
    return Brand(handles=tuple(handles), tags=tuple(tags), how="given")


def resolve_brand(
    events: pl.DataFrame, *, given: Iterable[str] = (), dominance: float = 3.0
) -> Brand:
    """The brand: ``given`` handles if any, else the account the most accounts engage with.

    The automatic rule is the summary's (:func:`microcomm.report.summary.brand_of`): the
    account most distinct accounts follow, mention, DM or tag, when it has at least
    ``dominance`` times the engagers of the next one (and two or more) — in an export of one
    brand's audience that is the brand itself. Otherwise no brand: better none than a wrong one.

    Parameters
    ----------
    events
        ``actor, target, target_kind`` at least.
    given
        Handles (``@name`` or ``name``) and brand tags (``#tag``), comma-separated lists allowed.

    Examples
    --------
    >>> ev = pl.DataFrame({"actor": ["a", "b", "c", "a"], "target": ["Kestrel", "kestrel", "kestrel", "bob"],
    ...                    "target_kind": ["account"] * 4})
    >>> resolve_brand(ev).handles, resolve_brand(ev).how
    (('kestrel',), 'auto')
    """
    brand = parse_brand(given)
    if brand:
        return brand
    counts = (
        events.filter(
            (pl.col("target_kind") == "account")
            & pl.col("actor").is_not_null()
            & pl.col("target").is_not_null()
        )
        .group_by(pl.col("target").str.to_lowercase().alias("account"))
        .agg(pl.col("actor").n_unique().alias("n"))
        .sort(["n", "account"], descending=[True, False])
        .head(2)
    )
    n = counts["n"].to_list()
    if not n or n[0] < 2 or (len(n) > 1 and n[0] < dominance * n[1]):
        return Brand()
    return Brand(handles=(counts["account"][0],), how="auto", engagers=int(n[0]))


def brand_mention(brand: Brand) -> pl.Expr:
    """True for events in which the actor names the brand in its own words.

    A post, comment, reply, mention or tag whose target is one of the brand's accounts, or
    whose text has ``@handle``, ``#handle`` or ``#tag`` (case-insensitive, whole word). Always
    false for an empty brand. Over the columns ``kind, target, target_kind, text``.

    Examples
    --------
    >>> ev = pl.DataFrame({"kind": ["post", "comment", "like", "post"], "target": ["kestrel", "p1", "kestrel", "x"],
    ...     "target_kind": ["account", "post", "account", "account"],
    ...     "text": ["new tent", "Love my @Kestrel pack", None, "#kestrels are birds"]})
    >>> ev.select(brand_mention(Brand(handles=("kestrel",), how="given")))["brand_mention"].to_list()
    [True, True, False, False]
    """
    if not brand:
        return pl.lit(False).alias("brand_mention")
    names = sorted(set(brand.handles) | set(brand.tags))
    words = "|".join(re.escape(n) for n in names)
    at = "|".join(re.escape(n) for n in brand.handles)
    named = rf"#(?:{words})" + (rf"|@(?:{at})" if at else "")
    in_text = pl.col("text").fill_null("").str.contains(rf"(?i)(?:{named})(?:[^\p{{L}}\p{{N}}_]|$)")
    targeted = (pl.col("target_kind") == "account") & pl.col("target").str.to_lowercase().is_in(
        list(brand.handles)
    )
    return (
        (pl.col("kind").is_in(list(MENTION_KINDS)) & (targeted.fill_null(False) | in_text))
        .fill_null(False)
        .alias("brand_mention")
    )
