"""Secrets: credentials, keys, one-time codes, reset links and internal infrastructure in a post.

Key patterns follow gitleaks' and detect-secrets' published rules; a generic token must also pass a
Shannon-entropy check. Link targets hidden in Markdown/HTML markup (``parsed.links``) are checked
for internal hosts and reset links too.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from postguard.checks.base import BaseCheck, Output
from postguard.errors import PolicyError, one_of

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost
    from postguard.policy import Policy


@dataclass(frozen=True)
class Kind:
    """One kind of secret: what it is called, how it is redacted, how bad it is by default."""

    entity: str
    label: str
    severity: str = "block"
    keep: int = 0  # characters shown at the end of the masked value (0: a label replaces it)


KINDS: dict[str, Kind] = {k.entity: k for k in (
    Kind("PASSWORD", "password"),
    Kind("AWS_ACCESS_KEY", "AWS access key"),
    Kind("AWS_SECRET_KEY", "AWS secret key"),
    Kind("GITHUB_TOKEN", "GitHub token"),
    Kind("SLACK_TOKEN", "Slack token"),
    Kind("SLACK_WEBHOOK", "Slack webhook"),
    Kind("GOOGLE_API_KEY", "Google API key"),
    Kind("STRIPE_KEY", "Stripe secret key"),
    Kind("JWT", "JSON web token"),
    Kind("PRIVATE_KEY", "private key"),
    Kind("GENERIC_SECRET", "secret token"),
    Kind("OTP_CODE", "one-time code"),
    Kind("RESET_LINK", "password-reset link"),
    Kind("INTERNAL_HOST", "internal hostname", "warning"),
    Kind("PRIVATE_IP", "internal IP address", "warning"),
    Kind("TICKET_REF", "internal ticket reference", "warning"),
)}

DEFAULT_TICKET_PATTERN = r"\b(?:INC|RITM|REQ|CHG|PRB|TASK|SCTASK)\d{7}\b"
INTERNAL_TLDS = ("local", "internal", "corp", "lan", "intranet", "localdomain", "home.arpa")
CONFIG_KEYS = ("severity", "internal_domains", "ticket_pattern", "min_entropy", "rules")

# Provider keys (gitleaks rule names in brackets).
_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS_ACCESS_KEY", re.compile(r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b")),  # aws-access-token
    ("GITHUB_TOKEN", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b")),  # github-pat, -oauth, -app-token
    ("GITHUB_TOKEN", re.compile(r"\bgithub_pat_[A-Za-z0-9_]{82}\b")),  # github-fine-grained-pat
    ("SLACK_TOKEN", re.compile(r"\bxox[baprseo]-(?:[0-9]+-)+[A-Za-z0-9-]{8,}\b")),  # slack-*-token
    ("SLACK_WEBHOOK", re.compile(
        r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{30,}")),
    ("GOOGLE_API_KEY", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])")),  # gcp-api-key
    ("STRIPE_KEY", re.compile(r"\b(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,99}\b")),  # stripe-access-token
    ("JWT", re.compile(r"\bey[JI][A-Za-z0-9_-]{8,}\.ey[JI][A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),  # jwt
    ("PRIVATE_KEY", re.compile(
        r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
        r"(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|$)")),  # private-key
)
_AWS_SECRET = re.compile(
    r"(?i:aws.{0,20}?(?:secret|key).{0,20}?[\s:=\"']+)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
)
_ASSIGNED_SECRET = re.compile(
    r"(?i:\b(?:api[_ -]?key|apikey|access[_ -]?key|secret(?:[_ -]?key)?|client[_ -]?secret|auth[_ -]?token|"
    r"access[_ -]?token|bearer|token)\b[\"']?\s*(?:is|=|:|=>)?\s*[\"']?)([A-Za-z0-9_\-+/=.]{16,})"
)
_LONE_TOKEN = re.compile(r"(?<![\w/+=.@-])[A-Za-z0-9_\-+/]{32,}={0,2}(?![\w/+=@-])")
_PASSWORD = re.compile(
    r"(?i:\b(?:password|passwd|passphrase|pass\s*word|pwd|pw|passcode|wifi\s+key)\b"
    r"(?:\s+(?:for|to|on)\s+(?:the\s+)?[\w.-]+){0,2}"
    r"\s*(?:is|was|=|:|->|will\s+be|is\s+now|now\s+is|changed\s+to|set\s+to|reset\s+to)\s*)"
    r"(?:[\"“‘']([^\"”’'\n]{1,64})[\"”’']|(\S{4,64}?)(?=[\s.,;!?)\]”’]*(?:\s|$)))"
)
_REDACTED = re.compile(r"\[[^\]\n]{0,40}removed\]")
_PUBLIC_KEY_PREFIX = re.compile(r"(?:pk|publishable)_(?:live|test)_")
_OTP = re.compile(
    r"(?i:\b(?:otp|one[- ]time\s+(?:pass)?code|one[- ]time\s+password|verification\s+code|security\s+code|"
    r"auth(?:entication)?\s+code|login\s+code|2fa(?:\s+code)?|mfa(?:\s+code)?|sign[- ]in\s+code|pin|"
    r"confirmation\s+code|access\s+code|code)\b[^.\n\d]{0,20}?(?:is|:|=|-)?\s*)"
    r"(\d{3}[ -]?\d{3}|\d{4,8})\b"
)
#: "zip code 35350", "area code 0113", "sort code 12-34-56" are not one-time codes
_NOT_OTP = re.compile(
    r"(?i:\b(?:zip|post|postal|area|dress|country|promo|discount|voucher|coupon|sort|tax|bar|qr|source|"
    r"course|module|dialling|dialing|airport|product|error|status)\s*code)"
)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`)\]]+", re.IGNORECASE)
_RESET = re.compile(
    r"(?i)(?:reset|forgot|recover|change)[-_]?(?:your[-_]?)?(?:pass(?:word)?|pwd|credentials?)|"
    r"pass(?:word)?[-_/]?(?:reset|recover|change)|/reset[-_/]|magic[-_]?link|/verify[-_/?]|"
    r"[?&](?:token|reset_token|resettoken|otp|code|key|sig|signature|auth)=[^&\s]{6,}"
)
_HOST = re.compile(r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(?![\w-])", re.I)
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![:\w])(?:f[cd][0-9a-f]{2}|fe80):[0-9a-f:]{2,}(?![:\w])", re.I)


class SecretsCheck(BaseCheck):
    """``secret.<kind>``: passwords, keys and tokens, one-time codes, reset links, internal hosts."""

    name = "secrets"
    needs_doc = False

    def __init__(self, config: Mapping[str, Any], policy: "Policy") -> None:
        super().__init__(config, policy)
        self.reject_unknown_settings(CONFIG_KEYS)
        self.severity = self.read_severities({k: v.severity for k, v in KINDS.items()}, str.upper)
        rules = config.get("rules")
        if rules is None:
            self.enabled = set(KINDS)
        else:
            bad = [r for r in rules if str(r).upper() not in KINDS]
            if bad:
                raise PolicyError(f"checks.secrets.rules: {one_of(str(bad[0]), list(KINDS))}")
            self.enabled = {str(r).upper() for r in rules}
        domains = config.get("internal_domains") or []
        if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
            raise PolicyError("checks.secrets.internal_domains must be a list of domain names")
        self.internal_suffixes = tuple("." + d.lower().strip(".") for d in domains) + tuple(
            "." + t for t in INTERNAL_TLDS
        )
        pattern = config.get("ticket_pattern", DEFAULT_TICKET_PATTERN)
        try:
            self.ticket = re.compile(pattern) if pattern else None
        except re.error as exc:
            raise PolicyError(f"checks.secrets.ticket_pattern: invalid pattern: {exc}") from None
        self.min_entropy = float(config.get("min_entropy", 3.5))

    def run(self, parsed: "ParsedPost") -> Iterable[Output]:
        hits = self.detect(parsed.text)
        for entity, a, b in hits:
            yield self._finding(parsed, entity, a, b, parsed.text[a:b], original=False)
        for link in parsed.links:
            for entity, a, b in self._url_kinds(link.url, 0):
                if (a, b) == (0, len(link.url)):
                    excerpt = parsed.original[link.start : link.end]
                    yield self._finding(parsed, entity, link.start, link.end, excerpt, original=True)

    def _finding(self, parsed: "ParsedPost", entity: str, a: int, b: int, excerpt: str, *, original: bool):
        kind = KINDS[entity]
        make = parsed.original_finding if original else parsed.finding
        return make(
            a,
            b,
            rule_id=f"secret.{entity.lower()}",
            category="secret",
            severity=self.severity[entity],
            message=_MESSAGES.get(entity, f"This looks like a {kind.label}; it must not be posted."),
            suggestion=redact(entity, excerpt),
            score=0.9,
            entity=entity,
        )

    def detect(self, text: str) -> list[tuple[str, int, int]]:
        """Every secret span ``(entity, start, end)`` in ``text``, overlaps resolved."""
        hits: list[tuple[str, int, int]] = []
        for entity, rx in _KEYS:
            hits.extend((entity, m.start(), m.end()) for m in rx.finditer(text))
        hits.extend(("AWS_SECRET_KEY", m.start(1), m.end(1)) for m in _AWS_SECRET.finditer(text))
        for m in _ASSIGNED_SECRET.finditer(text):
            value = m.group(1).rstrip(".")
            if _looks_random(value, self.min_entropy - 0.5):
                hits.append(("GENERIC_SECRET", m.start(1), m.start(1) + len(value)))
        for m in _LONE_TOKEN.finditer(text):
            if (
                _looks_random(m.group(), self.min_entropy + 0.5)
                and not _inside_url(text, m.start())
                and not _PUBLIC_KEY_PREFIX.match(m.group())
            ):
                hits.append(("GENERIC_SECRET", m.start(), m.end()))
        for m in _PASSWORD.finditer(text):
            if m.group(1) is not None:  # quoted: whatever is inside the quotes
                hits.append(("PASSWORD", m.start(1), m.end(1)))
            elif _password_like(m.group(2)) and not _REDACTED.match(text, m.start(2)):
                hits.append(("PASSWORD", m.start(2), m.end(2)))
        for m in _OTP.finditer(text):
            if _NOT_OTP.search(text, max(0, m.start() - 12), m.start() + 5) is None and not re.fullmatch(
                r"(?:19|20)\d\d", m.group(1)
            ):
                hits.append(("OTP_CODE", m.start(1), m.end(1)))
        for m in _URL.finditer(text):
            url = m.group().rstrip(".,;:!?")
            hits.extend(self._url_kinds(url, m.start()))
        for m in _HOST.finditer(text):
            if self._internal(m.group()) and not _inside_url(text, m.start()) and "@" not in text[max(0, m.start() - 1) : m.start()]:
                hits.append(("INTERNAL_HOST", m.start(), m.end()))
        for m in _IPV4.finditer(text):
            if _private_ip(m.group()):
                hits.append(("PRIVATE_IP", m.start(), m.end()))
        for m in _IPV6.finditer(text):
            if _private_ip(m.group()):
                hits.append(("PRIVATE_IP", m.start(), m.end()))
        if self.ticket is not None:
            hits.extend(("TICKET_REF", m.start(), m.end()) for m in self.ticket.finditer(text))
        hits = [h for h in hits if h[0] in self.enabled and h[2] > h[1]]
        return _resolve(hits)

    def _url_kinds(self, url: str, offset: int) -> list[tuple[str, int, int]]:
        out = []
        if _RESET.search(url):
            out.append(("RESET_LINK", offset, offset + len(url)))
        host = re.sub(r"^(?:https?://)?(?:[^@/]*@)?", "", url, flags=re.I).split("/", 1)[0].split(":", 1)[0]
        if self._internal(host) or _private_ip(host):
            out.append(("INTERNAL_HOST", offset, offset + len(url)))
        return out

    def _internal(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host.endswith(s) or host == s[1:] for s in self.internal_suffixes)


_MESSAGES = {
    "PASSWORD": "This looks like a password; change it, and never post credentials.",
    "OTP_CODE": "This looks like a one-time or verification code; it lets anyone sign in as its owner.",
    "RESET_LINK": "This looks like a password-reset or sign-in link; anyone who opens it can take over the account.",
    "INTERNAL_HOST": "This names an internal host or URL; it maps the organisation's network for attackers.",
    "PRIVATE_IP": "This is an internal (private-range) IP address; keep network details out of public posts.",
    "TICKET_REF": "This is an internal ticket reference; it may expose a case that is not public.",
    "PRIVATE_KEY": "This is a private key; revoke it now and never post key material.",
}

_PRIORITY = {"PRIVATE_KEY": 0, "SLACK_WEBHOOK": 1, "RESET_LINK": 1, "INTERNAL_HOST": 2, "GENERIC_SECRET": 4,
             "PASSWORD": 3, "OTP_CODE": 3, "PRIVATE_IP": 3, "TICKET_REF": 3}


def _resolve(hits: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    # provider keys (priority 2) beat the generic entropy rule on the same span
    order = sorted(set(hits), key=lambda h: (_PRIORITY.get(h[0], 2), -(h[2] - h[1]), h[0]))
    kept: list[tuple[str, int, int]] = []
    for h in order:
        if not any(h[1] < k[2] and k[1] < h[2] for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: (h[1], h[2]))


def redact(entity: str, excerpt: str) -> str:
    """Digits of codes masked; keys, passwords, links and hosts replaced by a label."""
    if entity == "OTP_CODE":
        return re.sub(r"\d", "•", excerpt)
    return f"[{KINDS[entity].label} removed]"


def shannon_entropy(s: str) -> float:
    """Bits per character."""
    counts = Counter(s)
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _looks_random(value: str, min_entropy: float) -> bool:
    if len(value) < 16 or value.isalpha() or value.isdigit():
        return False
    if not (re.search(r"[A-Za-z]", value) and re.search(r"\d", value)):
        return False
    if re.fullmatch(r"[0-9a-f-]+", value) and min_entropy > 3.0:  # hex hashes, UUIDs: need context
        return False
    return shannon_entropy(value) >= min_entropy


def _password_like(value: str) -> bool:
    """A value after "password is" that is a credential rather than a word ("password is secure")."""
    v = value.rstrip(".,;!?")
    if len(v) < 4:
        return False
    return bool(re.search(r"\d", v) or re.search(r"[^\w]", v) or re.search(r"[a-z][A-Z]", v))


def _inside_url(text: str, i: int) -> bool:
    j = text.rfind(" ", 0, i) + 1
    word = text[j:i]
    return "://" in word or word.startswith("www.")


_PRIVATE_NETS = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
              "fc00::/7", "fe80::/10")
)


def _private_ip(s: str) -> bool:
    """RFC 1918, carrier-grade NAT, link-local and unique-local addresses (not loopback or examples)."""
    try:
        ip = ipaddress.ip_address(s.strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in _PRIVATE_NETS if net.version == ip.version)
