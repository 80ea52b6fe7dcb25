"""Facebook readers: Graph API posts / comments JSON and "Download your information" JSON.

``facebook-graph``
    Graph API responses: ``{"data": [...], "paging": {...}}`` pages, single objects, or the
    ``?ids=`` form (an object keyed by id). Comments have ``message``, ``created_time``
    (``2021-08-10T18:45:03+0000``: no colon in the offset), ``permalink_url``
    (``/<page>/posts/<post>/?comment_id=…&reply_comment_id=…``), sometimes ``parent`` and
    ``from{id, name}``. Current permissions usually leave ``from`` out: such comments are
    ingested as content without an actor (and the coverage note says so). Posts (feeds) have
    ``id`` = ``<page>_<post>``, ``message``/``story`` and ``created_time``; they target the page.
``facebook-dyi``
    "Download your information" JSON: ``comments.json`` / ``your_comments.json``
    (``{"comments_v2": [{"timestamp", "title", "data": [{"comment": {"comment", "author",
    "timestamp"}}]}]}``) and ``your_posts_N.json`` (``[{"timestamp", "title", "data":
    [{"post": …}]}]``). Text is Meta's UTF-8-as-``\\u00XX`` mojibake, repaired here. The export
    names people by display name only, and what was commented on only in an English/localised
    ``title``: these comments carry no target.
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


def read_graph(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    doc = load_json(path)
    no_author = [0]

    def rows() -> Iterator[dict[str, Any]]:
        for i, obj in enumerate(_objects(doc), start=1):
            loc = f"record {i}"
            frm = sub(obj, "from")
            actor = as_str(frm.get("id"))
            if actor is None:
                no_author[0] += 1
            base = {
                "actor": actor,
                "actor_name": as_str(frm.get("name")),
                "text": as_str(obj.get("message")) or as_str(obj.get("story")),
                "created_at": as_str(obj.get("created_time")),
                "source": f"{ctx.display}:{loc}",
            }
            link = _PERMALINK.search(as_str(obj.get("permalink_url")) or "")
            oid = as_str(obj.get("id"))
            is_comment = link is not None or any(
                k in obj for k in ("parent", "comment_count", "like_count")
            )
            if is_comment:
                parent_obj = sub(obj, "parent")
                post = f"{link.group(1)}_{link.group(2)}" if link else None
                parent = as_str(parent_obj.get("id"))
                if link and link.group(4):
                    oid = oid or f"{link.group(2)}_{link.group(4)}"
                    parent = parent or f"{link.group(2)}_{link.group(3)}"
                elif link:
                    oid = oid or f"{link.group(2)}_{link.group(3)}"
                if not oid:
                    ctx.skip(loc, "comment without id or permalink")
                    continue
                if post is None and "_" in oid:
                    post = oid.split("_", 1)[0]  # comment ids are <post>_<comment>
                yield {
                    **base,
                    "event_id": oid,
                    "kind": "reply" if parent else "comment",
                    "target": post,
                    "target_kind": "post",
                    "parent": parent,
                }
            else:
                if not oid:
                    ctx.skip(loc, "post without id")
                    continue
                page = oid.split("_", 1)[0] if "_" in oid else None
                yield {
                    **base,
                    "event_id": oid,
                    "kind": "post",
                    "target": page,
                    "target_kind": "page",
                }

    yield from batched(rows(), ctx.batch_size)
    if no_author[0]:
        ctx.note(
            f"{no_author[0]} records have no 'from' (Graph API permissions): kept as content without an actor"
        )


# --- Download your information ------------------------------------------------------------------


def sniff_dyi(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if has_keys(head, "comments_v2") or has_keys(head, "group_posts_v2"):
        return True
    return text[:1] == "[" and has_keys(head, "timestamp", "data") and has_keys(head, "post")


def read_dyi(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    doc = load_json(path)
    if isinstance(doc, dict):
        items: Any = next(
            (v for k, v in doc.items() if k in ("comments_v2", "comments", "group_posts_v2")), []
        )
    else:
        items = doc
    ctx.note(
        "Facebook's own export holds what the owner wrote, names people by display name, "
        "and does not say which post a comment is on"
    )

    def rows() -> Iterator[dict[str, Any]]:
        for i, item in enumerate(listify(items), start=1):
            loc = f"item {i}"
            if not isinstance(item, dict):
                ctx.skip(loc, "not a JSON object")
                continue
            for d in dicts(listify(item.get("data"))):
                comment = d.get("comment")
                if isinstance(comment, dict):
                    author = repair_mojibake(as_str(comment.get("author")))
                    text = repair_mojibake(as_str(comment.get("comment")))
                    ts = comment.get("timestamp", item.get("timestamp"))
                    yield {
                        "kind": "comment",
                        "actor": author,
                        "actor_name": author,
                        "text": text,
                        "created_at": ts,
                        "source": f"{ctx.display}:{loc}",
                    }
                elif "post" in d:
                    text = repair_mojibake(as_str(d.get("post")))
                    yield {
                        "kind": "post",
                        "text": text,
                        "created_at": item.get("timestamp"),
                        "source": f"{ctx.display}:{loc}",
                    }

    yield from batched(rows(), ctx.batch_size)


FACEBOOK_GRAPH = register(
    Reader(
        name="facebook-graph",
        platform="facebook",
        description="Facebook Graph API posts / comments JSON (pages, single objects, ?ids= maps)",
        sniff=sniff_graph,
        read=guarded(read_graph),
        extensions=(".json",),
        priority=20,
    )
)
FACEBOOK_DYI = register(
    Reader(
        name="facebook-dyi",
        platform="facebook",
        description="Facebook 'Download your information' comments and posts JSON",
        sniff=sniff_dyi,
        read=guarded(read_dyi),
        extensions=(".json",),
        priority=20,
    )
)
