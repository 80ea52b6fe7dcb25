"""Clean text (issue 8, item 1): entities unescaped, tags stripped, link targets kept.

The property test runs every reader fixture with HTML-laden text put where the fixture's text
was: whatever the reader, no HTML entity or tag may reach the stored text.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcomm.ingest import inspect_file
from microcomm.ingest.base import repair_mojibake
from microcomm.normalize import extract_entities
from microcomm.text import clean_text, clean_texts

DATA = Path(__file__).parent / "data" / "readers"
TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")


def is_clean(text: str | None) -> bool:
    return text is None or (not TAG.search(text) and html.unescape(text) == text)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("I&#39;m here &amp; there", "I'm here & there"),
        ("line one<br />line two<br>three", "line one\nline two\nthree"),
        ("  lots   of\t\tspace \n \n\n next  ", "lots of space\n\nnext"),
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("OPPA &lt;3\ufeff", "OPPA <3"),  # the YouTube Spam Collection's BOM and escaped heart
        ("I <3 you & a < b", "I <3 you & a < b"),  # not HTML: left alone
        ('<a href="https://www.shop.example.com/p?x=1">my shop</a>', "my shop (https://www.shop.example.com/p?x=1)"),
        ('<a href="https://ex.com/a" rel="nofollow">https://ex.com/a</a>', "https://ex.com/a"),
        ('<a href="https://m.social/@ann" class="u-url mention">@<span>ann</span></a> hi', "@ann hi"),
        ('<a href="https://www.youtube.com/watch?v=x&amp;t=62">1:02</a> lol', "1:02 lol"),
        ('<a href="/relative">here</a>', "here"),
        ("<script>alert(1)</script>safe", "safe"),
        ("&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;", "bold"),
        ("<br/>", None),
        (None, None),
    ],
)
def test_clean_text(raw: str | None, clean: str | None) -> None:
    assert clean_text(raw) == clean


def test_clean_texts_matches_clean_text_row_by_row() -> None:
    raw = ["a &amp; b", "plain", None, "x<br>y", "  pad  ", "&#x27;q&#x27;"]
    assert clean_texts(pl.Series(raw)).to_list() == [
        "a & b", "plain", None, "x\ny", "pad", "'q'"
    ]  # fmt: skip


def test_mastodon_style_link_keeps_its_domain_and_the_class_words_go() -> None:
    content = (
        '<p>New trail up <a href="https://trails.example.org/kestrel" rel="nofollow noopener" '
        'class="ot-hashtag" target="_blank"><span class="invisible">https://</span>'
        '<span class="ellipsis">trails.example.org/kes</span></a> '
        '<a href="https://m.social/tags/vegan" class="mention hashtag" rel="tag">#<span>vegan</span></a></p>'
    )
    text = clean_text(content)
    assert text == "New trail up https://trails.example.org/kes #vegan"
    ents = extract_entities(pl.DataFrame({"event_id": ["e"], "actor": ["a"], "text": [text]}))
    assert set(ents.filter(pl.col("type") == "domain")["value"]) == {"trails.example.org"}
    assert not {"class", "nofollow", "ot-hashtag", "span"} & set(ents["value"])


# --- property: every reader -------------------------------------------------------------
PIECES = [
    "<br />", "<br>", "<p>", "</p>", "<b>", "</b>", "<i>", "<span class=\"invisible\">", "</span>",
    '<a href="https://spam.example.com/x?a=1&amp;b=2">', "</a>", "<!-- note -->", "<div>",
    "&amp;", "&#39;", "&lt;", "&gt;", "&quot;", "&#x27;", "&nbsp;", "&amp;lt;i&amp;gt;",
    "&amp;#39;", "&lt;br /&gt;", "&copy", "<img alt=\"🔥\">", "<script>x()</script>",
]  # fmt: skip
html_text = st.lists(
    st.sampled_from(PIECES) | st.text(alphabet="abc xyz<>&;#!?", max_size=6), min_size=1, max_size=12
).map("".join)


def _string_values(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _string_values(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _string_values(v)]
    return []


def _json_docs(raw: str) -> list[object]:
    body = raw[raw.index("=") + 1 :] if raw.startswith("window.") else raw
    try:
        return [json.loads(body)]
    except json.JSONDecodeError:
        docs = []
        for line in body.splitlines():  # JSON Lines fixtures hold deliberately broken lines
            try:
                docs.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return docs


def _slots() -> list[tuple[Path, str]]:
    """(fixture, a raw JSON string value in it that becomes an event's text)."""
    out = []
    for path in sorted(DATA.rglob("*")):
        if not path.is_file() or path.suffix not in (".json", ".jsonl", ".ndjson", ".js"):
            continue
        try:
            texts = set(inspect_file(path).events["text"].drop_nulls())
            values = _string_values(_json_docs(path.read_text(encoding="utf-8")))
        except Exception:
            continue
        raw = next(
            (v for v in values if len(v) > 3 and clean_text(repair_mojibake(v)) in texts), None
        )
        if raw is not None:
            out.append((path, raw))
    return out


SLOTS = _slots()


def _copy_fixture(fixture: Path, folder: Path) -> Path:
    """A copy of ``fixture`` with its export folder around it (where readers find the owner:
    a row without one is skipped)."""
    rel = fixture.relative_to(DATA)
    if len(rel.parts) > 1:
        shutil.copytree(DATA / rel.parts[0], folder / rel.parts[0])
    else:
        shutil.copy(fixture, folder / rel)
    return folder / rel


def test_the_property_reaches_most_readers() -> None:
    readers = {inspect_file(p).report.reader for p, _ in SLOTS}
    assert len(readers) >= 13, readers


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(slot=st.sampled_from(SLOTS), text=html_text)
def test_no_entity_or_tag_survives_any_reader(slot: tuple[Path, str], text: str) -> None:
    fixture, raw_value = slot
    folder = Path(tempfile.mkdtemp(prefix="microcomm-html-"))
    try:
        target = _copy_fixture(fixture, folder)
        raw = target.read_text(encoding="utf-8")
        forms = (json.dumps(raw_value)[1:-1], json.dumps(raw_value, ensure_ascii=False)[1:-1])
        old = next(f for f in forms if f in raw)
        target.write_text(raw.replace(old, json.dumps(text)[1:-1], 1), encoding="utf-8")
        events = inspect_file(target).events
        assert all(is_clean(t) for t in events["text"].to_list())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("slot", SLOTS, ids=lambda s: s[0].name)
def test_the_substituted_text_reaches_the_events(slot: tuple[Path, str]) -> None:
    fixture, raw_value = slot
    folder = Path(tempfile.mkdtemp(prefix="microcomm-html-"))
    try:
        target = _copy_fixture(fixture, folder)
        raw = target.read_text(encoding="utf-8")
        forms = (json.dumps(raw_value)[1:-1], json.dumps(raw_value, ensure_ascii=False)[1:-1])
        old = next(f for f in forms if f in raw)
        target.write_text(raw.replace(old, "zq&amp;#39;s <b>bold</b>&lt;br&gt;end", 1), encoding="utf-8")
        assert "zq's bold\nend" in inspect_file(target).events["text"].to_list()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
