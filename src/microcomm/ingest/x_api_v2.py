"""X API v2 reader (``x-api-v2``): twarc2 JSON Lines.

One API response page per line (``data`` list, ``includes.users``, ``meta``, sometimes a
top-level ``errors`` list), the filtered stream's single-object ``data`` plus
``matching_rules``, or the "flattened" form (one tweet per line with ``author`` expanded).
Usernames live in ``includes.users`` (joined on ``author_id``). User lookup pages
(``/2/users``) only feed the accounts table.

Events: post / reply (target = conversation) / share (retweet or quote, target = the tweet)
plus one ``mention`` event per mentioned account (not for retweets, whose mentions are the
original author's). Polls (``includes.polls`` linked from ``attachments.poll_ids``, or the
flattened ``attachments.poll``) go to the ``polls`` table with their vote counts, one row per
option; their context is the tweet that carries them. They hold no voters, so they are
community-level attributes and never edges.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import (
    DocStream,
    as_str,
    dicts,
    has_keys,
    listify,
    read_docs,
    sub,
)
from microcomm.ingest._x import tweet_events, x_account_rows
from microcomm.ingest.base import ReadContext, head_text
from microcomm.ingest.events import POLL_NOTE, Event, Parsed
from microcomm.ingest.registry import reader

_V2_TWEET_KEYS = (
    "conversation_id",
    "edit_history_tweet_ids",
    "referenced_tweets",
    "public_metrics",
    "__twarc",
)

# a page's tweets, streamed from a huge one-document page; usernames come from its includes
_STREAM = DocStream(records=("data.item",), keep=("includes",))


def sniff_v2(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if not text.startswith("{"):
        return False
    tweets = has_keys(head, "author_id") and any(has_keys(head, k) for k in _V2_TWEET_KEYS)
    users = has_keys(head, "data", "username", "public_metrics") and has_keys(
        head, "followers_count"
    )
    return tweets or users


@reader("x-api-v2", platform="x", sniff=sniff_v2, extensions=(".jsonl", ".json"), label="twitter")
def read_v2(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """X API v2 JSON Lines as written by twarc2 (pages, flattened, stream)"""
    yield from read_docs(path, ctx, parse_v2_page, stream=_STREAM)
    if ctx.counts["polls"]:
        ctx.note(POLL_NOTE.format(n=ctx.counts["polls"]))
    if ctx.counts["users_only"]:
        ctx.note("user lookup pages hold profiles only: they fill the accounts table, not events")


def parse_v2_page(doc: Any, *, where: str, display: str, start: int = 1) -> Parsed:
    """One twarc2 line (a response page, a stream message or a flattened tweet) → rows.

    ``start`` numbers the first record (a streamed document comes a chunk at a time).

    Examples
    --------
    >>> page = {"data": [{"id": "1", "author_id": "9", "text": "hi @bo",
    ...                   "entities": {"mentions": [{"username": "bo"}]}}],
    ...         "includes": {"users": [{"id": "9", "username": "ann"}]}}
    >>> [(e["kind"], e["actor"], e["target"]) for e in parse_v2_page(page, where="line 1", display="f").events]
    [('post', 'ann', None), ('mention', 'ann', 'bo')]
    """
    out = Parsed()
    if not isinstance(doc, dict):
        out.skip(where, "not a JSON object")
        return out
    includes = sub(doc, "includes")
    users = list(dicts(listify(includes.get("users"))))
    places = {p.get("id"): p.get("full_name") for p in dicts(listify(includes.get("places")))}
    if "data" in doc:
        items = listify(doc.get("data"))
    elif "id" in doc and ("text" in doc or "author_id" in doc):
        items = [doc]  # flattened: one tweet per line, author inline
    else:
        items = []
        if "errors" not in doc:
            out.skip(where, "neither tweets nor users")
    tweets = [t for t in dicts(items) if "text" in t or "author_id" in t]
    profiles = [u for u in dicts(items) if "username" in u and "text" not in u]
    own = [*profiles, *(t["author"] for t in tweets if isinstance(t.get("author"), dict))]
    # later chunks of a streamed page: its includes were taken with the first one
    out.accounts.extend(x_account_rows([*users, *own] if start == 1 else own))
    users.extend(own)
    if profiles and not tweets:
        out.counts["users_only"] += 1
    by_id = {u.get("id"): u for u in users}
    out.polls.extend(
        _v2_polls(
            [*tweets, *(dicts(listify(includes.get("tweets"))) if start == 1 else ())],
            {as_str(p.get("id")): p for p in dicts(listify(includes.get("polls")))},
            by_id,
            f"{display}:{where}",
        )
    )
    out.counts["polls"] += len({r["poll_id"] for r in out.polls})
    for k, tw in enumerate(tweets, start=start):
        loc = where if len(items) == 1 else f"{where} tweet {k}"
        if not as_str(tw.get("id")):
            out.skip(loc, "tweet without an id")
            continue
        out.events.extend(_v2_tweet_events(tw, by_id, places, source=f"{display}:{loc}"))
    return out


def _v2_polls(
    tweets: list[dict[str, Any]],
    polls: dict[str | None, dict[str, Any]],
    users: dict[Any, dict[str, Any]],
    source: str,
) -> list[dict[str, Any]]:
    """Poll option rows of the tweets that carry a poll (``attachments.poll_ids`` joined to
    ``includes.polls``, or the flattened ``attachments.poll``), also inside flattened
    ``referenced_tweets``. The context is the tweet's id; X gives no question apart from the
    tweet's text, which is used as the question."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    stack = deque(tweets)  # popleft: list.pop(0) made a page of n tweets cost n² moves
    while stack:  # a handful of tweets per page: the poll carriers and their references
        tw = stack.popleft()
        stack.extend(dicts(listify(tw.get("referenced_tweets"))))
        att = sub(tw, "attachments")
        found = [polls.get(as_str(pid)) for pid in listify(att.get("poll_ids"))]
        if isinstance(att.get("poll"), dict):
            found.append(att["poll"])
        tid = as_str(tw.get("id"))
        for poll in dicts(found):
            pid = as_str(poll.get("id"))
            if not pid or not tid or pid in seen:
                continue
            seen.add(pid)
            author = _author(tw, users)
            options = sorted(
                dicts(listify(poll.get("options"))),
                key=lambda o: o["position"] if isinstance(o.get("position"), int) else 0,
            )
            for opt in options:
                out.append(
                    {
                        "poll_id": pid,
                        "context": tid,
                        "author": as_str(author.get("username")) or as_str(tw.get("author_id")),
                        "question": as_str(tw.get("text")),
                        "option": as_str(opt.get("label")),
                        "votes": opt.get("votes"),
                        "created_at": as_str(tw.get("created_at")),
                        "source": source,
                    }
                )
    return out


