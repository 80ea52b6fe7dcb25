"""Profile functions on hand-built tables with known answers (exact rows)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from microcomm.profiles import (
    activity_peaks,
    activity_slots,
    answer_profiles,
    bio_features,
    bridges,
    distinctive_interests,
    engaged_accounts,
    hierarchy,
    label_for,
    load_lexicon,
    location_features,
    participation,
    platform_mix,
    score_messages,
    split_accounts,
    voice_examples,
    voice_summary,
)

MEMBERS = pl.DataFrame({"actor": ["a", "b", "c", "d", "e", "f"], "community": [0, 0, 0, 1, 1, 1]})


def test_loud_account_counts_once_and_shared_tags_sink() -> None:
    rows = [("a", "vegan"), ("b", "vegan"), ("d", "run"), ("e", "run"), ("f", "run")]
    rows += [("c", "spam")] * 300  # one loud account
    rows += [(x, "brand") for x in "abcdef"]  # everybody's tag
    f = pl.DataFrame(rows, schema=["actor", "value"], orient="row").with_columns(
        pl.lit("hashtag").alias("type")
    )
    out = distinctive_interests(f, MEMBERS, prior=0.5, min_members=2)
    zero = out.filter(pl.col("community") == 0)
    assert zero["value"].to_list() == ["vegan", "brand"]  # spam: one member, not ranked
    assert zero.row(0, named=True)["members"] == 2
    assert zero.row(0, named=True)["share_in"] == pytest.approx(2 / 3)
    assert zero.row(0, named=True)["share_out"] == 0.0
    brand = zero.row(1, named=True)
    assert brand["score"] < 0.5 < zero.row(0, named=True)["score"]


def test_bio_and_location_features() -> None:
    acc = pl.DataFrame({"actor": ["a", "b"], "bio": ["Climbing mum. #Crag", None]})
    assert sorted(bio_features(acc).rows()) == [
        ("a", "bio", "climbing"),
        ("a", "bio", "crag"),
        ("a", "bio", "mum"),
    ]
    assert bio_features(pl.DataFrame({"actor": ["a"]})).height == 0
    ev = pl.DataFrame({"actor": ["a", "a", "b"], "location": [" Lyon", "Lyon", None]})
    assert location_features(ev).rows() == [("a", "location", "Lyon")]


def test_engaged_accounts_and_split() -> None:
    ev = pl.DataFrame(
        {
            "event_id": ["x:1", "x:2", "x:3", "x:4", "x:5"],
            "platform": ["x"] * 5,
            "kind": ["post", "comment", "like", "follow", "dm"],
            "actor": ["c", "a", "d", "b", "a"],
            "target": ["brand", "1", "1", "c", "brand"],
            "target_kind": ["account", "post", "post", "account", "account"],
        }
    )
    ent = pl.DataFrame({"actor": ["a", "a"], "type": ["mention", "hashtag"], "value": ["out", "x"]})
    got = engaged_accounts(ev, ent).sort(["actor", "value"]).rows()
    assert got == [
        ("a", "account", "brand"),
        ("a", "account", "c"),
        ("a", "account", "out"),
        ("b", "account", "c"),
        ("c", "account", "brand"),
        ("d", "account", "c"),
    ]
    scored = pl.DataFrame(
        {"community": [0, 0], "value": ["c", "out"], "members": [2, 2], "score": [3.0, 2.0]}
    )
    creators, outside = split_accounts(scored, MEMBERS)
    assert creators["value"].to_list() == ["c"]
    assert outside.select("value", "home").rows() == [("out", None)]


def test_participation_exact() -> None:
    edges = pl.DataFrame(
        {
            "source": ["a", "a", "b", "a"],
            "target": ["b", "c", "c", "d"],
            "weight": [1.0, 1.0, 1.0, 2.0],
        }
    )
    part = participation(edges, MEMBERS).filter(pl.col("actor") == "a").row(0, named=True)
    # a: 2 inside (b, c), 2 to community 1 (d) → P = 1 − (½² + ½²) = ½.
    assert part["participation"] == pytest.approx(0.5)
    assert (part["inside"], part["other"], part["other_share"]) == (0.5, 1, 0.5)
    assert part["expected"] == pytest.approx(2 / 8)  # community 0's weight: 6 inside, 2 out


def test_bridges_count_engagement_on_both_sides() -> None:
    # Posts p0-p2 belong to community 0 (a, b, c engage), q0-q2 to community 1 (d, e, f).
    rows = [(m, f"p{i}") for m in "abc" for i in range(3)]
    rows += [(m, f"q{i}") for m in "def" for i in range(3)]
    rows += [("a", "q0"), ("a", "q1"), ("b", "q0")]  # a: 3 own + 2 other; b: 3 own + 1 other
    ev = pl.DataFrame(rows, schema=["actor", "target"], orient="row").with_columns(
        pl.lit("x").alias("platform")
    )
    assert bridges(ev, MEMBERS)["actor"].to_list() == ["a"]  # b: one engagement outside
    out = bridges(ev, MEMBERS, min_balance=0.25, min_side=1)
    assert out.select("community", "actor", "own", "other_community", "other", "total").rows() == [
        (0, "a", 3, 1, 2, 5),
        (0, "b", 3, 1, 1, 4),
    ]
    assert out["bridge"].to_list() == pytest.approx([2 * 3 * 2 / 5, 2 * 3 * 1 / 4])
    assert bridges(ev, MEMBERS, min_balance=0.3, min_side=1)["actor"].to_list() == ["a"]


def test_activity_slots_and_peaks_with_timezone() -> None:
    t = [datetime(2026, 9, 5, 7, 10, tzinfo=UTC)] * 3 + [
        datetime(2026, 9, 7, 12, 0, tzinfo=UTC)
    ] * 3
    ev = pl.DataFrame({"actor": ["a", "b", "d", "a", "e", "f"], "created_at": t})
    slots = activity_slots(ev)
    assert sorted(slots.rows()) == [
        ("a", 12),
        ("a", 127),
        ("b", 127),
        ("d", 127),
        ("e", 12),
        ("f", 12),
    ]
    peaks = activity_peaks(slots, MEMBERS, audience_size=6, top=1)
    assert peaks.rows() == [
        (0, 127, 5, 7, 2, pytest.approx(2 / 3), 0.5, pytest.approx(4 / 3)),
        (1, 12, 0, 12, 2, pytest.approx(2 / 3), 0.5, pytest.approx(4 / 3)),
    ]
    paris = activity_slots(ev, timezone="Europe/Paris")  # CEST: +2 h
    assert sorted(paris["slot"].unique().to_list()) == [14, 129]


def test_platform_mix_weighs_every_account_the_same() -> None:
    ev = pl.DataFrame({"actor": ["a"] * 9 + ["b", "d"], "platform": ["x"] * 9 + ["reddit", "x"]})
    mix = platform_mix(ev, MEMBERS).filter(pl.col("community") == 0)
    # a (9 events on x) and b (1 on reddit) weigh one account each.
    assert mix.select("platform", "share_in").rows() == [("reddit", 0.5), ("x", 0.5)]
    assert mix["share_all"].to_list() == pytest.approx([1 / 3, 2 / 3])


def _msgs(texts: list[str], actors: list[str] | None = None) -> pl.DataFrame:
    n = len(texts)
    return pl.DataFrame(
        {
            "event_id": [str(i) for i in range(n)],
            "actor": actors or ["a"] * n,
            "kind": ["dm"] * n,
            "platform": ["instagram"] * n,
            "text": texts,
            "created_at": [datetime(2026, 9, 1, tzinfo=UTC)] * n,
        }
    )


def test_score_messages_tone_negation_questions_requests() -> None:
    lex = pl.DataFrame({"word": ["love", "happy", "terrible"], "valence": [3.2, 2.7, -2.1]})
    texts = [
        "I love it",
        "not happy at all",
        "never ever really happy",  # negator three words back still flips
        "terrible zipper",
        "#love this",  # a hashtag is a topic, not a feeling
        "when is the restock?",
        "please open a store in Lyon",
        "what a day",
        "ok",
    ]
    out = score_messages(_msgs(texts), lex)
    assert out["compound"].to_list() == [0.637, -0.458, -0.458, -0.477, 0.0, 0.0, 0.0, 0.0, 0.0]
    # Scored = in a language the scorer knows (issue 8): all English here, neutral or not.
    assert out["scored"].to_list() == [True] * 9
    assert out["question"].to_list() == [False] * 5 + [True, False, False, False]
    assert out["request"].to_list() == [False] * 5 + [True, True, False, False]
    comments = _msgs(["love"]).with_columns(pl.lit("like").alias("kind"))
    assert score_messages(comments, lex).height == 0  # likes carry no message


def test_voice_summary_and_examples() -> None:
    lex, _ = load_lexicon()
    texts = [
        "open a store in Lyon please",
        "open a store in Lyon please",
        "broken zipper, terrible",
        "love it",
        "see you",
    ]
    msgs = score_messages(_msgs(texts, ["a", "b", "c", "a", "d"]), lex)
    summary = voice_summary(msgs, MEMBERS)
    assert summary.select("community", "messages", "authors", "requests").rows() == [
        (0, 4, 3, 2),
        (1, 1, 1, 0),
    ]
    assert voice_examples(msgs, MEMBERS, per=2, min_senders=1).height == 0  # DMs: never quoted
    msgs = msgs.with_columns(pl.lit("comment").alias("kind"))
    ex = voice_examples(msgs, MEMBERS, per=2, min_senders=1)
    assert ex.select("community", "category", "text", "senders").rows() == [
        (0, "request", "open a store in Lyon please", 2),
        (0, "complaint", "broken zipper, terrible", 1),
        (0, "praise", "love it", 1),
    ]
    # small-cell suppression (issue 9): only texts at least min_senders accounts sent
    two = voice_examples(msgs, MEMBERS, per=2, min_senders=2)
    assert two["text"].to_list() == ["open a store in Lyon please"]
    assert voice_examples(msgs, MEMBERS, per=2).height == 0  # default k = 3


def test_answer_profiles_exact() -> None:
    answers = pl.DataFrame(
        {
            "actor": ["a", "b", "c", "d", "e", "f", "a"],
            "question": ["Q"] * 6 + ["R"],
            "answer": ["tents", "tents", "kids", "kids", "kids", "kids", "yes"],
        }
    )
    out = answer_profiles(answers, MEMBERS)
    rows = out.select(
        "community", "question", "answer", "members", "respondents", "share_in", "share_all"
    )
    assert rows.rows() == [
        (0, "Q", "tents", 2, 3, pytest.approx(2 / 3), pytest.approx(2 / 6)),
        (1, "Q", "kids", 3, 3, 1.0, pytest.approx(4 / 6)),
    ]
    assert out["score"].to_list()[0] > 0


def test_hierarchy_and_labels() -> None:
    comms = pl.DataFrame(
        {
            "actor": list("abcd") * 2,
            "community": [0, 0, 1, 1, 0, 0, 0, 0],
            "level": [0] * 4 + [1] * 4,
        }
    )
    assert hierarchy(comms).rows() == [(0, 0), (1, 0)]
    ints = pl.DataFrame(
        {
            "community": [0, 0, 0, 0],
            "type": ["hashtag", "domain", "mention", "keyword"],
            "value": ["vanlife", "x.com", "roamvans", "solar"],
            "score": [9.0, 8.0, 7.0, 6.0],
        }
    )
    assert label_for(ints).rows() == [(0, "#vanlife · @roamvans · solar")]


def test_label_falls_back_to_domains_when_no_tags_or_words() -> None:
    from microcomm.profiles import label_for

    interests = pl.DataFrame(
        {
            "community": [0, 0, 1],
            "type": ["domain", "hashtag", "domain"],
            "value": ["a.com", "x", "i.imgur.com"],
            "score": [9.0, 3.0, 5.0],
        }
    )
    assert label_for(interests).sort("community").rows() == [(0, "#x · a.com"), (1, "i.imgur.com")]
