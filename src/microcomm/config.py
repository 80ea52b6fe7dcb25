"""Configuration: one frozen dataclass per stage, loaded from YAML, checked once.

Precedence, highest first: CLI flag > ``MICROCOMM_<SECTION>_<KEY>`` environment variable >
YAML file > default. :func:`load_config` applies the last three; the CLI passes its flags to
:func:`Config.override`. An invalid config object cannot exist: every value is checked when
its dataclass is built.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from microcomm.errors import ConfigError
from microcomm.schema import ENTITY_TYPES, EVENT_KINDS


def _check_range(obj: object, name: str, lo: float | None, hi: float | None) -> None:
    value = getattr(obj, name)
    if value is None:
        return
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bounds = f"[{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
        raise ConfigError(
            f"{type(obj).__name__.removesuffix('Config').lower()}.{name} = {value!r} is out of range {bounds}",
            hint="pick a value inside the range",
        )


def _check_choice(obj: object, name: str, choices: tuple[str, ...]) -> None:
    value = getattr(obj, name)
    if value not in choices:
        section = type(obj).__name__.removesuffix("Config").lower()
        raise ConfigError(
            f"{section}.{name} = {value!r} is not one of {', '.join(choices)}",
            hint=f"set {section}.{name} to one of the listed values",
        )


def _check_weights(obj: object, name: str, keys: tuple[str, ...]) -> None:
    weights = getattr(obj, name)
    section = type(obj).__name__.removesuffix("Config").lower()
    for key, value in weights.items():
        if key not in keys:
            raise ConfigError(
                f"{section}.{name}: unknown key {key!r}",
                hint=f"use any of {', '.join(keys)}",
            )
        if not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{section}.{name}.{key} = {value!r} must be a number >= 0")


DEFAULT_KIND_WEIGHTS: dict[str, float] = {
    "post": 1.0,
    "comment": 1.0,
    "reply": 1.0,
    "mention": 1.0,
    "tag": 1.0,
    "share": 0.8,
    "like": 0.5,
    "follow": 0.5,
    "dm": 1.0,
    "poll_answer": 0.0,
}
DEFAULT_ENTITY_WEIGHTS: dict[str, float] = {
    "hashtag": 0.6,
    "mention": 0.6,
    "domain": 0.3,
    "emoji": 0.0,
    "keyword": 0.0,
}


@dataclass(frozen=True)
class IngestConfig:
    """How export files are read."""

    platform: str = "auto"
    strict: bool = False
    keep_partial: bool = False
    max_error_locations: int = 5
    batch_size: int = 100_000
    follow_symlinks: bool = False
    owner: str | None = None
    max_unpacked_gb: float = 20.0
    max_expansion_ratio: float = 200.0

    def __post_init__(self) -> None:
        _check_range(self, "max_error_locations", 0, 1000)
        _check_range(self, "batch_size", 1000, 10_000_000)
        _check_range(self, "max_unpacked_gb", 0.001, 100_000)
        _check_range(self, "max_expansion_ratio", 1, 1_000_000)


@dataclass(frozen=True)
class GraphConfig:
    """How the account × context incidence becomes the graph communities are found on."""

    kind_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))
    entity_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_ENTITY_WEIGHTS))
    idf: bool = True
    busy_context_size: int = 1000
    # Contexts with at most this many engagers become direct ties between them (the exact
    # projection: a clique of 3 is no bigger than its star); busier ones stay hub nodes.
    pair_contexts: int = 3
    min_events: int = 1

    def __post_init__(self) -> None:
        _check_weights(self, "kind_weights", EVENT_KINDS)
        _check_weights(self, "entity_weights", ENTITY_TYPES)
        _check_range(self, "busy_context_size", 2, None)
        _check_range(self, "pair_contexts", 2, 1000)
        _check_range(self, "min_events", 1, None)


@dataclass(frozen=True)
class DetectConfig:
    """How communities are found."""

    method: str = "leiden"
    # 0: follow the audience's size (communities/leiden.py, size_resolution); > 0: fixed.
    resolution: float = 0.0
    # The size rule resolves communities of about this many accounts.
    micro_size: int = 32
    # Leiden iterations per level (-1: until an iteration changes nothing). 2, igraph's own
    # default: at 1 M events -1 took 1.7x the time for the same NMI (0.943).
    iterations: int = 2
    # Seeded Leiden runs for the micro level (best modularity kept), on graphs up to
    # restart_edges edges; larger graphs get one run (time).
    restarts: int = 4
    restart_edges: int = 500_000
    seed: int = 42
    engine: str = "auto"
    engine_switch_edges: int = 200_000
    threshold: float = 1e-7
    n_clusters: int = 0
    svd_components: int = 64
    stability_runs: int = 5
    # Share of the graph's edges each stability run keeps (an edge bootstrap; 1 = only reseed).
    # 0.8: the graph ties accounts to the contexts they engaged with (graph.py), and a sparse
    # account keeping half of its 3-4 engagements is no longer the same account — planted
    # communities came back at a median of 0.79 with 0.5 and 0.92 with 0.8 (issue 12).
    stability_keep: float = 0.8
    # Graphs with more ties than this get proportionally fewer stability runs (at least two):
    # at 1 M events one run costs about 5 s on this 2-core machine (issue 12's 15 s budget).
    stability_edges: int = 200_000
    # Smallest community detect keeps: smaller groups join the community they are most tied
    # to, or are counted as unplaced (community -1). report.min_size only hides from view.
    min_size: int = 5
    # Replace the micro level by the consensus of the stability runs (members move to the
    # community most runs put them with). Off: on the sparse planted audience it scored NMI
    # 0.870 against 0.882 for the main run (issue 12).
    consensus: bool = False

    def __post_init__(self) -> None:
        _check_choice(self, "method", ("leiden", "louvain", "kmeans", "hdbscan"))
        _check_choice(self, "engine", ("auto", "networkx", "igraph"))
        _check_range(self, "resolution", 0.0, 1000.0)
        _check_range(self, "micro_size", 2, 100_000)
        _check_range(self, "iterations", -1, 100)
        _check_range(self, "restarts", 1, 100)
        _check_range(self, "restart_edges", 0, None)
        _check_range(self, "seed", 0, 2**32 - 1)
        _check_range(self, "engine_switch_edges", 0, None)
        _check_range(self, "threshold", 0.0, 1.0)
        _check_range(self, "n_clusters", 0, 100_000)
        _check_range(self, "svd_components", 2, 1000)
        _check_range(self, "stability_runs", 0, 100)
        _check_range(self, "stability_keep", 0.05, 1.0)
        _check_range(self, "stability_edges", 1, None)
        _check_range(self, "min_size", 1, None)


@dataclass(frozen=True)
class ReportConfig:
    """What the report shows."""

    top: int = 10
    min_size: int = 5
    max_size: int = 0
    prior: float = 0.5
    min_members: int = 2
    timezone: str = "UTC"
    stability_bar: float = 0.5
    # Interests, answers and accounts need a log-odds z-score at least this high to be shown
    # (1.96: more distinctive than chance at the 95 % level), so generic tags drop out.
    min_score: float = 1.96
    # Example messages shown per community and category (request, question, complaint, praise).
    examples: int = 3
    # Communities whose most shared distinctive interest reaches fewer than this share of their
    # members are flagged "diffuse" (a catch-all group rather than a community).
    diffuse_share: float = 0.1
    # The brand or creator the audience belongs to: its handles and tags, comma-separated
    # ("@kestrel, #kestreltrail"); "" = the account most of the audience engages with, when one
    # clearly leads. Named in the summary; its mentions make influencers, UGC and advocates.
    brand: str = ""
    # Large reach: follower count at or above this percentile of the audience's known counts.
    reach_percentile: float = 0.99

    def __post_init__(self) -> None:
        _check_range(self, "reach_percentile", 0.0, 1.0)
        _check_range(self, "top", 1, 1000)
        _check_range(self, "min_size", 1, None)
        _check_range(self, "max_size", 0, None)
        _check_range(self, "prior", 0.0, None)
        _check_range(self, "min_members", 1, None)
        _check_range(self, "stability_bar", 0.0, 1.0)
        _check_range(self, "min_score", 0.0, None)
        _check_range(self, "examples", 0, 100)
        _check_range(self, "diffuse_share", 0.0, 1.0)
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(self.timezone)
        except Exception as exc:
            raise ConfigError(
                f"report.timezone = {self.timezone!r} is not a known time zone",
                hint="use an IANA name such as Europe/Paris or America/New_York",
            ) from exc


@dataclass(frozen=True)
class TrackConfig:
    """How ``microcomm track`` slices time and matches communities across periods."""

    period: str = "month"
    since: str = ""  # ISO date (inclusive); "" = the first event
    until: str = ""  # ISO date (inclusive); "" = the last event
    # Best-match Jaccard of members that links a community to one in the next period
    # (Greene, Doyle & Cunningham 2010 use 0.1–0.5; 0.3 keeps a line through ~50 % turnover).
    match: float = 0.3
    # A group that moves together (at least this share of its members into one community, or
    # of one community's members from it) is linked too: absorbed groups and splinters.
    absorb: float = 0.5
    # A relative size change below this is a continuation; above it, growth or shrink.
    change: float = 0.1
    # Periods with fewer active accounts are reported as too small, not detected.
    min_accounts: int = 20

    def __post_init__(self) -> None:
        _check_choice(self, "period", ("month", "week", "quarter"))
        _check_range(self, "match", 0.01, 1.0)
        _check_range(self, "absorb", 0.01, 1.0)
        _check_range(self, "change", 0.0, None)
        _check_range(self, "min_accounts", 2, None)
        for name in ("since", "until"):
            value = getattr(self, name)
            try:
                if value:
                    date.fromisoformat(value)
            except ValueError:
                raise ConfigError(
                    f"track.{name} = {value!r} is not a date",
                    hint="write it as YYYY-MM-DD, e.g. 2026-09-01",
                ) from None
        if self.since and self.until and self.until < self.since:
            raise ConfigError(
                f"track.until = {self.until} is before track.since = {self.since}",
                hint="swap the two dates",
            )


@dataclass(frozen=True)
class FilterConfig:
    """Spam and junk filtering between the store and the graph (issue 8)."""

    keep_spam: bool = False
    # Three people may quote the same line (a slogan, a lyric); five near-identical long
    # messages from five accounts are a ring.
    ring_min_accounts: int = 5
    ring_min_words: int = 6
    ring_similarity: float = 0.6
    giveaway_min_tags: int = 2
    burst_accounts: int = 4
    burst_seconds: int = 60
    burst_links: int = 2
    loud_per_hour: int = 50
    loud_repeats: int = 10
    account_share: float = 0.5

    def __post_init__(self) -> None:
        _check_range(self, "ring_min_accounts", 2, None)
        _check_range(self, "ring_min_words", 3, None)
        _check_range(self, "ring_similarity", 0.0, 1.0)
        _check_range(self, "giveaway_min_tags", 2, None)
        _check_range(self, "burst_accounts", 2, None)
        _check_range(self, "burst_seconds", 1, 86_400)
        _check_range(self, "burst_links", 1, None)
        _check_range(self, "loud_per_hour", 2, None)
        _check_range(self, "loud_repeats", 2, None)
        _check_range(self, "account_share", 0.0, 1.0)


SECTIONS: dict[str, type] = {
    "ingest": IngestConfig,
    "filter": FilterConfig,
    "graph": GraphConfig,
    "detect": DetectConfig,
    "report": ReportConfig,
    "track": TrackConfig,
}


@dataclass(frozen=True)
class Config:
    """All stage configs together."""

    ingest: IngestConfig = field(default_factory=IngestConfig)
    filter: FilterConfig = field(default_factory=FilterConfig)
    graph: GraphConfig = field(default_factory=GraphConfig)
    detect: DetectConfig = field(default_factory=DetectConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    track: TrackConfig = field(default_factory=TrackConfig)

    def override(self, section: str, **values: Any) -> Config:
        """A copy with the non-None ``values`` set in ``section`` (used for CLI flags)."""
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            return self
        current = getattr(self, section)
        return dataclasses.replace(
            self,
            **{section: _build(SECTIONS[section], {**_asdict(current), **values}, "command line")},
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, as written next to results."""
        return {name: _asdict(getattr(self, name)) for name in SECTIONS}


