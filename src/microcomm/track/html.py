"""Track output, HTML: one self-contained page with a flow (Sankey) chart of member migrations.

Built from the tracking data only. The page uses the report's stylesheet and the same strict
Content-Security-Policy (no script, nothing loaded; only its own stylesheet by hash); the chart
is hand-written inline SVG (:func:`microcomm.report.flows.sankey`, which the HTML report
shows too). Each period is a
column, each community line a bar as tall as its members, and each band a flow of members from
a line to a line, as wide as the members who moved; hovering a band or bar names it.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any

from microcomm.report.flows import sankey
from microcomm.report.html import CSS
from microcomm.textsafe import plain
from microcomm.track.output import describe

__all__ = ["sankey", "to_html"]


def _t(text: Any) -> str:
    return escape(plain(text), quote=True)


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def to_html(data: dict[str, Any]) -> str:
    """The tracking data as one self-contained HTML page: notes, flow chart, lines, events."""
    names = {ln["id"]: ln["name"] for ln in data["lines"]}
    labels = [p["label"] for p in data["periods"] if p["status"] == "ok"]
    head = "".join(f"<th>{_t(lab)}</th>" for lab in labels)
    rows = "".join(
        f"<tr><td>{_t(ln['id'])}</td><td>{_t(ln['name'])}</td>"
        + "".join(f'<td class="n">{ln["sizes"].get(lab, "")}</td>' for lab in labels)
        + "</tr>"
        for ln in data["lines"]
    )
    events = "".join(
        f"<li><b>{_t(t['from'])} → {_t(t['to'])}</b>, {_t(t['type'])}: {_t(describe(t, names))}</li>"
        for t in data["transitions"]
        if t["type"] != "continuation"
    )
    periods = "".join(
        f"<tr><td>{_t(p['label'])}</td>"
        + "".join(
            f'<td class="n">{p[k]}</td>' for k in ("events", "accounts", "new", "returning", "lost")
        )
        + f"<td>{_t(p['status'])}</td></tr>"
        for p in data["periods"]
    )
    notes = "".join(f'<p class="verdict">{_t(n)}</p>' for n in data["notes"])
    body = (
        f"<h1>Month over month</h1>{notes}<h2>Member flows</h2>{sankey(data)}"
        f'<p class="muted">Bars: community lines per {_t(data["period"])}; bands: members who moved.</p>'
        f"<h2>What happened</h2><ul>{events or '<li>only continuations</li>'}</ul>"
        f"<h2>Community lines</h2><table><tr><th>line</th><th>name</th>{head}</tr>{rows}</table>"
        "<h2>Periods</h2><table><tr><th>period</th><th>events</th><th>accounts</th><th>new</th>"
        f"<th>returning</th><th>lost</th><th>status</th></tr>{periods}</table>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_csp()}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Month over month</title><style>{CSS}</style></head>\n<body><main>\n"
        f"{body}\n</main></body></html>\n"
    )
