"""Find the prose in Markdown and HTML: which parts of the original a reader sees as text.

Extraction yields ``Piece``s in document order. A piece either copies ``source[start:end]``
verbatim (``text is None``) or stands for that range with other text (a decoded entity, a
separator between blocks). Offsets always point into the author's original string.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from html.parser import HTMLParser
from typing import NamedTuple


class Piece(NamedTuple):
    start: int
    end: int
    text: str | None = None  # None: the original characters, verbatim


class Link(NamedTuple):
    """A link target found in markup; checked by link rules, not as prose."""

    url: str
    start: int
    end: int


def extract(source: str, fmt: str) -> tuple[list[Piece], list[Link]]:
    """Return the prose pieces and link targets of ``source`` read as ``fmt``."""
    if fmt == "markdown":
        return _Markdown(source).run()
    if fmt == "html":
        return _extract_html(source)
    return [Piece(0, len(source))], []


# --------------------------------------------------------------------------------------------
# Markdown: a line scanner for blocks, then an inline scanner; lenient with broken input.

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r" {0,3}#{1,6}(?=[ \t]|$)[ \t]*")
_QUOTE = re.compile(r" {0,3}>[ ]?")
_BULLET = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.S)
_FRONT_PROSE_KEY = re.compile(r"^(title|description|summary|excerpt)[ \t]*:[ \t]*", re.M)

_INLINE = re.compile(
    r"""
    (?P<code>(?P<ticks>`+).+?(?P=ticks))                       # inline code
  | (?P<image>!\[)                                             # image start
  | (?P<lbr>\[)                                                # link text start
  | (?P<close>\]\((?P<target>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:"[^"]*"|'[^']*'))?\))
  | (?P<refclose>\]\[[^\]]*\])                                 # ][ref]
  | (?P<autolink><(?P<auto>(?:https?|mailto|ftp):[^<>\s]+)>)  # <https://...>
  | (?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)          # inline HTML tag
  | (?P<escape>\\[!-/:-@\[-`{-~])                              # backslash escape
  | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
    """,
    re.X,
)
# The emphasised text is bounded: unbounded, every opener without a closer scans to the end of
# its line, which is quadratic in the line ("**a " x 12,500: 42 s); bounded, it is linear.
_EMPHASIS = re.compile(
    r"(?<![\w*~])(\*\*|\*|~~)(?=\S)(.{1,500}?)(?<=\S)\1(?![\w*~])"
    r"|(?<![\w_])(__|_)(?=\S)(.{1,500}?)(?<=\S)\3(?![\w_])"
)


class _Markdown:
    def __init__(self, source: str) -> None:
        self.src = source
        self.pieces: list[Piece] = []
        self.links: list[Link] = []

    def run(self) -> tuple[list[Piece], list[Link]]:
        src = self.src
        skip = [(m.start(), m.end()) for m in _COMMENT.finditer(src)]
        pos = 0
        fm = _FRONT_MATTER.match(src)
        if fm:
            for m in _FRONT_PROSE_KEY.finditer(src, fm.start(1), fm.end(1)):
                line_end = src.find("\n", m.end(), fm.end(1))
                value_end = line_end if line_end != -1 else fm.end(1)
                self._inline(m.end(), value_end, skip)
                self._sep(value_end)
            pos = fm.end()
        fence: str | None = None
        prev_blank = True
        in_list = False
        for line_start, line_end in _lines(src, pos):
            line = src[line_start:line_end]
            if fence is not None:
                if re.match(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", line):
                    fence = None
                prev_blank = False
                continue
            m = _FENCE.match(line)
            if m:
                fence = m.group(1)
                self._sep(line_start)
                continue
            if not line.strip():
                prev_blank = True
                self._sep(line_start)
                continue
            if prev_blank and not in_list and (line.startswith("    ") or line.startswith("\t")):
                continue  # indented code block
            prev_blank = False
            if _RULE.match(line) or _REFDEF.match(line) or _TABLE_SEP.match(line):
                self._sep(line_start)
                continue
            start = line_start
            while True:  # nested block markers: "> - # text"
                for rx in (_QUOTE, _ATX, _BULLET):
                    m = rx.match(src, start, line_end)
                    if m and m.end() > start:
                        if rx is _BULLET:
                            in_list = True
                        start = m.end()
                        break
                else:
                    break
            if not _BULLET.match(line) and not line.startswith((" ", "\t")) and prev_blank:
                in_list = False
            self._inline(start, line_end, skip)
            self._sep(line_end)
        return self.pieces, self.links

    def _sep(self, at: int) -> None:
        if self.pieces and self.pieces[-1].text != "\n":
            self.pieces.append(Piece(at, at, "\n"))

    def _inline(self, start: int, end: int, skip: list[tuple[int, int]]) -> None:
        """Emit the prose of ``src[start:end]``, dropping syntax and skipped ranges."""
        src = self.src
        # Cut out HTML comments first: they may span lines.
        spans = [(start, end)]
        for s, e in skip:
            if e <= start or s >= end:
                continue
            new = []
            for a, b in spans:
                if e <= a or s >= b:
                    new.append((a, b))
                    continue
                if a < s:
                    new.append((a, s))
                if e < b:
                    new.append((e, b))
            spans = new
        for a, b in spans:
            self._inline_span(a, b)

    def _inline_span(self, start: int, end: int) -> None:
        src = self.src
        drop: list[tuple[int, int, str | None]] = []  # ranges replaced by text (None: removed)
        link_depth = 0
        for m in _INLINE.finditer(src, start, end):
            kind = m.lastgroup
            if m.group("code") is not None:
                drop.append((m.start(), m.end(), " "))
            elif m.group("image") is not None:
                drop.append((m.start(), m.end(), None))
                link_depth += 1
            elif m.group("lbr") is not None:
                drop.append((m.start(), m.end(), None))
                link_depth += 1
            elif m.group("close") is not None:
                if link_depth:
                    link_depth -= 1
                    drop.append((m.start(), m.end(), None))
                    t0 = m.start("target")
                    if m.group("target"):
                        self.links.append(Link(m.group("target"), t0, m.end("target")))
            elif m.group("refclose") is not None:
                if link_depth:
                    link_depth -= 1
                    drop.append((m.start(), m.end(), None))
            elif m.group("autolink") is not None:
                drop.append((m.start(), m.start() + 1, None))
                drop.append((m.end() - 1, m.end(), None))
                self.links.append(Link(m.group("auto"), m.start("auto"), m.end("auto")))
            elif m.group("tag") is not None:
                drop.append((m.start(), m.end(), None))
            elif m.group("escape") is not None:
                drop.append((m.start(), m.start() + 1, None))
            elif m.group("entity") is not None:
                drop.append((m.start(), m.end(), html.unescape(m.group())))
            del kind
        # Unmatched "[" were not links after all: keep them as text.
        if link_depth:
            opened = [i for i, d in enumerate(drop) if src[d[0] : d[1]] in ("[", "![")]
            unmatched = set(opened[len(opened) - link_depth :])
            drop = [d for i, d in enumerate(drop) if i not in unmatched]
        # Paired emphasis delimiters, outside the ranges already handled.
        inside = _Intervals((a, b) for a, b, _ in drop)
        for m in _EMPHASIS.finditer(src, start, end):
            g = 1 if m.group(1) else 3
            d = len(m.group(g))
            left, right = (m.start(), m.start() + d), (m.end() - d, m.end())
            if inside.contains(left[0]) or inside.contains_end(right[1]):
                continue
            drop.append((left[0], left[1], None))
            drop.append((right[0], right[1], None))
        drop.sort()
        pos = start
        for a, b, text in drop:
            if a < pos:
                continue  # overlapping syntax: the first wins
            if a > pos:
                self.pieces.append(Piece(pos, a))
            if text:
                self.pieces.append(Piece(a, b, text))
            pos = b
        if pos < end:
            self.pieces.append(Piece(pos, end))


class _Intervals:
    """Which of a fixed set of ranges contain a point, each question in logarithmic time."""

    def __init__(self, ranges) -> None:  # noqa: ANN001 - an iterable of (start, end)
        ordered = sorted(ranges)
        self.starts = [a for a, _ in ordered]
        self.reach = list(itertools.accumulate((b for _, b in ordered), max))  # furthest end so far

    def contains(self, pos: int) -> bool:
        """Some range has ``start <= pos < end``."""
        i = bisect.bisect_right(self.starts, pos)
        return i > 0 and self.reach[i - 1] > pos

    def contains_end(self, pos: int) -> bool:
        """Some range has ``start < pos <= end``."""
        i = bisect.bisect_left(self.starts, pos)
        return i > 0 and self.reach[i - 1] >= pos


def _lines(src: str, pos: int):
    n = len(src)
    while pos < n:
        nl = src.find("\n", pos)
        if nl == -1:
            yield pos, n
            return
        end = nl - 1 if nl > pos and src[nl - 1] == "\r" else nl
        yield pos, end
        pos = nl + 1


# --------------------------------------------------------------------------------------------
# HTML: visible text plus alt/title attributes; scripts, styles and comments skipped.

_INVISIBLE = {"script", "style", "template", "noscript", "head", "svg", "math", "iframe", "object"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th",
    "tr", "ul", "caption", "img", "option", "button", "label", "input", "textarea", "title",
}
_ATTR = re.compile(
    r"""\s(alt|title|aria-label|placeholder)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I
)
_HREF = re.compile(r"""\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_TAIL_WINDOW = 2_000
_CHARREF = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


class _HTMLProse(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.src = source
        self.pieces: list[Piece] = []
        self.links: list[Link] = []
        self.hidden = 0
        self.hidden_stack: list[str] = []
        self.line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.cursor = 0

    def _abs(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _locate(self, raw: str) -> int:
        """Absolute offset of ``raw``, trusting getpos() but verifying it against the source."""
        pos = self._abs()
        if self.src.startswith(raw, pos):
            return pos
        found = self.src.find(raw, self.cursor)
        return found

    def _sep(self, at: int) -> None:
        if self.pieces and self.pieces[-1].text != "\n":
            self.pieces.append(Piece(at, at, "\n"))

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        at = self._locate(raw)
        if at < 0:
            return
        self.cursor = at + len(raw)
        if self.hidden:
            if tag in _INVISIBLE and not raw.endswith("/>"):
                self.hidden_stack.append(tag)
                self.hidden += 1
            return
        if tag in _INVISIBLE and not raw.endswith("/>"):
            self.hidden_stack.append(tag)
            self.hidden += 1
            return
        if tag in _BLOCK:
            self._sep(at)
        for m in _ATTR.finditer(raw):
            g = next(i for i in (2, 3, 4) if m.group(i) is not None)
            value = m.group(g)
            if not value.strip():
                continue
            s, e = at + m.start(g), at + m.end(g)
            self._sep(s)
            self.pieces.extend(_decoded(self.src, s, e))
            self._sep(e)
        for m in _HREF.finditer(raw):
            g = next(i for i in (2, 3, 4) if m.group(i) is not None)
            self.links.append(Link(html.unescape(m.group(g)), at + m.start(g), at + m.end(g)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.hidden:
            if tag in self.hidden_stack:
                while self.hidden_stack:
                    self.hidden -= 1
                    if self.hidden_stack.pop() == tag:
                        break
            return
        if tag in _BLOCK:
            self._sep(self._abs())

    def handle_data(self, data):
        if self.hidden or not data:
            return
        at = self._locate(data)
        if at < 0:
            return
        self.cursor = at + len(data)
        self.pieces.append(Piece(at, at + len(data)))

    def _ref(self) -> None:
        if self.hidden:
            return
        at = self._abs()
        m = _CHARREF.match(self.src, at)
        if not m:
            return
        self.cursor = m.end()
        text = html.unescape(m.group())
        if text:
            self.pieces.append(Piece(m.start(), m.end(), text))

    def handle_entityref(self, name):
        self._ref()

    def handle_charref(self, name):
        self._ref()


def _decoded(src: str, start: int, end: int) -> list[Piece]:
    """Pieces for ``src[start:end]`` with each character reference decoded on its own."""
    out, pos = [], start
    for m in _CHARREF.finditer(src, start, end):
        text = html.unescape(m.group())
        if text == m.group():
            continue
        if m.start() > pos:
            out.append(Piece(pos, m.start()))
        out.append(Piece(m.start(), m.end(), text))
        pos = m.end()
    if pos < end:
        out.append(Piece(pos, end))
    return out


def _extract_html(source: str) -> tuple[list[Piece], list[Link]]:
    parser = _HTMLProse(source)
    try:
        parser.feed(source)
        # What feed leaves unparsed starts with a construct that never ends (an open comment, a
        # tag without ">"). close() reads it leniently, but searches the whole rest again for each
        # "<" in it: quadratic ("<!--" x 12,500: 3.8 s). Closed a window at a time, it is linear.
        while len(parser.rawdata) > _TAIL_WINDOW:
            rest = parser.rawdata
            parser.rawdata = rest[:_TAIL_WINDOW]
            parser.close()
            parser.feed(rest[_TAIL_WINDOW:])
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient, but never let broken input crash
        pass
    # Keep only well-formed, ordered pieces: a defensive last line for very broken input.
    pieces: list[Piece] = []
    pos = 0
    for p in parser.pieces:
        if p.start < pos or p.end > len(source):
            continue
        if p.text is None and p.end <= p.start:
            continue
        pieces.append(p)
        pos = p.end
    return pieces, parser.links
