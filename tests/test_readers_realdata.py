"""Every platform reader on the real export samples in ../shared/realdata (counts verified by hand)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from microcomm.ingest import facebook, inspect_file, instagram
from microcomm.ingest.base import load_json

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"
pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(
        not REALDATA.is_dir(), reason=f"real export samples not found at {REALDATA}"
    ),
]


def kinds(df: pl.DataFrame) -> dict[str, int]:
    return dict(df.group_by("kind").len().sort("kind").iter_rows())


def one(df: pl.DataFrame, event_id: str) -> dict:
    rows = df.filter(pl.col("event_id") == event_id)
    assert rows.height == 1, event_id
    return rows.row(0, named=True)


# --- X -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_x_v2_blm_pages() -> None:
    r = inspect_file(REALDATA / "twitter-v2-blm" / "tweets.jsonl")
    assert r.report.reader == "x-api-v2"
    tweets = r.events.filter(pl.col("kind") != "mention")
    assert tweets.height == 500
    assert tweets["actor"].n_unique() == 401
    # 367 retweets + 18 quotes, one of which is also a retweet → 384 shares; 35 replies
    assert kinds(r.events) == {"mention": 158, "post": 81, "reply": 35, "share": 384}
    assert r.accounts.height == 857  # includes.users across the 5 pages
    row = one(r.events, "x:1408876829491015681")
    assert (
        row["kind"] == "share"
        and row["actor"] == "unionist_trade"
        and row["target"] == "1408678886733451268"
    )
    assert row["created_at"].isoformat() == "2021-06-26T19:56:26+00:00"


def test_x_v2_flat_and_page_forms_agree() -> None:
    flat = inspect_file(REALDATA / "twitter-v2-twarc-csv" / "flat.jsonl")
    page = inspect_file(REALDATA / "twitter-v2-twarc-csv" / "noflat.jsonl")
    assert flat.report.reader == page.report.reader == "x-api-v2"
    assert (
        kinds(flat.events)
        == kinds(page.events)
        == {"mention": 50, "post": 14, "reply": 31, "share": 55}
    )
    cols = ["event_id", "kind", "actor", "target", "parent", "text", "created_at"]
    assert (
        flat.events.select(cols).sort("event_id").equals(page.events.select(cols).sort("event_id"))
    )


def test_x_v2_stream_truncated_line_is_skipped_and_counted() -> None:
    r = inspect_file(REALDATA / "twitter-v2-twarc-csv" / "streaming_output_with_error.jsonl")
    assert r.report.rows_skipped == 1
    assert r.report.bad_locations[0].endswith(":line 8: not valid JSON (truncated or corrupt line)")
    assert r.events.filter(pl.col("kind") != "mention").height == 7
    row = one(r.events, "x:1377650093109743620")
    assert (row["kind"], row["actor"], row["target_kind"]) == ("reply", "sheelaghb18", "thread")
    assert row["location"] == "Bournemouth, England"


def test_x_v2_stream_is_an_error_under_strict() -> None:
    from microcomm.errors import InputError

    with pytest.raises(InputError, match="line 8"):
        inspect_file(
            REALDATA / "twitter-v2-twarc-csv" / "streaming_output_with_error.jsonl", strict=True
        )


def test_x_v2_users_page_with_errors_fills_accounts_only() -> None:
    r = inspect_file(REALDATA / "twitter-v2-twarc-csv" / "users.jsonl")
    assert r.events.height == 0 and r.report.rows_skipped == 0
    assert r.accounts.height == 96
    row = r.accounts.filter(pl.col("actor") == "DoDirty78").row(0, named=True)
    assert row["followers"] == 580 and row["bio"] == "Love is the highest form of understanding"
    assert any("profiles only" in n for n in r.report.notes)


def test_x_v2_search_and_lookup_pages() -> None:
    assert (
        inspect_file(REALDATA / "twitter-v2-twarc-csv" / "entities_test.jsonl")
        .events.filter(pl.col("kind") != "mention")
        .height
        == 474
    )
    assert (
        inspect_file(REALDATA / "twitter-v2-twarc-csv" / "withheld.jsonl")
        .events.filter(pl.col("kind") != "mention")
        .height
        == 215
    )


@pytest.mark.slow
def test_x_archive_tweets_following_likes() -> None:
    data = REALDATA / "twitter-account-archive" / "data"
    # account.js is not published: the owner is who the archive's 19 self-replies answer
    unowned = inspect_file(data / "tweets.js")
    assert set(unowned.events["actor"]) == {"smithjd"} and unowned.report.rows_skipped == 0
    assert any("the owner is the account 19 replies" in n for n in unowned.report.notes)
    assert set(inspect_file(data / "like.js").events["actor"]) == {"smithjd"}
    tweets = inspect_file(data / "tweets.js", owner="archive.owner")
    assert tweets.report.reader == "x-archive"
    assert kinds(tweets.events) == {"mention": 385, "post": 1470, "reply": 160, "share": 128}
    assert set(tweets.events["actor"]) == {"archive.owner"}
    row = one(tweets.events, "x:1582825767519809536")
    assert row["kind"] == "reply" and row["parent"] == "1582702502297755653"
    assert row["created_at"].isoformat() == "2022-10-19T20:07:25+00:00"
    following = inspect_file(data / "following.js", owner="archive.owner")
    assert kinds(following.events) == {"follow": 418}
    assert one(following.events, "x:following/257757365")["target"] == "257757365"
    assert any("ids only" in n for n in following.report.notes)
    likes = inspect_file(data / "like.js", owner="archive.owner")
    assert kinds(likes.events) == {"like": 609}
    assert one(likes.events, "x:like/1588139679483777024")["text"].startswith(
        "Maple Tree and Small Birds"
    )


# --- Reddit ------------------------------------------------------------------------------------


def test_reddit_thread_announcements_all_files() -> None:
    folder = REALDATA / "reddit-praw" / "thread_announcements_n49rw"
    frames = [
        inspect_file(folder / name)
        for name in ("thread.json", "morechildren.jsonl", "comment_permalinks.jsonl")
    ]
    assert {f.report.reader for f in frames} == {"reddit-json"}
    events = pl.concat([f.events for f in frames]).unique(
        "event_id", keep="first", maintain_order=True
    )
    comments = events.filter(pl.col("kind") != "post")
    assert comments.height == 1256  # and 172 [deleted] authors skipped: no actor (issue 9)
    assert comments["actor"].null_count() == 0
    assert sum(f.report.skip_reasons["no actor"] for f in frames) >= 172
    assert comments["actor"].drop_nulls().n_unique() == 934  # 935 with "[deleted]"
    assert set(comments["target"].unique()) == {"t3_n49rw"}
    thread = frames[0]
    assert any("'more comments' stubs" in n for n in thread.report.notes)


@pytest.mark.slow
def test_reddit_thread_funny_and_streams() -> None:
    folder = REALDATA / "reddit-praw" / "thread_funny_3hahrw"
    events = pl.concat(
        [
            inspect_file(folder / n).events
            for n in ("thread.json", "morechildren.jsonl", "comment_permalinks.jsonl")
        ]
    ).unique("event_id")
    assert events.filter(pl.col("kind") != "post").height == 525  # [deleted] ones skipped
    stream = inspect_file(
        REALDATA / "reddit-praw" / "r_all_comments_stream" / "listings.jsonl"
    ).events
    assert stream["event_id"].n_unique() == 417
    multi = inspect_file(
        REALDATA / "reddit-praw" / "multireddit_comments_stream" / "listings.jsonl"
    ).events
    assert multi["event_id"].n_unique() == 102


def test_reddit_comment_fields() -> None:
    r = inspect_file(REALDATA / "reddit-praw" / "thread_announcements_n49rw" / "thread.json")
    post = r.events.filter(pl.col("kind") == "post").row(0, named=True)
    assert post["event_id"] == "reddit:t3_n49rw" and post["target"] == "announcements"
    reply = r.events.filter(pl.col("kind") == "reply").row(0, named=True)
    assert (
        reply["parent"].startswith("t1_")
        and reply["target"] == "t3_n49rw"
        and reply["target_kind"] == "thread"
    )


# --- YouTube, Discord, Mastodon, Bluesky, Meta ---------------------------------------------------


def test_youtube_api_all_responses() -> None:
    files = sorted((REALDATA / "youtube-data-api-sns-sdks" / "apidata").rglob("*.json"))
    reads = [inspect_file(f) for f in files]
    assert {r.report.reader for r in reads} == {"youtube-api"}
    events = pl.concat([r.events for r in reads])
    assert events.height == 28
    row = one(events.unique("event_id"), "youtube:UgyZ1jqkHKYvi1-ruOZ4AaABAg")
    assert row["actor"] == "uczj-cjkymglz7vtl-voe57a"  # channel id (handles are lower-cased)
    assert row["actor_name"] == "himani agarwal" and row["target"] == "F1UP7wRCPH8"
    assert row["text"] == "Google.com" and row["target_kind"] == "video"
    replies = inspect_file(
        REALDATA / "youtube-data-api-sns-sdks/apidata/comments/comments_by_parent_paged_1.json"
    ).events
    assert set(replies["kind"]) == {"reply"} and replies["parent"].null_count() == 0


def test_discord_dce_files_with_spaces_and_brackets() -> None:
    files = sorted((REALDATA / "discord-dce-example-guild").rglob("*.json"))
    assert len(files) == 4
    reads = [inspect_file(f) for f in files]
    assert {r.report.reader for r in reads} == {"discord-dce"}
    events = pl.concat([r.events for r in reads])
    messages = events.filter(pl.col("kind").is_in(["post", "reply"]))
    assert messages.height == 47  # 51 messages, 4 of them system messages (joins, thread created)
    assert any("4 system messages" in n for r in reads for n in r.report.notes)
    assert messages["event_id"].n_unique() == 42  # the two chill-talk copies overlap
    general = next(
        r for r in reads if "general [" in r.report.path and "_threads" not in r.report.path
    )
    reply = one(general.events, "discord:1060926395313827840")
    assert reply["kind"] == "reply" and reply["parent"] == "1060926346089476176"
    assert reply["actor"] == "patrick#0070" and reply["target"] == "1012224565567721552"


@pytest.mark.slow
def test_mastodon_outbox_likes_actor() -> None:
    folder = REALDATA / "mastodon-account-archive"
    outbox = inspect_file(folder / "outbox.json")
    assert outbox.report.reader == "mastodon-archive"
    k = kinds(outbox.events)
    assert k["post"] + k["reply"] == 1260 and k["share"] == 326 and k["reply"] == 422
    assert k["mention"] == 329
    assert set(outbox.events["actor"].unique()) == {"dealingwith@indieweb.social"}
    share = outbox.events.filter(pl.col("kind") == "share").row(0, named=True)
    assert share["target"].startswith("https://") and share["text"] is None
    likes = inspect_file(folder / "likes.json")
    assert kinds(likes.events) == {"like": 1115}
    assert set(likes.events["actor"].unique()) == {"dealingwith@indieweb.social"}  # from actor.json
    actor = inspect_file(folder / "actor.json")
    assert actor.events.height == 0 and actor.accounts["actor"].to_list() == [
        "dealingwith@indieweb.social"
    ]


def test_bluesky_search_posts() -> None:
    r = inspect_file(REALDATA / "bluesky-searchposts" / "searchPosts_league_of_legends.json")
    assert r.report.reader == "bluesky-posts"
    posts = r.events.filter(pl.col("kind") != "mention")
    assert posts.height == 998 and posts["actor"].n_unique() == 859
    assert kinds(r.events) == {"mention": 29, "post": 658, "reply": 293, "share": 47}
    assert r.events["created_at"].null_count() == 0  # mixed Z / +09:00 offsets all parse
    row = one(
        r.events, "bluesky:at://did:plc:fcyml3gneo4d4q7pru4ip7vk/app.bsky.feed.post/3ld6d7e4z722h"
    )
    assert row["actor"] == "oryuumi.bsky.social" and row["actor_name"] == "Oryuumi💤"


def test_facebook_graph_comments_without_author() -> None:
    base = REALDATA / "meta-graph-api-sns-sdks" / "facebook" / "apidata"
    path = base / "comments" / "comments_p1.json"
    r = inspect_file(path)
    assert r.report.reader == "facebook-graph"
    # no 'from' (a page token hides commenters): no actor, so skipped and counted (issue 9)
    assert r.events.height == 0 and r.report.skip_reasons == {"no actor": 10}
    assert any("no 'from'" in n for n in r.report.notes)
    parsed = pl.DataFrame(facebook.parse_graph_doc(load_json(path), display="f").events)
    assert parsed["kind"].value_counts().sort("kind").rows() == [("comment", 6), ("reply", 4)]
    assert set(parsed["target"]) == {"19292868552_10158407654328553"}
    assert parsed["created_at"][0] == "2021-08-10T18:45:03+0000"
    feed_path = base / "groups" / "feed_p1.json"
    assert inspect_file(feed_path).report.skip_reasons == {"no actor": 5}  # no 'from' either
    feed = pl.DataFrame(facebook.parse_graph_doc(load_json(feed_path), display="f").events)
    assert kinds(feed) == {"post": 5} and set(feed["target"]) == {"2260975870792283"}


def test_instagram_graph_comments_mentions_tags() -> None:
    base = REALDATA / "meta-graph-api-sns-sdks" / "instagram" / "apidata"
    comments = inspect_file(base / "comments" / "comments_fields.json").events
    assert comments["actor"].to_list() == ["ikroskun", "lixiangguodu123"]
    path = base / "medias" / "comments_p1.json"  # no usernames: skipped as "no actor"
    doc = load_json(path)
    media_comments = pl.DataFrame(instagram.parse_graph_doc(doc, tags=False, display="f").events)
    assert set(media_comments["target"]) == {"17846368219941692"}  # media id from paging.next
    mention = inspect_file(base / "users" / "mentioned_comment.json").events.row(0, named=True)
    assert (mention["kind"], mention["actor"], mention["target"]) == (
        "mention",
        "ikroskun",
        "17841406338772941",
    )
    tagged = base / "users" / "tagged_medias.json"  # fetched without the username field
    assert inspect_file(tagged).report.skip_reasons == {"no actor": 5}
    tags = instagram.parse_graph_doc(load_json(tagged), tags=True, display="f").events
    assert [e["kind"] for e in tags] == ["tag"] * 5
    top = inspect_file(base / "hashtags" / "hashtag_top_medias_p1.json")
    # hashtag search hides who posted: 25 media read, each skipped as "no actor" (issue 9)
    assert top.report.reader == "instagram-graph" and top.report.skip_reasons == {"no actor": 25}
    assert any("25 records have no username (hashtag search" in n for n in top.report.notes)
