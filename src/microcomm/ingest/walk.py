"""Ingest, step 1: expand the paths a user gives into the files to read.

Folders are walked (hidden files and folders skipped, in sorted order); ZIP archives are
unpacked into a working folder and their members listed with a ``archive.zip!member``
display name. Files named on the command line are *explicit*: an unknown format there is an
error, while one found inside a folder or archive is skipped and reported.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from microcomm.errors import InputError


@dataclass
class Input:
    """One file to read: where it is, the name to show, whether the user named it."""

    path: Path
    display: str
    explicit: bool  # named on the command line (an unknown format is an error, not a skip)


def iter_inputs(paths: list[Path], workdir: Path) -> Iterator[Input]:
    """Files under ``paths``: folders walked, ZIP archives unpacked into ``workdir``."""
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or directory", hint="check the path")
        if path.is_dir():
            for sub in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in sub.relative_to(path).parts):
                    continue
                yield from _expand(sub, str(sub), workdir, explicit=False)
        else:
            yield from _expand(path, str(path), workdir, explicit=True)


def _expand(path: Path, display: str, workdir: Path, *, explicit: bool) -> Iterator[Input]:
    if path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
        target = Path(tempfile.mkdtemp(prefix="zip-", dir=workdir))
        try:
            with zipfile.ZipFile(path) as zf:
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
