"""Report stage: the per-community profile data, and its Markdown and JSON renderings.

``build_report`` returns plain data (the ``--format json`` contract); ``to_markdown`` and
``to_json`` render it. Terminal rendering lives in ``cli/render.py`` (rich is not used here).

JSON contract (stable; new keys may be added, none removed)::

    {"microcomm": version, "run": {...}, "audience": {...}, "stability": {...},
     "hierarchy": [{"id", "size", "label", "communities"}], "notes": [...],
     "communities": [{"id", "size", "label", "flags", "stability", "macro",
                      "interests": [{"type", "value", "score", "members", "share_in", "share_out"}],
                      "members": [{"actor", "score"}],
                      "interests_by_type", "creators", "bridges", "outside_accounts",
                      "activity", "locations", "platforms", "voice", "answers",
                      "polls": [{"poll_id", "platform", "question", "options": [{"option",
                                 "votes", "share"}], "total_votes", "members", "engagers",
                                 "share"}]}],
     "hidden": {...}}

Each community's sections follow the order a reader needs them: what sets it apart, who
matters inside, when and where, what it says to the brand, what it answered (and the polls it
took part in), how sure we are.
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import polars as pl

from microcomm import __version__
from microcomm.config import ReportConfig
from microcomm.profiles import (
    activity_peaks,
    activity_slots,
    answer_profiles,
    bio_features,
    bridges,
    core_members,
    distinctive_interests,
    engaged_accounts,
    entity_features,
    hierarchy,
    label_for,
    load_lexicon,
    location_features,
    membership,
    participation,
    platform_mix,
    poll_participation,
    score_messages,
    split_accounts,
    voice_examples,
    voice_summary,
)
from microcomm.store import Store

_PREFIX = {"hashtag": "#", "mention": "@"}


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EVENT_COLUMNS = [
    "event_id", "platform", "kind", "actor", "target", "target_kind", "text", "created_at",
    "location",
]  # fmt: skip


class _Clock:
    """Seconds per report section, written into ``timings`` when one is given."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.t
        self.t = now


def _rows(df: pl.DataFrame, *, key: str = "community") -> dict[Any, list[dict[str, Any]]]:
    """Rows of a small result table grouped by community (one pass, no per-community filter)."""
    out: dict[Any, list[dict[str, Any]]] = {}
    for row in df.to_dicts():
        out.setdefault(row.pop(key), []).append(row)
    return out


def _r(x: Any, nd: int = 4) -> float | None:
    return None if x is None else round(float(x), nd)


def _hour_label(weekday: int, hour: int) -> str:
    return f"{_WEEKDAYS[weekday]} {hour:02d}:00–{(hour + 1) % 24:02d}:00"


