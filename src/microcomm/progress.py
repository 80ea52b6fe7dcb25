"""The progress callback type, one home for every stage that reports progress.

``callback(what, count)``: while reading files ``what`` is a file and ``count`` the rows read
since the last call; between stages ``what`` names the stage starting and ``count`` is 0. The
CLI turns callbacks into progress bars on stderr (``cli/progress.py``); from Python, pass any
function, or None.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[str, int], None]
