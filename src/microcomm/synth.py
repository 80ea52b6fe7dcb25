"""Synthetic audiences with planted micro communities, for the example data, tests and bench.

The fictional brand is **Kestrel Outdoor** (``@kestrel``, ``#kestrel``). Its audience holds
planted communities (trail runners, bikepackers, climbing parents, …), each with signature
hashtags, a partner brand it mentions, keywords, a home platform, a city, an active hour of
the week and its own creators whose posts the members gather around. A share ``mixing`` of
every member's engagement goes outside its community (other communities' posts and a few very
busy brand posts), and noise accounts engage at random. Planted extras for profile tests:
bridge accounts split between two communities, loud accounts that spam one unrelated tag,
DMs with requests, and survey answers whose distribution differs by community.

Everything is drawn with numpy from one seed and assembled with polars — no per-event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import polars as pl

BRAND = "kestrel"

# name, signature hashtags, partner brand, keywords, home platform, city, (weekday, hour UTC)
THEMES: list[
    tuple[str, tuple[str, str, str], str, tuple[str, str, str], str, str, tuple[int, int]]
] = [
    (
        "trail runners",
        ("trailrunning", "ultrarunning", "vertkm"),
        "peakfuel",
        ("singletrack", "splits", "descent"),
        "instagram",
        "Chamonix",
        (5, 7),
    ),
    (
        "bikepackers",
        ("bikepacking", "gravelbike", "framebag"),
        "ridgeline_bags",
        ("gravel", "saddle", "bivvy"),
        "instagram",
        "Girona",
        (5, 9),
    ),
    (
        "climbing parents",
        ("climbingmom", "cragkids", "familyclimbing"),
        "tinyholds",
        ("crag", "belay", "toddler"),
        "facebook",
        "Boulder",
        (2, 20),
    ),
    (
        "ultralight hikers",
        ("ultralight", "baseweight", "thruhike"),
        "featherpack",
        ("grams", "quilt", "trailhead"),
        "reddit",
        "Portland",
        (1, 21),
    ),
    (
        "winter campers",
        ("wintercamping", "hottent", "snowcamp"),
        "emberstove",
        ("stove", "frost", "sleeping"),
        "youtube",
        "Tromso",
        (6, 18),
    ),
    (
        "vanlifers",
        ("vanlife", "homeonwheels", "buildout"),
        "roamvans",
        ("solar", "campsite", "conversion"),
        "instagram",
        "Lisbon",
        (0, 19),
    ),
    (
        "fly fishers",
        ("flyfishing", "troutbum", "dryfly"),
        "riffleco",
        ("nymph", "hatch", "riverbank"),
        "facebook",
        "Bozeman",
        (5, 6),
    ),
    (
        "birders",
        ("birding", "birdphotography", "lifelist"),
        "aviaoptics",
        ("warbler", "binoculars", "migration"),
        "mastodon",
        "Norwich",
        (6, 7),
    ),
    (
        "packrafters",
        ("packrafting", "whitewater", "paddlelife"),
        "drybagco",
        ("rapids", "paddle", "portage"),
        "youtube",
        "Whitehorse",
        (4, 16),
    ),
    (
        "alpine skiers",
        ("skitouring", "backcountryski", "splitboard"),
        "skinline",
        ("avalanche", "couloir", "skins"),
        "instagram",
        "Innsbruck",
        (5, 6),
    ),
    (
        "urban hikers",
        ("urbanhiking", "citywalks", "stairclimb"),
        "stepcount",
        ("steps", "parks", "commute"),
        "tiktok",
        "London",
        (3, 12),
    ),
    (
        "gear tinkerers",
        ("myog", "gearrepair", "sewing"),
        "thread_and_tarp",
        ("seam", "ripstop", "pattern"),
        "reddit",
        "Leeds",
        (2, 22),
    ),
    (
        "trail dogs",
        ("hikingdog", "adventuredog", "dogsofthetrail"),
        "pawtrek",
        ("leash", "pup", "harness"),
        "instagram",
        "Denver",
        (6, 10),
    ),
    (
        "sea kayakers",
        ("seakayaking", "kayaklife", "coastalpaddling"),
        "tidewater",
        ("swell", "tide", "cove"),
        "facebook",
        "Halifax",
        (5, 8),
    ),
    (
        "astro campers",
        ("astrophotography", "darksky", "milkyway"),
        "nightlens",
        ("stars", "exposure", "tripod"),
        "x",
        "La Palma",
        (4, 23),
    ),
    (
        "foragers",
        ("foraging", "wildfood", "mushroomhunting"),
        "fieldknife",
        ("chanterelle", "nettle", "basket"),
        "bluesky",
        "Bergen",
        (6, 9),
    ),
    (
        "sustainable gear",
        ("buyitforlife", "secondhandgear", "repairnotreplace"),
        "wornwell",
        ("resale", "circular", "patch"),
        "bluesky",
        "Berlin",
        (1, 13),
    ),
    (
        "women who hike",
        ("womenwhohike", "hikelikeawoman", "solofemale"),
        "trailsisters",
        ("solo", "confidence", "summit"),
        "instagram",
        "Vancouver",
        (5, 11),
    ),
    (
        "mountain bikers",
        ("mtblife", "enduromtb", "singletrackmtb"),
        "gnarworks",
        ("berms", "suspension", "jumps"),
        "youtube",
        "Whistler",
        (5, 15),
    ),
    (
        "canyoneers",
        ("canyoneering", "slotcanyon", "rappel"),
        "anchorline",
        ("rope", "abseil", "slot"),
        "reddit",
        "Moab",
        (4, 8),
    ),
    (
        "photo hikers",
        ("landscapephotography", "goldenhour", "hikingphotography"),
        "lumenfilters",
        ("sunrise", "lens", "composition"),
        "instagram",
        "Skye",
        (0, 6),
    ),
    (
        "family campers",
        ("familycamping", "campingwithkids", "smores"),
        "happycamp",
        ("campfire", "kids", "tent"),
        "facebook",
        "Ohio",
        (4, 19),
    ),
    (
        "thru hikers",
        ("pct", "appalachiantrail", "triplecrown"),
        "milemarker",
        ("resupply", "zero", "blaze"),
        "reddit",
        "Kennedy Meadows",
        (0, 20),
    ),
    (
        "cold water swimmers",
        ("coldwaterswimming", "wildswimming", "icebath"),
        "selkiesuits",
        ("lake", "dip", "wetsuit"),
        "instagram",
        "Edinburgh",
        (6, 8),
    ),
    (
        "rock climbers",
        ("bouldering", "sportclimbing", "climbinggym"),
        "chalkdust",
        ("crimp", "project", "send"),
        "tiktok",
        "Fontainebleau",
        (2, 19),
    ),
    (
        "overlanders",
        ("overlanding", "4x4", "rooftoptent"),
        "terraquest",
        ("recovery", "offroad", "winch"),
        "youtube",
        "Cape Town",
        (5, 14),
    ),
    (
        "hunters of huts",
        ("hutlife", "hut2hut", "refugio"),
        "alpinehuts",
        ("hut", "dormitory", "traverse"),
        "mastodon",
        "Zermatt",
        (3, 17),
    ),
    (
        "trail builders",
        ("trailwork", "trailmaintenance", "volunteertrail"),
        "diggerco",
        ("shovel", "drainage", "crew"),
        "discord",
        "Asheville",
        (6, 13),
    ),
    (
        "rain hikers",
        ("pnwonderland", "rainhike", "mossyforest"),
        "drizzlewear",
        ("rain", "moss", "ferns"),
        "reddit",
        "Seattle",
        (6, 15),
    ),
    (
        "desert trekkers",
        ("deserthiking", "desertlife", "joshuatree"),
        "sunshadeco",
        ("heat", "water", "cactus"),
        "x",
        "Tucson",
        (0, 6),
    ),
    (
        "sailing families",
        ("sailingfamily", "liveaboard", "bluewater"),
        "harborline",
        ("anchor", "passage", "boat"),
        "youtube",
        "Auckland",
        (6, 20),
    ),
    (
        "orienteers",
        ("orienteering", "mapandcompass", "rogaine"),
        "controlpoint",
        ("map", "compass", "checkpoint"),
        "facebook",
        "Uppsala",
        (5, 10),
    ),
    (
        "budget backpackers",
        ("budgettravel", "backpackinglife", "hostellife"),
        "packcheap",
        ("hostel", "budget", "bus"),
        "tiktok",
        "Bangkok",
        (3, 2),
    ),
    (
        "accessible outdoors",
        ("adaptiveclimbing", "accessibleoutdoors", "wheelchairhiking"),
        "openpath",
        ("access", "adaptive", "ramp"),
        "bluesky",
        "Manchester",
        (1, 18),
    ),
    (
        "snowshoers",
        ("snowshoeing", "winterhiking", "snowyday"),
        "flotationco",
        ("powder", "snowshoe", "drift"),
        "facebook",
        "Quebec",
        (6, 11),
    ),
    (
        "gear deal hunters",
        ("geardeals", "outdoorsale", "discountgear"),
        "dealbase",
        ("sale", "coupon", "price"),
        "discord",
        "Toronto",
        (4, 12),
    ),
]

GENERIC_TAGS = ("love", "weekend", "nature", "outdoors", "adventure", BRAND)
LOUD_TAGS = ("cryptogiveaway", "followback", "freeiphone")
DM_TEMPLATES = (
    "open a store in {city} please!",
    "when is the restock of the {kw} line?",
    "my order arrived damaged, not happy",
    "love the new range, great quality",
    "do you ship to {city}?",
    "the zipper broke after two trips, terrible",
)
SURVEY_QUESTION = "What should Kestrel make next?"
SURVEY_ANSWERS = (
    "lighter tents",
    "kids gear",
    "repair service",
    "rain jackets",
    "dog gear",
    "women's fit",
)

ADJ = np.array(
    [
        "sunny",
        "misty",
        "wild",
        "quiet",
        "brave",
        "rusty",
        "lucky",
        "windy",
        "happy",
        "snowy",
        "dusty",
        "mossy",
        "rocky",
        "salty",
        "stormy",
    ]
)
NOUN = np.array(
    [
        "fern",
        "fox",
        "lynx",
        "owl",
        "pine",
        "moss",
        "river",
        "ridge",
        "trail",
        "crow",
        "wolf",
        "birch",
        "otter",
        "cedar",
        "heron",
    ]
)


@dataclass(frozen=True)
class Audience:
    """Generated events plus the planted truth."""

    events: pl.DataFrame
    truth: pl.DataFrame  # actor, community (-1 for noise), role
    themes: (
        pl.DataFrame
    )  # community, name, hashtags, brand, peak_weekday, peak_hour, platform, city
    answers: pl.DataFrame  # actor, platform, question, answer


def _theme(c: int) -> tuple:
    base = THEMES[c % len(THEMES)]
    if c < len(THEMES):
        return base
    k = c // len(THEMES)
    name, tags, brand, kws, platform, city, peak = base
    return (f"{name} {k}", tuple(f"{t}{k}" for t in tags), f"{brand}{k}", kws, platform, city, peak)


def generate_audience(
    n_events: int = 60_000,
    *,
    n_communities: int = 24,
    mixing: float = 0.3,
    noise_share: float = 0.05,
    size_range: tuple[int, int] = (20, 400),
    events_per_account: float = 10.0,
    n_viral: int = 4,
    viral_share: float = 0.3,
    n_bridges: int = 12,
    n_loud: int = 3,
    seed: int = 7,
    start: datetime = datetime(2026, 9, 1, tzinfo=UTC),
    days: int = 61,
) -> Audience:
    """Draw an audience of about ``n_events`` events with ``n_communities`` planted groups.

    Parameters
    ----------
    mixing
        Share of a member's events that go outside its community.
    viral_share
        Share of those outside events that land on the brand's few very busy posts.

    Examples
    --------
    >>> aud = generate_audience(3_000, n_communities=4, seed=1)
    >>> aud.truth.filter(pl.col("community") >= 0)["community"].n_unique()
    4
    """
    rng = np.random.default_rng(seed)
    lo, hi = size_range
    n_accounts = max(int(n_events / events_per_account), n_communities * lo)
    # Community sizes: log-normal, clipped to the micro range, rescaled to fill the audience.
    raw = np.exp(rng.normal(0.0, 0.7, n_communities))
    sizes = np.clip(raw / raw.sum() * n_accounts * (1 - noise_share), lo, hi).astype(int)
    n_members = int(sizes.sum())
    n_noise = max(int(n_members * noise_share / (1 - noise_share)), 1)
    n_accounts = n_members + n_noise
    community = np.concatenate([np.repeat(np.arange(n_communities), sizes), np.full(n_noise, -1)])
    perm = rng.permutation(n_accounts)  # handles carry no trace of the community
    community = community[perm]
    handles = np.char.add(
        np.char.add(
            ADJ[rng.integers(0, len(ADJ), n_accounts)], NOUN[rng.integers(0, len(NOUN), n_accounts)]
        ),
        np.arange(n_accounts).astype(str),
    )

    themes = [_theme(c) for c in range(n_communities)]
    # Creators: ~1 in 25 members (at least 2) publish the posts their community gathers around.
    n_posts = np.maximum(sizes // 4, 6)
    post_comm = np.repeat(np.arange(n_communities), n_posts)
    post_offsets = np.concatenate([[0], np.cumsum(n_posts)])
    n_all_posts = int(post_offsets[-1])
    members_by_c = [np.flatnonzero(community == c) for c in range(n_communities)]
    creators_by_c = [m[: max(2, len(m) // 25)] for m in members_by_c]
    post_author = np.array(
        [creators_by_c[c][rng.integers(0, len(creators_by_c[c]))] for c in post_comm],
        dtype=np.int64,
    )

    # Events per account: at least 4 (an engaged audience), with a geometric tail.
    per = 4 + rng.geometric(1.0 / max(events_per_account - 3, 1.01), n_accounts) - 1
    roles = np.full(n_accounts, "member", dtype=object)
    roles[community < 0] = "noise"
    for c in range(n_communities):
        roles[creators_by_c[c]] = "creator"
    # Bridges: members whose engagement is split between their community and a second one.
    bridge_ids = rng.choice(
        np.flatnonzero(roles == "member"),
        size=min(n_bridges, int((roles == "member").sum())),
        replace=False,
    )
    roles[bridge_ids] = "bridge"
    second = np.full(n_accounts, -1)
    second[bridge_ids] = (
        community[bridge_ids] + 1 + rng.integers(0, n_communities - 1, len(bridge_ids))
    ) % n_communities
    per[bridge_ids] = np.maximum(per[bridge_ids], 16)
    loud_ids = rng.choice(np.flatnonzero(roles == "member"), size=n_loud, replace=False)
    roles[loud_ids] = "loud"
    per[loud_ids] += 300  # spams its unrelated tag hundreds of times

    actor = np.repeat(np.arange(n_accounts), per)
    n = len(actor)
    comm = community[actor]
    u = rng.random(n)
    is_bridge = roles[actor] == "bridge"
    home = np.where(is_bridge & (rng.random(n) < 0.5), second[actor], comm)
    inside = (home >= 0) & (u >= mixing)
    inside |= is_bridge  # bridges stay inside their two communities
    viral = ~inside & (rng.random(n) < viral_share)
    other = rng.integers(0, n_communities, n)
    ctx_comm = np.where(inside, home, other)

    # Kinds: comments dominate; posts tag the brand; follows point at creators.
    kinds = np.array(["comment", "like", "reply", "share", "post", "follow", "mention"])
    kind = kinds[rng.choice(len(kinds), n, p=[0.42, 0.22, 0.12, 0.08, 0.08, 0.05, 0.03])]
    loud_mask = roles[actor] == "loud"
    spam = loud_mask & (rng.random(n) < 0.95)
    kind[spam] = "post"

    # Target post: Zipf-like popularity within the community's posts.
    pick = np.minimum(
        (rng.pareto(1.2, n) * n_posts[ctx_comm] / 6).astype(np.int64), n_posts[ctx_comm] - 1
    )
    post_idx = post_offsets[ctx_comm] + pick
    viral_post = rng.integers(0, n_viral, n) if n_viral else np.zeros(n, dtype=np.int64)
    post_ids = np.char.add("p", np.arange(n_all_posts).astype(str))
    target = np.where(
        viral & (n_viral > 0), np.char.add("viral", viral_post.astype(str)), post_ids[post_idx]
    )
    target_kind = np.full(n, "post", dtype="<U7")
    target = target.astype("<U32")  # handles and post ids are short; halves memory at 10M events
    is_reply = kind == "reply"
    parent = np.where(
        is_reply, np.char.add("c", rng.integers(0, max(n // 3, 1), n).astype(str)), ""
    )
    is_follow = kind == "follow"
    target[is_follow] = handles[post_author[post_idx[is_follow]]]
    target_kind[is_follow] = "account"
    is_post = kind == "post"
    target[is_post] = BRAND
    target_kind[is_post] = "account"
    is_mention = kind == "mention"
    target[is_mention] = handles[post_author[post_idx[is_mention]]]
    target_kind[is_mention] = "account"

    # Text: signature tags, keywords and the partner brand inside; generic tags everywhere.
    tag_arr = np.array([t for th in themes for t in th[1]])
    kw_arr = np.array([k for th in themes for k in th[3]])
    brand_arr = np.array([th[2] for th in themes])
    slot = rng.integers(0, 3, n)
    topical = (inside | (rng.random(n) < 0.15)) & ~viral
    text_comm = np.where(topical, np.where(inside, home, other), -1)
    has_tag = (text_comm >= 0) & (rng.random(n) < 0.55)
    has_kw = (text_comm >= 0) & (rng.random(n) < 0.6)
    has_brand = (text_comm >= 0) & (rng.random(n) < 0.18)
    safe = np.maximum(text_comm, 0)
    generic = np.array(GENERIC_TAGS)[rng.integers(0, len(GENERIC_TAGS), n)]
    phrases = np.array(
        [
            "so good",
            "can't wait",
            "what a day",
            "this is it",
            "new favourite",
            "look at this",
            "honestly",
            "best trip",
        ]
    )
    frame = pl.DataFrame(
        {
            "phrase": phrases[rng.integers(0, len(phrases), n)],
            "kw": np.where(has_kw, kw_arr[safe * 3 + slot], ""),
            "tag": np.where(has_tag, np.char.add("#", tag_arr[safe * 3 + (slot + 1) % 3]), ""),
            "brand": np.where(has_brand, np.char.add("@", brand_arr[safe]), ""),
            "generic": np.where(rng.random(n) < 0.35, np.char.add("#", generic), ""),
            "spam": np.where(
                spam, np.char.add("#", np.array(LOUD_TAGS)[actor % len(LOUD_TAGS)]), ""
            ),
        }
    )
    text = frame.select(
        pl.concat_str(["phrase", "kw", "tag", "brand", "generic", "spam"], separator=" ")
        .str.replace_all(r" +", " ")
        .str.strip_chars()
    )["phrase"]

    # Time: 60 % of a community's events fall around its peak hour of the week.
    peak_wd = np.array([th[6][0] for th in themes])
    peak_hr = np.array([th[6][1] for th in themes])
    day = rng.integers(0, days, n)
    base_day = start.weekday()
    hour = rng.integers(0, 24, n).astype(float) + rng.random(n)
    at_peak = (comm >= 0) & (rng.random(n) < 0.6)
    c0 = np.maximum(comm, 0)
    # move the day to the nearest peak weekday in the window
    wd = (base_day + day) % 7
    day = np.where(at_peak, np.clip(day + (peak_wd[c0] - wd), 0, days - 1), day)
    hour = np.where(at_peak, peak_hr[c0] + rng.random(n), hour)
    seconds = (day * 86400 + hour * 3600).astype(np.int64)
    created = pl.Series(
        np.datetime64(start.replace(tzinfo=None)) + seconds.astype("timedelta64[s]")
    ).dt.replace_time_zone("UTC")

    # Platform: 60 % home platform of the community, else any.
    plats = np.array(
        [
            "instagram",
            "x",
            "reddit",
            "youtube",
            "tiktok",
            "facebook",
            "discord",
            "mastodon",
            "bluesky",
        ]
    )
    home_plat = np.array([int(np.flatnonzero(plats == th[4])[0]) for th in themes])
    # A post lives on one platform (60 % its community's home); so do its comments and likes.
    post_plat = np.where(
        rng.random(n_all_posts) < 0.6,
        home_plat[post_comm],
        rng.integers(0, len(plats), n_all_posts),
    )
    on_home = (comm >= 0) & (rng.random(n) < 0.6)
    platform = np.where(on_home, plats[home_plat[c0]], plats[rng.integers(0, len(plats), n)])
    on_post = ~viral & (target_kind == "post")
    platform = np.where(on_post, plats[post_plat[post_idx]], platform)
    platform = np.where(viral, "instagram", platform)
    cities = np.array([th[5] for th in themes])
    location = np.where((comm >= 0) & (rng.random(n) < 0.1), cities[c0], "")

    events = pl.DataFrame(
        {
            "event_id": np.char.add("e", np.arange(n).astype(str)),
            "platform": platform,
            "kind": kind,
            "actor": handles[actor],
            "target": target,
            "target_kind": target_kind,
            "parent": parent,
            "text": text,
            "created_at": created,
            "location": location,
        }
    ).with_columns(
        pl.when(pl.col("kind").is_in(["like", "follow"]))
        .then(None)
        .otherwise(pl.col("text"))
        .alias("text"),
        pl.when(pl.col("parent") != "").then(pl.col("parent")).alias("parent"),
        pl.when(pl.col("location") != "").then(pl.col("location")).alias("location"),
    )
    events = pl.concat(
        [events, _dms(rng, handles, community, themes, start, days, n)], how="diagonal_relaxed"
    )

    truth = pl.DataFrame({"actor": handles, "community": community, "role": roles.astype(str)})
    themes_df = pl.DataFrame(
        {
            "community": np.arange(n_communities),
            "name": [th[0] for th in themes],
            "hashtags": [list(th[1]) for th in themes],
            "brand": [th[2] for th in themes],
            "keywords": [list(th[3]) for th in themes],
            "platform": [th[4] for th in themes],
            "city": [th[5] for th in themes],
            "peak_weekday": peak_wd,
            "peak_hour": peak_hr,
            "size": sizes,
        }
    )
    return Audience(
        events=events,
        truth=truth,
        themes=themes_df,
        answers=_answers(rng, handles, community, n_communities),
    )


def _dms(
    rng: np.random.Generator,
    handles: np.ndarray,
    community: np.ndarray,
    themes: list,
    start: datetime,
    days: int,
    n_offset: int,
) -> pl.DataFrame:
    """A few DMs to the brand: requests, complaints, praise (one in twenty members)."""
    who = np.flatnonzero((community >= 0) & (rng.random(len(handles)) < 0.05))
    tmpl = rng.integers(0, len(DM_TEMPLATES), len(who))
    texts = [
        DM_TEMPLATES[t].format(city=themes[community[w]][5], kw=themes[community[w]][3][0])
        for t, w in zip(tmpl, who, strict=True)
    ]
    secs = rng.integers(0, days * 86400, len(who))
    return pl.DataFrame(
        {
            "event_id": [f"dm{n_offset + i}" for i in range(len(who))],
            "platform": "instagram",
            "kind": "dm",
            "actor": handles[who],
            "target": BRAND,
            "target_kind": "account",
            "text": texts,
            "created_at": pl.Series(
                np.datetime64(start.replace(tzinfo=None)) + secs.astype("timedelta64[s]")
            ).dt.replace_time_zone("UTC"),
        }
    )


def _answers(
    rng: np.random.Generator, handles: np.ndarray, community: np.ndarray, n_communities: int
) -> pl.DataFrame:
    """Survey answers: a third of accounts answer; each community leans to one answer."""
    who = np.flatnonzero(rng.random(len(handles)) < 0.33)
    favourite = np.arange(max(n_communities, 1)) % len(SURVEY_ANSWERS)
    c = community[who]
    lean = (c >= 0) & (rng.random(len(who)) < 0.6)
    ans = np.where(
        lean, favourite[np.maximum(c, 0)], rng.integers(0, len(SURVEY_ANSWERS), len(who))
    )
    return pl.DataFrame(
        {
            "actor": handles[who],
            "platform": "instagram",
            "question": SURVEY_QUESTION,
            "answer": np.array(SURVEY_ANSWERS)[ans],
        }
    )
