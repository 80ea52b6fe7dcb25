"""Instagram readers: "Download your information" JSON, Meta inbox threads, Graph API JSON.

``instagram-dyi``
    The account export (JSON flavour): ``followers_N.json`` (a bare list of
    ``{"string_list_data": [{"href", "value", "timestamp"}]}``), ``following.json``
    (``{"relationships_following": [...]}``, newer exports put the handle in ``title``),
    ``post_comments_N.json`` / ``reels_comments.json`` (``string_map_data`` with ``Comment``,
    ``Media Owner``, ``Time``), ``liked_posts.json`` / ``liked_comments.json``
    (``likes_media_likes``). Text is Meta's mojibake (each UTF-8 byte as ``\\u00XX``),
    repaired. The owner is read from ``personal_information/personal_information.json`` found
    above the file. **The export holds the comments the owner wrote, not those received.**
``meta-messages``
    Inbox threads ``messages/inbox/<thread>/message_N.json`` (Instagram and Facebook
    Messenger): ``participants``, ``messages[{sender_name, timestamp_ms, content}]``,
    ``thread_path``. People are display names only.
``instagram-graph``
    Graph API JSON: media comments (``{"data": [{"id", "text", "timestamp", "username",
    "from", "parent_id", "replies"}]}``; the media id is read from ``paging`` URLs), media lists
    (``caption``, ``media_type``, ``permalink``), ``mentioned_comment`` / ``mentioned_media``
    and ``/tags`` results (a file whose name says ``tag`` is read as tags of the account).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import as_str, dicts, guarded, has_keys, listify, sub
from microcomm.ingest.base import (
    ReadContext,
    Reader,
    batched,
    head_text,
    load_json,
    register,
    repair_mojibake,
)

_DYI_KEYS = (
    "relationships_following",
    "relationships_followers",
    "likes_media_likes",
    "likes_comment_likes",
    "comments_reels_comments",
    "comments_media_comments",
)


def _fix(value: Any) -> str | None:
    return repair_mojibake(as_str(value))


def _owner(path: Path) -> str | None:
    """The account holder's username from personal_information.json above ``path``."""
    for folder in [path.parent, *list(path.parents)[1:5]]:
        for candidate in (
            folder / "personal_information" / "personal_information.json",
            folder / "personal_information.json",
        ):
            if candidate.is_file():
                try:
                    doc = load_json(candidate)
                except Exception:  # a broken profile file must not stop the data
                    return None
                for prof in dicts(
                    listify(doc.get("profile_user") if isinstance(doc, dict) else None)
                ):
                    smd = sub(prof, "string_map_data")
                    user = smd.get("Username") or smd.get("Nom d'utilisateur")
                    if isinstance(user, dict):
                        return _fix(user.get("value"))
    return None


def sniff_dyi(path: Path, head: bytes) -> bool:
    if any(has_keys(head, k) for k in _DYI_KEYS):
        return True
    text = head_text(head)
    return text[:1] == "[" and (
        has_keys(head, "string_list_data") or has_keys(head, "string_map_data")
    )


