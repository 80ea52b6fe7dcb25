"""Facebook readers: Graph API posts / comments JSON and "Download your information" JSON.

``facebook-graph``
    Graph API responses: ``{"data": [...], "paging": {...}}`` pages, single objects, or the
    ``?ids=`` form (an object keyed by id). Comments have ``message``, ``created_time``
    (``2021-08-10T18:45:03+0000``: no colon in the offset), ``permalink_url``
    (``/<page>/posts/<post>/?comment_id=…&reply_comment_id=…``), sometimes ``parent`` and
    ``from{id, name}``. Current permissions usually leave ``from`` out: such comments are
    skipped as "no actor" (and the coverage note says why). Posts (feeds) have
    ``id`` = ``<page>_<post>``, ``message``/``story`` and ``created_time``; they target the page.
``facebook-dyi``
    "Download your information" JSON: ``comments.json`` / ``your_comments.json``
    (``{"comments_v2": [{"timestamp", "title", "data": [{"comment": {"comment", "author",
    "timestamp"}}]}]}``) and ``your_posts_N.json`` (``[{"timestamp", "title", "data":
    [{"post": …}]}]``). Text is Meta's UTF-8-as-``\\u00XX`` mojibake, repaired here. The export
    names people by display name only, and what was commented on only in an English/localised
    ``title``: these comments carry no target. Posts name no author: they are the owner's,
    whose name is read from ``profile_information.json`` found above the file (else
    ``--owner``).
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
from microcomm.ingest.events import Parsed, make_event, reply_or
from microcomm.ingest.registry import reader

_PERMALINK = re.compile(
    r"facebook\.com/(\d+)/posts/(\d+)/?\?comment_id=(\d+)(?:&reply_comment_id=(\d+))?"
)


def sniff_graph(path: Path, head: bytes) -> bool:
    text = head_text(head)
    return (
        text[:1] in "[{"
        and has_keys(head, "created_time")
        and (has_keys(head, "message") or has_keys(head, "story") or has_keys(head, "from"))
        and not has_keys(head, "participants")
    )


def _objects(doc: Any) -> Iterator[dict[str, Any]]:
    for d in dicts(listify(doc)):
        if isinstance(d.get("data"), list):
            yield from dicts(d["data"])
        elif "created_time" in d or ("id" in d and ("message" in d or "story" in d)):
            yield d
        else:  # ?ids=a,b → {"a": {...}, "b": {...}}
            yield from dicts(v for v in d.values() if isinstance(v, dict) and "id" in v)


@reader(
    "facebook-graph", platform="facebook", sniff=sniff_graph, extensions=(".json",), priority=20
)
def read_graph(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Facebook Graph API posts / comments JSON (pages, single objects, ?ids= maps)"""
    rows = (
        event
        for doc, first in document_chunks(path, ctx, DocStream(records=("data.item",)))
        for event in ctx.take(parse_graph_doc(doc, display=ctx.display, start=first))
    )
    yield from batched(rows, ctx.batch_size)
    if ctx.counts["no_author"]:
        ctx.note(
            f"{ctx.counts['no_author']} records have no 'from' (Graph API permissions): skipped, as no stage can use a row without an actor"
        )


def parse_graph_doc(doc: Any, *, display: str, start: int = 1) -> Parsed:
    """A Graph API response → post events (targeting the page) and comment / reply events.

    ``start`` numbers the first record (a streamed document comes a chunk at a time).

    Examples
    --------
    >>> doc = {"data": [{"id": "1_2", "message": "hi", "created_time": "2021-08-10T18:45:03+0000",
    ...                  "from": {"id": "7", "name": "Ann"}}]}
    >>> [(e["kind"], e["actor"], e["target"]) for e in parse_graph_doc(doc, display="f").events]
    [('post', '7', '1')]
    """
    out = Parsed()
    for i, obj in enumerate(_objects(doc), start=start):
        where = f"record {i}"
        frm = sub(obj, "from")
        actor = as_str(frm.get("id"))
        if actor is None:
            out.counts["no_author"] += 1
        common: dict[str, Any] = {
            "actor": actor,
            "actor_name": as_str(frm.get("name")),
            "text": as_str(obj.get("message")) or as_str(obj.get("story")),
            "created_at": as_str(obj.get("created_time")),
            "source": f"{display}:{where}",
        }
        link = _PERMALINK.search(as_str(obj.get("permalink_url")) or "")
        oid = as_str(obj.get("id"))
        if link is None and not any(k in obj for k in ("parent", "comment_count", "like_count")):
            if not oid:
                out.skip(where, "post without id")
                continue
            page = oid.split("_", 1)[0] if "_" in oid else None
            out.events.append(
                make_event(event_id=oid, kind="post", target=page, target_kind="page", **common)
            )
            continue
        post = f"{link.group(1)}_{link.group(2)}" if link else None
        parent = as_str(sub(obj, "parent").get("id"))
        if link and link.group(4):
            oid = oid or f"{link.group(2)}_{link.group(4)}"
            parent = parent or f"{link.group(2)}_{link.group(3)}"
        elif link:
            oid = oid or f"{link.group(2)}_{link.group(3)}"
        if not oid:
            out.skip(where, "comment without id or permalink")
            continue
        if post is None and "_" in oid:
            post = oid.split("_", 1)[0]  # comment ids are <post>_<comment>
        out.events.append(
            reply_or(
                "comment",
                event_id=oid,
                parent=parent,
                target=post,
                target_kind="post",
                **common,
            )
        )
    return out


