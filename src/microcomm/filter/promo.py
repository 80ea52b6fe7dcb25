"""Promotional and link spam: rules over each message's text, each with a reason a person reads.

The rules describe what comment spam *does* — asks for subscribers, promotes the writer's own
channel, offers money or gift cards, trades follows, begs for likes, drops a bare or referral
link, or pairs a link with a call to action — rather than the phrases of one data set, so they
carry over to other videos, brands and platforms (the YouTube Spam Collection, Alberto et al.
2015, is the check). Promotion of one's *own* content is only spam where it lands in someone
else's space (comments, replies, mentions, DMs); a creator's own post may promote the creator.
Money schemes, follow trading and referral links are spam anywhere.

Every rule is a vectorised polars regex over a normalised copy of the text (lower-case, NFKC,
punctuation as spaces), so a million messages cost a few passes of the regex engine.
"""

from __future__ import annotations

import polars as pl

__all__ = ["FOREIGN_KINDS", "PROMO_RULES", "promo_flags"]

# Kinds written in someone else's space (under their post, to their account, in their inbox).
FOREIGN_KINDS = ("comment", "reply", "mention", "tag", "dm")

_CTA = (
    r"check|checking|chek|visit|watch|look at|listen to|listen|go to|come to|come and see|"
    r"follow|like|share|support|join|subscribe to|subscribe|sub to|sub|view|hear|play|"
    r"download|try|read|click|spread|promote|give|throw a sub on"
)
_CONTENT = (
    r"channel|chanel|channels|chanell|chhanel|page|vids?|videos?|vidios|vid|music|songs?|"
    r"tracks?|mixtape|album|covers?|stream|band|blog|website|site|shop|store|book|app|game|"
    r"podcast|art|account|profile|insta|instagram|twitter|facebook|fb|tiktok|soundcloud|"
    r"youtube|yt|rap|raps|beats?|remix|remixes|clip|content|project|campaign|fundraiser|bio|"
    r"pics?|photos?|pictures|animations|lets play|let s play|playlist|newest song|group"
)
_LINK = (
    r"https?://\S+|www\.\S+|\b[a-z0-9][a-z0-9-]{1,62}(?:\.[a-z0-9-]{1,62})*\s?\.\s?"
    r"(?:com|net|org)\b(?:/\S*)?|\b[a-z0-9][a-z0-9-]{1,62}\.(?:info|biz|io|co|tv|ru|xyz|ly|gl|"
    r"me|us|uk|pl|de|fr|es|br|in|online|site|shop|store|app|link|club|live|pro|to)/\S+|"
    r"\bwatch\?v=\S+|\b(?:youtube|twitch|instagram|twitter|facebook|soundcloud|tiktok)\s?/\s?[a-z0-9_.]+"
)
_REFERRAL = r"(?:https?://|www\.)\S*(?:[?&#/](?:ref|referral|aff|affiliate|affiliateid|rb|rrid|invite|friend|r)=|/ref/|/invite/)"

