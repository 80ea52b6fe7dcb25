"""The reader registry, the pure parse_* functions and the public read_file (issue 7).

Event ids are what the store dedupes on: ``golden/reader_event_ids.json`` holds the ids every
reader fixture gave before the registry / parse_* refactor, so that re-ingesting an old
export keeps adding nothing. Regenerate it (and review the diff) only when an id is meant to
change: ``MICROCOMM_UPDATE_GOLDEN=1 pytest tests/test_ingest_registry.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from microcomm.errors import InputError
from microcomm.ingest import (
    REGISTRY,
    Parsed,
    get_reader,
    inspect_file,
    load_readers,
    make_event,
    read_file,
    reader,
)
from microcomm.ingest.x_api_v2 import parse_v2_page

DATA = Path(__file__).parent / "data" / "readers"
GOLDEN = Path(__file__).parent / "golden" / "reader_event_ids.json"
SRC = Path(__file__).resolve().parents[1] / "src"

# Sniffing order: ascending priority, then registration order (the module list).
SNIFF_ORDER = [
    "bluesky-posts",
    "bluesky-follows",
    "discord-dce",
    "mastodon-archive",
    "mastodon-api",
    "reddit-pushshift",
    "reddit-json",
    "reddit-export-csv",
    "tiktok-capture",
    "tiktok-dyd",
    "tiktok-research",
    "x-archive",
    "x-api-v2",
    "youtube-api",
    "youtube-comment-downloader",
    "x-api-v1",
    "facebook-graph",
    "facebook-dyi",
    "instagram-dyi",
    "meta-messages",
    "instagram-graph",
    "canonical",
]


@pytest.mark.slow
def test_importing_the_ingest_package_loads_no_reader_and_no_polars() -> None:
    code = (
        "import importlib, sys\n"
        "m = importlib.import_module('microcomm.ingest')\n"
        "heavy = sorted(n for n in sys.modules if n == 'polars' or n.startswith('polars.')"
        " or n.startswith('microcomm.ingest.') and n != 'microcomm.ingest.registry')\n"
        "print(heavy)\n"
        "m.get_reader('x-api-v2')\n"
        "print('microcomm.ingest.x_api_v2' in sys.modules, 'polars' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.splitlines() == ["[]", "True True"]


def test_the_registry_sniffs_in_a_fixed_order() -> None:
    assert [r.name for r in load_readers()] == SNIFF_ORDER
    assert sorted(r.name for r in REGISTRY) == sorted(SNIFF_ORDER)


@pytest.mark.slow
def test_the_sniffing_order_does_not_depend_on_which_reader_loaded_first() -> None:
    code = (
        "import microcomm.ingest.youtube, microcomm.ingest.x_api_v1, microcomm.ingest.generic\n"
        "from microcomm.ingest.registry import load_readers\n"
        "print(','.join(r.name for r in load_readers()))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip().split(",") == SNIFF_ORDER


def test_descriptions_come_from_the_read_functions() -> None:
    assert get_reader("x-api-v1").description == (
        "X API v1.1 statuses, one per line or search pages"
    )
    assert all(r.description and "\n" not in r.description for r in REGISTRY)


def test_the_decorator_registers_replaces_and_guards(tmp_path: Path) -> None:
    def never(path: Path, head: bytes) -> bool:
        return False

    @reader("test-broken", platform="x", sniff=never)
    def read_broken(path, ctx):  # type: ignore[no-untyped-def]
        """A reader that trips over its input."""
        yield {}["missing"]

    try:
        entry = get_reader("test-broken")
        assert entry.description == "A reader that trips over its input."
        assert read_broken.__name__ == "read_broken"  # the function itself is returned
        path = tmp_path / "f.json"
        path.write_text("{}")
        with pytest.raises(InputError) as err:
            inspect_file(path, reader="test-broken")
        assert err.value.message == (
            f"{path}: cannot read this file as test_ingest_registry data (KeyError: 'missing')"
        )
        n = len(REGISTRY)
        reader("test-broken", platform="x", sniff=never, description="again")(read_broken)
        assert len(REGISTRY) == n and get_reader("test-broken").description == "again"
    finally:
        REGISTRY.remove(get_reader("test-broken"))


def test_an_unknown_reader_names_the_known_ones() -> None:
    with pytest.raises(InputError) as err:
        get_reader("x-api-v3")
    assert err.value.message == "unknown reader 'x-api-v3'"
    assert err.value.hint == "use --platform auto or one of: " + ", ".join(r.name for r in REGISTRY)


def test_read_file_is_the_events_frame_of_inspect_file() -> None:
    path = DATA / "x_v1.jsonl"
    events = read_file(path)
    assert isinstance(events, pl.DataFrame)
    assert events.equals(inspect_file(path).events)
    assert read_file(path, platform="x-api-v1").equals(events)
    with pytest.raises(InputError, match="unknown reader 'nope'"):
        read_file(path, platform="nope")


def test_parse_functions_are_pure() -> None:
    page = {
        "data": [
            {"id": "1", "author_id": "9", "text": "hi"},
            {"author_id": "9", "text": "no id"},
        ],
        "includes": {"users": [{"id": "9", "username": "ann", "name": "Ann"}]},
    }
    before = json.dumps(page, sort_keys=True)
    first = parse_v2_page(page, where="line 3", display="f.jsonl")
    second = parse_v2_page(page, where="line 3", display="f.jsonl")
    assert json.dumps(page, sort_keys=True) == before  # the document is not modified
    assert first == second
    assert first.skips == [("line 3 tweet 2", "tweet without an id")]
    assert [e["source"] for e in first.events] == ["f.jsonl:line 3 tweet 1"]
    assert [a["actor"] for a in first.accounts] == ["ann"]


def test_make_event_has_every_key_but_an_unset_platform() -> None:
    event = make_event(kind="post", actor="ann", source="f:1")
    assert set(event) == {
        "event_id",
        "kind",
        "actor",
        "actor_name",
        "target",
        "target_kind",
        "parent",
        "text",
        "created_at",
        "location",
        "source",
    }
    assert make_event(kind="dm", actor=None, source="f", platform="facebook")["platform"] == (
        "facebook"
    )
    merged = Parsed(events=[event]).extend(Parsed(skips=[("line 2", "bad")]))
    assert merged.events == [event] and merged.skips == [("line 2", "bad")]


def _fixture_ids() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for path in sorted(p for p in DATA.rglob("*") if p.is_file()):
        try:
            read = inspect_file(path)
        except InputError:
            continue  # the malformed fixtures and the mapping inputs
        if read.events.height:
            key = path.relative_to(DATA).as_posix()
            out[key] = {
                "reader": read.report.reader,
                "event_ids": read.events["event_id"].to_list(),
            }
    return out


def test_event_ids_are_those_of_before() -> None:
    got = _fixture_ids()
    if os.environ.get("MICROCOMM_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))