# --- Download your information ------------------------------------------------------------------


def sniff_dyi(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if has_keys(head, "comments_v2") or has_keys(head, "group_posts_v2"):
        return True
    return text[:1] == "[" and has_keys(head, "timestamp", "data") and has_keys(head, "post")


# the export's one list: comments (one key or another by version) or a bare list of posts
_DYI_STREAM = DocStream(
    records=("comments_v2.item", "comments.item", "group_posts_v2.item", "item")
)


_PROFILE = (
    ("profile_information", "profile_information.json"),
    ("personal_information", "profile_information", "profile_information.json"),
    ("profile_information.json",),
)


def _owner(path: Path) -> str | None:
    """The owner's name (as the export writes it on their comments) from the export's
    ``profile_information.json`` (``profile_v2.name.full_name``) above ``path``."""
    doc = json_above(path, *_PROFILE)
    profile = sub(doc, "profile_v2") or sub(doc, "profile")
    return meta_text(sub(profile, "name").get("full_name"))


@reader("facebook-dyi", platform="facebook", sniff=sniff_dyi, extensions=(".json",), priority=20)
def read_dyi(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Facebook 'Download your information' comments and posts JSON"""
    ctx.note(
        "Facebook's own export holds what the owner wrote, names people by display name, "
        "and does not say which post a comment is on"
    )
    owner = _owner(path) or ctx.owner
    rows = (
        event
        for doc, first in document_chunks(path, ctx, _DYI_STREAM)
        for event in ctx.take(parse_dyi_doc(doc, display=ctx.display, start=first, owner=owner))
    )
    yield from batched(rows, ctx.batch_size)
    if ctx.counts["ownerless_posts"]:
        ctx.note(
            "no profile_information.json above this file and no --owner: the owner's "
            f"{ctx.counts['ownerless_posts']} posts have no actor and are skipped"
        )


def parse_dyi_doc(doc: Any, *, display: str, start: int = 1, owner: str | None = None) -> Parsed:
    """``comments.json`` / ``your_posts_N.json`` → comment and post events (mojibake repaired).

    ``start`` numbers the first record (a streamed document comes a chunk at a time); posts
    are ``owner``'s (None when unknown: they are then skipped as "no actor").
    """
    out = Parsed()
    if isinstance(doc, dict):
        items: Any = next(
            (v for k, v in doc.items() if k in ("comments_v2", "comments", "group_posts_v2")), []
        )
    else:
        items = doc
    for i, item in enumerate(listify(items), start=start):
        where = f"item {i}"
        if not isinstance(item, dict):
            out.skip(where, "not a JSON object")
            continue
        for d in dicts(listify(item.get("data"))):
            comment = d.get("comment")
            if isinstance(comment, dict):
                author = meta_text(comment.get("author"))
                out.events.append(
                    make_event(
                        kind="comment",
                        actor=author,
                        actor_name=author,
                        text=meta_text(comment.get("comment")),
                        created_at=comment.get("timestamp", item.get("timestamp")),
                        source=f"{display}:{where}",
                    )
                )
            elif "post" in d:
                if owner is None:
                    out.counts["ownerless_posts"] += 1
                out.events.append(
                    make_event(
                        kind="post",
                        actor=owner,
                        actor_name=owner,
                        text=meta_text(d.get("post")),
                        created_at=item.get("timestamp"),
                        source=f"{display}:{where}",
                    )
                )
    return out