# (rule, reason, kinds it applies to: None = any kind, or FOREIGN_KINDS), regex on `w` or `low`.
PROMO_RULES: list[tuple[str, str, tuple[str, ...] | None, str, str]] = [
    (
        "promo.money",
        "offers money, gift cards or free stuff",
        None,
        "w",
        r"\b(?:earn|earning|make|making|get|win)\s+(?:(?:real|easy|fast|quick|extra|free|some|"
        r"online|more|big|daily|passive|up|to|\$?\d\S*)\s+){0,2}(?:money|cash|dollars|bitcoin|btc|"
        r"income|paypal|profit)\b|\bfree\s+(?:\w+\s+){0,2}(?:gift\s?cards?|money|"
        r"followers|likes|subscribers|subs|robux|v\s?bucks|iphone|coins|credits|crdits|gems|skins|"
        r"cs\s?go|gift)\b|\bgift\s?cards?\b|\bget\s+paid\b|\bpaid\s+for\s+(?:sharing|commenting|"
        r"liking|watching|posting)\b|\bwork(?:ing)?\s+from\s+home\b|\b(?:dm|message|inbox|text|"
        r"whatsapp|telegram|contact)\s+me\s+(?:\w+\s+){0,4}(?:earn|invest|profit|money|trad\w*|"
        r"income|opportunit\w*|bitcoin|crypto|forex)\b|\b(?:forex|binary\s+options|crypto\s+"
        r"invest\w*|investment\s+(?:plan|opportunit\w*))\b|\b(?:promo|discount|coupon|referral)\s+"
        r"code\b|\bbuy\s+(?:real\s+|cheap\s+)?(?:followers|likes|subscribers)\b|\bchance\s+to\s+win\b",
    ),
    (
        "promo.trade",
        "trades follows, subscriptions or likes",
        None,
        "w",
        r"\b(?:sub|follow|like|f|l|s)\s?(?:4|for)\s?(?:sub|follow|like|f|l|s)\b|\b(?:i ll|i will|"
        r"ill|and i|i)\s+(?:sub|subscribe|follow|like)\s+(?:\w+\s+)?back\b|\b(?:sub|subscribe|"
        r"follow)\s+back\b",
    ),
    (
        "promo.subscribe",
        "asks people to subscribe or follow",
        FOREIGN_KINDS,
        "w",
        r"\b(?:subscribe|suscribe|sucscribe|subcribe|subscibe|subscrive|subscirbe)\b(?:\s+(?:to|"
        r"me|my|us|our|plz|pls|please|and|if|for|now|guys|thx|thanks|today)\b|\s*$)|^\s*(?:please\s+|"
        r"plz\s+|pls\s+)?(?:subscribe|suscribe|sub)\b|\b(?:follow|add|sub|subscribe to|support|"
        r"sub to)\s+(?:me|us)\b|\b(?:please|plz|pls|can you|can anyone|guys)\s+(?:\w+\s+){0,2}"
        r"(?:subscribe|sub|follow)\b|\b(?:get|reach|hit|have|got|to)\s+(?:over\s+)?\d[\d k]*\s+"
        r"(?:subs|subscribers|followers)\b|\bfollow\s+(?:me|us|him|her|them|this|my|our)\s+on\b",
    ),
    (
        "promo.self",
        "promotes the writer's own channel or content",
        FOREIGN_KINDS,
        "w",
        rf"\b(?:{_CTA})\s+(?:out\s+)?(?:my|our|me|us)\b(?:\s+out)?|\b(?:my|our)\s+(?:\w+\s+){{0,2}}"
        rf"(?:channel|chanel|chanell|chhanel|mixtape|vids|vidios|new\s+(?:video|song|track|single|"
        rf"album|music\s+video)|covers)\b|\bon\s+(?:my|our)\s+(?:\w+\s+)?(?:{_CONTENT})\b|\b(?:i m|"
        r"im|i am|we re|we are)\s+(?:a\s+|an\s+)?(?:\w+\s+){0,4}(?:rapper|singer|producer|youtuber|"
        r"artist|musician|band|songwriter|dj|streamer|gamer|pop\s+group)\b\W*(?:\w+\s+){0,40}"
        r"(?:please|plz|check|subscribe|listen|support|chance|follow|view|like)\b|\bnew\s+youtuber\b|"
        r"\b(?:check|visit|watch|go to)\s+(?:out\s+)?(?:\w+\s+){0,3}(?:channel|chanel)\b|\b(?:i|we)\s+"
        r"(?:just\s+)?(?:made|started|created|launched|opened)\s+(?:a|my|our)\s+(?:\w+\s+){0,2}"
        r"(?:channel|yt\s+channel|youtube\s+channel)\b|\bnew\s+to\s+youtube\b[\s\S]*\b(?:subs|"
        r"subscribers|subscribe|check|channel)\b|"
        rf"\b(?:my|our)\s+(?:\w+\s+)?(?:videos|vids|vidios|channel|music|songs|rap|raps|covers|"
        rf"remixes|beats)\b[\s\S]*\b(?:{_CTA}|give\s+it|check\s+them|chacking|checkin)\b|\b(?:{_CTA})\b"
        r"[\s\S]*\b(?:my|our)\s+(?:\w+\s+)?(?:videos|vids|vidios|channel|music|songs|rap|raps|covers|"
        r"remixes|beats)\b",
    ),
    (
        "promo.likes",
        "begs for likes or views",
        FOREIGN_KINDS,
        "w",
        r"\b(?:like|thumbs\s+up)\s+(?:this|my)\s+comment\b|\b(?:please|plz|pls)\s+(?:\w+\s+)?like\s+"
        r"(?:this|my|our)\b|\b(?:please|plz|pls)\s+(?:\w+\s+){0,2}(?:check|visit|watch|listen|view)\b"
        r"(?:\s+\w+){0,3}\s+(?:channel|video|videos|vids|song|music|page)\b",
    ),
    ("promo.referral", "a referral or affiliate link", None, "low", _REFERRAL),
    (
        "promo.link_cta",
        "a link with a call to action",
        FOREIGN_KINDS,
        "low",
        rf"(?:{_LINK})[\s\S]*\b(?:please|plz|pls|check|visit|click|join|sign\s?up|register|follow|"
        rf"subscribe|vote|support|help|donate|fund|buy|order|free|win|earn|money|download|add\s+"
        rf"me|go\s+here|discover|petition|sign)\b|\b(?:please|plz|pls|check|visit|click|join|sign"
        rf"\s?up|register|follow|subscribe|vote|support|help|donate|fund|buy|order|free|win|earn|"
        rf"money|download|add\s+me|go\s+here|discover|petition|sign|look|watch|listen)\b[\s\S]*(?:{_LINK})|"
        rf"\b(?:here|more)\s*(?::|\.{{2,}}|-+>|>+|!+)\s*(?:{_LINK})|"
        rf"\blike\s+(?:this|my|our|the)\s+(?:\w+\s+)?(?:page|video|post|pic|photo)\b[\s\S]*"
        rf"(?:{_LINK})|(?:{_LINK})[\s\S]*\blike\s+(?:this|my|our|the)\s+(?:\w+\s+)?(?:page|video|post)",
    ),
    (
        "promo.fundraising",
        "a fundraising, petition or earning-site link",
        FOREIGN_KINDS,
        "low",
        r"\b(?:gofundme|indiegogo|kickstarter|patreon|change\.org|avaaz\.org|vakinha|swagbucks|"
        r"freemyapps|junowallet|tsu\.co|linkbucks|adf\.ly|bit\.do|sh\.st)\b",
    ),
]

