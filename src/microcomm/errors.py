"""Domain exceptions. Anything a user can trigger from the CLI raises one of these.

Each carries a message (what went wrong and where) and a hint (how to fix it);
``cli/errors.py`` turns them into one line on stderr and a non-zero exit.
"""

from __future__ import annotations


class MicrocommError(Exception):
    """Base class for errors a user can cause and fix."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} — {self.hint}"


class ConfigError(MicrocommError):
    """A config file, key or value is invalid."""


class InputError(MicrocommError):
    """An input file is missing, unreadable, of an unknown format or malformed."""


class SchemaError(InputError):
    """An input lacks a required column or holds values of the wrong type."""


class EmptyStoreError(MicrocommError):
    """The store holds no data for the requested stage."""


class EmptyGraphError(MicrocommError):
    """The co-engagement graph has no edges, so there is nothing to detect."""


class StoreError(MicrocommError):
    """The store cannot be written (disk full, read-only, locked) or its manifest is unsafe."""
