"""Unicode folding for matching, with an offset map that never moves reported spans.

The checkable text is NFKC-normalised per character (styled and full-width letters become plain
ones), zero-width and bidi control characters are removed, lone surrogates and control characters
become U+FFFD / a space, and Cyrillic or Greek look-alikes (``lookalikes``) inside a Latin word
become Latin.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable

from postguard.lookalikes import in_scripts
from postguard.markup import Piece

# Invisible characters that disguise words or reorder their display.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06"
    "\ufe07\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f\ufeff\uffa0"
)

# Cyrillic and Greek letters that look like Latin ones; folded only inside mixed-script words.
HOMOGLYPHS = in_scripts("CYRILLIC", "GREEK")
_HOMOGLYPH_CHARS = frozenset(HOMOGLYPHS)
_LATIN_WORD = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class OffsetMap:
    """Maps spans of the checkable text back to spans of the original text.

    The map is a list of runs. A *verbatim* run maps character for character; an *atomic* run
    (an entity, an expansion such as ﬁ -> fi, a separator) maps as a whole to its source range.
    """

    __slots__ = ("_norm_starts", "_runs")

    def __init__(self, runs: list[tuple[int, int, int, int, bool]]) -> None:
        # (norm_start, norm_len, orig_start, orig_len, verbatim)
        self._runs = runs
        self._norm_starts = [r[0] for r in runs]

    def _run_at(self, pos: int) -> tuple[int, int, int, int, bool]:
        i = bisect.bisect_right(self._norm_starts, pos) - 1
        return self._runs[max(i, 0)]

    def start(self, pos: int) -> int:
        """Original offset where the checkable character at ``pos`` begins."""
        if not self._runs:
            return 0
        ns, nl, os_, ol, verbatim = self._run_at(pos)
        if pos >= ns + nl:  # past the end
            return os_ + ol
        return os_ + (pos - ns) if verbatim else os_

    def end(self, pos: int) -> int:
        """Original offset just after the checkable character at ``pos``."""
        if not self._runs:
            return 0
        ns, nl, os_, ol, verbatim = self._run_at(pos)
        if pos >= ns + nl:
            return os_ + ol
        return os_ + (pos - ns) + 1 if verbatim else os_ + ol

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` for the checkable span ``[start, end)``."""
        if end <= start:
            at = self.start(start)
            return at, at
        return self.start(start), self.end(end - 1)


def fold(source: str, pieces: Iterable[Piece]) -> tuple[str, OffsetMap]:
    """Build the checkable text from ``pieces`` of ``source`` and its offset map."""
    out: list[str] = []
    runs: list[tuple[int, int, int, int, bool]] = []
    n = 0

    def verbatim(text: str, orig: int) -> None:
        nonlocal n
        if not text:
            return
        if runs and runs[-1][4] and runs[-1][0] + runs[-1][1] == n and runs[-1][2] + runs[-1][3] == orig:
            ns, nl, os_, ol, _ = runs[-1]
            runs[-1] = (ns, nl + len(text), os_, ol + len(text), True)
        else:
            runs.append((n, len(text), orig, len(text), True))
        out.append(text)
        n += len(text)

    def atomic(text: str, orig: int, orig_len: int) -> None:
        nonlocal n
        if not text:
            return
        runs.append((n, len(text), orig, orig_len, False))
        out.append(text)
        n += len(text)

    for piece in pieces:
        if piece.text is not None:
            atomic(_fold_chars(piece.text), piece.start, piece.end - piece.start)
            continue
        chunk = source[piece.start : piece.end]
        if chunk.isascii() and not _NON_ASCII.search(chunk):
            verbatim(chunk, piece.start)
            continue
        pos = 0
        for m in _NON_ASCII.finditer(chunk):
            i = m.start()
            verbatim(chunk[pos:i], piece.start + pos)
            folded = _fold_char(chunk[i])
            if len(folded) == 1:
                verbatim_char = folded
                # a same-length replacement still maps one to one
                if runs and runs[-1][4] and runs[-1][0] + runs[-1][1] == n and runs[-1][2] + runs[-1][3] == piece.start + i:
                    ns, nl, os_, ol, _ = runs[-1]
                    runs[-1] = (ns, nl + 1, os_, ol + 1, True)
                else:
                    runs.append((n, 1, piece.start + i, 1, True))
                out.append(verbatim_char)
                n += 1
            else:
                atomic(folded, piece.start + i, 1)
            pos = i + 1
        verbatim(chunk[pos:], piece.start + pos)

    text = "".join(out)
    text = _fold_homoglyphs(text)
    return text, OffsetMap(runs)


def _fold_char(ch: str) -> str:
    if ch in INVISIBLE:
        return ""
    cp = ord(ch)
    if 0xD800 <= cp <= 0xDFFF:
        return "\ufffd"  # a lone surrogate: keep the slot, never crash a consumer
    if cp < 0x20 and ch not in "\t\n\r" or cp == 0x7F or 0x80 <= cp < 0xA0:
        return " "
    if cp < 0x80:
        return ch
    folded = unicodedata.normalize("NFKC", ch)
    return folded


def _fold_chars(text: str) -> str:
    return "".join(_fold_char(c) for c in text)


def _fold_homoglyphs(text: str) -> str:
    """Replace look-alike letters in words that also contain Latin letters (same length)."""
    if text.isascii() or _HOMOGLYPH_CHARS.isdisjoint(text):
        return text

    def repl(m: re.Match[str]) -> str:
        word = m.group()
        if word.isascii() or not any("a" <= c.lower() <= "z" for c in word):
            return word
        if not any(c in HOMOGLYPHS for c in word):
            return word
        return "".join(HOMOGLYPHS.get(c, c) for c in word)

    return _LATIN_WORD.sub(repl, text)
