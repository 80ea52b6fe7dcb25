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

from microcomm.ingest._common import (
    DocStream,
    as_str,
    dicts,
    document_chunks,
    has_keys,
    listify,
    read_docs,
    sub,
)
from microcomm.ingest.base import ReadContext, batched, head_text
from microcomm.ingest.events import (
    Event,
    Parsed,
    like_event,
    make_event,
    owner_follow_event,
    reply_or,
)
from microcomm.ingest.registry import reader

# --- Zeeschuimer / 4CAT captures ---------------------------------------------------------------


def sniff_capture(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if text[:1] != "{":
        return False
    if has_keys(head, "source_platform") and "tiktok" in text[:4000]:
        return True
    return has_keys(head, "cid", "aweme_id", "user") and has_keys(head, "unique_id")


def parse_capture_item(doc: Any, *, where: str, display: str) -> Parsed:
    """One captured item (wrapped by 4CAT or bare) → a comment / reply or a video post.

    Examples
    --------
    >>> item = {"data": {"cid": "9", "text": "wow", "aweme_id": "v1", "reply_id": "0",
    ...                  "create_time": 1700000000, "user": {"unique_id": "ann"}}}
    >>> [(e["kind"], e["actor"], e["target"]) for e in parse_capture_item(item, where="line 1", display="f").events]
    [('comment', 'ann', 'v1')]
    """
    out = Parsed()
    item = doc.get("data", doc) if isinstance(doc, dict) else None
    source = f"{display}:{where}"
    if not isinstance(item, dict):
        out.skip(where, "not a JSON object")
    elif "cid" in item:
        user = sub(item, "user")
        # "0" means "none" in both fields; a reply to a reply names the deeper one
        ids = (as_str(item.get("reply_to_reply_id")), as_str(item.get("reply_id")))
        reply = next((r for r in ids if r not in (None, "0")), None)
        out.events.append(
            reply_or(
                "comment",
                event_id=as_str(item.get("cid")),
                actor=as_str(user.get("unique_id")) or as_str(user.get("uid")),
                actor_name=as_str(user.get("nickname")),
                target=as_str(item.get("aweme_id")),
                target_kind="video",
                parent=reply,
                text=as_str(item.get("text")),
                created_at=item.get("create_time"),
                source=source,
            )
        )
    elif "desc" in item or "author" in item:
        author = item.get("author")
        profile = author if isinstance(author, dict) else {}
        out.events.append(
            make_event(
                event_id=as_str(item.get("id")),
                kind="post",
                actor=as_str(profile.get("uniqueId")) if profile else as_str(author),
                actor_name=as_str(profile.get("nickname")),
                text=as_str(item.get("desc")),
                created_at=item.get("createTime"),
                source=source,
            )
        )
    else:
        out.skip(where, "neither a TikTok comment nor a video")
    return out


@reader("tiktok-capture", platform="tiktok", sniff=sniff_capture, extensions=(".ndjson", ".jsonl"))
def read_capture(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """TikTok comments and videos captured by Zeeschuimer / stored by 4CAT (NDJSON)"""
    yield from read_docs(path, ctx, parse_capture_item)


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


@reader("tiktok-dyd", platform="tiktok", sniff=sniff_dyd, extensions=(".json",))
def read_dyd(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """TikTok 'Download your data' user_data.json (followers, following, likes, comments)"""
    rows = (
        event
        for doc, first in document_chunks(path, ctx, _DYD_STREAM)
        for event in _dyd_rows(doc, ctx, start=first)
    )
    yield from batched(rows, ctx.batch_size)


# each list where the export versions put it (older "Activity", newer "Your Activity"); the
# profile is read first. Another layout is read whole (the sections are found by name).
_DYD_STREAM = DocStream(
    records=tuple(
        f"{section}.{path}.item"
        for section, path in (
            ("Activity", "Follower List.FansList"),
            ("Activity", "Following List.Following"),
            ("Activity", "Like List.ItemFavoriteList"),
            ("Your Activity", "Follower.FansList"),
            ("Your Activity", "Following.Following"),
            ("Your Activity", "Like List.ItemFavoriteList"),
            ("Comment", "Comments.CommentsList"),
        )
    ),
    keep=("Profile",),
)


def _dyd_rows(doc: Any, ctx: ReadContext, *, start: int) -> list[Event]:
    parsed = parse_dyd(doc, display=ctx.display, start=start)
    if not parsed.accounts:
        ctx.note("no ProfileMap in this file: the account holder is unknown")
    ctx.note("TikTok's own export lists followers and follows by username and date only")
    return ctx.take(parsed)


def parse_dyd(doc: Any, *, display: str, start: int = 1) -> Parsed:
    """``user_data.json`` → the owner's profile row and their follows, likes and comments.

    ``start`` numbers the first item of each list (a streamed file comes one list chunk at a
    time).
    """
    out = Parsed()
    profile = _find(doc, "ProfileMap")
    owner = as_str(profile.get("userName")) if isinstance(profile, dict) else None
    if isinstance(profile, dict) and owner:
        out.accounts.append(
            {"actor": owner, "platform": "tiktok", "bio": as_str(profile.get("bioDescription"))}
        )
    for key, outgoing in (("FansList", False), ("Following", True)):
        for i, f in enumerate(dicts(listify(_find(doc, key))), start=start):
            who = as_str(f.get("UserName"))
            if who:
                event = owner_follow_event(
                    owner,
                    who,
                    outgoing=outgoing,
                    created_at=as_str(f.get("Date")),
                    source=f"{display}:{key} {i}",
                )
                out.events.append(event)
    for i, f in enumerate(dicts(listify(_find(doc, "ItemFavoriteList"))), start=start):
        link = as_str(f.get("Link") or f.get("link"))
        if link:
            out.events.append(
                like_event(
                    owner,
                    link,
                    event_id=f"like/{owner}/{link}",
                    target_kind="video",
                    created_at=as_str(f.get("Date") or f.get("date")),
                    source=f"{display}:ItemFavoriteList {i}",
                )
            )
    for i, f in enumerate(dicts(listify(_find(doc, "CommentsList"))), start=start):
        out.events.append(
            make_event(
                kind="comment",
                actor=owner,
                text=as_str(f.get("Comment") or f.get("comment")),
                created_at=as_str(f.get("Date") or f.get("date")),
                source=f"{display}:CommentsList {i}",
            )
        )
    return out


# --- Research API ---------------------------------------------------------------------------------------


def sniff_research(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if text[:1] not in "[{":
        return False
    comments = has_keys(head, "video_id", "parent_comment_id", "text")
    videos = has_keys(head, "video_description", "username", "create_time")
    return comments or videos


# a page holds comments or videos (the Research API answers one query per page)
_RESEARCH = DocStream(records=("data.comments.item", "data.videos.item"))


@reader("tiktok-research", platform="tiktok", sniff=sniff_research, extensions=(".json", ".jsonl"))
def read_research(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """TikTok Research API comments / videos (JSON pages or JSON Lines)"""
    yield from read_docs(path, ctx, parse_research_doc, stream=_RESEARCH)
    if ctx.counts["comments"]:
        ctx.note(
            "TikTok Research API comments have no author: ingested as content (text, video, time) without an actor"
        )


def parse_research_doc(doc: Any, *, where: str, display: str, start: int = 1) -> Parsed:
    """A Research API page (or one item per line) → comments (no author) and video posts.

    ``start`` numbers the first record (a streamed document comes a chunk at a time).
    """
    out = Parsed()
    items: list[Any] = []
    for d in dicts(listify(doc)):
        data = d.get("data") if isinstance(d.get("data"), dict) else None
        if data is not None:
            items.extend(listify(data.get("comments")) + listify(data.get("videos")))
        else:
            items.append(d)
    for k, item in enumerate(items, start=start):
        loc = where if len(items) == 1 else f"{where} item {k}"
        if not isinstance(item, dict) or not as_str(item.get("id")):
            out.skip(loc, "item without an id")
            continue
        source = f"{display}:{loc}"
        if "video_id" in item:
            out.counts["comments"] += 1
            video = as_str(item.get("video_id"))
            parent = as_str(item.get("parent_comment_id"))
            parent = None if parent in (None, "0", video) else parent
            out.events.append(
                reply_or(
                    "comment",
                    event_id=as_str(item["id"]),
                    actor=None,
                    target=video,
                    target_kind="video",
                    parent=parent,
                    text=as_str(item.get("text")),
                    created_at=item.get("create_time"),
                    source=source,
                )
            )
        else:
            out.events.append(
                make_event(
                    event_id=as_str(item["id"]),
                    kind="post",
                    actor=as_str(item.get("username")),
                    text=as_str(item.get("video_description")),
                    created_at=item.get("create_time"),
                    location=as_str(item.get("region_code")),
                    source=source,
                )
            )
    return out
