"""What a reader works with: the read context, and the helpers every reader shares.

A reader (see :mod:`microcomm.ingest.registry`) yields polars frames of ``events`` columns
(any subset; the framework conforms, normalises, derives ids and dedupes), usually by
turning each document or record into a :class:`~microcomm.ingest.events.Parsed` with a pure
``parse_*`` function and handing it to :meth:`ReadContext.take`.

Readers stream: they yield batches of at most ``ctx.batch_size`` rows and never load a large
file whole. A record they cannot use goes to ``ctx.skip(location, reason)``, which counts it
(or raises under ``--strict``).
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import polars as pl

from microcomm.errors import InputError
from microcomm.ingest.compressed import Decoded, current_policy
from microcomm.ingest.events import Event, Parsed

HEAD_BYTES = 64 * 1024


@dataclass
class FileReport:
    """What happened to one input file: the coverage row printed after ingest."""

    path: str
    reader: str = ""
    platform: str = ""
    rows_read: int = 0
    rows_skipped: int = 0
    rows_added: int = 0
    duplicates: int = 0
    skip_reasons: Counter[str] = field(default_factory=Counter)
    bad_locations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first: str | None = None
    last: str | None = None
    accounts: int = 0
    sha256: str = ""
    status: str = "ingested"  # ingested | unchanged | unrecognised
    cut: bool = False  # a cut compressed file whose rows before the cut were kept (--keep-partial)
    implausible_dates: int = 0  # rows dated outside the plausible years (finalize.PLAUSIBLE)
    mixed_scripts: list[str] = field(default_factory=list)  # handles mixing look-alike scripts

    def mark_cut(self, why: str) -> None:
        """The file was cut short and the rows before the cut kept: the coverage table says so."""
        self.cut = True
        self.notes.append(why)


@dataclass
class ReadContext:
    """Passed to ``Reader.read``: where to report skips and extra tables."""

    path: Path
    display: str
    report: FileReport
    strict: bool = False
    batch_size: int = 100_000
    max_locations: int = 5
    mapping: dict[str, Any] | None = None
    accounts: list[pl.DataFrame] = field(default_factory=list)
    polls: list[pl.DataFrame] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    owner: str | None = None  # whose export this is, when the user said (--owner)

    def __post_init__(self) -> None:
        policy = current_policy()  # the ingest's settings for this file (see .compressed)
        if self.owner is None and policy is not None and policy.path == Path(self.path):
            self.owner = policy.owner

    def skip(self, location: str | int, reason: str, n: int = 1) -> None:
        """Count ``n`` unusable records at ``location`` (a record number or label)."""
        where = f"{self.display}:{location}"
        if self.strict:
            raise InputError(
                f"{where}: {reason}",
                hint="fix or remove that record, or ingest without --strict to skip and count it",
            )
        self.report.rows_skipped += n
        self.report.skip_reasons[reason] += n
        if len(self.report.bad_locations) < self.max_locations:
            self.report.bad_locations.append(f"{where}: {reason}")

    def note(self, text: str) -> None:
        """Say once what this format cannot hold (shown under the coverage table)."""
        if text not in self.report.notes:
            self.report.notes.append(text)

    def add_accounts(self, df: pl.DataFrame) -> None:
        """Profile rows (columns of ``schema.ACCOUNTS``) for the accounts table."""
        if df.height:
            self.accounts.append(df)

    def add_polls(self, df: pl.DataFrame) -> None:
        """Poll rows (columns of ``schema.POLLS``, one per option) for the polls table.

        ``poll_id`` is the platform's own id (the framework prefixes ``platform:``);
        ``created_at`` may be text. Polls hold vote counts only: they never become events.
        """
        if df.height:
            self.polls.append(df)

    def take(self, parsed: Parsed) -> list[Event]:
        """Report what a ``parse_*`` found (skips, accounts, polls, counts); return its events."""
        for where, reason in parsed.skips:
            self.skip(where, reason)
        if parsed.accounts:
            self.add_accounts(accounts_frame(parsed.accounts))
        if parsed.polls:
            self.add_polls(polls_frame(parsed.polls))
        self.counts.update(parsed.counts)
        return parsed.events


# --- shared helpers -----------------------------------------------------------------------

_MAGIC = {b"\x1f\x8b": "gz", b"\x28\xb5\x2f\xfd": "zst", b"BZh": "bz2"}


def compression_of(head: bytes) -> str | None:
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    return None


def open_binary(path: Path, *, lenient: bool = False) -> IO[bytes]:
    """Open ``path`` for reading, decompressing gzip, bzip2 or zstandard transparently.

    A cut or corrupt compressed file raises one :class:`InputError` naming it when read to
    the end (see :mod:`microcomm.ingest.compressed`); ``lenient`` (sniffing a head) just ends
    the data there.
    """
    with open(path, "rb") as fh:
        head = fh.read(4)
    kind = compression_of(head)
    if kind is None:
        return open(path, "rb")
    return io.BufferedReader(Decoded(path, kind, lenient=lenient), buffer_size=1 << 20)


def read_head(path: Path, n: int = HEAD_BYTES) -> bytes:
    """The first ``n`` bytes after decompression (empty on a read error)."""
    try:
        with open_binary(path, lenient=True) as fh:
            return fh.read(n)
    except (OSError, EOFError, ValueError):
        return b""
    except Exception:  # zstandard raises its own error type on corrupt frames
        return b""


def head_text(head: bytes) -> str:
    """Decoded head for sniffing, BOM and leading whitespace removed."""
    return head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()


def iter_json_lines(path: Path, ctx: ReadContext) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for each non-blank line; bad JSON is skipped and counted."""
    with open_binary(path) as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.strip()
            if not line:
                continue
            try:
                yield lineno, json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                ctx.skip(f"line {lineno}", "not valid JSON (truncated or corrupt line)")


