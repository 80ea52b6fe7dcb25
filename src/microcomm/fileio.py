"""File helpers shared by the stages: content hashing.

The sha256 of an input file is its identity in the store manifest: ``ingest`` and the survey
reader both skip a file whose hash is already recorded, so both must hash the same way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of the bytes of ``path``, read in chunks (memory stays flat).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_file(p)[:16]
    'ba7816bf8f01cfea'
    """
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
