"""Ingest stage: export files → canonical ``events``, ``entities`` and ``accounts`` rows.

One module per source format registers a :class:`~microcomm.ingest.base.Reader`; importing
this package registers them all. Sniffing goes by ``Reader.priority`` (platform readers
10-25, the generic canonical reader 100), so import order does not matter.
"""

from microcomm.ingest import (  # noqa: F401  (each reader module registers on import)
    bluesky,
    discord,
    facebook,
    generic,
    instagram,
    mastodon,
    reddit,
    tiktok,
    twitter,
    youtube,
)
from microcomm.ingest.base import REGISTRY, FileReport, ReadContext, Reader, register
from microcomm.ingest.core import IngestResult, finalize_events, ingest_files, sniff_reader
from microcomm.ingest.generic import load_mapping
from microcomm.ingest.inspect import FileRead, read_file

__all__ = [
    "REGISTRY",
    "FileRead",
    "FileReport",
    "IngestResult",
    "ReadContext",
    "Reader",
    "finalize_events",
    "ingest_files",
    "load_mapping",
    "read_file",
    "register",
    "sniff_reader",
]
