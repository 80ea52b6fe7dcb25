"""Reddit readers: Pushshift / Arctic Shift dumps, Reddit API (PRAW-style) JSON, data-request CSVs.

``reddit-pushshift``
    NDJSON dumps of comments (``body``, ``link_id``, ``parent_id``) and submissions (``title``,
    ``selftext``), plain or ``.zst`` (long-window zstandard, streamed). Parsed by polars in
    chunks with a fixed schema, so field type drift between years (``edited`` bool or float,
    ``created_utc`` int or text) costs nothing and memory stays bounded.
``reddit-json``
    reddit.com API responses as PRAW sees them: a thread (``[submission Listing, comment
    Listing]``) whose comments nest in ``replies`` (the empty string ``""`` when there are
    none), ``/api/morechildren`` (``{"json": {"data": {"things": [...]}}}``), comment
    listings; one document or one per line. ``kind: more`` stubs are id lists, not comments.
    The same comment can come in a thread and in morechildren: ids are fullnames
    (``t1_…``), so the store dedupes them.
``reddit-export-csv``
    Reddit's own data request (``comments.csv``, ``posts.csv``, ``messages.csv``,
    ``post_votes.csv``, ``comment_votes.csv``). They do not name the account holder, except in
    ``statistics.csv`` beside them when present.

Ids are fullnames everywhere (``t1_`` comment, ``t3_`` submission), so the same comment from
a dump and from the API is one event. ``[deleted]`` / ``[removed]`` authors become a null
actor: they never become graph nodes. Comments target their thread (``link_id``), with the
direct parent in ``parent``; submissions target their subreddit.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.ingest._common import as_str, has_keys, read_docs
from microcomm.ingest.base import ReadContext, event_columns, head_text, read_head
from microcomm.ingest.events import Event, Parsed, make_event
from microcomm.ingest.registry import reader
from microcomm.ingest.tabular import csv_batches, ndjson_batches

_GONE = ["[deleted]", "[removed]", ""]

# --- Pushshift / Arctic Shift ----------------------------------------------------------------

PUSHSHIFT_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "name": pl.String(),
    "author": pl.String(),
    "subreddit": pl.String(),
    "created_utc": pl.String(),
    "body": pl.String(),
    "title": pl.String(),
    "selftext": pl.String(),
    "link_id": pl.String(),
    "parent_id": pl.String(),
}


def sniff_pushshift(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if not text.startswith("{") or text.startswith('{"kind"'):
        return False
    first = text.split("\n", 1)[0]
    try:
        obj = json.loads(first)
    except json.JSONDecodeError:
        obj = None
    if isinstance(obj, dict):
        return {"author", "subreddit", "created_utc"} <= set(obj) and bool(
            {"body", "title", "selftext"} & set(obj)
        )
    return has_keys(head, "author", "subreddit", "created_utc") and (
        has_keys(head, "body") or has_keys(head, "title")
    )


@reader(
    "reddit-pushshift",
    platform="reddit",
    sniff=sniff_pushshift,
    extensions=(".ndjson", ".jsonl", ".zst", ".json"),
)
def read_pushshift(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Reddit Pushshift / Arctic Shift NDJSON dumps of comments and submissions (plain or .zst)"""
    display = ctx.display
    for raw in ndjson_batches(path, ctx, schema=PUSHSHIFT_SCHEMA):
        yield parse_pushshift(raw, display=display)


def parse_pushshift(raw: pl.DataFrame, *, display: str) -> pl.DataFrame:
    """Pushshift rows (``PUSHSHIFT_SCHEMA`` plus ``_line``) → events columns, vectorised.

    >>> raw = pl.DataFrame({"id": ["c1"], "name": [None], "author": ["ann"], "subreddit": ["x"],
    ...     "created_utc": ["1600000000"], "body": ["hi"], "title": [None], "selftext": [None],
    ...     "link_id": ["t3_p"], "parent_id": ["t1_c0"], "_line": [1]}, schema_overrides={"name": pl.String})
    >>> parse_pushshift(raw, display="f").select("event_id", "kind", "target", "parent").row(0)
    ('t1_c1', 'reply', 't3_p', 't1_c0')
    """
    is_sub = pl.col("title").is_not_null() & pl.col("body").is_null()
    native = pl.col("id").str.replace(r"^t[13]_", "")
    parent = pl.col("parent_id")
    sub_text = _joined(pl.col("title"), _unless_gone(pl.col("selftext")))
    return raw.select(
        event_columns(
            event_id=pl.coalesce(
                pl.col("name"),
                pl.when(is_sub).then(_prefixed("t3_", native)).otherwise(_prefixed("t1_", native)),
            ),
            kind=pl.when(is_sub)
            .then(pl.lit("post"))
            .when(parent.str.starts_with("t1_"))
            .then(pl.lit("reply"))
            .otherwise(pl.lit("comment")),
            actor=_unless_gone(pl.col("author")),
            target=pl.when(is_sub).then(pl.col("subreddit")).otherwise(pl.col("link_id")),
            target_kind=pl.when(is_sub).then(pl.lit("subreddit")).otherwise(pl.lit("thread")),
            parent=pl.when(is_sub).then(None).otherwise(parent),
            text=pl.when(is_sub).then(sub_text).otherwise(_unless_gone(pl.col("body"))),
            created_at=pl.col("created_utc").cast(pl.Float64, strict=False),
            source=_line_source(display),
        )
    )


