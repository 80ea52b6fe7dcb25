"""Pseudonyms (``ingest --pseudonymize``): salted keyed hashes of handles and names.

A pseudonymised store never holds a handle or a display name: each is replaced, at ingest and
before anything is written, by ``p_`` + the first 16 hex digits (64 bits) of its HMAC-SHA256
under the store's own salt (``secrets.token_bytes``, kept in the store, 0600). The same handle
always gives the same pseudonym in one store — across ingests and platforms — so communities,
reports and exports work unchanged and show pseudonyms; without the salt nobody can test a
guessed handle against them. 64 bits: at 10 M accounts the expected number of colliding pairs
is n²/2⁶⁵ ≈ 3·10⁻⁶.

What is replaced (:meth:`Pseudonymizer.events` and friends):

- handles — ``actor``, account targets, ``@handles`` inside texts and bios, survey
  respondents, poll authors — hashed in their normalised form (lower-case, no ``@``), so
  ``@Kestrel`` and ``kestrel`` agree and ``explain``/``--brand`` can hash what a user types;
- display names (``actor_name``, ``accounts.name``), hashed as written (trimmed);
- ids that can embed a handle or point back to an account (event ids, post / thread targets,
  parents, poll contexts: ``like/ann/123``, ``https://mastodon.social/@ann/1``,
  ``at://did:plc:…``), hashed whole with an ``i_`` prefix — the same id always gives the same
  hash, so an event's id still matches the targets that point at it.

Follower counts, times, hashtags, places and the texts themselves stay: this is
pseudonymisation, not anonymisation (a text can still name its writer).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

import polars as pl

from microcomm.normalize import normalize_handle

PREFIX = "p_"
ID_PREFIX = "i_"
DIGITS = 16  # hex digits kept: 64 bits
SALT_BYTES = 32
SENTINEL = "\x00"
# An @mention inside a text (the entity extractor's pattern, keeping what precedes it).
_MENTION = r"(^|[^\p{L}\p{N}_@/.])@([\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?)"


def is_pseudonym(value: str) -> bool:
    """``p_`` and 16 lower-case hex digits: a pseudonym, not a handle to hash."""
    return re.fullmatch(rf"{PREFIX}[0-9a-f]{{{DIGITS}}}", value) is not None


def new_salt() -> bytes:
    """A fresh random salt for a new pseudonymised store."""
    return secrets.token_bytes(SALT_BYTES)


class Pseudonymizer:
    """Keyed hashes under one store's salt.

    Examples
    --------
    >>> p = Pseudonymizer(b"k" * 32)
    >>> p.handle("@Kestrel") == p.handle("kestrel"), p.handle("kestrel")
    (True, 'p_170418b481dd9cd3')
    >>> k, a = p.handle("kestrel"), p.handle("ann")
    >>> p.text("thanks @Kestrel and @ann!") == f"thanks @{k} and @{a}!"
    True
    """

    def __init__(self, salt: bytes) -> None:
        self._keyed = hmac.new(salt, digestmod=hashlib.sha256)  # copied per value: no re-keying

    def _digest(self, value: str) -> str:
        h = self._keyed.copy()
        h.update(value.encode("utf-8"))
        return h.hexdigest()[:DIGITS]

    def handle(self, value: str) -> str:
        """The pseudonym of one handle as a user types it (``@Ann`` → ``p_…``)."""
        frame = pl.DataFrame({"h": [value]}, schema={"h": pl.String})
        norm = frame.select(normalize_handle(pl.col("h")))["h"][0]
        return PREFIX + self._digest(norm or "")

    def given(self, value: str) -> str:
        """What a user typed (``explain ACTOR``, ``--brand``): a pseudonym as it is, a handle
        hashed (``@Ann`` and ``p_…`` of ann name the same account)."""
        typed = value.strip().removeprefix("@").lower()
        return typed if is_pseudonym(typed) else self.handle(value)

    def _map(self, s: pl.Series, prefix: str) -> pl.Series:
        """Hash each distinct value once (a loop over distinct values, not rows)."""
        values = s.drop_nulls().unique().sort().to_list()
        table = pl.DataFrame(
            {"k": values, "v": [prefix + self._digest(v) for v in values]},
            schema={"k": pl.String, "v": pl.String},
        )
        keys = pl.DataFrame({"k": s}, schema={"k": pl.String})
        return keys.join(table, on="k", how="left", maintain_order="left")["v"].alias(s.name)

    def handles(self, s: pl.Series) -> pl.Series:
        """Pseudonyms of already-normalised handles (nulls stay null)."""
        return self._map(s.cast(pl.String), PREFIX)

    def names(self, s: pl.Series) -> pl.Series:
        """Pseudonyms of display names (trimmed; empty → null)."""
        trimmed = s.cast(pl.String).str.strip_chars()
        return self._map(trimmed.replace("", None), PREFIX)

    def ids(self, s: pl.Series) -> pl.Series:
        """Keyed hashes of ids (event ids' native part, targets, parents, poll contexts)."""
        return self._map(s.cast(pl.String), ID_PREFIX)

    def text(self, value: str | None) -> str | None:
        """One text with its @handles replaced (see :meth:`texts`)."""
        return self.texts(pl.Series([value], dtype=pl.String))[0]

    def texts(self, s: pl.Series) -> pl.Series:
        """Texts with every ``@handle`` replaced by ``@`` + its pseudonym.

        Vectorised: each distinct mention (with the character before it) becomes a literal
        pattern, longest first, replaced in one leftmost-first pass; a sentinel before every
        text gives a mention at the very start its leading character, so a pattern can only
        match where the mention pattern itself does (``@ann`` never rewrites ``@annie`` or
        ``x@ann.org``).
        """
        s = SENTINEL + s.cast(pl.String)
        found = s.str.extract_all(_MENTION).explode().drop_nulls()
        if found.len() == 0:
            return s.str.strip_prefix(SENTINEL)
        handles = (
            pl.DataFrame({"m": found.unique()})
            .select(
                pl.col("m"),
                normalize_handle(pl.col("m").str.extract(_MENTION, 2)).alias("h"),
                pl.col("m").str.extract(_MENTION, 1).alias("lead"),
            )
            .sort([pl.col("m").str.len_chars(), "m"], descending=[True, False])
        )
        new = handles["lead"] + "@" + self.handles(handles["h"])
        out = s.str.replace_many(handles["m"].to_list(), new.to_list(), leftmost=True)
        return out.str.strip_prefix(SENTINEL)

    def events(self, df: pl.DataFrame) -> pl.DataFrame:
        """A finalised events batch with handles, names and ids replaced (``event_id`` keeps
        its ``platform:`` prefix, so ids stay per platform)."""
        prefix = pl.concat_str([pl.col("platform"), pl.lit(":")])
        rest = df.select(pl.col("event_id").str.strip_prefix(prefix).alias("n"))["n"]
        account = (df["target_kind"] == "account").fill_null(False)
        return df.with_columns(
            (df["platform"] + ":" + self.ids(rest)).alias("event_id"),
            self.handles(df["actor"]).alias("actor"),
            self.names(df["actor_name"]).alias("actor_name"),
            pl.when(account)
            .then(self.handles(df["target"]))
            .otherwise(self.ids(df["target"]))
            .alias("target"),
            self.ids(df["parent"]).alias("parent"),
            self.texts(df["text"]).alias("text"),
        )

    def accounts(self, df: pl.DataFrame) -> pl.DataFrame:
        """Account profiles: ``actor`` and ``name`` hashed, @handles in ``bio`` replaced."""
        return df.with_columns(
            self.handles(df["actor"]).alias("actor"),
            self.names(df["name"]).alias("name"),
            self.texts(df["bio"]).alias("bio"),
        )

    def answers(self, df: pl.DataFrame) -> pl.DataFrame:
        """Survey answers: the respondent hashed."""
        return df.with_columns(self.handles(df["actor"]).alias("actor"))

    def polls(self, df: pl.DataFrame) -> pl.DataFrame:
        """Polls: the author hashed, the context hashed as the targets pointing at it are."""
        return df.with_columns(
            self.handles(df["author"]).alias("author"), self.ids(df["context"]).alias("context")
        )
