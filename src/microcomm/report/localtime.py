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

from microcomm.profiles import WEEKDAYS, activity_peaks, activity_slots

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
    sizes = members.group_by("community").agg(pl.len().alias("size"))
    out: dict[int, dict[str, Any]] = {}
    audience_week: list[float] = [0.0] * 168
    zones = sorted(set(member_zone["zone"].unique().to_list()) | {default})
    for zone in zones:  # one pass per distinct zone (a handful), each vectorised
        slots = activity_slots(events, timezone=zone)
        if zone == default:
            audience_week = _week(slots.group_by("slot").agg(pl.len().alias("n")), audience_size)
        group = member_zone.filter(pl.col("zone") == zone).select("actor", "community")
        if group.is_empty():
            continue
        peaks = activity_peaks(slots, group, audience_size=audience_size, top=top)
        grid = (
            slots.join(group, on="actor", how="inner")
            .group_by(["community", "slot"])
            .agg(pl.len().alias("n"))
            .join(sizes, on="community")
        )
        by_grid = {k[0]: v for k, v in grid.partition_by("community", as_dict=True).items()}
        by_peak = {k[0]: v for k, v in peaks.partition_by("community", as_dict=True).items()}
        for cid in group["community"].unique().sort().to_list():  # one entry per community
            rows = by_grid.get(cid, grid.clear())
            size = int(rows["size"][0]) if rows.height else 1
            top_rows = by_peak[cid].to_dicts() if cid in by_peak else []
            out[int(cid)] = {
                "timezone": zone,
                "zone_from": "places" if cid in zone_of else "default",
                "zone_place": place_of.get(cid),
                **_peaks(top_rows),
                "week": _week(rows.select("slot", "n"), size),
            }
    return out, audience_week


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
