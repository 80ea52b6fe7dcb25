"""Track stage, assembled: events/entities → periods → lines → the tracking data (JSON contract).

The contract (``microcomm track --format json``)::

    {"kind": "tracking", "period": "month", "settings": {...},
     "periods": [{"index", "label", "start", "end", "events", "accounts", "communities",
                  "placed", "status", "new", "returning", "lost"}],
     "lines": [{"id", "name", "first", "last", "sizes": {label: n}, "communities": {label: id},
                "interests": {label: [top interests of that period]}}],
     "transitions": [{"from", "to", "type", "line", "before", "after", "stayed", "joined",
                      "left", ["from_lines" | "into_lines"]}],
     "flows": [{"from", "to", "source", "target", "members"}],   # line id | unplaced | outside
     "changes": [{"line", "name", "from", "to", "rising", "falling", "tone", "platforms",
                  "new_requests", "new_complaints": [{"text", "senders", "audience_senders"}]}],
     "growth": {"fastest_growing": [...], "fastest_shrinking": [...]},
     "notes": [str]}
"""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise
from typing import Any

import polars as pl

from microcomm.config import Config
from microcomm.profiles import INTEREST_TYPES, VOICE_KINDS, load_lexicon
from microcomm.profiles.interests import TYPE_PREFIX
from microcomm.track.changes import (
    audience_flow,
    code_actors,
    code_values,
    interest_shifts,
    line_members,
    line_names,
    period_interests,
    platform_by_period,
    voice_by_period,
)
from microcomm.track.matching import build_lines
from microcomm.track.periods import SHORTER, Period, detect_periods, split_periods

EVENT_COLUMNS = [
    "event_id",
    "platform",
    "kind",
    "actor",
    "target",
    "target_kind",
    "text",
    "created_at",
]
ENTITY_COLUMNS = ["event_id", "actor", "type", "value"]


def track_events(
    events: pl.DataFrame, entities: pl.DataFrame, *, config: Config | None = None
) -> dict[str, Any]:
    """Split events into periods, detect each, match them into lines: the tracking data.

    Parameters
    ----------
    events
        The ``events`` table (at least :data:`EVENT_COLUMNS`).
    entities
        The ``entities`` table (at least :data:`ENTITY_COLUMNS`).
    config
        ``track`` (period, window, matching), ``detect``/``graph`` (used for every period as
        is) and ``report`` (size bar, prior, score bar, top).
    """
    config = config or Config()
    tc = config.track
    tagged, periods = split_periods(events, period=tc.period, since=tc.since, until=tc.until)
    ents = entities.join(tagged.select("event_id", "period"), on="event_id")
    members, periods = detect_periods(tagged, ents, periods, config=config)
    return build_tracking(tagged, ents, members, periods, config=config, period=tc.period)


def build_tracking(
    events: pl.DataFrame,
    entities: pl.DataFrame,
    members: pl.DataFrame,
    periods: list[Period],
    *,
    config: Config,
    period: str,
) -> dict[str, Any]:
    """The tracking data from per-period events, entities and communities (``period`` column)."""
    tc, rc = config.track, config.report
    labels = {p.index: p.label for p in periods}
    ok = [p.index for p in periods if p.ok]
    steps = list(pairwise(ok))
    # From here on an account is an integer code and a (period, account) an integer key.
    uses = entities.filter(
        pl.col("actor").is_not_null() & pl.col("type").is_in(list(INTEREST_TYPES))
    ).select("period", "actor", "type", "value")
    events = events.filter(pl.col("actor").is_not_null())
    events, uses, members = code_actors(events, uses, members)
    uses, values = code_values(uses)
    lines, transitions = build_lines(
        members, steps, match=tc.match, absorb=tc.absorb, change=tc.change, labels=labels
    )
    ml = line_members(members, lines)
    interests = period_interests(
        uses, values, members, prior=rc.prior, min_members=rc.min_members
    ).filter(pl.col("score") >= rc.min_score)
    names = line_names(interests, lines)
    shifts = interest_shifts(
        uses, values, ml, steps, prior=rc.prior, min_members=rc.min_members, min_score=rc.min_score
    )
    voiced = events.filter(pl.col("kind").is_in(list(VOICE_KINDS)))
    voice, examples = voice_by_period(
        voiced, ml, load_lexicon()[0], min_senders=rc.min_quote_senders
    )
    platforms = platform_by_period(events, ml)
    active = events.select("period", "actor").unique()
    audience = audience_flow(active, [p.index for p in periods])
    sizes = (
        ml.group_by(["line", "period", "community"])
        .agg(pl.len().alias("size"))
        .sort(["line", "period"])
    )
    return {
        "kind": "tracking",
        "period": period,
        "settings": {
            "match": tc.match,
            "absorb": tc.absorb,
            "change": tc.change,
            "min_accounts": tc.min_accounts,
            "min_size": rc.min_size,
            "seed": config.detect.seed,
            "resolution": config.detect.resolution,
            "since": tc.since or None,
            "until": tc.until or None,
        },
        "periods": _periods(periods, audience),
        "lines": _lines(sizes, names, interests, labels, rc.top),
        "transitions": transitions,
        "flows": member_flows(active, ml, steps, labels),
        "changes": _changes(
            steps, labels, names, shifts, voice, examples, platforms, rc.top, rc.examples
        ),
        "growth": _growth(sizes, steps, labels, names, rc.top),
        "notes": _notes(periods, period),
    }


