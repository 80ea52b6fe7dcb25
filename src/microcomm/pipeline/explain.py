"""``microcomm explain``: why an account is where it is, or why it was filtered."""

from __future__ import annotations

from typing import Any

import polars as pl

from microcomm.config import Config
from microcomm.errors import EmptyStoreError, InputError
from microcomm.pipeline._common import store_config
from microcomm.pipeline.report import load_report_inputs
from microcomm.store import Store
from microcomm.text import lookalike_letters


def run_explain(actor: str, *, store: Store, config: Config | None = None) -> Any:
    """Why ``actor`` is in its community (:func:`microcomm.explain.explain_actor`), or why it
    was filtered (:class:`microcomm.filter.audit.FilteredAccount`) when the filter set it
    aside whole; events of it that were filtered are in the explanation's ``extra``."""
    from microcomm.explain import explain_actor
    from microcomm.filter.audit import account_filter_info

    config = store_config(store, config or Config())
    store.require_events()
    if store.current_run() is None:
        raise EmptyStoreError(
            f"{store.root}: no communities have been detected yet",
            hint="run `microcomm detect` first",
        )
    pseudo = store.pseudonymizer()  # a pseudonymised store: the handle or its pseudonym
    handle = pseudo.given(actor) if pseudo else actor.strip().removeprefix("@").lower()
    total = store.scan("events").filter(pl.col("actor") == handle).select(pl.len()).collect()
    info = account_filter_info(
        store.filtered(),
        handle,
        total=int(total.item()),
        min_senders=config.report.min_quote_senders,
    )
    if info is not None and info.account_reason is not None:
        info.lookalike_letters = lookalike_letters(handle)
        return info
    roles = _people_roles(handle, store, config)
    try:
        ex = explain_actor(store, handle if pseudo else actor, top=config.report.top)
    except InputError as err:
        from microcomm.explain import unplaced

        brand = _brand_reason(handle, store, config)
        if not roles and brand is None:  # an influencer often sits outside every community
            raise
        ex = unplaced(handle, reason=brand or err.message)
    ex.extra["roles"] = roles
    ex.extra["lookalike_letters"] = lookalike_letters(handle)  # issue 9: pаypal vs paypal
    if info is not None:
        ex.extra["filtered"] = info.to_dict()
    return ex


def _brand_reason(handle: str, store: Store, config: Config) -> str | None:
    """Why the brand is in no community (detect never places it: the audience is about it),
    or None when ``handle`` is not the brand."""
    from microcomm.brand import resolve_brand

    events = store.scan("events").select("actor", "target", "target_kind").collect()
    brand = resolve_brand(events, given=(config.report.brand,))
    if handle not in brand.handles:
        return None
    how = "as given" if brand.how != "auto" else "the account the most accounts engage with"
    return f"it is the brand this audience is about ({how}): the brand is never a member"


def _people_roles(actor: str, store: Store, config: Config) -> list[dict[str, Any]]:
    """The people roles of ``actor`` (influencer, paid partner, UGC creator, advocate)."""
    from microcomm.brand import resolve_brand
    from microcomm.profiles.hierarchy import membership
    from microcomm.profiles.person import describe_person

    inputs = load_report_inputs(store)
    return describe_person(
        actor,
        events=inputs.events,
        entities=inputs.entities,
        accounts=inputs.accounts,
        members=membership(inputs.communities, level=0),
        brand=resolve_brand(inputs.events, given=(config.report.brand,)),
        percentile=config.report.reach_percentile,
    )
