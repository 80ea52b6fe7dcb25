"""Privacy (issue 9 item 8): private store modes, pseudonyms, small-cell suppression of quotes,
stored paths relative to what the user named."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import microcomm.store as store_mod
from microcomm.config import Config
from microcomm.pipeline import run_detect, run_ingest
from microcomm.store import Store


def _modes(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)) or ".": stat.S_IMODE(p.lstat().st_mode)
        for p in [root, *root.rglob("*")]
    }


def test_every_file_and_folder_the_store_writes_is_private(
    tiny_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With umask 0 (everything world-writable by default): ingest, survey, detect, and the
    temporary files renamed into place on the way, are all 0600 / 0700 — also in a store
    folder the user made beforehand."""
    survey = tmp_path / "poll.csv"
    survey.write_text("actor,question,answer\ng0_m01,Next?,tents\n", encoding="utf-8")
    store_dir = tmp_path / "store"
    store_dir.mkdir(mode=0o777)
    renamed: dict[str, int] = {}
    real_replace = os.replace

    def spy(src, dst):  # type: ignore[no-untyped-def]
        renamed[Path(dst).name] = stat.S_IMODE(os.stat(src).st_mode)
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    old = os.umask(0)
    try:
        store = Store(store_dir)
        run_ingest([tiny_csv], store=store, survey=[survey])
        run_detect(store=store, config=Config().override("detect", stability_runs=0))
    finally:
        os.umask(old)
        monkeypatch.undo()
    modes = _modes(store_dir)
    folders = {k for k in modes if (store_dir / k).is_dir()}
    files = {k for k in modes if k not in folders}
    assert {"events", "answers", "communities"} <= folders
    assert {"manifest.json", ".lock"} <= files
    assert any(k.startswith("communities/run-") for k in files)
    assert {k: modes[k] for k in folders} == dict.fromkeys(folders, 0o700)
    assert {k: modes[k] for k in files} == dict.fromkeys(files, 0o600)
    assert "manifest.json" in renamed and any(k.startswith("run-") for k in renamed)
    assert renamed == dict.fromkeys(renamed, 0o600)


def _strings_of_store(root: Path) -> list[str]:
    """Every string a store holds: the manifest's text and each string cell of its parquet."""
    import polars as pl

    out = [(root / "manifest.json").read_text(encoding="utf-8")]
    for part in sorted(root.rglob("*.parquet")):
        df = pl.read_parquet(part, glob=False)
        out += [str(v) for c in df.columns if df.schema[c] == pl.String for v in df[c].drop_nulls()]
    return out


@pytest.mark.slow
def test_no_absolute_path_is_stored_or_reported(tiny_csv: Path, tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    """Exports named by absolute paths (a folder and a survey file) are stored as
    ``export/tiny.csv`` and ``poll.csv``: relative to what the user named."""
    from microcomm.cli import app

    home = tmp_path / "home" / "jane"
    (home / "export").mkdir(parents=True)
    (home / "export" / "tiny.csv").write_bytes(tiny_csv.read_bytes())
    survey = home / "poll.csv"
    survey.write_text("actor,question,answer\ng0_m01,Next?,tents\n", encoding="utf-8")
    store = Store("store")  # the working folder is tmp_path (conftest)
    run_ingest([home / "export"], store=store, survey=[survey])
    run_detect(store=store, config=Config().override("detect", stability_runs=0))
    manifest = store.manifest()
    assert [f["path"] for f in manifest["files"]] == ["export/tiny.csv", "poll.csv"]
    assert store.read("events")["source"][0] == "export/tiny.csv:2"
    outputs = [
        runner.invoke(app, ["ingest", str(home / "export"), "--store", "other"]).output,
        runner.invoke(app, ["report", "--store", "store", "--format", "terminal"]).output,
    ]
    for command, name in [
        (["report"], "r.md"),
        (["report"], "r.json"),
        (["report"], "r.html"),
        (["export", "members"], "members.csv"),
        (["export", "communities"], "communities.json"),
    ]:
        result = runner.invoke(app, [*command, "--store", "store", "-o", name])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_text(encoding="utf-8"))
    stored = _strings_of_store(tmp_path / "store") + _strings_of_store(tmp_path / "other")
    assert "export/tiny.csv" in outputs[0]
    leaks = [s for s in stored + outputs if str(home) in s or str(tmp_path) in s]
    assert leaks == []