def member_flows(
    active: pl.DataFrame, ml: pl.DataFrame, steps: list[tuple[int, int]], labels: dict[int, str]
) -> list[dict[str, Any]]:
    """Accounts moving across each step: from a line, ``unplaced`` (active, in no community)
    or ``outside`` (not active that period), to the same kinds of place.

    ``active``: ``period, actor`` (distinct); ``ml``: ``period, actor, line``.
    """
    step = pl.DataFrame(
        {"before": [b for b, _ in steps], "after": [a for _, a in steps]},
        schema={"before": pl.Int32, "after": pl.Int32},
    )
    place = active.join(ml.select("period", "actor", "line"), on=["period", "actor"], how="left")
    place = place.with_columns(pl.col("line").fill_null("unplaced"))
    src = place.join(step, left_on="period", right_on="before").select(
        pl.col("period").alias("before"), "after", "actor", pl.col("line").alias("source")
    )
    dst = place.join(step, left_on="period", right_on="after").select(
        "before", pl.col("period").alias("after"), "actor", pl.col("line").alias("target")
    )
    moved = (
        src.join(dst, on=["before", "after", "actor"], how="full", coalesce=True)
        .with_columns(pl.col("source", "target").fill_null("outside"))
        .group_by(["before", "after", "source", "target"])
        .agg(pl.len().alias("members"))
        .sort(["before", "source", "target"])
    )
    rows = moved.select("before", "after", "source", "target", "members").iter_rows()
    return [
        {"from": labels[b], "to": labels[a], "source": s, "target": t, "members": n}
        for b, a, s, t, n in rows
    ]


def _periods(periods: list[Period], audience: pl.DataFrame) -> list[dict[str, Any]]:
    aud = {r["period"]: r for r in audience.iter_rows(named=True)}
    return [
        {
            "index": p.index,
            "label": p.label,
            "start": p.start.date().isoformat() if p.start else None,
            "end": (p.end - timedelta(microseconds=1)).date().isoformat() if p.end else None,
            "events": p.events,
            "accounts": p.accounts,
            "communities": p.communities,
            "placed": p.placed,
            "status": p.status,
            "new": aud.get(p.index, {}).get("new", 0),
            "returning": aud.get(p.index, {}).get("returning", 0),
            "lost": aud.get(p.index, {}).get("lost", 0),
        }
        for p in periods
    ]


def _lines(
    sizes: pl.DataFrame,
    names: dict[str, str],
    interests: pl.DataFrame,
    labels: dict[int, str],
    top: int,
) -> list[dict[str, Any]]:
    prefix = pl.col("type").replace_strict(TYPE_PREFIX, default="", return_dtype=pl.String)
    tops = (
        interests.sort(["period", "community", "score"], descending=[False, False, True],
                       maintain_order=True)  # fmt: skip
        .group_by(["period", "community"], maintain_order=True)
        .head(min(top, 5))
        .group_by(["period", "community"], maintain_order=True)
        .agg(pl.concat_str([prefix, pl.col("value").cast(pl.String)]).alias("tags"))
    )
    rows = (
        sizes.join(tops, on=["period", "community"], how="left")
        .sort(["line", "period"])
        .select("line", "period", "community", "size", "tags")
    )
    out: dict[str, dict[str, Any]] = {}
    for line, p, c, size, tags in rows.iter_rows():
        if line not in out:
            name = names.get(str(line), str(line))
            out[line] = {"id": line, "name": name, "first": labels[p], "last": labels[p],
                         "sizes": {}, "communities": {}, "interests": {}}  # fmt: skip
        d = out[line]
        d["last"] = labels[p]
        d["sizes"][labels[p]], d["communities"][labels[p]] = size, c
        d["interests"][labels[p]] = tags or []
    return sorted(out.values(), key=lambda d: int(d["id"][1:]))


