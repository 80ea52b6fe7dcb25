"""Explain stage: why one account sits in its community.

Inputs: the store (events, entities, the current run's communities and graph edges) and an
account handle. Output: an :class:`Explanation` — the contexts (posts and threads, accounts
followed or mentioned, hashtags, link domains) the account shares with fellow members, each
with how many fellow members and how many other accounts share it, and how its graph ties
split between its community and the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from microcomm.contexts import context_kind, entity_context, target_context
from microcomm.errors import InputError
from microcomm.store import Store


@dataclass
class Explanation:
    """Why ``actor`` is in ``community`` (level 0, micro)."""

    actor: str
    community: int
    size: int
    strength: float  # share of its tie weight inside the community
    ties: int  # graph ties
    ties_inside: int  # of which to fellow members
    other_community: int | None  # the community it is most tied to besides its own
    contexts: (
        pl.DataFrame
    )  # kind, context, fellow_members, others, share_of_community, inside_share
    neighbours: pl.DataFrame  # actor, weight: strongest ties inside the community
    macro: int | None = None
    # Share of the stability runs that put it with its community's core (None: not measured).
    confidence: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--format json``."""
        return {
            "actor": self.actor,
            "community": self.community,
            "macro": self.macro,
            "size": self.size,
            "strength": round(self.strength, 4),
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "ties": self.ties,
            "ties_inside": self.ties_inside,
            "other_community": self.other_community,
            "contexts": [
                {
                    **r,
                    "share_of_community": round(r["share_of_community"], 4),
                    "inside_share": round(r["inside_share"], 4),
                }
                for r in self.contexts.to_dicts()
            ],
            "neighbours": [
                {"actor": a, "weight": round(w, 4)} for a, w in self.neighbours.iter_rows()
            ],
            # issue 11: organic influencer, paid partner, UGC creator, advocate (with evidence)
            "roles": self.extra.get("roles", []),
            **({"filtered": self.extra["filtered"]} if "filtered" in self.extra else {}),
            # issue 9: letters from another look-alike script (a Cyrillic 'а' in a Latin handle)
            "lookalike_letters": self.extra.get("lookalike_letters", []),
        }


def unplaced(actor: str, *, reason: str) -> Explanation:
    """The explanation of an account in no community (``community`` -1), with the reason."""
    return Explanation(
        actor=actor,
        community=-1,
        size=0,
        strength=0.0,
        ties=0,
        ties_inside=0,
        other_community=None,
        contexts=pl.DataFrame(
            schema={
                "kind": pl.String,
                "context": pl.String,
                "fellow_members": pl.Int64,
                "others": pl.Int64,
                "share_of_community": pl.Float64,
                "inside_share": pl.Float64,
            }
        ),
        neighbours=pl.DataFrame(schema={"actor": pl.String, "weight": pl.Float64}),
        extra={"unplaced": reason},
    )


