"""``link``: URL rules over links in the prose and Markdown/HTML link targets.

``test`` picks what is wrong with a URL: ``shortener`` (its host is a link shortener),
``tracking`` (tracking query parameters such as ``utm_*`` or ``fbclid``; the suggestion is the
URL without them), ``domain`` (an internal or staging host) or ``insecure`` (plain ``http``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from postguard.checks.policy.spec import Fields, Hit, Target

FIELDS = {
    "test": "shortener | tracking | domain | insecure (required)",
    "domains": "hosts for shortener/domain; '*' globs allowed ('*.internal', 'staging.*')",
    "params": "query parameters for tracking; '*' globs allowed ('utm_*')",
}
PLACEHOLDERS = ("host",)
IGNORECASE = True
TESTS = ("domain", "insecure", "shortener", "tracking")


def _split(url: str):  # noqa: ANN202 - urllib's SplitResult
    if "://" not in url:
        url = "http://" + url if not url.startswith("//") else "http:" + url
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _host_matches(host: str, patterns: list[str]) -> bool:
    for p in patterns:
        if any(ch in p for ch in "*?["):
            if fnmatch.fnmatchcase(host, p):
                return True
        elif host == p or host.endswith("." + p):
            return True
    return False


class LinkMatcher:
    def __init__(self, test: str, domains: list[str], params: list[str]) -> None:
        self.test = test
        self.domains = [d.lower().strip(".") for d in domains]
        self.params = [p.lower() for p in params]

    def find(self, target: Target) -> Iterator[Hit]:
        for url, s, e, original in target.urls:
            if self.test == "insecure":
                if url.lower().startswith("http://"):
                    yield Hit(s, e, original, suggestion="https://" + url[7:], values={"host": ""})
                continue
            key = ("url", url)
            if key not in target.memo:  # parsed once per post, shared by every link rule
                target.memo[key] = _split(url)
            parts = target.memo[key]
            if parts is None or not parts.hostname:
                continue
            host = parts.hostname.lower().rstrip(".")
            if self.test in ("shortener", "domain"):
                if _host_matches(host, self.domains):
                    yield Hit(s, e, original, values={"host": host})
            elif self.test == "tracking" and parts.query:
                query = parse_qsl(parts.query, keep_blank_values=True)
                kept = [(k, v) for k, v in query if not any(fnmatch.fnmatchcase(k.lower(), p) for p in self.params)]
                if len(kept) != len(query):
                    clean = urlunsplit(parts._replace(query=urlencode(kept)))
                    if "://" not in url:
                        clean = clean.split("://", 1)[1]
                    yield Hit(s, e, original, suggestion=clean, values={"host": host})


def build(f: Fields) -> LinkMatcher:
    test = f.choice("test", TESTS)
    domains = f.texts("domains")
    params = f.texts("params")
    if test in ("shortener", "domain") and "domains" not in f:
        raise f.error("test", f"test '{test}' needs 'domains'")
    if test == "tracking" and not params:
        raise f.error("test", "test 'tracking' needs 'params' (e.g. [utm_*, fbclid, gclid])")
    return LinkMatcher(test, domains, params)
