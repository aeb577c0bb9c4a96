"""The leak view: every part of a post's source that is not prose, with offsets into the original.

A reader who opens the page source, or a scraper, gets at more than the prose the other checks
read: Markdown code blocks and inline code, HTML comments, tags with their attribute values
(``href``, ``src``, ``data-*`` ...), link and image targets, front matter, scripts. The view is
the complement of the prose, so nothing the prose extractor leaves out can hide from the leak
checks; each segment is labelled by what it starts with, for messages and for checks that want
only some kinds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from postguard.markup import Piece

KINDS = ("code", "comment", "front_matter", "link", "tag", "other")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
_WORD = re.compile(r"\w")


class Segment(NamedTuple):
    """A hidden part of the source: ``original[start:end] == text``."""

    start: int
    end: int
    kind: str
    text: str


class SourceView:
    """The non-prose segments of one post's original text, in document order."""

    __slots__ = ("segments",)

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments

    def hidden(self, kinds: Iterable[str] | None = None) -> list[Segment]:
        """The segments, or only those of the given kinds (see ``KINDS``)."""
        if kinds is None:
            return list(self.segments)
        wanted = set(kinds)
        return [s for s in self.segments if s.kind in wanted]

    def __bool__(self) -> bool:
        return bool(self.segments)


def source_view(original: str, fmt: str, pieces: Sequence[Piece]) -> SourceView:
    """The view of ``original`` (read as ``fmt``) left out of the prose ``pieces``."""
    if fmt == "plain":
        return SourceView([])
    covered: list[tuple[int, int]] = []
    for p in pieces:
        if p.end <= p.start:
            continue
        if p.text is not None and not p.text.strip() and original[p.start : p.end].strip():
            continue  # syntax replaced by a space (inline code): hidden, not prose
        covered.append((p.start, p.end))
    covered.sort()
    fm = _FRONT_MATTER.match(original) if fmt == "markdown" else None
    fm_end = fm.end() if fm else 0
    segments: list[Segment] = []
    pos = 0
    for a, b in [*covered, (len(original), len(original))]:
        if a > pos:
            _add(segments, original, pos, a, fmt, fm_end)
        pos = max(pos, b)
    return SourceView(segments)


# A blank line, "\r\n" ends included: a CRLF post's parts keep their own kinds.
_BREAK = re.compile(r"<!--.*?(?:-->|\Z)|\n[ \t\r]*\n", re.S)


def _add(out: list[Segment], src: str, start: int, end: int, fmt: str, fm_end: int) -> None:
    """Add the gap ``src[start:end]``, cut at comments and blank lines so each part has one kind."""
    pos = start
    for m in _BREAK.finditer(src, start, end):
        if m.group().startswith("<!--"):
            _add_one(out, src, pos, m.start(), fmt, fm_end)
            _add_one(out, src, m.start(), m.end(), fmt, fm_end)
            pos = m.end()
        elif start < fm_end and m.start() < fm_end:
            continue  # front matter is one block
        else:
            _add_one(out, src, pos, m.start(), fmt, fm_end)
            pos = m.start() + 1
    _add_one(out, src, pos, end, fmt, fm_end)


def _add_one(out: list[Segment], src: str, start: int, end: int, fmt: str, fm_end: int) -> None:
    text = src[start:end]
    if not _WORD.search(text):
        return  # markup punctuation only: "**", "](", "> "
    indent = len(text) - len(text.lstrip())
    stripped = text.strip()
    s = start + indent
    out.append(Segment(s, s + len(stripped), _kind(stripped, text, fmt, s < fm_end), stripped))


def _kind(stripped: str, raw: str, fmt: str, in_front_matter: bool) -> str:
    if in_front_matter:
        return "front_matter"
    if stripped.startswith("<!--"):
        return "comment"
    if stripped.startswith(("```", "~~~", "`")):
        return "code"
    if fmt == "markdown":
        first = next((line for line in raw.split("\n") if line.strip()), "")
        if first.startswith(("    ", "\t")):
            return "code"  # an indented code block
        if stripped.startswith(("](", "][", "[")) or stripped.startswith('"'):
            return "link"
    if stripped.startswith("<"):
        if re.match(r"<(?:https?|mailto|ftp):", stripped):
            return "link"
        return "tag"
    return "other"
