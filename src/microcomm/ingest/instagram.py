"""Instagram readers: "Download your information" JSON, Meta inbox threads, Graph API JSON.

``instagram-dyi``
    The account export (JSON flavour): ``followers_N.json`` (a bare list of
    ``{"string_list_data": [{"href", "value", "timestamp"}]}``), ``following.json``
    (``{"relationships_following": [...]}``, newer exports put the handle in ``title``),
    ``post_comments_N.json`` / ``reels_comments.json`` (``string_map_data`` with ``Comment``,
    ``Media Owner``, ``Time``), ``liked_posts.json`` (``likes_media_likes``) /
    ``liked_comments.json`` (``likes_comment_likes``: the comment's author in ``title``, the
    post in ``href``; one event per liked comment). Text is Meta's mojibake (each UTF-8 byte as ``\\u00XX``),
    repaired. The owner is read from ``personal_information/personal_information.json`` found
    above the file. **The export holds the comments the owner wrote, not those received.**
``meta-messages``
    Inbox threads (Instagram and Facebook Messenger): see :mod:`microcomm.ingest.meta_messages`.
``instagram-graph``
    Graph API JSON: media comments (``{"data": [{"id", "text", "timestamp", "username",
    "from", "parent_id", "replies"}]}``; the media id is read from ``paging`` URLs), media lists
    (``caption``, ``media_type``, ``permalink``), ``mentioned_comment`` / ``mentioned_media``
    and ``/tags`` results (a file whose name says ``tag`` is read as tags of the account).
    Profiles — an IG user's own fields and ``business_discovery`` of another business account
    (``username, name, biography, followers_count``) — fill the accounts table (reach for the
    influencer lists, issue 11); a ``business_discovery`` with ``media.data`` also gives its posts.
"""

from __future__ import annotations

import re
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
    json_above,
    listify,
    meta_text,
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
from microcomm.ingest.reach import graph_profiles
from microcomm.ingest.registry import reader

_DYI_KEYS = (
    "relationships_following",
    "relationships_followers",
    "likes_media_likes",
    "likes_comment_likes",
    "comments_reels_comments",
    "comments_media_comments",
)

_fix = meta_text  # Meta's mojibake repaired, then stripped (issue 9)


def _owner(path: Path) -> str | None:
    """The account holder's username from personal_information.json above ``path``."""
    doc = json_above(
        path, ("personal_information", "personal_information.json"), ("personal_information.json",)
    )
    profiles = doc.get("profile_user") if isinstance(doc, dict) else None
    for prof in dicts(listify(profiles)):
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


