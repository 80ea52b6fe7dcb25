"""Report stage, summary: the brand, the period, the ties between communities, local time,
and the one-page summary that leads every format (issue 13).

``brand_of``, ``period_of`` and ``community_ties`` read the run's frames when the report data is
built (:func:`add_summary`, the last step of :func:`~microcomm.report.build.build_report`);
``summarise`` and ``mark_distinctive_quotes`` work on the report data only, so every output
(terminal, Markdown, JSON, HTML) shows the same summary.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from microcomm.config import ReportConfig
from microcomm.report.inputs import ReportInputs
from microcomm.report.localtime import local_activity

_PREFIX = {"hashtag": "#", "mention": "@"}
SUMMARY_LINES = 12
"""Communities listed in a rendered summary (one page); the data keeps them all."""


def brand_of(events: pl.DataFrame, *, given: str = "") -> str | None:
    """The brand or creator whose audience this is, as the summary names it: ``given``
    (``report.brand``) as written, else ``@handle`` of the account most people engage with when
    it clearly leads (:func:`microcomm.brand.resolve_brand`, the one place that decides).

    Examples
    --------
    >>> ev = pl.DataFrame({"actor": ["a", "b", "c", "a"], "target": ["k", "k", "k", "z"],
    ...                    "target_kind": ["account"] * 4})
    >>> brand_of(ev), brand_of(ev, given="Kestrel Outdoor")
    ('@k', 'Kestrel Outdoor')
    """
    from microcomm.brand import resolve_brand

    brand = resolve_brand(events, given=(given,) if given else ())
    if not brand:
        return None
    return given if brand.how == "given" else f"@{brand.handles[0]}"


def period_of(events: pl.DataFrame) -> dict[str, str | None]:
    """First and last event time (UTC, ISO 8601), or ``None`` for an empty table."""
    stamps = events["created_at"].drop_nulls()
    if stamps.is_empty():
        return {"first": None, "last": None}
    return {"first": stamps.min().isoformat(), "last": stamps.max().isoformat()}  # type: ignore[union-attr]


def community_ties(
    edges: pl.DataFrame, members: pl.DataFrame, *, top: int = 300
) -> list[dict[str, Any]]:
    """Ties between communities: the summed co-engagement weight and number of account pairs
    linking each two communities (the ``top`` heaviest pairs), for the map of communities.
    """
    if edges.is_empty():
        return []
    a = members.rename({"actor": "source", "community": "a"})
    b = members.rename({"actor": "target", "community": "b"})
    linked = (
        edges.join(a, on="source", how="inner")
        .join(b, on="target", how="inner")
        .filter(pl.col("a") != pl.col("b"))
        .select(
            pl.min_horizontal("a", "b").alias("a"),
            pl.max_horizontal("a", "b").alias("b"),
            "weight",
        )
        .group_by(["a", "b"])
        .agg(pl.col("weight").sum().alias("weight"), pl.len().alias("pairs"))
        .sort(["weight", "a", "b"], descending=[True, False, False])
        .head(top)
    )
    return [
        {"a": int(x), "b": int(y), "weight": round(float(w), 3), "pairs": int(n)}
        for x, y, w, n in linked.iter_rows()
    ]


def mark_distinctive_quotes(communities: list[dict[str, Any]], *, max_share: float = 0.2) -> None:
    """Mark each example message ``distinctive`` unless the same text is quoted in more than
    ``max_share`` of the communities (or three, whichever is more): filler such as "so good"
    says nothing about one community. Works in place on the report's communities.
    """
    seen: dict[str, int] = {}
    for c in communities:
        for text in {_norm(e["text"]) for e in (c.get("voice") or {}).get("examples", [])}:
            seen[text] = seen.get(text, 0) + 1
    limit = max(3, max_share * len(communities))
    for c in communities:
        for e in (c.get("voice") or {}).get("examples", []):
            e["distinctive"] = seen[_norm(e["text"])] <= limit


def _norm(text: str) -> str:
    return " ".join(str(text).lower().split())


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    """The one-page summary: brand, period, audience, and one line per community in the order
    to act on (stable and focused groups first, largest first; flagged ones left out).

    Each line says who they are · what sets them apart · when and where · what they ask.
    """
    aud = report["audience"]
    lines = [_line(c) for c in report["communities"] if not c.get("flags")]
    flagged = sum(1 for c in report["communities"] if c.get("flags"))
    influencers = (report.get("influencers") or {}).get("organic") or []
    return {
        "brand": report.get("brand"),
        "period": report.get("period") or {"first": None, "last": None},
        "accounts": aud["accounts"],
        "events": aud["events"],
        "communities": aud["communities"],
        "placed": aud["in_communities"],
        "flagged": flagged,
        "verdict": (report.get("stability") or {}).get("verdict"),
        "lines": lines,
        "influencers": [
            {k: i[k] for k in ("actor", "followers", "community")} for i in influencers[:3]
        ],
        "paid_partners": len((report.get("influencers") or {}).get("paid") or []),
    }


def _line(c: dict[str, Any]) -> dict[str, Any]:
    ints = c.get("interests") or []
    plat = (c.get("platforms") or [None])[0]
    who = f"{c['size']:,} members"
    if plat:
        who += f", mostly on {plat['platform']}"
    apart = "; ".join(
        f"{_PREFIX.get(i['type'], '')}{i['value']} ({i['share_in']:.0%} vs {i['share_out']:.1%})"
        for i in ints[:2]
    )
    act = c.get("activity") or {}
    when = ""
    if act.get("peak"):
        when = f"{act['peak']['label']} {act['timezone']}"
    places = [p["value"] for p in (c.get("locations") or [])[:2]]
    where = ", ".join(places)
    return {
        "id": c["id"],
        "label": c["label"],
        "size": c["size"],
        "who": who,
        "apart": apart or "no distinctive interest",
        "when_where": " · ".join(x for x in (when, where) if x) or "no clear peak or place",
        "ask": _ask(c),
        "people": _people(c),
        "next": _next(c),
    }


def _people(c: dict[str, Any]) -> str:
    """Who to contact first, in a few words: two organic influencers (with their reach), a UGC
    creator, an advocate (the community's people lists, issue 11)."""
    from microcomm.profiles.person import short_count

    parts = [
        f"@{i['actor']} ({short_count(i['followers'])} followers)"
        for i in (c.get("influencers") or [])[:2]
        if i.get("followers") is not None
    ]
    parts += [f"@{u['actor']} (UGC)" for u in (c.get("ugc_creators") or [])[:1]]
    parts += [f"@{a['actor']} (advocate)" for a in (c.get("advocates") or [])[:1]]
    return ", ".join(parts) or "no one yet"


def _next(c: dict[str, Any]) -> str:
    """The first next step other than whom to contact (that is :func:`_people`)."""
    steps = [s for s in c.get("next_steps") or [] if s["step"] != "contact"]
    return steps[0]["text"] if steps else "–"


def _ask(c: dict[str, Any]) -> str:
    examples = [
        e
        for e in (c.get("voice") or {}).get("examples", [])
        if e.get("distinctive", True) and e["category"] in ("request", "question", "complaint")
    ]
    if examples:
        e = examples[0]
        senders = f" ({e['senders']} members)" if e.get("senders", 1) > 1 else ""
        return f"“{e['text']}”{senders}"
    for q in c.get("answers") or []:
        best = [a for a in q["answers"] if a.get("distinctive")]
        if best:
            a = best[0]
            return f"{q['question']} → {a['answer']} ({a['share_in']:.0%} vs {a['share_all']:.0%})"
    return "nothing distinctive"


def localise_activity(
    communities: list[dict[str, Any]],
    events: pl.DataFrame,
    members: pl.DataFrame,
    config: ReportConfig,
    audience_size: int,
) -> dict[str, Any]:
    """Each community's ``activity`` in its local time (with its hour-of-week ``week``), in
    place, before anything reads it (next steps, summary); returns the audience's week
    (``{"timezone", "week"}``) in the default zone."""
    local, week = local_activity(
        events, members, default=config.timezone, audience_size=audience_size
    )
    for c in communities:
        c["activity"] = local.get(c["id"], c.get("activity"))
    return {"timezone": config.timezone, "week": week}


def add_summary(
    report: dict[str, Any], inputs: ReportInputs, members: pl.DataFrame, config: ReportConfig
) -> dict[str, Any]:
    """Add what the summary and the charts need to the report data, in place: ``brand``,
    ``period``, ``ties`` between communities, distinctive quotes, and ``summary`` (and the local
    time of each community when :func:`localise_activity` has not run yet).

    ``members`` holds ``actor, community`` of the communities shown.
    """
    if "audience_week" not in report:
        report["audience_week"] = localise_activity(
            report["communities"], inputs.events, members, config, report["audience"]["accounts"]
        )
    report["notes"] = [
        n
        if not n.startswith("Hours are in")
        else (
            "Hours are in each community's local time where its members' places agree on a time "
            f"zone (named with each figure), else in {config.timezone}."
        )
        for n in report.get("notes", [])
    ]
    report["brand"] = brand_of(inputs.events, given=config.brand)
    report["period"] = period_of(inputs.events)
    report["ties"] = community_ties(inputs.edges, members)
    mark_distinctive_quotes(report["communities"])
    report["summary"] = summarise(report)
    return report


def act_on(line: dict[str, Any]) -> str:
    """A summary line's people to contact and next step, as one cell of text."""
    return f"{line.get('people', 'no one yet')} · next: {line.get('next', '–')}"


def influencer_line(summary: dict[str, Any]) -> str:
    """The audience's top organic influencers (reach, community) and the paid partners' count."""
    from microcomm.profiles.person import short_count

    text = ", ".join(
        f"@{i['actor']} ({short_count(i['followers'])} followers"
        + (f", community {i['community']})" if i["community"] is not None else ")")
        for i in summary.get("influencers") or []
    )
    n = summary.get("paid_partners") or 0
    if n:
        text += f"; {n} paid partner{'' if n == 1 else 's'} listed apart"
    return text


def summary_markdown(summary: dict[str, Any]) -> str:
    """The one-page summary as Markdown (it also opens the full Markdown report)."""
    from microcomm.textsafe import md

    brand = summary.get("brand")
    period = summary.get("period") or {}
    span = (
        f"{str(period['first'])[:10]} to {str(period['last'])[:10]}"
        if period.get("first")
        else "no dated events"
    )
    lines = [
        f"# Audience of {md(brand)}: micro communities"
        if brand
        else "# Audience micro communities",
        "",
        f"{span} · {summary['accounts']:,} accounts · {summary['events']:,} engagement events · "
        f"**{summary['communities']} communities** ({summary['placed']:,} accounts placed).",
        "",
    ]
    if summary.get("verdict"):
        lines += [f"**How sure we are.** {md(summary['verdict'])}", ""]
    lines += [
        "## Summary: the communities, in the order to act on",
        "",
        "| # | who they are | what sets them apart | when and where | what they ask "
        "| who to contact · next step |",
        "|---:|---|---|---|---|---|",
    ]
    for ln in summary["lines"][:SUMMARY_LINES]:
        lines.append(
            f"| {ln['id']} | **{md(ln['label'])}** — {md(ln['who'])} | {md(ln['apart'])} | "
            f"{md(ln['when_where'])} | {md(ln['ask'])} | {md(act_on(ln))} |"
        )
    if summary.get("influencers"):
        lines += ["", f"**Organic influencers**: {md(influencer_line(summary))}."]
    more = len(summary["lines"]) - SUMMARY_LINES
    if more > 0:
        lines += ["", f"…and {more} more communities in the profiles below."]
    if summary.get("flagged"):
        lines += ["", f"{summary['flagged']} more flagged as unstable or diffuse."]
    return "\n".join(lines) + "\n"