def read_dyi(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    doc = load_json(path)
    owner = _owner(path)
    if owner is None:
        ctx.note(
            "no personal_information.json found above this file: the account holder is unknown"
        )
    if isinstance(doc, dict):
        key = next((k for k in doc if isinstance(doc[k], list)), "")
        items = doc.get(key, [])
    else:
        key = (
            "relationships_followers"
            if "follow" in path.name.lower() or _looks_like_list(doc)
            else ""
        )
        items = doc
        if _looks_like_comments(doc):
            key = "comments_media_comments"
    yield from batched(_dyi_rows(key, listify(items), owner, ctx), ctx.batch_size)


def _looks_like_list(doc: Any) -> bool:
    first = next(iter(dicts(listify(doc))), {})
    return "string_list_data" in first


def _looks_like_comments(doc: Any) -> bool:
    first = next(iter(dicts(listify(doc))), {})
    return "string_map_data" in first


def _dyi_rows(
    key: str, items: list[Any], owner: str | None, ctx: ReadContext
) -> Iterator[dict[str, Any]]:
    if key.startswith("comments"):
        ctx.note(
            "Instagram's own export holds the comments the account holder wrote, not the ones received"
        )
    for i, item in enumerate(items, start=1):
        loc = f"item {i}"
        if not isinstance(item, dict):
            ctx.skip(loc, "not a JSON object")
            continue
        source = f"{ctx.display}:{loc}"
        if key.startswith("relationships"):
            for s in dicts(listify(item.get("string_list_data"))) or [{}]:
                handle = (
                    _fix(s.get("value"))
                    or _fix(item.get("title"))
                    or _handle_of_url(as_str(s.get("href")))
                )
                if not handle:
                    ctx.skip(loc, "relationship without a username")
                    continue
                if key == "relationships_following":
                    yield {
                        "event_id": f"following/{owner}/{handle}",
                        "kind": "follow",
                        "actor": owner,
                        "target": handle,
                        "target_kind": "account",
                        "created_at": s.get("timestamp"),
                        "source": source,
                    }
                else:
                    yield {
                        "event_id": f"follower/{handle}/{owner}",
                        "kind": "follow",
                        "actor": handle,
                        "target": owner,
                        "target_kind": "account",
                        "created_at": s.get("timestamp"),
                        "source": source,
                    }
        elif key.startswith("likes"):
            for s in dicts(listify(item.get("string_list_data"))):
                href = as_str(s.get("href"))
                liked_owner = _fix(item.get("title"))
                target = href or liked_owner
                yield {
                    "event_id": f"like/{owner}/{target}",
                    "kind": "like",
                    "actor": owner,
                    "target": target,
                    "target_kind": "post" if href else "account",
                    "created_at": s.get("timestamp"),
                    "source": source,
                }
        elif key.startswith("comments"):
            smd = sub(item, "string_map_data")
            text = _fix(_value(smd, "Comment"))
            media_owner = _fix(_value(smd, "Media Owner"))
            when = _value(smd, "Time", "timestamp")
            if text is None and media_owner is None:
                ctx.skip(loc, "comment without text")
                continue
            yield {
                "kind": "comment",
                "actor": owner,
                "target": media_owner,
                "target_kind": "account",
                "text": text,
                "created_at": when,
                "source": source,
            }
        else:
            ctx.skip(loc, "not a known Instagram export record")


def _value(smd: dict[str, Any], name: str, field: str = "value") -> Any:
    entry = smd.get(name)
    return entry.get(field) if isinstance(entry, dict) else None


def _handle_of_url(url: str | None) -> str | None:
    m = re.search(r"instagram\.com/(?:_u/)?([A-Za-z0-9_.]+)", url or "")
    return m.group(1) if m else None


# --- inbox threads (Instagram and Messenger) ---------------------------------------------------


def sniff_messages(path: Path, head: bytes) -> bool:
    return (
        head_text(head)[:1] == "{"
        and has_keys(head, "participants", "messages")
        and has_keys(head, "sender_name")
    )


def read_messages(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    doc = load_json(path)
    if not isinstance(doc, dict):
        ctx.skip("document", "not an inbox thread object")
        return
    lowered = str(path).lower()
    platform = "facebook" if ("messenger" in lowered or "facebook" in lowered) else "instagram"
    thread = as_str(doc.get("thread_path")) or path.parent.name
    ctx.note("inbox threads name people by display name only, not by handle")

    def rows() -> Iterator[dict[str, Any]]:
        for i, msg in enumerate(listify(doc.get("messages")), start=1):
            loc = f"message {i}"
            if not isinstance(msg, dict) or not msg.get("sender_name"):
                ctx.skip(loc, "message without a sender")
                continue
            sender = _fix(msg.get("sender_name"))
            yield {
                "platform": platform,
                "kind": "dm",
                "actor": sender,
                "actor_name": sender,
                "target": thread,
                "target_kind": "conversation",
                "text": _fix(msg.get("content")),
                "created_at": msg.get("timestamp_ms"),
                "source": f"{ctx.display}:{loc}",
            }

    yield from batched(rows(), ctx.batch_size)


# --- Graph API ------------------------------------------------------------------------------------

_MEDIA_IN_URL = re.compile(r"graph\.facebook\.com/v[\d.]+/(\d+)/comments")


def sniff_graph(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if text[:1] not in "[{" or has_keys(head, "created_time"):
        return False
    if has_keys(head, "mentioned_comment") or has_keys(head, "mentioned_media"):
        return True
    if has_keys(head, "business_discovery") or has_keys(head, "caption", "media_type"):
        return True
    ts = re.search(r'"timestamp"\s*:\s*"\d{4}-\d\d-\d\dT', text) is not None
    return ts and (
        has_keys(head, "text") or has_keys(head, "caption") or has_keys(head, "media_type")
    )


def read_graph(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    doc = load_json(path)
    tags = "tag" in path.name.lower()
    media_id = None
    if isinstance(doc, dict) and isinstance(doc.get("paging"), dict):
        m = _MEDIA_IN_URL.search(
            str(doc["paging"].get("next") or doc["paging"].get("previous") or "")
        )
        media_id = m.group(1) if m else None

    def rows() -> Iterator[dict[str, Any]]:
        if isinstance(doc, dict) and ("mentioned_comment" in doc or "mentioned_media" in doc):
            account = as_str(doc.get("id"))
            obj = doc.get("mentioned_comment") or doc.get("mentioned_media")
            if isinstance(obj, dict):
                yield {
                    "event_id": as_str(obj.get("id")),
                    "kind": "mention",
                    "actor": as_str(obj.get("username")),
                    "target": account,
                    "target_kind": "account",
                    "text": as_str(obj.get("text")) or as_str(obj.get("caption")),
                    "created_at": as_str(obj.get("timestamp")),
                    "source": f"{ctx.display}:document",
                }
            return
        for i, obj in enumerate(_graph_objects(doc), start=1):
            yield from _graph_rows(obj, ctx, f"record {i}", media=media_id, tags=tags)

    yield from batched(rows(), ctx.batch_size)


def _graph_objects(doc: Any) -> Iterator[dict[str, Any]]:
    for d in dicts(listify(doc)):
        bd = d.get("business_discovery")
        if isinstance(bd, dict):
            # business discovery: another account's media, nested under media.data
            media = sub(bd, "media")
            for m in dicts(listify(media.get("data"))):
                yield {"username": bd.get("username"), **m}
        elif isinstance(d.get("data"), list):
            yield from dicts(d["data"])
        elif "id" in d and ("text" in d or "caption" in d or "timestamp" in d):
            yield d
        else:  # ?ids= map
            yield from dicts(v for v in d.values() if isinstance(v, dict) and "id" in v)


def _graph_rows(
    obj: dict[str, Any],
    ctx: ReadContext,
    loc: str,
    *,
    media: str | None,
    tags: bool,
    parent: str | None = None,
) -> Iterator[dict[str, Any]]:
    oid = as_str(obj.get("id"))
    if not oid:
        ctx.skip(loc, "record without id")
        return
    frm = sub(obj, "from")
    actor = as_str(obj.get("username")) or as_str(frm.get("username")) or as_str(frm.get("id"))
    source = f"{ctx.display}:{loc}"
    if "caption" in obj or "media_type" in obj:
        yield {
            "event_id": oid,
            "kind": "tag" if tags else "post",
            "actor": actor,
            "text": as_str(obj.get("caption")),
            "created_at": as_str(obj.get("timestamp")),
            "source": source,
        }
        return
    parent = as_str(obj.get("parent_id")) or parent
    media_obj = sub(obj, "media")
    target = as_str(media_obj.get("id")) or media
    yield {
        "event_id": oid,
        "kind": "reply" if parent else "comment",
        "actor": actor,
        "target": target or parent,
        "target_kind": "post" if target else ("comment" if parent else None),
        "parent": parent,
        "text": as_str(obj.get("text")),
        "created_at": as_str(obj.get("timestamp")),
        "source": source,
    }
    replies = sub(obj, "replies")
    for j, reply in enumerate(dicts(listify(replies.get("data"))), start=1):
        yield from _graph_rows(reply, ctx, f"{loc} reply {j}", media=target, tags=tags, parent=oid)


INSTAGRAM_DYI = register(
    Reader(
        name="instagram-dyi",
        platform="instagram",
        description="Instagram 'Download your information' JSON: followers, following, comments, likes",
        sniff=sniff_dyi,
        read=guarded(read_dyi),
        extensions=(".json",),
        priority=20,
    )
)
META_MESSAGES = register(
    Reader(
        name="meta-messages",
        platform="instagram",
        description="Instagram / Facebook Messenger inbox threads (messages/inbox/*/message_N.json)",
        sniff=sniff_messages,
        read=guarded(read_messages),
        extensions=(".json",),
        priority=20,
    )
)
INSTAGRAM_GRAPH = register(
    Reader(
        name="instagram-graph",
        platform="instagram",
        description="Instagram Graph API comments, media, mentions and tags JSON",
        sniff=sniff_graph,
        read=guarded(read_graph),
        extensions=(".json",),
        priority=25,
    )
)
