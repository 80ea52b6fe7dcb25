"""The report data as JSON text: the stable contract for scripts."""

from __future__ import annotations

import json
from typing import Any


def to_json(report: dict[str, Any]) -> str:
    """The report as JSON text (the stable contract for scripts)."""
    return json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
