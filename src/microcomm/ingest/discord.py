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
    guarded,
    has_keys,
    iter_json_array,
    listify,
    mention_events,
    sub,
)
from microcomm.ingest.base import ReadContext, Reader, batched, head_text, polls_frame, register

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


def read_dce(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
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
    counts = {"system": 0, "reactions": 0, "polls": 0}
    profiles: dict[str, dict[str, Any]] = {}

    def rows() -> Iterator[dict[str, Any]]:
        for i, msg in enumerate(messages, start=1):
            loc = f"message {i}"
            if (
                not isinstance(msg, dict)
                or not as_str(msg.get("id"))
                or not isinstance(msg.get("author"), dict)
            ):
                ctx.skip(loc, "message without id or author")
                continue
            if str(msg.get("type", "Default")) not in _USER_TYPES:
                counts["system"] += 1
                continue
            mid = as_str(msg["id"])
            author = msg["author"]
            actor = discord_user(author)
            if actor:
                profiles[actor] = {
                    "actor": actor,
                    "platform": "discord",
                    "name": as_str(author.get("nickname")),
                }
            ref = sub(msg, "reference")
            parent = as_str(ref.get("messageId"))
            created = as_str(msg.get("timestamp"))
            source = f"{ctx.display}:{loc}"
            if isinstance(msg.get("poll"), dict):
                rows_of_poll = dce_poll_rows(msg["poll"], mid, channel_id, actor, created, source)
                if rows_of_poll:
                    counts["polls"] += 1
                    ctx.add_polls(polls_frame(rows_of_poll))
            yield {
                "event_id": mid,
                "kind": "reply" if parent else "post",
                "actor": actor,
                "actor_name": as_str(author.get("nickname")),
                "target": channel_id,
                "target_kind": "channel",
                "parent": parent,
                "text": as_str(msg.get("content")),
                "created_at": created,
                "location": location or None,
                "source": source,
            }
            mentioned = (discord_user(m) for m in dicts(listify(msg.get("mentions"))))
            yield from mention_events(
                (t for t in mentioned if t != actor),  # replying pings the author: not a mention
                post_id=mid,
                sep="/",
                actor=actor,
                created_at=created,
                source=source,
            )
            for reaction in dicts(listify(msg.get("reactions"))):
                users = list(dicts(listify(reaction.get("users"))))
                if not users:
                    counts["reactions"] += 1
                for u in users:
                    who = discord_user(u)
                    if who:
                        yield {
                            "event_id": f"{mid}/like/{who.lower()}",
                            "kind": "like",
                            "actor": who,
                            "target": mid,
                            "target_kind": "post",
                            "created_at": created,
                            "source": source,
                        }

    yield from batched(rows(), ctx.batch_size)
    if profiles:
        ctx.add_accounts(
            pl.DataFrame(
                list(profiles.values()),
                schema={"actor": pl.String, "platform": pl.String, "name": pl.String},
            )
        )
    if counts["system"]:
        ctx.note(
            f"{counts['system']} system messages (joins, thread creations, pins) are not engagement: left out"
        )
    if counts["reactions"]:
        ctx.note("reactions list counts only, not who reacted: kept out of the graph")
    if counts["polls"]:
        ctx.note(
            f"{counts['polls']} polls kept as community-level attributes (vote counts, "
            "no voters): in the report, never in the graph"
        )


DISCORD_DCE = register(
    Reader(
        name="discord-dce",
        platform="discord",
        description="DiscordChatExporter JSON (one channel or thread per file)",
        sniff=sniff_dce,
        read=guarded(read_dce),
        extensions=(".json",),
    )
)
