"""X / Twitter readers: the account archive, API v2 pages (twarc2) and API v1.1 JSON lines.

``x-archive``
    ``data/*.js`` of "Download an archive of your data". Each file is JavaScript:
    ``window.YTD.<name>.partN = [ ... ]``; the prefix is stripped, never evaluated. Items are
    wrapped (``{"tweet": {...}}``, ``{"following": {...}}``, ``{"like": {...}}``,
    ``{"dmConversation": {...}}``). Tweets carry no author (it is implicit): the owner is read
    from ``account.js`` next to the file when present. Numbers are strings, dates are in the
    legacy ``Wed Oct 19 20:07:25 +0000 2022`` form, retweets are only ``RT @user:`` texts, and
    follower / following lists hold account ids only, no handles.
``x-api-v2``
    twarc2 JSON Lines: one API response page per line (``data`` list, ``includes.users``,
    ``meta``, sometimes a top-level ``errors`` list), the filtered stream's single-object
    ``data`` plus ``matching_rules``, or the "flattened" form (one tweet per line with
    ``author`` expanded). Usernames live in ``includes.users`` (joined on ``author_id``). User
    lookup pages (``/2/users``) only feed the accounts table.
``x-api-v1``
    v1.1 statuses, one per line (twarc 1, tweepy ``_json`` dumps) or ``{"statuses": [...]}``
    search pages: ``id_str``, ``user.screen_name``, ``retweeted_status``, ``extended_tweet``.

Events: post / reply (target = conversation) / share (retweet or quote, target = the tweet)
plus one ``mention`` event per mentioned account (not for retweets, whose mentions are the
original author's). Polls (``includes.polls`` linked from ``attachments.poll_ids``, or the
flattened ``attachments.poll``) go to the ``polls`` table with their vote counts, one row per
option; their context is the tweet that carries them. They hold no voters, so they are
community-level attributes and never edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import (
    as_str,
    dicts,
    guarded,
    has_keys,
    json_docs,
    listify,
    mention_events,
    sub,
)
from microcomm.ingest.base import (
    ReadContext,
    Reader,
    batched,
    head_text,
    load_json,
    polls_frame,
    register,
)

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
_RT = re.compile(r"^RT @([A-Za-z0-9_]{1,15}):")


def _row(ctx: ReadContext, loc: str, **fields: Any) -> dict[str, Any]:
    fields["source"] = f"{ctx.display}:{loc}"
    return fields


def _account_rows(users: list[dict[str, Any]], platform: str = "x") -> pl.DataFrame:
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
    return pl.DataFrame(
        rows,
        schema={
            "actor": pl.String,
            "platform": pl.String,
            "name": pl.String,
            "bio": pl.String,
            "followers": pl.Int64,
            "verified": pl.Boolean,
        },
    )


# --- account archive ------------------------------------------------------------------------


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


def read_archive(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    with open(path, "rb") as fh:
        name = _ytd_name(fh.read(4096)) or ""
    items = load_json(path, strip_js_prefix=True)
    if not isinstance(items, list):
        from microcomm.errors import InputError

        raise InputError(f"{ctx.display}: expected a JSON array after the window.YTD prefix")
    owner, owner_name = _archive_owner(path)
    if name in ("account", "profile"):
        _archive_profile(name, items, ctx)
        return
    if owner is None:
        ctx.note(
            "no account.js beside this file: the archive owner's handle is unknown, so their events have no actor"
        )
    if name in ("follower", "following"):
        ctx.note("X archive follower/following lists hold account ids only, not handles")
    yield from batched(_archive_rows(name, items, ctx, owner, owner_name), ctx.batch_size)


def _archive_profile(name: str, items: list[Any], ctx: ReadContext) -> None:
    for item in dicts(items):
        acct = item.get("account")
        if name == "account" and isinstance(acct, dict) and acct.get("username"):
            ctx.add_accounts(
                _account_rows(
                    [{"username": acct.get("username"), "name": acct.get("accountDisplayName")}]
                )
            )


def _archive_rows(
    name: str, items: list[Any], ctx: ReadContext, owner: str | None, owner_name: str | None
) -> Iterator[dict[str, Any]]:
    for i, item in enumerate(items, start=1):
        loc = f"item {i}"
        if not isinstance(item, dict):
            ctx.skip(loc, "not a JSON object")
            continue
        if name in ("tweet", "tweets"):
            tw = item.get("tweet", item)
            if not isinstance(tw, dict) or not as_str(tw.get("id_str") or tw.get("id")):
                ctx.skip(loc, "tweet without an id")
                continue
            yield from _v1_tweet_rows(tw, ctx, loc, actor=owner, actor_name=owner_name)
        elif name == "like":
            like = item.get("like")
            tid = as_str(like.get("tweetId")) if isinstance(like, dict) else None
            if not tid or not isinstance(like, dict):
                ctx.skip(loc, "like without a tweetId")
                continue
            yield _row(
                ctx,
                loc,
                event_id=f"like/{tid}",
                kind="like",
                actor=owner,
                actor_name=owner_name,
                target=tid,
                target_kind="post",
                text=as_str(like.get("fullText")),
            )
        elif name in ("follower", "following"):
            rel = item.get(name)
            aid = as_str(rel.get("accountId")) if isinstance(rel, dict) else None
            if not aid:
                ctx.skip(loc, f"{name} entry without an accountId")
                continue
            if name == "follower":
                yield _row(
                    ctx,
                    loc,
                    event_id=f"follower/{aid}",
                    kind="follow",
                    actor=aid,
                    target=owner,
                    target_kind="account",
                )
            else:
                yield _row(
                    ctx,
                    loc,
                    event_id=f"following/{aid}",
                    kind="follow",
                    actor=owner,
                    actor_name=owner_name,
                    target=aid,
                    target_kind="account",
                )
        else:  # direct messages
            conv = item.get("dmConversation")
            if not isinstance(conv, dict):
                ctx.skip(loc, "not a dmConversation")
                continue
            cid = as_str(conv.get("conversationId"))
            for j, msg in enumerate(dicts(listify(conv.get("messages"))), start=1):
                mc = msg.get("messageCreate")
                if not isinstance(mc, dict) or not as_str(mc.get("id")):
                    continue  # joinConversation / participantsLeave system entries
                recipient = as_str(mc.get("recipientId"))
                yield _row(
                    ctx,
                    f"{loc} message {j}",
                    event_id=f"dm/{mc['id']}",
                    kind="dm",
                    actor=as_str(mc.get("senderId")),
                    target=recipient or cid,
                    target_kind="account" if recipient else "conversation",
                    parent=cid,
                    text=as_str(mc.get("text")),
                    created_at=as_str(mc.get("createdAt")),
                )


# --- API v1.1 --------------------------------------------------------------------------------


def _v1_text(tw: dict[str, Any]) -> str | None:
    ext = tw.get("extended_tweet")
    if isinstance(ext, dict) and ext.get("full_text"):
        return as_str(ext["full_text"])
    return as_str(tw.get("full_text") or tw.get("text"))


def _v1_tweet_rows(
    tw: dict[str, Any],
    ctx: ReadContext,
    loc: str,
    *,
    actor: str | None = None,
    actor_name: str | None = None,
) -> Iterator[dict[str, Any]]:
    """One status of the v1.1 shape (also the archive's tweets) → post/reply/share + mentions."""
    tid = as_str(tw.get("id_str") or tw.get("id"))
    user = tw.get("user") if isinstance(tw.get("user"), dict) else None
    if user is not None:
        actor = as_str(user.get("screen_name")) or as_str(user.get("id_str"))
        actor_name = as_str(user.get("name"))
    text = _v1_text(tw)
    place = sub(tw, "place")
    rt = tw.get("retweeted_status") if isinstance(tw.get("retweeted_status"), dict) else None
    reply_to = as_str(tw.get("in_reply_to_status_id_str") or tw.get("in_reply_to_status_id"))
    quoted = as_str(tw.get("quoted_status_id_str"))
    rt_match = _RT.match(text or "")
    base = {
        "event_id": tid,
        "actor": actor,
        "actor_name": actor_name,
        "text": text,
        "created_at": as_str(tw.get("created_at")),
        "location": as_str(place.get("full_name")),
    }
    if rt is not None:
        yield _row(
            ctx,
            loc,
            **base,
            kind="share",
            target=as_str(rt.get("id_str") or rt.get("id")),
            target_kind="post",
        )
        return
    if rt_match:  # archives keep retweets only as "RT @user: ..." text
        yield _row(ctx, loc, **base, kind="share", target=rt_match.group(1), target_kind="account")
        return
    if reply_to:
        yield _row(
            ctx, loc, **base, kind="reply", target=reply_to, target_kind="post", parent=reply_to
        )
    elif quoted:
        yield _row(ctx, loc, **base, kind="share", target=quoted, target_kind="post")
    else:
        yield _row(ctx, loc, **base, kind="post")
    yield from mention_events(
        (
            as_str(m.get("screen_name"))
            for m in dicts(listify(sub(tw, "entities").get("user_mentions")))
        ),
        post_id=tid,
        sep="/",
        actor=actor,
        created_at=base["created_at"],
        source=f"{ctx.display}:{loc}",
        actor_name=actor_name,
    )


def sniff_v1(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if not text.startswith("{"):
        return False
    if has_keys(head, "statuses", "search_metadata"):
        return True
    return has_keys(head, "id_str", "user", "screen_name") and not has_keys(head, "author_id")


def read_v1(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    def rows() -> Iterator[dict[str, Any]]:
        for loc, doc in json_docs(path, ctx):
            statuses = (
                doc.get("statuses") if isinstance(doc, dict) and "statuses" in doc else listify(doc)
            )
            for k, tw in enumerate(listify(statuses), start=1):
                where = loc if len(listify(statuses)) == 1 else f"{loc} status {k}"
                if not isinstance(tw, dict) or not as_str(tw.get("id_str") or tw.get("id")):
                    ctx.skip(where, "not a tweet object (no id_str)")
                    continue
                user = tw.get("user")
                if isinstance(user, dict):
                    ctx.add_accounts(_account_rows([user]))
                yield from _v1_tweet_rows(tw, ctx, where)

    yield from batched(rows(), ctx.batch_size)


# --- API v2 (twarc2) -------------------------------------------------------------------------

_V2_TWEET_KEYS = (
    "conversation_id",
    "edit_history_tweet_ids",
    "referenced_tweets",
    "public_metrics",
    "__twarc",
)


def sniff_v2(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if not text.startswith("{"):
        return False
    tweets = has_keys(head, "author_id") and any(has_keys(head, k) for k in _V2_TWEET_KEYS)
    users = has_keys(head, "data", "username", "public_metrics") and has_keys(
        head, "followers_count"
    )
    return tweets or users


def read_v2(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    state = {"polls": 0, "users_only": 0}

    def rows() -> Iterator[dict[str, Any]]:
        for loc, doc in json_docs(path, ctx):
            if not isinstance(doc, dict):
                ctx.skip(loc, "not a JSON object")
                continue
            includes = sub(doc, "includes")
            users = list(dicts(listify(includes.get("users"))))
            places = {
                p.get("id"): p.get("full_name") for p in dicts(listify(includes.get("places")))
            }
            if "data" in doc:
                items = listify(doc.get("data"))
            elif "id" in doc and ("text" in doc or "author_id" in doc):
                items = [doc]  # flattened: one tweet per line, author inline
            else:
                items = []
                if "errors" not in doc:
                    ctx.skip(loc, "neither tweets nor users")
            tweets = [t for t in dicts(items) if "text" in t or "author_id" in t]
            profiles = [u for u in dicts(items) if "username" in u and "text" not in u]
            users.extend(profiles)
            users.extend(t["author"] for t in tweets if isinstance(t.get("author"), dict))
            if users:
                ctx.add_accounts(_account_rows(users))
            if profiles and not tweets:
                state["users_only"] += 1
            by_id = {u.get("id"): u for u in users}
            polls = _v2_polls(
                [*tweets, *dicts(listify(includes.get("tweets")))],
                {as_str(p.get("id")): p for p in dicts(listify(includes.get("polls")))},
                by_id,
                f"{ctx.display}:{loc}",
            )
            if polls:
                state["polls"] += len({r["poll_id"] for r in polls})
                ctx.add_polls(polls_frame(polls))
            for k, tw in enumerate(tweets, start=1):
                where = loc if len(items) == 1 else f"{loc} tweet {k}"
                if not as_str(tw.get("id")):
                    ctx.skip(where, "tweet without an id")
                    continue
                yield from _v2_tweet_rows(tw, by_id, places, ctx, where)

    yield from batched(rows(), ctx.batch_size)
    if state["polls"]:
        ctx.note(
            f"{state['polls']} polls kept as community-level attributes (vote counts, "
            "no voters): in the report, never in the graph"
        )
    if state["users_only"]:
        ctx.note("user lookup pages hold profiles only: they fill the accounts table, not events")


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
    stack = list(tweets)
    while stack:  # a handful of tweets per page: the poll carriers and their references
        tw = stack.pop(0)
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


def _v2_tweet_rows(
    tw: dict[str, Any],
    users: dict[Any, dict[str, Any]],
    places: dict[Any, Any],
    ctx: ReadContext,
    loc: str,
) -> Iterator[dict[str, Any]]:
    tid = as_str(tw["id"])
    author = _author(tw, users)
    actor = as_str(author.get("username")) or as_str(tw.get("author_id"))
    geo = sub(tw, "geo")
    base = {
        "event_id": tid,
        "actor": actor,
        "actor_name": as_str(author.get("name")),
        "text": as_str(tw.get("text")),
        "created_at": as_str(tw.get("created_at")),
        "location": as_str(places.get(geo.get("place_id"))),
    }
    refs = {
        as_str(r.get("type")): as_str(r.get("id"))
        for r in dicts(listify(tw.get("referenced_tweets")))
    }
    if refs.get("retweeted"):
        yield _row(ctx, loc, **base, kind="share", target=refs["retweeted"], target_kind="post")
        return  # a retweet's mentions belong to the original author
    if refs.get("replied_to"):
        conv = as_str(tw.get("conversation_id"))
        yield _row(
            ctx,
            loc,
            **base,
            kind="reply",
            target=conv or refs["replied_to"],
            target_kind="thread" if conv else "post",
            parent=refs["replied_to"],
        )
    elif refs.get("quoted"):
        yield _row(ctx, loc, **base, kind="share", target=refs["quoted"], target_kind="post")
    else:
        yield _row(ctx, loc, **base, kind="post")
    yield from mention_events(
        (as_str(m.get("username")) for m in dicts(listify(sub(tw, "entities").get("mentions")))),
        post_id=tid,
        sep="/",
        actor=actor,
        created_at=base["created_at"],
        source=f"{ctx.display}:{loc}",
        actor_name=base["actor_name"],
    )


X_ARCHIVE = register(
    Reader(
        name="x-archive",
        platform="x",
        description="X/Twitter account archive data/*.js (tweets, likes, follower, following, DMs)",
        sniff=sniff_archive,
        read=guarded(read_archive),
        extensions=(".js",),
    )
)
X_API_V2 = register(
    Reader(
        name="x-api-v2",
        platform="x",
        description="X API v2 JSON Lines as written by twarc2 (pages, flattened, stream)",
        sniff=sniff_v2,
        read=guarded(read_v2),
        extensions=(".jsonl", ".json"),
    )
)
X_API_V1 = register(
    Reader(
        name="x-api-v1",
        platform="x",
        description="X API v1.1 statuses, one per line or search pages",
        sniff=sniff_v1,
        read=guarded(read_v1),
        extensions=(".jsonl", ".json"),
        priority=15,
    )
)
