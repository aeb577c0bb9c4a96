"""Where a post can go and how each platform counts its length.

X/Twitter follows twitter-text v3 exactly (``parseTweet``): the text is NFC-normalised; a URL, as
twitter-text's extractor finds it (with a scheme, or a bare domain with a known TLD), weighs 23;
an emoji sequence, as twemoji-parser finds it, weighs 2; any other code point weighs 1 inside the
v3 ranges (U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F, U+2032-U+2037) and 2 outside (CJK,
most emoji parts, astral characters); limit 280. The TLD list and emoji pattern come from
twitter-text 3.1.0 and twemoji-parser 11.0.2 (scripts/twitter_text_data.py), so a ZWJ sequence
newer than Emoji 11 counts part by part, as it does there.

Mastodon counts grapheme clusters, a URL with a scheme as 23 and a mention ``@user@domain`` as
``@user`` (500 by default, per instance). Bluesky counts grapheme clusters (300) and UTF-8 bytes
(3000). LinkedIn counts characters (3000). ``blog`` and ``generic`` have no limit.
"""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

import regex

from postguard.errors import InputError, one_of


class Measure(NamedTuple):
    """A length as the platform counts it, and where in the original text the limit falls."""

    length: int
    limit: int
    unit: str
    #: Offset into the original text of the first character past the limit (None if within).
    cut: int | None

    @property
    def over(self) -> int:
        return max(0, self.length - self.limit)


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    limit: int | None
    measure: Callable[[str, int], list[Measure]] | None
    aliases: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# twitter-text URL extraction (extractUrlsWithIndices), written against its published regexes

