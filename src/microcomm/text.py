"""Clean text: the plain text of what people wrote, whatever the export wrapped it in.

Exports carry text as HTML (Mastodon ``content``, YouTube ``textDisplay``), with HTML entities
(``&#39;``, ``&amp;``: X's API escapes ``<``, ``>`` and ``&``; the YouTube Spam Collection
keeps ``&#39;`` and ``<br />``), or with zero-width characters and runs of spaces. Left in, they
reach quoted examples and even community names (issue 8: "class · nofollow · ot-hashtag").

:func:`clean_text` is pure and applied in one place, where every reader's batch is finalised
(:func:`microcomm.ingest.core.finalize_events`), before entities are extracted. Tags are
removed with the standard library's :class:`html.parser.HTMLParser` (not a regex): a link's
target is kept after its text when the text does not show it, so its domain still becomes an
entity; ``<br>`` and block ends become line breaks; ``<script>``/``<style>`` content is dropped.
Entities are unescaped with :func:`html.unescape`. Both are repeated until nothing changes, so
double-escaped text (``&amp;lt;b&amp;gt;``) ends clean too: no entity or tag survives.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

import polars as pl

__all__ = ["clean_text", "clean_texts", "lookalike_letters", "mixes_scripts"]

_BLOCK = frozenset(
    ["p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article", "header", "footer"]
)
_SKIP = frozenset({"script", "style", "head", "title", "template"})
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_TIMESTAMP = re.compile(r"^\d{1,2}(?::\d{2}){1,2}$")  # YouTube's "1:02" links to the same video
_HSPACE = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"[^\S\n]*\n[^\S\n]*")  # spaces around a line break
_PARAGRAPHS = re.compile(r"\n{3,}")  # a blank line separates paragraphs; more is padding
_INVISIBLE = re.compile(r"[\ufeff\u200b\u2060\u00ad]")  # BOM, zero-width space, soft hyphen
_MAX_ROUNDS = 8


class _Extractor(HTMLParser):
    """Collects the text of an HTML fragment; keeps link targets the text does not show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.links: list[tuple[str | None, int]] = []  # (href, index of the first text part)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br" or tag in _BLOCK:
            self.parts.append("\n")
        elif tag == "a":
            self.links.append((dict(attrs).get("href"), len(self.parts)))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:  # emoji images (Mastodon custom emoji, Facebook) carry the emoji as alt
                self.parts.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.parts[start:]).strip()
            target = _link_target(href, shown)
            if target:
                self.parts.append(f" ({target})" if shown else target)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)

    def text(self) -> str:
        return "".join(self.parts)


def _link_target(href: str | None, shown: str) -> str | None:
    """The href to keep after a link's text, or None when the text already says enough."""
    if not href:
        return None
    href = href.strip()
    if not re.match(r"(?i)https?://", href):
        return None  # relative links and mailto: point nowhere an audience goes
    host = (urlsplit(href).hostname or "").removeprefix("www.")
    if not host:
        return None
    low = shown.lower()
    if host in low or low.startswith(("#", "@")) or _TIMESTAMP.match(shown):
        return None  # the text is the URL, a hashtag, a mention or a timestamp
    return href


def _strip_once(text: str) -> str:
    parser = _Extractor()
    parser.feed(text)
    parser.close()
    return parser.text()


def clean_text(text: str | None) -> str | None:
    """Plain text: entities unescaped, tags stripped, whitespace normalised; empty → None.

    Examples
    --------
    >>> clean_text("I&#39;m <b>so</b> happy<br />see <a href='https://shop.example.com/x'>my shop</a>")
    "I'm so happy\\nsee my shop (https://shop.example.com/x)"
    >>> clean_text('<p>Hi <a href="https://m.social/tags/vegan">#<span>vegan</span></a></p>')
    'Hi #vegan'
    >>> clean_text("&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; \\ufeff")
    'bold'
    """
    if text is None:
        return None
    out = text
    for _ in range(_MAX_ROUNDS):
        if "<" not in out and "&" not in out:
            break
        new = _strip_once(out)
        if new == out:
            break
        out = new
    if _TAG.search(out) or html.unescape(out) != out:  # pathological nesting: force it
        while True:
            new = html.unescape(_TAG.sub(" ", out))
            if new == out:
                break
            out = new
    out = _INVISIBLE.sub("", out.replace("\r\n", "\n").replace("\r", "\n"))
    out = _PARAGRAPHS.sub("\n\n", _NEWLINES.sub("\n", _HSPACE.sub(" ", out))).strip()
    return out or None


