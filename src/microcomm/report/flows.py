"""The flow (Sankey) chart of member migrations, as inline SVG, from tracking data.

Shared by ``microcomm track -o flows.html`` (:mod:`microcomm.track.html`) and the HTML report's
"Member flows over time" (the last ``track`` kept in the store). Each period is a column, each
community line a bar as tall as its members, and each band a flow of members from a line to a
line, as wide as the members who moved; hovering a band or bar names it.
"""

from __future__ import annotations

from html import escape
from typing import Any

from microcomm.report.svg import PALETTE
from microcomm.textsafe import plain

_W, _COL, _GAP, _TOP, _H = 960, 14, 10, 28, 460


def _t(text: Any) -> str:
    return escape(plain(text), quote=True)


def sankey(data: dict[str, Any]) -> str:
    """The flow chart: lines per period (bars) and members moving between them (bands)."""
    labels = [p["label"] for p in data["periods"] if p["status"] == "ok"]
    if len(labels) < 2:
        return ""
    colour = {ln["id"]: PALETTE[i % len(PALETTE)] for i, ln in enumerate(data["lines"])}
    totals = [sum(ln["sizes"].get(lab, 0) for ln in data["lines"]) for lab in labels]
    n_bars = [sum(lab in ln["sizes"] for ln in data["lines"]) for lab in labels]
    scale = min(
        (_H - _GAP * max(n - 1, 0)) / max(t, 1) for t, n in zip(totals, n_bars, strict=True)
    )
    step = (_W - 160 - _COL) / (len(labels) - 1)
    box: dict[tuple[str, str], list[float]] = {}  # (period, line) → x, y, height
    parts = []
    for i, lab in enumerate(labels):
        x, y = 80 + i * step, float(_TOP)
        parts.append(f'<text x="{x + _COL / 2:.1f}" y="16" text-anchor="middle" font-size="12" '
                     f'fill="#616e7c">{_t(lab)}</text>')  # fmt: skip
        for ln in data["lines"]:
            if lab in ln["sizes"]:
                h = max(ln["sizes"][lab] * scale, 1.0)
                box[(lab, ln["id"])] = [x, y, h]
                y += h + _GAP
    out_at = {k: v[1] for k, v in box.items()}
    in_at = dict(out_at)
    flows = [
        f
        for f in data["flows"]
        if (f["from"], f["source"]) in box and (f["to"], f["target"]) in box
    ]
    flows.sort(key=lambda f: (box[(f["from"], f["source"])][1], box[(f["to"], f["target"])][1]))
    for f in flows:
        (x0, _, _), (x1, _, _) = box[(f["from"], f["source"])], box[(f["to"], f["target"])]
        w = f["members"] * scale
        y0 = out_at[(f["from"], f["source"])] + w / 2
        y1 = in_at[(f["to"], f["target"])] + w / 2
        out_at[(f["from"], f["source"])] += w
        in_at[(f["to"], f["target"])] += w
        a, b, mid = x0 + _COL, x1, (x0 + _COL + x1) / 2
        parts.append(
            f'<path d="M{a:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {b:.1f},{y1:.1f}" '
            f'fill="none" stroke="{colour[f["source"]]}" stroke-opacity="0.35" '
            f'stroke-width="{max(w, 0.8):.1f}"><title>{_t(f["source"])} → {_t(f["target"])}: '
            f"{f['members']} members ({_t(f['from'])} → {_t(f['to'])})</title></path>"
        )
    names = {ln["id"]: ln["name"] for ln in data["lines"]}
    for (lab, line), (x, y, h) in box.items():
        size = next(ln["sizes"][lab] for ln in data["lines"] if ln["id"] == line)
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{_COL}" height="{h:.1f}" fill="{colour[line]}">'
            f"<title>{_t(line)} {_t(names[line])}: {size} members in {_t(lab)}</title></rect>"
        )
        if h >= 10:
            anchor, tx = ("end", x - 4) if lab == labels[0] else ("start", x + _COL + 4)
            parts.append(f'<text x="{tx:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="{anchor}" '
                         f'font-size="11" fill="#1f2933">{_t(line)}</text>')  # fmt: skip
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H + _TOP + 10}" '
        'role="img" aria-labelledby="flows-title"><title id="flows-title">Members moving between '
        "community lines, period by period</title>" + "".join(parts) + "</svg>"
    )
