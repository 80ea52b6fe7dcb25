"""TikTok readers: Zeeschuimer / 4CAT captures, "Download your data" JSON, Research API.

``tiktok-capture``
    NDJSON as Zeeschuimer captures it and 4CAT stores it: one item per line, usually wrapped
    (``{"source_platform": "tiktok.com", "data": {...}}``). Comments have ``cid``, ``text``,
    ``create_time`` (epoch), ``aweme_id`` (the video), ``reply_id`` / ``reply_to_reply_id``
    and ``user{unique_id, nickname}``; videos have ``id``, ``desc``, ``createTime`` and
    ``author{uniqueId}`` (or ``author`` as a string).
``tiktok-dyd``
    "Download your data" ``user_data.json`` (JSON flavour): ``Activity → Follower List →
    FansList[{Date, UserName}]``, ``Following List → Following``, ``Like List →
    ItemFavoriteList[{Date, Link}]``, ``Comment → Comments → CommentsList[{Date, Comment}]``
    and ``Profile → Profile Information → ProfileMap{userName, bioDescription}`` (the owner).
``tiktok-research``
    Research API responses: ``{"data": {"comments": [...]}}`` or ``{"data": {"videos":
    [...]}}`` pages, or JSON Lines of the items. **Comments carry no author**: they are
    ingested as content (text, video, time) with a null actor, and the note says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import as_str, dicts, guarded, has_keys, json_docs, listify, sub
from microcomm.ingest.base import ReadContext, Reader, batched, head_text, load_json, register

# --- Zeeschuimer / 4CAT captures ---------------------------------------------------------------


def sniff_capture(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if text[:1] != "{":
        return False
    if has_keys(head, "source_platform") and "tiktok" in text[:4000]:
        return True
    return has_keys(head, "cid", "aweme_id", "user") and has_keys(head, "unique_id")


def read_capture(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    def rows() -> Iterator[dict[str, Any]]:
        for loc, doc in json_docs(path, ctx):
            item = doc.get("data", doc) if isinstance(doc, dict) else None
            if not isinstance(item, dict):
                ctx.skip(loc, "not a JSON object")
                continue
            source = f"{ctx.display}:{loc}"
            if "cid" in item:
                user = sub(item, "user")
                # "0" means "none" in both fields; a reply to a reply names the deeper one
                ids = (as_str(item.get("reply_to_reply_id")), as_str(item.get("reply_id")))
                reply = next((r for r in ids if r not in (None, "0")), None)
                yield {
                    "event_id": as_str(item.get("cid")),
                    "kind": "reply" if reply else "comment",
                    "actor": as_str(user.get("unique_id")) or as_str(user.get("uid")),
                    "actor_name": as_str(user.get("nickname")),
                    "target": as_str(item.get("aweme_id")),
                    "target_kind": "video",
                    "parent": reply,
                    "text": as_str(item.get("text")),
                    "created_at": item.get("create_time"),
                    "source": source,
                }
            elif "desc" in item or "author" in item:
                author = item.get("author")
                handle = (
                    as_str(author.get("uniqueId")) if isinstance(author, dict) else as_str(author)
                )
                name = as_str(author.get("nickname")) if isinstance(author, dict) else None
                yield {
                    "event_id": as_str(item.get("id")),
                    "kind": "post",
                    "actor": handle,
                    "actor_name": name,
                    "text": as_str(item.get("desc")),
                    "created_at": item.get("createTime"),
                    "source": source,
                }
            else:
                ctx.skip(loc, "neither a TikTok comment nor a video")

    yield from batched(rows(), ctx.batch_size)


# --- Download your data -------------------------------------------------------------------------------


def sniff_dyd(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if text[:1] != "{":
        return False
    return any(
        k in text
        for k in (
            '"FansList"',
            '"ProfileMap"',
            '"ItemFavoriteList"',
            '"Following List"',
            '"Follower List"',
        )
    )


def _find(node: Any, key: str) -> Any:
    """The first value under ``key`` anywhere in a nested dict (sections move between versions)."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            if key in cur:
                return cur[key]
            stack.extend(cur.values())
    return None


