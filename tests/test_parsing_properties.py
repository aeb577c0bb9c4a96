"""Property tests: for any input, offsets stay exact and normalisation never shifts them."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postguard import Post, parse
from postguard.checks.base import BaseCheck
from postguard.engine import Checker
from postguard.policy import Policy

from helpers import assert_spans_exact

# Text that stresses folding: styled letters, invisibles, bidi, surrogates, controls, markup.
_ALPHABET = st.one_of(
    st.characters(codec=None),
    st.sampled_from(list("𝐟𝐮𝐜𝐤ｆＵ\u200b\u200d\u202e\u2066\u00adﬁѕіа👍🏽‍\ud800\udfff\x00\x07\t\n\r")),
    st.sampled_from(list("*_`[]()!#>-<>&;/\\|~=\"' ")),
)
TEXTS = st.text(alphabet=_ALPHABET, max_size=300)
MARKDOWN_BITS = st.lists(
    st.sampled_from(
        [
            "# ", "**", "*", "_", "`", "```\n", "~~~\n", "[", "](", ")", "![", "<!--", "-->",
            "&amp;", "&#x1F600;", "\n", "\n\n", "    ", "> ", "- ", "1. ", "<b>", "</b>", "|",
            "word", "Jane Doe", "𝐛𝐨𝐥𝐝", "\u200b", "http://x.corp/a", "---\n", "\\*",
        ]
    ),
    max_size=40,
).map("".join)
HTML_BITS = st.lists(
    st.sampled_from(
        [
            "<p>", "</p>", "<b>", "</b>", "<script>", "</script>", "<style>", "</style>", "<img alt='",
            "' src=x>", "<a href=\"", "\" title=\"t&amp;t\">", "</a>", "&amp;", "&copy", "&#169;", "<!--",
            "-->", "<", ">", "text", "Jane", "𝐛𝐨𝐥𝐝", "\u200b", "\n", "<br/>", "&", "<![CDATA[x]]>",
            "<div", "=", "\"", "'",
        ]
    ),
    max_size=40,
).map("".join)


class EveryTokenCheck(BaseCheck):
    """Flags every run of checkable characters, so every mapped span is exercised."""

    name = "every-token"
    needs_doc = False

    def run(self, parsed):
        import re

        for m in re.finditer(r"\S+", parsed.text):
            yield parsed.finding(
                m.start(), m.end(), rule_id="test.token", category="policy", severity="info", message="t"
            )


def _check_all_spans(text: str, fmt: str) -> None:
    parsed = parse(Post(text=text, format=fmt))
    checkable = parsed.text
    check = EveryTokenCheck({}, Policy(name="t"))
    findings = list(check.run(parsed))
    assert_spans_exact(text, findings)
    # spans come back in document order
    starts = [f.start for f in findings]
    assert starts == sorted(starts)
    # every single checkable character maps inside the original
    for i in range(len(checkable)):
        s, e = parsed.span(i, i + 1)
        assert 0 <= s <= e <= len(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(TEXTS)
def test_plain_offsets_are_exact(text):
    _check_all_spans(text, "plain")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(MARKDOWN_BITS, TEXTS))
def test_markdown_offsets_are_exact(text):
    _check_all_spans(text, "markdown")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(HTML_BITS, TEXTS))
def test_html_offsets_are_exact(text):
    _check_all_spans(text, "html")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii", exclude_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"), max_size=200))
def test_plain_ascii_is_unchanged(text):
    parsed = parse(Post(text=text))
    assert parsed.text == text
    for i in range(len(text)):
        assert parsed.span(i, i + 1) == (i, i + 1)


_checker = None


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(TEXTS, MARKDOWN_BITS, HTML_BITS), st.sampled_from(["plain", "markdown", "html"]),
       st.sampled_from(["generic", "x", "mastodon", "bluesky", "linkedin"]))
def test_the_default_checker_reports_exact_spans(text, fmt, platform):
    global _checker
    if _checker is None:
        _checker = Checker()
    report = _checker.check(text, format=fmt, platform=platform)
    assert_spans_exact(text, report.findings)
    assert report.findings == tuple(sorted(report.findings, key=lambda f: (f.start, f.end, f.rule_id)))
    report.to_json()