def _prefixed(prefix: str, expr: pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.lit(prefix), expr])


def _joined(first: pl.Expr, second: pl.Expr) -> pl.Expr:
    """Title and body as one text (either may be missing)."""
    return pl.concat_str([first, second], separator="\n\n", ignore_nulls=True)


def _line_source(display: str) -> pl.Expr:
    return pl.concat_str([pl.lit(f"{display}:line "), pl.col("_line").cast(pl.String)])


def _unless_gone(expr: pl.Expr) -> pl.Expr:
    """Null for a deleted or removed author or text."""
    return pl.when(expr.is_in(_GONE)).then(None).otherwise(expr)


# --- Reddit API JSON (PRAW) ------------------------------------------------------------------


def sniff_reddit_json(path: Path, head: bytes) -> bool:
    text = head_text(head)
    if text.startswith("["):
        text = text[1:].lstrip()
    if not text.startswith("{"):
        return False
    if has_keys(head, "json", "things"):
        return True
    return has_keys(head, "kind", "data") and any(
        k in text[:2000] for k in ('"Listing"', '"t1"', '"t3"')
    )


@reader("reddit-json", platform="reddit", sniff=sniff_reddit_json, extensions=(".json", ".jsonl"))
def read_reddit_json(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Reddit API / PRAW JSON: thread listings, morechildren, comment listings"""
    yield from read_docs(path, ctx, parse_reddit_doc)
    if ctx.counts["more"]:
        ctx.note(
            f"{ctx.counts['more']} 'more comments' stubs hold ids only (fetch them with morechildren to ingest them)"
        )


def parse_reddit_doc(doc: Any, *, where: str, display: str) -> Parsed:
    """An API response (thread, listing, morechildren) → one event per comment / submission.

    Examples
    --------
    >>> doc = {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {
    ...     "id": "c1", "author": "ann", "body": "hi", "link_id": "t3_p", "parent_id": "t3_p",
    ...     "created_utc": 1700000000, "replies": ""}}, {"kind": "more", "data": {}}]}}
    >>> p = parse_reddit_doc(doc, where="line 1", display="f")
    >>> [(e["event_id"], e["kind"], e["target"]) for e in p.events], p.counts["more"]
    ([('t1_c1', 'comment', 't3_p')], 1)
    """
    out = Parsed()
    stubs = [0]
    for thing in _things(doc, stubs):
        row = _thing_event(thing, out, where, display=display)
        if row is not None:
            out.events.append(row)
    out.counts["more"] += stubs[0]
    return out


def _things(node: Any, stubs: list[int]) -> Iterator[dict[str, Any]]:
    """Every t1/t3 thing in a response, depth first, nested replies included."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, list):
            stack.extend(reversed(cur))
            continue
        if not isinstance(cur, dict):
            continue  # e.g. replies == "" on a comment without replies
        kind = cur.get("kind")
        data = cur.get("data")
        if kind == "Listing" and isinstance(data, dict):
            stack.append(data.get("children"))
        elif kind in ("t1", "t3") and isinstance(data, dict):
            yield cur
            stack.append(data.get("replies"))
        elif kind == "more":
            stubs[0] += 1
        elif "json" in cur and isinstance(cur["json"], dict):
            inner = cur["json"].get("data")
            if isinstance(inner, dict):
                stack.append(inner.get("things"))


def _thing_event(thing: dict[str, Any], out: Parsed, where: str, *, display: str) -> Event | None:
    d = thing["data"]
    native = as_str(d.get("id"))
    if not native:
        out.skip(where, f"{thing['kind']} without an id")
        return None
    name = as_str(d.get("name")) or f"{thing['kind']}_{native}"
    author = as_str(d.get("author"))
    created = d.get("created_utc")
    common: dict[str, Any] = {
        "event_id": name,
        "actor": None if author in _GONE or author is None else author,
        "created_at": created if isinstance(created, int | float) else as_str(created),
        "source": f"{display}:{where} {name}",
    }
    if thing["kind"] == "t3":
        title = as_str(d.get("title"))
        body = as_str(d.get("selftext"))
        body = None if body in _GONE else body
        return make_event(
            kind="post",
            target=as_str(d.get("subreddit")),
            target_kind="subreddit",
            text="\n\n".join(t for t in (title, body) if t) or None,
            **common,
        )
    parent = as_str(d.get("parent_id"))
    body = as_str(d.get("body"))
    return make_event(
        kind="reply" if parent and parent.startswith("t1_") else "comment",
        target=as_str(d.get("link_id")),
        target_kind="thread",
        parent=parent,
        text=None if body in _GONE else body,
        **common,
    )


# --- data request CSVs -------------------------------------------------------------------------

