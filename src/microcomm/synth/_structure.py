"""Who the Kestrel audience is and what each event engages with (the first draws).

Accounts and their planted communities, creators and their posts, roles (creator, bridge, loud,
member, noise), and per event: the community it is about, its kind and its target. The draws
happen in a fixed order, called from :func:`microcomm.synth.audience.generate_audience`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microcomm.synth.themes import load_world


@dataclass(frozen=True)
class Accounts:
    community: np.ndarray  # planted community per account, -1 for noise
    handles: np.ndarray
    sizes: np.ndarray  # members per community


@dataclass(frozen=True)
class Posts:
    count: np.ndarray  # posts per community
    comm: np.ndarray  # community of each post
    offsets: np.ndarray  # first post of each community
    author: np.ndarray  # account index of each post's creator
    creators: list[np.ndarray]  # creators per community


@dataclass(frozen=True)
class Events:
    actor: np.ndarray  # account index per event
    comm: np.ndarray  # the actor's community
    home: np.ndarray  # the community the event is about when inside
    inside: np.ndarray
    viral: np.ndarray
    other: np.ndarray  # a random community for outside events


def draw_accounts(
    rng: np.random.Generator,
    n_events: int,
    n_communities: int,
    noise_share: float,
    size_range: tuple[int, int],
    events_per_account: float,
) -> Accounts:
    """Community sizes (log-normal, clipped to the micro range), membership and handles."""
    lo, hi = size_range
    n_accounts = max(int(n_events / events_per_account), n_communities * lo)
    raw = np.exp(rng.normal(0.0, 0.7, n_communities))
    sizes = np.clip(raw / raw.sum() * n_accounts * (1 - noise_share), lo, hi).astype(int)
    n_members = int(sizes.sum())
    n_noise = max(int(n_members * noise_share / (1 - noise_share)), 1)
    n_accounts = n_members + n_noise
    community = np.concatenate([np.repeat(np.arange(n_communities), sizes), np.full(n_noise, -1)])
    perm = rng.permutation(n_accounts)  # handles carry no trace of the community
    community = community[perm]
    world = load_world()
    adj, noun = np.array(world.adjectives), np.array(world.nouns)
    handles = np.char.add(
        np.char.add(
            adj[rng.integers(0, len(adj), n_accounts)], noun[rng.integers(0, len(noun), n_accounts)]
        ),
        np.arange(n_accounts).astype(str),
    )
    return Accounts(community=community, handles=handles, sizes=sizes)


def draw_posts(rng: np.random.Generator, acc: Accounts) -> Posts:
    """Creators (~1 in 25 members, at least 2) publish the posts their community gathers around."""
    n_communities = len(acc.sizes)
    count = np.maximum(acc.sizes // 4, 6)
    comm = np.repeat(np.arange(n_communities), count)
    members_by_c = [np.flatnonzero(acc.community == c) for c in range(n_communities)]
    creators = [m[: max(2, len(m) // 25)] for m in members_by_c]
    # one draw per post, in post order (a loop over posts, not events)
    author = np.array(
        [creators[c][rng.integers(0, len(creators[c]))] for c in comm], dtype=np.int64
    )
    offsets = np.concatenate([[0], np.cumsum(count)])
    return Posts(count=count, comm=comm, offsets=offsets, author=author, creators=creators)


def draw_roles(
    rng: np.random.Generator,
    acc: Accounts,
    posts: Posts,
    events_per_account: float,
    n_bridges: int,
    n_loud: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Events per account (≥ 4, geometric tail) and roles: creator, bridge, loud, member, noise."""
    n_accounts = len(acc.community)
    n_communities = len(acc.sizes)
    per = 4 + rng.geometric(1.0 / max(events_per_account - 3, 1.01), n_accounts) - 1
    roles = np.full(n_accounts, "member", dtype=object)
    roles[acc.community < 0] = "noise"
    for c in range(n_communities):
        roles[posts.creators[c]] = "creator"
    # Bridges: members whose engagement is split between their community and a second one.
    bridge_ids = rng.choice(
        np.flatnonzero(roles == "member"),
        size=min(n_bridges, int((roles == "member").sum())),
        replace=False,
    )
    roles[bridge_ids] = "bridge"
    second = np.full(n_accounts, -1)
    second[bridge_ids] = (
        acc.community[bridge_ids] + 1 + rng.integers(0, n_communities - 1, len(bridge_ids))
    ) % n_communities
    per[bridge_ids] = np.maximum(per[bridge_ids], 16)
    loud_ids = rng.choice(np.flatnonzero(roles == "member"), size=n_loud, replace=False)
    roles[loud_ids] = "loud"
    per[loud_ids] += 300  # spams its unrelated tag hundreds of times
    return per, roles, second


