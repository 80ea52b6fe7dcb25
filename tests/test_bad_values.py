"""Bad values inside good files (issue 9, items 7 and 9): Meta's mojibake, Instagram's liked
comments, rows without an actor, implausible dates, handles that mix scripts."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from microcomm.ingest import inspect_file
from microcomm.ingest._common import meta_text
from microcomm.ingest.base import repair_mojibake
from microcomm.pipeline import run_ingest
from microcomm.store import Store


def _mangle(text: str) -> str:
    """What Meta's export does: each UTF-8 byte written as its own ``\\u00XX`` character."""
    return text.encode("utf-8").decode("latin-1")


def _instagram_export(tmp_path: Path, name: str, doc: object) -> Path:
    root = tmp_path / "instagram"
    (root / "personal_information").mkdir(parents=True, exist_ok=True)
    profile = {"profile_user": [{"string_map_data": {"Username": {"value": "brand.owner"}}}]}
    (root / "personal_information" / "personal_information.json").write_text(
        json.dumps(profile), encoding="utf-8"
    )
    path = root / "your_instagram_activity" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# --- item 9: mojibake repaired before anything is stripped ------------------------------------
GARBLED = [
    "lol 😅",  # 😅 is F0 9F 98 85: its last byte is U+0085, which str.strip removes
    "Ouvrez à Lyon… ",  # … is E2 80 A6; the trailing space and à's U+00A0 byte
    "Åse says hi",  # Å is C3 85
    "voilà",  # à is C3 A0, and U+00A0 is whitespace to str.strip
    "  café 😍  ",
]


def test_mojibake_ending_in_a_whitespace_byte_is_repaired(tmp_path: Path) -> None:
    # Before: str.strip ran first and ate the \x85 / \xa0 bytes, so 'lol ð\x9f\x98' stayed.
    comments = [
        {"string_map_data": {"Comment": {"value": _mangle(t)}, "Media Owner": {"value": "lush"},
                             "Time": {"timestamp": 1700000000 + i}}}
        for i, t in enumerate(GARBLED)
    ]
    path = _instagram_export(tmp_path, "comments/post_comments_1.json", comments)
    texts = inspect_file(path).events["text"].to_list()
    assert texts == ["lol 😅", "Ouvrez à Lyon…", "Åse says hi", "voilà", "café 😍"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1))
def test_mangled_text_always_comes_back_whole(text: str) -> None:
    assert repair_mojibake(_mangle(text)) == text
    assert meta_text(_mangle(text)) == (text.strip() or None)


def test_a_sequence_cut_by_the_export_keeps_its_bytes_and_the_rest_is_repaired() -> None:
    cut = _mangle("été 😅")[:-1]  # the emoji lost its last byte
    assert repair_mojibake(cut) == "été ð\x9f\x98"
    assert repair_mojibake("déjà vu") == "déjà vu"  # not mangled: unchanged
    assert repair_mojibake("naïve ☕") == "naïve ☕"


# --- item 9: Instagram likes keyed per liked comment ------------------------------------------
def _comment_like(author: str, post: str, ts: int) -> dict[str, object]:
    return {
        "title": author,
        "string_list_data": [
            {"href": f"https://www.instagram.com/p/{post}/", "value": _mangle("👍"),
             "timestamp": ts}
        ],
    }


def test_likes_of_different_comments_under_one_post_stay_apart(tmp_path: Path) -> None:
    # Before: every like was keyed like/<owner>/<post>, so these three collapsed into one.
    doc = {
        "likes_comment_likes": [
            _comment_like("ann", "Cabc", 1700000000),
            _comment_like("bob", "Cabc", 1700000100),
            _comment_like("ann", "Cabc", 1700000200),  # another comment of ann's, same post
            _comment_like("ann", "Cxyz", 1700000300),
        ]
    }
    path = _instagram_export(tmp_path, "likes/liked_comments.json", doc)
    store = Store(tmp_path / "s")
    assert run_ingest([path], store=store).events_added == 4
    ev = store.read("events").sort("created_at")
    assert ev["kind"].unique().to_list() == ["like"]
    assert ev["actor"].unique().to_list() == ["brand.owner"]
    assert ev["target"].to_list() == ["https://www.instagram.com/p/Cabc/"] * 3 + [
        "https://www.instagram.com/p/Cxyz/"
    ]
    assert ev["event_id"].n_unique() == 4
    assert run_ingest([path], store=store).events_added == 0  # ids are stable


def test_liked_posts_are_still_one_like_per_post(tmp_path: Path) -> None:
    doc = {"likes_media_likes": [_comment_like("lush", "Cabc", 1700000000)]}
    ev = inspect_file(_instagram_export(tmp_path, "likes/liked_posts.json", doc)).events
    post = "https://www.instagram.com/p/Cabc/"
    assert ev.select("event_id", "target").rows() == [(f"instagram:like/brand.owner/{post}", post)]