def load_json(path: Path, *, strip_js_prefix: bool = False) -> Any:
    """Parse a whole JSON file (for formats that are one document); optional ``window.YTD`` prefix."""
    with open_binary(path) as fh:
        data = fh.read()
    text = data.decode("utf-8-sig", errors="strict")
    if strip_js_prefix:
        eq = text.find("=")
        bracket = min((i for i in (text.find("["), text.find("{")) if i >= 0), default=-1)
        if eq >= 0 and (bracket < 0 or eq < bracket):
            text = text[eq + 1 :]
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})",
            hint="the file may be truncated; export it again",
        ) from None


def repair_mojibake(text: str | None) -> str | None:
    """Undo Meta's UTF-8-as-Latin-1 escapes: ``'caf\\u00c3\\u00a9'`` → ``'café'``.

    Meta's "Download your information" JSON writes each UTF-8 byte as its own ``\\u00XX``
    escape. Re-encoding as Latin-1 and decoding as UTF-8 restores the text; strings that were
    not mangled (or hold characters above U+00FF) are returned unchanged. Repair comes before
    any stripping: ``str.strip`` removes U+0085 and U+00A0, which are bytes of mangled
    sequences (``…`` ends in ``\\x85``, ``à`` in ``\\xa0``), and a sequence missing its last
    byte no longer decodes (issue 9). A sequence cut short by the export itself keeps its
    characters as they were while the rest of the text is repaired.

    Examples
    --------
    >>> repair_mojibake("caf\\u00c3\\u00a9 \\u00f0\\u009f\\u0098\\u008d")
    'café 😍'
    >>> repair_mojibake("d\\u00c3\\u00a9j\\u00c3\\u00a0 vu \\u00f0\\u009f\\u0098\\u0085")
    'déjà vu 😅'
    >>> repair_mojibake("déjà vu")
    'déjà vu'
    """
    if text is None:
        return None
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return text  # a character above U+00FF: not Meta's mojibake
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    fixed = raw.decode("utf-8", errors="surrogateescape")
    if all("\udc80" <= c <= "\udcff" or c < "\x80" for c in fixed):
        return text  # no valid multi-byte sequence at all: plain Latin-1 text
    # bytes outside any valid sequence come back as the Latin-1 characters they were
    return _LONE_BYTE.sub(lambda m: chr(ord(m.group()) - 0xDC00), fixed)


_LONE_BYTE = re.compile("[\udc80-\udcff]")


_POLL_TEXT = (
    "poll_id",
    "platform",
    "context",
    "author",
    "question",
    "option",
    "created_at",
    "source",
)


def polls_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Poll option rows (dicts) as a frame for :meth:`ReadContext.add_polls`: text columns,
    ``votes`` as Int64 (a count that is not a whole number, or is hidden, becomes null).

    >>> polls_frame([{"poll_id": "1", "option": "yes", "votes": "4"}])["votes"].to_list()
    [4]
    """

    def count(v: Any) -> int | None:
        if isinstance(v, bool):
            return None
        try:
            return int(v)
        except (TypeError, ValueError):
            return None

    data: dict[str, pl.Series] = {
        name: pl.Series(
            name, [None if r.get(name) is None else str(r[name]) for r in rows], dtype=pl.String
        )
        for name in _POLL_TEXT
    }
    data["votes"] = pl.Series("votes", [count(r.get("votes")) for r in rows], dtype=pl.Int64)
    return pl.DataFrame(data)


def accounts_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Account rows (dicts with columns of ``schema.ACCOUNTS``) as a frame of that schema."""
    from microcomm.schema import ACCOUNTS

    return pl.DataFrame(rows, schema=ACCOUNTS)


def event_columns(**columns: pl.Expr | str | None) -> list[pl.Expr]:
    """The vectorised event constructor: one expression per ``events`` column given, aliased
    to its name (text becomes a literal, ``None`` a null), for readers that map whole frames.

    >>> frame = pl.DataFrame({"id": ["7"]})
    >>> frame.select(event_columns(event_id=pl.col("id"), kind="post", actor=None)).row(0)
    ('7', 'post', None)
    """
    from microcomm.schema import EVENTS

    unknown = sorted(set(columns) - set(EVENTS))
    if unknown:
        raise TypeError(f"not events columns: {', '.join(unknown)}")
    return [
        (value if isinstance(value, pl.Expr) else pl.lit(value, pl.String)).alias(name)
        for name, value in columns.items()
    ]


def batched(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[pl.DataFrame]:
    """Group dict rows into frames of at most ``size`` rows (all columns as text or native)."""
    buf: list[Mapping[str, Any]] = []
    for row in rows:
        buf.append(row)
        if len(buf) >= size:
            yield _frame(buf)
            buf = []
    if buf:
        yield _frame(buf)


def _frame(rows: list[Mapping[str, Any]]) -> pl.DataFrame:
    from microcomm.schema import EVENTS

    names = [n for n in EVENTS if any(n in r for r in rows)]
    data: dict[str, pl.Series] = {}
    for name in names:
        values = [r.get(name) for r in rows]
        if name == "created_at":
            data[name] = _date_series(values)
        else:
            data[name] = pl.Series(
                name, [None if v is None else str(v) for v in values], dtype=pl.String
            )
    return pl.DataFrame(data)


def _date_series(values: list[Any]) -> pl.Series:
    """Dates as given: datetimes, epoch numbers, or text (parsed later by the framework)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, datetime) for v in present):
        return pl.Series("created_at", values, dtype=pl.Datetime("us", "UTC"), strict=False)
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pl.Series("created_at", values, dtype=pl.Float64)
    return pl.Series("created_at", [None if v is None else str(v) for v in values], dtype=pl.String)
