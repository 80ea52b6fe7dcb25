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

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.errors import InputError
from microcomm.ingest._common import (
    DocStream,
    as_str,
    dicts,
    has_keys,
    listify,
    read_docs,
    sub,
)
from microcomm.ingest.base import ReadContext, head_text
from microcomm.ingest.events import Event, Parsed, make_event, mention_events, share_event
from microcomm.ingest.registry import reader
from microcomm.ingest.tabular import csv_batches

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


def parse_bluesky_doc(doc: Any, *, where: str, display: str, start: int = 1) -> Parsed:
    """One response (or JSON line) of post views → events and the authors' account rows.

    ``start`` numbers the first record (a streamed document comes a chunk at a time).

    Examples
    --------
    >>> view = {"uri": "at://d/app.bsky.feed.post/1", "author": {"handle": "ann.bsky.social"},
    ...         "record": {"text": "hi", "createdAt": "2024-01-01T00:00:00Z"}}
    >>> [(e["kind"], e["actor"]) for e in parse_bluesky_doc({"posts": [view]}, where="document", display="f").events]
    [('post', 'ann.bsky.social')]
    """
    out = Parsed()
    profiles: dict[str, dict[str, Any]] = {}
    for k, (view, reason) in enumerate(_post_views(doc), start=start):
        loc = f"{where} post {k}"
        author = view.get("author")
        record = view.get("record")
        uri = as_str(view.get("uri"))
        if not uri or not isinstance(author, dict) or not isinstance(record, dict):
            out.skip(loc, "post view without uri, author or record")
            continue
        handle = as_str(author.get("handle")) or as_str(author.get("did"))
        if handle:
            followers = author.get("followersCount")  # profile views carry reach (issue 11)
            profiles[handle] = {
                "actor": handle,
                "platform": "bluesky",
                "name": as_str(author.get("displayName")),
                "bio": as_str(author.get("description")),
                "followers": followers if isinstance(followers, int) else None,
                # verificationState (2025): a trusted verifier's record makes it "valid"
                "verified": {"valid": True, "invalid": False, "none": False}.get(
                    str(sub(author, "verification").get("verifiedStatus"))
                ),
            }
        source = f"{display}:{loc}"
        if reason is not None and "Repost" in str(reason.get("$type", "")):
            by = sub(reason, "by")
            reposter = as_str(by.get("handle")) or as_str(by.get("did"))
            repost = share_event(
                reposter,
                uri,
                event_id=f"repost/{reposter}/{uri}",
                source=source,
                actor_name=as_str(by.get("displayName")),
                created_at=as_str(reason.get("indexedAt")),
            )
            out.events.append(repost)
        out.events.extend(_post_events(uri, handle, author, record, source=source))
    out.accounts.extend(profiles.values())
    return out


