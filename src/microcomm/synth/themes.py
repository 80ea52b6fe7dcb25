"""The world of the synthetic audiences: Kestrel Outdoor's planted themes and word lists.

Read once from ``kestrel.yaml`` shipped inside the package (``importlib.resources``), so the
data can be edited without touching the generator. Every community of a generated audience
gets a :class:`Theme`; past the listed themes they repeat with a numeric suffix.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

DATA_FILE = "kestrel.yaml"


@dataclass(frozen=True)
class Theme:
    """What one planted community shares: tags, a partner brand, words, a place and a time.

    Examples
    --------
    >>> t = theme_for(0)
    >>> t.name, t.hashtags[0], t.peak_weekday
    ('trail runners', 'trailrunning', 5)
    >>> theme_for(len(THEMES)).name
    'trail runners 1'
    """

    name: str
    hashtags: tuple[str, str, str]
    brand: str
    keywords: tuple[str, str, str]
    platform: str
    city: str
    peak_weekday: int  # 0 = Monday
    peak_hour: int  # UTC

    def numbered(self, k: int) -> Theme:
        """The same theme for the k-th repeat: name, tags and brand carry the suffix ``k``."""
        return replace(
            self,
            name=f"{self.name} {k}",
            hashtags=tuple(f"{t}{k}" for t in self.hashtags),  # type: ignore[arg-type]
            brand=f"{self.brand}{k}",
        )


@dataclass(frozen=True)
class World:
    """Everything ``kestrel.yaml`` holds, typed."""

    brand: str
    generic_tags: tuple[str, ...]
    loud_tags: tuple[str, ...]
    dm_templates: tuple[str, ...]
    survey_question: str
    survey_answers: tuple[str, ...]
    adjectives: tuple[str, ...]
    nouns: tuple[str, ...]
    phrases: tuple[str, ...]
    platforms: tuple[str, ...]
    themes: tuple[Theme, ...]


def _theme(raw: dict[str, Any], platforms: tuple[str, ...], i: int) -> Theme:
    names = [f.name for f in fields(Theme)]
    if sorted(raw) != sorted(names):
        raise ValueError(f"{DATA_FILE}: theme {i} has keys {sorted(raw)}, expected {sorted(names)}")
    theme = Theme(**{**raw, "hashtags": tuple(raw["hashtags"]), "keywords": tuple(raw["keywords"])})
    if len(theme.hashtags) != 3 or len(theme.keywords) != 3:
        raise ValueError(f"{DATA_FILE}: theme {theme.name!r} needs 3 hashtags and 3 keywords")
    if theme.platform not in platforms:
        raise ValueError(
            f"{DATA_FILE}: theme {theme.name!r} has unknown platform {theme.platform!r}"
        )
    return theme


@cache
def load_world() -> World:
    """Read and check the packaged ``kestrel.yaml`` (cached: read once per process)."""
    raw = yaml.safe_load(files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8"))
    platforms = tuple(raw["platforms"])
    lists = {
        k: tuple(raw[k])
        for k in (
            *("generic_tags", "loud_tags", "dm_templates", "survey_answers"),
            *("adjectives", "nouns", "phrases"),
        )
    }
    return World(
        brand=raw["brand"],
        # the brand's own tag is one of the generic ones
        **{**lists, "generic_tags": (*lists["generic_tags"], raw["brand"])},
        survey_question=raw["survey_question"],
        platforms=platforms,
        themes=tuple(_theme(t, platforms, i) for i, t in enumerate(raw["themes"])),
    )


def theme_for(c: int) -> Theme:
    """The theme of planted community ``c`` (themes repeat with a suffix past the list)."""
    themes = load_world().themes
    base = themes[c % len(themes)]
    return base if c < len(themes) else base.numbered(c // len(themes))


_W = load_world()
BRAND = _W.brand
GENERIC_TAGS = _W.generic_tags
LOUD_TAGS = _W.loud_tags
DM_TEMPLATES = _W.dm_templates
SURVEY_QUESTION = _W.survey_question
SURVEY_ANSWERS = _W.survey_answers
THEMES = _W.themes
