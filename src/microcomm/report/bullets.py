"""One Markdown list item of a labelled list: ``- **label** (note): a, b, c`` — the shape of
most lines of the Markdown report (:mod:`microcomm.report.markdown`, :mod:`~microcomm.report.brief`,
:mod:`~microcomm.report.markdown_people`). Parts are already escaped by their caller.
"""

from __future__ import annotations

from collections.abc import Iterable


def item(label: str, parts: Iterable[str], *, note: str = "", sep: str = ", ") -> str:
    """``**label** (note): parts…`` without the list marker (for the brief's items), or ``""``
    when there are no parts.

    >>> item("Places", ["Leeds", "Tromso"]), item("Places", [])
    ('**Places**: Leeds, Tromso', '')
    """
    parts = list(parts)
    if not parts:
        return ""
    return f"**{label}**{f' ({note})' if note else ''}: {sep.join(parts)}"


def bullet(label: str, parts: Iterable[str], *, note: str = "", sep: str = ", ") -> list[str]:
    """``["- **label** (note): a, b, c"]``, or ``[]`` when there are no parts.

    >>> bullet("Platforms", ["reddit 40%", "instagram 20%"], note="share of activity")
    ['- **Platforms** (share of activity): reddit 40%, instagram 20%']
    """
    text = item(label, parts, note=note, sep=sep)
    return [f"- {text}"] if text else []
