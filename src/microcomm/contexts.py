"""Context keys: the one place that names what accounts engage with together.

A *context* is anything two accounts can share: a post or thread (``platform:id``), an account
followed, mentioned or messaged (``@handle``), or an entity of their texts (``#tag``,
``domain:example.org``, ``emoji:…``, ``word:…``). The graph stage builds its account × context
incidence from these keys and ``explain`` shows the same keys, so both must build them here
(issue 7: the prefixes had drifted — the graph wrote ``domain:`` where ``explain`` wrote none).

Inputs: polars frames with the ``events`` columns (``platform``, ``target``, ``target_kind``)
or the ``entities`` columns (``type``, ``value``). Output: polars expressions.
"""

from __future__ import annotations

import polars as pl

#: Prefix of an account context: a follow, mention or DM target, or an @-mention in a text.
ACCOUNT = "@"
#: Prefix of each entity type's context key. A text mention and an event aimed at the same
#: account are one context, so ``mention`` shares the account prefix.
ENTITY_PREFIX: dict[str, str] = {
    "hashtag": "#",
    "mention": ACCOUNT,
    "domain": "domain:",
    "emoji": "emoji:",
    "keyword": "word:",
}

__all__ = [
    "ACCOUNT",
    "ENTITY_PREFIX",
    "context_kind",
    "entity_context",
    "target_context",
]


def target_context() -> pl.Expr:
    """Context key of an event's target: ``@account`` or ``platform:target``.

    Examples
    --------
    >>> ev = pl.DataFrame({"platform": ["x", "x"], "target": ["p1", "cat"],
    ...                    "target_kind": ["post", "account"]})
    >>> ev.select(target_context())["context"].to_list()
    ['x:p1', '@cat']
    """
    return (
        pl.when(pl.col("target_kind") == "account")
        .then(pl.concat_str([pl.lit(ACCOUNT), pl.col("target")]))
        .otherwise(pl.concat_str([pl.col("platform"), pl.lit(":"), pl.col("target")]))
        .alias("context")
    )


def entity_context() -> pl.Expr:
    """Context key of an entity: its type's prefix + its normalised value.

    Examples
    --------
    >>> en = pl.DataFrame({"type": ["hashtag", "domain", "mention"],
    ...                    "value": ["vegan", "example.org", "cat"]})
    >>> en.select(entity_context())["context"].to_list()
    ['#vegan', 'domain:example.org', '@cat']
    """
    return pl.concat_str(
        [pl.col("type").replace_strict(ENTITY_PREFIX, default="x:"), pl.col("value")]
    ).alias("context")


def context_kind() -> pl.Expr:
    """What kind of thing a context key names: ``account``, ``post`` or the entity type.

    Examples
    --------
    >>> pl.DataFrame({"context": ["@cat", "#vegan", "domain:a.org", "x:p1"]}).select(
    ...     context_kind())["kind"].to_list()
    ['account', 'hashtag', 'domain', 'post']
    """
    key = pl.col("context")
    expr = pl.when(key.str.starts_with(ACCOUNT)).then(pl.lit("account"))
    for kind, prefix in ENTITY_PREFIX.items():
        if prefix != ACCOUNT:
            expr = expr.when(key.str.starts_with(prefix)).then(pl.lit(kind))
    return expr.otherwise(pl.lit("post")).alias("kind")
