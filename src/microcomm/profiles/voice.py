"""What a community says to the brand: the tone, questions and requests of its comments,
replies and DMs (a vectorised, simplified VADER over an English lexicon), and examples.

References
----------
C. J. Hutto, E. Gilbert, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of
Social Media Text", ICWSM (2014).
"""

from __future__ import annotations

import functools

import polars as pl

from microcomm.privacy import DM, MIN_QUOTE_SENDERS, keep_quotable, quote_key

VOICE_KINDS = ("comment", "reply", "dm")
# Negators flip the valence of the next three words (VADER's window and scalar).
NEGATORS = (
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot",
    "can't", "cant", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt",
    "wasn't", "wasnt", "aren't", "arent", "won't", "wont", "wouldn't", "wouldnt", "shouldn't",
    "couldn't", "haven't", "hasn't", "hadn't", "ain't", "aint", "without",
)  # fmt: skip
_NEGATION_SCALAR = -0.74
_NO_VALENCE = -1.2  # VADER's lexicon value of "no"
# English function words that are not words of the other languages audiences write in most
# (French, Spanish, German, Italian, Portuguese): a message with none of them and no lexicon
# word is in a language the scorer does not know — "not scored", never neutral (issue 8).
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "is",
        "are",
        "were",
        "you",
        "your",
        "it",
        "its",
        "this",
        "that",
        "what",
        "when",
        "how",
        "why",
        "who",
        "which",
        "with",
        "for",
        "of",
        "to",
        "on",
        "at",
        "my",
        "our",
        "they",
        "their",
        "them",
        "have",
        "has",
        "had",
        "would",
        "can",
        "could",
        "do",
        "does",
        "did",
        "not",
        "be",
        "been",
        "just",
        "but",
        "or",
        "if",
        "from",
        "about",
        "we",
        "he",
        "she",
        "there",
        "here",
        "by",
        "get",
        "got",
        "any",
        "some",
        "very",
        "really",
        "much",
        "many",
        "more",
        "most",
        "than",
        "then",
        "too",
        "also",
        "only",
        "because",
        "after",
        "before",
        "again",
        "out",
        "up",
        "down",
        "off",
        "over",
        "into",
        "i'm",
        "it's",
        "don't",
        "can't",
        "i've",
        "you're",
        "we're",
        "they're",
        "isn't",
        "wasn't",
        "doesn't",
        "didn't",
        "won't",
        "thanks",
        "thank",
        "please",
        "yes",
        "yeah",
        "ok",
        "okay",
    ]
)
# A small English fallback lexicon (valence −4…+4, VADER's scale) for when vaderSentiment is
# not installed; the words people use to praise or complain to a brand.
FALLBACK_LEXICON: dict[str, float] = {
    "love": 3.2, "loved": 2.9, "loving": 2.9, "great": 3.1, "good": 1.9, "best": 3.2,
    "amazing": 2.8, "awesome": 3.1, "excellent": 3.2, "perfect": 2.7, "happy": 2.7,
    "thanks": 1.9, "thank": 1.5, "beautiful": 2.9, "nice": 1.8, "favourite": 2.0,
    "favorite": 2.0, "wonderful": 2.7, "fantastic": 2.6, "quality": 1.0, "recommend": 1.5,
    "fun": 2.3, "glad": 2.0, "cool": 1.3, "wow": 2.8, "please": 1.3, "enjoy": 2.2,
    "bad": -2.5, "terrible": -2.1, "awful": -2.0, "worst": -3.1, "hate": -2.7, "broke": -1.8,
    "broken": -2.1, "damaged": -1.9, "disappointed": -1.9, "disappointing": -2.2,
    "poor": -2.1, "angry": -2.3, "sad": -2.1, "problem": -1.7, "issue": -1.0, "refund": -0.5,
    "wrong": -2.1, "late": -0.8, "never": -0.5, "unhappy": -1.8, "useless": -1.8,
    "rude": -2.0, "annoying": -1.7, "fail": -2.3, "failed": -2.3, "scam": -2.4,
    "expensive": -0.9, "lost": -1.3, "leak": -1.0, "leaks": -1.0, "ripped": -1.3,
}  # fmt: skip


