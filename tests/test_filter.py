"""Filter stage (issue 8): spam flagged per event and per account, with reasons, at detect time.

The judged check runs the real, hand-labelled YouTube comments through ingest → detect and
scores what the filter set aside against the labels.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from microcomm.config import Config, FilterConfig
from microcomm.filter import drop_filtered, flag_events
from microcomm.filter.promo import promo_flags
from microcomm.pipeline import run_detect, run_ingest
from microcomm.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PSY = SHARED / "realdata" / "youtube-spam-psy" / "Youtube01-Psy.csv"
MAPPING = Path(__file__).parent / "data" / "filter" / "youtube-spam-collection.yaml"
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def events(rows: list[tuple[str, str, str, str | None]], *, gap: int = 3600) -> pl.DataFrame:
    """(event_id, actor, kind, text) rows, an hour apart unless ``gap`` says otherwise."""
    return pl.DataFrame(
        {
            "event_id": [r[0] for r in rows],
            "platform": "instagram",
            "actor": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "text": [r[3] for r in rows],
            "created_at": [T0 + timedelta(seconds=gap * i) for i in range(len(rows))],
        }
    )


@pytest.mark.skipif(not PSY.exists(), reason="shared/realdata/youtube-spam-psy is not present")
def test_real_youtube_spam_precision_and_recall(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    run_ingest([PSY], store=store, mapping=MAPPING)
    result = run_detect(store=store)
    filtered = store.filtered()
    labels = pl.read_csv(PSY).select(
        pl.concat_str([pl.lit("youtube:"), pl.col("COMMENT_ID")]).alias("event_id"), "label"
    )
    scored = labels.with_columns(
        pl.col("event_id").is_in(filtered["event_id"].implode()).alias("flagged")
    )
    tp = scored.filter(pl.col("flagged") & (pl.col("label") == 1)).height
    fp = scored.filter(pl.col("flagged") & (pl.col("label") == 0)).height
    fn = scored.filter(~pl.col("flagged") & (pl.col("label") == 1)).height
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95 and recall >= 0.90, (precision, recall, tp, fp, fn)
    assert result.filtered["events"] == filtered.height >= tp
    # Every set-aside row says why, in words.
    assert filtered["reason"].null_count() == 0 and filtered["reason"].str.len_chars().min() > 10
    # Spam authors are out of every community.
    spam_authors = set(filtered.filter(pl.col("account_reason").is_not_null())["actor"])
    assert spam_authors and not spam_authors & set(store.communities()["actor"])


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Check out my channel for daily climbing vlogs!", "promo.self"),
        ("pls sub to me, I sub back", "promo.trade"),
        ("Subscribe to my channel guys", "promo.subscribe"),
        ("DM me to earn $500 a week from home with crypto", "promo.money"),
        ("Get FREE gift cards here", "promo.money"),
        ("Want cheap followers? https://growfast.example.io/?ref=991", "promo.referral"),
        ("https://cheap-shoes.example.com/sale", "promo.link_only"),
        ("Vote for us please http://contest.example.net/v/77", "promo.link_cta"),
        ("f4f l4l", "promo.trade"),
        ("I'm a new singer, please listen and tell me what you think", "promo.self"),
    ],
)
def test_promotional_spam_in_other_words(text: str, rule: str) -> None:
    got = promo_flags(events([("e", "a", "comment", text)]))
    assert got["rule"].to_list() == [rule], got


@pytest.mark.parametrize(
    "text",
    [
        "Love this jacket, the zipper is so much better than last year's",
        "When is the Lyon store opening? Can't wait to check it out",
        "Just came to check the views lol",
        "this song never gets old, 2 billion views!",
        "He made so much money from this video",
        "Like if you're watching in 2026",
        "the review is here https://www.outdoorgearlab.example.com/reviews/kestrel-shell and it's fair",
        "I subscribed to their newsletter and got the discount, nice",
        "Follow-up question: does it come in blue?",
    ],
)
def test_ordinary_comments_are_not_promotional(text: str) -> None:
    assert promo_flags(events([("e", "a", "comment", text)])).height == 0


def test_own_post_may_promote_but_money_schemes_are_spam_anywhere() -> None:
    got = promo_flags(
        events(
            [
                ("p1", "a", "post", "Check out my new video on the Tour du Mont Blanc"),
                ("p2", "b", "post", "Make easy money from home, DM me to earn"),
            ]
        )
    )
    assert got.select("event_id", "rule").rows() == [("p2", "promo.money")]


def test_copy_paste_ring_needs_long_text_from_several_accounts() -> None:
    ring = "everyone should read the terms again because this company hides the real fees"
    rows = [
        (f"r{i}", f"bot{i}", "comment", ring.replace("again", f"again {i}") + "!!")
        for i in range(4)
    ]
    rows += [(f"s{i}", f"fan{i}", "comment", "love this so much") for i in range(6)]  # short
    rows += [("x1", "solo", "comment", ring), ("x2", "solo", "comment", ring)]  # one account
    got = flag_events(events(rows), config=FilterConfig(account_share=1.0))
    ring_rows = got.filter(pl.col("rule") == "ring")
    assert sorted(ring_rows["event_id"]) == ["r0", "r1", "r2", "r3", "x1", "x2"]
    assert ring_rows["reason"][0] == "copy-paste ring: near-identical text posted by 5 accounts"


def test_giveaway_tagging_and_reply_syntax() -> None:
    rows = [
        ("g1", "farm", "comment", "@ann @bob @cy"),
        ("g2", "farm", "comment", "@dee @eve 🎁🎁"),
        ("r1", "fan", "reply", "@ann @bob you're both right, the blue one is better"),
        ("t1", "fan2", "comment", "@ann look at this"),
    ]
    got = flag_events(events(rows))
    assert got.filter(pl.col("scope") == "event").select("event_id", "rule").rows() == [
        ("g1", "giveaway"),
        ("g2", "giveaway"),
    ]


def test_coordinated_link_bursts_need_repetition() -> None:
    rows = []
    for link in range(2):  # four accounts post the same two links seconds apart
        rows += [
            (f"b{link}{a}", f"bot{a}", "post", f"wow https://news.example.org/s{link}")
            for a in range(4)
        ]
    gap = [
        (f"f{a}", f"fan{a}", "post", "read https://news.example.org/big") for a in range(5)
    ]  # one popular link, one burst: not coordination
    ev = pl.concat(
        [
            events(rows[:4], gap=5),
            events(rows[4:], gap=5).with_columns(pl.col("created_at") + timedelta(days=1)),
            events(gap, gap=5).with_columns(pl.col("created_at") + timedelta(days=2)),
        ]
    )
    got = flag_events(ev)
    assert set(got.filter(pl.col("rule") == "coordinated")["actor"]) == {
        f"bot{a}" for a in range(4)
    }
    assert "4 accounts shared news.example.org/s0 within 60 s" in got["reason"][0]


def test_loud_accounts_are_flagged_whole_and_brands_never() -> None:
    rows = [(f"l{i}", "flooder", "comment", f"wow nice {i}") for i in range(60)]
    rows += [(f"k{i}", "kestrel", "comment", f"thanks for the love {i}") for i in range(60)]
    rows += [("n1", "fan", "comment", "nice trail")]
    got = flag_events(events(rows, gap=30), exempt=["@Kestrel"])
    assert set(got["actor"]) == {"flooder"}
    assert got["reason"][0] == "loud account: 60 messages within one hour"
    assert set(got["scope"]) == {"account"}


def test_a_fan_repeating_the_audiences_idiom_is_not_loud() -> None:
    """"love this" on 15 posts is what fans write (25 accounts write it); the same private
    message 12 times is flooding. Sparse planted audiences lost 7 % of their accounts to this
    rule before (NMI 0.887 → 0.841)."""
    rows = [(f"f{i}", "superfan", "comment", "Love this!") for i in range(15)]
    rows += [(f"o{i}", f"other{i}", "comment", "love this") for i in range(24)]
    rows += [(f"c{i}", "copier", "comment", "where is my refund, answer me") for i in range(12)]
    got = flag_events(events(rows))
    assert got.filter(pl.col("scope") == "account")["actor"].unique().to_list() == ["copier"]
    assert "posted the same message 12 times" in got.filter(pl.col("actor") == "copier")["reason"][0]


def test_spam_accounts_lose_all_events_and_are_no_ones_context() -> None:
    rows = [
        ("s1", "spammer", "comment", "subscribe to my channel!!"),
        ("s2", "spammer", "like", None),
        ("n1", "fan", "comment", "great trail"),
    ]
    ev = events(rows).with_columns(
        pl.Series("target", ["p1", "p1", "p1"]), pl.lit("post").alias("target_kind")
    )
    ev = pl.concat(
        [
            ev,
            events([("f1", "fan", "follow", None)]).with_columns(
                pl.lit("spammer").alias("target"), pl.lit("account").alias("target_kind")
            ),
        ]
    )
    filtered = flag_events(ev)
    assert filtered.select("event_id", "scope").rows() == [("s1", "event"), ("s2", "account")]
    ents = pl.DataFrame({"event_id": ["n1", "s1"], "actor": ["fan", "spammer"],
                         "type": ["mention", "keyword"], "value": ["spammer", "channel"]})  # fmt: skip
    kept, kept_ents = drop_filtered(ev, ents, filtered)
    assert kept["event_id"].to_list() == ["n1"] and kept_ents.height == 0


def test_keep_spam_turns_the_filter_off(tmp_path: Path) -> None:
    assert flag_events(
        events([("s1", "a", "comment", "subscribe to me")]), config=FilterConfig(keep_spam=True)
    ).is_empty()
    assert Config().override("filter", keep_spam=True).filter.keep_spam


def test_same_flags_in_any_row_order() -> None:
    from microcomm.synth import generate_audience

    ev = generate_audience(6_000, n_communities=4, seed=4).events
    extra = events(
        [(f"c{i}", f"copy{i % 7}", "comment", f"the same long message about refunds again {i % 3} ok")
         for i in range(40)]
    )  # fmt: skip
    ev = pl.concat([ev, extra], how="diagonal_relaxed").with_columns(
        pl.col("created_at").dt.cast_time_unit("us")
    )
    base = flag_events(ev)
    assert base.height > 100 and set(base["rule"]) >= {"ring", "loud"}
    for seed in (1, 2, 3):
        shuffled = flag_events(ev.sample(fraction=1.0, shuffle=True, seed=seed))
        assert shuffled.equals(base)
