"""Ingest stage: export files → canonical ``events``, ``entities`` and ``accounts`` rows.

One module per source format registers a :class:`~microcomm.ingest.base.Reader`; importing
this package registers them all, platform readers first and the generic reader last.
"""

from microcomm.ingest import generic  # noqa: F401  (registers the canonical reader; keep last)
from microcomm.ingest.base import REGISTRY, FileReport, ReadContext, Reader, register
from microcomm.ingest.core import IngestResult, finalize_events, ingest_files, sniff_reader
from microcomm.ingest.generic import load_mapping

__all__ = [
    "REGISTRY",
    "FileReport",
    "IngestResult",
    "ReadContext",
    "Reader",
    "finalize_events",
    "ingest_files",
    "load_mapping",
    "register",
    "sniff_reader",
]