@functools.cache
def load_lexicon() -> tuple[pl.DataFrame, str]:
    """The English sentiment lexicon (``word, valence``) and its name.

    VADER's lexicon (Hutto & Gilbert 2014, ~7,500 social-media words rated by people) when
    the ``vaderSentiment`` package is installed — only its word list is used — otherwise the
    small built-in :data:`FALLBACK_LEXICON`. Read once per process (~25 ms).
    """
    try:
        from importlib.resources import files

        text = (files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return (
            pl.DataFrame(
                {"word": list(FALLBACK_LEXICON), "valence": list(FALLBACK_LEXICON.values())}
            ),
            "built-in English word list",
        )
    rows = [line.split("\t")[:2] for line in text.splitlines() if "\t" in line]
    lex = pl.DataFrame(rows, schema=["word", "valence"], orient="row").with_columns(
        pl.col("valence").cast(pl.Float64)
    )
    # Words only (the emoticons never survive tokenisation); negators are handled apart.
    lex = lex.filter(
        pl.col("word").str.contains(r"^[a-z][a-z'-]*$") & ~pl.col("word").is_in(NEGATORS)
    )
    return lex.unique(subset="word", keep="first"), "VADER lexicon (vaderSentiment)"


# A question mark, or an opening that asks ("when is", "do you"); "what a day" is not one.
_QUESTION = (
    r"\?|^(?:who|what|when|where|why|how|which)(?:'s|\s+(?:is|are|was|were|do|does|did|can|"
    r"could|will|would|should|about|time|size))\b|^(?:do|does|did|can|could|will|would|should|"
    r"is|are|any)\s+(?:you|we|i|they|it|there|the|this|these|one)\b"
)
_REQUEST = (
    r"\b(?:please|pls|plz|could you|can you|would you|would love|i wish|we wish|wish you|"
    r"i want|we want|i need|we need|need more|bring|open a|open an|launch|restock|make (?:a|an|more|the)|"
    r"add (?:a|an|more|the)|ship to|sell (?:in|more)|hope you|should make|should sell|should open)\b"
)


def score_messages(
    events: pl.DataFrame, lexicon: pl.DataFrame, *, kinds: tuple[str, ...] = VOICE_KINDS
) -> pl.DataFrame:
    """Tone, question and request flags of each comment, reply and DM.

    A simplified VADER (Hutto & Gilbert 2014), vectorised: the valences of a message's words
    are summed, a word within three words after a negator counts ×−0.74, and the sum ``s`` is
    normalised to ``s / √(s² + 15)`` (VADER's compound); ≥ 0.05 is positive, ≤ −0.05
    negative. Hashtags, mentions and links are removed first. English only: a message with
    no lexicon word is neutral (``scored`` false).

    Returns
    -------
    DataFrame
        ``event_id, actor, kind, platform, text, created_at, compound, scored, question,
        request``.

    Examples
    --------
    >>> lex = pl.DataFrame({"word": ["happy", "great"], "valence": [2.7, 3.1]})
    >>> ev = pl.DataFrame({"event_id": ["1", "2", "3"], "actor": ["a", "b", "c"],
    ...     "kind": ["dm"] * 3, "platform": ["x"] * 3, "created_at": [None] * 3,
    ...     "text": ["Not happy with it", "great tent!", "can you ship to Lyon?"]})
    >>> score_messages(ev, lex).select("compound", "question", "request").rows()
    [(-0.458, False, False), (0.625, False, False), (0.0, True, True)]
    """
    msgs = events.filter(
        pl.col("kind").is_in(list(kinds))
        & pl.col("text").is_not_null()
        & pl.col("actor").is_not_null()
    ).select("event_id", "actor", "kind", "platform", "text", "created_at")
    # The tone is a function of the text alone, and audiences repeat themselves ("love this"):
    # each distinct text is scored once (709 k messages, 20 k texts at 1 M events).
    texts = msgs.select("text").unique(maintain_order=True).with_row_index("_m")
    valued, english = _valued(texts, lexicon)
    low = pl.col("text").str.to_lowercase().str.strip_chars()
    scored = (
        texts.join(valued, on="_m", how="left")
        .join(english, on="_m", how="left")
        .select(
            "text",
            (pl.col("s").fill_null(0.0) / (pl.col("s").fill_null(0.0) ** 2 + 15).sqrt())
            .round(3)
            .alias("compound"),
            pl.col("english").fill_null(False).alias("scored"),
            low.str.contains(_QUESTION).alias("question"),
            low.str.contains(_REQUEST).alias("request"),
        )
    )
    return msgs.join(scored, on="text", how="left", maintain_order="left")


def _valued(msgs: pl.DataFrame, lexicon: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``_m, s`` (summed valence of each message with a lexicon word) and ``_m, english``."""
    clean = (
        pl.col("text")
        .str.to_lowercase()
        .str.replace_all("’", "'")
        .str.replace_all(r"https?://\S+", " ")
        .str.replace_all(r"[#@][\p{L}\p{N}_.]+", " ")
    )
    # Whole words only: "40l" must not become the lexicon's "l".
    tokens = (
        msgs.select("_m", clean.str.extract_all(r"[\p{L}\p{N}][\p{L}\p{N}'-]*").alias("w"))
        .explode("w")
        .filter(pl.col("w").is_not_null())
    )
    neg = pl.col("w").is_in(list(NEGATORS))
    negated = pl.lit(False)
    for lag in (1, 2, 3):  # VADER looks three words back
        negated = negated | (
            neg.shift(lag).fill_null(False) & (pl.col("_m").shift(lag) == pl.col("_m"))
        ).fill_null(False)
    looked_up = tokens.with_columns(negated.alias("negated")).join(
        lexicon, left_on="w", right_on="word", how="left", maintain_order="left"
    )
    # VADER's "no": −1.2 on its own ("still no reply"), 0 when it negates the next word.
    next_hit = pl.col("valence").shift(-1).is_not_null() & (pl.col("_m").shift(-1) == pl.col("_m"))
    looked_up = looked_up.with_columns(
        pl.when((pl.col("w") == "no") & ~next_hit.fill_null(False))
        .then(pl.lit(_NO_VALENCE))
        .otherwise(pl.col("valence"))
        .alias("valence")
    )
    english = looked_up.group_by("_m").agg(
        (pl.col("valence").is_not_null() | pl.col("w").is_in(list(ENGLISH_WORDS)))
        .any()
        .alias("english")
    )
    valued = (
        looked_up.filter(pl.col("valence").is_not_null())
        .with_columns(
            pl.when(pl.col("negated"))
            .then(pl.col("valence") * _NEGATION_SCALAR)
            .otherwise(pl.col("valence"))
            .alias("v")
        )
        .group_by("_m")
        .agg(pl.col("v").sum().alias("s"))
    )
    return valued, english


def voice_summary(messages: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Per community: messages, positive / negative shares (of the scored messages), the
    share not scored (a language the scorer does not know), questions, requests.

    Examples
    --------
    >>> msgs = pl.DataFrame({"actor": ["a", "a", "b"], "compound": [0.6, -0.4, 0.0],
    ...     "scored": [True, True, False], "question": [False, False, True],
    ...     "request": [False, False, True]})
    >>> voice_summary(msgs, pl.DataFrame({"actor": ["a", "b"], "community": [0, 0]})).row(0)
    (0, 3, 2, 0.5, 0.5, 0.3333333333333333, 1, 1)
    """
    return (
        messages.select("actor", "compound", "scored", "question", "request")
        .join(members, on="actor", how="inner")  # not the texts: a third of the time
        .group_by("community")
        .agg(
            pl.len().alias("messages"),
            pl.col("actor").n_unique().alias("authors"),
            # Tone shares are of the scored messages: "not scored" is never neutral. Not
            # rounded, so a rare tone never reads as 0 (renderers write "<1%").
            ((pl.col("compound") >= 0.05) & pl.col("scored")).sum().alias("_pos"),
            ((pl.col("compound") <= -0.05) & pl.col("scored")).sum().alias("_neg"),
            pl.col("scored").sum().alias("_scored"),
            (~pl.col("scored")).mean().alias("unscored"),
            pl.col("question").sum().alias("questions"),
            pl.col("request").sum().alias("requests"),
        )
        .with_columns(
            (pl.col("_pos") / pl.col("_scored")).fill_nan(0.0).alias("positive"),
            (pl.col("_neg") / pl.col("_scored")).fill_nan(0.0).alias("negative"),
        )
        .select(
            "community",
            "messages",
            "authors",
            "positive",
            "negative",
            "unscored",
            "questions",
            "requests",
        )
        .sort("community")
    )


def voice_examples(
    messages: pl.DataFrame,
    members: pl.DataFrame,
    *,
    per: int = 3,
    audience: pl.DataFrame | None = None,
    min_senders: int = MIN_QUOTE_SENDERS,
) -> pl.DataFrame:
    """A few example messages per community and category (request, question, complaint, praise).

    A message goes in its first matching category in that order. Texts sent by the most
    members come first (what many say), then the most recent; each text appears once. Only
    quotable texts are examples (:func:`microcomm.privacy.quotable`): never a DM, never a text
    sent by fewer than ``min_senders`` distinct accounts of ``audience`` (default: ``messages``).

    Returns
    -------
    DataFrame
        ``community, category, text, kind, platform, senders``.
    """
    cat = (
        pl.when(pl.col("request"))
        .then(pl.lit("request"))
        .when(pl.col("question"))
        .then(pl.lit("question"))
        # Examples must be clear-cut: |compound| ≥ 0.3, not the 0.05 used to count tone.
        .when(pl.col("compound") <= -0.3)
        .then(pl.lit("complaint"))
        .when(pl.col("compound") >= 0.3)
        .then(pl.lit("praise"))
    )
    order = {"request": 0, "question": 1, "complaint": 2, "praise": 3}
    found = (
        messages.filter(pl.col("kind") != DM)
        .join(members, on="actor", how="inner")
        .with_columns(cat.alias("category"), quote_key(pl.col("text")).alias("text"))
        .filter(pl.col("category").is_not_null())
        .group_by(["community", "category", "text"])
        .agg(
            pl.col("actor").n_unique().alias("senders"),
            pl.col("created_at").max().alias("last"),
            pl.col("kind").first(),
            pl.col("platform").first(),
        )
    )
    return (
        keep_quotable(found, messages if audience is None else audience, k=min_senders)
        .with_columns(pl.col("category").replace_strict(order, return_dtype=pl.Int8).alias("_o"))
        .sort(
            ["community", "_o", "senders", "last", "text"],
            descending=[False, False, True, True, False],
            nulls_last=True,
        )
        .group_by(["community", "category"], maintain_order=True)
        .head(per)
        .select("community", "category", "text", "kind", "platform", "senders")
    )
