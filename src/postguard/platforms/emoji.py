"""twemoji-parser's emoji sequences (11.0.2, scripts/twitter_text_data.py), found where one can start."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

@dataclass(frozen=True)
class _EmojiPatterns:
    emoji: re.Pattern[str]
    #: a class holding every character a match can start with (a superset; a match is tried there)
    start: re.Pattern[str]
    #: the same, plus the ASCII keycap bases, used only when U+FE0F or U+20E3 occurs
    start_keycap: re.Pattern[str]


@functools.cache
def emoji_patterns() -> _EmojiPatterns:
    data = resources.files("postguard") / "data" / "twemoji_regex.txt"
    source = data.read_text(encoding="utf-8").splitlines()[-1]
    # Every non-ASCII character the pattern names; its only ASCII ones are the keycap bases.
    named: set[int] = set()
    escape = r"(\\U[0-9a-f]{8}|\\u[0-9a-f]{4}|[\xa9\xae])"
    for lo, hi in re.findall(escape + "(?:-" + escape + ")?", source):
        first = ord(lo) if len(lo) == 1 else int(lo[2:], 16)
        last = (ord(hi) if len(hi) == 1 else int(hi[2:], 16)) if hi else first
        named.update(range(first, last + 1))
    # Astral ones become one plane-wide range: a class of a few hundred ranges is checked one range
    # at a time, while a short one is a bitmap.
    astral = {cp for cp in named if cp > 0xFFFF}
    named = (named - astral) | {min(astral), max(astral)}
    runs: list[list[int]] = []
    for cp in sorted(named):
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])

    def esc(cp: int) -> str:
        return "\\" + chr(cp) if chr(cp) in "\\]^-[" else chr(cp)

    runs[-2:] = [[runs[-2][0], runs[-1][1]]]
    cls = "".join(f"{esc(lo)}-{esc(hi)}" if hi > lo else esc(lo) for lo, hi in runs)
    return _EmojiPatterns(
        re.compile(source), re.compile(f"[{cls}]"), re.compile(f"[#*0-9](?=[\ufe0f\u20e3])|[{cls}]")
    )


def find_emoji(nfc: str) -> list[tuple[int, int]]:
    """What ``finditer`` of twemoji-parser's pattern finds, trying only where a match can start."""
    p = emoji_patterns()
    start = p.start_keycap if "\ufe0f" in nfc or "\u20e3" in nfc else p.start
    out = []
    pos = 0
    while (s := start.search(nfc, pos)) is not None:
        i = s.start()
        n = _emoji_length(nfc[i : i + _EMOJI_WINDOW])
        if n:
            out.append((i, i + n))
            pos = i + n
        else:
            pos = i + 1
    return out


# The longest twemoji sequence is 10 code points and the pattern looks one past a match at most,
# so a match depends only on the next 16 characters: posts repeat emoji, so remember them.
_EMOJI_WINDOW = 16


@functools.lru_cache(maxsize=4096)
def _emoji_length(window: str) -> int:
    m = emoji_patterns().emoji.match(window)
    return m.end() if m is not None else 0

