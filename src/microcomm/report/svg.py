"""Report stage, charts: small inline SVG charts drawn from the report data.

Hand-written SVG rather than a chart library: each chart is a few kilobytes of text that stays
text (searchable, selectable, escaped like the rest of the page), needs no script, so the page's
Content-Security-Policy can forbid scripts entirely, and adds no dependency. Colours and sizes
use SVG presentation attributes only (no ``style=""``, which a strict CSP would block).
Every string that reaches a chart goes through :func:`html.escape`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

from microcomm.textsafe import plain

INK, MUTED, ACCENT, AUDIENCE, GRID = "#1f2933", "#616e7c", "#2f6fba", "#b8c4ce", "#e4e7eb"
PALETTE = (
    "#2f6fba", "#e07b39", "#3a9d5d", "#c2453d", "#8a63b8", "#8c6d4f",
    "#d36fae", "#6b7785", "#b5a82c", "#2aa3b5",
)  # fmt: skip
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _t(text: Any) -> str:
    return escape(plain(text), quote=True)


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{_t(title)}" font-family="system-ui, sans-serif" '
        f'font-size="12" fill="{INK}"><title>{_t(title)}</title>' + "".join(body) + "</svg>"
    )


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bar_chart(
    rows: Sequence[tuple[str, float]], *, title: str, width: int = 720, unit: str = ""
) -> str:
    """Horizontal bars, one per ``(label, value)``, largest value sets the scale."""
    top = max((v for _, v in rows), default=0) or 1
    left, bar_h, gap = 300, 16, 6
    height = len(rows) * (bar_h + gap) + 10
    body = []
    for i, (label, value) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        w = (width - left - 70) * value / top
        body.append(
            f'<text x="{left - 8}" y="{y + 12}" text-anchor="end">{_t(_short(label, 40))}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{ACCENT}">'
            f"<title>{_t(label)}: {value:,.0f}{_t(unit)}</title></rect>"
            f'<text x="{left + w + 5:.1f}" y="{y + 12}" fill="{MUTED}">{value:,.0f}{_t(unit)}</text>'
        )
    return _svg(width, height, body, title)


def paired_bars(rows: Sequence[tuple[str, float, float]], *, title: str, width: int = 560) -> str:
    """For each ``(label, inside, audience)`` two bars: the community's share and the
    audience's, so a reader sees at a glance how much more the community cares."""
    left, bar_h, group = 170, 9, 28
    height = len(rows) * group + 30
    scale = width - left - 60
    body = [
        f'<rect x="{left}" y="4" width="10" height="10" fill="{ACCENT}"/>'
        f'<text x="{left + 14}" y="13">this community</text>'
        f'<rect x="{left + 130}" y="4" width="10" height="10" fill="{AUDIENCE}"/>'
        f'<text x="{left + 144}" y="13">rest of the audience</text>'
    ]
    for i, (label, inside, outside) in enumerate(rows):
        y = 24 + i * group
        for j, (share, colour) in enumerate(((inside, ACCENT), (outside, AUDIENCE))):
            w = max(scale * share, 0.5)
            body.append(
                f'<rect x="{left}" y="{y + j * (bar_h + 1)}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{colour}"/><text x="{left + w + 4:.1f}" y="{y + j * (bar_h + 1) + 8}" '
                f'font-size="10" fill="{MUTED}">{share:.1%}</text>'
            )
        body.append(
            f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{_t(_short(label, 26))}</text>'
        )
    return _svg(width, height, body, title)


LEVELS = 6


def _heat(level: int) -> str:
    """White → dark blue in ``LEVELS`` steps."""
    k = level / LEVELS
    r, g, b = (int(255 + (c - 255) * k) for c in (0x1D, 0x4E, 0x89))
    return f"#{r:02x}{g:02x}{b:02x}"


def week_heatmap(rows: Sequence[tuple[str, Sequence[float]]], *, title: str) -> str:
    """Hour-of-week heat map: one row per ``(label, 168 shares)``, Monday 00:00 first.

    Each row is scaled to its own busiest hour and binned in ``LEVELS`` shades; each shade is one
    ``<path>`` of merged runs, so a 40-row map stays a few tens of kilobytes.
    """
    left, row_h, cell = 250, 16, 4
    width = left + 168 * cell + 10
    height = len(rows) * row_h + 34
    paths: dict[int, list[str]] = {}
    body = []
    for d, day in enumerate(_DAYS):
        x = left + d * 24 * cell
        body.append(
            f'<text x="{x + 12 * cell}" y="12" text-anchor="middle" fill="{MUTED}">{day}</text>'
        )
    for i, (label, week) in enumerate(rows):
        y = 18 + i * row_h
        body.append(
            f'<text x="{left - 8}" y="{y + 12}" text-anchor="end">{_t(_short(label, 34))}</text>'
        )
        top = max(week, default=0) or 1
        levels = [round(LEVELS * share / top) for share in week]
        slot = 0
        while slot < len(levels):  # runs of one shade: 168 cells per row at most
            end = slot
            while end + 1 < len(levels) and levels[end + 1] == levels[slot]:
                end += 1
            if levels[slot] > 0:
                paths.setdefault(levels[slot], []).append(
                    f"M{left + slot * cell} {y}h{(end - slot + 1) * cell}v{row_h - 2}"
                    f"h-{(end - slot + 1) * cell}z"
                )
            slot = end + 1
    for level in sorted(paths):
        body.append(f'<path fill="{_heat(level)}" d="{"".join(paths[level])}"/>')
    for d in range(8):
        x = left + d * 24 * cell
        body.append(
            f'<line x1="{x}" y1="16" x2="{x}" y2="{height - 16}" stroke="{MUTED}" '
            'stroke-width="0.6"/>'
        )
    body.append(
        f'<text x="{left}" y="{height - 2}" font-size="10" fill="{MUTED}">each row: share of '
        "members active in each hour, darkest = that row's busiest hours; blank = under a "
        "twelfth of the busiest</text>"
    )
    return _svg(width, height, body, title)


