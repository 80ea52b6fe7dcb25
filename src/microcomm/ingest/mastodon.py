"""Mastodon readers: the account archive (ActivityPub ``outbox.json``, ``likes.json``,
``actor.json``) and REST API statuses JSON.

``mastodon-archive``
    ``outbox.json`` is an ``OrderedCollection`` whose ``orderedItems`` are ``Create``
    activities (``object`` is a Note dict: ``content`` HTML, ``inReplyTo``, ``tag[]`` with
    ``Mention`` and ``Hashtag``) and ``Announce`` boosts whose ``object`` is a plain URL
    string. ``totalItems`` can disagree with the items actually present: the items are counted.
    The array is streamed item by item. ``likes.json`` lists status URLs only (the liker is the
    owner, read from ``actor.json`` beside it). ``actor.json`` is the owner's profile.
``mastodon-api``
    ``GET /api/v1/accounts/:id/statuses``, timelines or search results: a JSON array (or JSON
    Lines) of Status entities with ``account``, ``content`` (HTML), ``in_reply_to_id``,
    ``reblog``, ``tags`` and ``mentions``.

Identities are URLs on the fediverse; actors and mention targets are written as
``user@host`` in both formats so that the same person is one actor. Event ids are the
status URIs (the ActivityPub ids), shared by the archive and the API. Polls (an outbox
``Question`` with ``oneOf`` / ``anyOf`` options counted in ``replies.totalItems``; an API
status's ``poll.options[{title, votes_count}]``) go to the ``polls`` table, one row per option,
with the status URI as their context (what replies and boosts target) and id. They hold vote
counts, never voters: community-level attributes, never edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import polars as pl

from microcomm.ingest._common import (
    as_str,
    dicts,
    guarded,
    has_keys,
    iter_json_array,
    json_docs,
    listify,
    mention_events,
    strip_html,
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

_USER_URL = re.compile(r"^https?://([^/]+)/(?:users/|@)([^/?#]+)")


def acct_of_url(url: str | None) -> str | None:
    """``https://host/users/name`` or ``https://host/@name`` → ``name@host``.

    >>> acct_of_url("https://indieweb.social/users/dealingwith/statuses/1")
    'dealingwith@indieweb.social'
    """
    if not url:
        return None
    m = _USER_URL.match(url)
    return f"{m.group(2)}@{m.group(1)}" if m else url


def _acct(account: dict[str, Any]) -> str | None:
    acct = as_str(account.get("acct")) or as_str(account.get("username"))
    url = as_str(account.get("url")) or as_str(account.get("uri"))
    if acct and "@" not in acct and url:
        host = urlparse(url).hostname
        return f"{acct}@{host}" if host else acct
    return acct or acct_of_url(url)


_POLL_NOTE = (
    "{n} polls kept as community-level attributes (vote counts, no voters): "
    "in the report, never in the graph"
)


def question_poll_rows(obj: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """One row per option of an ActivityPub ``Question`` (``oneOf`` or ``anyOf``).

    >>> q = {"type": "Question", "id": "https://h/users/a/statuses/1", "attributedTo": "https://h/users/a",
    ...      "content": "<p>Tea?</p>", "oneOf": [{"name": "yes", "replies": {"totalItems": 3}}]}
    >>> [(r["author"], r["question"], r["option"], r["votes"]) for r in question_poll_rows(q, "f")]
    [('a@h', 'Tea?', 'yes', 3)]
    """
    sid = as_str(obj.get("id"))
    rows = []
    for opt in dicts(listify(obj.get("oneOf") or obj.get("anyOf"))):
        replies = sub(opt, "replies")
        rows.append(
            {
                "poll_id": sid,
                "context": sid,
                "author": acct_of_url(as_str(obj.get("attributedTo"))),
                "question": strip_html(as_str(obj.get("content"))),
                "option": as_str(opt.get("name")),
                "votes": replies.get("totalItems"),
                "created_at": as_str(obj.get("published")),
                "source": source,
            }
        )
    return [r for r in rows if sid and r["option"]]


def status_poll_rows(st: dict[str, Any], source: str) -> list[dict[str, Any]]:
    """One row per option of an API status's ``poll`` (``votes_count`` is null while hidden)."""
    poll = st.get("poll")
    sid = as_str(st.get("uri")) or as_str(st.get("url")) or as_str(st.get("id"))
    if not isinstance(poll, dict) or not sid:
        return []
    account = sub(st, "account")
    return [
        {
            "poll_id": sid,
            "context": sid,
            "author": _acct(account),
            "question": strip_html(as_str(st.get("content"))),
            "option": as_str(opt.get("title")),
            "votes": opt.get("votes_count"),
            "created_at": as_str(st.get("created_at")),
            "source": source,
        }
        for opt in dicts(listify(poll.get("options")))
        if as_str(opt.get("title"))
    ]


