"""Where a post can go and how each platform counts its length.

X/Twitter follows twitter-text v3 (weighted length over NFC text: most scripts weigh 1, CJK and
others 2, an emoji sequence 2, a URL 23 whatever its length; limit 280). Mastodon counts
characters with URLs as 23 (500 by default, per instance). Bluesky counts graphemes (300) and
UTF-8 bytes (3000). LinkedIn counts characters (3000). ``blog`` and ``generic`` have no limit.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable

import regex

from postguard.errors import InputError, one_of


@dataclass(frozen=True)
class Measure:
    """A length as the platform counts it, and where in the original text the limit falls."""

    length: int
    limit: int
    unit: str
    #: Offset into the original text of the first character past the limit (None if within).
    cut: int | None


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    limit: int | None
    measure: Callable[[str, int], list[Measure]] | None
    aliases: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# twitter-text v3

_TWITTER_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_TWITTER_URL_LENGTH = 23
_TWITTER_SCALE = 100
_TWITTER_DEFAULT_WEIGHT = 200
_TWITTER_RANGE_WEIGHT = 100

# URLs as twitter-text finds them: with a scheme, or a bare domain with a known TLD.
_URL = regex.compile(
    r"""
    (?<![\w@$#.\-/])
    (?:
        https?://[^\s<>"]+
      | (?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?\.)+
        (?:com|org|net|edu|gov|mil|int|io|co|uk|us|ca|de|fr|es|it|nl|eu|au|jp|cn|ru|br|in|info|biz|me|tv|ly|gl|be|ch|se|no|fi|dk|pl|ie|nz|at|app|dev|ai|xyz|online|site|news|social|ac\.uk|co\.uk|gov\.uk|org\.uk)
        (?![\p{L}\p{N}@])
        (?::\d{1,5})?
        (?:/[^\s<>"]*)?
    )
    """,
    regex.X | regex.I,
)
_URL_TRAILING = ".,;:!?'\")]}"
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


def find_urls(text: str) -> list[tuple[int, int]]:
    """Spans of URLs in ``text`` as platforms that shorten links see them."""
    spans = []
    for m in _URL.finditer(text):
        s, e = m.span()
        while e > s and text[e - 1] in _URL_TRAILING:
            # keep a closing bracket that balances one inside the URL
            if text[e - 1] == ")" and text[s:e].count("(") >= text[s:e].count(")"):
                break
            e -= 1
        spans.append((s, e))
    return spans


def _twitter_weight(ch: str) -> int:
    cp = ord(ch)
    for lo, hi in _TWITTER_RANGES:
        if lo <= cp <= hi:
            return _TWITTER_RANGE_WEIGHT
    return _TWITTER_DEFAULT_WEIGHT


def twitter_weighted_length(text: str) -> tuple[int, list[tuple[int, int]]]:
    """Weighted length of ``text`` by twitter-text v3 and, per unit, ``(nfc_offset, weight)``."""
    nfc = unicodedata.normalize("NFC", text)
    urls = find_urls(nfc)
    units: list[tuple[int, int]] = []
    total = 0
    i = 0
    url_iter = iter(urls)
    next_url = next(url_iter, None)
    graphemes = regex.finditer(r"\X", nfc)
    for g in graphemes:
        start, end = g.span()
        if start < i:
            continue
        if next_url is not None and start >= next_url[0]:
            if start < next_url[1]:
                w = _TWITTER_URL_LENGTH * _TWITTER_SCALE
                units.append((next_url[0], w))
                total += w
                i = next_url[1]
                next_url = next(url_iter, None)
                continue
            next_url = next(url_iter, None)
        cluster = g.group()
        if _EMOJI.search(cluster):
            w = _TWITTER_DEFAULT_WEIGHT
            units.append((start, w))
            total += w
        else:
            for k, ch in enumerate(cluster):
                w = _twitter_weight(ch)
                units.append((start + k, w))
                total += w
        i = end
    return total // _TWITTER_SCALE, units


def _measure_x(text: str, limit: int) -> list[Measure]:
    length, units = twitter_weighted_length(text)
    cut = None
    if length > limit:
        budget = limit * _TWITTER_SCALE
        acc = 0
        for offset, w in units:
            acc += w
            if acc > budget:
                cut = _nfc_to_original(text, offset)
                break
    return [Measure(length, limit, "weighted characters", cut)]


def _nfc_to_original(text: str, nfc_offset: int) -> int:
    """Map an offset in NFC(text) back to ``text`` (identical when already NFC)."""
    if unicodedata.is_normalized("NFC", text):
        return nfc_offset
    acc = 0
    for m in regex.finditer(r"\X", text):
        n = len(unicodedata.normalize("NFC", m.group()))
        if acc + n > nfc_offset:
            return m.start()
        acc += n
    return len(text)


def _measure_mastodon(text: str, limit: int) -> list[Measure]:
    urls = find_urls(text)
    length = 0
    cut = None
    pos = 0
    spans = urls + [(len(text), len(text))]
    for s, e in spans:
        for k in range(pos, s):
            if not (0xDC00 <= ord(text[k]) <= 0xDFFF and k > 0 and 0xD800 <= ord(text[k - 1]) <= 0xDBFF):
                length += 1
            if length > limit and cut is None:
                cut = k
        if e > s:
            length += _TWITTER_URL_LENGTH
            if length > limit and cut is None:
                cut = s
        pos = e
    return [Measure(length, limit, "characters", cut)]


def _measure_bluesky(text: str, limit: int) -> list[Measure]:
    out = []
    count = 0
    cut = None
    for m in regex.finditer(r"\X", text):
        count += 1
        if count > limit and cut is None:
            cut = m.start()
    out.append(Measure(count, limit, "graphemes", cut))
    byte_limit = 3000
    size = 0
    bcut = None
    for i, ch in enumerate(text):
        size += len(ch.encode("utf-8", "surrogatepass"))
        if size > byte_limit and bcut is None:
            bcut = i
    out.append(Measure(size, byte_limit, "bytes", bcut))
    return out


def _measure_chars(text: str, limit: int) -> list[Measure]:
    return [Measure(len(text), limit, "characters", limit if len(text) > limit else None)]


PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform("generic", "Generic", None, None),
        Platform("blog", "Blog", None, None),
        Platform("x", "X (Twitter)", 280, _measure_x, aliases=("twitter",)),
        Platform("mastodon", "Mastodon", 500, _measure_mastodon),
        Platform("bluesky", "Bluesky", 300, _measure_bluesky),
        Platform("linkedin", "LinkedIn", 3000, _measure_chars),
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
