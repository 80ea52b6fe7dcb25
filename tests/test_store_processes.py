"""Two real processes on one store (issue 9, item 1): the second waits, says so once on
stderr, and stores nothing twice.

Deterministic: process A pauses while it holds the lock (right after reading what the store
holds) until the test has seen B's "waiting" line; only then does A go on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from microcomm.store import Store

SRC = Path(__file__).resolve().parents[1] / "src"

# Process A: an ingest whose read of the stored ids (under the lock) pauses until `go` exists.
HOLDER = """
import sys, time
from pathlib import Path
from microcomm.ingest import core
from microcomm.pipeline import run_ingest
from microcomm.store import Store

src, store, ready, go = map(Path, sys.argv[1:5])
real = core._seen_ids

def paused(s):
    seen = real(s)
    ready.touch()
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return seen

core._seen_ids = paused
print(run_ingest([src], store=Store(store)).events_added)
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROCOMM_")}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["MICROCOMM_WIDTH"] = "400"
    env["NO_COLOR"] = "1"
    return env


def _wait_for(predicate, what: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.mark.slow
def test_a_second_cli_ingest_waits_says_so_once_and_adds_nothing(
    tiny_csv: Path, tmp_path: Path
) -> None:
    store, ready, go = tmp_path / "store", tmp_path / "ready", tmp_path / "go"
    err_path = tmp_path / "b.err"
    a = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tiny_csv), str(store), str(ready), str(go)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: ready.exists() or a.poll() is not None, "A to take the lock")
        assert a.poll() is None, a.communicate()
        with err_path.open("w") as err:
            b = subprocess.Popen(
                [sys.executable, "-m", "microcomm", "ingest", str(tiny_csv), "--store", str(store),
                 "--format", "json"],
                env=_env(),
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
            _wait_for(
                lambda: "waiting for the store lock" in err_path.read_text() or b.poll() is not None,
                "B to say it waits",
            )
            go.touch()
            b_out, _ = b.communicate(timeout=60)
        a_out, a_err = a.communicate(timeout=60)
    finally:
        go.touch()
        if a.poll() is None:
            a.kill()
    b_err = err_path.read_text()
    assert a.returncode == 0, a_err
    assert b.returncode == 0, b_err
    assert a_out.strip() == "72"
    assert b_err.count("waiting for the store lock…") == 1  # the CLI's line, not also a log line
    assert f"another microcomm process is writing to {store}" in b_err
    assert '"events_added": 0' in b_out and '"status": "unchanged"' in b_out
    events = Store(store).read("events")
    assert events.height == 72 and events["event_id"].n_unique() == 72


def test_the_cli_store_says_it_waits_on_stderr_once_and_logs_nothing(
    store_dir: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """The CLI's stores tell the user themselves (rich, stderr); before, only a log record
    said it, which a logging handler would print a second time beside any callback."""
    from microcomm.cli.options import open_store
    from microcomm.errors import StoreError

    with Store(store_dir).transaction():
        other = open_store(store_dir)
        other.lock_timeout = 0.1
        with pytest.raises(StoreError), other.transaction():
            pass
    err = capsys.readouterr().err
    assert err.count("waiting for the store lock…") == 1
    assert f"writing to {store_dir}" in err.replace("\n", "")
    assert not [r for r in caplog.records if "store lock" in r.getMessage()]
