"""Filesystem safety for the store: private modes, one-line write errors, manifest path checks.

Kept apart from :mod:`microcomm.store` so the store module stays about its transactions.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from microcomm.errors import InputError, StoreError
from microcomm.pseudonym import Pseudonymizer, new_salt

LOCK_TIMEOUT = 600.0  # seconds a writer waits for another; ``$MICROCOMM_LOCK_TIMEOUT`` overrides
_WRITE_ERRORS = {
    errno.ENOSPC: "the disk is full — free some space, then try again",
    errno.EDQUOT: "the disk quota is exceeded — free some space, then try again",
    errno.EROFS: "the store is on a read-only file system — give a writable --store",
    errno.EACCES: "no permission to write there — give a --store you can write to",
    errno.EPERM: "no permission to write there — give a --store you can write to",
}


def _errno(exc: BaseException) -> int | None:
    """The errno of an OSError, or of a polars error wrapping one (``os error 28``)."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return exc.errno
    found = re.search(r"os error (\d+)", str(exc))
    return int(found.group(1)) if found else None


@contextlib.contextmanager
def writing(root: Path) -> Iterator[None]:
    """Turn disk full / read-only / permission errors while writing the store into one line."""
    try:
        yield
    except (OSError, pl.exceptions.PolarsError) as exc:
        code = _errno(exc)
        if code not in _WRITE_ERRORS:
            raise
        raise StoreError(
            f"{root}: cannot write the store ({os.strerror(code)}); nothing was changed",
            hint=_WRITE_ERRORS[code],
        ) from None


def mkdir_private(path: Path) -> None:
    """Create ``path`` (and parents) private to the user: 0700 whatever the umask.

    A folder that exists already is made private too when it is empty (one the user made for
    the store) or is a store (made before its files were private); any other is left alone,
    so ``--store .`` never changes the mode of a working folder.
    """
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    elif (path / "manifest.json").is_file() or not any(path.iterdir()):
        if hasattr(os, "fchmod") and path.stat().st_mode & 0o077:  # POSIX only
            os.chmod(path, 0o700)


def atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        if hasattr(os, "fchmod"):  # not on Windows (before Python 3.13)
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_parquet_private(df: pl.DataFrame, path: Path) -> None:
    df.write_parquet(path, compression="zstd")
    os.chmod(path, 0o600)


SALT_FILE = "salt"


def read_salt(root: Path) -> bytes | None:
    """The pseudonym salt kept in the store (hex text), or None when there is none."""
    try:
        return bytes.fromhex((root / SALT_FILE).read_text(encoding="ascii").strip())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise StoreError(
            f"{root / SALT_FILE}: the store's pseudonym salt is unreadable",
            hint="restore it from a backup; without it new pseudonyms would not match the old",
        ) from None


def write_salt(root: Path, salt: bytes) -> None:
    """Keep the salt in the store: written atomically, 0600 like every store file."""
    atomic_write_text(root / SALT_FILE, salt.hex() + "\n")


def pseudonymizer(
    root: Path, manifest: dict[str, Any] | None, wanted: bool | None = None
) -> Pseudonymizer | None:
    """The keyed hash of the store at ``root`` (``manifest``: None for a new store), or None.

    ``wanted`` None: for reading (explain, --brand). True / False: for an ingest with or without
    ``--pseudonymize``. A store is pseudonymised from its first ingest on, or never: asking
    otherwise is one line; a new pseudonymised store gets its salt here.
    """
    have = bool((manifest or {}).get("pseudonymized"))
    if manifest is not None and wanted is not None and have != wanted:
        raise InputError(
            f"{root}: this store {'is pseudonymised' if have else 'holds real handles'}; "
            "a store is pseudonymised or not, never both",
            hint="add --pseudonymize (ingest.pseudonymize: true)"
            if have
            else "give a new --store to pseudonymise (or drop --pseudonymize)",
        )
    if not (wanted or (wanted is None and have)):
        return None
    salt = read_salt(root)
    if salt is None and have:
        raise StoreError(
            f"{root}: the store is pseudonymised but its salt file is missing",
            hint="restore it from a backup; without it handles cannot be matched",
        )
    if salt is None:  # a new store (or one whose first ingest failed before its commit)
        salt = new_salt()
        write_salt(root, salt)
    return Pseudonymizer(salt)


def lock_timeout() -> float:
    raw = os.environ.get("MICROCOMM_LOCK_TIMEOUT")
    try:
        return float(raw) if raw else LOCK_TIMEOUT
    except ValueError:
        raise InputError(
            f"MICROCOMM_LOCK_TIMEOUT={raw!r} is not a number of seconds",
            hint="set it to e.g. 600, or unset it",
        ) from None


def check_inside(root: Path, rel: Any, where: str) -> None:
    """Refuse a manifest path that is absolute or leads out of the store."""
    bad = not isinstance(rel, str) or not rel or os.path.isabs(rel) or "\\" in rel
    if not bad:
        target = os.path.normpath(os.path.join(os.path.abspath(root), rel))
        bad = os.path.commonpath([target, os.path.abspath(root)]) != os.path.abspath(root)
    if bad:
        raise StoreError(
            f"{root / 'manifest.json'}: {where} names {rel!r}, outside the store; nothing was read or deleted",
            hint="the manifest was altered — restore it from a backup, or ingest again into a new --store",
        )


def write_tracking(
    root: Path, manifest: dict[str, Any], data: dict[str, Any], now: str
) -> list[Path]:
    """Write a ``track`` result as a new private JSON file and name it in ``manifest`` (not yet
    saved: the caller commits it). Returns the file it replaces, to delete after the commit."""
    mkdir_private(root / "tracking")
    final = root / "tracking" / f"tracking-{uuid.uuid4().hex}.json"
    atomic_write_text(final, json.dumps(data, default=str))  # 0600, fsynced, renamed
    old = (manifest.get("tracking") or {}).get("file")
    manifest["tracking"] = {"file": str(final.relative_to(root)), "computed": now}
    return [root / old] if old else []


def read_tracking(root: Path, manifest: dict[str, Any] | None) -> dict[str, Any] | None:
    """The ``track`` result the manifest names (its data plus ``computed``), or None."""
    kept = (manifest or {}).get("tracking")
    if not kept:
        return None
    try:
        data = json.loads((root / kept["file"]).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            f"{root / kept['file']}: the kept tracking is unreadable ({exc})",
            hint="run `microcomm track` again to replace it",
        ) from None
    return {**data, "computed": kept["computed"]}
