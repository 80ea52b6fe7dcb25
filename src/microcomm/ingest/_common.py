"""Small helpers shared by the platform readers (not a reader itself).

JSON documents vs JSON Lines, HTML → text, sniffing by keys in a file's head, and a streaming
iterator over one big array inside a JSON document (DiscordChatExporter, Mastodon outbox),
so that a multi-gigabyte export is never parsed whole.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from microcomm.errors import InputError
from microcomm.ingest.base import (
    ReadContext,
    batched,
    head_text,
    iter_json_lines,
    load_json,
    open_binary,
)
from microcomm.ingest.events import Parsed
from microcomm.text import clean_text

if TYPE_CHECKING:
    import polars as pl

DocParser = Callable[..., Parsed]  # parse(doc, *, where: str, display: str) -> Parsed


def strip_html(text: str | None) -> str | None:
    """Plain text of a small HTML fragment (Mastodon ``content``, YouTube ``textDisplay``).

    >>> strip_html('<p>Hi <a href="x">#<span>tag</span></a></p><p>bye &amp; more</p>')
    'Hi #tag\\n\\nbye & more'
    """
    return clean_text(text)  # one HTML parser for every reader (issue 8)


def has_keys(head: bytes, *keys: str) -> bool:
    """Every ``"key":`` occurs in the decoded head (a cheap, order-free content sniff)."""
    text = head_text(head)
    return all(re.search(r'"' + re.escape(k) + r'"\s*:', text) for k in keys)


def first_char(head: bytes) -> str:
    text = head_text(head)
    return text[:1]


def looks_like_json_lines(head: bytes) -> bool:
    """The first line is a complete JSON value and more follows (or the head ends inside it)."""
    raw = head.lstrip(b"\xef\xbb\xbf").lstrip()
    nl = raw.find(b"\n")
    if nl < 0:
        return True  # one line (or a line longer than the head): line mode works either way
    try:
        json.loads(raw[:nl])
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return True


def json_docs(path: Path, ctx: ReadContext, head: bytes | None = None) -> Iterator[tuple[str, Any]]:
    """(location, value) for a JSON document, or for each line of a JSON Lines file.

    A bad line of a JSON Lines file is skipped and counted; a bad JSON document raises
    :class:`InputError` (there is nothing left to read).
    """
    if head is None:
        with open_binary(path) as fh:
            head = fh.read(64 * 1024)
    if looks_like_json_lines(head):
        for lineno, value in iter_json_lines(path, ctx):
            yield f"line {lineno}", value
    else:
        yield "document", load_json(path)


def read_docs(path: Path, ctx: ReadContext, parse: DocParser) -> Iterator[pl.DataFrame]:
    """Event batches of a JSON document or JSON Lines file, ``parse`` applied to each value.

    ``parse(doc, where=..., display=...)`` is a reader's pure ``parse_*``; what it skips,
    and the accounts and polls it finds, go to ``ctx`` (:meth:`ReadContext.take`).
    """
    rows = (
        event
        for where, doc in json_docs(path, ctx)
        for event in ctx.take(parse(doc, where=where, display=ctx.display))
    )
    yield from batched(rows, ctx.batch_size)


def iter_json_array(
    path: Path, key: str, *, chunk: int = 1 << 20
) -> tuple[dict[str, Any], Iterator[Any]]:
    """Stream the items of the top-level array ``key`` of a big JSON object.

    Returns the object's other fields that come *before* the array (parsed from the prefix)
    and an iterator over the array items. Each item is decoded with the C JSON decoder
    (``raw_decode``) from a sliding buffer, so memory stays at one item plus one chunk.

    Raises
    ------
    InputError
        The array is missing, or an item is not valid JSON (the file is truncated).
    """
    pattern = re.compile(r'"' + re.escape(key) + r'"\s*:\s*\[')
    stream = _ArrayStream(path, key, pattern, chunk)
    return stream.header(), stream.items()


# ``window.YTD.tweets.part0 = [`` (an X archive's JavaScript prefix), or a bare top-level array
_YTD_ARRAY = re.compile(r"^\ufeff?\s*(?:window\.YTD\.[A-Za-z0-9_]+\.part\d+\s*=\s*)?\[", re.ASCII)


def iter_js_array(path: Path, *, label: str = "window.YTD", chunk: int = 1 << 20) -> Iterator[Any]:
    """Stream the items of an X archive file (``window.YTD.<name>.partN = [...]``) or of a
    file that is one JSON array (``label`` names it in errors).

    The prefix is matched, never evaluated; items are decoded one by one as in
    :func:`iter_json_array`, so a large ``tweets.js`` is never loaded whole.

    Raises
    ------
    InputError
        No array after the prefix, or an item is not valid JSON (the file is truncated).
    """
    stream = _ArrayStream(path, label, _YTD_ARRAY, chunk)
    stream.header()
    return stream.items()


class _ArrayStream:
    """A sliding window of decoded text over a (decompressed) file, for :func:`iter_json_array`."""

    def __init__(self, path: Path, key: str, pattern: re.Pattern[str], chunk: int) -> None:
        self.path, self.key, self.pattern, self.chunk = path, key, pattern, chunk
        self.fh = open_binary(path)
        self.buf = ""
        self.eof = False
        # incremental decoding keeps a UTF-8 sequence split across two reads intact
        self.utf8 = codecs.getincrementaldecoder("utf-8")()

    def more(self) -> bool:
        """Append the next chunk to the buffer; False at the end of the file."""
        if self.eof:
            return False
        data = self.fh.read(self.chunk)
        if not data:
            self.eof = True
            self.buf += self.utf8.decode(b"", final=True)
            return False
        self.buf += self.utf8.decode(data)
        return True

    def header(self) -> dict[str, Any]:
        """The object's fields before the array; the buffer is left just inside the array."""
        match = None
        while match is None:
            match = self.pattern.search(self.buf)
            if match is None and (not self.more() or len(self.buf) > 64 * 1024 * 1024):
                self.fh.close()
                raise InputError(
                    f"{self.path}: no {self.key!r} array found",
                    hint="is this the right export file?",
                )
        prefix = self.buf[: match.start()].lstrip("\ufeff").rstrip().rstrip(",")
        try:
            header = json.loads(prefix + "}") if prefix.strip() != "{" else {}
        except json.JSONDecodeError:
            header = {}
        self.buf = self.buf[match.end() :]
        return header if isinstance(header, dict) else {}

    def _skip_separators(self, pos: int) -> int:
        """Position of the next item or closing bracket (reading on as needed)."""
        while True:
            while pos < len(self.buf) and self.buf[pos] in " \t\r\n,":
                pos += 1
            if pos < len(self.buf):
                return pos
            self.buf, pos = "", 0
            if not self.more():
                raise InputError(
                    f"{self.path}: the {self.key!r} array is not closed",
                    hint="the file may be truncated",
                )

    def _next_array(self) -> bool:
        """After a closing bracket, move into a later array of the same name, if any.

        Some exports repeat the key (Mastodon writes "orderedItems":[] first and the real list
        after it).
        """
        again = self.pattern.search(self.buf)
        while again is None and self.more():
            again = self.pattern.search(self.buf)
        if again is None:
            return False
        self.buf = self.buf[again.end() :]
        return True

    def items(self) -> Iterator[Any]:
        decoder = json.JSONDecoder()
        pos = 0
        try:
            while True:
                pos = self._skip_separators(pos)
                if self.buf[pos] == "]":
                    self.buf, pos = self.buf[pos + 1 :], 0
                    if not self._next_array():
                        return
                    continue
                try:
                    value, end = decoder.raw_decode(self.buf, pos)
                except json.JSONDecodeError as exc:
                    if not self.eof and self.more():
                        self.buf, pos = self.buf[pos:], 0
                        continue
                    raise InputError(
                        f"{self.path}: invalid JSON inside {self.key!r} ({exc.msg})",
                        hint="the file may be truncated; export it again",
                    ) from None
                # an item that ends exactly at the buffer end may be a cut number: read on first
                if end == len(self.buf) and not self.eof and self.more():
                    self.buf, pos = self.buf[pos:], 0
                    continue
                yield value
                pos = end
                if pos > self.chunk:
                    self.buf, pos = self.buf[pos:], 0
        finally:
            self.fh.close()


def listify(value: Any) -> list[Any]:
    """``value`` as a list: lists as is, a single dict wrapped, anything else empty."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    return []


def sub(obj: Any, key: str) -> dict[str, Any]:
    """``obj[key]`` when it is a JSON object, else an empty one (exports drop or null fields)."""
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, dict) else {}


def dicts(values: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Only the dict items of ``values`` (exports sometimes hold nulls or strings in lists)."""
    return (v for v in values if isinstance(v, dict))


def as_str(value: Any) -> str | None:
    """Text of a scalar id or name; ``None`` for null, empty, or a non-scalar."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    out = str(value).strip()
    return out or None