# A comment that is nothing but a link: at most this many words of two letters or more beside it.
_LINK_ONLY_WORDS = 3


def _normalised(text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    low = text.str.normalize("NFKC").str.to_lowercase()
    words = (
        low.str.replace_all(r"[’`´]", "'")
        .str.replace_all(r"'", " ")
        .str.replace_all(r"[^\p{L}\p{N}$]+", " ")
    )
    return low, pl.concat_str([pl.lit(" "), words, pl.lit(" ")])


def promo_flags(events: pl.DataFrame) -> pl.DataFrame:
    """Promotional / link spam among ``events`` (``event_id``, ``kind``, ``text``).

    Returns
    -------
    pl.DataFrame
        ``event_id``, ``rule`` and ``reason`` of each flagged event (the first rule that
        matched, in the order of :data:`PROMO_RULES`, then the link-only rule).

    Examples
    --------
    >>> ev = pl.DataFrame({"event_id": ["a", "b", "c", "d"], "kind": ["comment", "comment", "post", "reply"],
    ...     "text": ["Check out my channel!", "love this song", "my new video is out", "https://spam.example.com/x"]})
    >>> promo_flags(ev).select("event_id", "rule").rows()
    [('a', 'promo.self'), ('d', 'promo.link_only')]
    """
    base = events.select("event_id", "kind", "text").filter(pl.col("text").is_not_null())
    low, w = _normalised(pl.col("text"))
    frame = base.with_columns(low.alias("low"), w.alias("w"))
    foreign = pl.col("kind").is_in(list(FOREIGN_KINDS))
    rules = pl.lit(None, dtype=pl.String)
    hits = []
    for rule, _reason, kinds, column, pattern in PROMO_RULES:
        hit = pl.col(column).str.contains(pattern)
        if kinds is not None:
            hit = hit & foreign
        hits.append((rule, hit))
    link_words = (
        pl.col("low").str.replace_all(_LINK, " ").str.extract_all(r"\p{L}[\p{L}\p{N}]+").list.len()
    )
    link_only = foreign & pl.col("low").str.contains(_LINK) & (link_words <= _LINK_ONLY_WORDS)
    hits.append(("promo.link_only", link_only))
    for rule, hit in reversed(hits):
        rules = pl.when(hit).then(pl.lit(rule)).otherwise(rules)
    reasons = dict((r[0], r[1]) for r in PROMO_RULES) | {
        "promo.link_only": "a comment that is only a link"
    }
    out = frame.select("event_id", rules.alias("rule")).filter(pl.col("rule").is_not_null())
    return out.with_columns(pl.col("rule").replace_strict(reasons).alias("reason"))
