"""Discord reader: DiscordChatExporter JSON (``discord-dce``).

One file per channel or thread: ``{guild, channel{id, type, category, name}, dateRange,
messages[], messageCount}``. Messages have ``id``, ``type`` (``Default``, ``Reply``, and system
types such as ``GuildMemberJoin``, ``ThreadCreated``, ``ChannelPinnedMessage``),
``timestamp``, ``content`` (may be empty for attachment-only messages), ``author{id, name,
discriminator, nickname, isBot}``, ``mentions[]``, ``reactions[]`` and ``reference{messageId}``
for replies. The ``messages`` array is streamed, so a channel export of any size reads in
bounded memory. ``messageCount`` can disagree with the messages present; they are counted.

Events: each user message is a ``post`` (or ``reply`` when it references another message)
whose target is the channel; each mentioned user is a ``mention``. System messages are left
out (and counted in a note). Reactions list counts only, unless the export carries
``reactions[].users`` (newer DCE), in which case each reacting user becomes a ``like``.
Usernames keep their ``#discriminator`` unless it is ``0``/``0000`` (post-2023 names).

Polls (``poll{question, answers[{id, text}], results{answers[{id, count}]}}`` in DCE; the
raw API's ``question.text``, ``answer_id``, ``poll_media`` and ``answer_counts`` are read
too) go to the ``polls`` table, one row per answer with its vote count, in the context of the
channel (where the members who answered it talk). They hold no voters: never edges.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import (
    as_str,
    dicts,
    has_keys,
    iter_json_array,
    listify,
    sub,
)
from microcomm.ingest.base import ReadContext, accounts_frame, batched, head_text
from microcomm.ingest.events import POLL_NOTE, Event, Parsed, like_event, mention_events, reply_or
from microcomm.ingest.registry import reader

_USER_TYPES = {"Default", "Reply", "0", "19"}


def discord_user(user: dict[str, Any]) -> str | None:
    """``name`` or ``name#1234`` (legacy discriminator) of a DCE author/mention object.

    >>> discord_user({"name": "Thomas", "discriminator": "0007"}), discord_user({"name": "ann", "discriminator": "0000"})
    ('Thomas#0007', 'ann')
    """
    name = as_str(user.get("name"))
    disc = as_str(user.get("discriminator"))
    if name and disc and disc.strip("0"):
        return f"{name}#{disc}"
    return name or as_str(user.get("id"))


def dce_poll_rows(
    poll: dict[str, Any],
    message_id: str | None,
    channel_id: str | None,
    author: str | None,
    created: str | None,
    source: str,
) -> list[dict[str, Any]]:
    """One row per answer of a message's poll, with its vote count (null when not exported).

    >>> dce_poll_rows({"question": "Tea?", "answers": [{"id": 1, "text": "yes"}],
    ...                "results": {"answers": [{"id": 1, "count": 4}]}}, "m1", "c1", "ann", None, "f")[0]["votes"]
    4
    """
    question = poll.get("question")
    if isinstance(question, dict):
        question = question.get("text")
    results = sub(poll, "results")
    counts = {
        as_str(a.get("id")): a.get("count")
        for a in dicts(listify(results.get("answers") or results.get("answer_counts")))
    }
    rows = []
    for answer in dicts(listify(poll.get("answers"))):
        aid = as_str(answer.get("id")) or as_str(answer.get("answer_id"))
        media = sub(answer, "poll_media")
        text = as_str(answer.get("text")) or as_str(media.get("text"))
        votes = next(
            (answer[k] for k in ("votes", "count", "voteCount") if k in answer),
            # Discord leaves answers nobody chose out of the results: 0, not unknown.
            counts.get(aid, 0 if results else None),
        )
        if text is None:
            continue
        rows.append(
            {
                "poll_id": message_id,
                "context": channel_id,
                "author": author,
                "question": as_str(question),
                "option": text,
                "votes": votes,
                "created_at": created,
                "source": source,
            }
        )
    return rows


def sniff_dce(path: Path, head: bytes) -> bool:
    return head_text(head)[:1] == "{" and has_keys(head, "guild", "channel", "messages")


@reader("discord-dce", platform="discord", sniff=sniff_dce, extensions=(".json",))
def read_dce(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """DiscordChatExporter JSON (one channel or thread per file)"""
    header, messages = iter_json_array(path, "messages")
    channel = sub(header, "channel")
    guild = sub(header, "guild")
    channel_id = as_str(channel.get("id"))
    location = " / ".join(
        x
        for x in (
            as_str(guild.get("name")),
            as_str(channel.get("category")),
            as_str(channel.get("name")),
        )
        if x
    )
    profiles: dict[str, dict[str, Any]] = {}

    def rows() -> Iterator[Event]:
        for i, msg in enumerate(messages, start=1):
            parsed = parse_dce_message(
                msg,
                where=f"message {i}",
                display=ctx.display,
                channel_id=channel_id,
                location=location or None,
            )
            for row in parsed.accounts:  # once per author, as last seen
                profiles[row["actor"]] = row
            parsed.accounts = []
            yield from ctx.take(parsed)

    yield from batched(rows(), ctx.batch_size)
    if profiles:
        ctx.add_accounts(accounts_frame(list(profiles.values())))
    counts = ctx.counts
    if counts["system"]:
        ctx.note(
            f"{counts['system']} system messages (joins, thread creations, pins) are not engagement: left out"
        )
    if counts["reactions"]:
        ctx.note("reactions list counts only, not who reacted: kept out of the graph")
    if counts["polls"]:
        ctx.note(POLL_NOTE.format(n=counts["polls"]))


def parse_dce_message(
    msg: Any, *, where: str, display: str, channel_id: str | None, location: str | None
) -> Parsed:
    """One DCE message → its post or reply, mentions, reactions (as likes) and poll rows.

    Examples
    --------
    >>> msg = {"id": "7", "type": "Default", "content": "hi", "author": {"name": "ann"},
    ...        "reactions": [{"users": [{"name": "bo", "discriminator": "0"}]}]}
    >>> p = parse_dce_message(msg, where="message 1", display="f", channel_id="c", location=None)
    >>> [(e["event_id"], e["kind"], e["actor"]) for e in p.events]
    [('7', 'post', 'ann'), ('7/like/bo', 'like', 'bo')]
    """
    out = Parsed()
    if (
        not isinstance(msg, dict)
        or not as_str(msg.get("id"))
        or not isinstance(msg.get("author"), dict)
    ):
        out.skip(where, "message without id or author")
        return out
    if str(msg.get("type", "Default")) not in _USER_TYPES:
        out.counts["system"] += 1
        return out
    mid = as_str(msg["id"])
    author = msg["author"]
    actor = discord_user(author)
    if actor:
        out.accounts.append(
            {"actor": actor, "platform": "discord", "name": as_str(author.get("nickname"))}
        )
    parent = as_str(sub(msg, "reference").get("messageId"))
    created = as_str(msg.get("timestamp"))
    source = f"{display}:{where}"
    if isinstance(msg.get("poll"), dict):
        out.polls = dce_poll_rows(msg["poll"], mid, channel_id, actor, created, source)
        out.counts["polls"] += 1 if out.polls else 0
    post = reply_or(
        "post",
        event_id=mid,
        parent=parent,
        actor=actor,
        actor_name=as_str(author.get("nickname")),
        target=channel_id,
        target_kind="channel",
        text=as_str(msg.get("content")),
        created_at=created,
        location=location,
        source=source,
    )
    out.events.append(post)
    mentioned = (discord_user(m) for m in dicts(listify(msg.get("mentions"))))
    # replying pings the author: not a mention
    out.events.extend(mention_events((t for t in mentioned if t != actor), post=post, sep="/"))
    for reaction in dicts(listify(msg.get("reactions"))):
        users = list(dicts(listify(reaction.get("users"))))
        if not users:
            out.counts["reactions"] += 1
        for who in filter(None, (discord_user(u) for u in users)):
            out.events.append(
                like_event(
                    who,
                    mid,
                    event_id=f"{mid}/like/{who.lower()}",
                    source=source,
                    created_at=created,
                )
            )
    return out
