"""One frozen dataclass per stage, every value checked when it is built."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from microcomm.config.checks import _check_choice, _check_range, _check_weights
from microcomm.errors import ConfigError
from microcomm.schema import ENTITY_TYPES, EVENT_KINDS

DEFAULT_KIND_WEIGHTS: dict[str, float] = {
    "post": 1.0,
    "comment": 1.0,
    "reply": 1.0,
    "mention": 1.0,
    "tag": 1.0,
    "share": 0.8,
    "like": 0.5,
    "follow": 0.5,
    "dm": 1.0,
    "poll_answer": 0.0,
}


DEFAULT_ENTITY_WEIGHTS: dict[str, float] = {
    "hashtag": 0.6,
    "mention": 0.6,
    "domain": 0.3,
    "emoji": 0.0,
    "keyword": 0.0,
}


@dataclass(frozen=True)
class IngestConfig:
    """How export files are read."""

    platform: str = "auto"
    strict: bool = False
    keep_partial: bool = False
    max_error_locations: int = 5
    batch_size: int = 100_000
    follow_symlinks: bool = False
    owner: str | None = None
    max_unpacked_gb: float = 20.0
    max_expansion_ratio: float = 200.0
    # Replace handles and names by keyed hashes before anything is stored (issue 9).
    pseudonymize: bool = False

    def __post_init__(self) -> None:
        _check_range(self, "max_error_locations", 0, 1000)
        _check_range(self, "batch_size", 1000, 10_000_000)
        _check_range(self, "max_unpacked_gb", 0.001, 100_000)
        _check_range(self, "max_expansion_ratio", 1, 1_000_000)


@dataclass(frozen=True)
class GraphConfig:
    """How the account × context incidence becomes the graph communities are found on."""

    kind_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))
    entity_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_ENTITY_WEIGHTS))
    idf: bool = True
    busy_context_size: int = 1000
    # Contexts with at most this many engagers become direct ties between them (the exact
    # projection: a clique of 3 is no bigger than its star); busier ones stay hub nodes.
    pair_contexts: int = 3
    min_events: int = 1

    def __post_init__(self) -> None:
        _check_weights(self, "kind_weights", EVENT_KINDS)
        _check_weights(self, "entity_weights", ENTITY_TYPES)
        _check_range(self, "busy_context_size", 2, None)
        _check_range(self, "pair_contexts", 2, 1000)
        _check_range(self, "min_events", 1, None)


@dataclass(frozen=True)
class DetectConfig:
    """How communities are found."""

    method: str = "leiden"
    # 0: follow the audience's size (communities/engine.py, size_resolution); > 0: fixed.
    resolution: float = 0.0
    # The size rule resolves communities of about this many accounts.
    micro_size: int = 32
    # Leiden iterations per level (-1: until an iteration changes nothing). 2, igraph's own
    # default: at 1 M events -1 took 1.7x the time for the same NMI (0.943).
    iterations: int = 2
    # Seeded Leiden runs for the micro level (best modularity kept), on graphs up to
    # restart_edges edges; larger graphs get one run (time). Up to that size too, with
    # resolution 0 the most stable resolution between 1 and the size rule's is chosen
    # (communities/leiden.py, stable_resolution: a few large groups are not carved up).
    restarts: int = 4
    restart_edges: int = 500_000
    seed: int = 42
    engine: str = "auto"
    engine_switch_edges: int = 200_000
    threshold: float = 1e-7
    n_clusters: int = 0
    svd_components: int = 64
    stability_runs: int = 5
    # Share of the graph's edges each stability run keeps (an edge bootstrap; 1 = only reseed).
    # 0.8: the graph ties accounts to the contexts they engaged with (graph.py), and a sparse
    # account keeping half of its 3-4 engagements is no longer the same account — planted
    # communities came back at a median of 0.79 with 0.5 and 0.92 with 0.8 (issue 12).
    stability_keep: float = 0.8
    # Graphs with more ties than this get proportionally fewer stability runs (at least two):
    # at 1 M events one run costs about 5 s on this 2-core machine (issue 12's 15 s budget).
    stability_edges: int = 200_000
    # Smallest community detect keeps: smaller groups join the community they are most tied
    # to, or are counted as unplaced (community -1). report.min_size only hides from view.
    min_size: int = 5
    # First, each account with at most this many ties joins the community it shares the most
    # tie weight with (one sweep; 0 turns it off).
    reassign_ties: int = 6
    # Then groups whose members keep less than this share of their tie weight inside are
    # dissolved, each member joining the community it is most tied to (0 keeps every group).
    min_internal: float = 0.3
    # Replace the micro level by the consensus of the stability runs (members move to the
    # community most runs put them with). Off: on the sparse planted audience it scored NMI
    # 0.870 against 0.882 for the main run (issue 12).
    consensus: bool = False

    def __post_init__(self) -> None:
        _check_choice(self, "method", ("leiden", "louvain", "kmeans", "hdbscan"))
        _check_choice(self, "engine", ("auto", "networkx", "igraph"))
        _check_range(self, "resolution", 0.0, 1000.0)
        _check_range(self, "micro_size", 2, 100_000)
        _check_range(self, "iterations", -1, 100)
        _check_range(self, "restarts", 1, 100)
        _check_range(self, "restart_edges", 0, None)
        _check_range(self, "seed", 0, 2**32 - 1)
        _check_range(self, "engine_switch_edges", 0, None)
        _check_range(self, "threshold", 0.0, 1.0)
        _check_range(self, "n_clusters", 0, 100_000)
        _check_range(self, "svd_components", 2, 1000)
        _check_range(self, "stability_runs", 0, 100)
        _check_range(self, "stability_keep", 0.05, 1.0)
        _check_range(self, "stability_edges", 1, None)
        _check_range(self, "min_size", 1, None)
        _check_range(self, "min_internal", 0.0, 1.0)
        _check_range(self, "reassign_ties", 0, None)


@dataclass(frozen=True)
class ReportConfig:
    """What the report shows."""

    top: int = 10
    min_size: int = 5
    max_size: int = 0
    prior: float = 0.5
    min_members: int = 2
    timezone: str = "UTC"
    stability_bar: float = 0.5
    # Interests, answers and accounts need a log-odds z-score at least this high to be shown
    # (1.96: more distinctive than chance at the 95 % level), so generic tags drop out.
    min_score: float = 1.96
    # Example messages shown per community and category (request, question, complaint, praise).
    examples: int = 3
    # Small-cell suppression (issue 9): a text is quoted only when at least this many distinct
    # accounts sent it (never a DM); counts still include every message.
    min_quote_senders: int = 3
    # Communities whose most shared distinctive interest reaches fewer than this share of their
    # members are flagged "diffuse" (a catch-all group rather than a community).
    diffuse_share: float = 0.1
    # The brand or creator the audience belongs to: its handles and tags, comma-separated
    # ("@kestrel, #kestreltrail"); "" = the account most of the audience engages with, when one
    # clearly leads. Named in the summary; its mentions make influencers, UGC and advocates.
    brand: str = ""
    # Large reach: follower count at or above this percentile of the audience's known counts.
    reach_percentile: float = 0.99

    def __post_init__(self) -> None:
        _check_range(self, "reach_percentile", 0.0, 1.0)
        _check_range(self, "top", 1, 1000)
        _check_range(self, "min_size", 1, None)
        _check_range(self, "max_size", 0, None)
        _check_range(self, "prior", 0.0, None)
        _check_range(self, "min_members", 1, None)
        _check_range(self, "stability_bar", 0.0, 1.0)
        _check_range(self, "min_score", 0.0, None)
        _check_range(self, "examples", 0, 100)
        _check_range(self, "min_quote_senders", 1, None)
        _check_range(self, "diffuse_share", 0.0, 1.0)
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(self.timezone)
        except Exception as exc:
            raise ConfigError(
                f"report.timezone = {self.timezone!r} is not a known time zone",
                hint="use an IANA name such as Europe/Paris or America/New_York",
            ) from exc


@dataclass(frozen=True)
class TrackConfig:
    """How ``microcomm track`` slices time and matches communities across periods."""

    period: str = "month"
    since: str = ""  # ISO date (inclusive); "" = the first event
    until: str = ""  # ISO date (inclusive); "" = the last event
    # Best-match Jaccard of members that links a community to one in the next period
    # (Greene, Doyle & Cunningham 2010 use 0.1–0.5; 0.3 keeps a line through ~50 % turnover).
    match: float = 0.3
    # A group that moves together (at least this share of its members into one community, or
    # of one community's members from it) is linked too: absorbed groups and splinters.
    absorb: float = 0.5
    # A relative size change below this is a continuation; above it, growth or shrink.
    change: float = 0.1
    # Periods with fewer active accounts are reported as too small, not detected.
    min_accounts: int = 20

    def __post_init__(self) -> None:
        _check_choice(self, "period", ("month", "week", "quarter"))
        _check_range(self, "match", 0.01, 1.0)
        _check_range(self, "absorb", 0.01, 1.0)
        _check_range(self, "change", 0.0, None)
        _check_range(self, "min_accounts", 2, None)
        for name in ("since", "until"):
            value = getattr(self, name)
            try:
                if value:
                    date.fromisoformat(value)
            except ValueError:
                raise ConfigError(
                    f"track.{name} = {value!r} is not a date",
                    hint="write it as YYYY-MM-DD, e.g. 2026-09-01",
                ) from None
        if self.since and self.until and self.until < self.since:
            raise ConfigError(
                f"track.until = {self.until} is before track.since = {self.since}",
                hint="swap the two dates",
            )


@dataclass(frozen=True)
class FilterConfig:
    """Spam and junk filtering between the store and the graph (issue 8)."""

    keep_spam: bool = False
    # Three people may quote the same line (a slogan, a lyric); five near-identical long
    # messages from five accounts are a ring.
    ring_min_accounts: int = 5
    ring_min_words: int = 6
    ring_similarity: float = 0.6
    giveaway_min_tags: int = 2
    burst_accounts: int = 4
    burst_seconds: int = 60
    burst_links: int = 2
    loud_per_hour: int = 50
    loud_repeats: int = 10
    account_share: float = 0.5

    def __post_init__(self) -> None:
        _check_range(self, "ring_min_accounts", 2, None)
        _check_range(self, "ring_min_words", 3, None)
        _check_range(self, "ring_similarity", 0.0, 1.0)
        _check_range(self, "giveaway_min_tags", 2, None)
        _check_range(self, "burst_accounts", 2, None)
        _check_range(self, "burst_seconds", 1, 86_400)
        _check_range(self, "burst_links", 1, None)
        _check_range(self, "loud_per_hour", 2, None)
        _check_range(self, "loud_repeats", 2, None)
        _check_range(self, "account_share", 0.0, 1.0)
