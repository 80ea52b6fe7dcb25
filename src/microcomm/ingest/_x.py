"""X / Twitter pieces shared by the three X formats (not a reader itself): user objects →
account rows, and the v1.1 status shape (also the account archive's tweets) → events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from microcomm.ingest._common import as_str, dicts, listify, sub
from microcomm.ingest.events import Event, make_event, mention_events

_RT = re.compile(r"^RT @([A-Za-z0-9_]{1,15}):")


def x_account_rows(users: list[dict[str, Any]], platform: str = "x") -> list[dict[str, Any]]:
    """Account rows of v1.1 / v2 user objects (``username`` or ``screen_name``).

    >>> x_account_rows([{"username": "ann", "public_metrics": {"followers_count": 3}}])[0]["followers"]
    3
    """
    rows = []
    for u in users:
        handle = as_str(u.get("username") or u.get("screen_name"))
        if not handle:
            continue
        metrics = sub(u, "public_metrics")
        followers = metrics.get("followers_count", u.get("followers_count"))
        rows.append(
            {
                "actor": handle,
                "platform": platform,
                "name": as_str(u.get("name")),
                "bio": as_str(u.get("description")),
                "followers": int(followers)
                if isinstance(followers, int | float | str) and str(followers).isdigit()
                else None,
                "verified": u.get("verified") if isinstance(u.get("verified"), bool) else None,
            }
        )
    return rows


def _v1_text(tw: dict[str, Any]) -> str | None:
    ext = tw.get("extended_tweet")
    if isinstance(ext, dict) and ext.get("full_text"):
        return as_str(ext["full_text"])
    return as_str(tw.get("full_text") or tw.get("text"))


def tweet_events(
    common: dict[str, Any],
    kind: str,
    target: str | None = None,
    target_kind: str | None = None,
    *,
    parent: str | None = None,
    mentions: Iterable[str | None] = (),
) -> Iterator[Event]:
    """A tweet's own event (``common`` holds its id, author, text, date, place, source) and one
    ``mention`` per account it names (id ``<tweet>/mention/<handle>``)."""
    post = make_event(kind=kind, target=target, target_kind=target_kind, parent=parent, **common)
    yield post
    yield from mention_events(mentions, post=post, sep="/", named=True)


def v1_tweet_events(
    tw: dict[str, Any],
    *,
    source: str,
    actor: str | None = None,
    actor_name: str | None = None,
) -> Iterator[Event]:
    """One status of the v1.1 shape (also the archive's tweets) → post/reply/share + mentions.

    ``actor`` stands for the author when the status has no ``user`` (archive tweets).
    Retweets carry no mentions: they are the original author's.
    """
    user = tw.get("user") if isinstance(tw.get("user"), dict) else None
    if user is not None:
        actor = as_str(user.get("screen_name")) or as_str(user.get("id_str"))
        actor_name = as_str(user.get("name"))
    text = _v1_text(tw)
    common = {
        "event_id": as_str(tw.get("id_str") or tw.get("id")),
        "actor": actor,
        "actor_name": actor_name,
        "text": text,
        "created_at": as_str(tw.get("created_at")),
        "location": as_str(sub(tw, "place").get("full_name")),
        "source": source,
    }
    rt = tw.get("retweeted_status") if isinstance(tw.get("retweeted_status"), dict) else None
    reply_to = as_str(tw.get("in_reply_to_status_id_str") or tw.get("in_reply_to_status_id"))
    quoted = as_str(tw.get("quoted_status_id_str"))
    rt_match = _RT.match(text or "")
    mentions = (
        as_str(m.get("screen_name"))
        for m in dicts(listify(sub(tw, "entities").get("user_mentions")))
    )
    if rt is not None:
        yield from tweet_events(common, "share", as_str(rt.get("id_str") or rt.get("id")), "post")
    elif rt_match:  # archives keep retweets only as "RT @user: ..." text
        yield from tweet_events(common, "share", rt_match.group(1), "account")
    elif reply_to:
        yield from tweet_events(
            common, "reply", reply_to, "post", parent=reply_to, mentions=mentions
        )
    elif quoted:
        yield from tweet_events(common, "share", quoted, "post", mentions=mentions)
    else:
        yield from tweet_events(common, "post", mentions=mentions)
