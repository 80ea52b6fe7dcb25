"""The HTML report in a real browser (issue 13): Debian's headless Chromium opens the demo's page
with no console error (a CSP violation, a failed load or a script error would be one), takes a
screenshot of the summary, and a hostile audience leaves no live element in the DOM it built.

Skipped, with the reason, where Chromium is not installed (`.ci/run` installs it when it can).
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest

from hostile import hostile_store
from microcomm.pipeline import run_detect, run_ingest, run_report
from microcomm.report import to_html
from microcomm.store import Store

BROWSER = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="headless Chromium not installed (apt-get install chromium; .ci/run installs it)",
)


def _chromium(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [
            BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--enable-logging=stderr", "--v=0", *args, page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _console(stderr: str) -> list[str]:
    """The page's console messages (Chromium logs them as ``INFO:CONSOLE``)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo-html")
    data = files("microcomm") / "demo"
    paths = sorted(Path(str(p)) for p in data.iterdir() if p.name.startswith("kestrel-"))
    survey = sorted(Path(str(p)) for p in data.iterdir() if p.name.startswith("survey-"))
    store = Store(root / "store")
    run_ingest(paths, store=store, survey=survey)
    run_detect(store=store)
    page = root / "demo.html"
    page.write_text(to_html(run_report(store=store)), encoding="utf-8")
    return page


@pytest.mark.slow
def test_demo_page_opens_without_console_errors(demo_page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "summary.png"
    done = _chromium(demo_page, "--window-size=1200,1400", f"--screenshot={shot}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console(done.stderr) == []
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000  # a rendered page, not blank
    dom = _chromium(demo_page, "--dump-dom")
    assert _console(dom.stderr) == []
    # What the screenshot shows first: the summary, with the brand and the first community.
    main = dom.stdout[dom.stdout.index("<main>") :]
    assert main.index('id="summary"') < main.index('id="charts"')
    assert "Audience of @kestrel: micro communities" in main[: main.index('id="charts"')]
    assert "in the order to act on" in main and "<svg" in main


@pytest.mark.slow
def test_hostile_page_has_no_live_element(tmp_path: Path) -> None:
    store = hostile_store(tmp_path)
    page = tmp_path / "hostile.html"
    page.write_text(to_html(run_report(store=store)), encoding="utf-8")
    done = _chromium(page, "--dump-dom")
    assert done.returncode == 0 and _console(done.stderr) == []
    parser = _Dom()
    parser.feed(done.stdout)
    tags = {t for t, _ in parser.tags}
    assert not tags & {"script", "img", "iframe", "object", "embed", "form", "input", "link"}
    for tag, attrs in parser.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert not any("javascript:" in (v or "") for v in attrs.values()), (tag, attrs)
    # The hostile strings are there as text.
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in done.stdout
    assert "\x1b" not in done.stdout
