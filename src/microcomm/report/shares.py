"""Shares as a reader sees them: a non-zero share never reads as 0 % (issue 8: the demo
report printed "0% negative" above a quoted complaint, a 0.28 % share rounded down)."""

from __future__ import annotations


def pct(x: float | None, nd: int = 0) -> str:
    """``x`` as a percentage with ``nd`` decimals; tiny non-zero shares as "<1%", near-whole
    ones as ">99%", None as "–".

    Examples
    --------
    >>> pct(0.0028), pct(0.005), pct(0.0), pct(0.4449), pct(0.9996), pct(0.0004, 1), pct(None)
    ('<1%', '<1%', '0%', '44%', '>99%', '<0.1%', '–')
    """
    if x is None:
        return "–"
    text = f"{x:.{nd}%}"
    shown = float(text.rstrip("%"))
    step = 10.0 ** -(nd + 2)  # the smallest share the format shows
    if x > 0 and shown == 0:
        return f"<{step:.{nd}%}"
    if x < 1 and shown == 100:
        return f">{1 - step:.{nd}%}"
    return text
