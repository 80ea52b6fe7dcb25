"""Property tests: no input makes a reader crash.

Random bytes, truncated real-shaped files, wrong encodings and random JSON may only end in a
clean result (with counted skips) or a MicrocommError — never another exception.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcomm.errors import MicrocommError
from microcomm.ingest import REGISTRY, inspect_file

DATA = Path(__file__).parent / "data" / "readers"
FIXTURES = sorted(
    p
    for p in DATA.rglob("*")
    if p.is_file() and p.suffix in (".js", ".json", ".jsonl", ".ndjson", ".csv")
)
READERS = sorted(r.name for r in REGISTRY if r.name != "canonical")
SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "data",
                    "id",
                    "text",
                    "author",
                    "user",
                    "kind",
                    "messages",
                    "posts",
                    "items",
                    "created_at",
                    "timestamp",
                    "record",
                    "uri",
                    "tweet",
                    "string_list_data",
                    "orderedItems",
                    "body",
                    "cid",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


def _try(path: Path, reader: str | None) -> None:
    """Read ``path``; when it reads, its skip accounting must be exact and ``--strict`` agree.

    Every skipped record is counted once under one reason, its location is listed (up to 5),
    and ``strict`` fails on exactly the first of them, or, when nothing was skipped, reads
    the very same events.
    """
    try:
        result = inspect_file(path, reader=reader)
    except MicrocommError:
        return
    report = result.report
    assert sum(report.skip_reasons.values()) == report.rows_skipped
    assert len(report.bad_locations) == min(report.rows_skipped, 5)
    assert report.rows_read == result.events.height
    if report.rows_skipped:
        with pytest.raises(MicrocommError) as err:
            inspect_file(path, reader=reader, strict=True)
        assert err.value.message == report.bad_locations[0]
    else:
        strict = inspect_file(path, reader=reader, strict=True)
        assert strict.events.equals(result.events)


def _write(data: bytes, name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="microcomm-prop-"))
    path = folder / name
    path.write_bytes(data)
    return path


@SETTINGS
@given(data=st.binary(max_size=400), reader=st.sampled_from(READERS))
def test_random_bytes_never_crash(data: bytes, reader: str) -> None:
    _try(_write(data, "input.json"), reader)


@pytest.mark.slow
@SETTINGS
@given(value=json_values, reader=st.sampled_from(READERS), lines=st.booleans())
def test_random_json_never_crashes(value: object, reader: str, lines: bool) -> None:
    text = json.dumps(value)
    if lines:
        text = "\n".join([text, json.dumps(value), "{not json"])
    _try(_write(text.encode(), "input.jsonl" if lines else "input.json"), reader)


@SETTINGS
@given(fixture=st.sampled_from(FIXTURES), cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_fixtures_never_crash(fixture: Path, cut: float) -> None:
    raw = fixture.read_bytes()
    path = _write(raw[: int(len(raw) * cut)], fixture.name)
    _try(path, None)


@SETTINGS
@given(
    fixture=st.sampled_from(FIXTURES),
    encoding=st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-8-sig"]),
)
@pytest.mark.slow
def test_wrong_encodings_never_crash(fixture: Path, encoding: str) -> None:
    text = fixture.read_text(encoding="utf-8")
    data = text.encode(encoding, errors="replace")
    _try(_write(data, fixture.name), None)


@pytest.mark.slow  # ~1,100 reads; the fast run has the test below
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_each_fixture_under_every_wrong_reader(fixture: Path) -> None:
    for reader in READERS:
        _try(fixture, reader)


SPREAD = 4  # readers per fixture in the fast run: one in four, a different four for each


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_each_fixture_under_some_wrong_readers(fixture: Path) -> None:
    # Every fixture under a quarter of the readers, rotating: any four fixtures in a row meet
    # every reader, so each reader still reads ~len(FIXTURES)/4 foreign files in the fast run.
    for reader in READERS[FIXTURES.index(fixture) % SPREAD :: SPREAD]:
        _try(fixture, reader)


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    return True


BAD_LINE = "not valid JSON (truncated or corrupt line)"
JSON_LINES = [  # fixtures in JSON Lines (some already hold a cut line on purpose)
    p
    for p in FIXTURES
    if p.parent.name != "mappings"  # those need their mapping file
    and (
        p.suffix in (".jsonl", ".ndjson")
        or (
            len(lines := p.read_text(encoding="utf-8").splitlines()) > 1
            and all(_is_json(line) for line in lines if line.strip())
        )
    )
]


@pytest.mark.parametrize("fixture", JSON_LINES, ids=lambda p: p.name)
def test_truncated_lines_are_skipped_and_counted_exactly(fixture: Path) -> None:
    # Two cut lines (one after the first record, one at the end): exactly two more skips,
    # at those line numbers, and the same events as the intact file.
    clean = inspect_file(fixture)
    lines = fixture.read_text(encoding="utf-8").splitlines()
    damaged = [lines[0], '{"id": "9", "text": "cut he', *lines[1:], '{"truncat']
    path = _write(("\n".join(damaged) + "\n").encode(), fixture.name)
    got = inspect_file(path)
    assert got.report.reader == clean.report.reader
    assert got.report.rows_skipped == clean.report.rows_skipped + 2
    assert got.report.skip_reasons[BAD_LINE] == clean.report.skip_reasons[BAD_LINE] + 2
    assert f"{path}:line 2: {BAD_LINE}" in got.report.bad_locations
    assert f"{path}:line {len(damaged)}: {BAD_LINE}" in got.report.bad_locations
    assert got.events["event_id"].to_list() == clean.events["event_id"].to_list()


def test_the_json_lines_fixtures_cover_the_line_readers() -> None:
    assert {inspect_file(p).report.reader for p in JSON_LINES} >= {
        "x-api-v1",
        "x-api-v2",
        "reddit-pushshift",
        "tiktok-capture",
    }
