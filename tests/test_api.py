"""The Python API: ``import microcomm`` gives Store, ingest, detect, report and read_file, cheaply."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import microcomm
from microcomm.config import Config, default_config_text, load_config
from microcomm.errors import ConfigError
from microcomm.pipeline import run_report

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("polars", "numpy", "scipy", "networkx", "sklearn", "igraph", "yaml", "microcomm.ingest")


def test_public_names() -> None:
    assert {"Store", "ingest", "detect", "report", "read_file", "MicrocommError"} <= set(
        microcomm.__all__
    )
    for name in microcomm.__all__:
        assert getattr(microcomm, name) is not None


def test_import_microcomm_loads_nothing_heavy() -> None:
    code = "import sys, microcomm; print(','.join(m for m in sys.modules if m.split('.')[0] in "
    code += f"{HEAVY!r} or m in {HEAVY!r}))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""


def test_api_functions_keep_their_names_after_the_stage_packages_are_imported() -> None:
    import microcomm.ingest as _  # noqa: F401  (binds nothing on the package: see __init__)
    import microcomm.report

    assert callable(microcomm.ingest) and microcomm.ingest.__module__ == "microcomm.api"
    assert microcomm.report.__module__ == "microcomm.api"
    assert microcomm.read_file is sys.modules["microcomm.ingest"].read_file


@pytest.mark.slow
def test_ingest_detect_report_from_python(tiny_csv: Path, tmp_path: Path) -> None:
    store = microcomm.Store(tmp_path / "store")
    added = microcomm.ingest(tiny_csv, store=store)  # one path or many
    assert added.events_added == store.read("events").height > 0
    found = microcomm.detect(tmp_path / "store", seed=3, pair_contexts=10)  # a store path works too
    assert found.seed == 3 and found.communities == 2
    members = found.members
    assert members.columns[:3] == ["actor", "community", "level"]
    assert members.equals(store.communities().sort(["level", "community", "actor"]))
    assert members.filter(pl.col("level") == 0).group_by("community").len()["len"].sort(
        descending=True
    ).to_list() == [12, 12]
    rep = microcomm.report(store, top=2)
    cfg = Config().override("report", top=2)
    assert rep.to_dict() == run_report(store=store, config=cfg)
    from microcomm.report import to_json, to_markdown

    assert rep.to_markdown() == to_markdown(rep.data) == rep._repr_markdown_()
    assert rep.to_json() == to_json(rep.data)
    from microcomm.report import to_html

    assert rep.to_html() == to_html(rep.data) and rep.to_html().startswith("<!DOCTYPE html>")


def test_unknown_or_bad_options_are_refused(tiny_csv: Path, tmp_path: Path) -> None:
    store = microcomm.Store(tmp_path / "store")
    microcomm.ingest([tiny_csv], store=store)
    with pytest.raises(TypeError, match=r"^detect\(\) got an unknown option 'resolutoin'; options"):
        microcomm.detect(store, resolutoin=2.0)
    with pytest.raises(ConfigError, match=r"detect.resolution = -1.0 is out of range"):
        microcomm.detect(store, resolution=-1.0)
    with pytest.raises(TypeError, match=r"report\(\) got an unknown option 'pair_contexts'"):
        microcomm.report(store, pair_contexts=3)


def test_default_config_ships_in_the_package_and_equals_configs_default_yaml() -> None:
    in_repo = (ROOT / "configs" / "default.yaml").read_text(encoding="utf-8")
    assert default_config_text() == in_repo, (
        "src/microcomm/default.yaml and configs/default.yaml differ: edit one, copy it over the other"
    )
    assert load_config(environ={}) == Config()
