"""``microcomm track``: communities month over month."""

from __future__ import annotations

from typing import Any

from microcomm.config import Config
from microcomm.errors import StoreError
from microcomm.pipeline._common import store_config
from microcomm.store import Store


def run_track(
    *, store: Store, config: Config | None = None, runs: tuple[str, str] | None = None
) -> dict[str, Any]:
    """Month over month: the tracking data of :mod:`microcomm.track` (the JSON contract).

    Without ``runs``, the store's events are split into ``track.period`` periods and each is
    detected with the same settings; with ``runs`` (store directories or run ids of
    ``store``), two stored detection runs are compared. A month-over-month result is kept in
    the store (replacing the last one) for ``report --format html``'s flow chart.
    """
    from microcomm.brand import resolve_brand
    from microcomm.filter import drop_filtered, flag_events
    from microcomm.track import track_events
    from microcomm.track.core import ENTITY_COLUMNS, EVENT_COLUMNS
    from microcomm.track.runs import track_runs

    config = store_config(store, config or Config())
    if runs is not None:
        return track_runs(runs[0], runs[1], store=store, config=config)

    store.require_events()
    events, entities = store.read("events", EVENT_COLUMNS), store.read("entities", ENTITY_COLUMNS)
    # Spam is set aside over the whole store, as detect does (issue 8), before periods split it.
    brand = resolve_brand(events, given=(config.report.brand,))  # never filtered as spam
    filtered = flag_events(events, config=config.filter, exempt=brand.handles)
    events, entities = drop_filtered(events, entities, filtered)
    data = track_events(events, entities, config=config)
    try:
        store.keep_tracking(data)  # the report shows it; it never runs tracking itself (cost)
    except StoreError as exc:  # a read-only store still gets its tracking, said in a note
        data["notes"].append(f"not kept for the report ({exc})")
    return data
