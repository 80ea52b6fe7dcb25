"""The audience-wide parts of the report data: the run, the audience, how sure we are
(stability verdict), the families of communities, what is hidden, and the notes.

Each function returns one top-level value of the JSON contract from the assembled
community entries and a few frames.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from microcomm.config import ReportConfig
from microcomm.report.community import rounded
from microcomm.report.shares import pct


def run_info(run: dict[str, Any]) -> dict[str, Any]:
    """``run``: which detection run the report profiles."""
    return {
        "run_id": run.get("run_id"),
        "created": run.get("created"),
        "method": run.get("method"),
        "engine": run.get("engine"),
        "seed": run.get("seed"),
        "resolution": (run.get("stats") or {}).get("resolution"),
        "modularity": (run.get("stats") or {}).get("modularity"),
    }


def stability_section(
    run: dict[str, Any], out: list[dict[str, Any]], config: ReportConfig
) -> dict[str, Any]:
    """``stability``: the median stability of the communities shown, and the verdict."""
    stats = run.get("stability") or {}
    shown_scores = [c["stability"] for c in out if c["stability"] is not None]
    median = float(np.median(shown_scores)) if shown_scores else None
    n_unstable = sum(1 for c in out if "unstable" in c["flags"])
    return {
        "measured": bool(stats),
        "runs": stats.get("runs", 0),
        "method": stats.get("method"),
        "bar": config.stability_bar,
        "median": rounded(median, 3),
        "unstable": n_unstable,
        "verdict": stability_verdict(
            median, n_unstable, len(out), config.stability_bar, bool(stats)
        ),
    }


def stability_verdict(
    median: float | None, unstable: int, shown: int, bar: float, measured: bool
) -> str:
    """One sentence on how far the communities shown can be trusted."""
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


def families(
    nest: pl.DataFrame,
    sized: pl.DataFrame,
    out: list[dict[str, Any]],
    labels: dict[int, str],
) -> list[dict[str, Any]]:
    """``hierarchy``: macro communities (largest first) with the shown micro ones inside."""
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


def flagged(out: list[dict[str, Any]]) -> dict[str, int]:
    """``flagged``: how many communities shown are unstable, and how many diffuse."""
    return {
        "unstable": sum(1 for c in out if "unstable" in c["flags"]),
        "diffuse": sum(1 for c in out if "diffuse" in c["flags"]),
    }


def hidden(sized: pl.DataFrame, config: ReportConfig) -> dict[str, Any]:
    """``hidden``: the communities outside the size bar, and the accounts in them."""
    hidden_small = sized.filter(pl.col("size") < config.min_size)
    hidden_large = (
        sized.filter(pl.col("size") > config.max_size) if config.max_size else sized.clear()
    )
    return {
        "smaller_than_min_size": int(hidden_small.height),
        "accounts_in_them": int(hidden_small["size"].sum() or 0),
        "larger_than_max_size": int(hidden_large.height),
        "accounts_in_large": int(hidden_large["size"].sum() or 0),
        "min_size": config.min_size,
        "max_size": config.max_size or None,
    }


def notes(facts: dict[str, Any], config: ReportConfig) -> list[str]:
    """``notes``: the limits a reader must know (tone lexicon, time zone, polls)."""
    brands = ", ".join(f"@{b}" for b in facts.get("brands", [])) or "none found"
    how = {"given": "as given", "auto": "found in the data; set report.brand or --brand"}
    out = [
        f"Messages to the brand ({brands}, {how.get(facts.get('brands_found', ''), 'none')}): "
        "comments, replies, DMs, and posts that mention it.",
        f"Tone is scored with an English lexicon ({facts['lexicon']}); a message with no "
        f"English word is 'not scored', never counted as neutral: {pct(facts['unscored'])} of "
        f"the {facts['messages']:,} messages to the brand. Tone shares are of the scored ones.",
        f"Hours are in {config.timezone}.",
    ]
    if facts["polls"]:
        out.append(
            f"{facts['polls']} polls: their vote counts are the whole poll's and the voters are "
            "unknown (X, Discord and Mastodon give counts only), so a poll is listed with the "
            "communities whose members engaged with its post or channel; polls never create "
            "ties between accounts."
        )
    return out


def tracking(data: dict[str, Any]) -> dict[str, Any]:
    """The kept ``track`` result, cut to what its flow chart needs: when it was computed, the
    periods, each line's sizes and the member flows (``microcomm track --format json`` has
    the rest)."""
    return {
        "computed": data.get("computed"),
        "period": data["period"],
        "periods": [{"label": p["label"], "status": p["status"]} for p in data["periods"]],
        "lines": [
            {"id": ln["id"], "name": ln["name"], "sizes": ln["sizes"]} for ln in data["lines"]
        ],
        "flows": data["flows"],
    }
