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
