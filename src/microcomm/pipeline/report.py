"""``microcomm report`` and ``export``: the report data and files of the current run."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from microcomm.config import Config
from microcomm.errors import EmptyStoreError
from microcomm.pipeline._common import store_config
from microcomm.store import Store

if TYPE_CHECKING:
    from microcomm.report.inputs import ReportInputs


def load_report_inputs(store: Store) -> ReportInputs:
    """The frames the report is built from: the store's current run and what it profiles."""
    from microcomm.filter import drop_filtered
    from microcomm.report.inputs import (
        ANSWER_COLUMNS,
        ENTITY_COLUMNS,
        EVENT_COLUMNS,
        ReportInputs,
    )

    run = store.current_run()
    if run is None:
        raise EmptyStoreError(
            f"{store.root}: no communities have been detected yet",
            hint="run `microcomm detect` first",
        )
    # Spam reaches no interest, name, member list or quote (issue 8): drop it on the way in.
    filtered = store.filtered()
    events, entities = drop_filtered(
        store.read("events", list(EVENT_COLUMNS)),
        store.read("entities", ["event_id", *ENTITY_COLUMNS]),
        filtered,
    )
    return ReportInputs(
        run=run,
        communities=store.communities(),
        events=events,
        entities=entities.select(ENTITY_COLUMNS),
        accounts=store.accounts(),
        edges=store.edges(),
        answers=store.read("answers", list(ANSWER_COLUMNS)),
        polls=store.polls(),
        filtered=filtered,
        tracking=store.tracking(),
    )


def run_report(
    *, store: Store, config: Config | None = None, timings: dict[str, float] | None = None
) -> dict[str, Any]:
    """The report data (the ``--format json`` contract); rendered by :mod:`microcomm.report`.

    ``timings``, when given, receives the seconds each report section took (``read``: the
    store reads).
    """
    from microcomm.report import build_report

    config = store_config(store, config or Config())
    store.require_events()
    t = time.perf_counter()
    inputs = load_report_inputs(store)
    if timings is not None:
        timings["read"] = time.perf_counter() - t
    return build_report(inputs, config=config.report, timings=timings)


def run_export(
    what: str, output: Path, *, store: Store, config: Config | None = None
) -> dict[str, Any]:
    """Write ``members``, ``communities`` or ``graph`` of the current run to ``output`` (format
    by extension; see :mod:`microcomm.export`). Returns what was written."""
    from microcomm.export import check_target, export
    from microcomm.report import build_report

    config = store_config(store, config or Config())
    check_target(what, output)  # a wrong extension fails before the work
    store.require_events()
    inputs = load_report_inputs(store)
    return export(what, inputs, build_report(inputs, config=config.report), output)
