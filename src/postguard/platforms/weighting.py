"""How each platform counts a post's length, and where its limit falls in the original text.

X/Twitter follows twitter-text v3 exactly (``parseTweet``): the text is NFC-normalised; a URL, as
twitter-text's extractor finds it (``urls.find_urls``), weighs 23; an emoji sequence, as
twemoji-parser finds it (``emoji.find_emoji``), weighs 2; any other code point weighs 1 inside the
v3 ranges (U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F, U+2032-U+2037) and 2 outside (CJK,
most emoji parts, astral characters); limit 280. A ZWJ sequence newer than Emoji 11 counts part by
part, as it does there.

Mastodon counts grapheme clusters, a URL with a scheme as 23 and a mention ``@user@domain`` as
``@user`` (500 by default, per instance). Bluesky counts grapheme clusters (300) and UTF-8 bytes
(3000). LinkedIn counts characters (3000).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

import regex

from postguard.platforms.emoji import find_emoji
from postguard.platforms.urls import URL_LENGTH, find_urls

class Measure(NamedTuple):
    """A length as the platform counts it, and where in the original text the limit falls."""

    length: int
    limit: int
    unit: str
    #: Offset into the original text of the first character past the limit (None if within).
    cut: int | None

    @property
    def over(self) -> int:
        return max(0, self.length - self.limit)



# --------------------------------------------------------------------------------------------
# twitter-text v3 weighted length (parseTweet)

_X_SCALE = 100
_X_URL_WEIGHT = URL_LENGTH * _X_SCALE
_X_DEFAULT_WEIGHT = 200
_X_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_X_LIGHT_RUN = re.compile("[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _X_RANGES) + "]+")


def _x_weight(ch: str) -> int:
    cp = ord(ch)
    for lo, hi in _X_RANGES:
        if lo <= cp <= hi:
            return _X_SCALE
    return _X_DEFAULT_WEIGHT


def _x_base(s: str) -> int:
    """Scaled weight of ``s`` counted character by character."""
    if s.isascii():
        return len(s) * _X_SCALE
    # what is left once the weight-1 runs are removed weighs 2 a character
    return (len(s) + len(_X_LIGHT_RUN.sub("", s))) * _X_SCALE


def _x_entities(nfc: str, emoji: bool = True) -> list[tuple[int, int, int]]:
    """``(start, end, weight)`` of the URLs and emoji that count as one unit, in text order."""
    found = [(s, e, _X_URL_WEIGHT) for s, e in find_urls(nfc)]
    if emoji and not nfc.isascii():  # every twemoji sequence has a non-ASCII code point
        found += [(s, e, _X_DEFAULT_WEIGHT) for s, e in find_emoji(nfc)]
        found.sort(key=lambda t: (t[0], t[2] != _X_URL_WEIGHT))
    kept, cursor = [], 0
    for ent in found:
        if ent[0] >= cursor and ent[1] > ent[0]:
            kept.append(ent)
            cursor = ent[1]
    return kept


class TwitterLength(NamedTuple):
    """twitter-text v3's verdict on a text: weighted length and where the 280 budget runs out."""

    weighted_length: int
    #: Offset into the ORIGINAL text of the first character past the limit (None if within).
    cut: int | None


