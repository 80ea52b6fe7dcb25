"""Report stage, HTML: the parts of the page after the profiles' core — what to do next and the
people to work with inside each profile, then the flagged and filtered sections and the note on
method. Every string escaped (:func:`html.escape` after dropping control characters)."""

from __future__ import annotations

from html import escape
from typing import Any

from microcomm.report.flows import sankey
from microcomm.textsafe import plain

_PEOPLE = (
    ("influencers", "Influencers who talk about the brand unpaid"),
    ("paid_partners", "Paid partners"),
    ("ugc_creators", "Creators of content about the brand"),
    ("advocates", "Advocates (praise, no complaint)"),
)


def _t(text: Any) -> str:
    return escape(plain(text), quote=True)


def next_steps(c: dict[str, Any]) -> str:
    """The community's suggested next steps, each with what it is based on."""
    steps = c.get("next_steps") or []
    if not steps:
        return ""
    items = "".join(
        f"<li>{_t(s.get('text', ''))}"
        + (f' <span class="muted">({_t(s["based_on"])})</span>' if s.get("based_on") else "")
        + "</li>"
        for s in steps
    )
    return f"<h3>What to do next</h3><ul>{items}</ul>"


def people(c: dict[str, Any]) -> str:
    """The people to work with (influencers, partners, creators, advocates), each with the
    counts that back it (reach, brand mentions, members engaging, posts, praise)."""
    items = [
        f"<b>{_t(title)}</b>: " + ", ".join(_evidence(key, p) for p in c[key][:8])
        for key, title in _PEOPLE
        if c.get(key) and all(isinstance(p, dict) and "actor" in p for p in c[key])
    ]
    if not items:
        return ""
    return "<h3>People to work with</h3><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _evidence(key: str, p: dict[str, Any]) -> str:
    """``@actor (counts)``: one person of a people list with its evidence."""
    if key in ("influencers", "paid_partners"):
        n = p.get("followers")
        reach = "followers unknown" if n is None else f"{n:,} followers"
        said = (
            f"{p.get('organic_mentions', 0)} brand mentions"
            if key == "influencers"
            else f"{p.get('paid_mentions', 0)} paid posts"
        )
        why = f"{reach}, {said}, {p.get('members', 0)} members engage"
    elif key == "ugc_creators":
        why = f"{p.get('posts', 0)} posts, {p.get('engagers', 0)} engaging"
    elif key == "advocates":
        why = f"{p.get('praise', 0)} praising messages"
    else:
        return f"@{_t(p['actor'])}"
    return f"@{_t(p['actor'])} ({_t(why)})"


def flagged(report: dict[str, Any]) -> str:
    flagged = [c for c in report["communities"] if c.get("flags")]
    hidden = report.get("hidden") or {}
    items = [
        f'<li><a href="#c{c["id"]}">{c["id"]}. {_t(c["label"])}</a> — {_t(", ".join(c["flags"]))}'
        "</li>"
        for c in flagged
    ]
    if hidden.get("smaller_than_min_size"):
        items.append(
            f"<li>{hidden['smaller_than_min_size']:,} groups under {hidden['min_size']} members "
            f"({hidden['accounts_in_them']:,} accounts) not shown</li>"
        )
    if hidden.get("larger_than_max_size"):
        items.append(
            f"<li>{hidden['larger_than_max_size']:,} communities over {hidden['max_size']} members "
            "not shown</li>"
        )
    if not items:
        return ""
    return (
        '<section id="flagged"><h2>Flagged</h2><p class="muted">Unstable: does not come back '
        "intact when the analysis is re-run with small changes. Diffuse: no interest shared by "
        f"a tenth of its members.</p><ul>{''.join(items)}</ul></section>"
    )


def filtered(report: dict[str, Any]) -> str:
    data = report.get("filtered")
    if not data:
        return ""
    return f'<section id="filtered"><h2>What was filtered</h2>{_data(data)}</section>'


def _data(value: Any, depth: int = 0) -> str:
    """Any JSON value as escaped HTML: lists of records as tables, mappings as lists."""
    if isinstance(value, dict):
        return (
            "<ul>"
            + "".join(f"<li><b>{_t(k)}</b>: {_data(v, depth + 1)}</li>" for k, v in value.items())
            + "</ul>"
        )
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        keys = list(dict.fromkeys(k for v in value for k in v))
        head = "".join(f"<th>{_t(k)}</th>" for k in keys)
        rows = "".join(
            "<tr>" + "".join(f"<td>{_data(v.get(k, ''), depth + 1)}</td>" for k in keys) + "</tr>"
            for v in value
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(value, list):
        return _t(", ".join(str(v) for v in value))
    if isinstance(value, float):
        return f"{value:,.3g}"
    return _t(value)


def methods(report: dict[str, Any]) -> str:
    run = report.get("run") or {}
    items = [
        "Interests, accounts, places and answers are ranked by how much more this community "
        "uses them than the rest of the audience (a weighted log-odds score, Monroe et al. 2008), "
        "counted by distinct members so one loud account cannot make an interest.",
        "Stability: the share of a community's members that stay together when the analysis is "
        "re-run on slightly changed data (best-match Jaccard overlap).",
        f"Communities: {run.get('method')} ({run.get('engine')}), resolution "
        f"{run.get('resolution')}, seed {run.get('seed')}, run {run.get('run_id')}.",
        *report.get("notes", []),
    ]
    return (
        '<section id="methods"><h2>Notes on method</h2><ul>'
        + "".join(f"<li>{_t(i)}</li>" for i in items)
        + "</ul></section>"
    )


def member_flows(report: dict[str, Any]) -> str:
    """The flow (Sankey) chart of the last ``microcomm track`` kept in the store, with its
    periods and when it was computed; without one, one line saying how to get it."""
    head = '<section id="flows"><h2>Member flows over time</h2>'
    kept = report.get("tracking")
    if not kept:
        return (
            f'{head}<p class="muted">No tracking in this store: run <b>microcomm track</b>, '
            "then this report again, to see members moving between communities.</p></section>"
        )
    labels = [p["label"] for p in kept["periods"]]
    ok = sum(p["status"] == "ok" for p in kept["periods"])
    span = f"{labels[0]} to {labels[-1]}" if labels else "no period"
    chart = sankey(kept) or '<p class="muted">Fewer than two periods with communities.</p>'
    return (
        f'{head}<p class="muted">By {_t(kept["period"])}, {_t(span)} ({len(labels)} periods, '
        f"{ok} with communities); computed by <b>microcomm track</b> on "
        f"{_t(kept.get('computed'))}. Bars: community lines; bands: members who moved.</p>"
        f"{chart}</section>"
    )
