"""Polls as community-level attributes (issue 3): exact rows per reader, latest counts on
re-ingest, never in the graph, attached to the right community in the report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from microcomm.config import ReportConfig
from microcomm.errors import InputError
from microcomm.graph import build_graph
from microcomm.ingest import FileReport, ReadContext, ingest_files
from microcomm.ingest.registry import get_reader
from microcomm.pipeline import load_report_inputs
from microcomm.report import build_report, to_markdown
from microcomm.schema import POLLS
from microcomm.store import Store

POLLS_DIR = Path(__file__).parent / "data" / "readers" / "polls"
REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"
COLS = ["poll_id", "platform", "context", "author", "question", "option", "votes"]


def _polls(path: Path, store_dir: Path) -> pl.DataFrame:
    store = Store(store_dir)
    ingest_files([path], store)
    return store.polls()


def _rows(df: pl.DataFrame) -> list[tuple]:
    return df.select(COLS).rows()


def test_x_v2_page_poll_rows(tmp_path: Path) -> None:
    polls = _polls(POLLS_DIR / "x_v2_poll_page.jsonl", tmp_path / "s")
    assert polls.schema == pl.Schema(POLLS)
    # options in position order; context = the tweet carrying the poll; question = its text
    assert _rows(polls) == [
        ("x:1699999999999999001", "x", "1700000000000000001", "kestreloutdoor",
         "Which trail next weekend?", "Ridge loop", 30),
        ("x:1699999999999999001", "x", "1700000000000000001", "kestreloutdoor",
         "Which trail next weekend?", "Coast path", 12),
    ]  # fmt: skip
    assert polls["created_at"].to_list() == [datetime(2024, 3, 1, 10, tzinfo=UTC)] * 2


def test_x_v2_flattened_poll_rows(tmp_path: Path) -> None:
    polls = _polls(POLLS_DIR / "x_v2_poll_flat.jsonl", tmp_path / "s")
    assert _rows(polls) == [
        ("x:1699999999999999002", "x", "1700000000000000003", "rockyowl",
         "Coffee or tea at camp?", "Coffee", 5),
        ("x:1699999999999999002", "x", "1700000000000000003", "rockyowl",
         "Coffee or tea at camp?", "Tea", 2),
    ]  # fmt: skip


def test_discord_dce_poll_rows(tmp_path: Path) -> None:
    polls = _polls(POLLS_DIR / "Kestrel club - trips [901].json", tmp_path / "s")
    # an answer left out of results has 0 votes; context = the channel
    assert _rows(polls) == [
        ("discord:9101", "discord", "901", "mara", "Where should we camp in June?", "Lake Ona", 7),
        ("discord:9101", "discord", "901", "mara", "Where should we camp in June?", "Pine ridge", 3),
        ("discord:9101", "discord", "901", "mara", "Where should we camp in June?",
         "Anywhere with shade", 0),
    ]  # fmt: skip
    assert polls["created_at"].to_list() == [datetime(2024, 5, 1, 12, tzinfo=UTC)] * 3


def test_mastodon_archive_question_rows(tmp_path: Path) -> None:
    polls = _polls(POLLS_DIR / "mastodon_archive", tmp_path / "s")
    uri = "https://fedi.example/users/mara/statuses/501"
    assert _rows(polls) == [
        (f"mastodon:{uri}", "mastodon", uri, "mara@fedi.example",
         "Best season for the #ridge?", "Spring", 4),
        (f"mastodon:{uri}", "mastodon", uri, "mara@fedi.example",
         "Best season for the #ridge?", "Autumn", 6),
    ]  # fmt: skip


def test_mastodon_api_poll_rows(tmp_path: Path) -> None:
    polls = _polls(POLLS_DIR / "mastodon_api_polls.json", tmp_path / "s")
    u1 = "https://social.example/users/rockyowl/statuses/111"
    u2 = "https://social.example/users/rockyowl/statuses/112"
    a = "rockyowl@social.example"
    assert _rows(polls) == [
        (f"mastodon:{u1}", "mastodon", u1, a, "Tent or hammock?", "Tent", 8),
        (f"mastodon:{u1}", "mastodon", u1, a, "Tent or hammock?", "Hammock", 3),
        (f"mastodon:{u2}", "mastodon", u2, a, "Which stove?", "Gas", None),  # hidden until closed
        (f"mastodon:{u2}", "mastodon", u2, a, "Which stove?", "Wood", None),
    ]


def test_reader_notes_say_polls_are_kept(tmp_path: Path) -> None:
    result = ingest_files([POLLS_DIR], Store(tmp_path / "s"))
    notes = {f.path.rsplit("/", 1)[-1]: f.notes for f in result.files}
    kept = "kept as community-level attributes (vote counts, no voters)"
    assert any(kept in n for n in notes["x_v2_poll_page.jsonl"])
    assert any(n.startswith("2 polls " + kept) for n in notes["mastodon_api_polls.json"])
    assert not any("counts only" in n for ns in notes.values() for n in ns)


def test_reingest_keeps_latest_counts(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    ingest_files([POLLS_DIR / "x_v2_poll_page.jsonl"], store)
    later = json.loads((POLLS_DIR / "x_v2_poll_page.jsonl").read_text())
    later["includes"]["polls"][0]["options"][0]["votes"] = 50  # Coast path, counted later
    path = tmp_path / "later.jsonl"
    path.write_text(json.dumps(later) + "\n")
    ingest_files([path], store)
    assert store.read("polls").height == 4  # both ingests are stored…
    polls = store.polls()  # …but one set of counts is read back: the latest
    assert polls.select("option", "votes").rows() == [("Ridge loop", 30), ("Coast path", 50)]
    # the same file again adds nothing
    ingest_files([path], store)
    assert store.read("polls").height == 4


def test_failed_ingest_stores_no_poll(tmp_path: Path) -> None:
    # the poll file is read and staged first, then the ingest fails: nothing may land
    unknown = tmp_path / "notes.txt"
    unknown.write_text("just some words\n")
    store = Store(tmp_path / "s")
    with pytest.raises(InputError, match="not a format microcomm knows"):
        ingest_files([POLLS_DIR / "x_v2_poll_page.jsonl", unknown], store)
    assert store.polls().height == 0


def test_polls_never_enter_the_graph(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    ingest_files([POLLS_DIR], store)
    events, entities = store.read("events"), store.read("entities")
    assert store.polls()["votes"].sum() == 80  # 80 votes that must tie nobody
    inc, graph = build_graph(events, entities)
    # The contexts are the events' own (posts replied to, the channel, a mention, a hashtag):
    # no X or Discord poll id, no option. The Mastodon status is there because a reply targets
    # it, not because it holds a poll.
    assert sorted(inc.contexts.tolist()) == [
        "#ridge",
        "@kestreloutdoor",
        "discord:901",
        "mastodon:https://fedi.example/users/mara/statuses/501",
        "x:1700000000000000001",
    ]
    edges = [(graph.actors[a], graph.actors[b]) for a, b in zip(graph.src, graph.dst, strict=True)]
    # Their two messages in channel 901, and sunnyfox's mention of kestreloutdoor (an account
    # is in its own @context), nothing else.
    assert edges == [("kestreloutdoor", "sunnyfox"), ("mara", "sunnyfox")]
    assert events.filter(pl.col("kind") == "poll_answer").height == 0
    assert not events["event_id"].is_in(["x:1699999999999999001", "x:1699999999999999002"]).any()


def _tiny_store(root: Path) -> Store:
    """Two communities: a, b, c on X around tweet t1 (a's poll); d, e, f in Discord channel 9."""
    store = Store(root)
    t = datetime(2024, 5, 1, 12, tzinfo=UTC)
    ev = [
        ("x:1", "x", "post", "a", None),
        ("x:2", "x", "reply", "b", "t1"),
        ("x:3", "x", "reply", "c", "t1"),
        ("x:4", "x", "reply", "d", "t1"),  # one outsider engages with the X poll too
        ("discord:5", "discord", "post", "e", "9"),
        ("discord:6", "discord", "post", "f", "9"),
        ("discord:7", "discord", "post", "d", "9"),
    ]
    events = pl.DataFrame(
        [{"event_id": i, "platform": p, "kind": k, "actor": a, "target": tg, "text": "hi",
          "created_at": t} for i, p, k, a, tg in ev]
    )  # fmt: skip
    polls = pl.DataFrame(
        {
            "poll_id": ["x:p1", "x:p1", "discord:m1", "discord:m1"],
            "platform": ["x", "x", "discord", "discord"],
            "context": ["t1", "t1", "9", "9"],
            "author": ["a", "a", "f", "f"],
            "question": ["Ridge or coast?", "Ridge or coast?", "Camp where?", "Camp where?"],
            "option": ["Ridge", "Coast", "Lake", "Pines"],
            "votes": [30, 10, 4, 1],
        }
    )
    comms = pl.DataFrame(
        {
            "actor": list("abcdef"),
            "community": [0, 0, 0, 1, 1, 1],
            "level": [0] * 6,
            "method": ["louvain"] * 6,
            "strength": [1.0] * 6,
            "centrality": [1.0] * 6,
        }
    )
    with store.transaction() as txn:
        txn.add("events", events)
        txn.add("polls", polls)
        txn.set_run({"run_id": "r1", "method": "louvain", "engine": "test", "seed": 0}, comms)
    return store


def test_report_attaches_polls_to_the_right_community(tmp_path: Path) -> None:
    store = _tiny_store(tmp_path / "s")
    report = build_report(load_report_inputs(store), config=ReportConfig(min_size=1))
    by_id = {c["id"]: c for c in report["communities"]}
    assert by_id[0]["polls"] == [
        {
            "poll_id": "x:p1",
            "platform": "x",
            "question": "Ridge or coast?",
            "options": [
                {"option": "Ridge", "votes": 30, "share": 0.75},
                {"option": "Coast", "votes": 10, "share": 0.25},
            ],
            "total_votes": 40,
            "members": 3,  # a (author), b, c
            "engagers": 4,  # and d, from the other community
            "share": 0.75,
        }
    ]
    # community 1: its own Discord poll first (3 members), then the X poll d replied to
    assert [(p["poll_id"], p["members"], p["engagers"]) for p in by_id[1]["polls"]] == [
        ("discord:m1", 3, 3),
        ("x:p1", 1, 4),
    ]
    assert report["audience"]["polls"] == 2
    assert any("voters are unknown" in n and "never create ties" in n for n in report["notes"])
    md = to_markdown(report)
    assert md.count("### Polls they took part in") == 2
    assert "- **Ridge or coast?** (x): Ridge 30 (75%), Coast 10 (25%); 40 votes." in md
    assert md.index("### Polls they took part in") > md.index("## 0.")
    # --top limits the list
    top1 = build_report(load_report_inputs(store), config=ReportConfig(min_size=1, top=1))
    assert [p["poll_id"] for p in {c["id"]: c for c in top1["communities"]}[1]["polls"]] == [
        "discord:m1"
    ]


def test_report_without_polls_has_no_section(tmp_path: Path) -> None:
    store = _tiny_store(tmp_path / "s")
    with store.transaction():
        pass
    manifest = json.loads(store.manifest_path.read_text())
    manifest["tables"].pop("polls")
    store.manifest_path.write_text(json.dumps(manifest))
    report = build_report(load_report_inputs(store), config=ReportConfig(min_size=1))
    assert all(c["polls"] == [] for c in report["communities"])
    assert "Polls they took part in" not in to_markdown(report)
    assert not any("polls:" in n for n in report["notes"])


def test_terminal_summary_line(tmp_path: Path) -> None:
    from rich.console import Console

    from microcomm.cli.render import report_terminal

    store = _tiny_store(tmp_path / "s")
    report = build_report(load_report_inputs(store), config=ReportConfig(min_size=1))
    console = Console(record=True, width=200, color_system=None)
    report_terminal(console, report)
    text = console.export_text()
    assert "polls: Ridge or coast? (40 votes, whole poll; 3 members, 75% of engagers)" in text


# --- real samples: none of them holds a poll -----------------------------------------------


@pytest.mark.realdata
@pytest.mark.skipif(not REALDATA.is_dir(), reason=f"real export samples not found at {REALDATA}")
@pytest.mark.parametrize(
    ("reader", "rel"),
    [
        ("x-api-v2", "twitter-v2-blm/tweets.jsonl"),
        ("x-api-v2", "twitter-v2-twarc-csv/noflat.jsonl"),
        ("x-api-v2", "twitter-v2-twarc-csv/flat.jsonl"),
        ("x-api-v2", "twitter-v2-twarc-csv/withheld.jsonl"),
        ("x-api-v2", "twitter-v2-twarc-csv/entities_test.jsonl"),
        ("discord-dce", "discord-dce-example-guild/Example guild - Text Channels - general [1012224565567721552].json"),
        ("mastodon-archive", "mastodon-account-archive/outbox.json"),
    ],
)  # fmt: skip
def test_real_samples_have_no_polls(reader: str, rel: str) -> None:
    # The samples mention "poll" only in request URLs (poll.fields) and tweet text (#exitpoll):
    # none carries includes.polls, a DCE poll or a Question, so they must yield no poll row.
    path = REALDATA / rel
    ctx = ReadContext(path=path, display=str(path), report=FileReport(path=str(path)))
    n = sum(b.height for b in get_reader(reader).read(path, ctx))
    assert n > 0
    assert ctx.polls == []
    assert not any("poll" in note for note in ctx.report.notes)
