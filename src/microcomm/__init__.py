"""microcomm: find the micro communities inside a social audience and what each one cares about.

The pipeline is ingest → store → detect → profile → report; each stage is a module with a
small public function, and :mod:`microcomm.pipeline` strings them together. In a notebook::

    import microcomm
    store = microcomm.Store("brand-data")
    microcomm.ingest(["exports/"], store=store)
    found = microcomm.detect(store)          # found.members: actor, community, level, …
    microcomm.report(store).to_markdown()

``import microcomm`` stays cheap: everything but the error classes is imported on first use
(PEP 562 module ``__getattr__``), so ``microcomm --help`` does not load polars.

``microcomm.ingest`` and ``microcomm.report`` name the functions above; the stage packages of
the same names are imported by their full path (``from microcomm.ingest import read_file``).
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

from microcomm.errors import (
    ConfigError,
    EmptyGraphError,
    EmptyStoreError,
    InputError,
    MicrocommError,
    SchemaError,
)

if TYPE_CHECKING:
    from microcomm.api import Detection, Report, detect, ingest, report
    from microcomm.config import Config, load_config
    from microcomm.ingest import read_file
    from microcomm.store import Store

__version__ = "0.1.0"

# public name → module that defines it, imported on first access
_LAZY = {
    "Store": "microcomm.store",
    "ingest": "microcomm.api",
    "detect": "microcomm.api",
    "report": "microcomm.api",
    "Detection": "microcomm.api",
    "Report": "microcomm.api",
    "Config": "microcomm.config",
    "load_config": "microcomm.config",
    "read_file": "microcomm.ingest",
}

__all__ = [
    "Config",
    "ConfigError",
    "Detection",
    "EmptyGraphError",
    "EmptyStoreError",
    "InputError",
    "MicrocommError",
    "Report",
    "SchemaError",
    "Store",
    "__version__",
    "detect",
    "ingest",
    "load_config",
    "read_file",
    "report",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'microcomm' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value  # cached: the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The ``microcomm`` module, whose public functions keep their names.

    Importing a submodule binds it on its package (``import microcomm.report`` sets
    ``microcomm.report``); for ``ingest`` and ``report`` that would hide the API functions, so
    those bindings are skipped — ``sys.modules`` still holds the submodules for every import.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
