"""Outputs people share (issue 13): the HTML page, the summary in every format, -o picking the
format, escaping in Markdown and on the terminal, `report | head`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hostile import ESC, IMG, hostile_store
from microcomm.cli import app
from microcomm.outputs import OutputError, format_for
from microcomm.pipeline import run_report
from microcomm.report.html import to_html
from microcomm.textsafe import md, md_code, plain

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_store(tmp_path_factory.mktemp("hostile")).root


@pytest.fixture(scope="module")
def hostile_report(hostile: Path) -> dict:
    from microcomm.store import Store

    return run_report(store=Store(hostile))


class _Tags(HTMLParser):
    """Every element and attribute the page would create, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


ALLOWED = {
    "html", "head", "meta", "title", "style", "body", "main", "section", "h1", "h2", "h3", "p",
    "b", "span", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "div", "blockquote",
    "br", "code", "a", "svg", "rect", "text", "line", "circle", "path",
}  # fmt: skip


def test_html_page_is_self_contained_and_inert(hostile_report: dict) -> None:
    page = to_html(hostile_report)
    parser = _Tags()
    parser.feed(page)
    tags = {t for t, _ in parser.tags}
    assert tags <= ALLOWED, tags - ALLOWED
    for tag, attrs in parser.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert "src" not in attrs, (tag, attrs)
        if tag == "a":
            assert (attrs["href"] or "").startswith("#"), attrs
    # No network: no attribute names a URL but the SVG namespace (a name, never fetched).
    urls = {v for _, a in parser.tags for v in a.values() if v and "://" in v}
    assert urls == {"http://www.w3.org/2000/svg"}
    assert "\x1b" not in page and "\x07" not in page
    csp = next(a for t, a in parser.tags if t == "meta" and a.get("http-equiv"))
    assert csp["content"].startswith("default-src 'none'; style-src 'sha256-")
    # The hostile text is there, escaped.
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_html_leads_with_the_summary(hostile_report: dict) -> None:
    page = to_html(hostile_report)
    order = [page.index(f'id="{s}"') for s in ("summary", "charts", "communities", "methods")]
    assert order == sorted(order)
    assert "in the order to act on" in page and "what they ask" in page
    only = to_html(hostile_report, summary_only=True)
    assert 'id="summary"' in only and 'id="charts"' not in only


def test_summary_names_brand_period_and_each_community(hostile_report: dict) -> None:
    s = hostile_report["summary"]
    assert s["brand"] == "@brand"  # the account every member writes to
    assert s["period"]["first"].startswith("2026-05-01") and s["period"]["last"].startswith(
        "2026-05-02"
    )
    assert [ln["id"] for ln in s["lines"]] == [c["id"] for c in hostile_report["communities"]]
    assert all(ln["who"] and ln["apart"] and ln["when_where"] and ln["ask"] for ln in s["lines"])


def test_markdown_and_terminal_escaping() -> None:
    assert md(IMG) == '\\<img src=x onerror="alert(1)"\\>'
    assert md("a|b`c[d]") == "a\\|b\\`c\\[d\\]"
    assert md_code("tick`name") == "``tick`name``"
    assert plain(f"a{ESC}b") == "aREDlinkb"
    assert plain("x\x9b31my\x00z") == "xyz"


def test_format_from_extension() -> None:
    allowed = ["markdown", "json", "html"]
    assert format_for(Path("r.md"), None, allowed=allowed) == "markdown"
    assert format_for(Path("R.HTML"), None, allowed=allowed) == "html"
    assert format_for(None, "json", allowed=allowed) == "json"
    with pytest.raises(OutputError, match=r"r\.json ends in \.json but --format markdown"):
        format_for(Path("r.json"), "markdown", allowed=allowed)
    with pytest.raises(OutputError, match=r"r\.gexf: the report cannot be written as gexf"):
        format_for(Path("r.gexf"), None, allowed=allowed)
    with pytest.raises(OutputError, match=r"cannot tell the format from \.txt"):
        format_for(Path("r.txt"), None, allowed=allowed)


