"""The report's "What was filtered" section: what the filter set aside, why, and how to audit it.

Built from the run's ``filtered`` frame (``schema.FILTERED``); rendered in every format from
the data alone. Examples quote only what :func:`microcomm.privacy.quotable` allows (never a
DM, never a text fewer than ``report.min_quote_senders`` accounts sent), shortened, one family at a
time, so a reader can judge the filter without reading spam at length.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from microcomm.config import ReportConfig
from microcomm.filter import RULE_LABELS
from microcomm.privacy import keep_quotable
from microcomm.textsafe import md, md_code

AUDIT = (
    "`microcomm export filtered --output spam.csv` lists every set-aside event with its reason; "
    "`microcomm explain ACCOUNT` says why an account was filtered; `--keep-spam` (or "
    "`filter.keep_spam: true`) turns the filter off."
)
_QUOTE_CHARS = 140


def filtered_section(
    filtered: pl.DataFrame, run: dict[str, Any], config: ReportConfig | None = None
) -> dict[str, Any]:
    """Counts by reason, the accounts flagged whole (with counts, ``report.top`` of them) and a
    few examples (``report.examples`` per reason).

    Examples
    --------
    >>> f = pl.DataFrame({"event_id": ["1"], "actor": ["bot"], "platform": ["youtube"],
    ...     "kind": ["comment"], "rule": ["promo.self"], "reason": ["promotes the writer's own channel"],
    ...     "scope": ["event"], "account_reason": ["spam account: 1 of its 1 messages flagged"],
    ...     "text": ["check my channel"]})
    >>> s = filtered_section(f, {})
    >>> s["events"], s["by_reason"][0]["label"], s["accounts_flagged"][0]["actor"]
    (1, 'promotional or link spam', 'bot')
    """
    config = config or ReportConfig()
    top, examples = config.top, config.examples
    enabled = not ((run.get("config") or {}).get("filter") or {}).get("keep_spam", False)
    fam = filtered.with_columns(pl.col("rule").str.split(".").list.first().alias("family"))
    by_reason = (
        fam.group_by("family")
        .agg(pl.len().alias("events"), pl.col("actor").n_unique().alias("accounts"))
        .sort(["events", "family"], descending=[True, False])
    )
    accounts = (
        fam.filter(pl.col("account_reason").is_not_null())
        .group_by("actor", "platform")
        .agg(pl.len().alias("events"), pl.col("account_reason").first().alias("reason"))
        .sort(["events", "actor"], descending=[True, False])
    )
    quoted = (
        keep_quotable(  # never a DM, nor a text fewer than k accounts sent (issue 9)
            fam.filter((pl.col("scope") == "event") & pl.col("text").is_not_null()),
            filtered,
            k=config.min_quote_senders,
        )
        .sort(["family", "event_id"])
        .group_by("family", maintain_order=True)
        .head(examples)
    )
    return {
        "enabled": enabled,
        "events": int(filtered.height),
        "accounts": int(accounts.height),
        "by_reason": [
            {"rule": r["family"], "label": RULE_LABELS.get(r["family"], r["family"]), **_n(r)}
            for r in by_reason.to_dicts()
        ],
        "accounts_flagged": [
            {
                "actor": a["actor"],
                "platform": a["platform"],
                "events": a["events"],
                "reason": a["reason"],
            }
            for a in accounts.head(top).to_dicts()
        ],
        "examples": [
            {
                "rule": q["family"],
                "actor": q["actor"],
                "reason": q["reason"],
                "text": _shorten(q["text"]),
            }
            for q in quoted.to_dicts()
        ],
        "audit": AUDIT,
    }


def _n(r: dict[str, Any]) -> dict[str, int]:
    return {"events": int(r["events"]), "accounts": int(r["accounts"])}


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1].rstrip() + "…"


def filtered_markdown(section: dict[str, Any] | None) -> list[str]:
    """The section as Markdown lines (user text escaped for tables and inline code)."""
    if not section:
        return []
    lines = ["", "## What was filtered", ""]
    if not section["enabled"]:
        return [*lines, "Nothing: the spam filter was off for this run (`--keep-spam`).", ""]
    if not section["events"]:
        return [*lines, "Nothing looked like spam in this audience.", "", section["audit"]]
    lines += [
        f"{section['events']:,} events were set aside before communities were found "
        f"({section['accounts']:,} accounts flagged whole). They make no ties and appear in no "
        "interest, name, member list or quote above.",
        "",
        "| reason | events | accounts |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {r['label']} | {r['events']:,} | {r['accounts']:,} |" for r in section["by_reason"]
    ]
    if section["accounts_flagged"]:
        lines += ["", "**Accounts flagged** (most set-aside events first):", ""]
        lines += [
            f"- {md_code('@' + a['actor'])} ({md(a['platform'])}, {_events(a['events'])}): "
            f"{md(a['reason'])}"
            for a in section["accounts_flagged"]
        ]
    if section["examples"]:
        lines += ["", "**Examples**", ""]
        lines += [
            f"- {md(RULE_LABELS.get(e['rule'], e['rule']))} — {md_code('@' + e['actor'])}: "
            f"“{md(e['text'])}” ({md(e['reason'])})"
            for e in section["examples"]
        ]
    return [*lines, "", section["audit"]]


def _events(n: int) -> str:
    return f"{n:,} event" + ("" if n == 1 else "s")
