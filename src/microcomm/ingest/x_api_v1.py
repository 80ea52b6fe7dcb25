"""X API v1.1 reader (``x-api-v1``).

v1.1 statuses, one per line (twarc 1, tweepy ``_json`` dumps) or ``{"statuses": [...]}``
search pages: ``id_str``, ``user.screen_name``, ``retweeted_status``, ``extended_tweet``.
Events as for every status of that shape (:func:`microcomm.ingest._x.v1_tweet_events`); each
status's ``user`` also fills the accounts table.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import DocStream, as_str, has_keys, listify, read_docs
from microcomm.ingest._x import v1_tweet_events, x_account_rows
from microcomm.ingest.base import ReadContext, head_text
from microcomm.ingest.events import Parsed
from microcomm.ingest.registry import reader


def sniff_v1(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if not text.startswith("{"):
        return False
    if has_keys(head, "statuses", "search_metadata"):
        return True
    return has_keys(head, "id_str", "user", "screen_name") and not has_keys(head, "author_id")


@reader(
    "x-api-v1",
    platform="x",
    sniff=sniff_v1,
    extensions=(".jsonl", ".json"),
    priority=15,
    label="twitter",
)
def read_v1(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """X API v1.1 statuses, one per line or search pages"""
    yield from read_docs(
        path, ctx, parse_v1_doc, stream=DocStream(records=("statuses.item", "item"))
    )


def parse_v1_doc(doc: Any, *, where: str, display: str, start: int = 1) -> Parsed:
    """One status, or a search page of them, → events and the authors' account rows.

    ``start`` numbers the first record (a streamed document comes a chunk at a time).

    Examples
    --------
    >>> doc = {"id_str": "5", "text": "hi", "user": {"screen_name": "ann"}}
    >>> [(e["event_id"], e["kind"], e["actor"]) for e in parse_v1_doc(doc, where="line 1", display="f").events]
    [('5', 'post', 'ann')]
    """
    out = Parsed()
    statuses = doc.get("statuses") if isinstance(doc, dict) and "statuses" in doc else listify(doc)
    for k, tw in enumerate(listify(statuses), start=start):
        loc = where if len(listify(statuses)) == 1 else f"{where} status {k}"
        if not isinstance(tw, dict) or not as_str(tw.get("id_str") or tw.get("id")):
            out.skip(loc, "not a tweet object (no id_str)")
            continue
        user = tw.get("user")
        if isinstance(user, dict):
            out.accounts.extend(x_account_rows([user]))
        out.events.extend(v1_tweet_events(tw, source=f"{display}:{loc}"))
    return out