def _changes(
    steps: list[tuple[int, int]],
    labels: dict[int, str],
    names: dict[str, str],
    shifts: pl.DataFrame,
    voice: pl.DataFrame,
    examples: pl.DataFrame,
    platforms: pl.DataFrame,
    top: int,
    quotes: int,
) -> list[dict[str, Any]]:
    out = []
    tone = {(r["period"], r["line"]): r for r in voice.iter_rows(named=True)}
    moved = _grouped(shifts.group_by(["before", "line", "direction"], maintain_order=True).head(top),
                     ["before", "line", "direction"], ["type", "value", "score", "share_before",
                     "share_after"])  # fmt: skip
    present = platforms.select("period", "line").unique()
    for before, after in steps:
        here = present.filter(pl.col("period") == before).join(
            present.filter(pl.col("period") == after), on="line"
        )["line"]
        plat = _grouped(_platform_shift(platforms, before, after), ["line"],
                        ["platform", "before", "after", "change"])  # fmt: skip
        texts = _grouped(_new_texts(examples, before, after, quotes), ["line", "category"],
                         ["text", "senders", "audience_senders"])  # fmt: skip
        for line in sorted(here.to_list(), key=lambda x: int(x[1:])):
            out.append(
                {
                    "line": line,
                    "name": names.get(line, line),
                    "from": labels[before],
                    "to": labels[after],
                    "rising": moved.get((before, line, "rising"), []),
                    "falling": moved.get((before, line, "falling"), []),
                    "tone": {
                        "before": _tone(tone.get((before, line))),
                        "after": _tone(tone.get((after, line))),
                    },
                    "platforms": plat.get((line,), []),
                    "new_requests": texts.get((line, "request"), []),
                    "new_complaints": texts.get((line, "complaint"), []),
                }
            )
    return out


def _grouped(
    df: pl.DataFrame, keys: list[str], cols: list[str]
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """Rows of ``df`` (in order) as dicts of ``cols``, grouped by the ``keys`` values."""
    out: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in df.select(*keys, *cols).iter_rows(named=True):
        out.setdefault(tuple(row[k] for k in keys), []).append({c: row[c] for c in cols})
    return out


def _tone(row: dict[str, Any] | None) -> dict[str, Any]:
    keys = ("messages", "positive", "negative", "requests", "complaints", "questions")
    return {k: (row or {}).get(k, 0) for k in keys}


def _platform_shift(platforms: pl.DataFrame, before: int, after: int) -> pl.DataFrame:
    """Per line, platforms whose share moved by 5 points or more across the step."""
    b = platforms.filter(pl.col("period") == before).select(
        "line", "platform", pl.col("share_in").alias("before")
    )
    a = platforms.filter(pl.col("period") == after).select(
        "line", "platform", pl.col("share_in").alias("after")
    )
    return (
        b.join(a, on=["line", "platform"], how="full", coalesce=True)
        .fill_null(0.0)
        .with_columns((pl.col("after") - pl.col("before")).alias("change"))
        .filter(pl.col("change").abs() >= 0.05)
        .with_columns(pl.col("before", "after", "change").round(4))
        .sort(["line", "change", "platform"], descending=[False, True, False])
    )


def _new_texts(examples: pl.DataFrame, before: int, after: int, quotes: int) -> pl.DataFrame:
    """Quotable request / complaint texts of each line that it did not send the period before."""
    old = examples.filter(pl.col("period") == before).select("line", "category", "text")
    new = examples.filter((pl.col("period") == after) & pl.col("quotable"))
    return (
        new.join(old, on=["line", "category", "text"], how="anti")
        .group_by(["line", "category"], maintain_order=True)
        .head(quotes)
    )


def _growth(
    sizes: pl.DataFrame,
    steps: list[tuple[int, int]],
    labels: dict[int, str],
    names: dict[str, str],
    top: int,
) -> dict[str, list[dict[str, Any]]]:
    rows = []
    for before, after in steps:
        b = sizes.filter(pl.col("period") == before).select("line", pl.col("size").alias("before"))
        a = sizes.filter(pl.col("period") == after).select("line", pl.col("size").alias("after"))
        for r in b.join(a, on="line").iter_rows(named=True):
            change = (r["after"] - r["before"]) / r["before"]
            rows.append(
                {
                    "line": r["line"],
                    "name": names.get(r["line"], r["line"]),
                    "from": labels[before],
                    "to": labels[after],
                    "before": r["before"],
                    "after": r["after"],
                    "change": round(change, 4),
                }
            )
    n = min(top, 5)
    grow = sorted((r for r in rows if r["change"] > 0), key=lambda r: (-r["change"], r["line"]))
    shrink = sorted((r for r in rows if r["change"] < 0), key=lambda r: (r["change"], r["line"]))
    return {"fastest_growing": grow[:n], "fastest_shrinking": shrink[:n]}


def _notes(periods: list[Period], period: str) -> list[str]:
    notes = []
    if not periods:
        notes.append("no dated events in the chosen window: nothing to track")
    elif len(periods) == 1:
        shorter = SHORTER.get(period)
        tip = f"try --period {shorter}" if shorter else "ingest a longer span of exports"
        notes.append(
            f"the store spans one {period} ({periods[0].label}): nothing to compare; {tip}"
        )
    for p in periods:
        if not p.ok:
            notes.append(
                f"{p.label}: {p.status} ({p.events} events, {p.accounts} accounts); not compared"
            )
    if len(periods) > 1 and sum(p.ok for p in periods) < 2:
        notes.append("fewer than two periods have communities: nothing to compare")
    return notes
