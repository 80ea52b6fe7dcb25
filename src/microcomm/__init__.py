"""microcomm: find the micro communities inside a social audience and what each one cares about.

The pipeline is ingest → store → detect → profile → report; each stage is a module with a
small public function, and :mod:`microcomm.pipeline` strings them together.
"""

from microcomm.errors import (
    ConfigError,
    EmptyGraphError,
    EmptyStoreError,
    InputError,
    MicrocommError,
    SchemaError,
)

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "EmptyGraphError",
    "EmptyStoreError",
    "InputError",
    "MicrocommError",
    "SchemaError",
    "__version__",
]
