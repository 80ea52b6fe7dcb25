"""Normalisers shared by every reader: handles, platforms, kinds, dates, event ids, entities.

All functions take and return polars frames or expressions, so they run vectorised.
"""

from __future__ import annotations

import hashlib

import polars as pl

from microcomm.schema import (
    ENTITIES,
    EVENT_KINDS,
    KIND_SYNONYMS,
    PLATFORM_SYNONYMS,
    PLATFORMS,
    UTC_DATETIME,
)

# Formats tried in order on text dates; the first that parses wins per value.
DATE_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%a %b %d %H:%M:%S %z %Y",  # X / Twitter legacy: Wed Oct 19 20:07:25 +0000 2022
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d",
)


# Characters that show as nothing and so would split one account into several (issue 9):
# control and format characters (zero-width space / joiners U+200B..U+200D, word joiner
# U+2060, BOM U+FEFF), variation selectors (U+FE0F...), the combining grapheme joiner U+034F
# and the Hangul fillers (U+3164, which NFKC turns into U+1160, U+115F, U+FFA0).
INVISIBLE = (
    r"[\p{Cc}\p{Cf}\x{034F}\x{115F}\x{1160}\x{3164}\x{FFA0}\x{FE00}-\x{FE0F}"
    r"\x{E0100}-\x{E01EF}\x{180B}-\x{180F}\x{17B4}\x{17B5}]"
)


def normalize_handle(expr: pl.Expr) -> pl.Expr:
    """NFKC, invisible characters dropped, trim, drop a leading ``@``, lower-case:
    ``'＠Foo\u200b '`` → ``'foo'``; empty → null."""
    out = expr.cast(pl.String).str.normalize("NFKC").str.replace_all(INVISIBLE, "")
    out = out.str.strip_chars().str.strip_prefix("@")
    out = out.str.strip_chars().str.to_lowercase()
    return pl.when(out.str.len_chars() > 0).then(out).otherwise(None)


def normalize_platform(expr: pl.Expr) -> pl.Expr:
    """Lower-case platform names and map aliases (twitter → x)."""
    low = expr.cast(pl.String).str.strip_chars().str.to_lowercase()
    return low.replace(PLATFORM_SYNONYMS)


def normalize_kind(expr: pl.Expr) -> pl.Expr:
    """Lower-case event kinds and map other tools' words (retweet → share)."""
    low = expr.cast(pl.String).str.strip_chars().str.to_lowercase()
    return low.replace(KIND_SYNONYMS)


def parse_datetimes(s: pl.Series) -> pl.Series:
    """Parse a column of dates to UTC datetimes; values that parse in no format become null.

    Accepts datetimes (naive ones are taken as UTC), epoch seconds, milliseconds, microseconds
    or nanoseconds (told apart by magnitude; a time outside years 1..9999 is null), and text in
    ISO 8601 (``Z``, ``+02:00`` or ``+0000`` offsets), X's legacy form and a few common others.

    Examples
    --------
    >>> parse_datetimes(pl.Series(["2024-01-02T03:04:05Z", "1700000000", "nope"])).to_list()[1]
    datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
    """
    dtype = s.dtype
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            return s.dt.replace_time_zone("UTC").cast(UTC_DATETIME)
        return s.dt.convert_time_zone("UTC").cast(UTC_DATETIME)
    if dtype == pl.Date:
        return s.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    if dtype.is_numeric():
        return _epoch_to_datetime(s.cast(pl.Float64))
    text = s.cast(pl.String).str.strip_chars()
    # 'Z' is not understood by %z; write it as an offset.
    text = text.str.replace(r"(?i)z$", "+00:00")
    frame = pl.DataFrame({"t": text})
    attempts = [
        pl.col("t").str.to_datetime(fmt, strict=False, time_zone="UTC", time_unit="us")
        for fmt in DATE_FORMATS
    ]
    epoch = pl.col("t").cast(pl.Float64, strict=False)
    out = frame.select(pl.coalesce(*attempts).alias("dt"), epoch.alias("epoch"))
    from_epoch = _epoch_to_datetime(out["epoch"])
    return out["dt"].fill_null(from_epoch).alias(s.name)


