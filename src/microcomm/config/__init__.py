"""Configuration: one frozen dataclass per stage, loaded from YAML, checked once.

Precedence, highest first: CLI flag > ``MICROCOMM_<SECTION>_<KEY>`` environment variable >
YAML file > default. :func:`load_config` applies the last three; the CLI passes its flags to
:func:`Config.override`. An invalid config object cannot exist: every value is checked when
its dataclass is built.
"""

from __future__ import annotations

from microcomm.config.load import (
    SECTIONS,
    Config,
    default_config_text,
    env_overrides,
    load_config,
    parse_config,
)
from microcomm.config.stages import (
    DEFAULT_ENTITY_WEIGHTS,
    DEFAULT_KIND_WEIGHTS,
    DetectConfig,
    FilterConfig,
    GraphConfig,
    IngestConfig,
    ReportConfig,
    TrackConfig,
)

__all__ = [
    "DEFAULT_ENTITY_WEIGHTS",
    "DEFAULT_KIND_WEIGHTS",
    "SECTIONS",
    "Config",
    "DetectConfig",
    "FilterConfig",
    "GraphConfig",
    "IngestConfig",
    "ReportConfig",
    "TrackConfig",
    "default_config_text",
    "env_overrides",
    "load_config",
    "parse_config",
]