def stacked_shares(
    rows: Sequence[tuple[str, dict[str, float]]], *, title: str, width: int = 820
) -> str:
    """One 100 % bar per ``(label, {part: share})``, the same colour per part in every row."""
    parts = sorted({p for _, shares in rows for p in shares})
    colour = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(parts)}
    left, bar_h, gap = 250, 14, 5
    scale = width - left - 10
    height = len(rows) * (bar_h + gap) + 34
    body = []
    for i, (label, shares) in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        body.append(
            f'<text x="{left - 8}" y="{y + 11}" text-anchor="end">{_t(_short(label, 34))}</text>'
        )
        x = float(left)
        total = sum(shares.values()) or 1
        for part in parts:
            w = scale * shares.get(part, 0.0) / total
            if w <= 0:
                continue
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour[part]}">'
                f"<title>{_t(label)} · {_t(part)} {shares[part]:.0%}</title></rect>"
            )
            x += w
    y = height - 22
    x = float(left)
    for part in parts:  # legend
        body.append(
            f'<rect x="{x:.0f}" y="{y}" width="10" height="10" fill="{colour[part]}"/>'
            f'<text x="{x + 14:.0f}" y="{y + 9}">{_t(part)}</text>'
        )
        x += 24 + 7 * len(part)
    return _svg(width, height, body, title)


def community_map(
    nodes: Sequence[dict[str, Any]],
    ties: Sequence[dict[str, Any]],
    *,
    title: str,
    seed: int = 42,
    size: int = 720,
) -> str:
    """Communities as circles (area ∝ members) placed by a seeded spring layout of the ties
    between them; a line's width grows with the log of the tie weight."""
    import networkx as nx

    # The heaviest ties only (two per community on average): a full mesh hides the structure.
    ties = sorted(ties, key=lambda t: (-t["weight"], t["a"], t["b"]))[: 2 * len(nodes)]
    g = nx.Graph()
    for n in nodes:
        g.add_node(n["id"])
    for t in ties:
        if t["a"] in g and t["b"] in g:
            g.add_edge(t["a"], t["b"], weight=math.log1p(t["weight"]))
    pos = nx.spring_layout(g, seed=seed, weight="weight", k=1.6 / math.sqrt(max(len(g), 1)))
    pad = 60
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1

    def at(node: int) -> tuple[float, float]:
        x, y = pos[node]
        return (
            pad + (x - min(xs)) / span_x * (size - 2 * pad),
            pad + (y - min(ys)) / span_y * (size - 2 * pad),
        )

    biggest = max((n["size"] for n in nodes), default=1) or 1
    heaviest = max((math.log1p(t["weight"]) for t in ties), default=1.0) or 1.0
    body = []
    for t in sorted(ties, key=lambda t: (t["weight"], t["a"], t["b"])):
        if t["a"] not in pos or t["b"] not in pos:
            continue
        (x1, y1), (x2, y2) = at(t["a"]), at(t["b"])
        w = 0.5 + 5 * math.log1p(t["weight"]) / heaviest
        body.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{AUDIENCE}" '
            f'stroke-width="{w:.2f}"><title>{t["a"]} – {t["b"]}: {t["pairs"]:,} linked pairs'
            "</title></line>"
        )
    for n in sorted(nodes, key=lambda n: n["id"]):
        x, y = at(n["id"])
        r = 6 + 24 * math.sqrt(n["size"] / biggest)
        fill = AUDIENCE if n.get("flags") else ACCENT
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" fill-opacity="0.85" '
            f'stroke="#fff"><title>{n["id"]}. {_t(n["label"])} — {n["size"]:,} members</title>'
            f'</circle><text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" fill="#fff" '
            f'font-weight="bold">{n["id"]}</text><text x="{x:.1f}" y="{y + r + 12:.1f}" '
            f'text-anchor="middle" font-size="10" fill="{MUTED}">'
            f"{_t(_short(n['label'].split(' · ')[0], 22))}</text>"
        )
    return _svg(size, size, body, title)
