"""``styled``: runs of styled Unicode letters (𝗯𝗼𝗹𝗱, 𝘪𝘵𝘢𝘭𝘪𝘤, 𝔣𝔯𝔞𝔨𝔱𝔲𝔯, ｆｕｌｌ-ｗｉｄｔｈ, ⓒⓘⓡⓒⓛⓔⓓ), with the plain letters as the fix.

Screen readers read such letters one by one by their Unicode names ("mathematical bold capital
F"), or skip them, and search cannot find them. The checkable text has already folded them to
plain letters, so this kind reads the author's original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields
from postguard.errors import one_of

FIELDS = {
    "styles": "which styles to flag: mathematical, fullwidth, circled, squared (default: all)",
    "min_letters": "styled letters a run needs before it is flagged (default 2)",
}
PLACEHOLDERS = ("plain",)
IGNORECASE = False

# Letterlike symbols that fill the holes of the mathematical alphabets (ℎ is italic h, ℭ fraktur
# C, ℝ double-struck R...): styled only next to other styled letters.
_HOLES = "ℂℊℋℌℍℎℐℑℒℓℕℙℚℛℜℝℤℨℬℭℯℰℱℳℴ"
_RANGES = {
    "mathematical": [(0x1D400, 0x1D7FF)],
    "fullwidth": [(0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)],
    "circled": [(0x24B6, 0x24E9), (0x1F150, 0x1F169)],
    "squared": [(0x1F130, 0x1F149), (0x1F170, 0x1F189)],
}
# Negative circled and squared letters (🅕🅡🅔🅔, 🅵🆁🅴🅴) have no compatibility form; their name
# ends in the letter. 🅰️ 🅱️ 🅾️ 🅿️ are emoji: the variation selector after each breaks the run.
_NEGATIVE = re.compile(r"NEGATIVE (?:CIRCLED|SQUARED) LATIN CAPITAL LETTER ([A-Z])")
# Full-width Latin is the ordinary form inside Chinese, Japanese and Korean text.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_FULLWIDTH = frozenset(chr(c) for lo, hi in _RANGES["fullwidth"] for c in range(lo, hi + 1))
_GAP = r"[ \t'’.,:;!?&+/-]+"


def _plain(ch: str) -> str:
    """The plain letter or digit a styled character stands for, or ``ch`` itself."""
    plain = unicodedata.normalize("NFKC", ch)
    if plain != ch:
        return plain
    m = _NEGATIVE.fullmatch(unicodedata.name(ch, ""))
    return m.group(1) if m else ch


def _styled_chars(styles: list[str]) -> dict[str, str]:
    """The characters of ``styles`` that stand for a plain letter or digit, and that letter."""
    chars = {}
    for style in styles:
        for lo, hi in _RANGES[style]:
            for cp in range(lo, hi + 1):
                ch = chr(cp)
                plain = _plain(ch)
                if plain != ch and len(plain) == 1 and plain.isalnum():
                    chars[ch] = plain
    return chars


class StyledMatcher:
    def __init__(self, styles: list[str], min_letters: int) -> None:
        self.plain = _styled_chars(styles)
        self.chars = frozenset(self.plain)
        run = "[" + re.escape("".join(self.plain) + (_HOLES if "mathematical" in styles else "")) + "]+"
        self.regex = re.compile(f"{run}(?:{_GAP}{run})*")
        self.min_letters = min_letters

    def find(self, target: Target) -> Iterator[RuleHit]:
        text = target.parsed.original
        if text.isascii():
            return
        cjk: bool | None = None
        for m in self.regex.finditer(text):
            run = m.group()
            if sum(c in self.chars for c in run) < self.min_letters:
                continue
            if all(c in _FULLWIDTH for c in run if not c.isspace() and c.isalnum()):
                if cjk is None:
                    cjk = bool(_CJK.search(text))
                if cjk:
                    continue
            plain = unicodedata.normalize("NFKC", "".join(self.plain.get(c, c) for c in run))
            yield RuleHit(m.start(), m.end(), original=True, suggestion=plain, values={"plain": plain})


def build(f: Fields) -> StyledMatcher:
    styles = f.texts("styles") or list(_RANGES)
    for style in styles:
        if style not in _RANGES:
            raise f.error("styles", f"style {one_of(style, _RANGES)}")
    return StyledMatcher(styles, f.integer("min_letters", 2, minimum=1) or 2)
