"""twitter-text's URL extraction (``extractUrlsWithIndices``), written against its published regexes.

It finds a URL with a scheme, or a bare domain with a known TLD (``bit.ly/x``), as X and Mastodon
do when they shorten links. The TLD list comes from twitter-text 3.1.0 (scripts/twitter_text_data.py).
This is postguard's one URL finder: checks read its spans as ``ParsedPost.urls``, which adds the
scheme and ``www.`` URLs whose host has no public TLD (``https://jira.corp``, ``http://10.0.0.5/x``),
since a leak is a leak whether X would link it or not.
"""

from __future__ import annotations

import bisect
import functools
import re
import time
from dataclasses import dataclass
from importlib import resources

import regex

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
#: What a URL counts on X and Mastodon, whatever its length.
URL_LENGTH = 23
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
def url_patterns() -> _UrlPatterns:
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


def find_urls(text: str, *, require_scheme: bool = False, any_host: bool = False) -> list[tuple[int, int]]:
    """Spans of URLs in ``text`` as twitter-text extracts them (which X and Mastodon shorten).

    ``any_host`` adds the scheme and ``www.`` URLs twitter-text leaves out for want of a public TLD,
    in text order.
    """
    if any_host:
        return _with_any_host(text)
    if "." not in text or (require_scheme and ":" not in text):
        return []
    p = url_patterns()
    spans: list[list[int]] = []
    windows = _windows(text, p)
    if any(wend - wstart > _LONG_RUN for wstart, wend in windows):
        # compiled before the budget starts: on a busy machine compiling alone took all of it
        _url_bounded(p.url_source)
    deadline = time.perf_counter() + _SCAN_BUDGET_S
    for wstart, wend in windows:
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


# A scheme or www. URL, whatever its host (internal hosts have no public TLD).
_ANY_HOST_URL = re.compile(r"(?<![\w@.])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]}"


def _with_any_host(text: str) -> list[tuple[int, int]]:
    """Scheme and www. URLs of any host, then twitter-text's URLs that start outside them."""
    spans = [_trimmed(text, m.start(), m.end()) for m in _ANY_HOST_URL.finditer(text)] if (
        "://" in text or "www." in text.lower()
    ) else []
    starts = [s for s, _ in spans]
    kept = list(spans)
    for s, e in find_urls(text):
        i = bisect.bisect_right(starts, s) - 1
        if i < 0 or s >= spans[i][1]:
            kept.append((s, e))
    return sorted(kept)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The URL without the sentence's closing punctuation; a balanced closing bracket stays."""
    if text[end - 1] not in _TRAILING:
        return start, end
    opened, closed = text.count("(", start, end), text.count(")", start, end)
    while end > start and text[end - 1] in _TRAILING:
        if text[end - 1] == ")":
            if opened >= closed:
                break
            closed -= 1
        end -= 1
    return start, end
