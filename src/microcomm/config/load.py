"""All stage configs together, and how they are read: YAML, environment, CLI flags."""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from microcomm.config.stages import (
    DetectConfig,
    FilterConfig,
    GraphConfig,
    IngestConfig,
    ReportConfig,
    TrackConfig,
)
from microcomm.errors import ConfigError

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


@functools.cache
def _packaged_defaults() -> dict[str, Any]:
    # Parsed once per process: the pure-Python YAML parser takes ~13 ms over it.
    return yaml.safe_load(default_config_text())


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
        data = copy.deepcopy(_packaged_defaults())
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