# Epoch magnitudes: below 1e11 seconds (to year 5138), then milliseconds (X, Discord
# snowflake times), microseconds, nanoseconds. Each unit's range starts past year 5138 of the
# one before, so today's times in any unit are read right.
_EPOCH_US_MIN = -62_135_596_800_000_000  # 0001-01-01: Python datetimes end there
_EPOCH_US_MAX = 253_402_300_799_000_000  # 9999-12-31T23:59:59


def _epoch_to_datetime(s: pl.Series) -> pl.Series:
    frame = pl.DataFrame({"e": s})
    e, mag = pl.col("e"), pl.col("e").abs()
    us = (
        pl.when(mag < 1e11)
        .then(e * 1_000_000)
        .when(mag < 1e14)
        .then(e * 1_000)
        .when(mag < 1e17)
        .then(e)
        .otherwise(e / 1_000)
        .round(0)
    )
    # Outside Python's datetime range (an infinite or absurd value): null, so the caller
    # reports it as unparseable instead of an OverflowError later.
    us = pl.when(us.is_between(_EPOCH_US_MIN, _EPOCH_US_MAX)).then(us).cast(pl.Int64, strict=False)
    return frame.select(us.cast(pl.Datetime("us")).dt.replace_time_zone("UTC"))["e"].alias(s.name)


def derive_event_ids(df: pl.DataFrame) -> pl.Series:
    """Stable ids: ``platform:native_id`` where an id exists, else ``platform:h:<content hash>``.

    The hash covers platform, kind, actor, target, created_at and text, so re-ingesting the
    same rows gives the same ids on any machine and polars version (hashlib, not polars' hash).
    Only rows without a native id are hashed.
    """
    native = (
        df["event_id"].cast(pl.String)
        if "event_id" in df.columns
        else pl.Series([None] * df.height, dtype=pl.String)
    )
    frame = pl.DataFrame({"p": df["platform"], "n": native}).with_columns(
        (pl.col("n").is_null() | (pl.col("n").str.len_chars() == 0)).alias("missing")
    )
    hashed = pl.Series("h", [None] * df.height, dtype=pl.String)
    missing = frame["missing"]
    if missing.any():
        keys = (
            df.filter(missing)
            .select(
                pl.concat_str(
                    [
                        pl.col(c).cast(pl.String).fill_null("")
                        for c in ("platform", "kind", "actor", "target", "created_at", "text")
                    ],
                    separator="\x1f",
                )
            )
            .to_series()
        )
        digests = [hashlib.blake2b(k.encode("utf-8"), digest_size=10).hexdigest() for k in keys]
        hashed = hashed.scatter(missing.arg_true(), pl.Series(digests, dtype=pl.String))
    return frame.with_columns(hashed).select(
        pl.when(pl.col("missing"))
        .then(pl.concat_str([pl.col("p"), pl.lit(":h:"), pl.col("h")]))
        .when(pl.col("n").str.starts_with(pl.concat_str([pl.col("p"), pl.lit(":")])))
        .then(pl.col("n"))
        .otherwise(pl.concat_str([pl.col("p"), pl.lit(":"), pl.col("n")]))
        .alias("event_id")
    )["event_id"]


def invalid_values(df: pl.DataFrame) -> pl.DataFrame:
    """Rows whose platform or kind is not a known value, with a row index ``_row``."""
    return df.with_row_index("_row").filter(
        ~pl.col("kind").is_in(EVENT_KINDS) | ~pl.col("platform").is_in(PLATFORMS)
    )


# --- entities ---------------------------------------------------------------------------

_URL = r"https?://[^\s<>\"')\]]+"
_HASHTAG = r"(?:^|[^\p{L}\p{N}_&/#])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)"
_MENTION = r"(?:^|[^\p{L}\p{N}_@/.])@([\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?)"
_EMOJI = r"\p{Extended_Pictographic}"
_WORD = r"[\p{L}][\p{L}\p{N}'’_-]*[\p{L}\p{N}]"

