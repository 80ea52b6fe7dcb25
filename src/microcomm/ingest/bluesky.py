"""Bluesky reader: post views as the AppView returns them (``bluesky-posts``).

Accepts ``app.bsky.feed.searchPosts`` (``{"posts": [...]}``), ``getAuthorFeed`` /
``getTimeline`` / custom feeds (``{"feed": [{"post", "reason"}]}``; a ``reasonRepost`` is a
share by ``reason.by``), ``getPostThread`` (``{"thread": {"post", "replies", "parent"}}``),
a bare array of post views, or JSON Lines of any of these.

A post view has ``uri`` (``at://did/app.bsky.feed.post/rkey``), ``author{did, handle,
displayName}`` and ``record{text, createdAt, reply{root, parent}, facets, embed}``.
Mentions come only from ``record.facets[].features[]`` (``#mention`` with a ``did``); the
handle is read from the text slice, whose ``byteStart``/``byteEnd`` are UTF-8 *byte* offsets.
``createdAt`` comes in mixed forms (``…Z``, ``…+09:00``). Replies target their thread root;
quote posts (``embed`` of type ``record`` / ``recordWithMedia``) are shares of the quoted post.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import (
    as_str,
    dicts,
    guarded,
    has_keys,
    json_docs,
    listify,
    mention_events,
    sub,
)
from microcomm.ingest.base import ReadContext, Reader, batched, head_text, register

_MENTION = "app.bsky.richtext.facet#mention"


def sniff_bluesky(path: Path, head: bytes) -> bool:
    text = head_text(head)
    return (
        text[:1] in "[{"
        and '"at://' in text
        and has_keys(head, "uri", "author", "record")
        and has_keys(head, "handle")
    )


def _post_views(doc: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """(post view, repost reason or None) for every post in a response."""
    stack: list[Any] = [doc]
    while stack:
        cur = stack.pop()
        if isinstance(cur, list):
            stack.extend(reversed(cur))
        elif isinstance(cur, dict):
            if "uri" in cur and "record" in cur and "author" in cur:
                yield cur, None
            elif isinstance(cur.get("post"), dict) and ("reason" in cur or "reply" in cur):
                reason = cur.get("reason") if isinstance(cur.get("reason"), dict) else None
                yield cur["post"], reason
            elif isinstance(cur.get("post"), dict):
                # thread view: the post, its replies (and its parent chain)
                stack.append(cur["post"])
                stack.extend(listify(cur.get("replies")))
                if isinstance(cur.get("parent"), dict):
                    stack.append(cur["parent"])
            else:
                for key in ("posts", "feed", "thread"):
                    if key in cur:
                        stack.append(cur[key])


def read_bluesky(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    def rows() -> Iterator[dict[str, Any]]:
        for loc, doc in json_docs(path, ctx):
            profiles: dict[str, dict[str, Any]] = {}
            for k, (view, reason) in enumerate(_post_views(doc), start=1):
                where = f"{loc} post {k}"
                author = view.get("author")
                record = view.get("record")
                uri = as_str(view.get("uri"))
                if not uri or not isinstance(author, dict) or not isinstance(record, dict):
                    ctx.skip(where, "post view without uri, author or record")
                    continue
                handle = as_str(author.get("handle")) or as_str(author.get("did"))
                if handle:
                    profiles[handle] = {
                        "actor": handle,
                        "platform": "bluesky",
                        "name": as_str(author.get("displayName")),
                    }
                if reason is not None and "Repost" in str(reason.get("$type", "")):
                    by = sub(reason, "by")
                    reposter = as_str(by.get("handle")) or as_str(by.get("did"))
                    yield {
                        "event_id": f"repost/{reposter}/{uri}",
                        "kind": "share",
                        "actor": reposter,
                        "actor_name": as_str(by.get("displayName")),
                        "target": uri,
                        "target_kind": "post",
                        "created_at": as_str(reason.get("indexedAt")),
                        "source": f"{ctx.display}:{where}",
                    }
                yield from _post_rows(uri, handle, author, record, ctx, where)
            if profiles:
                ctx.add_accounts(
                    pl.DataFrame(
                        list(profiles.values()),
                        schema={"actor": pl.String, "platform": pl.String, "name": pl.String},
                    )
                )

    yield from batched(rows(), ctx.batch_size)


def _post_rows(
    uri: str,
    handle: str | None,
    author: dict[str, Any],
    record: dict[str, Any],
    ctx: ReadContext,
    where: str,
) -> Iterator[dict[str, Any]]:
    text = as_str(record.get("text"))
    created = as_str(record.get("createdAt"))
    source = f"{ctx.display}:{where}"
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else None
    embed = sub(record, "embed")
    quoted = None
    etype = str(embed.get("$type", ""))
    if etype == "app.bsky.embed.record" and isinstance(embed.get("record"), dict):
        quoted = as_str(embed["record"].get("uri"))
    elif etype == "app.bsky.embed.recordWithMedia" and isinstance(embed.get("record"), dict):
        inner = embed["record"].get("record")
        quoted = as_str(inner.get("uri")) if isinstance(inner, dict) else None
    base = {
        "event_id": uri,
        "actor": handle,
        "actor_name": as_str(author.get("displayName")),
        "text": text,
        "created_at": created,
        "source": source,
    }
    if reply is not None:
        root = sub(reply, "root")
        parent = sub(reply, "parent")
        parent_uri = as_str(parent.get("uri"))
        yield {
            **base,
            "kind": "reply",
            "target": as_str(root.get("uri")) or parent_uri,
            "target_kind": "thread",
            "parent": parent_uri,
        }
    elif quoted:
        yield {**base, "kind": "share", "target": quoted, "target_kind": "post"}
    else:
        yield {**base, "kind": "post"}
    raw = (text or "").encode("utf-8")
    targets = (
        _mention_handle(raw, sub(facet, "index")) or as_str(feature.get("did"))
        for facet in dicts(listify(record.get("facets")))
        for feature in dicts(listify(facet.get("features")))
        if feature.get("$type") == _MENTION
    )
    yield from mention_events(
        targets, post_id=uri, sep="#", actor=handle, created_at=created, source=source
    )


def _mention_handle(raw: bytes, index: dict[str, Any]) -> str | None:
    """The ``@handle`` a mention facet covers (byte offsets into the UTF-8 text)."""
    start, end = index.get("byteStart"), index.get("byteEnd")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(raw):
        return None
    piece = raw[start:end].decode("utf-8", errors="ignore").strip()
    return piece[1:] if piece.startswith("@") and len(piece) > 1 else None


BLUESKY_POSTS = register(
    Reader(
        name="bluesky-posts",
        platform="bluesky",
        description="Bluesky post views: searchPosts, author feeds, timelines, threads (JSON or JSON Lines)",
        sniff=sniff_bluesky,
        read=guarded(read_bluesky),
        extensions=(".json", ".jsonl"),
    )
)
