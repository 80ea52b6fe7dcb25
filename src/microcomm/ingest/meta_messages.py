"""Meta inbox threads reader (``meta-messages``): Instagram and Facebook Messenger DMs.

``messages/inbox/<thread>/message_N.json``: ``participants``, ``messages[{sender_name,
timestamp_ms, content}]``, ``thread_path``. People are display names only; text is Meta's
mojibake (each UTF-8 byte as ``\\u00XX``), repaired. A long thread's messages are streamed
(:mod:`microcomm.ingest.jsonstream`), never loaded whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import DocStream, as_str, document_chunks, has_keys, listify
from microcomm.ingest.base import ReadContext, batched, head_text
from microcomm.ingest.events import Event, Parsed, make_event
from microcomm.ingest.instagram import _fix
from microcomm.ingest.registry import reader


def sniff_messages(path: Path, head: bytes) -> bool:
    return (
        head_text(head)[:1] == "{"
        and has_keys(head, "participants", "messages")
        and has_keys(head, "sender_name")
    )


@reader(
    "meta-messages", platform="instagram", sniff=sniff_messages, extensions=(".json",), priority=20
)
def read_messages(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Instagram / Facebook Messenger inbox threads (messages/inbox/*/message_N.json)"""
    lowered = str(path).lower()
    platform = "facebook" if ("messenger" in lowered or "facebook" in lowered) else "instagram"
    rows = (
        event
        for doc, first in document_chunks(path, ctx, _THREAD_STREAM)
        for event in _thread_rows(doc, path, ctx, platform=platform, start=first)
    )
    yield from batched(rows, ctx.batch_size)


def _thread_rows(
    doc: Any, path: Path, ctx: ReadContext, *, platform: str, start: int
) -> list[Event]:
    """The events of (a chunk of) one inbox thread; ``start`` numbers its first message."""
    if not isinstance(doc, dict):
        ctx.skip("document", "not an inbox thread object")
        return []
    thread = as_str(doc.get("thread_path")) or path.parent.name
    ctx.note("inbox threads name people by display name only, not by handle")
    parsed = parse_thread(doc, platform=platform, thread=thread, display=ctx.display, start=start)
    return ctx.take(parsed)


# a thread's messages, streamed; its path and participants read first
_THREAD_STREAM = DocStream(records=("messages.item",), keep=("thread_path", "participants"))


def parse_thread(
    doc: dict[str, Any], *, platform: str, thread: str, display: str, start: int = 1
) -> Parsed:
    """An inbox thread → one ``dm`` event per message, targeting the thread.

    ``start`` numbers the first record (a streamed document comes a chunk at a time).
    """
    out = Parsed()
    for i, msg in enumerate(listify(doc.get("messages")), start=start):
        where = f"message {i}"
        if not isinstance(msg, dict) or not msg.get("sender_name"):
            out.skip(where, "message without a sender")
            continue
        sender = _fix(msg.get("sender_name"))
        out.events.append(
            make_event(
                platform=platform,
                kind="dm",
                actor=sender,
                actor_name=sender,
                target=thread,
                target_kind="conversation",
                text=_fix(msg.get("content")),
                created_at=msg.get("timestamp_ms"),
                source=f"{display}:{where}",
            )
        )
    return out
