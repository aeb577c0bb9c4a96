"""Where a post can go: the registry of platforms, each with its limit and how it counts length.

``urls`` finds URLs as twitter-text does, ``emoji`` finds twemoji sequences, ``weighting`` counts
each platform's length with them; this module names the platforms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from postguard.errors import InputError, one_of
from postguard.platforms.emoji import emoji_patterns
from postguard.platforms.urls import find_urls, url_patterns
from postguard.platforms.weighting import (
    Measure,
    TwitterLength,
    measure_bluesky,
    measure_chars,
    measure_mastodon,
    measure_x,
    twitter_length,
)

__all__ = [
    "PLATFORMS",
    "Measure",
    "Platform",
    "TwitterLength",
    "find_urls",
    "get_platform",
    "load_platform_data",
    "platform_names",
    "twitter_length",
]


@dataclass(frozen=True)
class Platform:
    """A place a post can go: its limit (None for none) and how it counts length."""

    name: str
    label: str
    limit: int | None
    measure: Callable[[str, int], list[Measure]] | None
    aliases: tuple[str, ...] = ()


PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform("generic", "Generic", None, None),
        Platform("blog", "Blog", None, None),
        Platform("x", "X (Twitter)", 280, measure_x, aliases=("twitter",)),
        Platform("mastodon", "Mastodon", 500, measure_mastodon),
        Platform("bluesky", "Bluesky", 300, measure_bluesky),
        Platform("linkedin", "LinkedIn", 3000, measure_chars),
    )
}
_ALIASES = {alias: p.name for p in PLATFORMS.values() for alias in p.aliases}


def platform_names() -> list[str]:
    return sorted(set(PLATFORMS) | set(_ALIASES))


def get_platform(name: str) -> Platform:
    """The platform called ``name`` (aliases such as ``twitter`` accepted)."""
    key = _ALIASES.get(name, name)
    try:
        return PLATFORMS[key]
    except KeyError:
        raise InputError(f"platform {one_of(name, platform_names())}") from None


def load_platform_data() -> None:
    """Compile the URL and emoji patterns now rather than on the first post."""
    url_patterns()
    emoji_patterns()