_PUNCT = r"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$"
_SPACES = r"\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVALID = r"\ufffe\ufeff\uffff"
_DIRECTIONAL = r"\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
_LATIN_ACCENTS = (
    r"\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268"
    r"\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = r"\u0400-\u04ff"
_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
_PATH_CHAR = rf"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{_LATIN_ACCENTS}]"
_PARENS = rf"\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*))\)"
_PATH_END = rf"[+\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]"
# twitter-text splices "ending char | balanced parens" into the path pattern unbracketed, so a
# bracketed group ends a path only as a path segment of its own; the same here.
_PATH = rf"(?:(?:{_PATH_CHAR}*(?:{_PARENS}{_PATH_CHAR}*)*{_PATH_END}|(?:{_PARENS}))|(?:@{_PATH_CHAR}+/))"
_QUERY_CHAR = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_END = r"[a-z0-9\-_&=#/]"
_URL_LENGTH = 23
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_LABEL_LENGTH = 63
_IDNA_DOTS = re.compile("[.\u3002\uff0e\uff61]")
# ASCII folding only: JavaScript's /i without /u never maps a non-ASCII letter to an ASCII one.
_FLAGS = re.IGNORECASE | re.ASCII


def _trie_pattern(words: list[str]) -> str:
    """An alternation of ``words`` as a prefix trie, so the engine never tries 1,500 branches."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie)


@dataclass(frozen=True)
class _UrlPatterns:
    url: re.Pattern[str]
    ascii_domain: re.Pattern[str]
    tco: re.Pattern[str]
    #: "." + a known TLD: every URL twitter-text extracts has one, so only runs holding one are scanned
    candidate: re.Pattern[str]
    barrier: re.Pattern[str]
    last_barrier: re.Pattern[str]
    #: the URL pattern's source, compiled by ``regex`` only for a pathological run (see _url_bounded)
    url_source: str


@functools.cache
def _url_patterns() -> _UrlPatterns:
    data = resources.files("postguard") / "data" / "twitter_tlds.txt"
    tlds = [ln for ln in data.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    known = rf"{_trie_pattern(tlds)}(?=[^0-9a-zA-Z@+\-]|\Z)"
    tld = rf"(?:{known}|xn--[\-0-9a-z]+)"
    subdomain = rf"(?:(?:{_DOMAIN_CHAR}(?:[_\-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
    name = rf"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
    # twitter-text matches UTF-16 code units, so the high half of an astral character can be the
    # character before a domain that starts with its low half: a domain may start at one.
    preceding = rf"(?:(?=[\U00010000-\U0010ffff])|[^A-Za-z0-9@\uff20$#\uff03{_INVALID}]|[{_DIRECTIONAL}]|^)"
    url = (
        rf"(?P<before>{preceding})"
        rf"(?P<url>(?P<protocol>https?://)?(?P<domain>{subdomain}*{name}{tld})"
        rf"(?::[0-9]+)?(?P<path>/{_PATH}*)?(?:\?{_QUERY_CHAR}*{_QUERY_END})?)"
    )
    ascii_domain = rf"(?:(?:[\-a-z0-9{_LATIN_ACCENTS}]+)\.)+{tld}"
    tco = rf"https?://t\.co/([a-z0-9]+)(?:\?{_QUERY_CHAR}*{_QUERY_END})?"
    return _UrlPatterns(
        url=re.compile(url, _FLAGS),
        ascii_domain=re.compile(ascii_domain, _FLAGS),
        tco=re.compile(tco, _FLAGS),
        candidate=re.compile(rf"\.(?:{known}|xn--)", _FLAGS),
        barrier=re.compile(f"[{_SPACES}]"),
        last_barrier=re.compile(f".*[{_SPACES}]", re.DOTALL),
        url_source=url,
    )


@functools.cache
def _url_bounded(source: str) -> "regex.Pattern[str]":
    """The URL pattern in ``regex``, which can give up on a pathological run (time-out).

    Compiled on first need: it takes about 0.15 s, and ordinary posts never need it.
    """
    return regex.compile(source, regex.IGNORECASE | regex.ASCII)


def _punycode_label(label: str) -> str | None:
    try:
        return label if label.isascii() and "\x7f" not in label else "xn--" + label.encode("punycode").decode()
    except UnicodeError:
        return None


def _ascii_domain_length(domain: str, p: _UrlPatterns) -> int | None:
    """Length of ``domain`` in punycode, or None when a label is empty or longer than 63."""
    if domain[:4] == "xn--" and p.ascii_domain.search(domain) is None:
        return None
    if domain.isascii() and "\x7f" not in domain:
        labels = domain.split(".")
        return len(domain) if all(0 < len(label) <= _MAX_LABEL_LENGTH for label in labels) else None
    total = 0
    for label in domain.split("."):
        parts = [_punycode_label(part) for part in _IDNA_DOTS.split(label)]
        if any(part is None for part in parts):
            return None
        encoded = ".".join(parts)  # type: ignore[arg-type]
        if not 1 <= len(encoded) <= _MAX_LABEL_LENGTH:
            return None
        total += len(encoded) + 1
    return total - 1


# twitter-text's pattern backtracks quadratically on some runs without white space (thousands of
# accented letters before "-.com"). Runs longer than this are scanned by ``regex`` under a time
# limit, and one text gets at most _SCAN_BUDGET_S of URL scanning: past it, the rest of the text is
# counted character by character (a longer, so safer, length).
_LONG_RUN = 300
_SCAN_BUDGET_S = 0.25


def _windows(text: str, p: _UrlPatterns) -> list[tuple[int, int]]:
    """White-space-bounded runs that hold a candidate TLD; every URL lies inside one of them.

    A URL never contains white space, so scanning each run alone (its leading space kept as the
    URL's preceding character) finds exactly what one scan of the whole text finds.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        c = p.candidate.search(text, pos)
        if c is None:
            return out
        before = p.last_barrier.match(text, out[-1][1] if out else 0, c.start())
        start = before.end() - 1 if before else (out[-1][1] if out else 0)
        after = p.barrier.search(text, c.end())
        end = after.start() if after else len(text)
        out.append((start, end))
        pos = end


def _scan(text: str, start: int, end: int, p: _UrlPatterns, deadline: float) -> list:
    if end - start <= _LONG_RUN:
        return list(p.url.finditer(text, start, end))
    left = deadline - time.perf_counter()
    try:
        return list(_url_bounded(p.url_source).finditer(text, start, end, timeout=max(left, 0.001)))
    except TimeoutError:
        return []


def find_urls(text: str, *, require_scheme: bool = False) -> list[tuple[int, int]]:
    """Spans of URLs in ``text`` as twitter-text extracts them (which X and Mastodon shorten)."""
    if "." not in text or (require_scheme and ":" not in text):
        return []
    p = _url_patterns()
    spans: list[list[int]] = []
    deadline = time.perf_counter() + _SCAN_BUDGET_S
    for wstart, wend in _windows(text, p):
        if time.perf_counter() > deadline:
            break
        for m in _scan(text, wstart, wend, p, deadline):
            protocol, domain = m.group("protocol"), m.group("domain")
            start, end = m.span("url")
            encoded = _ascii_domain_length(domain, p)
            if encoded is None or len(protocol or "https://") + end - start + encoded - len(domain) > _MAX_URL_LENGTH:
                continue
            if protocol:
                tco = p.tco.match(text, start, end)
                if tco is not None:
                    if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                        continue
                    end = tco.end()
                spans.append([start, end])
                continue
            if require_scheme or m.group("before")[-1:] in ("-", "_", ".", "/"):
                continue
            dstart = m.start("domain")
            last = None
            for d in p.ascii_domain.finditer(domain):
                last = [dstart + d.start(), dstart + d.end()]
                spans.append(last)
            if last is not None and m.group("path"):
                last[1] = end
    return [(s, e) for s, e in spans]


# --------------------------------------------------------------------------------------------
# twitter-text v3 weighted length (parseTweet)

_X_SCALE = 100
_X_URL_WEIGHT = _URL_LENGTH * _X_SCALE
_X_DEFAULT_WEIGHT = 200
_X_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_X_LIGHT_RUN = re.compile("[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _X_RANGES) + "]+")


@dataclass(frozen=True)
class _EmojiPatterns:
    emoji: re.Pattern[str]
    #: a class holding every character a match can start with (a superset; a match is tried there)
    start: re.Pattern[str]
    #: the same, plus the ASCII keycap bases, used only when U+FE0F or U+20E3 occurs
    start_keycap: re.Pattern[str]


@functools.cache
def _emoji_patterns() -> _EmojiPatterns:
    data = resources.files("postguard") / "data" / "twemoji_regex.txt"
    source = data.read_text(encoding="utf-8").splitlines()[-1]
    # Every non-ASCII character the pattern names; its only ASCII ones are the keycap bases.
    named: set[int] = set()
    escape = r"(\\U[0-9a-f]{8}|\\u[0-9a-f]{4}|[\xa9\xae])"
    for lo, hi in re.findall(escape + "(?:-" + escape + ")?", source):
        first = ord(lo) if len(lo) == 1 else int(lo[2:], 16)
        last = (ord(hi) if len(hi) == 1 else int(hi[2:], 16)) if hi else first
        named.update(range(first, last + 1))
    # Astral ones become one plane-wide range: a class of a few hundred ranges is checked one range
    # at a time, while a short one is a bitmap.
    astral = {cp for cp in named if cp > 0xFFFF}
    named = (named - astral) | {min(astral), max(astral)}
    runs: list[list[int]] = []
    for cp in sorted(named):
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])

    def esc(cp: int) -> str:
        return "\\" + chr(cp) if chr(cp) in "\\]^-[" else chr(cp)

    runs[-2:] = [[runs[-2][0], runs[-1][1]]]
    cls = "".join(f"{esc(lo)}-{esc(hi)}" if hi > lo else esc(lo) for lo, hi in runs)
    return _EmojiPatterns(
        re.compile(source), re.compile(f"[{cls}]"), re.compile(f"[#*0-9](?=[\ufe0f\u20e3])|[{cls}]")
    )