def draw_contexts(
    rng: np.random.Generator,
    acc: Accounts,
    per: np.ndarray,
    roles: np.ndarray,
    second: np.ndarray,
    mixing: float,
    viral_share: float,
) -> Events:
    """Which community each event is about: home (1 − mixing), another one, or a viral post."""
    n_communities = len(acc.sizes)
    actor = np.repeat(np.arange(len(acc.community)), per)
    n = len(actor)
    comm = acc.community[actor]
    u = rng.random(n)
    is_bridge = roles[actor] == "bridge"
    home = np.where(is_bridge & (rng.random(n) < 0.5), second[actor], comm)
    inside = (home >= 0) & (u >= mixing)
    inside |= is_bridge  # bridges stay inside their two communities
    viral = ~inside & (rng.random(n) < viral_share)
    other = rng.integers(0, n_communities, n)
    return Events(actor=actor, comm=comm, home=home, inside=inside, viral=viral, other=other)


def draw_kinds(
    rng: np.random.Generator, ev: Events, roles: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Kinds: comments dominate; loud accounts post their spam tag."""
    n = len(ev.actor)
    kinds = np.array(["comment", "like", "reply", "share", "post", "follow", "mention"])
    kind = kinds[rng.choice(len(kinds), n, p=[0.42, 0.22, 0.12, 0.08, 0.08, 0.05, 0.03])]
    spam = (roles[ev.actor] == "loud") & (rng.random(n) < 0.95)
    kind[spam] = "post"
    return kind, spam


def draw_targets(
    rng: np.random.Generator,
    acc: Accounts,
    posts: Posts,
    ev: Events,
    kind: np.ndarray,
    n_viral: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Target post (Zipf-like popularity in the community); posts tag the brand; follows and
    mentions point at the post's creator. Returns target, target_kind, parent, post index."""
    n = len(ev.actor)
    brand = load_world().brand
    ctx_comm = np.where(ev.inside, ev.home, ev.other)
    pick = np.minimum(
        (rng.pareto(1.2, n) * posts.count[ctx_comm] / 6).astype(np.int64),
        posts.count[ctx_comm] - 1,
    )
    post_idx = posts.offsets[ctx_comm] + pick
    viral_post = rng.integers(0, n_viral, n) if n_viral else np.zeros(n, dtype=np.int64)
    post_ids = np.char.add("p", np.arange(int(posts.offsets[-1])).astype(str))
    target = np.where(
        ev.viral & (n_viral > 0), np.char.add("viral", viral_post.astype(str)), post_ids[post_idx]
    )
    target_kind = np.full(n, "post", dtype="<U7")
    target = target.astype("<U32")  # handles and post ids are short; halves memory at 10M events
    parent = np.where(
        kind == "reply", np.char.add("c", rng.integers(0, max(n // 3, 1), n).astype(str)), ""
    )
    for k in ("follow", "post", "mention"):
        is_k = kind == k
        target[is_k] = brand if k == "post" else acc.handles[posts.author[post_idx[is_k]]]
        target_kind[is_k] = "account"
    return target, target_kind, parent, post_idx
