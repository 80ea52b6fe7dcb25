"""Ingest, step 1: expand the paths a user gives into the files to read.

Folders are walked (hidden files and folders skipped, in sorted order); ZIP archives are
unpacked into a working folder and their members listed with a ``archive.zip!member``
display name. Files named on the command line are *explicit*: an unknown format there is an
error, while one found inside a folder or archive is skipped and reported.

Hostile inputs (issue 9): paths are taken literally (never as glob patterns); a FIFO, socket
or device is refused (reading one would hang or never end); a file inside a folder that is a
link to somewhere outside that folder is skipped unless ``follow_symlinks``; a ZIP archive is
unpacked only when its members' total size and its expansion ratio stay under the limits; and
the working folder records its process id, so one left behind by a killed ingest is swept at
the next start.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from microcomm.errors import InputError

WORKDIR_PREFIX = "microcomm-ingest-"


@dataclass
class Input:
    """One file to read: where it is, the name to show, whether the user named it."""

    path: Path
    display: str
    explicit: bool  # named on the command line (an unknown format is an error, not a skip)


@dataclass(frozen=True)
class WalkLimits:
    """What a walk accepts: links out of a folder, and how far a ZIP archive may expand."""

    follow_symlinks: bool = False
    max_unpacked_bytes: int = 20 * 10**9
    max_expansion_ratio: float = 200.0


def iter_inputs(
    paths: list[Path], workdir: Path, limits: WalkLimits | None = None
) -> Iterator[Input]:
    """Files under ``paths``: folders walked, ZIP archives unpacked into ``workdir``."""
    limits = limits or WalkLimits()
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory", hint="check the path")
        if path.is_dir():
            root = path.resolve()
            for sub in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in sub.relative_to(path).parts):
                    continue
                if sub.is_dir():
                    continue
                if (
                    sub.is_symlink()
                    and not limits.follow_symlinks
                    and not sub.resolve().is_relative_to(root)
                ):
                    continue  # a link out of the folder the user gave: not theirs to read
                _require_regular(sub)
                shown = str(Path(shown_name(path), sub.relative_to(path)))
                yield from _expand(sub, shown, workdir, limits, explicit=False)
        else:
            _require_regular(path)
            yield from _expand(path, shown_name(path), workdir, limits, explicit=True)


def shown_name(path: Path) -> str:
    """The name a file the user named is shown and stored under (manifest, ``source``,
    coverage): the path as given when it is relative and stays below the working folder,
    else its last part — never the user's absolute home path (issue 9).

    Examples
    --------
    >>> shown_name(Path("export/comments.csv")), shown_name(Path("/home/jane/export"))
    ('export/comments.csv', 'export')
    >>> shown_name(Path("../../jane/export.zip")), shown_name(Path("."))
    ('export.zip', '.')
    """
    if path.is_absolute() or ".." in path.parts:
        return path.resolve().name or path.anchor
    return str(path)


def _require_regular(path: Path) -> None:
    """Refuse a FIFO, socket or device: reading one hangs or never ends."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})", hint="check the path") from None
    if not stat.S_ISREG(mode):
        what = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "a device"
        )
        raise InputError(
            f"{path}: is {what}, not a file; microcomm reads only regular files",
            hint="copy the data into a file first",
        )


def _check_zip(zf: zipfile.ZipFile, path: Path, display: str, limits: WalkLimits) -> None:
    """A ZIP bomb (or an export far larger than allowed) is refused before anything is unpacked."""
    total = sum(m.file_size for m in zf.infolist())
    if total > limits.max_unpacked_bytes:
        raise InputError(
            f"{display}: unpacks to {total:,} bytes, over the limit of "
            f"{limits.max_unpacked_bytes:,} (ingest.max_unpacked_gb)",
            hint="raise ingest.max_unpacked_gb if this export is genuine, or unpack it yourself",
        )
    ratio = total / max(path.stat().st_size, 1)
    if ratio > limits.max_expansion_ratio:
        raise InputError(
            f"{display}: expands {ratio:,.0f}× when unpacked, over the limit of "
            f"{limits.max_expansion_ratio:,.0f}× (ingest.max_expansion_ratio): a ZIP bomb?",
            hint="raise ingest.max_expansion_ratio if this export is genuine",
        )


def _expand(
    path: Path, display: str, workdir: Path, limits: WalkLimits, *, explicit: bool
) -> Iterator[Input]:
    if path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
        target = Path(tempfile.mkdtemp(prefix="zip-", dir=workdir))
        try:
            with zipfile.ZipFile(path) as zf:
                _check_zip(zf, path, display, limits)
                members = sorted(
                    (
                        m
                        for m in zf.infolist()
                        if not m.is_dir() and not Path(m.filename).name.startswith(".")
                    ),
                    key=lambda m: m.filename,
                )
                # Unpack everything first: some readers look for a sibling file (X
                # account.js, Instagram personal_information.json) that may sort later.
                extracted = [
                    (Path(zf.extract(m, target)), m.filename)
                    for m in members
                    if "__MACOSX" not in m.filename
                ]
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(
                f"{display}: unreadable ZIP archive ({exc})", hint="download the export again"
            ) from None
        for path_in_zip, name in extracted:
            yield Input(path_in_zip, f"{display}!{name}", explicit=False)
        return
    yield Input(path, display, explicit)


@contextlib.contextmanager
def work_folder(base: str | Path | None = None) -> Iterator[Path]:
    """A working folder for unpacked archives, removed on exit; ones left by killed ingests
    (their recorded process is gone) are swept first, so a kill leaks nothing for long."""
    base = Path(base or tempfile.gettempdir())
    sweep_work_folders(base)
    folder = Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX, dir=base))
    try:
        (folder / ".pid").write_text(str(os.getpid()), encoding="ascii")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_work_folders(base: Path) -> list[Path]:
    """Remove the working folders under ``base`` whose ingest process no longer runs."""
    swept = []
    for folder in sorted(base.glob(f"{WORKDIR_PREFIX}*")):  # a listing of our own folders
        try:
            pid = int((folder / ".pid").read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue  # not ours, or still being created: leave it
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            swept.append(folder)
    return swept


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill there terminates the process: never sweep, just leave it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, owned by someone else (or cannot tell): leave it
    return True
