"""Output files: which format a path asks for, and writing it without leaving half a file.

Used by ``report`` (Markdown, JSON, HTML) and ``export`` (CSV, Parquet, JSON, GEXF, GraphML):
the extension of ``-o FILE`` picks the format; an extension that contradicts ``--format`` is an
error, and so is a missing folder or an unwritable path — one line naming the path and the fix.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from microcomm.errors import MicrocommError

EXTENSIONS: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".parquet": "parquet",
    ".gexf": "gexf",
    ".graphml": "graphml",
}


class OutputError(MicrocommError):
    """An output path cannot be written, or its extension contradicts the format asked for."""


def format_for(
    path: Path | None, given: str | None, *, allowed: Iterable[str], what: str = "report"
) -> str | None:
    """The format to write: ``given`` (``--format``) checked against ``path``'s extension.

    Returns ``given`` when there is no path, the extension's format when ``given`` is ``None``,
    and raises :class:`OutputError` when they disagree or the extension is not one of
    ``allowed``.

    Examples
    --------
    >>> format_for(Path("r.html"), None, allowed=["markdown", "json", "html"])
    'html'
    >>> format_for(Path("r.html"), "json", allowed=["markdown", "json", "html"])
    Traceback (most recent call last):
    ...
    microcomm.outputs.OutputError: r.html ends in .html but --format json was asked for — drop --format, or name the file ….json
    """
    allowed = list(allowed)
    if path is None:
        return given
    ext = path.suffix.lower()
    by_ext = EXTENSIONS.get(ext)
    if by_ext is not None and by_ext not in allowed:
        exts = ", ".join(e for e, f in EXTENSIONS.items() if f in allowed)
        raise OutputError(
            f"{path}: the {what} cannot be written as {by_ext}",
            hint=f"use one of {exts}"
            + ("; for members or the graph use `microcomm export`" if what == "report" else ""),
        )
    if given is not None and by_ext is not None and by_ext != given:
        raise OutputError(
            f"{path} ends in {ext} but --format {given} was asked for",
            hint=f"drop --format, or name the file …{_ext_of(given)}",
        )
    if given is None and by_ext is None:
        exts = ", ".join(e for e, f in EXTENSIONS.items() if f in allowed)
        raise OutputError(
            f"{path}: cannot tell the format from {ext or 'a name without extension'}",
            hint=f"name the file with one of {exts}, or pass --format",
        )
    return given or by_ext


def _ext_of(fmt: str) -> str:
    return next((e for e, f in EXTENSIONS.items() if f == fmt), f".{fmt}")


def check_writable(path: Path) -> None:
    """Raise :class:`OutputError` unless ``path``'s folder exists and can be written to."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path} is a folder", hint="give a file name, e.g. report.html")
    if not folder.is_dir():
        raise OutputError(
            f"cannot write {path}: the folder {folder} does not exist",
            hint=f"create it first (mkdir -p {folder}) or choose another path",
        )
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError(
            f"cannot write {path}: permission denied", hint="choose a folder you can write to"
        )


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place, so a
    failure never leaves half a file (and never a traceback for a bad path)."""
    check_writable(path)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}.", dir=path.parent if str(path.parent) else "."
        )
    except OSError as exc:  # e.g. a read-only file system, which os.access may not see
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        write(Path(tmp))
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600; a report is a file to share
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # a writer (polars) wrapping an OS error: "... (os error 28)"
        found = re.search(r"os error (\d+)", str(exc))
        if not found:
            raise
        raise OutputError(f"cannot write {path}: {os.strerror(int(found.group(1)))}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