def _find_emoji(nfc: str) -> list[tuple[int, int]]:
    """What ``finditer`` of twemoji-parser's pattern finds, trying only where a match can start."""
    p = _emoji_patterns()
    start = p.start_keycap if "\ufe0f" in nfc or "\u20e3" in nfc else p.start
    out = []
    pos = 0
    while (s := start.search(nfc, pos)) is not None:
        i = s.start()
        n = _emoji_length(nfc[i : i + _EMOJI_WINDOW])
        if n:
            out.append((i, i + n))
            pos = i + n
        else:
            pos = i + 1
    return out


# The longest twemoji sequence is 10 code points and the pattern looks one past a match at most,
# so a match depends only on the next 16 characters: posts repeat emoji, so remember them.
_EMOJI_WINDOW = 16


@functools.lru_cache(maxsize=4096)
def _emoji_length(window: str) -> int:
    m = _emoji_patterns().emoji.match(window)
    return m.end() if m is not None else 0


def _x_weight(ch: str) -> int:
    cp = ord(ch)
    for lo, hi in _X_RANGES:
        if lo <= cp <= hi:
            return _X_SCALE
    return _X_DEFAULT_WEIGHT


def _x_base(s: str) -> int:
    """Scaled weight of ``s`` counted character by character."""
    if s.isascii():
        return len(s) * _X_SCALE
    # what is left once the weight-1 runs are removed weighs 2 a character
    return (len(s) + len(_X_LIGHT_RUN.sub("", s))) * _X_SCALE


