"""What a report is built from: the frames of one detection run, as plain polars data.

The report package never opens the store: :func:`microcomm.pipeline.load_report_inputs`
reads these frames, and anything else (a notebook, a test, a filtered copy of the events)
can build a :class:`ReportInputs` by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from microcomm.schema import FILTERED

# The columns of each table the report reads; a loader reads these and nothing more.
EVENT_COLUMNS = (
    "event_id", "platform", "kind", "actor", "target", "target_kind", "text", "created_at",
    "location",
)  # fmt: skip
ENTITY_COLUMNS = ("actor", "type", "value")
ANSWER_COLUMNS = ("actor", "question", "answer")


@dataclass(frozen=True)
class ReportInputs:
    """Everything :func:`microcomm.report.build_report` reads.

    Attributes
    ----------
    run
        The run's manifest entry: ``run_id``, ``created``, ``method``, ``engine``, ``seed``,
        ``stats`` (``resolution``, ``modularity``) and ``stability`` (``scores`` per micro
        community, ``runs``, ``method``), as :meth:`Store.current_run` returns it.
    communities
        ``actor, community, level, strength, centrality``: the run's memberships, all levels.
    events
        The engagement events, :data:`EVENT_COLUMNS`.
    entities
        ``actor, type, value``: hashtags, mentions, domains, emojis and keywords used.
    accounts
        ``actor, bio, …``: one row per account (bios are a feature).
    edges
        ``source, target, weight``: the run's co-engagement graph (may be empty).
    answers
        ``actor, question, answer``: survey answers (poll answers that came in as events
        are taken from ``events``).
    polls
        One row per poll option (``schema.POLLS``): whole-poll vote counts, no voters.
    filtered
        What the run's spam filter set aside (``schema.FILTERED``); ``events`` and
        ``entities`` are given without it (:func:`microcomm.filter.drop_filtered`).
    tracking
        The last ``microcomm track`` result kept in the store (its JSON contract plus
        ``computed``), or None: the report shows its flow chart, never runs tracking itself.
    """

    run: dict[str, Any]
    communities: pl.DataFrame
    events: pl.DataFrame
    entities: pl.DataFrame
    accounts: pl.DataFrame
    edges: pl.DataFrame
    answers: pl.DataFrame
    polls: pl.DataFrame
    filtered: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=FILTERED))
    tracking: dict[str, Any] | None = None