@reader("bluesky-posts", platform="bluesky", sniff=sniff_bluesky, extensions=(".json", ".jsonl"))
def read_bluesky(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Bluesky post views: searchPosts, author feeds, timelines, threads (JSON or JSON Lines)"""
    yield from read_docs(
        path, ctx, parse_bluesky_doc, stream=DocStream(records=("posts.item", "feed.item"))
    )


def _post_events(
    uri: str, handle: str | None, author: dict[str, Any], record: dict[str, Any], *, source: str
) -> Iterator[Event]:
    text = as_str(record.get("text"))
    created = as_str(record.get("createdAt"))
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else None
    embed = sub(record, "embed")
    quoted = None
    etype = str(embed.get("$type", ""))
    if etype == "app.bsky.embed.record" and isinstance(embed.get("record"), dict):
        quoted = as_str(embed["record"].get("uri"))
    elif etype == "app.bsky.embed.recordWithMedia" and isinstance(embed.get("record"), dict):
        inner = embed["record"].get("record")
        quoted = as_str(inner.get("uri")) if isinstance(inner, dict) else None
    kind, target, target_kind, parent_uri = "post", None, None, None
    if reply is not None:
        parent_uri = as_str(sub(reply, "parent").get("uri"))
        kind, target_kind = "reply", "thread"
        target = as_str(sub(reply, "root").get("uri")) or parent_uri
    elif quoted:
        kind, target, target_kind = "share", quoted, "post"
    post = make_event(
        event_id=uri,
        kind=kind,
        actor=handle,
        actor_name=as_str(author.get("displayName")),
        target=target,
        target_kind=target_kind,
        parent=parent_uri,
        text=text,
        created_at=created,
        source=source,
    )
    yield post
    raw = (text or "").encode("utf-8")
    targets = (
        _mention_handle(raw, sub(facet, "index")) or as_str(feature.get("did"))
        for facet in dicts(listify(record.get("facets")))
        for feature in dicts(listify(facet.get("features")))
        if feature.get("$type") == _MENTION
    )
    yield from mention_events(targets, post=post, sep="#")


def _mention_handle(raw: bytes, index: dict[str, Any]) -> str | None:
    """The ``@handle`` a mention facet covers (byte offsets into the UTF-8 text)."""
    start, end = index.get("byteStart"), index.get("byteEnd")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(raw):
        return None
    piece = raw[start:end].decode("utf-8", errors="ignore").strip()
    return piece[1:] if piece.startswith("@") and len(piece) > 1 else None


# --- follower / follow lists (getFollowers / getFollows as CSV) ---------------------------------

_FOLLOW_HEADER = ("did", "handle", "display_name", "created_at")
METADATA = "collection_metadata.json"


def sniff_bluesky_follows(path: Path, head: bytes) -> bool:
    first = head_text(head).split("\n", 1)[0].strip().lower()
    cols = tuple(c.strip() for c in first.split(","))
    return cols[:4] == _FOLLOW_HEADER and "follow" in path.name.lower()


def follows_owner(path: Path, given: str | None, display: str) -> str:
    """The account a follower / follow list is about: ``--owner``, else the ``account`` of the
    collection's metadata file next to it."""
    if given:
        return given.strip().lstrip("@").lower()
    meta = path.parent / METADATA
    if meta.is_file():
        try:
            account = json.loads(meta.read_text(encoding="utf-8")).get("account") or {}
        except (OSError, ValueError, AttributeError):
            account = {}
        handle = account.get("handle") if isinstance(account, dict) else None
        if isinstance(handle, str) and handle.strip():
            return handle.strip().lower()
    raise InputError(
        f"{display}: a Bluesky follower/follow list, but whose? (no {METADATA} with an "
        "account handle next to it)",
        hint="say whose with --owner HANDLE",
    )


@reader(
    "bluesky-follows",
    platform="bluesky",
    sniff=sniff_bluesky_follows,
    extensions=(".csv",),
    note="a follower/follow list has no date of the follow (its created_at is the account's): "
    "follows are stored undated",
)
def read_bluesky_follows(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Bluesky follower / follow lists (did,handle,display_name,created_at CSV of getFollowers
    or getFollows): follows of the account the folder is about"""
    owner = follows_owner(path, ctx.owner, ctx.display)
    outgoing = "followers" not in path.name.lower()  # follows.csv: the owner follows them
    for raw in csv_batches(path, ctx, separator=","):
        other = pl.coalesce(pl.col("handle").str.strip_chars(), pl.col("did").str.strip_chars())
        other = pl.when(other.str.len_chars() > 0).then(other.str.to_lowercase())
        me = pl.lit(owner, pl.String)
        actor, target = (me, other) if outgoing else (other, me)
        prefix = "following" if outgoing else "follower"
        frame = raw.with_row_index("_row", offset=2).select(
            pl.concat_str([pl.lit(prefix + "/"), actor, pl.lit("/"), target]).alias("event_id"),
            pl.lit("follow").alias("kind"),
            actor.alias("actor"),
            target.alias("target"),
            pl.lit("account").alias("target_kind"),
            pl.lit(None, pl.String).alias("text"),
            pl.lit(None, pl.String).alias("created_at"),
            (pl.col("display_name") if not outgoing else pl.lit(None, pl.String)).alias(
                "actor_name"
            ),
            pl.concat_str([pl.lit(f"{ctx.display}:line "), pl.col("_row").cast(pl.String)]).alias(
                "source"
            ),
        )
        empty = frame["actor"].is_null() | frame["target"].is_null()
        if empty.any():
            where = str(frame.filter(empty)["source"][0]).rsplit(":", 1)[-1]
            ctx.skip(where, "no did or handle", int(empty.sum()))
        yield frame.filter(~empty)