def _author(tw: dict[str, Any], users: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    """The tweet's author: inline in flattened twarc output, else from ``includes.users``."""
    inline = tw.get("author")
    return inline if isinstance(inline, dict) else users.get(tw.get("author_id"), {})


def _v2_tweet_events(
    tw: dict[str, Any], users: dict[Any, dict[str, Any]], places: dict[Any, Any], *, source: str
) -> Iterator[Event]:
    author = _author(tw, users)
    common = {
        "event_id": as_str(tw["id"]),
        "actor": as_str(author.get("username")) or as_str(tw.get("author_id")),
        "actor_name": as_str(author.get("name")),
        "text": as_str(tw.get("text")),
        "created_at": as_str(tw.get("created_at")),
        "location": as_str(places.get(sub(tw, "geo").get("place_id"))),
        "source": source,
    }
    refs = {
        as_str(r.get("type")): as_str(r.get("id"))
        for r in dicts(listify(tw.get("referenced_tweets")))
    }
    mentions = (
        as_str(m.get("username")) for m in dicts(listify(sub(tw, "entities").get("mentions")))
    )
    if refs.get("retweeted"):
        # a retweet's mentions belong to the original author
        yield from tweet_events(common, "share", refs["retweeted"], "post")
    elif refs.get("replied_to"):
        conv = as_str(tw.get("conversation_id"))
        target_kind = "thread" if conv else "post"
        yield from tweet_events(
            common,
            "reply",
            conv or refs["replied_to"],
            target_kind,
            parent=refs["replied_to"],
            mentions=mentions,
        )
    elif refs.get("quoted"):
        yield from tweet_events(common, "share", refs["quoted"], "post", mentions=mentions)
    else:
        yield from tweet_events(common, "post", mentions=mentions)
