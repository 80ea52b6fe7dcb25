"""The Python API for notebooks: ``ingest``, ``detect`` and ``report`` on a :class:`Store`.

Each function is the command of the same name: the same config, the same pipeline function,
the same result. Options are config keys of the stage (``detect(store, resolution=2.0)`` is
``microcomm detect --resolution 2``); ``config`` takes a :class:`~microcomm.config.Config` or a
YAML path, else the packaged defaults with ``MICROCOMM_*`` environment overrides, as the CLI.

Examples
--------
>>> import tempfile, microcomm
>>> from pathlib import Path
>>> from microcomm.synth import sparse_audience
>>> work = Path(tempfile.mkdtemp())
>>> sparse_audience(300, seed=1).events.write_parquet(work / "events.parquet")
>>> store = microcomm.Store(work / "store")
>>> microcomm.ingest(work / "events.parquet", store=store).events_added
1826
>>> found = microcomm.detect(store, stability_runs=0)
>>> found.members.columns[:3]
['actor', 'community', 'level']
>>> microcomm.report(store, top=3).to_markdown().startswith("#")
True
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.config import SECTIONS, Config, load_config
from microcomm.pipeline import DetectResult, IngestRunResult, run_detect, run_ingest, run_report
from microcomm.store import Store

PathLike = str | os.PathLike[str]


@dataclass
class Detection(DetectResult):
    """What :func:`detect` found: the run's summary, and who is in which community.

    ``members`` has one row per account and level (``actor``, ``community``, ``level``,
    ``method``, ``strength``, ``centrality``, …), sorted by level, community and actor; level 0
    is the finest (the micro communities).
    """

    members: pl.DataFrame = field(default_factory=pl.DataFrame, repr=False)


@dataclass(frozen=True)
class Report:
    """The report data (the ``report --format json`` contract) and its renderings.

    In a notebook the object shows as its Markdown.
    """

    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """A copy of the report data, as ``microcomm report --format json`` writes it."""
        return copy.deepcopy(self.data)

    def to_json(self) -> str:
        from microcomm.report import to_json

        return to_json(self.data)

    def to_markdown(self) -> str:
        from microcomm.report import to_markdown

        return to_markdown(self.data)

    def to_html(self, *, summary_only: bool = False) -> str:
        """One self-contained HTML page: summary, charts, profiles (no script, no network)."""
        from microcomm.report import to_html

        return to_html(self.data, summary_only=summary_only)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def ingest(
    paths: PathLike | Iterable[PathLike],
    *,
    store: Store | PathLike,
    config: Config | PathLike | None = None,
    mapping: PathLike | None = None,
    survey: PathLike | Iterable[PathLike] | None = None,
    **options: Any,
) -> IngestRunResult:
    """Read export files, folders or ZIPs (and survey answer files) into ``store``.

    ``options`` are ``ingest`` config keys (``platform="x-api-v2"``, ``strict=True``).
    Re-ingesting a file changes nothing; a failed ingest leaves the store as it was.

    Raises
    ------
    MicrocommError
        A file cannot be read (the message names it and how to fix it).
    """
    cfg = _config(config, ("ingest",), options, "ingest")
    return run_ingest(
        _paths(paths),
        store=_store(store),
        config=cfg,
        mapping=None if mapping is None else Path(mapping),
        survey=_paths(survey),
    )


def detect(
    store: Store | PathLike, *, config: Config | PathLike | None = None, **options: Any
) -> Detection:
    """Find the communities of the accounts in ``store`` and record the run in it.

    ``options`` are ``detect`` and ``graph`` config keys (``resolution=2.0``, ``seed=1``,
    ``pair_contexts=10``…). The same events, config and seed give the same communities.

    Raises
    ------
    MicrocommError
        The store holds no events, or no two accounts share anything.
    """
    st = _store(store)
    result = run_detect(store=st, config=_config(config, ("detect", "graph"), options, "detect"))
    members = st.communities().sort(["level", "community", "actor"])
    return Detection(**result.__dict__, members=members)


def report(
    store: Store | PathLike, *, config: Config | PathLike | None = None, **options: Any
) -> Report:
    """Profile each community of the last detection run in ``store``.

    ``options`` are ``report`` config keys (``top=5``, ``min_size=10``, ``timezone="Europe/Paris"``).

    Raises
    ------
    MicrocommError
        The store holds no events, or no detection has run yet.
    """
    cfg = _config(config, ("report",), options, "report")
    return Report(run_report(store=_store(store), config=cfg))


def _store(store: Store | PathLike) -> Store:
    return store if isinstance(store, Store) else Store(Path(store))


def _paths(paths: PathLike | Iterable[PathLike] | None) -> list[str | Path]:
    if paths is None:
        return []
    if isinstance(paths, str | os.PathLike):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _config(
    config: Config | PathLike | None,
    sections: tuple[str, ...],
    options: Mapping[str, Any],
    caller: str,
) -> Config:
    """``config`` (or the defaults) with ``options`` set in the first of ``sections`` that has
    them; an unknown option is a TypeError naming the ones there are."""
    cfg = (
        config
        if isinstance(config, Config)
        else load_config(None if config is None else Path(config))
    )
    by_section: dict[str, dict[str, Any]] = {}
    for key, value in options.items():
        home = next((s for s in sections if key in _fields(s)), None)
        if home is None:
            known = ", ".join(sorted(k for s in sections for k in _fields(s)))
            raise TypeError(f"{caller}() got an unknown option {key!r}; options are: {known}")
        by_section.setdefault(home, {})[key] = value
    for section, values in by_section.items():
        cfg = cfg.override(section, **values)
    return cfg


def _fields(section: str) -> set[str]:
    return {f.name for f in dataclasses.fields(SECTIONS[section])}
