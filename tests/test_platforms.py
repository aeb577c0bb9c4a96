"""Platform length measures: twitter-text v3 conformance for X, and the other platforms' counts."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from postguard.errors import InputError
from postguard.platforms import find_urls, get_platform, platform_names, twitter_length

CONFORMANCE = yaml.safe_load((Path(__file__).parent / "data" / "twitter_text_validate.yml").read_text("utf-8"))
# WeightedTweetsCounterTest is twitter-text's v2 configuration: the same but for emoji parsing
CASES = [
    pytest.param(
        case["text"], case["expected"], section != "WeightedTweetsCounterTest",
        id=f"{section}: {case['description']}"[:90],
    )
    for section, cases in CONFORMANCE["tests"].items()
    for case in cases
]


def utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2


@pytest.mark.parametrize(("text", "expected", "emoji_parsing"), CASES)
def test_twitter_text_conformance(text, expected, emoji_parsing):
    result = twitter_length(text, emoji_parsing=emoji_parsing)
    assert result.weighted_length == expected["weightedLength"]
    if expected["weightedLength"] <= 280:
        assert result.cut is None
    else:
        # twitter-text's validRangeEnd is the last UTF-16 unit that fits (inclusive)
        assert utf16(text, result.cut) == expected["validRangeEnd"] + 1


def test_conformance_table_is_complete():
    assert {section: len(cases) for section, cases in CONFORMANCE["tests"].items()} == {
        "WeightedTweetsCounterTest": 20,
        "WeightedTweetsWithDiscountedEmojiCounterTest": 21,
        "UnicodeDirectionalMarkerCounterTest": 2,
    }


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("", 0),
        ("hello", 5),
        ("café", 4),
        ("cafe\u0301", 4),  # NFC first: e + combining acute is one character
        ("故人", 4),
        ("한국어", 6),
        ("\u2014 \u2018quoted\u2019", 10),  # general punctuation inside the v3 ranges weighs 1
        ("\u2026", 2),  # ... outside them weighs 2
        ("\U0001F600", 2),
        ("\U0001F44D\U0001F3FD", 2),  # emoji + skin tone: one unit
        ("\U0001F1EC\U0001F1E7", 2),  # a flag
        ("#\ufe0f\u20e3", 2),  # a keycap
        ("\u00a9", 1),  # a copyright sign without VS16 is text, not an emoji
        ("See https://example.com/a/very/long/path/that/goes/on/and/on?and=more", 27),
        ("example.com", 23),
        ("example.c", 9),  # not a TLD
        ("file.txt", 8),
        ("e.g. i.e.", 9),
        ("user@example.com", 16),  # an e-mail address is not a URL
        ("https://t.co/abc123 more", 28),
        ("http://\u2603.net/", 23),
        ("example.com.", 24),
        ("(example.com)", 25),
        # corners where twitter-text 3.1.0's own results were checked
        ("e.com/path\u00c1.(example.com)", 49),
        ("e.com/@user/.(example.com)", 49),
        ("e.org/path\U0001F170.example.org", 49),  # a domain may start inside an astral character
        ("http://e.com/a.(b)", 27),  # a bracketed group ends a path only as its own segment
        ("http://e.com/a.(b).c", 23),
        ("\U0001F600example.com", 25),
        ("a\U0001F600.example.com", 27),
        ("xn--p1ai", 8),
        ("http://xn--p1ai.com", 23),
        ("ftp://example.com", 17),
    ],
)
def test_twitter_weights(text, length):
    assert twitter_length(text).weighted_length == length


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("visit example.com today", ["example.com"]),
        ("visit https://example.com/path?q=1. Then", ["https://example.com/path?q=1"]),
        ("http://en.wikipedia.org/wiki/Primer_(film) yes", ["http://en.wikipedia.org/wiki/Primer_(film)"]),
        ("foo.co.jp and www.example.com", ["foo.co.jp", "www.example.com"]),
        ("no URL here. Really.", []),
        ("-example.com _example.com /example.com", []),
        ("ftp://example.com", []),  # "/" before a bare domain rules it out
    ],
)
def test_find_urls(text, urls):
    assert [text[s:e] for s, e in find_urls(text)] == urls


def test_find_urls_requiring_a_scheme():
    text = "see example.com and https://example.org/x"
    assert [text[s:e] for s, e in find_urls(text, require_scheme=True)] == ["https://example.org/x"]


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("see https://wiki.corp/a.", ["https://wiki.corp/a"]),
        ("(http://10.0.0.5/x) and (http://en.wikipedia.org/wiki/Primer_(film))",
         ["http://10.0.0.5/x", "http://en.wikipedia.org/wiki/Primer_(film)"]),
        ("www.intranet/home, example.com and ftp://files.local", ["www.intranet/home", "example.com", "ftp://files.local"]),
        ("https://x.org/" + ")" * 5000, ["https://x.org/"]),
    ],
)
def test_find_urls_of_any_host(text, urls):
    assert [text[s:e] for s, e in find_urls(text, any_host=True)] == urls


def test_cut_maps_back_to_the_original_text_when_normalisation_changes_it():
    text = "e\u0301" * 281  # 281 characters once composed, 562 before
    result = twitter_length(text)
    assert result.weighted_length == 281
    assert result.cut == 560  # the last composed character starts here in the original
    assert unicodedata.normalize("NFC", text[: result.cut]) == "\u00e9" * 280


def test_a_url_straddling_the_limit_is_cut_whole():
    text = "x" * 270 + " https://example.com/long"
    result = twitter_length(text)
    assert result.weighted_length == 294
    assert result.cut == 271


@pytest.mark.parametrize(
    "text",
    ["a." * 20_000, "." + "\u00e9" * 20_000, "\u00e9" * 20_000 + "-.com", "http://example.com/" + "(a" * 5_000],
)
def test_pathological_text_is_measured_in_bounded_time(text):
    t0 = time.perf_counter()
    twitter_length(text)
    assert time.perf_counter() - t0 < 2.0


def test_measuring_a_tweet_is_fast():
    tweet = (
        "We're hiring! Join our community team in Leeds \U0001F389 Flexible hours, great people. "
        "Details at https://example.org/jobs/community-officer or DM @ourteam. #jobs #Leeds "
        "Applications close Friday \u2014 don't miss it! \U0001F44D\U0001F3FD"
    )
    twitter_length(tweet)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(200):
            twitter_length(tweet)
        runs.append((time.perf_counter() - t0) / 200)
    # 0.05 ms on an idle machine; the bound leaves room for a busy CI runner
    assert min(runs) < 0.5e-3


# --------------------------------------------------------------------------------------------
# Mastodon, Bluesky, LinkedIn, blog, generic


def measure(platform: str, text: str, limit: int | None = None):
    p = get_platform(platform)
    return p.measure(text, limit or p.limit)


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("hello", 5),
        ("https://example.com/a/very/long/path/indeed/yes/it/is", 23),
        ("example.com", 11),  # Mastodon links only URLs with a scheme
        ("hi @alice@example.social!", 10),  # counts as "hi @alice!"
        ("hi @alice", 9),
        ("mail me: bob@example.com", 24),  # an e-mail address is not a mention
        ("\U0001F468\u200D\U0001F469\u200D\U0001F467", 1),  # grapheme clusters
        ("cafe\u0301", 4),
    ],
)
def test_mastodon_counts(text, length):
    [m] = measure("mastodon", text)
    assert (m.length, m.limit, m.cut) == (length, 500, None)


def test_mastodon_cut_and_instance_limit():
    text = "@alice@example.social " + "x" * 600
    [m] = measure("mastodon", text)
    assert m.length == 7 + 600
    assert m.cut == len("@alice@example.social ") + 500 - 7
    [m] = measure("mastodon", text, 1000)
    assert (m.limit, m.cut) == (1000, None)


def test_mastodon_url_straddling_the_limit():
    text = "x" * 490 + " https://example.com/page"
    [m] = measure("mastodon", text)
    assert (m.length, m.cut) == (514, 491)


def test_bluesky_counts_graphemes_and_bytes():
    graphemes, size = measure("bluesky", "\U0001F44D\U0001F3FD" * 300)
    assert (graphemes.length, graphemes.cut) == (300, None)
    assert (size.length, size.limit, size.cut) == (2400, 3000, None)
    graphemes, size = measure("bluesky", "a" * 301)
    assert (graphemes.length, graphemes.cut, graphemes.unit) == (301, 300, "graphemes")
    graphemes, size = measure("bluesky", "\u00e9" * 299 + "\U0001F9D1\u200D\U0001F4BB" * 1)
    assert graphemes.cut is None
    text = "\U0001F3F3\uFE0F\u200D\U0001F308" * 250  # 14 bytes a flag
    graphemes, size = measure("bluesky", text)
    assert (graphemes.length, graphemes.cut) == (250, None)
    assert (size.length, size.cut) == (3500, 214 * 4)  # 214 whole flags fit in 3000 bytes


def test_linkedin_counts_characters():
    [m] = measure("linkedin", "a" * 3001)
    assert (m.length, m.limit, m.cut) == (3001, 3000, 3000)
    [m] = measure("linkedin", "a" * 2999 + "e\u0301\u0301")  # the cut never splits a cluster
    assert (m.length, m.cut) == (3002, 2999)


@pytest.mark.parametrize("name", ["blog", "generic"])
def test_no_limit(name):
    assert get_platform(name).measure is None and get_platform(name).limit is None


def test_names_and_aliases():
    assert get_platform("twitter").name == "x"
    assert platform_names() == ["blog", "bluesky", "generic", "linkedin", "mastodon", "twitter", "x"]
    with pytest.raises(InputError, match="'myspace' is not one of: blog, bluesky"):
        get_platform("myspace")


# --------------------------------------------------------------------------------------------
# Agreement with twitter-text itself on random mixed text (run where it is installed:
# npm install --prefix /tmp/tt twitter-text@3.1.0; TWITTER_TEXT_NODE_MODULES=/tmp/tt/node_modules)

_PIECES = (
    "http://example.com", "https://t.co/abc123", "example.org/path", "www.gov.uk", "foo.co.jp", "a.b",
    "https://example.com/foo_(bar)", "http://\u2603.net/", "xn--p1ai", "user@example.com", "-example.com",
    "example.com.", "http://example.com:8080/x", "http://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/",
    "m\u00fcnchen.de", "example.c", "http://example.com/@user/", "(example.com)", "e.g.", "file.txt",
    "\U0001F600", "\U0001F44D\U0001F3FD", "\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F1EC\U0001F1E7",
    "#\ufe0f\u20e3", "\u2764\ufe0f", "\u263a", "\u00a9", "\U0001F3F3\ufe0f\u200d\U0001F308", "\U0001FAE0",
    "\u2764\ufe0f\u200d\U0001F525", "\ufe0f", "\u200d", "hello", "caf\u00e9", "\u6545\u4eba", "\u3042\u3044",
    "\ud55c\uad6d", "A\u0301", "\u2014", "\u2026", "\u00a0", "\n", "#tag", "@user", ".", ",", "(", ")", "/", "-",
)


def _random_texts(n: int) -> list[str]:
    import random

    rng = random.Random(20240501)
    seps = [" ", " ", "", "\n", ", ", ".", "\u3002"]
    return ["".join(rng.choice(_PIECES) + rng.choice(seps) for _ in range(rng.randint(1, 60))) for _ in range(n)]


def test_agrees_with_twitter_text_js():
    import json
    import os
    import shutil
    import subprocess

    modules = os.environ.get("TWITTER_TEXT_NODE_MODULES")
    if not modules or not shutil.which("node"):
        pytest.skip("set TWITTER_TEXT_NODE_MODULES to an npm install of twitter-text to compare")
    texts = _random_texts(2000)
    script = (
        "const tt = require('twitter-text'); let s = ''; process.stdin.on('data', d => s += d);"
        "process.stdin.on('end', () => console.log(JSON.stringify(JSON.parse(s).map(t => {"
        "const r = tt.parseTweet(t); return [r.weightedLength, r.validRangeEnd]; }))));"
    )
    out = subprocess.run(
        ["node", "-e", script], input=json.dumps(texts), capture_output=True, text=True, check=True,
        env={**os.environ, "NODE_PATH": modules}, timeout=120,
    ).stdout
    for text, (length, valid_end) in zip(texts, json.loads(out)):
        ours = twitter_length(text)
        assert ours.weighted_length == length, text
        if length > 280 and unicodedata.is_normalized("NFC", text):
            assert utf16(text, ours.cut) == valid_end + 1, text


# --------------------------------------------------------------------------------------------
# Any text at all: a length and a cut inside the text, never an exception

_ALPHABET = st.one_of(
    st.characters(),
    st.sampled_from(list(".:/@#-_ \ud800\udfff") + ["https://", ".com", "\u200d", "\ufe0f", "\U0001F468", "\u0301"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=400).map("".join), st.integers(min_value=1, max_value=300))
def test_any_text_gets_a_length_and_a_cut_inside_it(text, limit):
    for name in ("x", "mastodon", "bluesky", "linkedin"):
        for m in get_platform(name).measure(text, limit):
            assert m.length >= 0
            if m.cut is None:
                assert m.length <= m.limit
            else:
                assert m.length > m.limit and 0 <= m.cut < len(text)
