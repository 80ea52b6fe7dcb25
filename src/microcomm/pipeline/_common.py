"""Shared by the pipeline's steps: telling the caller which step starts."""

from __future__ import annotations

from microcomm.progress import ProgressCallback


def _tell(stage: ProgressCallback | None, what: str) -> None:
    if stage:
        stage(what, 0)
