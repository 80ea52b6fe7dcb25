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
    DocStream,
    as_str,
    dicts,
    has_keys,
    iter_json_array,
    listify,
    read_docs,
    strip_html,
    sub,
)
from microcomm.ingest.base import ReadContext, batched, head_text, load_json
from microcomm.ingest.events import (
    POLL_NOTE,
    Event,
    Parsed,
    like_event,
    mention_events,
    reply_or,
    share_event,
)
from microcomm.ingest.registry import reader

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


@reader("mastodon-archive", platform="mastodon", sniff=sniff_archive, extensions=(".json",))
def read_archive(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Mastodon account archive: outbox.json (posts, replies, boosts), likes.json, actor.json"""
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    text = head_text(head)
    if '"Person"' in text and not has_keys(head, "orderedItems"):
        ctx.take(parse_actor(load_json(path)))
        ctx.note("actor.json is the owner's profile: it fills the accounts table, not events")
        return
    header, items = iter_json_array(path, "orderedItems")
    is_likes = (
        header.get("id") == "likes.json" or re.search(r'"id"\s*:\s*"likes\.json"', text) is not None
    )
    if is_likes:
        owner, name = _owner(path)
        owner = owner or ctx.owner
        if owner is None:
            ctx.note(
                "no actor.json beside likes.json and no --owner: the liker is unknown, so likes "
                "have no actor and are skipped"
            )
        ctx.note("likes.json holds the liked status URLs only, without dates")
        rows: Iterator[Event] = (
            like_event(
                owner,
                url,
                event_id=f"like/{url}",
                source=f"{ctx.display}:item {i}",
                actor_name=name,
            )
            for i, url in enumerate(items, start=1)
            if isinstance(url, str)
        )
    else:
        rows = (
            event
            for i, act in enumerate(items, start=1)
            for event in ctx.take(parse_activity(act, where=f"item {i}", display=ctx.display))
        )
    yield from batched(rows, ctx.batch_size)
    if ctx.counts["polls"]:
        ctx.note(POLL_NOTE.format(n=ctx.counts["polls"]))


def parse_actor(actor: Any) -> Parsed:
    """``actor.json`` (the owner's ActivityPub Person) → the owner's account row."""
    out = Parsed()
    if isinstance(actor, dict):
        host = urlparse(as_str(actor.get("id")) or "").hostname
        user = as_str(actor.get("preferredUsername"))
        out.accounts.append(
            {
                "actor": f"{user}@{host}" if host else user,
                "platform": "mastodon",
                "name": as_str(actor.get("name")),
                "bio": strip_html(as_str(actor.get("summary"))),
            }
        )
    return out


def parse_activity(act: Any, *, where: str, display: str) -> Parsed:
    """One outbox activity → a share (``Announce``) or a post / reply with its mentions.

    Examples
    --------
    >>> act = {"type": "Announce", "id": "https://h/users/a/statuses/2/activity",
    ...        "actor": "https://h/users/a", "object": "https://o/users/b/statuses/1"}
    >>> [(e["kind"], e["actor"], e["target"]) for e in parse_activity(act, where="item 1", display="f").events]
    [('share', 'a@h', 'https://o/users/b/statuses/1')]
    """
    out = Parsed()
    if not isinstance(act, dict):
        out.skip(where, "not an activity object")
        return out
    source = f"{display}:{where}"
    actor = acct_of_url(as_str(act.get("actor")))
    obj = act.get("object")
    typ = act.get("type")
    if typ == "Announce":
        target = as_str(obj) if not isinstance(obj, dict) else as_str(obj.get("id"))
        boost = share_event(
            actor,
            target,
            event_id=as_str(act.get("id")),
            source=source,
            created_at=as_str(act.get("published")),
        )
        out.events.append(boost)
    elif typ == "Create" and isinstance(obj, dict):
        if obj.get("type") == "Question":
            out.polls = question_poll_rows(obj, source)
            out.counts["polls"] += 1 if out.polls else 0
        out.events.extend(_note_events(obj, actor, source=source))
    # Follow/Like/Delete... are not in outboxes in practice; nothing to link
    return out


def _note_events(obj: dict[str, Any], actor: str | None, *, source: str) -> Iterator[Event]:
    sid = as_str(obj.get("id"))
    actor = acct_of_url(as_str(obj.get("attributedTo"))) or actor
    reply_to = as_str(obj.get("inReplyTo"))
    created = as_str(obj.get("published"))
    post = _status_event(sid, actor, reply_to, obj.get("content"), created, source)
    yield post
    tags = [t for t in dicts(listify(obj.get("tag"))) if t.get("type") == "Mention"]
    yield from mention_events((_tag_acct(t) for t in tags), post=post, sep="#")


def _status_event(
    sid: str | None,
    actor: str | None,
    reply_to: str | None,
    content: Any,
    created: str | None,
    source: str,
    actor_name: str | None = None,
) -> Event:
    """A status (outbox Note or API Status) as a post, or a reply to the status it answers."""
    return reply_or(
        "post",
        event_id=sid,
        parent=reply_to,
        actor=actor,
        actor_name=actor_name,
        target=reply_to,
        target_kind="post" if reply_to else None,
        text=strip_html(as_str(content)),
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


@reader("mastodon-api", platform="mastodon", sniff=sniff_api, extensions=(".json", ".jsonl"))
def read_api(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Mastodon REST API statuses (JSON array or JSON Lines of Status entities)"""
    yield from read_docs(path, ctx, parse_statuses, stream=DocStream(records=("item",)))
    if ctx.counts["polls"]:
        ctx.note(POLL_NOTE.format(n=ctx.counts["polls"]))


def parse_statuses(doc: Any, *, where: str, display: str, start: int = 1) -> Parsed:
    """A status, or an array of them (a timeline page), → events, account rows and polls.

    ``start`` numbers the first record (a streamed document comes a chunk at a time).
    """
    out = Parsed()
    statuses = listify(doc)
    for k, st in enumerate(statuses, start=start):
        loc = where if len(statuses) == 1 else f"{where} status {k}"
        if (
            not isinstance(st, dict)
            or not as_str(st.get("id"))
            or not isinstance(st.get("account"), dict)
        ):
            out.skip(loc, "not a status object (no id or account)")
            continue
        # A boost carries the boosted status, poll included: keep that poll too.
        for carrier in (st, st.get("reblog")):
            if isinstance(carrier, dict):
                rows = status_poll_rows(carrier, f"{display}:{loc}")
                if rows:
                    out.counts["polls"] += 1
                    out.polls.extend(rows)
        out.extend(_parse_status(st, source=f"{display}:{loc}"))
    return out


def _parse_status(st: dict[str, Any], *, source: str) -> Parsed:
    out = Parsed()
    account = st["account"]
    actor = _acct(account)
    followers = account.get("followers_count")
    out.accounts.append(
        {
            "actor": actor,
            "platform": "mastodon",
            "name": as_str(account.get("display_name")),
            "bio": strip_html(as_str(account.get("note"))),
            "followers": followers if isinstance(followers, int) else None,
        }
    )
    sid = as_str(st.get("uri")) or as_str(st.get("url")) or as_str(st.get("id"))
    created = as_str(st.get("created_at"))
    reblog = st.get("reblog")
    if isinstance(reblog, dict):
        target = as_str(reblog.get("uri")) or as_str(reblog.get("id"))
        name = as_str(account.get("display_name"))
        boost = share_event(
            actor, target, event_id=sid, source=source, actor_name=name, created_at=created
        )
        out.events.append(boost)
        return out
    reply_to = as_str(st.get("in_reply_to_id"))
    name = as_str(account.get("display_name"))
    post = _status_event(sid, actor, reply_to, st.get("content"), created, source, name)
    mentioned = (_acct(m) for m in dicts(listify(st.get("mentions"))))
    out.events.extend([post, *mention_events(mentioned, post=post, sep="#")])
    return out
