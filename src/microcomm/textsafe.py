"""Making user text safe for each output (report stage helpers, no I/O).

Handles, messages, places and survey answers come from the audience and may hold anything:
HTML tags, Markdown syntax, terminal escape sequences. Each output neutralises what it would
otherwise interpret: Markdown (:func:`md`) escapes tags, backticks, brackets and table pipes;
the terminal (:func:`plain`) drops control characters and ANSI/OSC escape sequences; HTML uses
:func:`html.escape`; JSON keeps the text exact.
"""

from __future__ import annotations

import re

# CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \\), other two-byte ESC sequences, and the
# C0/C1 controls except tab and newline — what a terminal would act on.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def plain(text: object) -> str:
    """``text`` without control characters or terminal escape sequences.

    Examples
    --------
    >>> plain("hi\\x1b[31m red\\x1b[0m\\x07 \\x1b]8;;http://x\\x1b\\\\link")
    'hi red link'
    """
    return _ESCAPES.sub("", str(text))


def md(text: object) -> str:
    """``text`` for a Markdown paragraph or table cell: tags, code spans, links, emphasis and
    pipes escaped, line breaks flattened, control characters dropped.

    Examples
    --------
    >>> md("<img src=x onerror=alert(1)> `x` [a](javascript:b) |")
    '\\\\<img src=x onerror=alert(1)\\\\> \\\\`x\\\\` \\\\[a\\\\](javascript:b) \\\\|'
    """
    flat = " ".join(plain(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat).replace("&", "&amp;")


def md_code(text: object) -> str:
    """``text`` as an inline code span whatever backticks it holds (CommonMark: a longer fence)."""
    flat = " ".join(plain(text).split())
    runs = [len(r) for r in re.findall(r"`+", flat)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"
