"""Small helpers shared by the platform readers (not a reader itself).

JSON documents vs JSON Lines, HTML → text, sniffing by keys in a file's head, and a streaming
iterator over one big array inside a JSON document (DiscordChatExporter, Mastodon outbox),
so that a multi-gigabyte export is never parsed whole.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from microcomm.errors import InputError, MicrocommError
from microcomm.ingest.base import ReadContext, head_text, iter_json_lines, load_json, open_binary
from microcomm.text import clean_text


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
    fh = open_binary(path)
    decoder = json.JSONDecoder()
    buf = ""
    pattern = re.compile(r'"' + re.escape(key) + r'"\s*:\s*\[')
    eof = False
    # incremental decoding keeps a UTF-8 sequence split across two reads intact
    utf8 = codecs.getincrementaldecoder("utf-8")()

    def more() -> bool:
        nonlocal buf, eof
        if eof:
            return False
        data = fh.read(chunk)
        if not data:
            eof = True
            buf += utf8.decode(b"", final=True)
            return False
        buf += utf8.decode(data)
        return True

    match = None
    while match is None:
        match = pattern.search(buf)
        if match is None and (not more() or len(buf) > 64 * 1024 * 1024):
            fh.close()
            raise InputError(
                f"{path}: no {key!r} array found", hint="is this the right export file?"
            )
    assert match is not None
    prefix = buf[: match.start()].lstrip("\ufeff").rstrip().rstrip(",")
    try:
        header = json.loads(prefix + "}") if prefix.strip() != "{" else {}
    except json.JSONDecodeError:
        header = {}
    buf = buf[match.end() :]

    def items() -> Iterator[Any]:
        nonlocal buf
        pos = 0
        try:
            while True:
                while True:
                    # skip whitespace and separators
                    while pos < len(buf) and buf[pos] in " \t\r\n,":
                        pos += 1
                    if pos < len(buf):
                        break
                    buf, pos = "", 0
                    if not more():
                        raise InputError(
                            f"{path}: the {key!r} array is not closed",
                            hint="the file may be truncated",
                        )
                if buf[pos] == "]":
                    # Some exports repeat the key (Mastodon writes "orderedItems":[] first and
                    # the real list after it): carry on with a later array of the same name.
                    buf, pos = buf[pos + 1 :], 0
                    again = pattern.search(buf)
                    while again is None and more():
                        again = pattern.search(buf)
                    if again is None:
                        return
                    buf = buf[again.end() :]
                    continue
                try:
                    value, end = decoder.raw_decode(buf, pos)
                except json.JSONDecodeError as exc:
                    if not eof and more():
                        buf, pos = buf[pos:], 0
                        continue
                    raise InputError(
                        f"{path}: invalid JSON inside {key!r} ({exc.msg})",
                        hint="the file may be truncated; export it again",
                    ) from None
                # an item that ends exactly at the buffer end may be a cut number: read on first
                if end == len(buf) and not eof and more():
                    buf, pos = buf[pos:], 0
                    continue
                yield value
                pos = end
                if pos > chunk:
                    buf, pos = buf[pos:], 0
        finally:
            fh.close()

    return header, items()


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


def mention_events(
    handles: Iterable[str | None],
    *,
    post_id: str | None,
    sep: str,
    actor: str | None,
    created_at: Any,
    source: str,
    **extra: Any,
) -> Iterator[dict[str, Any]]:
    """One ``mention`` event per distinct handle (case-insensitive) that a post names.

    Target is the handle, parent the post, and the id ``<post><sep>mention/<handle>`` is
    stable, so re-ingesting the post never duplicates its mentions (a post without an id
    leaves the id to the framework's content hash).

    Examples
    --------
    >>> [e["event_id"] for e in mention_events(["Ann", "ann", None, "bo"], post_id="p1", sep="/",
    ...                                         actor="zed", created_at=None, source="f:1")]
    ['p1/mention/ann', 'p1/mention/bo']
    """
    seen: set[str] = set()
    for handle in handles:
        if not handle or handle.lower() in seen:
            continue
        seen.add(handle.lower())
        yield {
            "event_id": f"{post_id}{sep}mention/{handle.lower()}" if post_id else None,
            "kind": "mention",
            "actor": actor,
            "target": handle,
            "target_kind": "account",
            "parent": post_id,
            "created_at": created_at,
            "source": source,
            **extra,
        }


def dicts(values: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Only the dict items of ``values`` (exports sometimes hold nulls or strings in lists)."""
    return (v for v in values if isinstance(v, dict))


def as_str(value: Any) -> str | None:
    """Text of a scalar id or name; ``None`` for null, empty, or a non-scalar."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    out = str(value).strip()
    return out or None


def guarded(
    read: Callable[[Path, ReadContext], Iterator[Any]],
) -> Callable[[Path, ReadContext], Iterator[Any]]:
    """Wrap a reader's ``read`` so that input it cannot make sense of is an InputError.

    Readers check the shapes they rely on and skip bad records; this is the backstop for a
    file forced through the wrong reader (``--platform``) or damaged in a way no check
    foresaw: the user gets one line naming the file and the cause, never a traceback.
    """

    @functools.wraps(read)
    def wrapper(path: Path, ctx: ReadContext) -> Iterator[Any]:
        try:
            yield from read(path, ctx)
        except MicrocommError:
            raise
        except (UnicodeDecodeError, RecursionError, MemoryError):
            raise  # the framework reports these itself
        except Exception as exc:
            detail = str(exc).splitlines()[0][:120] if str(exc) else ""
            raise InputError(
                f"{ctx.display}: cannot read this file as {read.__module__.rsplit('.', 1)[-1]} data "
                f"({type(exc).__name__}{': ' + detail if detail else ''})",
                hint="is this the right file? force another format with --platform, or use --mapping",
            ) from exc

    return wrapper
