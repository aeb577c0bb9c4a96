"""The profanity skeleton: the text lower-cased, leetspeak and look-alike letters read as plain ones.

One character for one character (``sh1t``, ``@ss``, ``ѕһіт``, ``ꜰᴜᴄᴋ`` -> ``shit``, ``ass``, ...), so every
skeleton position is a position of the text searched. Look-alikes come from ``postguard.lookalikes``.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import product

from postguard.lookalikes import LOOKALIKES

AMBIGUOUS = "\x01"  # 1, ! or | between letters: i or l. ParsedPost.text never holds \x01.
MARK = "\x02"  # a combining mark left after NFKC (f̶u̶c̶k̶, zalgo): part of the word, not a letter
_COMBINING = ((0x0300, 0x036F), (0x0483, 0x0489), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
              (0xFE20, 0xFE2F))
_LEET = {"0": "o", "1": AMBIGUOUS, "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
         "@": "a", "$": "s", "€": "e"}
_SMALL_CAPS = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ"


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    for cp in range(0xC0, 0x250):  # Latin letters with accents -> the plain letter
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base.isascii() and base.isalpha():
            table[cp] = base.lower()
    for src, dst in LOOKALIKES.items():
        table[ord(src)] = dst.lower()
        if len(src.upper()) == 1:
            table.setdefault(ord(src.upper()), dst.lower())
    for i, c in enumerate(_SMALL_CAPS):
        table[ord(c)] = "abcdefghijklmnopqrstuvwxyz"[i]
    for first in (0x1F150, 0x1F170, 0x1F1E6):  # negative circled, negative squared, regional
        for i in range(26):
            table[first + i] = chr(ord("a") + i)
    for src, dst in _LEET.items():
        table[ord(src)] = dst
    for first, last in _COMBINING:  # strike-through and zalgo marks stay inside the word
        for cp in range(first, last + 1):
            table[cp] = MARK
    # Identity entries keep str.translate from raising KeyError on every other character.
    for cp in [*range(0x250), *range(0x2000, 0x2070)]:
        table.setdefault(cp, chr(cp))
    return table


_FOLD = _fold_table()
LETTER = r"a-z\x01"
_BANG = re.compile(rf"(?<=[{LETTER}*])[!|]+(?=[{LETTER}*+])")
_PLUS = re.compile(rf"(?<=[{LETTER}])\+(?!\+)")


def skeleton(text: str) -> str:
    """``text`` lower-cased with leetspeak and look-alikes read as letters; same length."""
    s = text.translate(_FOLD)
    if "!" in s or "|" in s:
        s = _BANG.sub(lambda m: AMBIGUOUS * len(m.group()), s)
    if "+" in s:
        s = _PLUS.sub("t", s)
    return s


def readings(token: str) -> list[str]:
    """Each way of reading the ambiguous characters (1 ! |) of a skeleton token."""
    n = token.count(AMBIGUOUS)
    if not n:
        return [token]
    if n > 3:
        return [token.replace(AMBIGUOUS, "i"), token.replace(AMBIGUOUS, "l")]
    parts = token.split(AMBIGUOUS)
    out = []
    for letters in product("il", repeat=n):
        out.append(parts[0] + "".join(c + p for c, p in zip(letters, parts[1:])))
    return out