def _x_entities(nfc: str, emoji: bool = True) -> list[tuple[int, int, int]]:
    """``(start, end, weight)`` of the URLs and emoji that count as one unit, in text order."""
    found = [(s, e, _X_URL_WEIGHT) for s, e in find_urls(nfc)]
    if emoji and not nfc.isascii():  # every twemoji sequence has a non-ASCII code point
        found += [(s, e, _X_DEFAULT_WEIGHT) for s, e in _find_emoji(nfc)]
        found.sort(key=lambda t: (t[0], t[2] != _X_URL_WEIGHT))
    kept, cursor = [], 0
    for ent in found:
        if ent[0] >= cursor and ent[1] > ent[0]:
            kept.append(ent)
            cursor = ent[1]
    return kept


class TwitterLength(NamedTuple):
    """twitter-text v3's verdict on a text: weighted length and where the 280 budget runs out."""

    weighted_length: int
    #: Offset into the ORIGINAL text of the first character past the limit (None if within).
    cut: int | None


def twitter_length(text: str, limit: int = 280, *, emoji_parsing: bool = True) -> TwitterLength:
    """Weighted length of ``text`` by twitter-text v3 and where ``limit`` cuts it.

    ``emoji_parsing=False`` gives the v2 configuration, where an emoji's code points count one by one.
    """
    nfc = unicodedata.normalize("NFC", text)
    entities = _x_entities(nfc, emoji_parsing)
    total = _x_base(nfc)
    for s, e, w in entities:
        total += w - _x_base(nfc[s:e])
    if total <= limit * _X_SCALE:
        return TwitterLength(total // _X_SCALE, None)
    budget, acc, pos, cut = limit * _X_SCALE, 0, 0, len(nfc)
    for s, e, w in entities + [(len(nfc), len(nfc), 0)]:
        segment = _x_base(nfc[pos:s])
        if acc + segment > budget:
            if nfc[pos:s].isascii():
                cut = pos + (budget - acc) // _X_SCALE
            else:
                for i in range(pos, s):
                    acc += _x_weight(nfc[i])
                    if acc > budget:
                        cut = i
                        break
            break
        acc += segment + w
        if acc > budget:
            cut = s
            break
        pos = e
    return TwitterLength(total // _X_SCALE, _nfc_to_original(text, nfc, cut))


def _nfc_to_original(text: str, nfc: str, offset: int) -> int:
    """Map an offset in NFC(text) back to ``text`` (identical when already NFC)."""
    if len(text) == len(nfc) and text == nfc:
        return offset
    acc = 0
    for m in regex.finditer(r"\X", text):
        n = len(unicodedata.normalize("NFC", m.group()))
        if acc + n > offset:
            return m.start()
        acc += n
    return len(text)


def _measure_x(text: str, limit: int) -> list[Measure]:
    r = twitter_length(text, limit)
    return [Measure(r.weighted_length, limit, "weighted characters", r.cut)]


# --------------------------------------------------------------------------------------------
# Mastodon, Bluesky, LinkedIn

# Mastodon's Account::MENTION_RE: the username part counts, the instance part does not.
_MENTION = re.compile(
    r"(?<![=/\w])@(?P<user>[a-z0-9_]+(?:[.\-]+[a-z0-9_]+)*)(?:@\w+(?:[.\-]+\w+)*)?", re.IGNORECASE
)
_GRAPHEME = regex.compile(r"\X")


def _graphemes(s: str) -> list[int]:
    """Start offsets of the grapheme clusters of ``s``."""
    if s.isascii() and "\r\n" not in s:
        return list(range(len(s)))
    return [m.start() for m in _GRAPHEME.finditer(s)]


def _measure_mastodon(text: str, limit: int) -> list[Measure]:
    # (start, end, counted) spans that count as a fixed number of characters
    spans = [(s, e, _URL_LENGTH) for s, e in find_urls(text, require_scheme=True)]
    if "@" in text:
        taken = [(s, e) for s, e, _ in spans]
        for m in _MENTION.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken) and m.end() > m.end("user"):
                # "@user@domain": count "@user" as it stands, drop the rest
                spans.append((m.end("user"), m.end(), 0))
        spans.sort()
    units: list[tuple[int, int]] = []  # (original offset, how many characters it counts)
    pos = 0
    for s, e, counted in spans + [(len(text), len(text), 0)]:
        units.extend((pos + g, 1) for g in _graphemes(text[pos:s]))
        if counted:
            units.append((s, counted))
        pos = e
    length = sum(n for _, n in units)
    cut = None
    if length > limit:
        acc = 0
        for offset, n in units:
            acc += n
            if acc > limit:
                cut = offset
                break
    return [Measure(length, limit, "characters", cut)]


_BLUESKY_BYTES = 3000


def _measure_bluesky(text: str, limit: int) -> list[Measure]:
    starts = _graphemes(text)
    out = [Measure(len(starts), limit, "graphemes", starts[limit] if len(starts) > limit else None)]
    size = len(text.encode("utf-8", "surrogatepass"))
    cut = None
    if size > _BLUESKY_BYTES:  # cut before the grapheme whose bytes cross the limit
        acc = 0
        for start, end in zip(starts, starts[1:] + [len(text)]):
            acc += len(text[start:end].encode("utf-8", "surrogatepass"))
            if acc > _BLUESKY_BYTES:
                cut = start
                break
    out.append(Measure(size, _BLUESKY_BYTES, "bytes (UTF-8)", cut))
    return out


def _measure_chars(text: str, limit: int) -> list[Measure]:
    cut = None
    if len(text) > limit:  # never split a grapheme cluster (an emoji sequence, an accent)
        lo = max(0, limit - 64)
        cut = lo + _graphemes(text[lo : limit + 1])[-1]
    return [Measure(len(text), limit, "characters", cut)]


PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform("generic", "Generic", None, None),
        Platform("blog", "Blog", None, None),
        Platform("x", "X (Twitter)", 280, _measure_x, aliases=("twitter",)),
        Platform("mastodon", "Mastodon", 500, _measure_mastodon),
        Platform("bluesky", "Bluesky", 300, _measure_bluesky),
        Platform("linkedin", "LinkedIn", 3000, _measure_chars),
    )
}
_ALIASES = {alias: p.name for p in PLATFORMS.values() for alias in p.aliases}


def platform_names() -> list[str]:
    return sorted(set(PLATFORMS) | set(_ALIASES))


def get_platform(name: str) -> Platform:
    """The platform called ``name`` (aliases such as ``twitter`` accepted)."""
    key = _ALIASES.get(name, name)
    try:
        return PLATFORMS[key]
    except KeyError:
        raise InputError(f"platform {one_of(name, platform_names())}") from None


def load_platform_data() -> None:
    """Compile the URL and emoji patterns now rather than on the first post."""
    _url_patterns()
    _emoji_patterns()
