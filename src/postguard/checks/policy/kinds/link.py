"""``link``: URL rules over links in the prose and Markdown/HTML link targets.

``test`` picks what is wrong with a URL: ``shortener`` (its host is a link shortener),
``tracking`` (tracking query parameters such as ``utm_*`` or ``fbclid``; the suggestion is the
URL without them), ``domain`` (an internal or staging host) or ``insecure`` (plain ``http``). Tracking and
plain-http findings cover only the query or the ``http://`` they would fix.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields

FIELDS = {
    "test": "shortener | tracking | domain | insecure (required)",
    "domains": "hosts for shortener/domain; '*' globs allowed ('*.internal', 'staging.*')",
    "params": "query parameters for tracking; '*' globs allowed ('utm_*')",
}
PLACEHOLDERS = ("host", "url")
IGNORECASE = True
TESTS = ("domain", "insecure", "shortener", "tracking")


def _split(url: str):  # noqa: ANN202 - urllib's SplitResult
    if "://" not in url:
        url = "http://" + url if not url.startswith("//") else "http:" + url
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _host_matches(host: str, exact: frozenset[str], globs: list[str]) -> bool:
    """``host`` is one of ``exact`` or under one (``a.bit.ly`` for ``bit.ly``), or fits a glob."""
    h = host
    while True:
        if h in exact:
            return True
        dot = h.find(".")
        if dot < 0:
            break
        h = h[dot + 1 :]
    return any(fnmatch.fnmatchcase(host, g) for g in globs)


class LinkMatcher:
    def __init__(self, test: str, domains: list[str], params: list[str]) -> None:
        self.test = test
        self.domains = [d.lower().strip(".") for d in domains]
        # Plain hosts in a set, globs apart: a shortener list is long and every URL is tried.
        self.globs = [d for d in self.domains if any(ch in d for ch in "*?[")]
        self.exact = frozenset(d for d in self.domains if d not in self.globs)
        self.params = [p.lower() for p in params]

    def find(self, target: Target) -> Iterator[RuleHit]:
        source = target.parsed.original
        for url, s, e, original in target.urls:
            # The fix for plain http and for tracking touches only part of the URL, so those
            # rules flag just that part: one URL can then carry several fixes that all apply.
            exact = not original or source[s:e] == url  # an HTML-escaped href is flagged whole
            values = {"url": url, "host": ""}
            if self.test == "insecure":
                if url[:7].lower() == "http://":
                    yield RuleHit(s, s + 7 if exact else e, original, "https://" if exact else "https://" + url[7:], values)
                continue
            key = ("url", url)
            if key not in target.memo:  # parsed once per post, shared by every link rule
                target.memo[key] = _split(url)
            parts = target.memo[key]
            if parts is None or not parts.hostname:
                continue
            values["host"] = host = parts.hostname.lower().rstrip(".")
            if self.test in ("shortener", "domain"):
                if _host_matches(host, self.exact, self.globs):
                    yield RuleHit(s, e, original, values=values)
            elif self.test == "tracking" and parts.query:
                query = parse_qsl(parts.query, keep_blank_values=True)
                kept = [(k, v) for k, v in query if not any(fnmatch.fnmatchcase(k.lower(), p) for p in self.params)]
                if len(kept) == len(query):
                    continue
                if exact:
                    q = url.find("?")
                    q_end = url.find("#", q)
                    q_end = len(url) if q_end < 0 else q_end
                    yield RuleHit(s + q, s + q_end, original, "?" + urlencode(kept) if kept else "", values)
                else:
                    clean = urlunsplit(parts._replace(query=urlencode(kept)))
                    yield RuleHit(s, e, original, clean if "://" in url else clean.split("://", 1)[1], values)


def build(f: Fields) -> LinkMatcher:
    test = f.choice("test", TESTS)
    domains = f.texts("domains")
    params = f.texts("params")
    if test in ("shortener", "domain") and "domains" not in f:
        raise f.error("test", f"test '{test}' needs 'domains'")
    if test == "tracking" and not params:
        raise f.error("test", "test 'tracking' needs 'params' (e.g. [utm_*, fbclid, gclid])")
    return LinkMatcher(test, domains, params)
