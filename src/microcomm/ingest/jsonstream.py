"""Streaming JSON documents (issue 9): the records of a huge one-document export, one by one.

A JSON document — a bare array, an API page ``{"data": [...], "includes": {...}}``, an
archive's ``window.YTD.<name>.part0 = [...]`` — is parsed by ijson's C backend (yajl2), which
builds one record at a time at a path such as ``item``, ``data.item`` or
``messages.item``: memory holds one read buffer and the records not yet turned into frames,
never the document. The small parts a reader needs beside the records (``includes``,
``participants``, a header) are read with :func:`read_parts`.

Bad JSON is one :class:`~microcomm.errors.InputError` naming the file and where it breaks
(line, column and byte, read from yajl's own report), raised before anything is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import ijson

from microcomm.errors import InputError
from microcomm.ingest.base import open_binary, read_head

BUF_SIZE = 1 << 16
# ``window.YTD.tweets.part0 = [`` (an X archive's JavaScript prefix), matched, never evaluated
_JS_PREFIX = re.compile(rb"\s*window\.YTD\.[A-Za-z0-9_]+\.part\d+\s*=\s*", re.ASCII)
_BOM = b"\xef\xbb\xbf"


class _Source:
    """A decompressed file read in chunks, remembering where each chunk starts (for errors)."""

    def __init__(self, path: Path, *, js_prefix: bool = False) -> None:
        self.path = path
        self.fh: IO[bytes] = open_binary(path)
        self.offset = 0  # bytes of the file before ``self.last``
        self.last = b""
        self.lines = 1  # line number at the start of ``self.last``
        self.line_start = 0  # byte where that line starts (for an error's column)
        head = self.fh.read(BUF_SIZE)
        skip = len(_BOM) if head.startswith(_BOM) else 0
        if js_prefix:
            m = _JS_PREFIX.match(head, skip)
            skip = m.end() if m else skip
        self._pending = head[skip:]
        self._advance(head[:skip])

    def read(self, n: int = -1) -> bytes:
        """The next chunk (ijson calls this); the first one is the head read when opening."""
        if n == 0:  # ijson probes bytes vs text with read(0)
            return b""
        self._advance(self.last)
        if self._pending:
            data, self._pending = self._pending, b""
        else:
            data = self.fh.read(n if n and n > 0 else BUF_SIZE)
        self.last = data
        return data

    def _advance(self, done: bytes) -> None:
        """Move past ``done`` (bytes fully handed to the parser)."""
        nl = done.rfind(b"\n")
        if nl >= 0:
            self.lines += done.count(b"\n")
            self.line_start = self.offset + nl + 1
        self.offset += len(done)

    def head(self) -> bytes:
        """The start of the JSON text (BOM, prefix and leading whitespace skipped)."""
        return self._pending.lstrip()

    def close(self) -> None:
        self.fh.close()

    def error(self, exc: Exception, display: str) -> InputError:
        """One line naming the file and where the JSON breaks (line, column, byte)."""
        arg = exc.args[0] if exc.args else ""
        text = arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)
        reason = re.sub(r"[^ -~]", "", text.split("\n", 1)[0]).strip().rstrip(".")
        reason = reason or "not valid JSON"
        pos = self.offset + _offset_in(self.last, text)
        # a literal cut at the end of the file ("tru") is a lexical error there, not an EOF one
        at_end = pos >= self.offset + len(self.last) and not self.fh.read(1)
        if "premature EOF" in reason or (at_end and "invalid string" in reason):
            return InputError(
                f"{display}: the JSON document is cut short (it ends at byte {pos:,}, inside a "
                "value); nothing of it was stored",
                hint="the file is truncated: export or download it again",
            )
        at = pos - self.offset  # yajl stops inside NaN or Infinity: find where the word starts
        word = re.search(rb"-?(?:NaN|Infinity)", self.last[max(at - 9, 0) : at + 9])
        pos = pos - at + max(at - 9, 0) + word.start() if word else pos
        consumed = self.last[: pos - self.offset]
        line = self.lines + consumed.count(b"\n")
        nl = consumed.rfind(b"\n")
        col = len(consumed) - nl if nl >= 0 else pos - self.line_start + 1
        where = f"near line {line:,}, column {col:,} (byte {pos + 1:,})"
        if word:  # Python's json.dump writes them; they are not JSON
            return InputError(
                f"{display}: {word.group().decode()} {where} is not a JSON number (Python "
                "writes it for a missing or infinite value); nothing of it was stored",
                hint="write null instead, or give the records as JSON Lines (read as Python reads them)",
            )
        if "overflow" in reason:  # valid JSON, but a number past 64 bits (yajl's limit)
            return InputError(
                f"{display}: a number {where} is too large to read ({reason}); nothing of it "
                "was stored",
                hint="write such numbers as strings, or give the records as JSON Lines",
            )
        return InputError(
            f"{display}: not valid JSON {where}: {reason}; nothing of it was stored",
            hint="the file is corrupt: export it again, or fix it at that place",
        )


def _offset_in(chunk: bytes, message: str) -> int:
    """Where in ``chunk`` yajl stopped: its message shows the text around that point (newlines
    shown as spaces) with a caret under it; find that text in the chunk."""
    lines = message.encode("utf-8", "replace").split(b"\n")
    if len(lines) < 3 or b"^" not in lines[2]:
        return len(chunk)
    caret = lines[2].index(b"^")  # yajl pads the text in bytes so that the caret sits under it
    before, after = lines[1][:caret].lstrip(b" "), lines[1][caret:].rstrip(b" ")
    flat = chunk.replace(b"\n", b" ").replace(b"\r", b" ")
    i = flat.find(before + after)
    return i + len(before) if i >= 0 else len(chunk)


def iter_items(
    path: Path,
    prefix: str,
    *,
    display: str | None = None,
    js_prefix: bool = False,
    array: str | None = None,
    buf_size: int = BUF_SIZE,
) -> Iterator[Any]:
    """The values at ``prefix`` (ijson's notation: ``item`` for a bare array's records,
    ``data.item`` for those of a ``data`` array) of a JSON document, one at a time.

    ``js_prefix`` skips an X archive's ``window.YTD.<name>.partN =``; with ``array`` (a label
    for errors) the document must be an array. Numbers come back as
    ``int`` or ``float``, as :func:`json.loads` gives them.

    Raises
    ------
    InputError
        The JSON is cut short or invalid (the message names the line, column and byte).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
    ...     _ = fh.write('{"meta": 1, "data": [{"id": 1}, {"id": 2.5}]}')
    >>> list(iter_items(Path(fh.name), "data.item"))
    [{'id': 1}, {'id': 2.5}]
    >>> os.unlink(fh.name)
    """
    src = _Source(path, js_prefix=js_prefix)
    try:
        if array is not None and src.head()[:1] != b"[":
            raise InputError(
                f"{display or path}: no {array!r} array found", hint="is this the right export file?"
            )
        yield from ijson.items(src, prefix, use_float=True, buf_size=buf_size)
    except ijson.JSONError as exc:
        raise src.error(exc, display or str(path)) from None
    finally:
        src.close()


def read_parts(
    path: Path,
    prefixes: Sequence[str],
    *,
    display: str | None = None,
    js_prefix: bool = False,
    buf_size: int = BUF_SIZE,
) -> dict[str, Any]:
    """The first value at each of ``prefixes`` (the small parts of a document a reader needs
    beside its records, such as ``includes``); absent ones are left out. Each is read by its
    own pass, which stops as soon as the part is found.

    Raises
    ------
    InputError
        The JSON is cut short or invalid.
    """
    found: dict[str, Any] = {}
    for prefix in prefixes:
        values = iter_items(path, prefix, display=display, js_prefix=js_prefix, buf_size=buf_size)
        try:
            found[prefix] = next(values)
        except StopIteration:
            continue
        finally:
            values.close()  # type: ignore[attr-defined]
    return found


def read_header(path: Path, key: str, *, display: str | None = None) -> dict[str, Any]:
    """The fields of a JSON object that come before its top-level ``key`` (a DiscordChatExporter
    file's guild and channel before ``messages``), read up to that key only.

    Raises
    ------
    InputError
        The document is not an object with ``key`` in its first 64 MB, or is not valid JSON.
    """
    src = _Source(path)
    builder = ijson.ObjectBuilder()
    try:
        for prefix, event, value in ijson.parse(src, use_float=True, buf_size=BUF_SIZE):
            if prefix == "" and event == "map_key" and value == key:
                return builder.value if isinstance(builder.value, dict) else {}
            if (prefix == "" and event != "start_map" and event != "map_key") or (
                src.offset > 64 * 1024 * 1024
            ):
                break  # not an object, or its end, or far too much before the array
            builder.event(event, value)
    except ijson.JSONError as exc:
        raise src.error(exc, display or str(path)) from None
    finally:
        src.close()
    raise InputError(f"{display or path}: no {key!r} array found", hint="is this the right export file?")


def record_chunks(
    path: Path,
    prefixes: Sequence[str],
    *,
    size: int,
    display: str | None = None,
    buf_size: int = BUF_SIZE,
) -> Iterator[tuple[str, list[Any]]]:
    """``(prefix, records)``: the records at each of ``prefixes``, in lists of at most ``size``,
    in one pass over the file.

    A list holds a single record only when its array holds only that one (the last list keeps
    at least two), so that readers which name a lone record differently from the records of
    a list (``document`` vs ``document tweet 3``) say the same as on the whole document.

    Raises
    ------
    InputError
        The JSON is cut short or invalid.
    """
    size = max(size, 1)
    prefixes = _plausible(prefixes, read_head(path))
    if not prefixes:
        return
    if len(prefixes) == 1:  # ijson.items on the file builds records ~2x faster than coroutines
        yield from _chunked(prefixes[0], iter_items(path, prefixes[0], display=display), size)
        return
    sinks = {p: ijson.sendable_list() for p in prefixes}
    coros = [(p, ijson.items_coro(sinks[p], p, use_float=True)) for p in prefixes]
    held: dict[str, list[Any]] = {p: [] for p in prefixes}
    src = _Source(path)
    try:
        while True:
            data = src.read(buf_size)
            for p, coro in coros:
                if data:
                    coro.send(data)
                else:
                    coro.close()
                held[p].extend(sinks[p])
                del sinks[p][:]
                while len(held[p]) >= size + 2:
                    chunk, held[p] = held[p][:size], held[p][size:]
                    yield p, chunk
            if not data:
                break
    except ijson.JSONError as exc:
        raise src.error(exc, display or str(path)) from None
    finally:
        src.close()
    for p in prefixes:
        if held[p]:
            yield p, held[p]


def _plausible(prefixes: Sequence[str], head: bytes) -> Sequence[str]:
    """The record paths this document can hold, judged from its first bytes: ``item`` for an
    array, else those whose keys all show in the head (all of them when none does)."""
    text = head.lstrip(_BOM).lstrip()
    bare = [p for p in prefixes if p.split(".")[0] == "item"]
    if text[:1] == b"[":
        return bare
    keyed = [p for p in prefixes if p not in bare]
    shown = [
        p for p in keyed if all(b'"' + k.encode() + b'"' in text for k in p.split(".")[:-1])
    ]
    return shown or keyed


def _chunked(prefix: str, items: Iterator[Any], size: int) -> Iterator[tuple[str, list[Any]]]:
    held: list[Any] = []
    for item in items:
        held.append(item)
        if len(held) >= size + 2:  # keep two back: the last list never holds a lone record
            yield prefix, held[:size]
            held = held[size:]
    if held:
        yield prefix, held


def chunk_document(rest: dict[str, Any], prefix: str, records: list[Any]) -> Any:
    """The document a reader would have parsed, holding ``records`` at ``prefix`` and the kept
    parts ``rest``: ``item`` gives the list itself, ``data.comments.item`` gives
    ``{**rest, "data": {**rest["data"], "comments": records}}``.

    >>> chunk_document({"includes": {}}, "data.item", [1, 2])
    {'includes': {}, 'data': [1, 2]}
    >>> chunk_document({}, "item", [1])
    [1]
    """
    keys = prefix.split(".")[:-1]
    if not keys:
        return records
    doc = dict(rest)
    node = doc
    for key in keys[:-1]:
        inner = node.get(key)
        node[key] = dict(inner) if isinstance(inner, dict) else {}
        node = node[key]
    node[keys[-1]] = records
    return doc