def read_dyd(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    doc = load_json(path)
    profile = _find(doc, "ProfileMap")
    owner = as_str(profile.get("userName")) if isinstance(profile, dict) else None
    if isinstance(profile, dict) and owner:
        ctx.add_accounts(
            pl.DataFrame(
                [
                    {
                        "actor": owner,
                        "platform": "tiktok",
                        "bio": as_str(profile.get("bioDescription")),
                    }
                ]
            )
        )
    if owner is None:
        ctx.note("no ProfileMap in this file: the account holder is unknown")
    ctx.note("TikTok's own export lists followers and follows by username and date only")

    def rows() -> Iterator[dict[str, Any]]:
        for i, f in enumerate(dicts(listify(_find(doc, "FansList"))), start=1):
            who = as_str(f.get("UserName"))
            if who:
                yield {
                    "event_id": f"follower/{who}/{owner}",
                    "kind": "follow",
                    "actor": who,
                    "target": owner,
                    "target_kind": "account",
                    "created_at": as_str(f.get("Date")),
                    "source": f"{ctx.display}:FansList {i}",
                }
        for i, f in enumerate(dicts(listify(_find(doc, "Following"))), start=1):
            who = as_str(f.get("UserName"))
            if who:
                yield {
                    "event_id": f"following/{owner}/{who}",
                    "kind": "follow",
                    "actor": owner,
                    "target": who,
                    "target_kind": "account",
                    "created_at": as_str(f.get("Date")),
                    "source": f"{ctx.display}:Following {i}",
                }
        for i, f in enumerate(dicts(listify(_find(doc, "ItemFavoriteList"))), start=1):
            link = as_str(f.get("Link") or f.get("link"))
            if link:
                yield {
                    "event_id": f"like/{owner}/{link}",
                    "kind": "like",
                    "actor": owner,
                    "target": link,
                    "target_kind": "video",
                    "created_at": as_str(f.get("Date") or f.get("date")),
                    "source": f"{ctx.display}:ItemFavoriteList {i}",
                }
        for i, f in enumerate(dicts(listify(_find(doc, "CommentsList"))), start=1):
            yield {
                "kind": "comment",
                "actor": owner,
                "text": as_str(f.get("Comment") or f.get("comment")),
                "created_at": as_str(f.get("Date") or f.get("date")),
                "source": f"{ctx.display}:CommentsList {i}",
            }

    yield from batched(rows(), ctx.batch_size)


# --- Research API ---------------------------------------------------------------------------------------


def sniff_research(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if text[:1] not in "[{":
        return False
    comments = has_keys(head, "video_id", "parent_comment_id", "text")
    videos = has_keys(head, "video_description", "username", "create_time")
    return comments or videos


def read_research(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    saw_comments = [False]

    def rows() -> Iterator[dict[str, Any]]:
        for loc, doc in json_docs(path, ctx):
            items: list[Any] = []
            for d in dicts(listify(doc)):
                data = d.get("data") if isinstance(d.get("data"), dict) else None
                if data is not None:
                    items.extend(listify(data.get("comments")) + listify(data.get("videos")))
                else:
                    items.append(d)
            for k, item in enumerate(items, start=1):
                where = loc if len(items) == 1 else f"{loc} item {k}"
                if not isinstance(item, dict) or not as_str(item.get("id")):
                    ctx.skip(where, "item without an id")
                    continue
                source = f"{ctx.display}:{where}"
                if "video_id" in item:
                    saw_comments[0] = True
                    video = as_str(item.get("video_id"))
                    parent = as_str(item.get("parent_comment_id"))
                    parent = None if parent in (None, "0", video) else parent
                    yield {
                        "event_id": as_str(item["id"]),
                        "kind": "reply" if parent else "comment",
                        "actor": None,
                        "target": video,
                        "target_kind": "video",
                        "parent": parent,
                        "text": as_str(item.get("text")),
                        "created_at": item.get("create_time"),
                        "source": source,
                    }
                else:
                    yield {
                        "event_id": as_str(item["id"]),
                        "kind": "post",
                        "actor": as_str(item.get("username")),
                        "text": as_str(item.get("video_description")),
                        "created_at": item.get("create_time"),
                        "location": as_str(item.get("region_code")),
                        "source": source,
                    }

    yield from batched(rows(), ctx.batch_size)
    if saw_comments[0]:
        ctx.note(
            "TikTok Research API comments have no author: ingested as content (text, video, time) without an actor"
        )


TIKTOK_CAPTURE = register(
    Reader(
        name="tiktok-capture",
        platform="tiktok",
        description="TikTok comments and videos captured by Zeeschuimer / stored by 4CAT (NDJSON)",
        sniff=sniff_capture,
        read=guarded(read_capture),
        extensions=(".ndjson", ".jsonl"),
    )
)
TIKTOK_DYD = register(
    Reader(
        name="tiktok-dyd",
        platform="tiktok",
        description="TikTok 'Download your data' user_data.json (followers, following, likes, comments)",
        sniff=sniff_dyd,
        read=guarded(read_dyd),
        extensions=(".json",),
    )
)
TIKTOK_RESEARCH = register(
    Reader(
        name="tiktok-research",
        platform="tiktok",
        description="TikTok Research API comments / videos (JSON pages or JSON Lines)",
        sniff=sniff_research,
        read=guarded(read_research),
        extensions=(".json", ".jsonl"),
    )
)
