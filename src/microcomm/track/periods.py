"""Track stage, step 1: events → calendar periods → communities of each period.

Every period is detected on its own events with the same settings as ``microcomm detect``
(:func:`microcomm.pipeline.find_communities`, seeded), so a period's communities are what
``detect`` would have found had the store held only that period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl

from microcomm.config import Config
from microcomm.errors import EmptyGraphError

_EVERY = {"month": "1mo", "week": "1w", "quarter": "1q"}
GRAPH_COLUMNS = ("actor", "platform", "kind", "target", "target_kind")
SHORTER = {"quarter": "month", "month": "week", "week": None}


@dataclass(frozen=True)
class Period:
    """One period: its index, label, bounds, and what detection made of it."""

    index: int
    label: str
    start: datetime | None
    end: datetime | None  # exclusive (None: a run with no dated events)
    events: int = 0
    accounts: int = 0
    communities: int = 0
    placed: int = 0
    status: str = "ok"  # ok | no events | too few accounts | no co-engagement ties

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def period_label(start: datetime, period: str) -> str:
    """``2026-09`` (month), ``2026-W36`` (ISO week), ``2026-Q3`` (quarter).

    Examples
    --------
    >>> period_label(datetime(2026, 8, 31), "week"), period_label(datetime(2026, 8, 1), "quarter")
    ('2026-W36', '2026-Q3')
    """
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def _day(text: str) -> datetime:
    d = date.fromisoformat(text)
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def split_periods(
    events: pl.DataFrame, *, period: str = "month", since: str = "", until: str = ""
) -> tuple[pl.DataFrame, list[Period]]:
    """Events with a ``period`` column (index into the returned periods), and the periods.

    Every calendar period from the first to the last event (or ``since`` / ``until``, both
    days included) is listed, empty ones too; events outside the window, or with no time,
    are dropped.

    Examples
    --------
    >>> ev = pl.DataFrame({"actor": ["a", "b"], "created_at": [datetime(2026, 9, 3, tzinfo=UTC),
    ...                    datetime(2026, 11, 2, tzinfo=UTC)]})
    >>> _, ps = split_periods(ev)
    >>> [p.label for p in ps]
    ['2026-09', '2026-10', '2026-11']
    """
    every = _EVERY[period]
    ts = pl.col("created_at")
    kept = events.filter(ts.is_not_null())
    if since:
        kept = kept.filter(ts >= _day(since))
    if until:
        kept = kept.filter(ts < _day(until) + timedelta(days=1))
    if kept.height == 0:
        return kept.with_columns(pl.lit(0, pl.Int32).alias("period")), []
    lo = _day(since) if since else kept["created_at"].min()
    hi = _day(until) if until else kept["created_at"].max()
    starts = pl.datetime_range(
        pl.lit(lo).dt.truncate(every), pl.lit(hi).dt.truncate(every), every, eager=True
    )
    bounds = (
        pl.DataFrame({"start": starts})
        .with_row_index("period")
        .with_columns(pl.col("period").cast(pl.Int32))
    )
    tagged = (
        kept.with_columns(ts.dt.truncate(every).alias("_start"))
        .join(bounds, left_on="_start", right_on="start", how="left")
        .drop("_start")
    )
    # One step past the last start gives each period's exclusive end.
    ends = pl.datetime_range(starts[0], pl.lit(starts[-1]).dt.offset_by(every), every, eager=True)[
        1:
    ]
    periods = [
        Period(index=i, label=period_label(s, period), start=s, end=e)
        for i, (s, e) in enumerate(zip(starts.to_list(), ends.to_list(), strict=True))
    ]
    return tagged, periods


def detect_periods(
    events: pl.DataFrame,
    entities: pl.DataFrame,
    periods: list[Period],
    *,
    config: Config | None = None,
) -> tuple[pl.DataFrame, list[Period]]:
    """Communities of every period: ``period, actor, community`` and the periods' outcomes.

    ``events`` and ``entities`` carry a ``period`` column. Communities smaller than
    ``report.min_size`` are left out (their accounts are "unplaced"). A period with no events,
    too few accounts (``track.min_accounts``) or no shared context is reported as such in its
    ``status``; it never raises.
    """
    from microcomm.brand import resolve_brand
    from microcomm.pipeline import find_communities

    config = config or Config()
    # One brand for every period, found on the whole audience as detect finds it: the graph
    # keeps the idf on its direct ties (graph.py), so a brand found period by period could
    # weigh the same conversations differently from one month to the next.
    brand = tuple(sorted(resolve_brand(events, given=(config.report.brand,)).handles))
    # Only what the graph reads (as detect's own read): texts and ids are not copied per period.
    graph_cols = [c for c in GRAPH_COLUMNS if c in events.columns]
    ev_by = events.select("period", *graph_cols).partition_by("period", as_dict=True)
    ent_by = entities.partition_by("period", as_dict=True)
    out: list[pl.DataFrame] = []
    done: list[Period] = []
    for p in periods:
        ev = ev_by.get((p.index,))
        n_events = 0 if ev is None else ev.height
        n_accounts = 0 if ev is None else ev["actor"].n_unique()
        status = "ok"
        if n_events == 0:
            status = "no events"
        elif n_accounts < config.track.min_accounts:
            status = "too few accounts"
        members = None
        if status == "ok":
            assert ev is not None
            ent = ent_by.get((p.index,), entities.clear())
            try:
                found = find_communities(  # level 0, the size rule's resolution in every period
                    ev, ent, config=config, finest_only=True, choose_resolution=False,
                    exclude=brand,
                )
            except EmptyGraphError:
                status = "no co-engagement ties"
            else:
                members = _kept(found.graph.actors, found.levels[0], config.report.min_size)
        n_comm = 0 if members is None else members["community"].n_unique()
        if members is not None and n_comm == 0:
            status = "no community reaches report.min_size"
        if members is not None and n_comm:
            out.append(members.with_columns(pl.lit(p.index, pl.Int32).alias("period")))
        done.append(
            Period(
                index=p.index,
                label=p.label,
                start=p.start,
                end=p.end,
                events=n_events,
                accounts=n_accounts,
                communities=n_comm,
                placed=0 if members is None else members.height,
                status=status,
            )
        )
    schema = {"period": pl.Int32, "actor": pl.String, "community": pl.Int64}
    frame = pl.concat(out).select(list(schema)) if out else pl.DataFrame(schema=schema)
    return frame.sort(["period", "community", "actor"]), done


def _kept(actors: np.ndarray, labels: np.ndarray, min_size: int) -> pl.DataFrame:
    """``actor, community`` of communities with at least ``min_size`` members."""
    df = pl.DataFrame({"actor": actors, "community": labels.astype(np.int64)})
    return df.filter((pl.col("community") >= 0) & (pl.len().over("community") >= min_size)).select(
        pl.col("actor").cast(pl.String), "community"
    )