def build_report(
    store: Store,
    *,
    run: dict[str, Any],
    config: ReportConfig | None = None,
    timings: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Profile every community of the current run.

    Parameters
    ----------
    store
        The store holding events, entities, accounts, answers and the run's communities.
    run
        The run's manifest entry (:meth:`Store.current_run`).
    config
        What to show (``top``, size bar, ``min_score``, ``timezone``, ``stability_bar``…).
    timings
        Filled with the seconds each section took, when given.

    Returns
    -------
    dict
        The JSON contract documented at the top of this module.
    """
    config = config or ReportConfig()
    clock = _Clock(timings)
    top = config.top
    communities = store.communities()
    all_members = membership(communities, level=0)
    sizes = all_members.group_by("community").agg(pl.len().alias("size"))
    scores = (run.get("stability") or {}).get("scores")
    stab = pl.DataFrame(
        {
            "community": list(range(len(scores or []))),
            "stability": [float(v) for v in scores or []],
        },
        schema={"community": pl.Int64, "stability": pl.Float64},
    )
    sized = sizes.join(stab, on="community", how="left")
    in_bar = pl.col("size") >= config.min_size
    if config.max_size:
        in_bar = in_bar & (pl.col("size") <= config.max_size)
    shown = sized.filter(in_bar).with_columns(
        (pl.col("stability") < config.stability_bar).fill_null(False).alias("unstable")
    )
    # A reader sees the communities we are sure of first, largest first; unstable ones after.
    shown = shown.sort(["unstable", "size", "community"], descending=[False, True, False])
    members = all_members.join(shown.select("community"), on="community", how="semi")

    events = store.read("events", _EVENT_COLUMNS)
    entities = store.read("entities", ["actor", "type", "value"])
    n_accounts = events["actor"].n_unique()
    clock.lap("read")

    # 1. What sets them apart.
    features = pl.concat([entity_features(entities), bio_features(store.accounts())])
    interests = distinctive_interests(
        features,
        members,
        prior=config.prior,
        min_members=config.min_members,
        audience_size=n_accounts,
    ).filter(pl.col("score") >= config.min_score)
    labels = label_for(interests)
    top_interests = interests.group_by("community", maintain_order=True).head(top)
    by_type = interests.group_by(["community", "type"], maintain_order=True).head(top)
    clock.lap("interests")

    # 2. Who matters inside.
    cores = core_members(communities, top=top).join(
        shown.select("community"), on="community", how="semi"
    )
    engaged = distinctive_interests(
        engaged_accounts(events, entities),
        members,
        prior=config.prior,
        min_members=config.min_members,
        audience_size=n_accounts,
    ).filter(pl.col("score") >= config.min_score)
    creators, outside = split_accounts(engaged, all_members)
    creators = creators.group_by("community", maintain_order=True).head(top)
    outside = outside.group_by("community", maintain_order=True).head(top)
    bridge_rows = bridges(events, all_members, top=top).join(
        participation(store.edges(), all_members).select("actor", "participation"),
        on="actor",
        how="left",
    )
    clock.lap("members")

    # 3. When and where.
    slots = activity_slots(events, timezone=config.timezone)
    peaks = activity_peaks(slots, members, audience_size=n_accounts, top=3)
    places = (
        distinctive_interests(
            location_features(events),
            members,
            prior=config.prior,
            min_members=config.min_members,
            audience_size=n_accounts,
        )
        .sort(["community", "members", "score"], descending=[False, True, True])
        .group_by("community", maintain_order=True)
        .head(top)
    )
    platforms = platform_mix(events, members)
    clock.lap("when_where")

    # 4. What they say to us.
    lexicon, lexicon_name = load_lexicon()
    messages = score_messages(events, lexicon)
    voice = voice_summary(messages, members)
    examples = voice_examples(messages, members, per=min(config.examples, top))
    n_unscored = int(messages.height - messages["scored"].sum())
    unscored = n_unscored / messages.height if messages.height else 0.0
    clock.lap("voice")

    # 5. What they answered (survey files, and poll answers that came in as events).
    answers = pl.concat(
        [
            store.read("answers", ["actor", "question", "answer"]),
            events.filter((pl.col("kind") == "poll_answer") & pl.col("text").is_not_null()).select(
                "actor",
                pl.col("target").fill_null("poll").alias("question"),
                pl.col("text").alias("answer"),
            ),
        ]
    )
    answer_rows = answer_profiles(
        answers, members, prior=config.prior, min_members=config.min_members
    )
    # Polls: whole-poll vote counts, no voters (issue 3). Attached to the communities whose
    # members engaged with the poll's post, channel or status; never a tie in the graph.
    polls = store.polls()
    poll_rows = (
        poll_participation(polls, events, members)
        .group_by("community", maintain_order=True)
        .head(top)
    )
    clock.lap("answers")

    # 6. How sure we are: hierarchy.
    nest = hierarchy(communities)
    macro_of = dict(zip(nest["community"].to_list(), nest["macro"].to_list(), strict=True))
    n_levels = communities["level"].n_unique()

    label_map = _unique_labels(
        dict(zip(labels["community"].to_list(), labels["label"].to_list(), strict=True))
    )
    g_int, g_type = _rows(top_interests), _rows(by_type)
    g_core, g_creator, g_out = _rows(cores), _rows(creators), _rows(outside)
    g_bridge, g_peak, g_place = _rows(bridge_rows), _rows(peaks), _rows(places)
    g_plat, g_voice, g_ex, g_ans, g_poll = (
        _rows(platforms),
        _rows(voice),
        _rows(examples),
        _rows(answer_rows),
        _rows(poll_rows),
    )

    out: list[dict[str, Any]] = []
    for cid, size, stability, unstable in shown.select(
        "community", "size", "stability", "unstable"
    ).iter_rows():  # one row per community shown: assembling its JSON
        flags = ["unstable"] if unstable else []
        ints = g_int.get(cid, [])
        # No interest shared by a tenth of the members: a catch-all group, not a community.
        if not ints or max(i["share_in"] for i in ints) < config.diffuse_share:
            flags.append("diffuse")
        out.append(
            {
                "id": int(cid),
                "size": int(size),
                "label": label_map.get(cid) or f"community {cid}",
                "flags": flags,
                "stability": _r(stability, 3),
                "macro": macro_of.get(cid) if n_levels > 1 else None,
                "interests": [_interest(i) for i in ints],
                "members": [
                    {"actor": m["actor"], "score": _r(m["score"])} for m in g_core.get(cid, [])
                ],
                "interests_by_type": _by_type(g_type.get(cid, [])),
                "creators": [_account(a) for a in g_creator.get(cid, [])],
                "bridges": [
                    {
                        "actor": b["actor"],
                        "score": _r(b["bridge"], 3),
                        "own": int(b["own"]),
                        "other": int(b["other"]),
                        "to": b["other_community"],
                        "to_label": label_map.get(b["other_community"]),
                        "participation": _r(b["participation"], 3),
                    }
                    for b in g_bridge.get(cid, [])
                ],
                "outside_accounts": [
                    {**_account(a), "community": a["home"]} for a in g_out.get(cid, [])
                ],
                "activity": _activity(g_peak.get(cid, []), config.timezone),
                "locations": [
                    {
                        "value": p["value"],
                        "members": int(p["members"]),
                        "share_in": _r(p["share_in"]),
                        "share_out": _r(p["share_out"]),
                        "score": _r(p["score"], 3),
                    }
                    for p in g_place.get(cid, [])
                ],
                "platforms": [
                    {
                        "platform": p["platform"],
                        "share_in": _r(p["share_in"]),
                        "share_all": _r(p["share_all"]),
                        "lift": _r(p["lift"], 2),
                    }
                    for p in g_plat.get(cid, [])[:top]
                ],
                "voice": _voice(g_voice.get(cid, []), g_ex.get(cid, [])),
                "answers": _answers(g_ans.get(cid, []), config.min_score, top),
                "polls": [_poll(p) for p in g_poll.get(cid, [])],
            }
        )
    # Flagged communities go after the ones a reader can act on (stable sort keeps size order).
    out.sort(key=lambda c: bool(c["flags"]))
    clock.lap("assemble")

    stats = run.get("stability") or {}
    shown_scores = [c["stability"] for c in out if c["stability"] is not None]
    median = float(np.median(shown_scores)) if shown_scores else None
    n_unstable = sum(1 for c in out if "unstable" in c["flags"])
    hidden_small = sized.filter(pl.col("size") < config.min_size)
    hidden_large = (
        sized.filter(pl.col("size") > config.max_size) if config.max_size else sized.clear()
    )
    notes = [
        f"Tone is scored with an English lexicon ({lexicon_name}); messages in other languages "
        f"count as neutral. {unscored:.0%} of the {messages.height:,} comments, replies and DMs "
        "held no English sentiment word.",
        f"Hours are in {config.timezone}.",
    ]
    n_polls = polls["poll_id"].n_unique()
    if n_polls:
        notes.append(
            f"{n_polls} polls: their vote counts are the whole poll's and the voters are unknown "
            "(X, Discord and Mastodon give counts only), so a poll is listed with the "
            "communities whose members engaged with its post or channel; polls never create "
            "ties between accounts."
        )
    return {
        "microcomm": __version__,
        "run": {
            "run_id": run.get("run_id"),
            "created": run.get("created"),
            "method": run.get("method"),
            "engine": run.get("engine"),
            "seed": run.get("seed"),
            "resolution": (run.get("stats") or {}).get("resolution"),
            "modularity": (run.get("stats") or {}).get("modularity"),
        },
        "audience": {
            "accounts": int(n_accounts),
            "events": int(events.height),
            "in_communities": int(all_members.height),
            "communities": len(out),
            "messages": int(messages.height),
            "respondents": int(answers["actor"].n_unique()),
            "polls": int(n_polls),
        },
        "stability": {
            "measured": bool(stats),
            "runs": stats.get("runs", 0),
            "method": stats.get("method"),
            "bar": config.stability_bar,
            "median": _r(median, 3),
            "unstable": n_unstable,
            "verdict": _verdict(median, n_unstable, len(out), config.stability_bar, bool(stats)),
        },
        "hierarchy": _hierarchy(nest, sized, out, label_map) if n_levels > 1 else [],
        "communities": out,
        "flagged": {
            "unstable": n_unstable,
            "diffuse": sum(1 for c in out if "diffuse" in c["flags"]),
        },
        "hidden": {
            "smaller_than_min_size": int(hidden_small.height),
            "accounts_in_them": int(hidden_small["size"].sum() or 0),
            "larger_than_max_size": int(hidden_large.height),
            "accounts_in_large": int(hidden_large["size"].sum() or 0),
            "min_size": config.min_size,
            "max_size": config.max_size or None,
        },
        "notes": notes,
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
        "share_in": _r(a["share_in"]),
        "share_out": _r(a["share_out"]),
        "score": _r(a["score"], 3),
    }


def _activity(peaks: list[dict[str, Any]], timezone: str) -> dict[str, Any]:
    slots = [
        {
            "weekday": _WEEKDAYS[p["weekday"]],
            "hour": int(p["hour"]),
            "label": _hour_label(p["weekday"], p["hour"]),
            "members": int(p["members"]),
            "share_in": _r(p["share_in"]),
            "share_all": _r(p["share_all"]),
            "lift": _r(p["lift"], 2),
        }
        for p in peaks
    ]
    return {"timezone": timezone, "peak": slots[0] if slots else None, "slots": slots}


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
                "share_in": _r(r["share_in"]),
                "share_all": _r(r["share_all"]),
                "score": _r(r["score"], 3),
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
                "share": _r(o["votes"] / total) if total and o["votes"] is not None else None,
            }
            for o in p["options"]
        ],
        "total_votes": total,
        "members": int(p["members"]),
        "engagers": int(p["engagers"]),
        "share": _r(p["share"]),
    }


def _unique_labels(labels: dict[int, str]) -> dict[int, str]:
    """Two communities may share their top interests (one theme split in two): number them."""
    seen: dict[str, int] = {}
    out = {}
    for cid in sorted(labels):
        label = labels[cid]
        seen[label] = seen.get(label, 0) + 1
        out[cid] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return out


def _verdict(median: float | None, unstable: int, shown: int, bar: float, measured: bool) -> str:
    if not measured:
        return (
            "Stability was not measured (detect.stability_runs = 0, or a clustering method): "
            "treat these communities as unverified."
        )
    if median is None or shown == 0:
        return "No community to assess."
    if median < bar:
        return (
            f"Low stability: the median community keeps only {median:.0%} of its members across "
            f"re-runs (bar {bar:.0%}). This audience shows no clear micro-community structure; "
            "treat the groups below as tentative, not as communities."
        )
    if unstable:
        return (
            f"{shown - unstable} of {shown} communities are stable (median {median:.0%}); "
            f"{unstable} fall under the {bar:.0%} bar and are flagged unstable."
        )
    return f"All {shown} communities are stable (median {median:.0%} of members stay together)."


def _hierarchy(
    nest: pl.DataFrame,
    sized: pl.DataFrame,
    out: list[dict[str, Any]],
    labels: dict[int, str],
) -> list[dict[str, Any]]:
    shown = {c["id"] for c in out}
    groups = (
        nest.join(sized.select("community", "size"), on="community")
        .sort(["macro", "size", "community"], descending=[False, True, False])
        .group_by("macro", maintain_order=True)
        .agg(pl.col("community"), pl.col("size").sum().alias("size"))
        .sort(["size", "macro"], descending=[True, False])
    )
    result = []
    for macro, comms, size in groups.iter_rows():  # one row per macro community
        visible = [c for c in comms if c in shown]
        if not visible:
            continue
        names = [labels.get(c, f"community {c}").split(" · ")[0] for c in visible[:3]]
        result.append(
            {
                "id": int(macro),
                "size": int(size),
                "label": " / ".join(names),
                "communities": visible,
            }
        )
    return result


def to_json(report: dict[str, Any]) -> str:
    """The report as JSON text (the stable contract for scripts)."""
    return json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"


def _fmt_interest(i: dict[str, Any]) -> str:
    return f"{_PREFIX.get(i['type'], '')}{i['value']}"


def _pct(x: float | None, nd: int = 0) -> str:
    return "–" if x is None else f"{x:.{nd}%}"


def _md(text: str) -> str:
    """Escape what would break a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _account_list(rows: list[dict[str, Any]], n: int) -> str:
    return ", ".join(f"`@{r['actor']}` ({r['members']})" for r in rows[:n])


def to_markdown(report: dict[str, Any]) -> str:
    """The report as a Markdown document a marketer can read and share.

    Order: the overview (what was found, how sure we are), then one section per community
    in the order a reader acts on it — what sets it apart, who matters, when and where, what
    it says to the brand, what it answered — then the notes on method and limits.
    """
    aud, run, stab = report["audience"], report["run"], report.get("stability", {})
    comms = report["communities"]
    lines = [
        "# Audience micro communities",
        "",
        f"{aud['accounts']:,} accounts and {aud['events']:,} engagement events; "
        f"**{aud['communities']} communities** shown ({aud['in_communities']:,} accounts placed).",
        "",
    ]
    if stab:
        lines += [f"**How sure we are.** {stab['verdict']}", ""]
    lines += [
        "| # | community | members | stability | top interests | most active | main platform |",
        "|---|---|---:|---:|---|---|---|",
    ]
    for c in comms:
        tops = ", ".join(_fmt_interest(i) for i in c["interests"][:3]) or "–"
        peak = (c.get("activity") or {}).get("peak")
        plat = (c.get("platforms") or [None])[0]
        flag = "".join(f" ⚠ {f}" for f in c.get("flags", []))
        lines.append(
            f"| {c['id']} | {_md(c['label'])}{flag} | {c['size']} | "
            f"{_pct(c.get('stability'))} | {_md(tops)} | {peak['label'] if peak else '–'} | "
            f"{plat['platform'] + ' ' + _pct(plat['share_in']) if plat else '–'} |"
        )
    hidden = report["hidden"]
    if hidden["smaller_than_min_size"]:
        lines += [
            "",
            f"{hidden['smaller_than_min_size']} groups smaller than {hidden['min_size']} members "
            f"({hidden['accounts_in_them']:,} accounts) are not shown (`--min-size`).",
        ]
    if hidden.get("larger_than_max_size"):
        lines += [
            "",
            f"{hidden['larger_than_max_size']} communities larger than {hidden['max_size']} "
            f"members ({hidden['accounts_in_large']:,} accounts) are not shown (`--max-size`).",
        ]
    groups = [g for g in report.get("hierarchy", []) if len(g["communities"]) > 1]
    if groups:
        lines += [
            "",
            "**Families of communities** (Louvain's macro level, micro communities nested inside):",
            "",
        ]
        for g in groups:
            lines.append(
                f"- family {g['id']}, {_md(g['label'])} — {g['size']:,} accounts: communities "
                + ", ".join(str(i) for i in g["communities"])
            )
    families = {g["id"] for g in groups}
    for c in comms:
        lines += _community_markdown(c, families)
    lines += ["", "## Notes on method", ""]
    lines += [
        "- Interests, accounts, places and answers are ranked by the weighted log-odds ratio with "
        "an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), counted by distinct "
        "members, against the rest of the audience; only z-scores ≥ the report's `min_score` are shown.",
        f"- Communities: {run['method']} ({run['engine']}), resolution {run.get('resolution')}, "
        f"seed {run['seed']}, run `{run['run_id']}`.",
    ]
    if stab.get("measured"):
        lines.append(
            f"- Stability: {stab['runs']} extra runs ({stab['method']}); bar {_pct(stab['bar'])}."
        )
    lines += [f"- {note}" for note in report.get("notes", [])]
    return "\n".join(lines) + "\n"


def _community_markdown(c: dict[str, Any], families: set[int]) -> list[str]:
    flags = c.get("flags", [])
    head = f"**{c['size']} members**"
    if c.get("stability") is not None:
        head += f" · stability {_pct(c['stability'])}"
    if c.get("macro") in families:
        head += f" · in family {c['macro']} with other communities"
    lines = ["", f"## {c['id']}. {_md(c['label'])}", "", head + "."]
    if "diffuse" in flags:
        lines += [
            "",
            "> ⚠ **Diffuse**: no interest is shared by even a tenth of its members; it gathers "
            "accounts the detection could not place more precisely.",
        ]
    if "unstable" in flags:
        lines += [
            "",
            "> ⚠ **Unstable**: this group does not come back intact when the analysis is re-run "
            "with small changes; read it as a tentative cluster, not a community.",
        ]
    if c["interests"]:
        lines += [
            "",
            "### What sets them apart",
            "",
            "| interest | type | score | members | share inside | share outside |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for i in c["interests"]:
            lines.append(
                f"| {_md(_fmt_interest(i))} | {i['type']} | {i['score']:.1f} | {i['members']} | "
                f"{i['share_in']:.0%} | {i['share_out']:.1%} |"
            )
    who = []
    if c["members"]:
        who.append(
            "- **Core members** (most central): "
            + ", ".join(f"`@{m['actor']}`" for m in c["members"])
        )
    if c.get("creators"):
        who.append(
            "- **Creators they gather around** (members engaging): "
            + _account_list(c["creators"], len(c["creators"]))
        )
    if c.get("bridges"):
        who.append(
            "- **Bridges** (active here and in another community): "
            + ", ".join(
                f"`@{b['actor']}` → {b['to']}. {_md(b['to_label'] or '')} ({b['own']} / {b['other']} engagements)"
                for b in c["bridges"]
            )
        )
    if c.get("outside_accounts"):
        who.append(
            "- **Outside accounts they engage with**: "
            + _account_list(c["outside_accounts"], len(c["outside_accounts"]))
        )
    if who:
        lines += ["", "### Who matters", "", *who]
    act = c.get("activity") or {}
    where = []
    if act.get("peak"):
        p = act["peak"]
        where.append(
            f"- **Most active**: {p['label']} ({act['timezone']}) — {p['share_in']:.0%} of members "
            f"active then vs {p['share_all']:.0%} of the audience (×{p['lift']:.1f})."
        )
        if len(act["slots"]) > 1:
            where.append(
                "- Next best: "
                + ", ".join(f"{s['label']} ({s['share_in']:.0%})" for s in act["slots"][1:])
            )
    if c.get("locations"):
        where.append(
            "- **Places**: "
            + ", ".join(
                f"{_md(p['value'])} ({p['members']} members, {p['share_in']:.0%})"
                for p in c["locations"]
            )
        )
    if c.get("platforms"):
        where.append(
            "- **Platforms** (share of activity vs audience): "
            + ", ".join(
                f"{p['platform']} {p['share_in']:.0%} ({p['share_all']:.0%})"
                for p in c["platforms"]
            )
        )
    if where:
        lines += ["", "### When and where", "", *where]
    v = c.get("voice") or {}
    if v.get("messages"):
        lines += [
            "",
            "### What they say to us",
            "",
            f"{v['messages']:,} comments, replies and DMs from {v['authors']:,} members: "
            f"{v['positive']:.0%} positive, {v['negative']:.0%} negative; "
            f"{v['questions']:,} questions, {v['requests']:,} requests.",
        ]
        if v.get("examples"):
            lines.append("")
            for e in v["examples"]:
                who_sent = f", {e['senders']} members" if e["senders"] > 1 else ""
                lines.append(
                    f"- *{e['category']}* ({e['kind']} on {e['platform']}{who_sent}): “{_md(e['text'])}”"
                )
    for q in c.get("answers") or []:
        lines += [
            "",
            f"### What they answered: {_md(q['question'])}",
            "",
            f"{q['respondents']} members answered.",
            "",
            "| answer | members | share here | audience | score |",
            "|---|---:|---:|---:|---:|",
        ]
        for a in q["answers"]:
            mark = " ★" if a["distinctive"] else ""
            lines.append(
                f"| {_md(a['answer'])}{mark} | {a['members']} | {a['share_in']:.0%} | "
                f"{a['share_all']:.0%} | {a['score']:.1f} |"
            )
        lines += ["", "★ = distinctive: this community gives it clearly more than the audience."]
    if c.get("polls"):
        lines += [
            "",
            "### Polls they took part in",
            "",
            "Vote counts are the whole poll's: who voted is unknown, so a poll describes the "
            "community whose members engaged with its post or channel, and never ties anyone.",
            "",
        ]
        for p in c["polls"]:
            options = ", ".join(
                f"{_md(o['option'])} {o['votes'] if o['votes'] is not None else '–'}"
                + (f" ({_pct(o['share'])})" if o["share"] is not None else "")
                for o in p["options"]
            )
            votes = (
                f"{p['total_votes']:,} votes" if p["total_votes"] is not None else "votes hidden"
            )
            lines.append(
                f"- **{_md(p['question'] or p['poll_id'])}** ({p['platform']}): {options}; {votes}. "
                f"{p['members']} members engaged with it ({_pct(p['share'])} of its "
                f"{p['engagers']} engagers)."
            )
    return lines
