"""Shared by the pipeline's steps: telling the caller which step starts, and the brand
handles of a pseudonymised store."""

from __future__ import annotations

from microcomm.brand import parse_brand
from microcomm.config import Config
from microcomm.progress import ProgressCallback
from microcomm.store import Store


def store_config(store: Store, config: Config) -> Config:
    """``config`` for ``store``: on a pseudonymised store the ``--brand`` handles are hashed as
    its handles were (a pseudonym given is kept; brand #tags stay as written)."""
    pseudo = store.pseudonymizer()
    if pseudo is None or not config.report.brand:
        return config
    brand = parse_brand([config.report.brand])
    given = [f"@{pseudo.given(h)}" for h in brand.handles] + [f"#{t}" for t in brand.tags]
    return config.override("report", brand=", ".join(given))


def _tell(stage: ProgressCallback | None, what: str) -> None:
    if stage:
        stage(what, 0)