def clean_texts(texts: pl.Series) -> pl.Series:
    """:func:`clean_text` over a column; the HTML parser runs only on rows holding ``<`` or ``&``.

    Whitespace and invisible characters are normalised with vectorised expressions, so a batch
    of plain text costs two regex passes.

    Examples
    --------
    >>> clean_texts(pl.Series("text", ["a &amp; b", "  plain  text ", None, "<br>"])).to_list()
    ['a & b', 'plain text', None, None]
    """
    s = texts.cast(pl.String)
    marked = s.str.contains(r"[<&]").fill_null(False)
    if marked.any():
        idx = marked.arg_true()
        cleaned = pl.Series([clean_text(t) for t in s.gather(idx).to_list()], dtype=pl.String)
        s = s.scatter(idx, cleaned)
    frame = pl.DataFrame({"t": s})
    out = frame.select(
        pl.col("t")
        .str.replace_all("\r\n?", "\n")
        .str.replace_all(_INVISIBLE.pattern, "")
        .str.replace_all(_HSPACE.pattern, " ")
        .str.replace_all(_NEWLINES.pattern, "\n")
        .str.replace_all(_PARAGRAPHS.pattern, "\n\n")
        .str.strip_chars()
    )["t"]
    return out.replace("", None).alias(texts.name)


# --- handles that mix look-alike scripts (issue 9) ----------------------------------------

# Scripts whose letters pass for one another: a Cyrillic 'а' (U+0430) or a Greek 'ο' (U+03BF)
# in an otherwise Latin handle makes an account that looks like another one. Handles written
# wholly in one script, or mixing scripts that look nothing alike (Japanese kana and kanji,
# Latin and Arabic), are not flagged.
LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
_NON_LATIN_LOOKALIKE = r"[\p{Cyrillic}\p{Greek}]"  # a cheap vectorised first pass


def _script(char: str) -> str | None:
    """The look-alike script of a letter (the first word of its Unicode name), else None."""
    if not unicodedata.category(char).startswith("L"):
        return None
    word = unicodedata.name(char, "").split(" ", 1)[0]
    return word if word in LOOKALIKE_SCRIPTS else None


def lookalike_letters(handle: str) -> list[dict[str, str]]:
    """The letters of ``handle`` that break its main script when it mixes Latin, Cyrillic and
    Greek letters (``[]`` when it does not): each as ``char``, ``code`` and Unicode ``name``.

    The main script is the one most of its letters are in (Latin on a tie). Scripts come from
    :mod:`unicodedata` names (the first word, as ``CYRILLIC SMALL LETTER A``).

    Examples
    --------
    >>> lookalike_letters("p\u0430ypal")
    [{'char': 'а', 'code': 'U+0430', 'name': 'CYRILLIC SMALL LETTER A'}]
    >>> lookalike_letters("paypal"), lookalike_letters("москва"), lookalike_letters("ann_κ")
    ([], [], [{'char': 'κ', 'code': 'U+03BA', 'name': 'GREEK SMALL LETTER KAPPA'}])
    """
    scripts = [(c, _script(c)) for c in handle]
    counts: dict[str, int] = {}
    for _, script in scripts:
        if script:
            counts[script] = counts.get(script, 0) + 1
    if len(counts) < 2:
        return []
    main = max(LOOKALIKE_SCRIPTS, key=lambda s: (counts.get(s, 0), s == "LATIN"))
    return [
        {"char": c, "code": f"U+{ord(c):04X}", "name": unicodedata.name(c, "")}
        for c, script in scripts
        if script and script != main
    ]


def mixes_scripts(handles: pl.Series) -> pl.Series:
    """The distinct handles of ``handles`` that mix look-alike scripts, sorted.

    A vectorised regex picks the candidates; :func:`lookalike_letters` decides.

    >>> mixes_scripts(pl.Series(["p\u0430ypal", "paypal", None, "p\u0430ypal"])).to_list()
    ['pаypal']
    """
    unique = handles.drop_nulls().unique()
    candidates = unique.filter(unique.str.contains(_NON_LATIN_LOOKALIKE))
    flagged = [h for h in candidates.to_list() if lookalike_letters(h)]
    return pl.Series(handles.name, sorted(flagged), dtype=pl.String)
