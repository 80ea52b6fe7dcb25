"""`microcomm --help` is instant: no data library or reader is imported until a command runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# top-level packages that must not load for --help, and microcomm modules that pull them in
HEAVY = ("polars", "numpy", "scipy", "networkx", "sklearn", "igraph", "pyarrow", "vaderSentiment")
STAGES = ("microcomm.ingest", "microcomm.pipeline", "microcomm.store", "microcomm.graph")
HELPS = [["--help"], ["ingest", "--help"], ["detect", "--help"], ["report", "--help"]]
HELPS += [["run", "--help"], ["explain", "--help"], ["track", "--help"], ["export", "--help"]]

# One process runs every --help in turn and records what each one loaded (the union can only
# grow, so a module is blamed on the first help that imported it).
PROBE = """
import json, sys
from microcomm.cli import app
seen = {}
for args in ARGS:
    try:
        app(args)
    except SystemExit as exc:
        assert exc.code == 0, (args, exc.code)
    top = {m.split(".")[0] for m in sys.modules if m.split(".")[0] in HEAVY}
    top |= {s for s in STAGES if s in sys.modules}
    seen[" ".join(args)] = sorted(top)
print("SEEN" + json.dumps(seen))
"""


@pytest.mark.slow
def test_help_imports_no_data_library_or_reader() -> None:
    code = f"ARGS = {HELPS!r}\nHEAVY = {HEAVY!r}\nSTAGES = {STAGES!r}\n" + PROBE
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    seen = json.loads(out.rsplit("SEEN", 1)[1])
    assert seen == {" ".join(a): [] for a in HELPS}
