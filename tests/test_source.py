"""The leak view: every non-prose part of the source, labelled, with offsets into the original."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postguard.parsing import parse
from postguard.post import Post
from postguard.source import KINDS

MD = (
    "---\ntitle: Kiosk\nnotes: internal only\n---\n"
    "Run `mysql -p` then see [the guide](https://help.example.ac.uk/kiosk \"Guide\").\n\n"
    "<!-- kiosk / Otter -->\n\n"
    "```yaml\nslack: token\n```\n\n"
    "    indented code\n\n"
    "![map](img/map.png)\n"
)
HTML = (
    '<p data-note="pw: X" title="Kiosk">Hi <a href="mailto:a@example.org">Ann</a></p>'
    "<!-- c1 --><script>var k = 1;</script><pre><code>shown</code></pre>"
)


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("markdown", MD, [
            ("front_matter", "---\ntitle:"),
            ("front_matter", "notes: internal only\n---"),
            ("code", "`mysql -p`"),
            ("link", '](https://help.example.ac.uk/kiosk "Guide")'),
            ("comment", "<!-- kiosk / Otter -->"),
            ("code", "```yaml\nslack: token\n```"),
            ("code", "indented code"),
            ("link", "](img/map.png)"),
        ]),
        ("html", HTML, [
            ("tag", '<p data-note="pw: X" title="'),
            ("tag", '<a href="mailto:a@example.org">'),
            ("tag", "</a></p>"),
            ("comment", "<!-- c1 -->"),
            ("tag", "<script>var k = 1;</script><pre><code>"),
            ("tag", "</code></pre>"),
        ]),
        ("plain", "Plain text `has no` <!-- hidden --> parts", []),
    ],
)
def test_segments_are_the_non_prose_source(fmt, text, expected):
    parsed = parse(Post(text=text, format=fmt))
    segments = parsed.source.hidden()
    assert [(s.kind, s.text) for s in segments] == expected
    assert all(text[s.start : s.end] == s.text for s in segments)


GAP = "Text here.\n\n    indented pw=Hunter2!\n\n[ref]: https://db.internal/x\n\n```\ncode\n```\n\nMore."


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_blank_lines_part_segments_with_either_line_end(newline):
    """A blank line ends a segment in a CRLF post too, so each part keeps its own kind."""
    text = GAP.replace("\n", newline)
    segments = parse(Post(text=text, format="markdown")).source.hidden()
    assert [(s.kind, s.text.replace(newline, "\n")) for s in segments] == [
        ("code", "indented pw=Hunter2!"), ("link", "[ref]: https://db.internal/x"), ("code", "```\ncode\n```"),
    ]
    assert all(text[s.start : s.end] == s.text for s in segments)


def test_prose_and_view_never_overlap_and_cover_every_word():
    parsed = parse(Post(text=MD, format="markdown"))
    hidden = [range(s.start, s.end) for s in parsed.source.hidden()]
    for start, end in (parsed.span(i, i + 1) for i, ch in enumerate(parsed.text) if ch.isalnum()):
        assert not any(start in r for r in hidden), MD[start:end]
    covered = {i for r in hidden for i in r} | {
        o for i, ch in enumerate(parsed.text) if ch.strip() for o in range(*parsed.span(i, i + 1))
    }
    assert all(i in covered for i, ch in enumerate(MD) if ch.isalnum())


def test_hidden_filters_by_kind_and_the_view_is_made_once():
    parsed = parse(Post(text=MD, format="markdown"))
    assert [s.text for s in parsed.source.hidden(["comment"])] == ["<!-- kiosk / Otter -->"]
    assert parsed.source is parsed.source


# Any Markdown or HTML, however broken: segments are exact slices, in order, apart, and never prose.
_BITS = st.lists(
    st.sampled_from(
        ["# ", "**", "`", "```\n", "[", "](", ")", "![", "<!--", "-->", "\n", "\n\n", "    ", "> ", "---\n",
         "<p>", "</p>", "<a href=\"", "\">", "</a>", "<script>", "</script>", "&amp;", "word", "pw: Hunter2!",
         "\u200b", "𝐛𝐨𝐥𝐝", "'", "\"", "<", ">"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_BITS, fmt=st.sampled_from(["markdown", "html"]))
def test_segments_are_exact_ordered_and_apart_from_the_prose(text, fmt):
    parsed = parse(Post(text=text, format=fmt))
    segments = parsed.source.hidden()
    assert all(text[s.start : s.end] == s.text and s.kind in KINDS for s in segments)
    assert all(a.end <= b.start for a, b in zip(segments, segments[1:]))
    prose = {o for i, ch in enumerate(parsed.text) if ch.strip() for o in range(*parsed.span(i, i + 1))
             if parsed.span(i, i + 1)[1] - parsed.span(i, i + 1)[0] == 1}
    assert not any(o in prose for s in segments for o in range(s.start, s.end) if text[o].isalnum())
