"""Local time of each community (report/localtime.py): the one-pass version gives exactly what
the straightforward one gave — one full pass over the events per time zone — on audiences with
DST-changing zones (north and south), half-hour offsets (Kolkata, St. John's, Lord Howe's
half-hour DST), events on the very instants clocks change, and historic times whose offsets
are not whole quarter-hours (local mean time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl
import pytest

from microcomm.report.localtime import _peaks, community_zones, local_activity, place_zones

# Places (one per community, the last community mixed) and their zones: Europe/Paris,
# America/New_York, Australia/Sydney, Asia/Kolkata (+5:30), America/St_Johns (−3:30, DST).
CITIES = ("Paris", "New York", "Sydney", "Mumbai", "St. John's")
# The instants clocks changed in 2026 (UTC): EU spring and autumn, US spring and autumn,
# Sydney autumn and spring, St. John's spring and autumn.
SWITCHES = (
    datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC),
    datetime(2026, 4, 4, 16, tzinfo=UTC), datetime(2026, 10, 3, 16, tzinfo=UTC),
    datetime(2026, 3, 8, 5, 30, tzinfo=UTC), datetime(2026, 11, 1, 4, 30, tzinfo=UTC),
)  # fmt: skip


def _week(counts: pl.DataFrame, size: int) -> list[float]:
    week = [0.0] * 168
    for slot, n in counts.select("slot", "n").iter_rows():  # at most 168 rows
        week[int(slot)] = round(n / max(size, 1), 4)
    return week


def _reference(
    events: pl.DataFrame, members: pl.DataFrame, *, default: str, audience_size: int, top: int
) -> tuple[dict[int, dict[str, Any]], list[float]]:
    """The implementation before the one-pass rewrite: every event converted once per zone."""

    def slots_in(zone: str) -> pl.DataFrame:
        local = pl.col("created_at").dt.convert_time_zone(zone)
        slot = (local.dt.weekday().cast(pl.Int32) - 1) * 24 + local.dt.hour().cast(pl.Int32)
        return (
            events.filter(pl.col("actor").is_not_null() & pl.col("created_at").is_not_null())
            .select("actor", slot.alias("slot"))
            .unique()
        )

    def peaks_of(slots: pl.DataFrame, group: pl.DataFrame) -> pl.DataFrame:
        sizes = group.group_by("community").agg(pl.len().alias("size"))
        overall = slots.group_by("slot").agg(pl.len().alias("all"))
        return (
            slots.join(group, on="actor", how="inner")
            .group_by(["community", "slot"])
            .agg(pl.len().alias("members"))
            .join(sizes, on="community")
            .join(overall, on="slot")
            .with_columns(
                (pl.col("members") / pl.col("size")).alias("share_in"),
                (pl.col("all") / max(audience_size, 1)).alias("share_all"),
            )
            .with_columns((pl.col("share_in") / pl.col("share_all")).alias("lift"))
            .sort(["community", "members", "lift", "slot"], descending=[False, True, True, False])
            .group_by("community", maintain_order=True)
            .head(top)
            .with_columns(
                (pl.col("slot") // 24).alias("weekday"), (pl.col("slot") % 24).alias("hour")
            )
        )

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
    for zone in sorted(set(member_zone["zone"].unique().to_list()) | {default}):
        slots = slots_in(zone)
        if zone == default:
            audience_week = _week(slots.group_by("slot").agg(pl.len().alias("n")), audience_size)
        group = member_zone.filter(pl.col("zone") == zone).select("actor", "community")
        if group.is_empty():
            continue
        peaks = peaks_of(slots, group)
        grid = (
            slots.join(group, on="actor", how="inner")
            .group_by(["community", "slot"])
            .agg(pl.len().alias("n"))
            .join(sizes, on="community")
        )
        for cid in group["community"].unique().sort().to_list():
            rows = grid.filter(pl.col("community") == cid)
            size = int(rows["size"][0]) if rows.height else 1
            out[int(cid)] = {
                "timezone": zone,
                "zone_from": "places" if cid in zone_of else "default",
                "zone_place": place_of.get(cid),
                **_peaks(peaks.filter(pl.col("community") == cid).to_dicts()),
                "week": _week(rows.select("slot", "n"), size),
            }
    return out, audience_week


def _audience(start: datetime, days: int, *, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Six communities of 40 (five cities, one mixed) and 60 accounts in none; events at
    random seconds (and microseconds) over ``days`` days, plus a burst around each clock
    change, a few without a time and a few without an actor."""
    rng = np.random.default_rng(seed)
    actors = [f"a{i:03d}" for i in range(300)]
    community = [i // 40 if i < 240 else -1 for i in range(300)]
    rows: list[tuple[str | None, datetime | None, str | None]] = []
    span = days * 86_400
    for i, a in enumerate(actors):
        c = community[i]
        for _ in range(int(rng.integers(1, 12))):
            t = start + timedelta(
                seconds=int(rng.integers(span)), microseconds=int(rng.integers(10**6))
            )
            place = CITIES[c] if 0 <= c < 5 and rng.random() < 0.9 else str(rng.choice(CITIES))
            rows.append((a, t, place if rng.random() < 0.8 else None))
    for switch in SWITCHES:
        base = switch + (
            start - datetime(2026, 1, 1, tzinfo=UTC)
        )  # the same days of ``start``'s year
        for k in range(-8, 8):  # every 7.5 minutes across the hour each side of the change
            a = actors[int(rng.integers(300))]
            rows.append((a, base + timedelta(seconds=450 * k), None))
            rows.append((a, base + timedelta(seconds=450 * k - 1, microseconds=999_999), None))
    rows += [(actors[0], None, "Paris"), (None, start, "Paris"), (None, None, None)]
    events = pl.DataFrame(
        rows,
        schema={"actor": pl.String, "created_at": pl.Datetime("us", "UTC"), "location": pl.String},
        orient="row",
    )
    members = pl.DataFrame({"actor": actors[:240], "community": community[:240]})
    return events, members


@pytest.mark.parametrize(
    "default", ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/London"]
)
def test_local_activity_equals_one_pass_per_zone(default: str) -> None:
    events, members = _audience(datetime(2026, 1, 1, tzinfo=UTC), 365, seed=3)
    n = events["actor"].n_unique()
    got = local_activity(events, members, default=default, audience_size=n)
    want = _reference(events, members, default=default, audience_size=n, top=3)
    assert {c["timezone"] for c in got[0].values()} == {
        "Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
        "America/St_Johns", default,
    }  # fmt: skip
    assert got == want


def test_local_activity_historic_times_with_local_mean_time() -> None:
    # Before time zones (1890: Paris at +0:09:21, Kolkata at +5:53:28) a quarter-hour of UTC
    # straddles two local hours: the one-pass version must still agree, and with top=5.
    events, members = _audience(datetime(1889, 6, 1, tzinfo=UTC), 400, seed=5)
    n = events["actor"].n_unique()
    got = local_activity(events, members, default="Europe/Paris", audience_size=n, top=5)
    want = _reference(events, members, default="Europe/Paris", audience_size=n, top=5)
    assert got == want


def test_local_activity_events_without_times() -> None:
    events, members = _audience(datetime(2026, 1, 1, tzinfo=UTC), 30, seed=9)
    events = events.with_columns(pl.lit(None, dtype=pl.Datetime("us", "UTC")).alias("created_at"))
    got = local_activity(events, members, default="UTC", audience_size=300)
    assert got == _reference(events, members, default="UTC", audience_size=300, top=3)
    assert got[1] == [0.0] * 168 and all(c["peak"] is None for c in got[0].values())


def test_local_activity_account_in_two_communities() -> None:
    # Frames built by hand may list an account in two communities (detect never does): it
    # counts in both, in each one's zone, as before.
    events, members = _audience(datetime(2026, 1, 1, tzinfo=UTC), 120, seed=11)
    twice = pl.concat(
        [
            members,
            members.filter(pl.col("community") == 0)
            .head(10)
            .with_columns(community=pl.lit(5, dtype=pl.Int64)),
            members.filter(pl.col("community") == 1)
            .head(5)
            .with_columns(community=pl.lit(6, dtype=pl.Int64)),
        ]
    )
    got = local_activity(events, twice, default="Europe/Paris", audience_size=300)
    assert got == _reference(events, twice, default="Europe/Paris", audience_size=300, top=3)


def test_local_activity_no_community_shown() -> None:
    # Every community under the size bar (report --min-size): no community, the audience week.
    events, members = _audience(datetime(2026, 1, 1, tzinfo=UTC), 30, seed=9)
    none = members.clear()
    got = local_activity(events, none, default="UTC", audience_size=300)
    assert got == _reference(events, none, default="UTC", audience_size=300, top=3)
    assert got[0] == {} and sum(got[1]) > 0
