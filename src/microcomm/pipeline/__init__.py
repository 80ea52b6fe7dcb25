"""The whole flow, top to bottom: ingest → store → graph → communities → profiles → report.

Each ``run_*`` function is what one CLI command calls, and returns a result dataclass that
the CLI renders and tests assert on; :func:`run_all` is ``microcomm run``: all three in turn.
"""

from __future__ import annotations

from microcomm.pipeline.detect import DetectResult, Found, find_communities, run_detect
from microcomm.pipeline.explain import run_explain
from microcomm.pipeline.ingest import IngestRunResult, run_ingest
from microcomm.pipeline.report import load_report_inputs, run_export, run_report
from microcomm.pipeline.run import RunResult, run_all
from microcomm.pipeline.track import run_track

__all__ = [
    "DetectResult",
    "Found",
    "IngestRunResult",
    "RunResult",
    "find_communities",
    "load_report_inputs",
    "run_all",
    "run_detect",
    "run_explain",
    "run_export",
    "run_ingest",
    "run_report",
    "run_track",
]
