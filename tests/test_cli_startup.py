"""`microcomm --help` is instant: no data library or reader is imported until a command runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

# top-level packages that must not load for --help, and microcomm modules that pull them in
HEAVY = ("polars", "numpy", "scipy", "networkx", "sklearn", "igraph", "pyarrow", "vaderSentiment")
STAGES = ("microcomm.ingest", "microcomm.pipeline", "microcomm.store", "microcomm.graph")

PROBE = """
import sys
from microcomm.cli import app
try:
    app({args!r})
except SystemExit as exc:
    assert exc.code == 0, exc.code
top = {{m.split(".")[0] for m in sys.modules if m.split(".")[0] in {heavy!r}}}
top |= {{s for s in {stages!r} if s in sys.modules}}
print("LOADED", " ".join(sorted(top)))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["ingest", "--help"],
        ["detect", "--help"],
        ["report", "--help"],
        ["run", "--help"],
    ],
    ids=lambda a: " ".join(a),
)
def test_help_imports_no_data_library_or_reader(args: list[str]) -> None:
    code = PROBE.format(args=args, heavy=HEAVY, stages=STAGES)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = out.rsplit("LOADED", 1)[1].split()
    assert loaded == [], f"`microcomm {' '.join(args)}` imported {loaded}"