@reader("instagram-dyi", platform="instagram", sniff=sniff_dyi, extensions=(".json",), priority=20)
def read_dyi(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Instagram 'Download your information' JSON: followers, following, comments, likes"""
    owner = _owner(path) or ctx.owner
    if owner is None:
        ctx.note("no personal_information.json above this file and no --owner: holder unknown")
    rows = (
        event
        for doc, first in document_chunks(path, ctx, _DYI_STREAM)
        for event in _dyi_rows(doc, path, ctx, owner=owner, start=first)
    )
    yield from batched(rows, ctx.batch_size)


# the export's one list, under its key or bare; each item is one follow, like or comment
_DYI_STREAM = DocStream(records=(*(f"{k}.item" for k in _DYI_KEYS), "item"))


def _dyi_rows(
    doc: Any, path: Path, ctx: ReadContext, *, owner: str | None, start: int
) -> Iterator[Event]:
    """The events of (a chunk of) one export file; ``start`` numbers its first item."""
    if isinstance(doc, dict):
        key = next((k for k in doc if isinstance(doc[k], list)), "")
        items = doc.get(key, [])
    else:
        key = (
            "relationships_followers"
            if "follow" in path.name.lower() or _first_has(doc, "string_list_data")
            else ""
        )
        items = doc
        if _first_has(doc, "string_map_data"):
            key = "comments_media_comments"
    if key.startswith("comments"):
        ctx.note(
            "Instagram's own export holds the comments the account holder wrote, not the ones received"
        )
    for i, item in enumerate(listify(items), start=start):
        yield from ctx.take(
            parse_dyi_item(key, item, owner=owner, where=f"item {i}", display=ctx.display)
        )


def _first_has(doc: Any, key: str) -> bool:
    """The first item of a bare list export has ``key`` (which list it is)."""
    return key in next(iter(dicts(listify(doc))), {})


def parse_dyi_item(key: str, item: Any, *, owner: str | None, where: str, display: str) -> Parsed:
    """One item of the export list ``key`` (``relationships_following``, ``likes_media_likes``,
    ``comments_media_comments``…) → follow, like or comment events of the account holder.

    Examples
    --------
    >>> item = {"string_list_data": [{"value": "bo", "timestamp": 1700000000}]}
    >>> [(e["actor"], e["target"]) for e in parse_dyi_item(
    ...     "relationships_following", item, owner="ann", where="item 1", display="f").events]
    [('ann', 'bo')]
    """
    out = Parsed()
    source = f"{display}:{where}"
    if not isinstance(item, dict):
        out.skip(where, "not a JSON object")
    elif key.startswith("relationships"):
        for s in dicts(listify(item.get("string_list_data"))) or [{}]:
            handle = (
                _fix(s.get("value"))
                or _fix(item.get("title"))
                or _handle_of_url(as_str(s.get("href")))
            )
            if not handle:
                out.skip(where, "relationship without a username")
            else:
                event = owner_follow_event(
                    owner,
                    handle,
                    outgoing=key == "relationships_following",
                    created_at=s.get("timestamp"),
                    source=source,
                )
                out.events.append(event)
    elif key.startswith("likes"):
        for s in dicts(listify(item.get("string_list_data"))):
            out.events.append(_like(key, item, s, owner=owner, source=source))
    elif key.startswith("comments"):
        smd = sub(item, "string_map_data")
        text = _fix(_value(smd, "Comment"))
        media_owner = _fix(_value(smd, "Media Owner"))
        if text is None and media_owner is None:
            out.skip(where, "comment without text")
        else:
            out.events.append(
                make_event(
                    kind="comment",
                    actor=owner,
                    target=media_owner,
                    target_kind="account",
                    text=text,
                    created_at=_value(smd, "Time", "timestamp"),
                    source=source,
                )
            )
    else:
        out.skip(where, "not a known Instagram export record")
    return out


def _like(
    key: str, item: dict[str, Any], s: dict[str, Any], *, owner: str | None, source: str
) -> Event:
    """A like of a post (``likes_media_likes``) or of a comment (``likes_comment_likes``): a
    liked comment's id holds its post (``href``), author (``title``) and the like's time, so
    likes of comments under one post stay apart (issue 9); the post is the target."""
    href = as_str(s.get("href"))
    title = _fix(item.get("title"))
    target = href or title
    like_id = f"like/{owner}/{target}"
    if key == "likes_comment_likes":
        like_id += f"/comment/{title}/{as_str(s.get('timestamp'))}"
    return like_event(
        owner,
        target,
        event_id=like_id,
        source=source,
        target_kind="post" if href else "account",
        created_at=s.get("timestamp"),
    )


def _value(smd: dict[str, Any], name: str, field: str = "value") -> Any:
    entry = smd.get(name)
    return entry.get(field) if isinstance(entry, dict) else None


def _handle_of_url(url: str | None) -> str | None:
    m = re.search(r"instagram\.com/(?:_u/)?([A-Za-z0-9_.]+)", url or "")
    return m.group(1) if m else None


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
    if has_keys(head, "biography", "followers_count"):  # an IG user's profile fields
        return True
    ts = re.search(r'"timestamp"\s*:\s*"\d{4}-\d\d-\d\dT', text) is not None
    return ts and (
        has_keys(head, "text") or has_keys(head, "caption") or has_keys(head, "media_type")
    )


@reader(
    "instagram-graph", platform="instagram", sniff=sniff_graph, extensions=(".json",), priority=25
)
def read_graph(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Instagram Graph API comments, media, mentions and tags JSON"""
    tags = "tag" in path.name.lower()
    rows = (
        event
        for doc, first in document_chunks(path, ctx, _GRAPH_STREAM)
        for event in ctx.take(parse_graph_doc(doc, tags=tags, display=ctx.display, start=first))
    )
    yield from batched(rows, ctx.batch_size)
    if ctx.counts["no_username"]:
        ctx.note(
            f"{ctx.counts['no_username']} records have no username (hashtag search never gives "
            "one; elsewhere ask for the username field): skipped as 'no actor'"
        )


# a page of comments or media; its paging URLs name the media the comments are on
_GRAPH_STREAM = DocStream(records=("data.item",), keep=("paging",))


def parse_graph_doc(doc: Any, *, tags: bool, display: str, start: int = 1) -> Parsed:
    """A Graph API response → comment / reply / post (``tag`` when ``tags``) / mention events.

    ``start`` numbers the first record (a streamed document comes a chunk at a time).
    """
    out = Parsed()
    if isinstance(doc, dict) and ("mentioned_comment" in doc or "mentioned_media" in doc):
        obj = doc.get("mentioned_comment") or doc.get("mentioned_media")
        if isinstance(obj, dict):
            out.events.append(
                make_event(
                    event_id=as_str(obj.get("id")),
                    kind="mention",
                    actor=as_str(obj.get("username")),
                    target=as_str(doc.get("id")),
                    target_kind="account",
                    text=as_str(obj.get("text")) or as_str(obj.get("caption")),
                    created_at=as_str(obj.get("timestamp")),
                    source=f"{display}:document",
                )
            )
        return out
    media_id = None
    if isinstance(doc, dict) and isinstance(doc.get("paging"), dict):
        m = _MEDIA_IN_URL.search(
            str(doc["paging"].get("next") or doc["paging"].get("previous") or "")
        )
        media_id = m.group(1) if m else None
    out.accounts.extend(graph_profiles(doc))
    for i, obj in enumerate(_graph_objects(doc), start=start):
        _graph_rows(obj, out, f"record {i}", display=display, media=media_id, tags=tags)
    return out


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
    out: Parsed,
    where: str,
    *,
    display: str,
    media: str | None,
    tags: bool,
    parent: str | None = None,
) -> None:
    oid = as_str(obj.get("id"))
    if not oid:
        out.skip(where, "record without id")
        return
    frm = sub(obj, "from")
    actor = as_str(obj.get("username")) or as_str(frm.get("username")) or as_str(frm.get("id"))
    if actor is None:
        out.counts["no_username"] += 1
    source = f"{display}:{where}"
    if "caption" in obj or "media_type" in obj:
        out.events.append(
            make_event(
                event_id=oid,
                kind="tag" if tags else "post",
                actor=actor,
                text=as_str(obj.get("caption")),
                created_at=as_str(obj.get("timestamp")),
                source=source,
            )
        )
        return
    parent = as_str(obj.get("parent_id")) or parent
    target = as_str(sub(obj, "media").get("id")) or media
    out.events.append(
        reply_or(
            "comment",
            event_id=oid,
            parent=parent,
            actor=actor,
            target=target or parent,
            target_kind="post" if target else ("comment" if parent else None),
            text=as_str(obj.get("text")),
            created_at=as_str(obj.get("timestamp")),
            source=source,
        )
    )
    for j, reply in enumerate(dicts(listify(sub(obj, "replies").get("data"))), start=1):
        _graph_rows(
            reply, out, f"{where} reply {j}", display=display, media=target, tags=tags, parent=oid
        )
