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


DM = "please call me at +33 6 12 34 56 78, I am Jane Doe, 12 rue X"
ALONE = "please open a store in Lyon, ask for Marie Curie at 0611223344"
SHARED = "please open a store in Lyon"
SPAM = "Marie Curie here, check my channel https://mariecurie-0611223344.example.com/v"
PRIVATE = ("12 34 56 78", "Jane Doe", "Marie Curie", "0611223344", "rue X")


def _planted_export(folder: Path) -> Path:
    """Two planted groups (conftest) plus: a DM with a phone number and a name, a request only
    one account wrote, the same request from three accounts, and one account's link spam."""
    import polars as pl

    from conftest import planted_events

    rows = planted_events().with_columns(pl.lit(None, dtype=pl.String).alias("target_kind"))
    extra = [
        ("dm", "g0_m01", "kestrel", "account", DM),
        ("comment", "g0_m02", "post0_1", None, ALONE),
        *[("comment", f"g0_m0{i}", "post0_1", None, SHARED) for i in (3, 4, 5)],
        ("comment", "g1_m05", "post1_1", None, SPAM),
    ]
    more = pl.DataFrame(
        [
            {"platform": "instagram", "kind": k, "actor": a, "target": t, "target_kind": tk,
             "text": text, "created_at": "2026-05-03T10:00:00Z"}
            for k, a, t, tk, text in extra
        ]
    )  # fmt: skip
    folder.mkdir(parents=True)
    path = folder / "comments.csv"
    pl.concat([rows, more.select(rows.columns)]).write_csv(path)
    return path


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A store ingested from an absolute path, detected, and every report and export of it."""
    from typer.testing import CliRunner

    from microcomm.cli import app

    base = tmp_path_factory.mktemp("planted")
    home = base / "home" / "jane"
    _planted_export(home / "export")
    store = base / "store"
    runner = CliRunner()
    out: dict[str, str] = {}

    def run(name: str, *args: str) -> None:
        result = runner.invoke(app, [*args, "--store", str(store)], env={"NO_COLOR": "1"})
        assert result.exit_code == 0, (args, result.output)
        out[name] = result.output

    run("ingest", "ingest", str(home / "export"))
    run("detect", "detect")
    files = base / "out"
    files.mkdir()
    for fmt in ("terminal", "markdown", "json", "html"):
        run(f"report.{fmt}", "report", "--format", fmt, "--brand", "kestrel")
        run(f"summary.{fmt}", "report", "--format", fmt, "--summary", "--brand", "kestrel")
    run("report.full", "report", "--format", "markdown", "--full", "--brand", "kestrel")
    for what, ext in [("members", "csv"), ("communities", "json"), ("graph", "gexf"),
                      ("filtered", "csv"), ("filtered", "json"), ("tracking", "json")]:  # fmt: skip
        target = files / f"{what}.{ext}"
        run(f"export.{what}.{ext}", "export", what, "-o", str(target))
        out[f"file.{what}.{ext}"] = target.read_text(encoding="utf-8")
    for who in ("g0_m01", "g0_m02", "g1_m05"):
        run(f"explain.{who}", "explain", who, "--format", "json")
    return {"home": home, "store": store, "out": out}


@pytest.mark.slow
def test_dms_and_one_senders_words_are_never_quoted(planted: dict) -> None:  # type: ignore[type-arg]
    """Small-cell suppression: the DM, the one-sender request and the one account's spam are
    in no report format, summary, export or explanation — yet they are counted; the request
    three accounts sent word for word is quoted."""
    import json

    out = planted["out"]
    leaks = {name: p for name, text in out.items() for p in PRIVATE if p in text}
    assert leaks == {}
    assert SHARED in out["report.json"] and SHARED in out["report.markdown"]
    report = json.loads(out["report.json"])
    voice = [c["voice"] for c in report["communities"]]
    assert sum(v["requests"] for v in voice) == 5  # the DM and the lone request counted too
    assert report["filtered"]["events"] >= 1  # the spam was set aside, counted, not quoted
    filtered = json.loads(out["file.filtered.json"])
    assert any(r["text"] is None and r["actor"] == "g1_m05" for r in filtered)


@pytest.mark.slow
def test_no_absolute_path_is_stored_or_reported(planted: dict) -> None:  # type: ignore[type-arg]
    """An export folder named by its absolute path is stored as ``export/comments.csv``:
    relative to what the user named, in the manifest, every table and every output."""
    home, store = planted["home"], planted["store"]
    strings = _strings_of_store(store)
    assert '"path": "export/comments.csv"' in strings[0]
    assert "export/comments.csv" in planted["out"]["ingest"]
    leaks = [s for s in strings + list(planted["out"].values()) if str(home) in s]
    assert leaks == []


def test_survey_paths_are_stored_relative(tmp_path: Path) -> None:
    survey = tmp_path / "home" / "poll.csv"
    survey.parent.mkdir()
    survey.write_text("actor,question,answer\nann,Next?,tents\n", encoding="utf-8")
    store = Store(tmp_path / "s")
    run_ingest([], store=store, survey=[survey])
    assert [f["path"] for f in store.manifest()["files"]] == ["poll.csv"]
