"""X / Twitter account archive reader (``x-archive``).

``data/*.js`` of "Download an archive of your data". Each file is JavaScript:
``window.YTD.<name>.partN = [ ... ]``; the prefix is stripped, never evaluated. Items are
wrapped (``{"tweet": {...}}``, ``{"following": {...}}``, ``{"like": {...}}``,
``{"dmConversation": {...}}``). Tweets carry no author (it is implicit): the owner is read
from ``account.js`` next to the file when present. Numbers are strings, dates are in the
legacy ``Wed Oct 19 20:07:25 +0000 2022`` form, retweets are only ``RT @user:`` texts, and
follower / following lists hold account ids only, no handles.

Events: post / reply / share as for API v1.1 statuses (:mod:`._x`), ``like`` (id
``like/<tweet>``), ``follow`` (ids ``follower/<account>`` and ``following/<account>``) and
``dm`` (id ``dm/<message>``). The array is streamed item by item, so a large ``tweets.js``
is never loaded whole.
"""

from __future__ import annotations

import functools

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import as_str, dicts, iter_js_array, listify
from microcomm.ingest._x import v1_tweet_events, x_account_rows
from microcomm.ingest.base import ReadContext, batched, head_text, load_json, read_head
from microcomm.ingest.events import Parsed, follow_event, like_event, make_event
from microcomm.ingest.registry import reader

_YTD = re.compile(r"^\s*window\.YTD\.([A-Za-z0-9_]+)\.part\d+\s*=", re.ASCII)
_ARCHIVE_KINDS = {
    "tweet",
    "tweets",
    "like",
    "follower",
    "following",
    "direct_messages",
    "direct_messages_group",
    "account",
    "profile",
}


def _ytd_name(head: bytes) -> str | None:
    m = _YTD.match(head_text(head))
    return m.group(1).lower().replace("-", "_") if m else None


def sniff_archive(path: Path, head: bytes) -> bool:
    name = _ytd_name(head)
    return name is not None and name in _ARCHIVE_KINDS


def _archive_owner(path: Path) -> tuple[str | None, str | None]:
    """(username, display name) from ``account.js`` beside ``path``, if the archive has it."""
    for candidate in (path.parent / "account.js", path.parent / "data" / "account.js"):
        if candidate.is_file() and candidate != path:
            try:
                items = load_json(candidate, strip_js_prefix=True)
            except Exception:  # a broken account.js must not stop the tweets
                return None, None
            for item in dicts(listify(items)):
                acct = item.get("account")
                if isinstance(acct, dict):
                    return as_str(acct.get("username")), as_str(acct.get("accountDisplayName"))
    return None, None


def _self_reply_owner(path: Path) -> tuple[str | None, int]:
    """The owner's handle as the archive's own threads name it, and how many replies say so.

    Every tweet in ``tweets.js`` is the owner's, so a reply to one of them is a reply to the
    owner: its ``in_reply_to_screen_name`` is the owner's handle (the most named one, ties to
    the first in name order). ``tweets.js`` (or ``tweet.js``) is read beside ``path``; (None, 0)
    when there is none or no tweet replies to another of the archive's tweets."""
    found = [c for c in (path.parent / "tweets.js", path.parent / "tweet.js") if c.is_file()]
    if not found:
        return None, 0
    st = found[0].stat()  # every file of the archive asks: tweets.js is read once per ingest
    return _tweets_self_reply_owner(str(found[0]), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=4)
def _tweets_self_reply_owner(tweets: str, _mtime_ns: int, _size: int) -> tuple[str | None, int]:
    """:func:`_self_reply_owner` of one ``tweets.js`` (keyed by its path, time and size)."""
    ids: set[str] = set()
    replies: list[tuple[str, str]] = []
    for item in iter_js_array(Path(tweets)):
        tweet = item.get("tweet", item) if isinstance(item, dict) else None
        if not isinstance(tweet, dict):
            continue
        ids.add(as_str(tweet.get("id_str")) or "")
        parent, name = tweet.get("in_reply_to_status_id_str"), tweet.get("in_reply_to_screen_name")
        if parent and name:
            replies.append((str(parent), str(name)))
    named = Counter(name for parent, name in replies if parent in ids)
    if not named:
        return None, 0
    top = max(sorted(named), key=lambda n: named[n])
    return top, named[top]


