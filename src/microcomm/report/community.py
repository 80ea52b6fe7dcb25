"""One community's entry of the report data: section rows shaped into the JSON contract.

:func:`community_entry` lists the keys in the order a reader needs them; each small shaper
below turns the rows of one section table (see :mod:`microcomm.report.sections`) into plain
JSON values (rounded floats, ints, lists of dicts).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from microcomm.config import ReportConfig
from microcomm.report.people import people_entry

Rows = dict[Any, list[dict[str, Any]]]  # community → its rows of one section table


def group_rows(df: pl.DataFrame, *, key: str = "community") -> Rows:
    """Rows of a small result table grouped by community (one pass, no per-community filter)."""
    out: Rows = {}
    for row in df.to_dicts():
        out.setdefault(row.pop(key), []).append(row)
    return out


def rounded(x: Any, nd: int = 4) -> float | None:
    """``x`` rounded to ``nd`` decimals as a float; None stays None."""
    return None if x is None else round(float(x), nd)


def community_entry(
    cid: int,
    size: int,
    stability: float | None,
    flags: list[str],
    g: dict[str, Rows],
    *,
    label: str | None,
    labels: dict[int, str],
    macro: int | None,
    config: ReportConfig,
    confidence: float | None = None,
) -> dict[str, Any]:
    """The report entry of community ``cid`` from the grouped section rows ``g``."""
    return {
        "id": int(cid),
        "size": int(size),
        "label": label or f"community {cid}",
        "flags": flags,
        "stability": rounded(stability, 3),
        "confidence": rounded(confidence, 3),  # median member confidence
        "macro": macro,
        "interests": [_interest(i) for i in g["interests"].get(cid, [])],
        "members": [
            {
                "actor": m["actor"],
                "score": rounded(m["score"]),
                "confidence": rounded(m.get("confidence"), 3),
            }
            for m in g["members"].get(cid, [])
        ],
        "interests_by_type": _by_type(g["by_type"].get(cid, [])),
        "creators": [_account(a) for a in g["creators"].get(cid, [])],
        "bridges": [_bridge(b, labels) for b in g["bridges"].get(cid, [])],
        "outside_accounts": [
            {**_account(a), "community": a["home"]} for a in g["outside"].get(cid, [])
        ],
        "activity": None,  # in the community's local time: filled by localise_activity
        "locations": [_location(p) for p in g["places"].get(cid, [])],
        "platforms": [_platform(p) for p in g["platforms"].get(cid, [])[: config.top]],
        "voice": _voice(g["voice"].get(cid, []), g["examples"].get(cid, [])),
        "answers": _answers(g["answers"].get(cid, []), config.min_score, config.top),
        "polls": [_poll(p) for p in g["polls"].get(cid, [])],
        **people_entry(cid, g),
        "moderation": _moderation(g["moderation"].get(cid, []), g["hostile_senders"].get(cid, [])),
    }


def _moderation(summary: list[dict[str, Any]], senders: list[dict[str, Any]]) -> dict[str, Any]:
    """Hostile messages: counts, share, by category, and the members who send most."""
    s = summary[0] if summary else {}
    return {
        "messages": int(s.get("messages", 0)),
        "hostile": int(s.get("hostile", 0)),
        "share": s.get("share", 0.0),
        "by_category": {
            c: int(s.get(c, 0)) for c in ("threat", "insult", "harassment", "slur") if s.get(c)
        },
        "senders": [{"actor": r["actor"], "hostile": int(r["hostile"])} for r in senders],
    }


def _interest(i: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": i["type"],
        "value": i["value"],
        "score": round(float(i["score"]), 3),
        "members": int(i["members"]),
        "share_in": round(float(i["share_in"]), 4),
        "share_out": round(float(i["share_out"]), 4),
    }


def _by_type(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["type"], []).append(_interest(row))
    return out


def _account(a: dict[str, Any]) -> dict[str, Any]:
    return {
        "actor": a["value"],
        "members": int(a["members"]),
        "share_in": rounded(a["share_in"]),
        "share_out": rounded(a["share_out"]),
        "score": rounded(a["score"], 3),
    }


def _bridge(b: dict[str, Any], labels: dict[int, str]) -> dict[str, Any]:
    return {
        "actor": b["actor"],
        "score": rounded(b["bridge"], 3),
        "own": int(b["own"]),
        "other": int(b["other"]),
        "to": b["other_community"],
        "to_label": labels.get(b["other_community"]),
        "participation": rounded(b["participation"], 3),
    }


def _location(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "value": p["value"],
        "members": int(p["members"]),
        "share_in": rounded(p["share_in"]),
        "share_out": rounded(p["share_out"]),
        "score": rounded(p["score"], 3),
    }


def _platform(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "platform": p["platform"],
        "share_in": rounded(p["share_in"]),
        "share_all": rounded(p["share_all"]),
        "lift": rounded(p["lift"], 2),
    }


def _voice(summary: list[dict[str, Any]], examples: list[dict[str, Any]]) -> dict[str, Any]:
    s = summary[0] if summary else {}
    return {
        "messages": int(s.get("messages", 0)),
        "authors": int(s.get("authors", 0)),
        "positive": s.get("positive", 0.0),
        "negative": s.get("negative", 0.0),
        "unscored": s.get("unscored", 0.0),
        "questions": int(s.get("questions", 0)),
        "requests": int(s.get("requests", 0)),
        "examples": examples,
    }


def _answers(rows: list[dict[str, Any]], min_score: float, top: int) -> list[dict[str, Any]]:
    questions: dict[str, dict[str, Any]] = {}
    for r in rows:
        q = questions.setdefault(
            r["question"],
            {"question": r["question"], "respondents": int(r["respondents"]), "answers": []},
        )
        q["answers"].append(
            {
                "answer": r["answer"],
                "members": int(r["members"]),
                "share_in": rounded(r["share_in"]),
                "share_all": rounded(r["share_all"]),
                "score": rounded(r["score"], 3),
                "distinctive": bool(r["score"] >= min_score),
            }
        )
    for q in questions.values():
        q["answers"] = q["answers"][:top]
    return list(questions.values())


def _poll(p: dict[str, Any]) -> dict[str, Any]:
    total = p["total_votes"]
    return {
        "poll_id": p["poll_id"],
        "platform": p["platform"],
        "question": p["question"],
        "options": [
            {
                "option": o["option"],
                "votes": o["votes"],
                "share": rounded(o["votes"] / total) if total and o["votes"] is not None else None,
            }
            for o in p["options"]
        ],
        "total_votes": total,
        "members": int(p["members"]),
        "engagers": int(p["engagers"]),
        "share": rounded(p["share"]),
    }
