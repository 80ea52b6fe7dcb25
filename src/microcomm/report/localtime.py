"""Report stage, when: each community's activity in its own local time.

Input: events (``actor, created_at, location``) and the community membership; output: per
community the time zone used, where it came from, its peak hours and its hour-of-week grid.

A community's zone comes from its members' stated locations when they agree: each account's
most frequent location is looked up in :data:`PLACES` (a small table of common cities, regions
and countries, documented in the README); when at least ``min_agree`` (two thirds) of the members
whose place is known share one zone, and they are at least ``min_located`` (5 %) of the community
and at least three accounts, that zone is used. Otherwise the report's default zone (``--timezone``) is. Ambiguous names take their best
known sense (Portland → Oregon). Every figure is labelled with the zone it is in.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from microcomm.profiles import WEEKDAYS
from microcomm.profiles.activity import rank_slots

_ZONES: dict[str, tuple[str, ...]] = {
    "Europe/London": (
        "london", "uk", "united kingdom", "england", "great britain", "britain", "scotland",
        "wales", "edinburgh", "glasgow", "manchester", "leeds", "liverpool", "bristol",
        "birmingham", "norwich", "cardiff", "belfast", "oxford", "cambridge", "brighton",
        "skye", "isle of skye", "inverness", "york", "sheffield", "newcastle", "lake district",
    ),
    "Europe/Dublin": ("dublin", "ireland", "cork", "galway"),
    "Europe/Lisbon": ("lisbon", "lisboa", "porto", "portugal", "madeira"),
    "Atlantic/Canary": ("la palma", "tenerife", "gran canaria", "canary islands", "lanzarote"),
    "Europe/Paris": (
        "paris", "france", "lyon", "marseille", "toulouse", "bordeaux", "nice", "lille",
        "nantes", "chamonix", "fontainebleau", "grenoble", "annecy", "strasbourg",
    ),
    "Europe/Madrid": ("madrid", "spain", "españa", "barcelona", "girona", "valencia", "seville"),
    "Europe/Berlin": (
        "berlin", "germany", "deutschland", "munich", "münchen", "hamburg", "cologne", "köln",
        "frankfurt", "stuttgart", "leipzig",
    ),
    "Europe/Zurich": ("zurich", "zürich", "switzerland", "geneva", "bern", "zermatt", "basel"),
    "Europe/Vienna": ("vienna", "wien", "austria", "innsbruck", "salzburg", "graz"),
    "Europe/Rome": ("rome", "roma", "italy", "italia", "milan", "milano", "turin", "florence",
                    "dolomites", "naples"),
    "Europe/Amsterdam": ("amsterdam", "netherlands", "rotterdam", "utrecht", "the hague"),
    "Europe/Brussels": ("brussels", "belgium", "antwerp", "ghent"),
    "Europe/Oslo": ("oslo", "norway", "bergen", "tromso", "tromsø", "trondheim", "lofoten"),
    "Europe/Stockholm": ("stockholm", "sweden", "uppsala", "gothenburg", "malmö", "malmo"),
    "Europe/Copenhagen": ("copenhagen", "denmark", "aarhus"),
    "Europe/Helsinki": ("helsinki", "finland"),
    "Atlantic/Reykjavik": ("reykjavik", "iceland"),
    "Europe/Warsaw": ("warsaw", "poland", "krakow", "kraków"),
    "Europe/Prague": ("prague", "czechia", "czech republic"),
    "Europe/Athens": ("athens", "greece"),
    "Europe/Istanbul": ("istanbul", "turkey", "türkiye"),
    "Africa/Johannesburg": ("cape town", "johannesburg", "south africa", "durban"),
    "Africa/Nairobi": ("nairobi", "kenya"),
    "Africa/Lagos": ("lagos", "nigeria"),
    "Asia/Dubai": ("dubai", "uae", "abu dhabi"),
    "Asia/Kolkata": ("india", "mumbai", "delhi", "new delhi", "bangalore", "bengaluru"),
    "Asia/Bangkok": ("bangkok", "thailand", "chiang mai", "phuket"),
    "Asia/Singapore": ("singapore",),
    "Asia/Jakarta": ("jakarta", "indonesia", "bali"),
    "Asia/Manila": ("manila", "philippines"),
    "Asia/Hong_Kong": ("hong kong",),
    "Asia/Shanghai": ("shanghai", "beijing", "china"),
    "Asia/Seoul": ("seoul", "korea", "south korea"),
    "Asia/Tokyo": ("tokyo", "japan", "osaka", "kyoto"),
    "Australia/Sydney": ("sydney", "melbourne", "canberra", "new south wales", "victoria"),
    "Australia/Brisbane": ("brisbane", "queensland"),
    "Australia/Perth": ("perth",),
    "Pacific/Auckland": ("auckland", "new zealand", "wellington", "christchurch", "queenstown"),
    "America/St_Johns": ("st. john's", "newfoundland"),
    "America/Halifax": ("halifax", "nova scotia"),
    "America/Toronto": (
        "toronto", "montreal", "montréal", "quebec", "québec", "ottawa", "ontario",
    ),
    "America/New_York": (
        "new york", "nyc", "boston", "philadelphia", "washington", "washington dc", "miami",
        "atlanta", "asheville", "ohio", "pittsburgh", "detroit", "florida", "georgia",
        "maine", "vermont", "north carolina", "virginia", "new jersey", "massachusetts",
    ),
    "America/Chicago": ("chicago", "texas", "austin", "houston", "dallas", "minneapolis",
                        "nashville", "new orleans", "illinois", "minnesota"),
    "America/Denver": ("denver", "boulder", "colorado", "bozeman", "montana", "moab", "utah",
                       "salt lake city", "wyoming", "jackson hole", "albuquerque"),
    "America/Phoenix": ("phoenix", "tucson", "arizona", "flagstaff"),
    "America/Los_Angeles": (
        "los angeles", "la", "san francisco", "seattle", "portland", "oregon", "california",
        "san diego", "sacramento", "kennedy meadows", "yosemite", "washington state",
        "lake tahoe", "tahoe",
    ),
    "America/Vancouver": ("vancouver", "whistler", "british columbia", "victoria bc"),
    "America/Edmonton": ("calgary", "edmonton", "alberta", "banff"),
    "America/Whitehorse": ("whitehorse", "yukon"),
    "America/Anchorage": ("anchorage", "alaska"),
    "Pacific/Honolulu": ("honolulu", "hawaii"),
    "America/Mexico_City": ("mexico city", "mexico", "méxico", "guadalajara"),
    "America/Sao_Paulo": ("são paulo", "sao paulo", "rio de janeiro", "brazil", "brasil"),
    "America/Argentina/Buenos_Aires": ("buenos aires", "argentina"),
    "America/Santiago": ("santiago", "chile", "patagonia"),
    "America/Bogota": ("bogotá", "bogota", "colombia"),
    "America/Lima": ("lima", "peru"),
}  # fmt: skip
PLACES: dict[str, str] = {name: zone for zone, names in _ZONES.items() for name in names}
"""Lower-case place name → IANA time zone (a city, a region or a single-zone country)."""


def place_zones(events: pl.DataFrame) -> pl.DataFrame:
    """``actor, zone, place``: each account's most frequent known place and its time zone.

    A location matches whole (``"Cape Town"``) or by its first or last comma-separated part
    (``"Lyon, France"``); unknown places are dropped.

    Examples
    --------
    >>> ev = pl.DataFrame({"actor": ["a", "a", "b"], "location": ["Lyon, France", "Paris", "Mars"]})
    >>> place_zones(ev).rows()
    [('a', 'Europe/Paris', 'Lyon, France')]
    """
    loc = pl.col("location").str.strip_chars().str.to_lowercase()
    parts = loc.str.split(",")

    def lookup(e: pl.Expr) -> pl.Expr:
        return e.str.strip_chars().replace_strict(PLACES, default=None, return_dtype=pl.String)

    return (
        events.filter(pl.col("location").is_not_null() & pl.col("actor").is_not_null())
        .select(
            "actor",
            pl.col("location").alias("place"),
            pl.coalesce(lookup(loc), lookup(parts.list.first()), lookup(parts.list.last())).alias(
                "zone"
            ),
        )
        .drop_nulls("zone")
        .group_by(["actor", "zone", "place"])
        .agg(pl.len().alias("n"))
        .sort(["actor", "n", "zone", "place"], descending=[False, True, False, False])
        .group_by("actor", maintain_order=True)
        .first()
        .select("actor", "zone", "place")
    )


def community_zones(
    zones: pl.DataFrame,
    members: pl.DataFrame,
    *,
    min_agree: float = 2 / 3,
    min_located: float = 0.05,
    min_count: int = 3,
) -> pl.DataFrame:
    """``community, zone, place, located``: the zone most located members share, when enough do.

    ``place`` is the members' most frequent place in that zone (to say where the zone came from).
    """
    sizes = members.group_by("community").agg(pl.len().alias("size"))
    located = members.join(zones, on="actor", how="inner")
    per_zone = (
        located.group_by(["community", "zone"])
        .agg(pl.len().alias("n"), pl.col("place").mode().sort().first().alias("place"))
        .with_columns(pl.col("n").sum().over("community").alias("located"))
        .sort(["community", "n", "zone"], descending=[False, True, False])
        .group_by("community", maintain_order=True)
        .first()
        .join(sizes, on="community")
    )
    return per_zone.filter(
        (pl.col("n") >= min_agree * pl.col("located"))
        & (pl.col("located") >= min_located * pl.col("size"))
        & (pl.col("located") >= min_count)
    ).select("community", "zone", "place", "located")


def local_activity(
    events: pl.DataFrame,
    members: pl.DataFrame,
    *,
    default: str,
    audience_size: int,
    top: int = 3,
) -> tuple[dict[int, dict[str, Any]], list[float]]:
    """Each community's activity in its local zone, and the audience's week in ``default``.

    The events are read once: each account's distinct quarter-hours (UTC), then the few
    thousand distinct quarter-hours are placed in each zone's week (see :func:`_zone_slots`).

    Returns
    -------
    (dict, list)
        community → ``{"timezone", "zone_from", "zone_place", "peak", "slots", "week"}``:
        ``zone_from`` is ``places`` (members' places agree; ``zone_place`` is the most named one)
        or ``default`` (``--timezone``); ``week`` holds
        168 shares of members active in each hour of the week (Monday 00:00 first), and the
        audience's 168 shares in the default zone.
    """
    chosen = community_zones(place_zones(events), members)
    zone_of = dict(zip(chosen["community"].to_list(), chosen["zone"].to_list(), strict=True))
    place_of = dict(zip(chosen["community"].to_list(), chosen["place"].to_list(), strict=True))
    member_zone = members.with_columns(
        pl.col("community")
        .replace_strict(zone_of, default=default, return_dtype=pl.String)
        .alias("zone")
    )
    zones = sorted(set(member_zone["zone"].unique().to_list()) | {default})
    pairs, slot_of = _zone_slots(events, zones)
    overall = _audience_slots(pairs, slot_of, zones)  # zone, slot, all
    sizes = members.group_by("community").agg(pl.len().alias("size"))
    counts = (
        pairs.join(member_zone, on="actor", how="inner")
        .join(slot_of, on=["zone", "key"], how="inner")
        .select("zone", "community", "actor", "slot")
        .unique()
        .group_by(["zone", "community", "slot"])
        .agg(pl.len().alias("members"))
        .join(sizes, on="community")
        .join(overall, on=["zone", "slot"])
    )
    peaks: dict[int, list[dict[str, Any]]] = {}
    for row in rank_slots(counts, audience_size=audience_size, top=top).to_dicts():
        peaks.setdefault(row["community"], []).append(row)
    weeks: dict[int, list[float]] = {}
    for cid, slot, n, size in counts.select("community", "slot", "members", "size").iter_rows():
        weeks.setdefault(cid, [0.0] * 168)[slot] = round(n / max(size, 1), 4)
    out: dict[int, dict[str, Any]] = {}
    for cid, zone in member_zone.select("community", "zone").unique().iter_rows():
        out[int(cid)] = {  # one entry per community
            "timezone": zone,
            "zone_from": "places" if cid in zone_of else "default",
            "zone_place": place_of.get(cid),
            **_peaks(peaks.get(cid, [])),
            "week": weeks.get(cid, [0.0] * 168),
        }
    audience = overall.filter(pl.col("zone") == default).select("slot", pl.col("all").alias("n"))
    return out, _week(audience, audience_size)


def _zone_slots(events: pl.DataFrame, zones: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``actor, key`` (the distinct times each account was active, as a key) and ``zone, key,
    slot`` (each key's hour of the week in each zone).

    A key is a quarter-hour of UTC: every zone in use today is offset from UTC by whole
    quarter-hours and changes its clocks on one, so a quarter-hour falls in a single local hour.
    When one does not (local mean time before 1900, say), keys are whole seconds, which is exact
    for every zone (offsets and changes are whole seconds) — slower, never wrong.
    """
    timed = events.filter(pl.col("actor").is_not_null() & pl.col("created_at").is_not_null())
    seconds = pl.col("created_at").dt.epoch("s")  # floor, also before 1970
    unit = 900
    quarters = timed.select((seconds // unit).alias("key")).unique()
    if not _whole_quarters(quarters, zones):
        unit = 1
    pairs = timed.select("actor", (seconds // unit).alias("key")).unique()
    keys = pairs.select("key").unique() if unit != 900 else quarters
    start = pl.from_epoch(pl.col("key") * unit, time_unit="s").dt.replace_time_zone("UTC")
    slot_of = pl.concat(
        [
            keys.select(pl.lit(zone).alias("zone"), "key", _slot(start.dt.convert_time_zone(zone)))
            for zone in zones  # a few thousand keys per zone
        ]
    )
    return pairs, slot_of


def _slot(local: pl.Expr) -> pl.Expr:
    """Hour of the week (0 = Monday 00:00) of a local time, as :func:`activity_slots` counts it."""
    return ((local.dt.weekday().cast(pl.Int32) - 1) * 24 + local.dt.hour().cast(pl.Int32)).alias(
        "slot"
    )


def _whole_quarters(quarters: pl.DataFrame, zones: list[str]) -> bool:
    """Whether each quarter-hour ``key`` lies in one local hour of every zone: its offset from
    UTC is the same at its first and last second, and a whole number of quarter-hours."""
    start = pl.from_epoch(pl.col("key") * 900, time_unit="s").dt.replace_time_zone("UTC")
    last = start + pl.duration(seconds=899)

    def offset(t: pl.Expr, zone: str) -> pl.Expr:
        naive = t.dt.convert_time_zone(zone).dt.replace_time_zone(None)
        return (naive - t.dt.replace_time_zone(None)).dt.total_seconds()

    for zone in zones:
        ok = quarters.select(
            ((offset(start, zone) == offset(last, zone)) & (offset(start, zone) % 900 == 0)).all()
        ).item()
        if not ok:
            return False
    return True


def _audience_slots(
    pairs: pl.DataFrame, slot_of: pl.DataFrame, zones: list[str]
) -> pl.DataFrame:
    """``zone, slot, all``: accounts of the whole audience active in each hour of each zone's week.

    Zones whose weeks are the same up to a turn of the clock (every key ``k`` hours later: the
    zones of one DST rule, fixed offsets) have the same counts turned by ``k``: counted once.
    """
    by_zone = slot_of.sort("zone", "key").partition_by("zone", as_dict=True)
    maps = {z: by_zone[(z,)]["slot"].to_numpy() if (z,) in by_zone else None for z in zones}
    turns: dict[str, tuple[str, int]] = {}  # zone → (the zone counted, hours to turn)
    for zone in sorted(maps):
        for base in dict.fromkeys(b for b, _ in turns.values()):
            diff = (maps[zone] - maps[base]) % 168 if maps[zone] is not None else None
            if diff is not None and diff.size and (diff == diff[0]).all():
                turns[zone] = (base, int(diff[0]))
                break
        else:
            turns[zone] = (zone, 0)
    counted = (
        pairs.join(slot_of.filter(pl.col("zone").is_in([b for b, _ in turns.values()])), on="key")
        .select("zone", "actor", "slot")
        .unique()
        .group_by(["zone", "slot"])
        .agg(pl.len().alias("all"))
    )
    return pl.concat(
        [
            counted.filter(pl.col("zone") == base).select(
                pl.lit(zone).alias("zone"), ((pl.col("slot") + k) % 168).alias("slot"), "all"
            )
            for zone, (base, k) in turns.items()
        ]
    )


def _week(counts: pl.DataFrame, size: int) -> list[float]:
    week = [0.0] * 168
    for slot, n in counts.select("slot", "n").iter_rows():  # at most 168 rows
        week[int(slot)] = round(n / max(size, 1), 4)
    return week


def _peaks(rows: list[dict[str, Any]]) -> dict[str, Any]:
    slots = [
        {
            "weekday": WEEKDAYS[p["weekday"]],
            "hour": int(p["hour"]),
            "label": f"{WEEKDAYS[p['weekday']]} {p['hour']:02d}:00–{(p['hour'] + 1) % 24:02d}:00",
            "members": int(p["members"]),
            "share_in": round(float(p["share_in"]), 4),
            "share_all": round(float(p["share_all"]), 4),
            "lift": round(float(p["lift"]), 2),
        }
        for p in rows
    ]
    return {"peak": slots[0] if slots else None, "slots": slots}