@reader("x-archive", platform="x", sniff=sniff_archive, extensions=(".js",), label="twitter")
def read_archive(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """X/Twitter account archive data/*.js (tweets, likes, follower, following, DMs)"""
    name = _ytd_name(read_head(path, 4096)) or ""
    items = iter_js_array(path)  # streamed: tweets.js can be hundreds of megabytes
    owner, owner_name = _archive_owner(path)
    owner = owner or ctx.owner  # --owner when account.js is not beside it
    if name in ("account", "profile"):
        ctx.take(parse_archive_profile(name, list(items)))
        return
    if owner is None:
        owner, replies = _self_reply_owner(path)
        if owner is not None:
            ctx.note(
                f"no account.js beside this file: the owner is the account {replies} replies "
                "to the archive's own tweets answer (--owner to say otherwise)"
            )
    if owner is None:
        ctx.note(
            "no account.js beside this file and no --owner: the archive owner's handle is unknown, "
            "so their events have no actor and are skipped"
        )
    if name in ("follower", "following"):
        ctx.note("X archive follower/following lists hold account ids only, not handles")
    rows = (
        event
        for i, item in enumerate(items, start=1)
        for event in ctx.take(
            parse_archive_item(
                name,
                item,
                where=f"item {i}",
                display=ctx.display,
                owner=owner,
                owner_name=owner_name,
            )
        )
    )
    yield from batched(rows, ctx.batch_size)


def parse_archive_profile(name: str, items: list[Any]) -> Parsed:
    """``account.js`` items → the owner's account row (``profile.js`` holds no handle)."""
    out = Parsed()
    for item in dicts(items):
        acct = item.get("account")
        if name == "account" and isinstance(acct, dict) and acct.get("username"):
            out.accounts.extend(
                x_account_rows(
                    [{"username": acct.get("username"), "name": acct.get("accountDisplayName")}]
                )
            )
    return out


def parse_archive_item(
    name: str,
    item: Any,
    *,
    where: str,
    display: str,
    owner: str | None,
    owner_name: str | None = None,
) -> Parsed:
    """One item of the archive file ``name`` (``tweets``, ``like``, ``follower``…) → events.

    Examples
    --------
    >>> p = parse_archive_item("following", {"following": {"accountId": "42"}},
    ...                        where="item 1", display="following.js", owner="ann")
    >>> [(e["event_id"], e["actor"], e["target"]) for e in p.events]
    [('following/42', 'ann', '42')]
    """
    out = Parsed()
    source = f"{display}:{where}"
    if not isinstance(item, dict):
        out.skip(where, "not a JSON object")
    elif name in ("tweet", "tweets"):
        tw = item.get("tweet", item)
        if not isinstance(tw, dict) or not as_str(tw.get("id_str") or tw.get("id")):
            out.skip(where, "tweet without an id")
        else:
            out.events.extend(
                v1_tweet_events(tw, source=source, actor=owner, actor_name=owner_name)
            )
    elif name == "like":
        like = item.get("like")
        tid = as_str(like.get("tweetId")) if isinstance(like, dict) else None
        if not tid or not isinstance(like, dict):
            out.skip(where, "like without a tweetId")
        else:
            out.events.append(
                like_event(
                    owner,
                    tid,
                    event_id=f"like/{tid}",
                    source=source,
                    actor_name=owner_name,
                    text=as_str(like.get("fullText")),
                )
            )
    elif name in ("follower", "following"):
        rel = item.get(name)
        aid = as_str(rel.get("accountId")) if isinstance(rel, dict) else None
        if not aid:
            out.skip(where, f"{name} entry without an accountId")
        elif name == "follower":
            out.events.append(follow_event(aid, owner, event_id=f"follower/{aid}", source=source))
        else:
            out.events.append(
                follow_event(
                    owner, aid, event_id=f"following/{aid}", source=source, actor_name=owner_name
                )
            )
    else:
        _parse_dm_conversation(item, out, where=where, display=display)
    return out


def _parse_dm_conversation(item: dict[str, Any], out: Parsed, *, where: str, display: str) -> None:
    conv = item.get("dmConversation")
    if not isinstance(conv, dict):
        out.skip(where, "not a dmConversation")
        return
    cid = as_str(conv.get("conversationId"))
    for j, msg in enumerate(dicts(listify(conv.get("messages"))), start=1):
        mc = msg.get("messageCreate")
        if not isinstance(mc, dict) or not as_str(mc.get("id")):
            continue  # joinConversation / participantsLeave system entries
        recipient = as_str(mc.get("recipientId"))
        out.events.append(
            make_event(
                event_id=f"dm/{mc['id']}",
                kind="dm",
                actor=as_str(mc.get("senderId")),
                target=recipient or cid,
                target_kind="account" if recipient else "conversation",
                parent=cid,
                text=as_str(mc.get("text")),
                created_at=as_str(mc.get("createdAt")),
                source=f"{display}:{where} message {j}",
            )
        )
