"""The items of one JSON array inside a large file, one at a time, without reading the whole file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from postguard.errors import ReadError

_CHUNK = 1 << 16


class _Buffer:
    """A sliding window over a text stream: what is not yet consumed, plus how much came before."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.text, self.pos, self.before, self.eof = stream, "", 0, 0, False

    def more(self, at_least: int = _CHUNK) -> bool:
        """Drop what is consumed and read more; False at the end of the stream."""
        chunk = self.stream.read(max(at_least, _CHUNK))
        self.before += self.pos
        self.text, self.pos = self.text[self.pos :] + chunk, 0
        self.eof = not chunk
        return bool(chunk)

    def skip_space(self) -> str:
        """The next non-space character ('' at the end), not consumed."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def find(self, marker: str) -> bool:
        """Consume up to and including ``marker``; False if the stream ends first."""
        while True:
            i = self.text.find(marker, self.pos)
            if i >= 0:
                self.pos = i + len(marker)
                return True
            self.pos = max(self.pos, len(self.text) - len(marker))
            if not self.more():
                return False


def iter_array(stream: TextIO, source: str, after: str = "") -> Iterator[tuple[int, Any]]:
    """``(index, item)`` for each item of the first JSON array in ``stream`` (after ``after``)."""
    buf = _Buffer(stream)
    if after and not buf.find(after):
        raise ReadError(source, "", f"no {after} found")
    if not buf.find("["):
        raise ReadError(source, "", "no JSON array found")
    decoder = json.JSONDecoder()
    index = 0
    while True:
        c = buf.skip_space()
        if c == "]":
            return
        if c == "":
            raise ReadError(source, f"item {index + 1}", "the file ends inside the array (truncated?)")
        if index:
            if c != ",":
                raise ReadError(source, f"after item {index} (character {buf.before + buf.pos})", "expected ',' or ']'")
            buf.pos += 1
            buf.skip_space()
        want = _CHUNK
        while True:
            try:
                item, end = decoder.raw_decode(buf.text, buf.pos)
                break
            except json.JSONDecodeError as exc:
                # An item cut off by the end of the window fails at the window's end, or (a string)
                # where its string starts: read more, doubling, so a huge item stays linear.
                cut = exc.pos >= len(buf.text) - 1 or exc.msg.startswith("Unterminated string")
                if cut and buf.more(want):
                    want *= 2
                    continue
                if cut:
                    raise ReadError(source, f"item {index + 1}", "the file ends inside it (truncated?)") from None
                raise ReadError(
                    source, f"item {index + 1} (character {buf.before + exc.pos})", exc.msg
                ) from None
        buf.pos = end
        yield index, item
        index += 1
