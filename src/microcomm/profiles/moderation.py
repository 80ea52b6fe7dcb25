"""Moderation signals: hostile messages per community and who sends most of them (issue 8).

Keeping micro communities safe is part of serving them. A message is hostile when it threatens
("I'll find you", "kys"), insults someone addressed ("you're an idiot", "shut up"), harasses
("nobody likes you", "delete your account") or uses a slur. The lexicon is shipped here,
written as patterns over the addressed person rather than lists of swear words: profanity
alone ("this is so fucking good") is not hostility. Vectorised: one regex pass per category.
Hostile text is never quoted by this section; counts and senders only.
"""

from __future__ import annotations

import polars as pl

__all__ = ["HOSTILE_RULES", "hostile_messages", "moderation_summary"]

_YOU = r"(?:you|u|ya|ur|you re|youre|you are|u r|your a|ur a)"
_INSULT = (
    r"idiot|idiots|moron|morons|stupid|dumb|dumbass|loser|losers|pathetic|clown|trash|garbage|"
    r"scum|scumbag|worthless|ugly|retard|retarded|imbecile|jackass|asshole|assholes|bitch|"
    r"bastard|piece of (?:shit|crap|garbage)|disgrace|creep|pig|freak|cunt|twat|prick|dickhead"
)
HOSTILE_RULES: list[tuple[str, str]] = [
    (
        "threat",
        rf"\b(?:i ll|i will|i m going to|i m gonna|im gonna|gonna|we ll|we will)\s+(?:\w+\s+)?"
        rf"(?:kill|hurt|find|beat|destroy|end|murder|shoot|stab|smash)\s+{_YOU}\b|"
        r"\b(?:kill|hang|shoot)\s+(?:yo)?urself\b|\bkys\b|\bi know where (?:you|u) live\b|"
        r"\bwatch your back\b|\b(?:you|u) (?:will|ll) (?:regret|pay for) (?:this|it)\b|"
        r"\b(?:you|u) (?:should|deserve to|need to|better) die\b|\bgo die\b|\bhope (?:you|u) die\b",
    ),
    (
        "slur",
        r"\b(?:retards?|f[a@4]gg?[o0]ts?|trann(?:y|ies)|n[i1]gg(?:er|a)s?|k[i1]kes?|sp[i1]cs?|"
        r"ch[i1]nks?|g[o0][o0]ks?|wetbacks?)\b",
    ),
    (
        "harassment",
        r"\b(?:nobody|no one) (?:likes|cares about|wants|loves) (?:you|u)\b|\bdelete your "
        r"account\b|\bget off (?:the internet|twitter|here|this app)\b|\b(?:you|u) (?:are|re|r) "
        r"(?:so )?(?:ugly|fat|disgusting|gross)\b",
    ),
    (
        "insult",
        rf"\b{_YOU}\s+(?:(?:such|so|a|an|the|total|complete|fucking|stupid|little|absolute|"
        rf"real|fat|ugly|dumb)\s+){{0,3}}(?:{_INSULT})\b|\b(?:shut up|stfu|screw (?:you|u)|"
        r"fuck (?:you|u|off)|go to hell|piss off|get lost)\b|\bwhat an? (?:idiot|moron|loser|"
        r"clown|joke|dumbass)\b",
    ),
]
# Kinds a member writes (what moderation looks at).
_WRITTEN = ("post", "comment", "reply", "mention", "tag", "dm")


def hostile_messages(events: pl.DataFrame) -> pl.DataFrame:
    """Every written message with ``hostile`` (bool) and ``category`` (the first matching rule,
    most severe first: threat, slur, harassment, insult).

    Examples
    --------
    >>> ev = pl.DataFrame({"actor": ["a", "b", "c", "d"], "kind": ["comment"] * 4,
    ...     "text": ["You're such an idiot", "this is so fucking good", "I'll find you", "love it"]})
    >>> hostile_messages(ev).select("actor", "category").rows()
    [('a', 'insult'), ('b', None), ('c', 'threat'), ('d', None)]
    """
    written = events.filter(
        pl.col("kind").is_in(list(_WRITTEN)) & pl.col("text").is_not_null()
    ).select("actor", "kind", "text")
    norm = (
        pl.col("text")
        .str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_all(r"[’'`´]", " ")
        .str.replace_all(r"[^\p{L}\p{N}@*]+", " ")
    )
    category = pl.lit(None, dtype=pl.String)
    for name, pattern in reversed(HOSTILE_RULES):
        category = (
            pl.when(pl.col("_t").str.contains(pattern)).then(pl.lit(name)).otherwise(category)
        )
    # The category depends on the text alone: each distinct text is matched once (many
    # messages repeat a text), then joined back in the messages' order.
    texts = (
        written.select(pl.col("text").unique())
        .with_columns(norm.alias("_t"))
        .select("text", category.alias("category"))
    )
    return written.join(texts, on="text", how="left", maintain_order="left").select(
        "actor", "kind", "category", pl.col("category").is_not_null().alias("hostile")
    )


def moderation_summary(
    messages: pl.DataFrame, members: pl.DataFrame, *, top: int = 3
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per community: messages, hostile ones and their share by category; and the members who
    send the most hostile messages (``community, actor, hostile``, at most ``top`` each).

    Examples
    --------
    >>> msgs = pl.DataFrame({"actor": ["a", "a", "b"], "category": ["insult", None, "threat"],
    ...                      "hostile": [True, False, True]})
    >>> s, who = moderation_summary(msgs, pl.DataFrame({"actor": ["a", "b"], "community": [0, 0]}))
    >>> s.row(0), who.rows()
    ((0, 3, 2, 0.6666666666666666, 1, 0, 0, 1), [(0, 'a', 1), (0, 'b', 1)])
    """
    joined = messages.join(members, on="actor", how="inner")
    cats = [name for name, _ in HOSTILE_RULES]
    summary = (
        joined.group_by("community")
        .agg(
            pl.len().alias("messages"),
            pl.col("hostile").sum().alias("hostile"),
            *[(pl.col("category") == c).sum().alias(c) for c in cats],
        )
        .with_columns((pl.col("hostile") / pl.col("messages")).alias("share"))
        .select("community", "messages", "hostile", "share", *cats)
        .sort("community")
    )
    senders = (
        joined.filter(pl.col("hostile"))
        .group_by("community", "actor")
        .agg(pl.len().alias("hostile"))
        .sort(["community", "hostile", "actor"], descending=[False, True, False])
        .group_by("community", maintain_order=True)
        .head(top)
    )
    return summary, senders
