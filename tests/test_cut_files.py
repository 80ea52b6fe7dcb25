"""Cut compressed files through the CLI (issue 9, item 3): one error line naming the file, exit
1, nothing stored — whatever the format, even when the cut falls inside the first block."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcomm.cli import app

ROW = '{{"platform":"x","kind":"post","actor":"u{:05d}","target":"p","text":"hi","created_at":"2024-01-01"}}\n'


def _packed(kind: str, data: bytes) -> bytes:
    if kind == "gz":
        return gzip.compress(data)
    if kind == "bz2":
        return bz2.compress(data)  # one 900 kB block: a cut leaves nothing decodable
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


@pytest.mark.parametrize("kind", ["gz", "bz2", "zst"])
def test_a_cut_file_is_one_error_line_and_exit_1(tmp_path: Path, kind: str) -> None:
    # A cut .bz2 used to say "the file is empty"; a cut .gz once printed only "Aborted.".
    whole = _packed(kind, "".join(ROW.format(i) for i in range(5000)).encode())
    cut = tmp_path / f"events.jsonl.{kind}"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["ingest", str(cut), "--store", str(store)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Aborted" not in result.output
    flat = " ".join(result.output.split())
    assert f"{cut.name}: the compressed file is cut short or corrupt (" in flat
    assert "nothing of it was stored" in flat
    assert not (store / "manifest.json").exists()


def test_a_cut_before_the_first_whole_row_has_nothing_to_keep(tmp_path: Path) -> None:
    whole = _packed("bz2", "".join(ROW.format(i) for i in range(5000)).encode())
    cut = tmp_path / "events.jsonl.bz2"
    cut.write_bytes(whole[: len(whole) // 2])
    args = ["ingest", str(cut), "--store", str(tmp_path / "s"), "--keep-partial"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    flat = " ".join(result.output.split())
    assert "cut short or corrupt" in flat and "hint: download or copy it again" in flat
    assert "--keep-partial" not in flat  # it was given: the hint does not suggest it again
