"""Ingest stage: export files → canonical ``events``, ``entities`` and ``accounts`` rows.

One module per source format declares its reader with ``@reader`` (see
:mod:`microcomm.ingest.registry`). Nothing heavy is imported with this package: each public
name below loads its module on first use, and the reader modules load when a reader is first
needed, so ``import microcomm.ingest`` stays cheap (``microcomm --help`` imports no polars).

- :func:`read_file` — the events of one file as a DataFrame, in memory;
- :func:`inspect_file` — the same plus account profiles and the coverage report;
- :func:`ingest_files` — files, folders and ZIPs into a store, in one transaction;
- :func:`finalize_events` — the one place where a reader's rows become canonical events;
- :func:`load_mapping` — a YAML column mapping for the generic reader;
- :func:`reader`, :func:`load_readers`, :func:`get_reader`, :func:`sniff_reader` — the registry.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from microcomm.ingest.base import FileReport, ReadContext
    from microcomm.ingest.core import IngestResult, ingest_files
    from microcomm.ingest.events import Event, Parsed, make_event
    from microcomm.ingest.finalize import finalize_events, finalize_polls
    from microcomm.ingest.generic import load_mapping
    from microcomm.ingest.inspect import FileRead, inspect_file, read_file
    from microcomm.ingest.registry import (
        REGISTRY,
        Reader,
        get_reader,
        load_readers,
        reader,
        register,
        sniff_reader,
    )

_HOMES = {
    "REGISTRY": "registry",
    "Reader": "registry",
    "get_reader": "registry",
    "load_readers": "registry",
    "reader": "registry",
    "register": "registry",
    "sniff_reader": "registry",
    "FileReport": "base",
    "ReadContext": "base",
    "Event": "events",
    "Parsed": "events",
    "make_event": "events",
    "IngestResult": "core",
    "ingest_files": "core",
    "finalize_events": "finalize",
    "finalize_polls": "finalize",
    "load_mapping": "generic",
    "FileRead": "inspect",
    "inspect_file": "inspect",
    "read_file": "inspect",
}

__all__ = [
    "REGISTRY",
    "Event",
    "FileRead",
    "FileReport",
    "IngestResult",
    "Parsed",
    "ReadContext",
    "Reader",
    "finalize_events",
    "finalize_polls",
    "get_reader",
    "ingest_files",
    "inspect_file",
    "load_mapping",
    "load_readers",
    "make_event",
    "read_file",
    "reader",
    "register",
    "sniff_reader",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{home}")
    if name == "REGISTRY":  # the full table: every reader module registered
        module.load_readers()
    return getattr(module, name)
