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

from datetime import timedelta
from typing import Any

import numpy as np
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

    The events are read once (:class:`_Times`: each event's account and UTC quarter-hour);
    the few thousand distinct quarter-hours are placed in each zone's week, and each zone's
    communities are counted from their own members' events only.

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
    cids = members["community"].unique().sort().to_list()
    zones = sorted({zone_of.get(c, default) for c in cids} | {default})
    times = _Times.of(events, zones)
    overall = _audience_counts(times, zones)  # zone → accounts active in each hour
    grid = _member_counts(times, members, cids, [zone_of.get(c, default) for c in cids])
    size_of = dict(members.group_by("community").agg(pl.len().alias("size")).iter_rows())
    sizes = np.array([size_of[c] for c in cids], dtype=np.int64)
    ci, slot = np.nonzero(grid)
    zi = np.array([zones.index(zone_of.get(c, default)) for c in cids], dtype=np.int64)[ci]
    counts = pl.DataFrame(
        {
            "community": np.array(cids, dtype=np.int64)[ci],
            "slot": slot.astype(np.int32),
            "members": grid[ci, slot],
            "size": sizes[ci],
            "all": np.stack([overall[z] for z in zones])[zi, slot],
        }
    )
    peaks: dict[int, list[dict[str, Any]]] = {}
    for row in rank_slots(counts, audience_size=audience_size, top=top).to_dicts():
        peaks.setdefault(row["community"], []).append(row)
    weeks = _shares(grid, sizes)
    out: dict[int, dict[str, Any]] = {}
    for i, cid in enumerate(cids):  # one entry per community
        out[int(cid)] = {
            "timezone": zone_of.get(cid, default),
            "zone_from": "places" if cid in zone_of else "default",
            "zone_place": place_of.get(cid),
            **_peaks(peaks.get(cid, [])),
            "week": weeks[i],
        }
    return out, _shares(overall[default][None, :], np.array([audience_size]))[0]


def _shares(counts: np.ndarray, sizes: np.ndarray) -> list[list[float]]:
    """``round(n / size, 4)`` of each cell, as Python rounds it (each distinct pair once)."""
    size = np.maximum(sizes, 1).astype(np.int64)
    width = int(size.max(initial=1)) + 1
    pairs, inverse = np.unique(counts * width + size[:, None], return_inverse=True)
    values = np.array([round(int(p // width) / int(p % width), 4) for p in pairs], dtype=np.float64)
    return values[inverse.reshape(counts.shape)].tolist()  # type: ignore[no-any-return]


class _Times:
    """The timed events as arrays: each event's account (``code``, an index into ``actors``)
    and time (``key``, an index into the distinct times), and each distinct time's hour of
    the week in each zone (``slots[zone]``).

    A time is a quarter-hour of UTC: every zone in use today is offset from UTC by whole
    quarter-hours and changes its clocks on one, so a quarter-hour falls in a single local hour.
    When one does not (local mean time before 1900, say), times are whole seconds, which is
    exact for every zone (offsets and changes are whole seconds) — slower, never wrong.
    """

    def __init__(
        self, actors: pl.Series, code: np.ndarray, key: np.ndarray, slots: dict[str, np.ndarray]
    ) -> None:
        self.actors, self.code, self.key, self.slots = actors, code, key, slots

    @classmethod
    def of(cls, events: pl.DataFrame, zones: list[str]) -> _Times:
        timed = events.filter(pl.col("actor").is_not_null() & pl.col("created_at").is_not_null())
        seconds = timed["created_at"].dt.epoch("s").to_numpy()  # floor, also before 1970
        keys, key = np.unique(seconds // 900, return_inverse=True)
        unit = 900
        if not _whole_quarters(pl.Series("key", keys), zones):
            unit = 1
            keys, key = np.unique(seconds, return_inverse=True)
        ids = timed["actor"].cast(pl.Categorical).to_physical().to_numpy()
        _, first, code = np.unique(ids, return_index=True, return_inverse=True)
        start = pl.from_epoch(pl.Series("key", keys * unit), time_unit="s").dt.replace_time_zone(
            "UTC"
        )
        slots = {z: _slot(start.dt.convert_time_zone(z)).to_numpy() for z in zones}
        return cls(timed["actor"].gather(first), code.ravel(), key.ravel(), slots)


def _slot(local: pl.Series) -> pl.Series:
    """Hour of the week (0 = Monday 00:00) of local times, as :func:`activity_slots` counts it."""
    return (local.dt.weekday().cast(pl.Int32) - 1) * 24 + local.dt.hour().cast(pl.Int32)


def _whole_quarters(keys: pl.Series, zones: list[str]) -> bool:
    """Whether each quarter-hour ``key`` lies in one local hour of every zone: its offset from
    UTC is the same at its first and last second, and a whole number of quarter-hours."""
    start = pl.from_epoch(keys * 900, time_unit="s").dt.replace_time_zone("UTC")
    last = start + timedelta(seconds=899)
    for zone in zones:
        first = (
            start.dt.convert_time_zone(zone).dt.replace_time_zone(None)
            - start.dt.replace_time_zone(None)
        ).dt.total_seconds()
        end = (
            last.dt.convert_time_zone(zone).dt.replace_time_zone(None)
            - last.dt.replace_time_zone(None)
        ).dt.total_seconds()
        if not ((first == end) & (first % 900 == 0)).all():
            return False
    return True


def _distinct_slots(
    times: _Times, zone: str, rows: np.ndarray | slice = slice(None)
) -> tuple[np.ndarray, np.ndarray]:
    """``code, slot``: the distinct (account, hour of ``zone``'s week) of the events ``rows``."""
    both = _sorted_unique(
        times.code[rows].astype(np.int64) * 168 + times.slots[zone][times.key[rows]]
    )
    return both // 168, both % 168


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting (numpy 2's hash-based unique is several times slower here)."""
    values = np.sort(values)
    keep = np.ones(values.size, dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _audience_counts(times: _Times, zones: list[str]) -> dict[str, np.ndarray]:
    """Accounts of the whole audience active in each hour of each zone's week.

    Zones whose weeks are the same up to a turn of the clock (every time ``k`` hours later:
    the zones of one DST rule, fixed offsets) have the same counts turned by ``k``: counted once.
    """
    out: dict[str, np.ndarray] = {}
    counted: list[str] = []
    for zone in zones:
        for base in counted:
            diff = (times.slots[zone] - times.slots[base]) % 168
            if diff.size and (diff == diff[0]).all():
                out[zone] = np.roll(out[base], int(diff[0]))
                break
        else:
            counted.append(zone)
            out[zone] = np.bincount(_distinct_slots(times, zone)[1], minlength=168)
    return out


def _member_counts(
    times: _Times, members: pl.DataFrame, cids: list[int], zone_of: list[str]
) -> np.ndarray:
    """Members of each community (rows: ``cids``, in the zones ``zone_of``) active in each hour
    of its zone's week, counted zone by zone from that zone's members' events only."""
    index = pl.DataFrame(
        {"community": cids, "_c": range(len(cids)), "_z": zone_of},
        schema={"community": members.schema["community"], "_c": pl.Int64, "_z": pl.String},
    )
    codes = pl.DataFrame({"actor": times.actors, "_code": range(times.actors.len())})
    member_codes = codes.join(members.join(index, on="community"), on="actor")  # _code, _c, _z
    grid = np.zeros((len(cids), 168), dtype=np.int64)
    for (zone,), mine in member_codes.partition_by("_z", as_dict=True).items():
        inside = np.zeros(times.actors.len(), dtype=bool)
        inside[mine["_code"].to_numpy()] = True
        code, slot = _distinct_slots(times, zone, np.flatnonzero(inside[times.code]))
        if mine["_code"].is_unique().all():  # one community per account (as detect gives)
            comm = np.zeros(times.actors.len(), dtype=np.int64)
            comm[mine["_code"].to_numpy()] = mine["_c"].to_numpy()
            cells = np.bincount(comm[code] * 168 + slot, minlength=grid.size)
            grid += cells.reshape(grid.shape)
            continue
        cells = (
            pl.DataFrame({"_code": code, "slot": slot})
            .join(mine.select("_code", "_c"), on="_code")
            .group_by("_c", "slot")
            .len()
        )
        grid[cells["_c"].to_numpy(), cells["slot"].to_numpy()] = cells["len"].to_numpy()
    return grid


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
