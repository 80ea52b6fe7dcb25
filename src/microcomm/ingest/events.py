"""Typed reader output: the one event constructor and what a pure ``parse_*`` returns.

Readers build every event row with :func:`make_event` (and :func:`mention_events` for the
accounts a post names) instead of writing dict literals, so an event always has the same
keys. A ``parse_*`` function turns one document or record into a :class:`Parsed`: its
events plus what the file-level ``read_*`` must report (skipped records, account profiles,
poll options, counters for notes). It touches no file and no context.

No polars here: rows stay plain dicts until ``base.batched`` makes frames of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypedDict

POLL_NOTE = (
    "{n} polls kept as community-level attributes (vote counts, no voters): "
    "in the report, never in the graph"
)


class Event(TypedDict, total=False):
    """One row of the ``events`` table as a reader writes it (before normalisation).

    ``created_at`` may be text, epoch seconds or a datetime; ``platform`` is set only by
    readers whose rows span platforms (the framework fills in the reader's own).
    """

    event_id: str | None
    platform: str
    kind: str
    actor: str | None
    actor_name: str | None
    target: str | None
    target_kind: str | None
    parent: str | None
    text: str | None
    created_at: Any
    location: str | None
    source: str


def make_event(
    *,
    kind: str,
    actor: str | None,
    source: str,
    event_id: str | None = None,
    target: str | None = None,
    target_kind: str | None = None,
    parent: str | None = None,
    text: str | None = None,
    created_at: Any = None,
    actor_name: str | None = None,
    location: str | None = None,
    platform: str | None = None,
) -> Event:
    """An event row. ``event_id`` is the platform's native id, or ``None`` for a content hash.

    Examples
    --------
    >>> e = make_event(kind="follow", actor="ann", target="bo", target_kind="account",
    ...                event_id="following/ann/bo", source="f.json:item 1")
    >>> e["kind"], e["target"], e["parent"], "platform" in e
    ('follow', 'bo', None, False)
    """
    row: Event = {
        "event_id": event_id,
        "kind": kind,
        "actor": actor,
        "actor_name": actor_name,
        "target": target,
        "target_kind": target_kind,
        "parent": parent,
        "text": text,
        "created_at": created_at,
        "location": location,
        "source": source,
    }
    if platform is not None:
        row["platform"] = platform
    return row


def reply_or(kind: str, *, parent: str | None, **fields: Any) -> Event:
    """A ``kind`` event (a post, a comment), or a ``reply`` when it answers ``parent``.

    ``fields`` are the other arguments of :func:`make_event`.

    >>> reply_or("comment", parent="c1", actor="ann", source="f")["kind"]
    'reply'
    """
    return make_event(kind="reply" if parent else kind, parent=parent, **fields)


def follow_event(follower: str | None, followed: str | None, **fields: Any) -> Event:
    """``follower`` follows the account ``followed``; ``fields`` as for :func:`make_event`."""
    return make_event(
        kind="follow", actor=follower, target=followed, target_kind="account", **fields
    )


def like_event(
    actor: str | None, target: str | None, *, target_kind: str = "post", **fields: Any
) -> Event:
    """``actor`` likes ``target`` (a post unless ``target_kind`` says otherwise)."""
    return make_event(kind="like", actor=actor, target=target, target_kind=target_kind, **fields)


def share_event(actor: str | None, target: str | None, **fields: Any) -> Event:
    """``actor`` shares (reposts, boosts) the post ``target``."""
    return make_event(kind="share", actor=actor, target=target, target_kind="post", **fields)


def owner_follow_event(
    owner: str | None,
    other: str | None,
    *,
    outgoing: bool,
    source: str,
    created_at: Any = None,
) -> Event:
    """A follow between an export's owner and ``other``, as the owner's own export lists it.

    ``outgoing``: the owner follows ``other`` (id ``following/<owner>/<other>``); otherwise
    ``other`` follows the owner (id ``follower/<other>/<owner>``).

    >>> owner_follow_event("ann", "bo", outgoing=False, source="f")["event_id"]
    'follower/bo/ann'
    """
    actor, target = (owner, other) if outgoing else (other, owner)
    prefix = "following" if outgoing else "follower"
    return follow_event(
        actor, target, event_id=f"{prefix}/{actor}/{target}", source=source, created_at=created_at
    )


def mention_events(
    handles: Iterable[str | None], *, post: Event, sep: str, named: bool = False
) -> Iterator[Event]:
    """One ``mention`` event per distinct handle (case-insensitive) that ``post`` names.

    Actor, date and source are the post's (its ``actor_name`` too when ``named``); target is
    the handle, parent the post, and the id ``<post id><sep>mention/<handle>`` is stable, so
    re-ingesting the post never duplicates its mentions (a post without an id leaves the id
    to the framework's content hash).

    Examples
    --------
    >>> post = make_event(event_id="p1", kind="post", actor="zed", source="f:1")
    >>> [e["event_id"] for e in mention_events(["Ann", "ann", None, "bo"], post=post, sep="/")]
    ['p1/mention/ann', 'p1/mention/bo']
    """
    post_id = post.get("event_id")
    seen: set[str] = set()
    for handle in handles:
        if not handle or handle.lower() in seen:
            continue
        seen.add(handle.lower())
        yield make_event(
            event_id=f"{post_id}{sep}mention/{handle.lower()}" if post_id else None,
            kind="mention",
            actor=post.get("actor"),
            actor_name=post.get("actor_name") if named else None,
            target=handle,
            target_kind="account",
            parent=post_id,
            created_at=post.get("created_at"),
            source=post.get("source", ""),
        )


@dataclass
class Parsed:
    """What a ``parse_*`` function read from one document or record.

    ``skips`` are (location, reason) pairs for records it could not use; ``accounts`` rows
    have columns of ``schema.ACCOUNTS``; ``polls`` rows those of ``schema.POLLS`` (one per
    option); ``counts`` feed the file's notes (``polls``, ``system``…).
    """

    events: list[Event] = field(default_factory=list)
    skips: list[tuple[str, str]] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    polls: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def skip(self, where: str, reason: str) -> None:
        """Record that the record at ``where`` was unusable, and why."""
        self.skips.append((where, reason))

    def extend(self, other: Parsed) -> Parsed:
        """Append ``other``'s rows after this one's (in order); returns self."""
        self.events.extend(other.events)
        self.skips.extend(other.skips)
        self.accounts.extend(other.accounts)
        self.polls.extend(other.polls)
        self.counts.update(other.counts)
        return self
