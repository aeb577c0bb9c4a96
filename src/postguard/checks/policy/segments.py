"""The lines or sentences of a text, for rules that match within one (as Vale matches per block)."""

from __future__ import annotations

import re
from collections.abc import Iterator

SEGMENTS = ("line", "sentence")
# A sentence ends at . ! ? followed by a space; a line (a Markdown block, in the checkable text)
# at a line break.
_BREAK = {"line": re.compile(r"\n"), "sentence": re.compile(r"\n|(?<=[.!?])[ \t]+")}


def segments(text: str, unit: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each non-empty ``unit`` of ``text``."""
    start = 0
    for m in _BREAK[unit].finditer(text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)
