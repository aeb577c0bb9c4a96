"""Lookarounds without backtracking: Vale's common shapes as an RE2 match plus anchored checks.

Vale runs its patterns with a backtracking engine (regexp2) that has lookarounds; RE2 has none.
A leading lookbehind or a trailing lookahead only looks at the text just before or after a
match, so ``(?<!X)core(?!Y)`` becomes the RE2 pattern ``core`` plus two anchored RE2 checks:
``X`` must (or must not) end where the match starts, ``Y`` must (or must not) start where it
ends. Zero-width assertions (``\\b``, ``^``) between a lookaround and the edge do not move it,
a group at an edge is opened, and alternations are split into one such piece per branch.
Anything else (a lookaround in the middle, a backreference) raises ``Untranslatable``.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Splitting nested alternations multiplies pieces; past this many the rule is left out.
MAX_PIECES = 64
# A match the checks refuse may hide one starting inside it, so the search resumes one character
# on; past this many refusals in one text it resumes after the refused match, which keeps the
# work linear (each resumed search can scan to the end of the text).
MAX_RETRIES = 64
_LOOK = ("(?=", "(?!", "(?<=", "(?<!")
_ZERO_WIDTH = {r"\b", r"\B", "^", "$", r"\A", r"\z", r"\Z"}


class Untranslatable(ValueError):
    """A pattern with a lookaround this module cannot turn into RE2 checks."""


@dataclass
class Piece:
    """One branch: an RE2 core and the checks on the text before and after its match."""

    core: str
    #: Inline flags that lead the whole pattern, e.g. ``(?i)``: they apply to the checks too.
    flags: str = ""
    behind: list[tuple[bool, str]] = field(default_factory=list)  # (negative, pattern)
    ahead: list[tuple[bool, str]] = field(default_factory=list)


@dataclass
class _Item:
    text: str  # the atom with its quantifier
    kind: str  # "lit", "zero", "group", "look"
    opener: str = ""  # for groups: "(", "(?:", "(?P<n>", ...; for lookarounds: "(?=" ...
    body: str = ""  # a group's or lookaround's inside
    quantified: bool = False


def has_lookaround(pattern: str) -> bool:
    """True when ``pattern`` holds a lookaround outside character classes."""
    return any(it.kind == "look" or (it.kind == "group" and has_lookaround(it.body)) for alt in _split(pattern) for it in alt)


def translate(pattern: str) -> list[Piece]:
    """The pieces whose matches, together, are the matches of ``pattern``."""
    pieces = _alternatives(pattern)
    for p in pieces:
        if has_lookaround(p.core):
            raise Untranslatable("a lookaround inside the pattern, not at its start or end")
        for _, look in p.behind + p.ahead:
            if has_lookaround(look):
                raise Untranslatable("a lookaround inside a lookaround")
    if len(pieces) > MAX_PIECES:
        raise Untranslatable(f"more than {MAX_PIECES} branches once alternations are split")
    return pieces


def _alternatives(pattern: str) -> list[Piece]:
    alts = _split(pattern)
    # Leading inline flags, e.g. (?i), hold for every branch after them, and for the checks.
    flags = []
    for it in alts[0]:
        if not (it.kind == "zero" and it.opener.startswith("(?") and it.opener.endswith(")")):
            break
        flags.append(it)
    prefix = "".join(it.text for it in flags)
    out: list[Piece] = []
    for k, items in enumerate(alts):
        for piece in _sequence(flags + items if k and flags else items):
            piece.flags = prefix + piece.flags
            out.append(piece)
    return out


def _sequence(items: list[_Item]) -> list[Piece]:
    items = list(items)
    behind: list[tuple[bool, str]] = []
    ahead: list[tuple[bool, str]] = []
    # Leading run of zero-width items: lookbehinds there look at the match's start.
    i = 0
    while i < len(items) and items[i].kind in ("zero", "look") and not items[i].quantified:
        it = items[i]
        if it.kind == "look" and it.opener in ("(?<=", "(?<!"):
            behind.append((it.opener == "(?<!", it.body))
            del items[i]
            continue
        i += 1
    j = len(items) - 1
    while j >= 0 and items[j].kind in ("zero", "look") and not items[j].quantified:
        it = items[j]
        if it.kind == "look" and it.opener in ("(?=", "(?!"):
            ahead.insert(0, (it.opener == "(?!", it.body))
            del items[j]
        j -= 1
    lead = [k for k, it in enumerate(items) if it.kind not in ("zero", "look")]
    if not lead and (not items or any(it.kind == "look" for it in items)):
        raise Untranslatable("a pattern that is only lookarounds")
    first = lead[0] if lead else None
    last = lead[-1] if lead else None
    # A lookahead before the first atom (or a lookbehind after the last) looks across the match.
    for k, it in enumerate(items):
        ahead_first = first is not None and k < first and it.opener in ("(?=", "(?!")
        behind_last = last is not None and k > last and it.opener in ("(?<=", "(?<!")
        if it.kind == "look" and (ahead_first or behind_last):
            raise Untranslatable("a lookahead before the match or a lookbehind after it")
    # Open a group at either edge whose inside has lookarounds (or alternatives holding them).
    edges = [e for e in dict.fromkeys((first, last)) if e is not None and _openable(items[e])]
    pieces = [Piece("".join(it.text for it in items), behind=behind, ahead=ahead)]
    for e in edges:
        it = items[e]
        inner = _alternatives(it.body)
        zero_before = all(x.kind == "zero" for x in items[:e])
        zero_after = all(x.kind == "zero" for x in items[e + 1 :])
        expanded = []
        for p in pieces:
            for q in inner:
                # An inner check sits at the match's edge only when nothing but zero-width
                # assertions stands between it and that edge.
                if q.behind and not zero_before:
                    raise Untranslatable("a lookbehind inside the pattern, not at its start")
                if q.ahead and not zero_after:
                    raise Untranslatable("a lookahead inside the pattern, not at its end")
                head, _, tail = p.core.partition(it.text) if e == first else p.core.rpartition(it.text)
                # The group's own leading flags, e.g. (?i), hold for its checks too.
                behind = p.behind + [(neg, q.flags + x) for neg, x in q.behind]
                ahead = p.ahead + [(neg, q.flags + x) for neg, x in q.ahead]
                expanded.append(Piece(head + it.opener + q.core + ")" + tail, behind=behind, ahead=ahead))
                if len(expanded) > MAX_PIECES:
                    raise Untranslatable(f"more than {MAX_PIECES} branches once alternations are split")
        pieces = expanded
    return pieces


def _openable(it: _Item) -> bool:
    if it.kind != "group" or it.quantified or not has_lookaround(it.body):
        return False
    return it.opener in ("(", "(?:") or it.opener.startswith(("(?P<", "(?<"))


# ---------------------------------------------------------------------------------------------
# A small scanner for Go/regexp2 pattern syntax: top-level alternatives as lists of atoms.


def _split(pattern: str) -> list[list[_Item]]:
    alts: list[list[_Item]] = [[]]
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "|":
            alts.append([])
            i += 1
            continue
        start = i
        if c == "\\":
            i = _escape_end(pattern, i)
            atom = pattern[start:i]
            kind = "zero" if atom in _ZERO_WIDTH else "lit"
            if atom[1:2].isdigit() and atom[1] != "0":
                raise Untranslatable(f"a backreference ({atom}), which RE2 cannot run")
            if atom.startswith("\\k<"):
                raise Untranslatable(f"a backreference ({atom}), which RE2 cannot run")
            item = _Item(atom, kind)
        elif c == "[":
            i = _class_end(pattern, i)
            item = _Item(pattern[start:i], "lit")
        elif c == "(":
            close = _group_end(pattern, i)
            opener = _opener(pattern, i)
            body = pattern[i + len(opener) : close]
            i = close + 1
            if opener in _LOOK:
                item = _Item(pattern[start:i], "look", opener, body)
            elif opener == "(?>":
                raise Untranslatable("an atomic group (?>...), which RE2 cannot run")
            elif opener.endswith(")"):  # inline flags such as (?i)
                item = _Item(pattern[start:i], "zero", opener)
            else:
                item = _Item(pattern[start:i], "group", opener, body)
        elif c in "^$":
            i += 1
            item = _Item(c, "zero")
        else:
            i += 1
            item = _Item(c, "lit")
        q_end = _quantifier_end(pattern, i)
        if q_end > i:
            item.text += pattern[i:q_end]
            item.quantified = True
            i = q_end
        alts[-1].append(item)
    return alts


def _escape_end(p: str, i: int) -> int:
    if i + 1 >= len(p):
        return i + 1
    c = p[i + 1]
    if c in "pPxk" and i + 2 < len(p) and p[i + 2] in "{<":
        close = p.find("}" if p[i + 2] == "{" else ">", i + 2)
        return (close + 1) if close > 0 else len(p)
    if c in "pP":
        return min(i + 3, len(p))
    if c == "Q":
        close = p.find("\\E", i + 2)
        return close + 2 if close >= 0 else len(p)
    return i + 2


def _class_end(p: str, i: int) -> int:
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p):
        c = p[j]
        if c == "\\":
            j = _escape_end(p, j)
            continue
        if c == "[" and p[j + 1 : j + 2] == ":":
            close = p.find(":]", j + 2)
            j = close + 2 if close >= 0 else j + 1
            continue
        if c == "]":
            return j + 1
        j += 1
    raise Untranslatable("an unclosed character class")


def _group_end(p: str, i: int) -> int:
    depth, j = 0, i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j = _escape_end(p, j)
            continue
        if c == "[":
            j = _class_end(p, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise Untranslatable("an unclosed group")


def _opener(p: str, i: int) -> str:
    if not p.startswith("(?", i):
        return "("
    for look in ("(?<=", "(?<!", "(?=", "(?!", "(?:", "(?>"):
        if p.startswith(look, i):
            return look
    if p.startswith(("(?P<", "(?<", "(?'"), i):
        close = p.find(">" if p[i + 2] != "'" else "'", i + 3)
        return p[i : close + 1]
    # Flags: (?i) or (?i:...)
    j = i + 2
    while j < len(p) and p[j] not in ":)":
        j += 1
    return p[i : j + 1]


def _quantifier_end(p: str, i: int) -> int:
    if i >= len(p):
        return i
    if p[i] in "*+?":
        j = i + 1
    elif p[i] == "{":
        close = p.find("}", i)
        body = p[i + 1 : close] if close > 0 else ""
        if not body or not all(ch.isdigit() or ch == "," for ch in body):
            return i
        j = close + 1
    else:
        return i
    if j < len(p) and p[j] in "?+":
        j += 1
    return j


# ---------------------------------------------------------------------------------------------
# Running the pieces


def _widest(flags: str, pattern: str) -> int | None:
    """The most characters ``pattern`` can match, or None when unbounded or not known."""
    if "{," in pattern:  # a literal in RE2, a repeat in Python: Python's width would be too small
        return None
    try:
        from re import _parser

        widest = _parser.parse(f"{flags}(?:{pattern})").getwidth()[1]
    except Exception:  # RE2 syntax Python does not read (\\pL, \\z): the whole line, as before
        return None
    return widest if widest < 10_000 else None


class _Utf8:
    """A text encoded once, with byte offsets turned back into characters.

    The RE2 binding encodes a ``str`` and counts characters from its start on every call, so each
    ``search(text, pos)`` costs the whole text: 12,500 matches on a 50,000-character line took
    6.6 s. Searching the bytes costs only the match.
    """

    __slots__ = ("text", "data", "_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8")
        # Byte offset of each character, and of the end; None when every character is one byte.
        self._starts: list[int] | None = None
        if len(self.data) != len(text):
            sizes = (1 if c < "\x80" else 2 if c < "\u0800" else 3 if c < "\U00010000" else 4 for c in text)
            self._starts = [0, *itertools.accumulate(sizes)]

    def char(self, offset: int) -> int:
        return offset if self._starts is None else bisect.bisect_left(self._starts, offset)

    def byte(self, char: int) -> int:
        return char if self._starts is None else self._starts[char]

    def next_char(self, offset: int) -> int:
        return self.byte(self.char(offset) + 1)


class _Match:
    """The parts of an RE2 match object the rule kinds read, in characters of the text."""

    __slots__ = ("_m", "_t")

    def __init__(self, m: Any, t: _Utf8) -> None:
        self._m, self._t = m, t

    def span(self, group: int = 0) -> tuple[int, int]:
        a, b = self._m.span(group)
        return (-1, -1) if a < 0 else (self._t.char(a), self._t.char(b))

    def start(self, group: int = 0) -> int:
        return self.span(group)[0]

    def end(self, group: int = 0) -> int:
        return self.span(group)[1]

    def group(self, *groups: int) -> Any:
        found = [None if a < 0 else self._t.text[a:b] for a, b in map(self.span, groups or (0,))]
        return found[0] if len(found) == 1 else tuple(found)


class GuardedRegex:
    """A pattern with lookarounds, run as RE2 cores plus anchored RE2 checks (linear per check).

    It answers ``finditer``, ``search``, ``groups``, ``pattern`` and ``options`` like a compiled
    RE2 pattern, so the rule kinds use it unchanged; ``pattern`` is a lookaround-free superset
    (every core as one alternation), which the one-pass rule gate reads.
    """

    def __init__(self, source: str, pieces: list[Piece], compile_: Any) -> None:
        self.source = source
        self.cores = [compile_(p.core) for p in pieces]
        self.checks = [
            (
                [(neg, compile_(f"{p.flags}(?:{x})$"), _widest(p.flags, x)) for neg, x in p.behind],
                [(neg, compile_(f"{p.flags}(?:{x})")) for neg, x in p.ahead],
            )
            for p in pieces
        ]
        self.pattern = "|".join(f"(?:{p.core})" for p in pieces)
        self.options = self.cores[0].options
        self.groups = max(c.groups for c in self.cores)

    def _ok(self, k: int, t: _Utf8, start: int, end: int) -> bool:
        """Whether the checks of piece ``k`` pass around the match at bytes ``start..end``."""
        behind, ahead = self.checks[k]
        text, at = t.text, t.char(start)
        # RE2's endpos does not end the text for '$', so the text before is a slice; it starts at
        # the line, as Vale matches each block (a heading, a paragraph line) on its own, or a
        # character before the widest the lookbehind can match (so '\b' still sees its neighbour).
        for neg, regex, widest in behind:
            if widest is None:
                a = text.rfind("\n", 0, at) + 1
            else:
                lo = max(0, at - widest - 1)
                a = max(lo, text.rfind("\n", lo, at) + 1)
            if (regex.search(text[a:at]) is not None) == neg:
                return False
        for neg, regex in ahead:
            if (regex.match(t.data, end) is not None) == neg:
                return False
        return True

    def _piece_matches(self, k: int, t: _Utf8) -> Iterator[Any]:
        core, pos, n, retries = self.cores[k], 0, len(t.data), 0
        while pos <= n:
            m = core.search(t.data, pos)
            if m is None:
                return
            s, e = m.span()
            if self._ok(k, t, s, e):
                yield m
                pos = e if e > s else t.next_char(e)
            else:
                retries += 1
                pos = t.next_char(s) if retries <= MAX_RETRIES or e == s else e

    def finditer(self, text: str) -> Iterator[_Match]:
        t = _Utf8(text)
        if len(self.cores) == 1:
            for m in self._piece_matches(0, t):
                yield _Match(m, t)
            return
        found = sorted(
            ((m.start(), k, m) for k in range(len(self.cores)) for m in self._piece_matches(k, t)),
            key=lambda x: (x[0], x[1]),
        )
        end = -1
        for s, _, m in found:
            if s >= end:  # leftmost first, no overlaps, as one regex scan would give
                yield _Match(m, t)
                end = max(m.end(), s + 1) if m.end() == s else m.end()

    def search(self, text: str) -> _Match | None:
        return next(self.finditer(text), None)
