"""Small helpers shared by the platform readers (not a reader itself).

JSON documents vs JSON Lines, HTML → text, sniffing by keys in a file's head, and a streaming
iterator over one big array inside a JSON document (DiscordChatExporter, Mastodon outbox),
so that a multi-gigabyte export is never parsed whole.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from microcomm.ingest.base import (
    ReadContext,
    batched,
    head_text,
    iter_json_lines,
    load_json,
    open_binary,
    repair_mojibake,
)
from microcomm.ingest.events import Parsed
from microcomm.ingest.jsonstream import (
    chunk_document,
    iter_items,
    read_header,
    read_parts,
    record_chunks,
)
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


@dataclass(frozen=True)
class DocStream:
    """Where a format's records sit in one JSON document, so that a huge one is streamed.

    ``records`` are ijson paths (``data.item``: the items of a top-level ``data`` array;
    ``item``: those of a bare array); ``keep`` names the small parts the reader also needs
    (``includes``), read in a first pass. The reader's ``parse`` then sees documents holding
    those parts and a few thousand records at a time, and takes ``start=`` (the number of the
    first record) to number them as in the whole document.
    """

    records: tuple[str, ...]
    keep: tuple[str, ...] = ()


RECORDS_PER_CHUNK = 20_000  # records parsed at a time from a streamed document (also <= batch)


def read_docs(
    path: Path, ctx: ReadContext, parse: DocParser, *, stream: DocStream | None = None
) -> Iterator[pl.DataFrame]:
    """Event batches of a JSON document or JSON Lines file, ``parse`` applied to each value.

    ``parse(doc, where=..., display=...)`` is a reader's pure ``parse_*``; what it skips,
    and the accounts and polls it finds, go to ``ctx`` (:meth:`ReadContext.take`). With
    ``stream``, a document (or a file that is one JSON line) whose records sit where
    ``stream`` says is read a chunk of records at a time, never whole.
    """
    chunks = _streamed(path, ctx, stream) if stream is not None else None
    if chunks is not None:
        rows = (
            event
            for where, doc, first in chunks
            for event in ctx.take(parse(doc, where=where, display=ctx.display, start=first))
        )
    else:
        rows = (
            event
            for where, doc in json_docs(path, ctx)
            for event in ctx.take(parse(doc, where=where, display=ctx.display))
        )
    yield from batched(rows, ctx.batch_size)


def document_chunks(
    path: Path, ctx: ReadContext, stream: DocStream
) -> Iterator[tuple[Any, int]]:
    """``(document, number of its first record)`` for a format that is one JSON document:
    chunk documents a few thousand records at a time when its records sit where ``stream``
    says, else the whole document (read at once, as it is small or of another shape).

    Raises
    ------
    InputError
        The JSON is cut short or invalid.
    """
    chunks = _streamed(path, ctx, stream)
    if chunks is None:
        yield load_json(path), 1
        return
    for _where, doc, first in chunks:
        yield doc, first


def _streamed(
    path: Path, ctx: ReadContext, stream: DocStream
) -> Iterator[tuple[str, Any, int]] | None:
    """(location, chunk document, number of its first record) of a streamable document; None
    for JSON Lines, or when no records sit at ``stream.records`` (then it is read as before)."""
    with open_binary(path) as fh:
        head = fh.read(64 * 1024)
    where = "document"
    if looks_like_json_lines(head):
        lone = _lone_line(path)
        if lone is None:
            return None  # JSON Lines: one value per line, each read whole
        where = f"line {lone}"
    size = max(1, min(ctx.batch_size, RECORDS_PER_CHUNK))
    rest = read_parts(path, stream.keep, display=ctx.display) if stream.keep else {}
    chunks = record_chunks(path, stream.records, size=size, display=ctx.display)
    first = next(chunks, None)
    if first is None:
        return None
    return _numbered(where, rest, itertools.chain([first], chunks))


def _numbered(
    where: str, rest: dict[str, Any], chunks: Iterable[tuple[str, list[Any]]]
) -> Iterator[tuple[str, Any, int]]:
    seen: dict[str, int] = {}
    for prefix, records in chunks:
        first = seen.get(prefix, 0) + 1
        seen[prefix] = first - 1 + len(records)
        yield where, chunk_document(rest, prefix, records), first


def _lone_line(path: Path) -> int | None:
    """The number of the only non-blank line of a file; None when it has several."""
    lineno, found = 1, None
    with open_binary(path) as fh:
        while chunk := fh.read(1 << 20):
            for i, part in enumerate(chunk.split(b"\n")):
                lineno += 1 if i else 0
                if part.strip():
                    if found is None:
                        found = lineno
                    elif found != lineno:
                        return None
    return found


def iter_json_array(
    path: Path, key: str, *, chunk: int = 1 << 16
) -> tuple[dict[str, Any], Iterator[Any]]:
    """Stream the items of the top-level array ``key`` of a big JSON object.

    Returns the object's other fields that come *before* the array and an iterator over the
    array items (of every top-level ``key`` array: Mastodon writes ``"orderedItems": []``
    first and the real list after it). Items are built one at a time by ijson
    (:mod:`microcomm.ingest.jsonstream`), so memory stays at one item plus one read buffer.

    Raises
    ------
    InputError
        The array is missing, or the JSON is cut short or invalid (line, column and byte).
    """
    header = read_header(path, key)
    return header, iter_items(path, f"{key}.item", buf_size=chunk)


def iter_js_array(path: Path, *, label: str = "window.YTD", chunk: int = 1 << 16) -> Iterator[Any]:
    """Stream the items of an X archive file (``window.YTD.<name>.partN = [...]``) or of a
    file that is one JSON array (``label`` names it in errors).

    The prefix is matched, never evaluated; items are built one by one as in
    :func:`iter_json_array`, so a large ``tweets.js`` is never loaded whole.

    Raises
    ------
    InputError
        No array after the prefix, or the JSON is cut short or invalid.
    """
    return iter_items(path, "item", js_prefix=True, array=label, buf_size=chunk)


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


def meta_text(value: Any) -> str | None:
    """:func:`as_str` of a value from a Meta export, its mojibake repaired *before* it is
    stripped (stripping first eats the U+0085 / U+00A0 bytes of mangled sequences, issue 9).

    >>> meta_text(" voil\u00c3\u00a0 \u00f0\u009f\u0098\u0085\u00a0")
    'voilà 😅'
    """
    return as_str(repair_mojibake(value) if isinstance(value, str) else value)


def json_above(path: Path, *candidates: tuple[str, ...], levels: int = 5) -> Any:
    """The JSON document of the first of ``candidates`` (parts of a path) found in the folder
    of ``path`` or one of the ``levels - 1`` above it: the profile file an export keeps beside
    its data (who the owner is). None when there is none, or it is not valid JSON (a broken
    profile file must not stop the data)."""
    for folder in [path.parent, *list(path.parents)[1:levels]]:
        for parts in candidates:
            candidate = folder.joinpath(*parts)
            if candidate.is_file():
                try:
                    return load_json(candidate)
                except Exception:
                    return None
    return None
