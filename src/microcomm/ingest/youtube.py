"""YouTube readers: Data API v3 comment JSON and youtube-comment-downloader JSON Lines.

``youtube-api``
    ``commentThreads.list`` (``youtube#commentThreadListResponse``: ``items[].snippet.
    topLevelComment`` plus ``items[].replies.comments[]``), ``comments.list``
    (``youtube#commentListResponse``, replies carry ``snippet.parentId``), single
    ``youtube#commentThread`` / ``youtube#comment`` objects; one response per file or one per
    line. ``textDisplay`` is HTML; ``textOriginal`` (plain) is preferred when present.
    ``channels.list`` (``youtube#channelListResponse``, ``part=snippet,statistics``) fills the
    accounts table: ``statistics.subscriberCount`` (a string; absent or ignored when
    ``hiddenSubscriberCount``) is the channel's reach, ``snippet.description`` its bio. Comment
    authors carry no counts: a comments file alone gives no reach.
``youtube-comment-downloader``
    JSON Lines written by ``youtube-comment-downloader`` (``cid, text, time, author, channel,
    votes, replies, heart, reply``). ``time`` is relative ("2 weeks ago", "1 year ago
    (edited)"): ``time_parsed`` (epoch) is used when present, otherwise the time is resolved
    against the file's modification time, so it is only as exact as its unit. ``votes`` are
    display strings ("1.2K"). Replies have a ``cid`` of ``<parent>.<reply>``. The video id is
    not in the file: it is taken from the file name when that looks like a video id.

Actors are channel ids (``UC…``): display names are not unique and handles are not in older
data; the display name goes to ``actor_name``. Comments and replies target their video.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import (
    DocStream,
    as_str,
    dicts,
    has_keys,
    json_docs,
    listify,
    read_docs,
    strip_html,
    sub,
)
from microcomm.ingest.base import ReadContext, batched, head_text
from microcomm.ingest.events import Event, Parsed, reply_or
from microcomm.ingest.reach import channel_account
from microcomm.ingest.registry import reader

# the resource kinds a comments response can hold (commentThreads.list, comments.list)
_KINDS = tuple(
    f'"youtube#{k}"'
    for k in (
        "commentThreadListResponse",
        "commentListResponse",
        "commentThread",
        "comment",
        "channelListResponse",
        "channel",
    )
)


def sniff_api(path: Path, head: bytes) -> bool:
    text = head_text(head)
    return text[:1] in "[{" and any(k in text for k in _KINDS)


def parse_api_doc(doc: Any, *, where: str, display: str, start: int = 1) -> Parsed:
    """A Data API response (or one resource) → one event per comment and reply.

    Examples
    --------
    >>> c = {"kind": "youtube#comment", "id": "c1", "snippet": {"videoId": "v1",
    ...      "authorChannelId": {"value": "UCa"}, "textOriginal": "hi"}}
    >>> [(e["kind"], e["actor"], e["target"]) for e in parse_api_doc({"items": [c]}, where="document", display="f").events]
    [('comment', 'UCa', 'v1')]
    """
    out = Parsed()
    for k, item in enumerate(_items(doc), start=start):
        loc = f"{where} item {k}"
        kind = item.get("kind")
        if kind == "youtube#commentThread":
            snippet = sub(item, "snippet")
            video = as_str(snippet.get("videoId"))
            top = snippet.get("topLevelComment")
            comments = [top] if isinstance(top, dict) else []
            comments.extend(dicts(listify(sub(item, "replies").get("comments"))))
            for comment in comments:
                _comment_event(comment, out, loc, display=display, video=video)
        elif kind == "youtube#comment":
            _comment_event(item, out, loc, display=display, video=None)
        elif kind == "youtube#channel" and as_str(item.get("id")):
            out.accounts.append(channel_account(item))
        else:
            out.skip(loc, f"not a comment or comment thread ({kind!r})")
    return out


@reader("youtube-api", platform="youtube", sniff=sniff_api, extensions=(".json", ".jsonl"))
def read_api(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """YouTube Data API v3 commentThreads / comments JSON"""
    yield from read_docs(path, ctx, parse_api_doc, stream=DocStream(records=("items.item",)))


def _items(doc: Any) -> Iterator[dict[str, Any]]:
    for d in dicts(listify(doc)):
        if "items" in d:
            yield from dicts(listify(d.get("items")))
        else:
            yield d


def _comment_event(
    c: dict[str, Any], out: Parsed, where: str, *, display: str, video: str | None
) -> None:
    cid = as_str(c.get("id"))
    s = c.get("snippet")
    if not cid or not isinstance(s, dict):
        out.skip(where, "comment without id or snippet")
        return
    channel = s.get("authorChannelId")
    out.events.append(
        comment_event(
            cid,
            actor=as_str(channel.get("value")) if isinstance(channel, dict) else as_str(channel),
            actor_name=as_str(s.get("authorDisplayName")),
            video=as_str(s.get("videoId")) or video,
            parent=as_str(s.get("parentId")),
            text=as_str(s.get("textOriginal")) or strip_html(as_str(s.get("textDisplay"))),
            created_at=as_str(s.get("publishedAt")),
            source=f"{display}:{where} {cid}",
        )
    )


def comment_event(
    cid: str,
    *,
    actor: str | None,
    actor_name: str | None,
    video: str | None,
    parent: str | None,
    text: str | None,
    created_at: Any,
    source: str,
) -> Event:
    """A comment on ``video``, or a reply to ``parent`` (on the video when it is known)."""
    return reply_or(
        "comment",
        event_id=cid,
        parent=parent,
        actor=actor,
        actor_name=actor_name,
        target=video or parent,
        target_kind="video" if video else "comment",
        text=text,
        created_at=created_at,
        source=source,
    )


# --- youtube-comment-downloader ------------------------------------------------------------------

_REL = re.compile(r"(\d+)\s*(second|minute|hour|day|week|month|year)s?\s+ago", re.IGNORECASE)
_UNIT = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
}
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def resolve_relative_time(text: str | None, now: datetime) -> datetime | None:
    """``"2 weeks ago"`` → ``now - 14 days``; ``None`` when the text is not a relative time.

    >>> resolve_relative_time("2 weeks ago (edited)", datetime(2024, 1, 15, tzinfo=UTC)).date()
    datetime.date(2024, 1, 1)
    """
    if not text:
        return None
    m = _REL.search(text)
    if not m:
        return None
    return now - timedelta(seconds=int(m.group(1)) * _UNIT[m.group(2).lower()])


def parse_count(text: Any) -> int | None:
    """Display counts: ``"1.2K"`` → 1200, ``"3M"`` → 3000000, ``"17"`` → 17.

    >>> parse_count("1.2K"), parse_count("3M"), parse_count(""), parse_count(5)
    (1200, 3000000, None, 5)
    """
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*([\d.,]+)\s*([KkMmBb]?)\s*", str(text or ""))
    if not m:
        return None
    try:
        value = float(m.group(1).replace(",", ""))
    except ValueError:
        return None
    return round(value * {"": 1, "k": 1e3, "m": 1e6, "b": 1e9}[m.group(2).lower()])


def sniff_downloader(path: Path, head: bytes) -> bool:
    text = head_text(head)
    return text[:1] == "{" and has_keys(head, "cid", "text", "time", "author")


@reader(
    "youtube-comment-downloader",
    platform="youtube",
    sniff=sniff_downloader,
    extensions=(".json", ".jsonl"),
)
def read_downloader(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """youtube-comment-downloader JSON Lines (relative times, display counts)"""
    now = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    stem = path.name.split(".")[0]
    video = stem if _VIDEO_ID.match(stem) else None
    if video is None:
        ctx.note(
            "the video id is not in youtube-comment-downloader files: name the file <video id>.json "
            "so that comments of the same video share a target"
        )
        video = f"file:{stem}"
    rows = (
        event
        for lineno, obj in _lines(path, ctx)
        for event in ctx.take(
            parse_downloader_comment(
                obj, where=f"line {lineno}", display=ctx.display, video=video, now=now
            )
        )
    )
    yield from batched(rows, ctx.batch_size)
    if ctx.counts["relative"]:
        ctx.note(
            f"{ctx.counts['relative']} relative times ('2 weeks ago') were resolved against the file's modification time"
        )


def parse_downloader_comment(
    obj: Any, *, where: str, display: str, video: str, now: datetime
) -> Parsed:
    """One youtube-comment-downloader line → a comment or reply on ``video``.

    A relative ``time`` ("2 weeks ago") is resolved against ``now`` (and counted) when the line
    has no ``time_parsed``.

    Examples
    --------
    >>> line = {"cid": "a.b", "text": "yes", "time": "1 day ago", "author": "Ann", "channel": "UCa"}
    >>> p = parse_downloader_comment(line, where="line 1", display="f", video="v",
    ...                              now=datetime(2024, 1, 2, tzinfo=UTC))
    >>> [(e["kind"], e["parent"], e["created_at"]) for e in p.events], p.counts["relative"]
    ([('reply', 'a', 1704067200.0)], 1)
    """
    out = Parsed()
    cid = as_str(obj.get("cid")) if isinstance(obj, dict) else None
    if not cid or not isinstance(obj, dict):
        out.skip(where, "not a comment (no cid)")
        return out
    parent = cid.split(".", 1)[0] if "." in cid else None
    created: Any = obj.get("time_parsed")
    if not isinstance(created, int | float) or isinstance(created, bool):
        resolved = resolve_relative_time(as_str(obj.get("time")), now)
        created = resolved.timestamp() if resolved else None
        out.counts["relative"] += 1
    out.events.append(
        comment_event(
            cid,
            actor=as_str(obj.get("channel")),
            actor_name=as_str(obj.get("author")),
            video=video,
            parent=parent,
            text=as_str(obj.get("text")),
            created_at=created,
            source=f"{display}:{where}",
        )
    )
    return out


def _lines(path: Path, ctx: ReadContext) -> Iterator[tuple[int, Any]]:
    for loc, obj in json_docs(path, ctx):
        if loc == "document":  # some versions write one JSON array
            yield from enumerate(listify(obj), start=1)
        else:
            yield int(loc.split()[-1]), obj
