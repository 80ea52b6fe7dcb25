"""Build the report data (the JSON contract) from the frames of one run.

:func:`build_report` runs in four steps, each a small function of frames:

1. :func:`~microcomm.report.sections.select_communities` — which communities are shown;
2. the profile sections (:data:`~microcomm.report.sections.PROFILE_SECTIONS`) — one
   per-community table set each: interests, members, when and where, voice, answers/polls;
3. :func:`assemble_communities` — one JSON entry per community shown, with its label,
   flags and macro community;
4. the overview (:mod:`~microcomm.report.overview`) — run, audience, stability verdict,
   families, hidden groups, notes.

To add a section: a profile section in ``sections.py`` plus its shaping in
``community.py`` for per-community data, or a function in ``overview.py`` and one key in
:func:`build_report` for audience-wide data.
"""

from __future__ import annotations

import time
from typing import Any

import polars as pl

from microcomm import __version__
from microcomm.config import ReportConfig
from microcomm.profiles import hierarchy
from microcomm.profiles.next_steps import next_steps
from microcomm.report import overview
from microcomm.report.community import community_entry, group_rows
from microcomm.report.filtered import filtered_section
from microcomm.report.inputs import ReportInputs
from microcomm.report.people import audience_people, brand_gaps, platform_overview
from microcomm.report.sections import PROFILE_SECTIONS, Scope, select_communities
from microcomm.report.summary import add_summary, localise_activity


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


def build_report(
    inputs: ReportInputs,
    *,
    config: ReportConfig | None = None,
    timings: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Profile every community of one run.

    Parameters
    ----------
    inputs
        The run and its frames (:func:`microcomm.pipeline.load_report_inputs` reads them
        from a store).
    config
        What to show (``top``, size bar, ``min_score``, ``timezone``, ``stability_bar``…).
    timings
        Filled with the seconds each section took, when given.

    Returns
    -------
    dict
        The JSON contract documented in :mod:`microcomm.report`.
    """
    config = config or ReportConfig()
    clock = _Clock(timings)
    scope = select_communities(inputs, config)
    clock.lap("scope")
    tables: dict[str, pl.DataFrame] = {}
    facts: dict[str, Any] = {}
    for name, section in PROFILE_SECTIONS:
        found = section(inputs, scope, config)
        tables.update(found.tables)
        facts.update(found.facts)
        clock.lap(name)
    tables["brand_gaps"] = brand_gaps(tables, facts)
    nest = hierarchy(inputs.communities)
    nested = inputs.communities["level"].n_unique() > 1
    labels = unique_labels(
        dict(
            zip(
                tables["labels"]["community"].to_list(),
                tables["labels"]["label"].to_list(),
                strict=True,
            )
        )
    )
    out = assemble_communities(scope, tables, labels, nest if nested else None, config)
    week = localise_activity(out, inputs.events, scope.members, config, scope.n_accounts)
    for c in out:
        c["next_steps"] = next_steps(c, brand=scope.brand.handles)
    clock.lap("assemble")
    report = {
        "microcomm": __version__,
        "run": overview.run_info(inputs.run),
        "audience": {
            "accounts": int(scope.n_accounts),
            "events": int(inputs.events.height),
            "in_communities": int(scope.all_members.height),
            # In a group under detect.min_size with no tie to a larger community.
            "unplaced": int(
                inputs.communities.filter((pl.col("level") == 0) & (pl.col("community") < 0)).height
            ),
            "communities": len(out),
            "messages": int(facts["messages"]),
            "respondents": int(facts["respondents"]),
            "polls": int(facts["polls"]),
        },
        "stability": overview.stability_section(inputs.run, out, config),
        "hierarchy": overview.families(nest, scope.sized, out, labels) if nested else [],
        **audience_people(facts, out, config.top),
        "platforms": platform_overview(facts, out, config.timezone),
        "communities": out,
        "flagged": overview.flagged(out),
        "hidden": overview.hidden(scope.sized, config),
        "filtered": filtered_section(inputs.filtered, inputs.run, config),
        "notes": overview.notes(facts, config),
        "audience_week": week,
        **({"tracking": overview.tracking(inputs.tracking)} if inputs.tracking else {}),
    }
    return add_summary(report, inputs, scope.members, config)  # issue 13: summary, ties


def assemble_communities(
    scope: Scope,
    tables: dict[str, pl.DataFrame],
    labels: dict[int, str],
    nest: pl.DataFrame | None,
    config: ReportConfig,
) -> list[dict[str, Any]]:
    """One entry per community shown; flagged ones (unstable, diffuse) after the others.

    ``nest`` (``community, macro``) is None when the run has a single level.
    """
    macro_of = (
        dict(zip(nest["community"].to_list(), nest["macro"].to_list(), strict=True))
        if nest is not None
        else {}
    )
    g = {name: group_rows(df) for name, df in tables.items() if name != "labels"}
    out: list[dict[str, Any]] = []
    for cid, size, stability, confidence, unstable in scope.shown.select(
        "community", "size", "stability", "confidence", "unstable"
    ).iter_rows():  # one row per community shown: assembling its JSON
        flags = ["unstable"] if unstable else []
        ints = g["interests"].get(cid, [])
        # No interest shared by a tenth of the members: a catch-all group, not a community.
        if not ints or max(i["share_in"] for i in ints) < config.diffuse_share:
            flags.append("diffuse")
        entry = community_entry(
            cid,
            size,
            stability,
            flags,
            g,
            label=labels.get(cid),
            labels=labels,
            macro=macro_of.get(cid) if nest is not None else None,
            config=config,
            confidence=confidence,
        )
        out.append(entry)
    # Flagged communities go after the ones a reader can act on (stable sort keeps size order).
    out.sort(key=lambda c: bool(c["flags"]))
    return out


def unique_labels(labels: dict[int, str]) -> dict[int, str]:
    """Two communities may share their top interests (one theme split in two): number them."""
    seen: dict[str, int] = {}
    out = {}
    for cid in sorted(labels):
        label = labels[cid]
        seen[label] = seen.get(label, 0) + 1
        out[cid] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return out
