"""Report stage: the per-community profile data, and its Markdown and JSON renderings.

``build_report`` returns plain data (the ``--format json`` contract); ``to_markdown`` and
``to_json`` render it. Terminal rendering lives in ``cli/render.py`` (rich is not used here).

JSON contract (stable; new keys may be added, none removed)::

    {"microcomm": version, "run": {...}, "audience": {...},
     "communities": [{"id", "size", "label",
                      "interests": [{"type", "value", "score", "members", "share_in", "share_out"}],
                      "members": [{"actor", "score"}], ...}],
     "hidden": {...}}
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from microcomm import __version__
from microcomm.config import ReportConfig
from microcomm.profiles import (
    core_members,
    distinctive_interests,
    entity_features,
    label_for,
    membership,
)
from microcomm.store import Store

_PREFIX = {"hashtag": "#", "mention": "@"}


def build_report(
    store: Store, *, run: dict[str, Any], config: ReportConfig | None = None
) -> dict[str, Any]:
    """Profile every community of the current run."""
    config = config or ReportConfig()
    communities = store.communities()
    members = membership(communities, level=0)
    sizes = members.group_by("community").agg(pl.len().alias("size"))
    shown = sizes.filter(pl.col("size") >= config.min_size)
    if config.max_size:
        shown = shown.filter(pl.col("size") <= config.max_size)
    shown = shown.sort(["size", "community"], descending=[True, False])
    entities = store.read("entities", ["actor", "type", "value"])
    n_accounts = store.scan("events").select(pl.col("actor").n_unique()).collect().item()
    interests = distinctive_interests(
        entity_features(entities),
        members,
        prior=config.prior,
        min_members=config.min_members,
        audience_size=n_accounts,
    )
    labels = label_for(interests)
    top_interests = (
        interests.filter(pl.col("score") > 0)
        .group_by("community", maintain_order=True)
        .head(config.top)
    )
    cores = core_members(communities, top=config.top)

    by_comm_interests = top_interests.partition_by("community", as_dict=True)
    by_comm_members = cores.partition_by("community", as_dict=True)
    label_map = dict(zip(labels["community"].to_list(), labels["label"].to_list(), strict=True))
    out = []
    for cid, size in shown.select("community", "size").iter_rows():  # one row per community shown
        ints = by_comm_interests.get((cid,), pl.DataFrame())
        mems = by_comm_members.get((cid,), pl.DataFrame())
        out.append(
            {
                "id": int(cid),
                "size": int(size),
                "label": label_map.get(cid) or f"community {cid}",
                "interests": [
                    {
                        "type": r["type"],
                        "value": r["value"],
                        "score": round(float(r["score"]), 3),
                        "members": int(r["members"]),
                        "share_in": round(float(r["share_in"]), 4),
                        "share_out": round(float(r["share_out"]), 4),
                    }
                    for r in ints.iter_rows(named=True)
                ]
                if ints.height
                else [],
                "members": [
                    {"actor": r["actor"], "score": round(float(r["score"]), 4)}
                    for r in mems.iter_rows(named=True)
                ]
                if mems.height
                else [],
            }
        )
    stats = run.get("stats", {})
    hidden_small = sizes.filter(pl.col("size") < config.min_size)
    return {
        "microcomm": __version__,
        "run": {
            "run_id": run.get("run_id"),
            "created": run.get("created"),
            "method": run.get("method"),
            "engine": run.get("engine"),
            "seed": run.get("seed"),
            "resolution": stats.get("resolution"),
            "modularity": stats.get("modularity"),
        },
        "audience": {
            "accounts": int(n_accounts),
            "events": int(store.scan("events").select(pl.len()).collect().item()),
            "in_communities": int(members.height),
            "communities": len(out),
        },
        "communities": out,
        "hidden": {
            "smaller_than_min_size": int(hidden_small.height),
            "accounts_in_them": int(hidden_small["size"].sum() or 0),
            "min_size": config.min_size,
            "max_size": config.max_size or None,
        },
    }


def to_json(report: dict[str, Any]) -> str:
    """The report as JSON text (the stable contract for scripts)."""
    return json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"


def _fmt_interest(i: dict[str, Any]) -> str:
    return f"{_PREFIX.get(i['type'], '')}{i['value']}"


def to_markdown(report: dict[str, Any]) -> str:
    """The report as a Markdown document a marketer can read and share."""
    aud, run = report["audience"], report["run"]
    lines = [
        "# Audience micro communities",
        "",
        f"{aud['accounts']:,} accounts and {aud['events']:,} engagement events; "
        f"{aud['communities']} communities shown ({aud['in_communities']:,} accounts placed). "
        f"Method: {run['method']} ({run['engine']}), seed {run['seed']}, run `{run['run_id']}`.",
        "",
        "| # | community | members | top interests |",
        "|---|---|---:|---|",
    ]
    for c in report["communities"]:
        tops = ", ".join(_fmt_interest(i) for i in c["interests"][:3])
        lines.append(f"| {c['id']} | {c['label']} | {c['size']} | {tops} |")
    hidden = report["hidden"]
    if hidden["smaller_than_min_size"]:
        lines += [
            "",
            f"{hidden['smaller_than_min_size']} groups smaller than {hidden['min_size']} members are not shown.",
        ]
    for c in report["communities"]:
        lines += ["", f"## {c['id']}. {c['label']}", "", f"**{c['size']} members.**", ""]
        if c["interests"]:
            lines += [
                "What sets them apart (log-odds z-score vs the rest of the audience; members = distinct accounts):",
                "",
                "| interest | type | score | members | share inside | share outside |",
                "|---|---|---:|---:|---:|---:|",
            ]
            for i in c["interests"]:
                lines.append(
                    f"| {_fmt_interest(i)} | {i['type']} | {i['score']:.1f} | {i['members']} | "
                    f"{i['share_in']:.0%} | {i['share_out']:.1%} |"
                )
        if c["members"]:
            lines += ["", "Core members: " + ", ".join(f"`{m['actor']}`" for m in c["members"])]
    return "\n".join(lines) + "\n"
