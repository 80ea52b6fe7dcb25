"""Bad values inside good files (issue 9, items 7 and 9): Meta's mojibake, Instagram's liked
comments, rows without an actor, implausible dates, handles that mix scripts."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
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


@settings(max_examples=100, deadline=None)
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



# --- item 7: rows without an actor are skipped, with the reason -------------------------------
HEADER = "platform,kind,actor,target,text,created_at\n"


def _csv(tmp_path: Path, rows: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_rows_without_an_actor_are_skipped_and_counted(tmp_path: Path) -> None:
    # Before: all four were stored, three with a null actor that no later stage could use.
    path = _csv(
        tmp_path,
        "x,post,ann,p1,hi,2024-01-01T00:00:00Z\n"
        "x,post,,p1,nobody,2024-01-01T00:00:00Z\n"
        "x,post,@,p1,just an at,2024-01-01T00:00:00Z\n"
        "x,post,\u200b\ufe0f,p1,invisible only,2024-01-01T00:00:00Z\n",
    )
    store = Store(tmp_path / "s")
    result = run_ingest([path], store=store)
    f = result.files[0]
    assert (result.events_added, f.rows_read, f.rows_skipped) == (1, 1, 3)
    assert dict(f.skip_reasons) == {"no actor": 3}
    assert f.bad_locations == [f"{path.name}:{line}: no actor" for line in (3, 4, 5)]  # file lines
    assert store.read("events")["actor"].to_list() == ["ann"]
    assert store.manifest()["files"][0]["skip_reasons"] == {"no actor": 3}


def test_strict_stops_at_the_first_row_without_an_actor(tmp_path: Path) -> None:
    from microcomm.config import Config
    from microcomm.errors import InputError

    path = _csv(tmp_path, "x,post,ann,p1,hi,2024-01-01\nx,post,,p1,nobody,2024-01-01\n")
    with pytest.raises(InputError) as err:
        run_ingest([path], store=Store(tmp_path / "s"), config=Config().override("ingest", strict=True))
    assert err.value.message == f"{path.name}:3: no actor"  # named relative (issue 9 item 8)


def test_an_owner_given_on_the_command_line_fills_an_archive_without_account_js(
    tmp_path: Path,
) -> None:
    from microcomm.config import Config

    data = tmp_path / "archive" / "data"
    data.mkdir(parents=True)
    tweet = {"tweet": {"id_str": "1", "full_text": "hello", "created_at": "Wed Oct 19 20:07:25 +0000 2022"}}
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps([tweet]), "utf-8")
    alone = run_ingest([data / "tweets.js"], store=Store(tmp_path / "a"))
    assert alone.events_added == 0 and dict(alone.files[0].skip_reasons) == {"no actor": 1}
    cfg = Config().override("ingest", owner="@Me")
    owned = run_ingest([data / "tweets.js"], store=Store(tmp_path / "b"), config=cfg)
    assert owned.events_added == 1
    assert Store(tmp_path / "b").read("events")["actor"].to_list() == ["me"]



def test_an_archive_without_account_js_is_owned_by_who_its_threads_answer(tmp_path: Path) -> None:
    """Every tweet of tweets.js is the owner's: a reply to one of them names the owner. Its
    likes beside it take that owner too; --owner still wins; a reply to others names nobody."""
    from microcomm.ingest import inspect_file

    data = tmp_path / "data"
    data.mkdir()
    when = "Wed Oct 19 20:07:25 +0000 2022"

    def tweet(i: str, parent: str | None = None, to: str | None = None) -> dict:  # type: ignore[type-arg]
        t = {"id_str": i, "full_text": "hi", "created_at": when}
        return {"tweet": {**t, "in_reply_to_status_id_str": parent, "in_reply_to_screen_name": to}}

    thread = [tweet("1"), tweet("2", "1", "Zed"), tweet("3", "2", "Zed"), tweet("4", "99", "Amy")]
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(thread), "utf-8")
    like = [{"like": {"tweetId": "7", "fullText": "nice"}}]
    (data / "like.js").write_text("window.YTD.like.part0 = " + json.dumps(like), "utf-8")
    tweets = inspect_file(data / "tweets.js")
    assert tweets.events["actor"].unique().to_list() == ["zed"]
    # the note names no handle: it is stored, and a pseudonymised store must not hold one
    assert "the owner is the account 2 replies to the archive's own tweets answer" in "".join(
        tweets.report.notes
    )
    assert "zed" not in "".join(tweets.report.notes).lower()
    assert inspect_file(data / "like.js").events["actor"].to_list() == ["zed"]
    assert set(inspect_file(data / "like.js", owner="me").events["actor"]) == {"me"}
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(thread[3:]), "utf-8")
    assert dict(inspect_file(data / "tweets.js").report.skip_reasons) == {"no actor": 1}

# --- item 7: implausible years flagged in the coverage ----------------------------------------
def test_implausible_years_are_counted_per_file_and_shown(tmp_path: Path) -> None:
    from rich.console import Console

    from microcomm.cli.console import THEME
    from microcomm.cli.render import ingest_json, ingest_summary
    from microcomm.ingest.finalize import plausible_years

    _, last = plausible_years()
    path = _csv(
        tmp_path,
        "x,post,ann,p1,epoch zero,0\n"  # a default date: 1970-01-01
        "x,post,bob,p1,fine,2024-05-01T00:00:00Z\n"
        "x,post,cid,p1,too early,1999-12-31T23:59:59Z\n"
        f"x,post,dan,p1,too late,{last + 1}-01-01T00:00:00Z\n"
        f"x,post,eve,p1,next year is fine,{last}-06-01T00:00:00Z\n",
    )
    result = run_ingest([path], store=Store(tmp_path / "s"))
    assert result.events_added == 5  # kept: only flagged
    assert result.files[0].implausible_dates == 3
    assert json.loads(ingest_json(result))["files"][0]["implausible_dates"] == 3
    console = Console(width=200, record=True, color_system=None, theme=THEME)
    ingest_summary(console, result)
    out = console.export_text()
    assert "(3 implausible)" in out
    assert f"3 events of {path.name} are dated before 2000 or after {last}" in out
    assert Store(tmp_path / "s").manifest()["files"][0]["implausible_dates"] == 3


# --- item 7: handles that mix look-alike scripts ----------------------------------------------
def test_lookalike_letters_name_the_odd_script() -> None:
    from microcomm.text import lookalike_letters, mixes_scripts

    assert lookalike_letters("p\u0430yp\u0430l") == [
        {"char": "а", "code": "U+0430", "name": "CYRILLIC SMALL LETTER A"}
    ] * 2
    # mostly Cyrillic with one Latin 'o': the Latin letter is the odd one
    assert [x["code"] for x in lookalike_letters("м\u006fсква")] == ["U+006F"]
    for fine in ("paypal", "москва", "αθηνα", "café_2024", "東京tokyo", "ann.bsky.social"):
        assert lookalike_letters(fine) == [], fine
    handles = pl.Series(["p\u0430ypal", "paypal", "москва", None, "p\u0430ypal", "ann_κ"])
    assert mixes_scripts(handles).to_list() == ["ann_κ", "pаypal"]


@pytest.mark.slow  # a detection run
def test_explain_and_the_coverage_flag_a_handle_with_a_cyrillic_letter(
    tiny_csv: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from microcomm.cli import app
    from microcomm.pipeline import run_detect

    spoof = "g0_m\u043e1"  # a Cyrillic 'о' between Latin letters: looks like g0_mo1
    tiny_csv.write_text(tiny_csv.read_text(encoding="utf-8").replace("g0_m01", spoof), "utf-8")
    runner = CliRunner()
    store = tmp_path / "store"
    ingested = runner.invoke(app, ["ingest", str(tiny_csv), "-s", str(store), "-f", "json"])
    assert ingested.exit_code == 0, ingested.output
    assert json.loads(ingested.output)["files"][0]["mixed_script_handles"] == [spoof]
    shown = runner.invoke(app, ["ingest", str(tiny_csv), "-s", str(tmp_path / "s2")])
    assert f"handles 1 in {tiny_csv.name} mix Latin, Cyrillic or Greek look-alike letters ({spoof})" in (
        " ".join(shown.output.split())
    )
    run_detect(store=Store(store))
    out = runner.invoke(app, ["explain", spoof, "-s", str(store)])
    assert out.exit_code == 0, out.output
    assert (
        f"look-alike @{spoof} mixes scripts (о U+043E cyrillic small letter o): "
        "it may pass for another account"
    ) in " ".join(out.output.split())
    data = json.loads(runner.invoke(app, ["explain", spoof, "-s", str(store), "-f", "json"]).output)
    assert data["lookalike_letters"] == [
        {"char": "о", "code": "U+043E", "name": "CYRILLIC SMALL LETTER O"}
    ]
    plain = json.loads(runner.invoke(app, ["explain", "g0_m02", "-s", str(store), "-f", "json"]).output)
    assert plain["lookalike_letters"] == []
