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

from microcomm.ingest._common import as_str, guarded, has_keys, json_docs
from microcomm.ingest.base import ReadContext, Reader, batched, head_text, register
from microcomm.ingest.generic import ndjson_batches

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


def read_pushshift(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    display = ctx.display
    for raw in ndjson_batches(path, ctx, schema=PUSHSHIFT_SCHEMA):
        yield parse_pushshift(raw, display=display)


def parse_pushshift(raw: pl.DataFrame, *, display: str) -> pl.DataFrame:
    """Pushshift rows (``PUSHSHIFT_SCHEMA`` plus ``_line``) → events columns, vectorised."""
    is_sub = pl.col("title").is_not_null() & pl.col("body").is_null()
    native = pl.col("id").str.replace(r"^t[13]_", "")
    fullname = pl.coalesce(
        pl.col("name"),
        pl.when(is_sub)
        .then(pl.concat_str([pl.lit("t3_"), native]))
        .otherwise(pl.concat_str([pl.lit("t1_"), native])),
    )
    parent = pl.col("parent_id")
    sub_text = pl.concat_str(
        [pl.col("title"), _clean_text(pl.col("selftext"))], separator="\n\n", ignore_nulls=True
    )
    return raw.select(
        fullname.alias("event_id"),
        pl.when(is_sub)
        .then(pl.lit("post"))
        .when(parent.str.starts_with("t1_"))
        .then(pl.lit("reply"))
        .otherwise(pl.lit("comment"))
        .alias("kind"),
        pl.when(pl.col("author").is_in(_GONE))
        .then(None)
        .otherwise(pl.col("author"))
        .alias("actor"),
        pl.when(is_sub).then(pl.col("subreddit")).otherwise(pl.col("link_id")).alias("target"),
        pl.when(is_sub).then(pl.lit("subreddit")).otherwise(pl.lit("thread")).alias("target_kind"),
        pl.when(is_sub).then(None).otherwise(parent).alias("parent"),
        pl.when(is_sub).then(sub_text).otherwise(_clean_text(pl.col("body"))).alias("text"),
        pl.col("created_utc").cast(pl.Float64, strict=False).alias("created_at"),
        pl.concat_str([pl.lit(f"{display}:line "), pl.col("_line").cast(pl.String)]).alias(
            "source"
        ),
    )


def _clean_text(expr: pl.Expr) -> pl.Expr:
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


def read_reddit_json(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    stubs = [0]

    def rows() -> Iterator[dict[str, Any]]:
        for loc, doc in json_docs(path, ctx):
            for thing in _things(doc, stubs):
                row = _thing_row(thing, ctx, loc)
                if row is not None:
                    yield row

    yield from batched(rows(), ctx.batch_size)
    if stubs[0]:
        ctx.note(
            f"{stubs[0]} 'more comments' stubs hold ids only (fetch them with morechildren to ingest them)"
        )


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


def _thing_row(thing: dict[str, Any], ctx: ReadContext, loc: str) -> dict[str, Any] | None:
    d = thing["data"]
    native = as_str(d.get("id"))
    if not native:
        ctx.skip(loc, f"{thing['kind']} without an id")
        return None
    name = as_str(d.get("name")) or f"{thing['kind']}_{native}"
    author = as_str(d.get("author"))
    actor = None if author in _GONE or author is None else author
    row: dict[str, Any] = {
        "event_id": name,
        "actor": actor,
        "created_at": d.get("created_utc")
        if isinstance(d.get("created_utc"), int | float)
        else as_str(d.get("created_utc")),
        "source": f"{ctx.display}:{loc} {name}",
    }
    if thing["kind"] == "t3":
        title = as_str(d.get("title"))
        body = as_str(d.get("selftext"))
        body = None if body in _GONE else body
        row.update(
            kind="post",
            target=as_str(d.get("subreddit")),
            target_kind="subreddit",
            text="\n\n".join(t for t in (title, body) if t) or None,
        )
    else:
        parent = as_str(d.get("parent_id"))
        body = as_str(d.get("body"))
        row.update(
            kind="reply" if parent and parent.startswith("t1_") else "comment",
            target=as_str(d.get("link_id")),
            target_kind="thread",
            parent=parent,
            text=None if body in _GONE else body,
        )
    return row


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


def read_reddit_csv(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
    from microcomm.ingest.base import read_head

    kind = _csv_kind(read_head(path)) or ""
    owner = _csv_owner(path)
    if owner is None and kind != "messages":
        ctx.note(
            "Reddit's data-request CSVs do not name the account holder (no statistics.csv beside them): events have no actor"
        )
    frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True)
    frame = frame.with_row_index("_line", offset=2)
    date = (
        pl.col("date").str.replace(r"\s*UTC$", "+00:00")
        if "date" in frame.columns
        else pl.lit(None, pl.String)
    )
    src = pl.concat_str([pl.lit(f"{ctx.display}:line "), pl.col("_line").cast(pl.String)]).alias(
        "source"
    )
    own = pl.lit(owner, pl.String).alias("actor")
    if kind == "comments":
        parent = pl.col("parent").str.strip_chars()
        link = pl.col("link").str.extract(r"/comments/([a-z0-9]+)", 1)
        out = frame.select(
            pl.concat_str([pl.lit("t1_"), pl.col("id")]).alias("event_id"),
            pl.when(parent.str.len_chars() > 0)
            .then(pl.lit("reply"))
            .otherwise(pl.lit("comment"))
            .alias("kind"),
            own,
            pl.concat_str([pl.lit("t3_"), link]).alias("target"),
            pl.lit("thread").alias("target_kind"),
            pl.when(parent.str.len_chars() > 0)
            .then(pl.concat_str([pl.lit("t1_"), parent]))
            .alias("parent"),
            _clean_text(pl.col("body")).alias("text"),
            date.alias("created_at"),
            src,
        )
    elif kind == "posts":
        out = frame.select(
            pl.concat_str([pl.lit("t3_"), pl.col("id")]).alias("event_id"),
            pl.lit("post").alias("kind"),
            own,
            pl.col("subreddit").alias("target"),
            pl.lit("subreddit").alias("target_kind"),
            pl.concat_str(
                [pl.col("title"), _clean_text(pl.col("body"))], separator="\n\n", ignore_nulls=True
            ).alias("text"),
            date.alias("created_at"),
            src,
        )
    elif kind == "messages":
        out = frame.select(
            pl.concat_str([pl.lit("msg_"), pl.col("id")]).alias("event_id"),
            pl.lit("dm").alias("kind"),
            pl.col("from").alias("actor"),
            pl.col("to").alias("target"),
            pl.lit("account").alias("target_kind"),
            pl.col("thread_id").alias("parent"),
            pl.concat_str(
                [pl.col("subject"), pl.col("body")], separator="\n\n", ignore_nulls=True
            ).alias("text"),
            date.alias("created_at"),
            src,
        )
    else:  # votes: an upvote is a like; downvotes carry no affinity
        ctx.note("votes have no date; only upvotes are kept (as likes)")
        prefix = "t1_" if "comment" in path.name.lower() else "t3_"
        out = frame.filter(pl.col("direction").str.strip_chars().str.to_lowercase() == "up").select(
            pl.concat_str([pl.lit("vote_"), pl.lit(prefix), pl.col("id")]).alias("event_id"),
            pl.lit("like").alias("kind"),
            own,
            pl.concat_str([pl.lit(prefix), pl.col("id")]).alias("target"),
            pl.lit("post").alias("target_kind"),
            src,
        )
    for start in range(0, out.height, ctx.batch_size):
        yield out.slice(start, ctx.batch_size)


REDDIT_PUSHSHIFT = register(
    Reader(
        name="reddit-pushshift",
        platform="reddit",
        description="Reddit Pushshift / Arctic Shift NDJSON dumps of comments and submissions (plain or .zst)",
        sniff=sniff_pushshift,
        read=guarded(read_pushshift),
        extensions=(".ndjson", ".jsonl", ".zst", ".json"),
    )
)
REDDIT_JSON = register(
    Reader(
        name="reddit-json",
        platform="reddit",
        description="Reddit API / PRAW JSON: thread listings, morechildren, comment listings",
        sniff=sniff_reddit_json,
        read=guarded(read_reddit_json),
        extensions=(".json", ".jsonl"),
    )
)
REDDIT_CSV = register(
    Reader(
        name="reddit-export-csv",
        platform="reddit",
        description="Reddit data request CSVs (comments, posts, messages, votes)",
        sniff=sniff_reddit_csv,
        read=guarded(read_reddit_csv),
        extensions=(".csv",),
    )
)
