"""Reach from profile objects: account rows (``schema.ACCOUNTS``) with follower counts and bios
for the influencer lists (issue 11), from the profile resources of APIs whose readers live
elsewhere — Instagram Graph API user fields and ``business_discovery``
(:mod:`microcomm.ingest.instagram`), YouTube ``channels.list`` (:mod:`microcomm.ingest.youtube`).

X v2 ``public_metrics`` (:mod:`microcomm.ingest._x`), Mastodon account objects and Bluesky
profile views are read beside their events in their own readers.
"""

from __future__ import annotations

from typing import Any

from microcomm.ingest._common import as_str, dicts, listify, sub


def graph_profiles(doc: Any) -> list[dict[str, Any]]:
    """Account rows from the profiles in a Graph API response: the user's own fields
    (``GET /{ig-user-id}?fields=username,biography,followers_count``) and
    ``business_discovery`` (another business or creator account, by username).

    Examples
    --------
    >>> doc = {"business_discovery": {"username": "trailco", "followers_count": 48000,
    ...        "biography": "Trail gear", "media_count": 12, "id": "1"}, "id": "2"}
    >>> [(a["actor"], a["followers"], a["bio"]) for a in graph_profiles(doc)]
    [('trailco', 48000, 'Trail gear')]
    """
    out = []
    for d in dicts(listify(doc)):
        for prof in (d.get("business_discovery"), d):
            if not isinstance(prof, dict) or not as_str(prof.get("username")):
                continue
            if not ("followers_count" in prof or "biography" in prof):
                continue  # a media or comment object with its author's name, not a profile
            n = prof.get("followers_count")
            out.append(
                {
                    "actor": as_str(prof.get("username")),
                    "platform": "instagram",
                    "name": as_str(prof.get("name")),
                    "bio": as_str(prof.get("biography")),
                    "followers": n if isinstance(n, int) and not isinstance(n, bool) else None,
                }
            )
    return out


def channel_account(item: dict[str, Any]) -> dict[str, Any]:
    """A ``youtube#channel`` resource → its account row (subscribers as followers).

    Examples
    --------
    >>> ch = {"kind": "youtube#channel", "id": "UCa", "snippet": {"title": "Ann"},
    ...       "statistics": {"subscriberCount": "48200", "hiddenSubscriberCount": False}}
    >>> channel_account(ch)["followers"]
    48200
    """
    snippet, stats = sub(item, "snippet"), sub(item, "statistics")
    subs = as_str(stats.get("subscriberCount"))
    hidden = stats.get("hiddenSubscriberCount") is True
    return {
        "actor": as_str(item.get("id")),
        "platform": "youtube",
        "name": as_str(snippet.get("title")),
        "bio": as_str(snippet.get("description")),
        "followers": int(subs) if subs and subs.isdigit() and not hidden else None,
    }
