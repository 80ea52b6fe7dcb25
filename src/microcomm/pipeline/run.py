"""``microcomm run``: ingest, detect and report in turn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microcomm.config import Config
from microcomm.pipeline._common import _tell
from microcomm.pipeline.detect import DetectResult, run_detect
from microcomm.pipeline.ingest import IngestRunResult, run_ingest
from microcomm.pipeline.report import run_report
from microcomm.progress import ProgressCallback
from microcomm.store import Store


@dataclass
class RunResult:
    """What :func:`run_all` did, stage by stage."""

    ingest: IngestRunResult
    detect: DetectResult
    report: dict[str, Any]


def run_all(
    paths: Sequence[str | Path],
    *,
    store: Store,
    config: Config | None = None,
    mapping: str | Path | None = None,
    survey: Sequence[str | Path] | None = None,
    progress: ProgressCallback | None = None,
    stage: ProgressCallback | None = None,
) -> RunResult:
    """Ingest ``paths`` (and ``survey``), detect communities, build the report data.

    ``progress`` hears the rows read per file, ``stage`` the name of each step as it starts.
    """
    config = config or Config()
    _tell(stage, "ingesting")
    ingested = run_ingest(
        list(paths),
        store=store,
        config=config,
        mapping=mapping,
        progress=progress,
        survey=list(survey or []),
    )
    detected = run_detect(store=store, config=config, stage=stage)
    _tell(stage, "profiling the communities")
    return RunResult(
        ingest=ingested, detect=detected, report=run_report(store=store, config=config)
    )