_CSV_KINDS = {
    (
        "id",
        "permalink",
        "date",
        "ip",
        "subreddit",
        "gildings",
        "link",
        "parent",
        "body",
    ): "comments",
    ("id", "permalink", "date", "ip", "subreddit", "gildings", "title", "url", "body"): "posts",
    ("id", "permalink", "thread_id", "date", "ip", "from", "to"): "messages",
    ("id", "permalink", "direction"): "votes",
}


# file kind → (event id prefix, event kind, target column, target kind)
_CSV_EVENTS = {
    "posts": ("t3_", "post", "subreddit", "subreddit"),
    "messages": ("msg_", "dm", "to", "account"),
}


def _csv_kind(head: bytes) -> str | None:
    first = head_text(head).split("\n", 1)[0].strip().lower()
    cols = tuple(c.strip().strip('"') for c in first.split(","))
    for prefix, kind in _CSV_KINDS.items():
        if cols[: len(prefix)] == prefix:
            return kind
    return None


def sniff_reddit_csv(path: Path, head: bytes) -> bool:
    return _csv_kind(head) is not None


def _csv_owner(path: Path) -> str | None:
    stats = path.parent / "statistics.csv"
    if not stats.is_file():
        return None
    try:
        with open(stats, encoding="utf-8", errors="replace", newline="") as fh:
            for rec in csv.DictReader(fh):
                key = (rec.get("statistic") or "").strip().lower()
                if key in ("account name", "username", "name"):
                    return (rec.get("value") or "").strip() or None
    except (OSError, csv.Error):
        return None
    return None


@reader("reddit-export-csv", platform="reddit", sniff=sniff_reddit_csv, extensions=(".csv",))
def read_reddit_csv(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    """Reddit data request CSVs (comments, posts, messages, votes)"""
    kind = _csv_kind(read_head(path)) or ""
    owner = _csv_owner(path) or ctx.owner
    if owner is None and kind != "messages":
        ctx.note(
            "Reddit's data-request CSVs do not name the account holder (no statistics.csv beside "
            "them, no --owner): their events have no actor and are skipped"
        )
    if kind not in ("comments", "posts", "messages"):
        ctx.note("votes have no date; only upvotes are kept (as likes)")
    offset = 2  # line 1 is the header
    for raw in csv_batches(path, ctx, separator=","):
        raw = raw.with_row_index("_line", offset=offset)
        offset += raw.height
        yield parse_reddit_csv(
            raw,
            kind=kind,
            owner=owner,
            display=ctx.display,
            comment_votes="comment" in path.name.lower(),
        )


def parse_reddit_csv(
    frame: pl.DataFrame, *, kind: str, owner: str | None, display: str, comment_votes: bool = False
) -> pl.DataFrame:
    """Rows of one data-request CSV (text columns plus ``_line``) → events columns, vectorised.

    ``kind`` is ``comments``, ``posts``, ``messages`` or ``votes`` (upvotes become likes of
    comments when ``comment_votes``, else of posts; downvotes carry no affinity).

    Examples
    --------
    >>> raw = pl.DataFrame({"id": ["a1"], "direction": ["up"], "_line": [2]})
    >>> parse_reddit_csv(raw, kind="votes", owner="ann", display="f").select("event_id", "target").row(0)
    ('vote_t3_a1', 't3_a1')
    """
    date = (
        pl.col("date").str.replace(r"\s*UTC$", "+00:00")
        if "date" in frame.columns
        else pl.lit(None, pl.String)
    )
    common = {"actor": pl.lit(owner, pl.String), "source": _line_source(display)}
    if kind == "comments":
        parent = pl.col("parent").str.strip_chars()
        link = pl.col("link").str.extract(r"/comments/([a-z0-9]+)", 1)
        is_reply = parent.str.len_chars() > 0
        columns = event_columns(
            event_id=_prefixed("t1_", pl.col("id")),
            kind=pl.when(is_reply).then(pl.lit("reply")).otherwise(pl.lit("comment")),
            target=_prefixed("t3_", link),
            target_kind="thread",
            parent=pl.when(is_reply).then(_prefixed("t1_", parent)),
            text=_unless_gone(pl.col("body")),
            created_at=date,
            **common,
        )
    elif kind in _CSV_EVENTS:  # posts (in a subreddit) and messages (to an account)
        prefix, event_kind, target, target_kind = _CSV_EVENTS[kind]
        posts = kind == "posts"
        columns = event_columns(
            event_id=_prefixed(prefix, pl.col("id")),
            kind=event_kind,
            target=pl.col(target),
            target_kind=target_kind,
            parent=None if posts else pl.col("thread_id"),
            text=_joined(pl.col("title"), _unless_gone(pl.col("body")))
            if posts
            else _joined(pl.col("subject"), pl.col("body")),
            created_at=date,
            **(common if posts else {**common, "actor": pl.col("from")}),
        )
    else:
        prefix = "t1_" if comment_votes else "t3_"
        frame = frame.filter(pl.col("direction").str.strip_chars().str.to_lowercase() == "up")
        columns = event_columns(
            event_id=_prefixed("vote_" + prefix, pl.col("id")),
            kind="like",
            target=_prefixed(prefix, pl.col("id")),
            target_kind="post",
            **common,
        )
    return frame.select(columns)