def _asdict(obj: object) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}  # type: ignore[arg-type]


def _coerce(value: Any, like: Any, where: str) -> Any:
    """Coerce a YAML / env value to the type of the default ``like``."""
    if isinstance(like, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in (
            "1",
            "true",
            "yes",
            "on",
            "0",
            "false",
            "no",
            "off",
        ):
            return value.lower() in ("1", "true", "yes", "on")
        raise ConfigError(f"{where} = {value!r} must be true or false")
    if isinstance(like, int):
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ConfigError(f"{where} = {value!r} must be a whole number")
        try:
            return int(value)
        except ValueError:
            raise ConfigError(f"{where} = {value!r} must be a whole number") from None
    if isinstance(like, float):
        if isinstance(value, bool):
            raise ConfigError(f"{where} = {value!r} must be a number")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where} = {value!r} must be a number") from None
    if isinstance(like, dict):
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a mapping of key: value")
        return {**like, **value}
    if isinstance(like, str):
        if not isinstance(value, str | int | float):
            raise ConfigError(f"{where} = {value!r} must be text")
        return str(value)
    return value


def _build(cls: type, values: Mapping[str, Any], origin: str) -> Any:
    section = cls.__name__.removesuffix("Config").lower()
    defaults = cls()
    known = {f.name for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(
                f"{origin}: unknown key {section}.{key}",
                hint=f"known keys of {section}: {', '.join(sorted(known))}",
            )
        kwargs[key] = _coerce(value, getattr(defaults, key), f"{origin}: {section}.{key}")
    return cls(**kwargs)


def parse_config(data: Mapping[str, Any] | None, *, origin: str = "config") -> Config:
    """Build a Config from a nested mapping, rejecting unknown sections and keys."""
    data = dict(data or {})
    for name in data:
        if name not in SECTIONS:
            raise ConfigError(
                f"{origin}: unknown section {name!r}",
                hint=f"sections are {', '.join(SECTIONS)}",
            )
    parts = {}
    for name, cls in SECTIONS.items():
        section = data.get(name) or {}
        if not isinstance(section, Mapping):
            raise ConfigError(f"{origin}: section {name!r} must be a mapping")
        parts[name] = _build(cls, section, origin)
    return Config(**parts)


def env_overrides(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """``MICROCOMM_DETECT_RESOLUTION=2`` → ``{"detect": {"resolution": "2"}}``."""
    out: dict[str, dict[str, str]] = {}
    for key, value in environ.items():
        if not key.startswith("MICROCOMM_"):
            continue
        rest = key.removeprefix("MICROCOMM_").lower()
        section, _, name = rest.partition("_")
        if section in SECTIONS and name:
            known = {f.name for f in dataclasses.fields(SECTIONS[section])}
            if name in known:
                out.setdefault(section, {})[name] = value
    return out


def default_config_text() -> str:
    """The default configuration, documented, as shipped inside the package (``default.yaml``).

    ``configs/default.yaml`` in the repository is the same file (a test keeps them equal); start
    your own config from this text: ``Path("my.yaml").write_text(default_config_text())``.
    """
    from importlib.resources import files

    return files("microcomm").joinpath("default.yaml").read_text(encoding="utf-8")


def load_config(
    path: str | Path | None = None, *, environ: Mapping[str, str] | None = None
) -> Config:
    """Read a YAML config (or none), then apply ``MICROCOMM_*`` environment overrides.

    Parameters
    ----------
    path
        YAML file; None for the defaults (the packaged ``default.yaml``).
    environ
        Environment to read overrides from; ``os.environ`` when None.

    Raises
    ------
    ConfigError
        The file is missing or not YAML, or a key or value is invalid.

    Examples
    --------
    >>> load_config(None, environ={"MICROCOMM_DETECT_RESOLUTION": "2.5"}).detect.resolution
    2.5
    """
    data: dict[str, Any] = {}
    origin = "defaults"
    if path is None:  # the packaged copy of configs/default.yaml: works outside a clone too
        data = yaml.safe_load(default_config_text())
    else:
        p = Path(path)
        origin = str(p)
        if not p.is_file():
            raise ConfigError(
                f"{p}: config file not found", hint="check the path given to --config"
            )
        try:
            loaded = yaml.safe_load(p.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{p}: not valid YAML ({str(exc).splitlines()[0]})") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"{p}: the top level must be a mapping of sections")
        data = loaded or {}
    env = env_overrides(os.environ if environ is None else environ)
    for section, values in env.items():
        merged = dict(data.get(section) or {})
        merged.update(values)
        data[section] = merged
    return parse_config(data, origin=origin if not env else f"{origin} + environment")
