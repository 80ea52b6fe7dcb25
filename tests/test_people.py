"""People to work with and where to meet them (issue 11), on a planted audience and real X data.

One Kestrel audience (synth, 16 planted communities) gets planted people
(:func:`microcomm.synth.people.plant_people`): organic influencers engaged by one community,
a paid partner, UGC creators, advocates, and a community whose home platform the brand never
posts on. It is ingested and detected once; the report is built from the store's frames with
the planted follower counts as the accounts table.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from microcomm.brand import Brand, parse_brand, resolve_brand
from microcomm.config import ReportConfig
from microcomm.pipeline import load_report_inputs, run_detect, run_explain, run_ingest
from microcomm.profiles.people import PAID_PATTERN
from microcomm.report import build_report, to_markdown
from microcomm.store import Store
from microcomm.synth import generate_audience
from microcomm.synth.people import PlantedPeople, plant_people

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


@dataclasses.dataclass
class World:
    planted: PlantedPeople
    store: Store
    report: dict[str, Any]
    home: dict[int, int]  # planted community → detected community (80 % pure)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root: Path = tmp_path_factory.mktemp("people")
    aud = generate_audience(30_000, n_communities=12, seed=11)
    planted = plant_people(aud)
    planted.events.write_parquet(root / "events.parquet")
    store = Store(root / "store")
    run_ingest([root / "events.parquet"], store=store)
    run_detect(store=store)
    inputs = load_report_inputs(store)  # follower counts came in as canonical columns
    report = build_report(inputs, config=ReportConfig(min_size=5))
    members = store.communities().filter(pl.col("level") == 0).select("actor", "community")
    purity = (
        members.join(aud.truth.select("actor", pl.col("community").alias("planted")), on="actor")
        .group_by(["community", "planted"])
        .agg(pl.len().alias("n"))
        .with_columns((pl.col("n") / pl.col("n").sum().over("community")).alias("p"))
        .filter((pl.col("p") >= 0.8) & (pl.col("planted") >= 0))
        .sort(["planted", "n"], descending=[False, True])
        .group_by("planted", maintain_order=True)
        .first()
    )
    home = dict(zip(purity["planted"].to_list(), purity["community"].to_list(), strict=True))
    return World(planted, store, report, home)


def _community(w: World, planted: int) -> dict[str, Any]:
    cid = w.home[planted]
    return next(c for c in w.report["communities"] if c["id"] == cid)


def _role(w: World, role: str) -> list[str]:
    return sorted(w.planted.truth.filter(pl.col("role") == role)["actor"].to_list())


@pytest.mark.slow
def test_brand_is_found_as_the_most_engaged_account(world: World) -> None:
    assert world.report["brand_accounts"]["handles"] == ["kestrel"]
    assert world.report["brand_accounts"]["how"] == "auto"


def test_planted_organic_influencers_rank_in_their_community_with_a_niche(world: World) -> None:
    c = _community(world, 0)
    found = {i["actor"]: i for i in c["influencers"]}
    assert set(_role(world, "organic")) <= set(found), found.keys()
    big = found["bigvoice0"]
    assert big["followers"] == 400_000 and big["verified"]
    # four organic posts; the #ad one is counted apart, never as organic
    assert (big["organic_mentions"], big["paid_mentions"]) == (4, 1)
    # the niche is the engaged community's signature (trail runners)
    assert {"#trailrunning", "#ultrarunning", "#vertkm"} & set(big["niche"]), big["niche"]
    # ranked by members engaging, most first
    members = [i["members"] for i in c["influencers"]]
    assert members == sorted(members, reverse=True)
    audience = [i["actor"] for i in world.report["influencers"]["organic"]]
    assert set(_role(world, "organic")) <= set(audience)


def test_paid_partner_is_labelled_and_never_ranked_organic(world: World) -> None:
    for c in world.report["communities"]:
        assert "megastar" not in {i["actor"] for i in c["influencers"]}
    assert "megastar" not in {i["actor"] for i in world.report["influencers"]["organic"]}
    paid = {i["actor"]: i for i in world.report["influencers"]["paid"]}
    assert paid["megastar"]["paid_mentions"] == 3 and paid["megastar"]["organic_mentions"] == 0
    assert "megastar" in {i["actor"] for i in _community(world, 1)["paid_partners"]}


def test_ugc_creators_and_advocates_are_found_with_evidence(world: World) -> None:
    ugc = {u["actor"]: u for u in _community(world, 2)["ugc_creators"]}
    assert set(_role(world, "ugc")) <= set(ugc)
    for who in _role(world, "ugc"):
        assert ugc[who]["posts"] == 2 and ":pp" in ugc[who]["top_post"]
    adv = {a["actor"]: a for a in _community(world, 3)["advocates"]}
    assert set(_role(world, "advocate")) <= set(adv)
    for who in _role(world, "advocate"):
        assert adv[who]["praise"] >= 3 and adv[who]["example"] is not None


def test_community_on_a_platform_the_brand_never_posts_on(world: World) -> None:
    gap = world.planted.gap_platform
    c = _community(world, world.planted.gap_community)
    assert c["brand_gaps"][0]["platform"] == gap and c["brand_gaps"][0]["brand_posts"] == 0
    absent = world.report["platforms"]["brand_absent"]
    assert c["id"] in {a["community"] for a in absent}
    compare = {p["platform"]: p for p in world.report["platforms"]["compare"]}
    assert compare[gap]["brand_posts"] == 0 and compare["instagram"]["brand_posts"] == 5
    where = next(s for s in c["next_steps"] if s["step"] == "where_when")
    assert f"writes nothing on {gap}" in where["text"]


def test_next_steps_name_partner_pillars_and_people(world: World) -> None:
    c = _community(world, 0)
    steps = {s["step"]: s for s in c["next_steps"]}
    assert "@peakfuel" in steps["partner"]["text"]
    assert "#trailrunning" in steps["content"]["text"]
    assert "@bigvoice0" in steps["contact"]["text"]
    md = to_markdown(world.report)
    assert "Organic influencers" in md and "@bigvoice0" in md and "400,000 followers" in md


def test_paid_markers() -> None:
    texts = pl.Series(
        ["#ad my pack", "Paid partnership with x", "#adventure time", "#sponsored", "bad ad"]
    )
    assert texts.str.contains(PAID_PATTERN).to_list() == [True, True, False, True, False]


def test_brand_given_wins_and_tags_count() -> None:
    assert parse_brand(["#BLM"]) == Brand(tags=("blm",), how="given")
    ev = pl.DataFrame({"actor": ["a"], "target": ["b"], "target_kind": ["account"]})
    assert not resolve_brand(ev)  # one engager is no brand


@pytest.mark.slow  # ingest + detect of 500 real tweets
@pytest.mark.skipif(
    not (REALDATA / "twitter-v2-blm").is_dir(),
    reason="../shared/realdata/twitter-v2-blm is absent (real X v2 data)",
)
def test_real_x_influencers_carry_their_real_follower_counts(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    run_ingest([REALDATA / "twitter-v2-blm" / "tweets.jsonl"], store=store)
    run_detect(store=store)
    inputs = load_report_inputs(store)
    report = build_report(
        inputs, config=ReportConfig(brand="#blacklivesmatter", reach_percentile=0.95)
    )
    found = report["influencers"]["organic"]
    assert found, "high-reach authors of #BlackLivesMatter posts"
    known = dict(inputs.accounts.group_by("actor").agg(pl.col("followers").max()).iter_rows())
    for row in found:
        assert row["followers"] == known[row["actor"]] >= report["influencers"]["bar"]
    # the count of the page's includes.users (public_metrics), as each format shows it
    top = found[0]
    assert (top["actor"], top["followers"]) == ("teelaresists", 35541)
    assert "| `@teelaresists` | 35,541 |" in to_markdown(report)
    assert "**Organic influencers**: @teelaresists (36 k followers" in to_markdown(report, full=False)


def test_explain_says_why_an_account_is_an_organic_influencer(world: World) -> None:
    from typer.testing import CliRunner

    from microcomm.cli import app

    ex = run_explain("bigvoice0", store=world.store)
    roles = {r["role"]: r for r in ex.to_dict()["roles"]}
    text = roles["organic_influencer"]["text"]
    assert text.startswith("an organic influencer: 400 k followers, mentioned the brand 4 times")
    assert "(1 more mentions carried a paid marker" in text
    cli = CliRunner().invoke(app, ["explain", "@bigvoice0", "--store", str(world.store.root)])
    assert cli.exit_code == 0 and "organic influencer: 400 k followers" in cli.output
    paid = run_explain("megastar", store=world.store).to_dict()["roles"]
    assert [r["role"] for r in paid] == ["paid_partner"]
    ugc = _role(world, "ugc")[0]
    assert "ugc_creator" in {r["role"] for r in run_explain(ugc, store=world.store).extra["roles"]}
    adv = _role(world, "advocate")[0]
    assert "advocate" in {r["role"] for r in run_explain(adv, store=world.store).extra["roles"]}


def test_canonical_profile_columns_fill_the_accounts_table(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(
        "platform,kind,actor,target,text,created_at,actor_followers,actor_bio,actor_verified\n"
        'twitter,post,Ann,kestrel,hi @kestrel,2026-09-01T10:00:00Z,"48,000",Trail runner,true\n'
        "x,like,bob,p1,,2026-09-01T11:00:00Z,,,\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "store")
    run_ingest([tmp_path / "a.csv"], store=store)
    acc = store.accounts().filter(pl.col("followers").is_not_null())
    assert acc.select("actor", "platform", "bio", "followers", "verified").rows() == [
        ("ann", "x", "Trail runner", 48000, True)
    ]


def test_bluesky_profile_views_carry_reach(tmp_path: Path) -> None:
    import json

    post = {
        "uri": "at://did:plc:a/app.bsky.feed.post/1",
        "author": {
            "did": "did:plc:a",
            "handle": "ann.bsky.social",
            "displayName": "Ann",
            "followersCount": 5120,
            "description": "trail runner",
            "verification": {"verifications": [], "verifiedStatus": "valid"},
        },
        "record": {"text": "hi @kestrel", "createdAt": "2026-09-01T10:00:00Z"},
    }
    (tmp_path / "posts.json").write_text(json.dumps({"posts": [post]}), encoding="utf-8")
    store = Store(tmp_path / "store")
    run_ingest([tmp_path / "posts.json"], store=store)
    acc = store.accounts().filter(pl.col("followers").is_not_null())
    assert acc.select("actor", "platform", "bio", "followers", "verified").rows() == [
        ("ann.bsky.social", "bluesky", "trail runner", 5120, True)
    ]


def test_export_members_names_the_people_roles(world: World) -> None:
    from microcomm.export import build_members

    members = build_members(load_report_inputs(world.store), world.report)
    role = dict(zip(members["actor"].to_list(), members["role"].to_list(), strict=True))
    for who in _role(world, "ugc"):
        assert "ugc_creator" in role[who].split("+")
    for who in _role(world, "advocate"):
        assert "advocate" in role[who].split("+")
    organic = [who for who in _role(world, "organic") if who in role]
    assert organic, "the planted influencers are members of a community too"
    for who in organic:
        assert "organic_influencer" in role[who].split("+")
    if "megastar" in role:
        assert "paid_partner" in role["megastar"].split("+")
        assert "organic_influencer" not in role["megastar"].split("+")


READERS = Path(__file__).parent / "data" / "reach"


@pytest.mark.parametrize(
    ("name", "reader", "rows", "events"),
    [
        # Graph API business discovery (real shape: meta-graph-api-sns-sdks discovery/*.json)
        (
            "ig_business_discovery.json",
            "instagram-graph",
            [("trailco", "instagram", "Trail running shoes & routes — Alps", 48210)],
            1,
        ),
        # an IG user's own fields (real shape: users/user_fields.json)
        (
            "ig_user_fields.json",
            "instagram-graph",
            [("mia.runs", "instagram", "Ultra runner. Coffee.", 5120)],
            0,
        ),
        # channels.list, part=snippet,statistics: subscriberCount is a string; hidden → unknown
        (
            "yt_channels.json",
            "youtube-api",
            [
                ("UCquietHiker00000000000b", "youtube", None, None),
                ("UCtrailFilms0000000000a", "youtube", "Mountain running films", 412000),
            ],
            0,
        ),
        # a Mastodon status: the account object carries followers_count
        (
            "mastodon_statuses_reach.json",
            "mastodon-api",
            [("ann@mastodon.example", "mastodon", "Trail runner", 2310)],
            2,  # the post and its @-mention
        ),
    ],
)
def test_readers_fill_reach_from_profiles(
    name: str, reader: str, rows: list[tuple[Any, ...]], events: int
) -> None:
    from microcomm.ingest import inspect_file

    r = inspect_file(READERS / name)
    assert r.report.reader == reader
    got = r.accounts.select("actor", "platform", pl.col("bio").replace("", None), "followers")
    assert sorted(got.rows(), key=str) == sorted(rows, key=str)
    assert r.events.height == events


@pytest.mark.skipif(
    not (REALDATA / "meta-graph-api-sns-sdks").is_dir(),
    reason="../shared/realdata/meta-graph-api-sns-sdks is absent (real Graph API responses)",
)
def test_real_instagram_profiles_carry_follower_counts() -> None:
    from microcomm.ingest import inspect_file

    base = REALDATA / "meta-graph-api-sns-sdks" / "instagram" / "apidata"
    profiles = (("users/user_fields.json", 64363), ("discovery/user_fields.json", 64976))
    for path, followers in profiles:
        acc = inspect_file(base / path).accounts
        assert acc.select("actor", "followers").rows() == [("facebookfordevelopers", followers)]
    media = inspect_file(base / "discovery" / "medias_p1.json")
    # media only, no counts (fetched without username: its rows are skipped as "no actor")
    assert media.report.skip_reasons["no actor"] > 0 and media.accounts.height == 0


def test_every_report_format_carries_the_people_lists(world: World) -> None:
    """Influencers, paid partners, UGC creators, advocates and next steps in the brief and full
    Markdown, JSON, HTML, and the short form in each format's one-page summary."""
    import io
    import json

    from rich.console import Console

    from microcomm.cli.render_report import summary_terminal
    from microcomm.report import to_html
    from microcomm.report.summary import summary_markdown

    r, c0 = world.report, _community(world, 0)
    brief = to_markdown(r, full=False)
    assert "organic influencers `@bigvoice0` (400,000 followers, " in brief
    assert "- **People to work with**: " in brief and "; UGC creators `@" in brief
    u, a = _community(world, 2)["ugc_creators"][0], _community(world, 3)["advocates"][0]
    assert f"`@{u['actor']}` ({u['posts']} posts, {u['engagers']} engaging)" in brief
    assert f"`@{a['actor']}` ({a['praise']} praising)" in brief
    assert "paid partners (labelled paid) `@megastar`" in brief
    assert "- **Next steps**:\n  - Partner brands and accounts to approach: @peakfuel" in brief
    # the one-page summary: who to contact and the first next step per community
    line = next(ln for ln in r["summary"]["lines"] if ln["id"] == c0["id"])
    assert line["people"].startswith("@bigvoice0 (400 k followers)")
    assert line["next"].startswith("Partner brands and accounts to approach: @peakfuel")
    assert r["summary"]["influencers"][0]["actor"] in _role(world, "organic")
    assert r["summary"]["paid_partners"] == 1
    short = summary_markdown(r["summary"])
    assert "| who to contact · next step |" in short and "@bigvoice0 (400 k followers)" in short
    assert "1 paid partner listed apart" in short
    data = json.loads(json.dumps(r))  # the JSON contract carries the lists as they are
    assert data["communities"] == r["communities"] and "influencers" in data["summary"]
    page = to_html(r)
    assert '<section id="people"><h2>People to work with</h2>' in page
    assert "Paid partners (labelled, not organic)" in page and "@megastar" in page
    assert "@bigvoice0 (400,000 followers, 4 brand mentions, " in page
    assert "What to do next" in page and "Where the brand is absent" in page
    top = to_html(r, summary_only=True)
    assert "who to contact · next step" in top and "@bigvoice0 (400 k followers)" in top
    out = io.StringIO()
    summary_terminal(Console(file=out, width=250), r["summary"])
    assert "who to contact · next step" in out.getvalue() and "@bigvoice0" in out.getvalue()