# Small multilingual stop list: keywords are ranked by distinctiveness later, so this only
# trims the bulk of the entities table, it is not what keeps generic words out of profiles.
STOPWORDS = frozenset(
    """
a about above after again against all also am an and any are aren't as at be because been
before being below between both but by can cannot could couldn't did didn't do does doesn't
doing don't down during each few for from further get got had hadn't has hasn't have haven't
having he her here hers herself him himself his how i i'm i've if in into is isn't it it's
its itself just let's like me more most much my myself no nor not now of off on once one
only or other our ours ourselves out over own rt same she should so some such than that
that's the their theirs them themselves then there there's these they they're this those
through to too under until up very via was wasn't we we're were weren't what when where
which while who whom why will with won't would you you're your yours yourself yourselves amp
http https www com le la les un une des du de et est en que qui pour pas sur avec dans ce il
elle je tu nous vous el los las por con para una es del lo se al y o der die das und ist
nicht mit ein eine
""".split()  # noqa: SIM905
)


# Link shorteners hide the site a link points to: X wraps every link in t.co, so "t.co" would
# only tell that a community lives on X.
SHORTENERS = frozenset(
    {
        "t.co",
        "bit.ly",
        "buff.ly",
        "ow.ly",
        "tinyurl.com",
        "goo.gl",
        "lnkd.in",
        "dlvr.it",
        "ift.tt",
        "trib.al",
        "fb.me",
        "is.gd",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "s.id",
        "amzn.to",
    }
)


def extract_entities(events: pl.DataFrame) -> pl.DataFrame:
    """Hashtags, mentions, link domains, emojis and keywords of each event's text.

    One row per (event, type, value); values are normalised (NFKC, lower-case, no ``#``/``@``,
    no ``www.``).

    Examples
    --------
    >>> ev = pl.DataFrame({"event_id": ["e1"], "actor": ["ann"],
    ...                    "text": ["Love #VeganBeauty by @Glossier https://www.glossier.com/x 😍"]})
    >>> sorted(extract_entities(ev).filter(pl.col("type") != "keyword")["value"].to_list())
    ['glossier', 'glossier.com', 'veganbeauty', '😍']
    """
    # Lower-case once: every piece below reads the same column.
    base = (
        events.select("event_id", "actor", pl.col("text").str.normalize("NFKC").alias("t"))
        .filter(pl.col("t").is_not_null())
        .with_columns(pl.col("t").str.to_lowercase().alias("low"))
    )
    low = pl.col("low")
    # (type, pattern of the whole match, capture of the value inside it)
    captured = (
        ("hashtag", _HASHTAG, r"#(.+)$"),
        ("mention", _MENTION, r"@(.+)$"),
        ("domain", _URL, r"^https?://(?:www\.)?([^/:?#]+)"),
    )
    pieces = [
        *(
            base.select(
                "event_id",
                "actor",
                pl.lit(kind).alias("type"),
                low.str.extract_all(pattern)
                .list.eval(pl.element().str.extract(value, 1))
                .alias("value"),
            )
            for kind, pattern, value in captured
        ),
        base.select(
            "event_id",
            "actor",
            pl.lit("emoji").alias("type"),
            pl.col("t").str.extract_all(_EMOJI).alias("value"),
        ),
        base.select(
            "event_id",
            "actor",
            pl.lit("keyword").alias("type"),
            low.str.replace_all(_URL, " ")
            .str.replace_all(r"[#@][\p{L}\p{N}_.]+", " ")
            .str.extract_all(_WORD)
            .alias("value"),
        ),
    ]
    out = pl.concat(pieces).explode("value").filter(pl.col("value").is_not_null())
    out = out.filter(
        (pl.col("type") != "keyword")
        | ((pl.col("value").str.len_chars() >= 3) & ~pl.col("value").is_in(list(STOPWORDS)))
    ).filter((pl.col("type") != "domain") | ~pl.col("value").is_in(list(SHORTENERS)))
    return out.unique(maintain_order=True).select(list(ENTITIES))