# --- archive ----------------------------------------------------------------------------------


def sniff_archive(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if not text.startswith("{"):
        return False
    if has_keys(head, "orderedItems") and '"OrderedCollection"' in text:
        return has_keys(head, "actor") or bool(
            re.search(r'"id"\s*:\s*"(outbox|likes)\.json"', text)
        )
    return '"Person"' in text and has_keys(head, "preferredUsername", "inbox")


def _owner(path: Path) -> tuple[str | None, str | None]:
    actor_file = path.parent / "actor.json"
    if not actor_file.is_file():
        return None, None
    try:
        actor = load_json(actor_file)
    except Exception:  # a broken actor.json must not stop the outbox
        return None, None
    if not isinstance(actor, dict):
        return None, None
    host = urlparse(as_str(actor.get("id")) or "").hostname
    user = as_str(actor.get("preferredUsername"))
    return (f"{user}@{host}" if user and host else user), as_str(actor.get("name"))


def read_archive(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    text = head_text(head)
    if '"Person"' in text and not has_keys(head, "orderedItems"):
        actor = load_json(path)
        if isinstance(actor, dict):
            host = urlparse(as_str(actor.get("id")) or "").hostname
            user = as_str(actor.get("preferredUsername"))
            ctx.add_accounts(
                pl.DataFrame(
                    [
                        {
                            "actor": f"{user}@{host}" if host else user,
                            "platform": "mastodon",
                            "name": as_str(actor.get("name")),
                            "bio": strip_html(as_str(actor.get("summary"))),
                        }
                    ]
                )
            )
        ctx.note("actor.json is the owner's profile: it fills the accounts table, not events")
        return
    header, items = iter_json_array(path, "orderedItems")
    is_likes = (
        header.get("id") == "likes.json" or re.search(r'"id"\s*:\s*"likes\.json"', text) is not None
    )
    if is_likes:
        owner, name = _owner(path)
        if owner is None:
            ctx.note(
                "no actor.json beside likes.json: the liker is unknown, so likes have no actor"
            )
        ctx.note("likes.json holds the liked status URLs only, without dates")
        rows = (
            {
                "event_id": f"like/{url}",
                "kind": "like",
                "actor": owner,
                "actor_name": name,
                "target": url,
                "target_kind": "post",
                "source": f"{ctx.display}:item {i}",
            }
            for i, url in enumerate(items, start=1)
            if isinstance(url, str)
        )
        yield from batched(rows, ctx.batch_size)
        return
    yield from batched(_outbox_rows(items, ctx), ctx.batch_size)


def _outbox_rows(items: Iterator[Any], ctx: ReadContext) -> Iterator[dict[str, Any]]:
    polls = 0
    for i, act in enumerate(items, start=1):
        loc = f"item {i}"
        if not isinstance(act, dict):
            ctx.skip(loc, "not an activity object")
            continue
        actor = acct_of_url(as_str(act.get("actor")))
        obj = act.get("object")
        typ = act.get("type")
        if typ == "Announce":
            target = as_str(obj) if not isinstance(obj, dict) else as_str(obj.get("id"))
            yield {
                "event_id": as_str(act.get("id")),
                "kind": "share",
                "actor": actor,
                "target": target,
                "target_kind": "post",
                "created_at": as_str(act.get("published")),
                "source": f"{ctx.display}:{loc}",
            }
        elif typ == "Create" and isinstance(obj, dict):
            if obj.get("type") == "Question":
                rows = question_poll_rows(obj, f"{ctx.display}:{loc}")
                if rows:
                    polls += 1
                    ctx.add_polls(polls_frame(rows))
            yield from _note_rows(obj, actor, ctx, loc)
        else:
            continue  # Follow/Like/Delete... are not in outboxes in practice; nothing to link
    if polls:
        ctx.note(_POLL_NOTE.format(n=polls))


def _note_rows(
    obj: dict[str, Any], actor: str | None, ctx: ReadContext, loc: str
) -> Iterator[dict[str, Any]]:
    sid = as_str(obj.get("id"))
    actor = acct_of_url(as_str(obj.get("attributedTo"))) or actor
    reply_to = as_str(obj.get("inReplyTo"))
    created = as_str(obj.get("published"))
    source = f"{ctx.display}:{loc}"
    yield {
        "event_id": sid,
        "kind": "reply" if reply_to else "post",
        "actor": actor,
        "target": reply_to,
        "target_kind": "post" if reply_to else None,
        "parent": reply_to,
        "text": strip_html(as_str(obj.get("content"))),
        "created_at": created,
        "source": source,
    }
    tags = [t for t in dicts(listify(obj.get("tag"))) if t.get("type") == "Mention"]
    yield from mention_events(
        (_tag_acct(t) for t in tags),
        post_id=sid,
        sep="#",
        actor=actor,
        created_at=created,
        source=source,
    )


def _tag_acct(tag: dict[str, Any]) -> str | None:
    """``user@host`` of a Mention tag: its name when it carries the host, else from its href."""
    name = as_str(tag.get("name"))
    return (
        name.lstrip("@") if name and name.count("@") >= 2 else acct_of_url(as_str(tag.get("href")))
    )


# --- REST API statuses -------------------------------------------------------------------------


def sniff_api(path: Path, head: bytes) -> bool:
    text = head_text(head)
    return text[:1] in "[{" and has_keys(head, "account", "content", "in_reply_to_id", "reblog")


def read_api(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    def rows() -> Iterator[dict[str, Any]]:
        polls = 0
        for loc, doc in json_docs(path, ctx):
            statuses = listify(doc)
            for k, st in enumerate(statuses, start=1):
                where = loc if len(statuses) == 1 else f"{loc} status {k}"
                if (
                    not isinstance(st, dict)
                    or not as_str(st.get("id"))
                    or not isinstance(st.get("account"), dict)
                ):
                    ctx.skip(where, "not a status object (no id or account)")
                    continue
                # A boost carries the boosted status, poll included: keep that poll too.
                for carrier in (st, st.get("reblog")):
                    if isinstance(carrier, dict):
                        rows = status_poll_rows(carrier, f"{ctx.display}:{where}")
                        if rows:
                            polls += 1
                            ctx.add_polls(polls_frame(rows))
                yield from _status_rows(st, ctx, where)
        if polls:
            ctx.note(_POLL_NOTE.format(n=polls))

    yield from batched(rows(), ctx.batch_size)


def _status_rows(st: dict[str, Any], ctx: ReadContext, loc: str) -> Iterator[dict[str, Any]]:
    account = st["account"]
    actor = _acct(account)
    ctx.add_accounts(
        pl.DataFrame(
            [
                {
                    "actor": actor,
                    "platform": "mastodon",
                    "name": as_str(account.get("display_name")),
                    "bio": strip_html(as_str(account.get("note"))),
                    "followers": account.get("followers_count")
                    if isinstance(account.get("followers_count"), int)
                    else None,
                }
            ],
            schema={
                "actor": pl.String,
                "platform": pl.String,
                "name": pl.String,
                "bio": pl.String,
                "followers": pl.Int64,
            },
        )
    )
    sid = as_str(st.get("uri")) or as_str(st.get("url")) or as_str(st.get("id"))
    created = as_str(st.get("created_at"))
    source = f"{ctx.display}:{loc}"
    reblog = st.get("reblog")
    if isinstance(reblog, dict):
        yield {
            "event_id": sid,
            "kind": "share",
            "actor": actor,
            "actor_name": as_str(account.get("display_name")),
            "target": as_str(reblog.get("uri")) or as_str(reblog.get("id")),
            "target_kind": "post",
            "created_at": created,
            "source": source,
        }
        return
    reply_to = as_str(st.get("in_reply_to_id"))
    yield {
        "event_id": sid,
        "kind": "reply" if reply_to else "post",
        "actor": actor,
        "actor_name": as_str(account.get("display_name")),
        "target": reply_to,
        "target_kind": "post" if reply_to else None,
        "parent": reply_to,
        "text": strip_html(as_str(st.get("content"))),
        "created_at": created,
        "source": source,
    }
    yield from mention_events(
        (_acct(m) for m in dicts(listify(st.get("mentions")))),
        post_id=sid,
        sep="#",
        actor=actor,
        created_at=created,
        source=source,
    )


MASTODON_ARCHIVE = register(
    Reader(
        name="mastodon-archive",
        platform="mastodon",
        description="Mastodon account archive: outbox.json (posts, replies, boosts), likes.json, actor.json",
        sniff=sniff_archive,
        read=guarded(read_archive),
        extensions=(".json",),
    )
)
MASTODON_API = register(
    Reader(
        name="mastodon-api",
        platform="mastodon",
        description="Mastodon REST API statuses (JSON array or JSON Lines of Status entities)",
        sniff=sniff_api,
        read=guarded(read_api),
        extensions=(".json", ".jsonl"),
    )
)