@pytest.mark.slow
def test_cli_output_picks_format_and_fails_in_one_line(
    runner: CliRunner, hostile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    ok = runner.invoke(app, ["report", "-s", str(hostile), "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    assert out.read_text().startswith("<!DOCTYPE html>")
    js = tmp_path / "r.json"
    assert runner.invoke(app, ["report", "-s", str(hostile), "-o", str(js)]).exit_code == 0
    assert json.loads(js.read_text())["summary"]["lines"]
    bad = runner.invoke(app, ["report", "-s", str(hostile), "-o", str(js), "-f", "markdown"])
    assert bad.exit_code == 1
    assert bad.output.startswith(f"error: {js} ends in .json but --format markdown was asked for")
    missing = runner.invoke(app, ["report", "-s", str(hostile), "-o", "nowhere/r.md"])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    assert "error: cannot write nowhere/r.md: the folder nowhere does not exist" in missing.output
    assert not Path("nowhere").exists()


@pytest.mark.slow
def test_cli_summary_only_in_every_format(runner: CliRunner, hostile: Path) -> None:
    js = runner.invoke(app, ["report", "-s", str(hostile), "--summary", "-f", "json"])
    assert js.exit_code == 0 and set(json.loads(js.output)) == {"microcomm", "summary"}
    md_out = runner.invoke(app, ["report", "-s", str(hostile), "--summary", "-f", "markdown"])
    assert md_out.output.startswith("# Audience of @brand: micro communities")
    assert "### " not in md_out.output and "\\<img src=x onerror" in md_out.output
    term = runner.invoke(app, ["report", "-s", str(hostile), "--summary"])
    assert term.exit_code == 0 and "Audience of @brand" in term.output
    assert "\x1b" not in term.output and IMG in term.output


def test_terminal_summary_strips_escape_codes(hostile_report: dict) -> None:
    from rich.console import Console

    from microcomm.cli.render import summary_terminal

    summary = json.loads(json.dumps(hostile_report["summary"]))
    summary["lines"][0]["label"] = f"evil{ESC}label"
    summary["lines"][0]["ask"] = f"please{ESC}"
    console = Console(record=True, width=300, file=open(os.devnull, "w"))  # noqa: SIM115
    summary_terminal(console, summary)
    text = console.export_text()
    assert "evilREDlinklabel" in text and "pleaseREDlink" in text and "\x1b" not in text


def test_terminal_report_strips_escape_codes(runner: CliRunner, hostile: Path) -> None:
    result = runner.invoke(app, ["report", "-s", str(hostile)])
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert result.output.index("Audience of @brand") < result.output.index("core:")


@pytest.mark.slow
def test_report_in_a_pipe(hostile: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("MICROCOMM_WIDTH", None)
    env.pop("COLUMNS", None)
    # `microcomm report | head -1`: exits 0, says nothing on stderr.
    shell = f"{sys.executable} -m microcomm report -s {hostile} | head -1"
    done = subprocess.run(
        ["bash", "-c", "set -o pipefail; " + shell],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    # In a pipe, a long line is not cut at 80 columns.
    full = subprocess.run(
        [sys.executable, "-m", "microcomm", "report", "-s", str(hostile)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert max(len(line) for line in full.stdout.splitlines()) > 100
    assert "2026-05-01 → 2026-05-02" in full.stdout


def test_markdown_leads_with_summary_and_stays_short(hostile_report: dict) -> None:
    from microcomm.report import to_markdown

    brief = to_markdown(hostile_report, full=False)
    assert brief.startswith("# Audience of @brand: micro communities")
    assert brief.index("## Summary") < brief.index("## All communities") < brief.index("## 0.")
    assert len(brief.splitlines()) < len(to_markdown(hostile_report).splitlines())
    # Rendered as a Markdown viewer would (raw HTML allowed), no hostile tag comes alive.
    from markdown_it import MarkdownIt

    for text in (brief, to_markdown(hostile_report)):
        parser = _Tags()
        parser.feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(text))
        tags = {t for t, _ in parser.tags}
        assert not tags & {"img", "script", "a"}, tags
        assert not any(k.startswith("on") for _, a in parser.tags for k in a)


def test_quotes_only_where_distinctive() -> None:
    from microcomm.report.summary import mark_distinctive_quotes

    def comm(*texts: str) -> dict:
        return {"voice": {"examples": [{"text": t} for t in texts]}}

    comms = [comm("so good", f"ship to town {i}?") for i in range(10)]
    mark_distinctive_quotes(comms)
    assert [e["distinctive"] for e in comms[0]["voice"]["examples"]] == [False, True]