def twitter_length(text: str, limit: int = 280, *, emoji_parsing: bool = True) -> TwitterLength:
    """Weighted length of ``text`` by twitter-text v3 and where ``limit`` cuts it.

    ``emoji_parsing=False`` gives the v2 configuration, where an emoji's code points count one by one.
    """
    nfc = unicodedata.normalize("NFC", text)
    entities = _x_entities(nfc, emoji_parsing)
    total = _x_base(nfc)
    for s, e, w in entities:
        total += w - _x_base(nfc[s:e])
    if total <= limit * _X_SCALE:
        return TwitterLength(total // _X_SCALE, None)
    budget, acc, pos, cut = limit * _X_SCALE, 0, 0, len(nfc)
    for s, e, w in entities + [(len(nfc), len(nfc), 0)]:
        segment = _x_base(nfc[pos:s])
        if acc + segment > budget:
            if nfc[pos:s].isascii():
                cut = pos + (budget - acc) // _X_SCALE
            else:
                for i in range(pos, s):
                    acc += _x_weight(nfc[i])
                    if acc > budget:
                        cut = i
                        break
            break
        acc += segment + w
        if acc > budget:
            cut = s
            break
        pos = e
    return TwitterLength(total // _X_SCALE, _nfc_to_original(text, nfc, cut))


def _nfc_to_original(text: str, nfc: str, offset: int) -> int:
    """Map an offset in NFC(text) back to ``text`` (identical when already NFC)."""
    if len(text) == len(nfc) and text == nfc:
        return offset
    acc = 0
    for m in regex.finditer(r"\X", text):
        n = len(unicodedata.normalize("NFC", m.group()))
        if acc + n > offset:
            return m.start()
        acc += n
    return len(text)


def measure_x(text: str, limit: int) -> list[Measure]:
    r = twitter_length(text, limit)
    return [Measure(r.weighted_length, limit, "weighted characters", r.cut)]


# --------------------------------------------------------------------------------------------
# Mastodon, Bluesky, LinkedIn

# Mastodon's Account::MENTION_RE: the username part counts, the instance part does not.
_MENTION = re.compile(
    r"(?<![=/\w])@(?P<user>[a-z0-9_]+(?:[.\-]+[a-z0-9_]+)*)(?:@\w+(?:[.\-]+\w+)*)?", re.IGNORECASE
)
_GRAPHEME = regex.compile(r"\X")


def _graphemes(s: str) -> list[int]:
    """Start offsets of the grapheme clusters of ``s``."""
    if s.isascii() and "\r\n" not in s:
        return list(range(len(s)))
    return [m.start() for m in _GRAPHEME.finditer(s)]


def measure_mastodon(text: str, limit: int) -> list[Measure]:
    # (start, end, counted) spans that count as a fixed number of characters
    spans = [(s, e, URL_LENGTH) for s, e in find_urls(text, require_scheme=True)]
    if "@" in text:
        taken = [(s, e) for s, e, _ in spans]
        for m in _MENTION.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken) and m.end() > m.end("user"):
                # "@user@domain": count "@user" as it stands, drop the rest
                spans.append((m.end("user"), m.end(), 0))
        spans.sort()
    units: list[tuple[int, int]] = []  # (original offset, how many characters it counts)
    pos = 0
    for s, e, counted in spans + [(len(text), len(text), 0)]:
        units.extend((pos + g, 1) for g in _graphemes(text[pos:s]))
        if counted:
            units.append((s, counted))
        pos = e
    length = sum(n for _, n in units)
    cut = None
    if length > limit:
        acc = 0
        for offset, n in units:
            acc += n
            if acc > limit:
                cut = offset
                break
    return [Measure(length, limit, "characters", cut)]


_BLUESKY_BYTES = 3000


def measure_bluesky(text: str, limit: int) -> list[Measure]:
    starts = _graphemes(text)
    out = [Measure(len(starts), limit, "graphemes", starts[limit] if len(starts) > limit else None)]
    size = len(text.encode("utf-8", "surrogatepass"))
    cut = None
    if size > _BLUESKY_BYTES:  # cut before the grapheme whose bytes cross the limit
        acc = 0
        for start, end in zip(starts, starts[1:] + [len(text)]):
            acc += len(text[start:end].encode("utf-8", "surrogatepass"))
            if acc > _BLUESKY_BYTES:
                cut = start
                break
    out.append(Measure(size, _BLUESKY_BYTES, "bytes (UTF-8)", cut))
    return out


def measure_chars(text: str, limit: int) -> list[Measure]:
    cut = None
    if len(text) > limit:  # never split a grapheme cluster (an emoji sequence, an accent)
        lo = max(0, limit - 64)
        cut = lo + _graphemes(text[lo : limit + 1])[-1]
    return [Measure(len(text), limit, "characters", cut)]
