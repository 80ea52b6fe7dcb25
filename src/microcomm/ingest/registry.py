"""The reader registry: one table of export formats, filled by the ``@reader`` decorator.

Each format module declares its reader once::

    @reader("x-api-v2", platform="x", sniff=sniff_v2, extensions=(".jsonl", ".json"))
    def read_v2(path: Path, ctx: ReadContext) -> Iterator[pl.DataFrame]:
        \"""X API v2 JSON Lines as written by twarc2 (pages, flattened, stream)\"""
        ...

The decorator registers a :class:`Reader` and returns the function unchanged. Reader modules
are imported on first use (:func:`load_readers`), not when :mod:`microcomm.ingest` is
imported, so ``microcomm --help`` never loads polars or a reader. :func:`sniff_reader` is the
one sniffing entry point (as sqlite-utils' ``rows_from_file``): readers are tried in
ascending ``priority`` (platform readers 10-25, the generic canonical reader 100), in
registration order within a priority.

This module imports neither polars nor any reader.
"""

from __future__ import annotations

import functools
import importlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from microcomm.errors import InputError, MicrocommError

if TYPE_CHECKING:
    import polars as pl

    from microcomm.ingest.base import ReadContext

Sniffer = Callable[[Path, bytes], bool]
ReadFn = Callable[[Path, "ReadContext"], Iterator["pl.DataFrame"]]

# Import order is registration order, which breaks sniffing ties between equal priorities.
READER_MODULES = (
    "bluesky",
    "discord",
    "facebook",
    "generic",
    "instagram",
    "meta_messages",
    "mastodon",
    "reddit",
    "tiktok",
    "x_archive",
    "x_api_v2",
    "x_api_v1",
    "youtube",
)


@dataclass(frozen=True)
class Reader:
    """One export format."""

    name: str
    platform: str
    description: str
    sniff: Sniffer
    read: ReadFn
    note: str | None = None  # what the format cannot hold, said once per file
    extensions: tuple[str, ...] = ()
    priority: int = 10  # sniffed in ascending order; the generic reader goes last


REGISTRY: list[Reader] = []
# name → (rank of its module in READER_MODULES, registration number): REGISTRY is kept in
# this order, so sniffing does not depend on which reader module happened to load first.
_ORDER: dict[str, tuple[int, int]] = {}
_SEQUENCE = itertools.count()


def _module_rank(entry: Reader) -> int:
    module = str(getattr(entry.read, "__module__", "") or "")
    package, _, short = module.rpartition(".")
    if package == "microcomm.ingest" and short in READER_MODULES:
        return READER_MODULES.index(short)
    return len(READER_MODULES)


def register(entry: Reader) -> Reader:
    """Add ``entry`` to the registry (replacing one of the same name, in its place)."""
    for i, existing in enumerate(REGISTRY):
        if existing.name == entry.name:
            REGISTRY[i] = entry
            return entry
    _ORDER[entry.name] = (_module_rank(entry), next(_SEQUENCE))
    REGISTRY.append(entry)
    REGISTRY.sort(key=lambda r: _ORDER[r.name])
    return entry


def reader(
    name: str,
    *,
    platform: str,
    sniff: Sniffer,
    extensions: tuple[str, ...] = (),
    priority: int = 10,
    description: str | None = None,
    note: str | None = None,
    label: str | None = None,
    guard: bool = True,
) -> Callable[[ReadFn], ReadFn]:
    """Register the decorated ``read_*`` function as the reader ``name``.

    The description shown to users is the first line of the function's docstring unless
    ``description`` is given. ``label`` names the format in the backstop error (default: the
    module's name); with ``guard=False`` the function's own errors pass through unwrapped.

    Examples
    --------
    >>> @reader("demo-format", platform="x", sniff=lambda path, head: False)
    ... def read_demo(path, ctx):
    ...     "A demo format."
    ...     yield from ()
    >>> get_reader("demo-format").description
    'A demo format.'
    >>> REGISTRY.remove(get_reader("demo-format"))
    """

    def decorate(read: ReadFn) -> ReadFn:
        wrapped = guarded(read, label or read.__module__.rsplit(".", 1)[-1]) if guard else read
        register(
            Reader(
                name=name,
                platform=platform,
                description=description or (read.__doc__ or name).strip().splitlines()[0],
                sniff=sniff,
                read=wrapped,
                note=note,
                extensions=extensions,
                priority=priority,
            )
        )
        return read

    return decorate


def guarded(read: ReadFn, label: str) -> ReadFn:
    """Wrap a reader's ``read`` so that input it cannot make sense of is an InputError.

    Readers check the shapes they rely on and skip bad records; this is the backstop for a
    file forced through the wrong reader (``--platform``) or damaged in a way no check
    foresaw: the user gets one line naming the file and the cause, never a traceback.
    """

    @functools.wraps(read)
    def wrapper(path: Path, ctx: ReadContext) -> Iterator[Any]:
        try:
            yield from read(path, ctx)
        except MicrocommError:
            raise
        except (UnicodeDecodeError, RecursionError, MemoryError):
            raise  # the framework reports these itself
        except Exception as exc:
            detail = str(exc).splitlines()[0][:120] if str(exc) else ""
            raise InputError(
                f"{ctx.display}: cannot read this file as {label} data "
                f"({type(exc).__name__}{': ' + detail if detail else ''})",
                hint="is this the right file? force another format with --platform, or use --mapping",
            ) from exc

    return wrapper


def load_readers() -> list[Reader]:
    """Import every reader module (once) and return the readers in sniffing order."""
    for module in READER_MODULES:
        importlib.import_module(f"microcomm.ingest.{module}")
    return sorted(REGISTRY, key=lambda r: r.priority)


def get_reader(name: str) -> Reader:
    """The registered reader called ``name``.

    Raises
    ------
    InputError
        No reader has that name; the message lists the known names.
    """
    load_readers()
    for entry in REGISTRY:
        if entry.name == name:
            return entry
    names = ", ".join(r.name for r in REGISTRY)
    raise InputError(f"unknown reader {name!r}", hint=f"use --platform auto or one of: {names}")


def sniff_reader(path: Path, head: bytes) -> Reader | None:
    """The first reader, in sniffing order, that recognises the file from its head, or None."""
    for entry in load_readers():
        try:
            if entry.sniff(path, head):
                return entry
        except Exception:  # a sniffer must never take the ingest down
            continue
    return None


def tried_names() -> str:
    """The reader names in sniffing order, for 'not a format microcomm knows' messages."""
    return ", ".join(r.name for r in load_readers())
