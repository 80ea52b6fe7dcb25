"""Decompressed reading that notices a cut or corrupt file (issue 9).

gzip and bzip2 raise ``EOFError`` on a stream cut short (click turns it into a bare
"Aborted."), and zstandard's stream reader simply stops, so a truncated ``.zst`` used to ingest
half its rows as if whole. Here every compressed file is read through :class:`Decoded`, which
turns a cut or corrupt stream into one :class:`~microcomm.errors.InputError` naming the file —
or, under ``--keep-partial``, ends the data at the last whole line read (never a half record)
and marks the file as cut so the coverage table can say so.

The policy for the file being ingested is set with :func:`reading` around its read; the
readers themselves only call ``open_binary``.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microcomm.errors import InputError

CHUNK = 1 << 20


@dataclass
class ReadPolicy:
    """How the file being ingested is read: its display name, and whether a cut is kept."""

    path: Path
    display: str
    keep_partial: bool = False
    on_cut: Callable[[str], None] | None = None  # told why, when rows before a cut are kept
    owner: str | None = None  # --owner: whose follower lists these are


def current_policy() -> ReadPolicy | None:
    """The policy of the file being ingested (None outside ``ingest``, e.g. ``inspect``)."""
    return _POLICY.get()


_POLICY: ContextVar[ReadPolicy | None] = ContextVar("microcomm_read_policy", default=None)


@contextlib.contextmanager
def reading(
    item: Any,
    *,
    keep_partial: bool,
    on_cut: Callable[[str], None] | None = None,
    owner: str | None = None,
) -> Iterator[ReadPolicy]:
    """Read ``item`` (an :class:`~microcomm.ingest.walk.Input`: path and display name) under
    this policy; ``on_cut`` is told why when a cut file's rows are kept."""
    policy = ReadPolicy(Path(item.path), item.display, keep_partial, on_cut, owner)
    token = _POLICY.set(policy)
    try:
        yield policy
    finally:
        _POLICY.reset(token)


def _gzip_chunks(path: Path) -> Iterator[bytes]:
    with gzip.open(path, "rb") as fh:
        while chunk := fh.read1(CHUNK):  # read1: the data before a cut is yielded first
            yield chunk


def _bz2_chunks(path: Path) -> Iterator[bytes]:
    with bz2.open(path, "rb") as fh:
        while chunk := fh.read1(CHUNK):
            yield chunk


def _zstd_chunks(path: Path) -> Iterator[bytes]:
    import zstandard

    # Pushshift / Arctic Shift dumps use a long window; allow it.
    dctx = zstandard.ZstdDecompressor(max_window_size=2**31)
    dobj = dctx.decompressobj()
    in_frame = False
    with open(path, "rb") as fh:
        while raw := fh.read(CHUNK):
            while raw:
                in_frame = True
                out = dobj.decompress(raw)
                if out:
                    yield out
                if not dobj.eof:
                    break
                # A frame ended: the rest of this chunk (if any) starts the next frame.
                raw, in_frame = dobj.unused_data, False
                dobj = dctx.decompressobj()
    if in_frame:
        raise EOFError("the zstandard stream ends inside a frame")


def _cut_errors() -> tuple[type[BaseException], ...]:
    import zstandard

    return (EOFError, OSError, zlib.error, zstandard.ZstdError)


class Decoded(io.RawIOBase):
    """The decompressed bytes of ``path``, checked to end where the compressed stream ends."""

    def __init__(self, path: Path, kind: str, *, lenient: bool = False) -> None:
        super().__init__()
        self._path = Path(path)
        self._chunks = {"gz": _gzip_chunks, "bz2": _bz2_chunks, "zst": _zstd_chunks}[kind](path)
        self._ready = bytearray()  # whole lines, safe to hand out
        self._tail = bytearray()  # after the last newline: held back until the stream is whole
        self._done = False
        self._lenient = lenient  # sniffing a head: a cut just ends the data

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._ready and not self._done:
            self._fill()
        n = min(len(b), len(self._ready))
        b[:n] = self._ready[:n]
        del self._ready[:n]
        return n

    def _fill(self) -> None:
        try:
            chunk = next(self._chunks)
        except StopIteration:
            self._done = True
            self._ready += self._tail
            self._tail.clear()
            return
        except _cut_errors() as exc:
            self._done = True
            self._cut(exc)
            return
        data = self._tail + chunk
        end = data.rfind(b"\n") + 1
        self._ready += data[:end]
        self._tail = data[end:]

    def _cut(self, exc: BaseException) -> None:
        """A cut or corrupt stream: the rows before it, or one clear error."""
        if self._lenient:
            self._ready += self._tail
            return
        policy = _POLICY.get()
        mine = policy is not None and policy.path == self._path
        shown = policy.display if mine and policy else str(self._path)
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if mine and policy and policy.keep_partial:
            if policy.on_cut:
                policy.on_cut(
                    f"the compressed file is cut short or corrupt ({why}): "
                    "only the rows before the cut were read"
                )
            return  # the partial last line (self._tail) is dropped: never a half record
        raise InputError(
            f"{shown}: the compressed file is cut short or corrupt ({why}); nothing of it was stored",
            hint="download or copy it again, or keep the rows read with --keep-partial",
        )
