"""The README and the config docs cannot drift from the code."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

from microcomm.cli import app
from microcomm.config import SECTIONS
from microcomm.ingest import ingest_files
from microcomm.store import Store

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_the_two_make_targets_ci_uses() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make demo" in quick and "make test" in quick
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    # CI's `make test` runs every test: no marker filter (slow ones included)
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    pytest_args = recipe.split("-m pytest", 1)[1].split()
    assert "-m" not in pytest_args and "-k" not in pytest_args


@pytest.mark.slow
def test_every_command_named_in_the_readme_exists() -> None:
    runner = CliRunner()
    # Commands as typed: at a line start, after a shell prompt, or in inline code.
    named = set(re.findall(r"(?:^|\$ |`)microcomm ([a-z]+)\b", README, re.M))
    assert {"ingest", "detect", "report", "run", "demo"} <= named
    for command in sorted(named):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, f"README names `microcomm {command}`, which has no --help"


def test_readme_canonical_example_ingests(tmp_path: Path) -> None:
    block = README.split("```csv\n", 1)[1].split("```", 1)[0]
    src = tmp_path / "example.csv"
    src.write_text(block, encoding="utf-8")
    result = ingest_files([src], Store(tmp_path / "s"))
    assert result.events_added == 3
    actors = sorted(Store(tmp_path / "s").read("events")["actor"].to_list())
    assert actors == ["mara.trails", "rustyowl", "sunnyfox"]


def test_every_config_key_is_documented_in_default_yaml() -> None:
    data = yaml.safe_load((ROOT / "configs" / "default.yaml").read_text())
    documented = {(s, k) for s, keys in data.items() for k in keys}
    fields = {(s, f.name) for s, cls in SECTIONS.items() for f in dataclasses.fields(cls)}
    assert documented == fields


def test_readme_python_example_runs(tmp_path: Path, tiny_csv: Path, monkeypatch) -> None:
    section = README.split("## From Python (notebooks)", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert len(code.strip().splitlines()) <= 6  # the five-line session, plus its import
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "tiny.csv").write_text(tiny_csv.read_text())
    monkeypatch.chdir(tmp_path)  # no configs/ here: the defaults come from the package
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert [c["size"] for c in scope["report"]["communities"]] == [12, 12]
    members = scope["found"].members
    assert members.columns[:3] == ["actor", "community", "level"]
    assert members.filter(pl.col("level") == 0).height == 24