def actor_contexts(events: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """``actor, kind, context`` for every context an account engaged in.

    ``context`` is the graph's own key (:mod:`microcomm.contexts`); ``kind`` is ``post`` (a
    post or thread, ``platform:id``), ``account`` (followed, mentioned or DMed; events and
    @-mentions in texts are the same context, as in the graph), or an entity type
    (``hashtag``, ``domain``).

    Examples
    --------
    >>> ev = pl.DataFrame({"platform": ["x", "x"], "actor": ["a", "b"], "target": ["p1", "Cat"],
    ...                    "target_kind": ["post", "account"]})
    >>> en = pl.DataFrame({"actor": ["a"], "type": ["mention"], "value": ["cat"]})
    >>> actor_contexts(ev, en).sort(["actor", "kind"]).rows()
    [('a', 'account', '@cat'), ('a', 'post', 'x:p1'), ('b', 'account', '@Cat')]
    """
    by_target = events.filter(
        pl.col("actor").is_not_null() & pl.col("target").is_not_null()
    ).select("actor", target_context())
    by_entity = entities.filter(
        pl.col("actor").is_not_null() & pl.col("type").is_in(["hashtag", "mention", "domain"])
    ).select("actor", entity_context())
    return (
        pl.concat([by_target, by_entity])
        .select("actor", context_kind(), "context")
        .unique()
    )


def explain_actor(store: Store, actor: str, *, top: int = 10) -> Explanation:
    """Why ``actor`` is in its micro community: the contexts and ties it shares with members.

    Parameters
    ----------
    store
        A store with events and a detection run.
    actor
        The account handle (matched lower-case, without ``@``).
    top
        How many contexts and neighbours to keep.

    Raises
    ------
    InputError
        The account is not in the store, or is in no community.
    """
    handle = actor.strip().removeprefix("@").lower()
    events = store.read("events", ["platform", "actor", "target", "target_kind"])
    if events.filter(pl.col("actor") == handle).height == 0:
        received = _explain_receiver(store, events, handle, top)
        if received is not None:  # a DM recipient that never acts (issue 12 item 6)
            return received
        raise InputError(
            f"no account {actor!r} in {store.root}",
            hint="handles are matched lower-case without @; `microcomm report` lists members",
        )
    communities = store.communities()
    micro = communities.filter(pl.col("level") == 0)
    row = micro.filter(pl.col("actor") == handle)
    if row.height == 0:
        raise InputError(
            f"{handle!r} is in the store but in no community: it shares no post, account or "
            "hashtag with enough other accounts to be placed",
            hint="lower graph.min_events, or ingest more of its activity",
        )
    cid = int(row["community"][0])
    if cid < 0:
        raise InputError(
            f"{handle!r} is unplaced: its group was smaller than detect.min_size and had no tie "
            "to a larger community",
            hint="lower detect.min_size (--min-size on detect) to keep small groups",
        )
    strength = float(row["strength"][0] or 0.0)
    confidence = row["confidence"][0] if "confidence" in row.columns else None
    members = micro.filter(pl.col("community") >= 0).select("actor", "community")
    fellows = members.filter((pl.col("community") == cid) & (pl.col("actor") != handle))
    size = fellows.height + 1

    ctx = actor_contexts(events, store.read("entities", ["actor", "type", "value"]))
    shared = _shared_contexts(ctx, fellows, handle, size, top)

    ties, neighbours = _ties(store.edges(), members, handle)
    inside = ties.filter(pl.col("community") == cid)
    outside = (
        ties.filter(pl.col("community").is_not_null() & (pl.col("community") != cid))
        .group_by("community")
        .agg(pl.col("weight").sum())
        .sort(["weight", "community"], descending=[True, False])
    )
    top_level = communities["level"].max()
    macro = communities.filter((pl.col("level") == top_level) & (pl.col("actor") == handle))[
        "community"
    ]
    return Explanation(
        actor=handle,
        community=cid,
        size=size,
        strength=strength,
        ties=ties.height,
        ties_inside=inside.height,
        other_community=int(outside["community"][0]) if outside.height else None,
        contexts=shared,
        neighbours=neighbours.filter(pl.col("community") == cid)
        .sort(["weight", "actor"], descending=[True, False])
        .head(top)
        .select("actor", "weight"),
        macro=int(macro[0]) if macro.len() and top_level and macro[0] >= 0 else None,
        confidence=None if confidence is None else float(confidence),
    )


def _explain_receiver(
    store: Store, events: pl.DataFrame, handle: str, top: int
) -> Explanation | None:
    """A receive-only member (communities/receivers.py): placed where most of the people who
    reach it are; its "ties" are those people. None when it is in no community table."""
    row = store.communities().filter((pl.col("level") == 0) & (pl.col("actor") == handle))
    if row.height == 0:
        return None
    cid = int(row["community"][0])
    if cid < 0:
        return unplaced(handle, reason="it only receives, and no community holds more than half "
                        "of the people who reach it (or only one does)")  # fmt: skip
    micro = store.communities().filter((pl.col("level") == 0) & (pl.col("community") >= 0))
    senders = (
        events.filter((pl.col("target") == handle) & (pl.col("target_kind") == "account"))
        .group_by("actor")
        .agg(pl.len().cast(pl.Float64).alias("weight"))
        .join(micro.select("actor", "community"), on="actor", how="inner")
        .sort(["weight", "actor"], descending=[True, False])
    )
    inside = senders.filter(pl.col("community") == cid)
    other = (  # the next community: most of the other senders, ties to the smaller number
        senders.filter(pl.col("community") != cid)
        .group_by("community")
        .len()
        .sort(["len", "community"], descending=[True, False])
    )
    ex = unplaced(handle, reason="")
    ex.extra = {"receive_only": f"It only receives: placed with {inside.height} of the "
                f"{senders.height} placed accounts that reach it"}  # fmt: skip
    ex.community, ex.size = cid, int((micro["community"] == cid).sum())
    ex.ties, ex.ties_inside = senders.height, inside.height
    ex.strength = inside["weight"].sum() / max(senders["weight"].sum(), 1.0)
    ex.other_community = int(other["community"][0]) if other.height else None
    ex.neighbours = inside.head(top).select("actor", "weight")
    ex.confidence = row["confidence"][0]
    return ex


def _shared_contexts(
    ctx: pl.DataFrame, fellows: pl.DataFrame, handle: str, size: int, top: int
) -> pl.DataFrame:
    """The contexts the account shares with fellow members, the most telling first."""
    mine = ctx.filter(pl.col("actor") == handle).select("kind", "context")
    return (
        ctx.join(mine, on=["kind", "context"], how="semi")
        .filter(pl.col("actor") != handle)
        .join(fellows.select("actor", pl.lit(True).alias("fellow")), on="actor", how="left")
        .group_by(["kind", "context"])
        .agg(
            pl.col("fellow").fill_null(False).sum().alias("fellow_members"),
            (~pl.col("fellow").fill_null(False)).sum().alias("others"),
        )
        .filter(pl.col("fellow_members") > 0)
        .with_columns(
            (pl.col("fellow_members") / size).alias("share_of_community"),
            (pl.col("fellow_members") / (pl.col("fellow_members") + pl.col("others"))).alias(
                "inside_share"
            ),
        )
        # What ties it here is what many fellow members share and few outsiders do: rank by
        # fellow members × the share of the context's users who are fellow members, so the
        # brand's own tag (shared with everyone) sinks below the community's own places.
        .with_columns((pl.col("fellow_members") * pl.col("inside_share")).alias("tie"))
        .sort(["tie", "fellow_members", "context"], descending=[True, True, False])
        .head(top)
        .select("kind", "context", "fellow_members", "others", "share_of_community", "inside_share")
    )


def _ties(
    edges: pl.DataFrame, members: pl.DataFrame, handle: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The account's graph ties (to accounts and to busy-context hubs), with each end's
    community, and its account neighbours (direct ties plus ties through shared hubs).

    A hub (a busy context kept as a node of the graph) belongs to the community that holds
    most of its tie weight; two accounts sharing a hub are tied by ``w_a·w_b / Σ w`` (the
    Kron reduction of the hub's star, as :mod:`microcomm.graph` does for small contexts).
    """
    mine = pl.concat(
        [
            edges.filter(pl.col("source") == handle).select(
                pl.col("target").alias("node"), "weight"
            ),
            edges.filter(pl.col("target") == handle).select(
                pl.col("source").alias("node"), "weight"
            ),
        ]
    )
    is_member = pl.col("node").is_in(members["actor"].implode())
    hubs = mine.filter(~is_member)["node"]
    hub_edges = edges.filter(pl.col("target").is_in(hubs.implode())).join(
        members.rename({"actor": "source"}), on="source", how="inner"
    )
    hub_comm = (
        hub_edges.group_by(["target", "community"])
        .agg(pl.col("weight").sum())
        .sort(["target", "weight", "community"], descending=[False, True, False])
        .unique("target", keep="first", maintain_order=True)
        .select(pl.col("target").alias("node"), "community")
    )
    node_comm = pl.concat([members.rename({"actor": "node"}), hub_comm])
    ties = mine.join(node_comm, on="node", how="left")
    hub_deg = hub_edges.group_by("target").agg(pl.col("weight").sum().alias("deg"))
    via_hubs = (
        hub_edges.filter(pl.col("source") != handle)
        .join(mine.rename({"node": "target", "weight": "mine"}), on="target")
        .join(hub_deg, on="target")
        .group_by("source")
        .agg((pl.col("weight") * pl.col("mine") / pl.col("deg")).sum().alias("weight"))
        .rename({"source": "node"})
    )
    neighbours = (
        pl.concat([mine.filter(is_member), via_hubs])
        .group_by("node")
        .agg(pl.col("weight").sum())
        .join(members.rename({"actor": "node"}), on="node")
        .rename({"node": "actor"})
    )
    return ties, neighbours
