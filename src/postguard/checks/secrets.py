"""Secrets: credentials, keys, one-time codes, reset links and internal infrastructure in a post.

Provider tokens come from gitleaks' default rules, vendored as data (``checks/secret_rules.py``);
passwords in their many phrasings, pairs, connection strings and command lines are found by
``checks/passwords.py``; webhook URLs, private keys and the rest are matched here. A generic token
must also pass a Shannon-entropy check. The prose is read as the other checks read it, and every
hidden part of the source (code, comments, tags and their attributes, link targets, front matter:
``parsed.source``) is read as written.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from postguard.checks.base import BaseCheck, Output
from postguard.checks.passwords import PLACEHOLDER, find_passwords, inside_url
from postguard.checks.secret_rules import default_rules, shannon_entropy
from postguard.errors import PolicyError, one_of
from postguard.platforms.urls import find_urls

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
    Kind("WEBHOOK", "webhook URL"),
    Kind("API_TOKEN", "API token"),
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

# Kept beside the vendored rules: gitleaks' private-key rule wants 64 characters of key body and
# both armour lines, and a pasted key in a post is often cut short.
_PRIVATE_KEY = re.compile(
    r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
    r"(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|$)"
    r"|PuTTY-User-Key-File-\d: [\s\S]*?(?:Private-MAC: [0-9a-f]+|$)"
)
# Webhooks gitleaks has no rule for: Discord, Teams' Workflows (Power Automate), Google Chat,
# Zapier and Mattermost URLs.
_WEBHOOKS = re.compile(
    r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{15,20}/[\w-]{40,100}"
    r"|https://chat\.googleapis\.com/v1/spaces/[\w-]+/messages\?[^\s\"'<>`)]*token=[\w%=-]{20,}"
    r"|https://hooks\.zapier\.com/hooks/catch/\d+/\w{5,}/?"
    r"|https://[\w.-]+/hooks/[a-z0-9]{26}(?![\w-])"
    r"|https://[\w.-]+\.logic\.azure\.com(?::443)?/workflows/[0-9a-f]{32}/triggers/[^\s\"'<>`)]*sig=[\w%-]{20,}"
    r"|https://[\w-]+\.webhook\.office\.com/webhookb2/[^\s\"'<>`)]{40,}",
    re.I,
)
# Google OAuth client secrets and access tokens, which gitleaks' GCP rule (API keys) does not cover.
_GOOGLE_OAUTH = re.compile(r"\bGOCSPX-[\w-]{28}(?![\w-])|\bya29\.[\w-]{30,}")
# "Authorization: Basic YWRtaW46…", "Authorization: Bearer …" (a JWT keeps its own kind)
_AUTH_HEADER = re.compile(r"(?i:\bauthori[sz]ation\s*[:=]\s*[\"']?(?:basic|bearer|token)\s+)([A-Za-z0-9._~+/=-]{12,})")
_AWS_SECRET = re.compile(
    r"(?i:aws.{0,20}?(?:secret|key).{0,20}?[\s:=\"']+)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
)
_ASSIGNED_SECRET = re.compile(
    r"(?i:\b(?:api[_ -]?key|apikey|access[_ -]?key|secret(?:[_ -]?key)?|client[_ -]?secret|auth[_ -]?token|"
    r"access[_ -]?token|bearer|token|account[_ -]?key|shared[_ -]?access[_ -]?key)\b[\"']?\s*(?:is|=|:|=>)?\s*[\"']?)"
    r"([A-Za-z0-9_\-+/=.]{16,})"
)
_LONE_TOKEN = re.compile(r"(?<![\w/+=.@-])[A-Za-z0-9_\-+/]{32,}={0,2}(?![\w/+=@-])")
# Subresource-integrity hashes and data: URIs are long and random but public.
_PUBLIC_BLOB = re.compile(r"(?i:sha(?:256|384|512)-|base64,|ssh-(?:rsa|ed25519|dss)\s+|ecdsa-sha2-nistp\d+\s+)\Z")

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
    r"course|module|dialling|dialing|airport|product|error|status|exit|return)\s*code)"
)
# A reset or sign-in link is a secret only while it carries its token: the public "reset your
# password" page is what the help desk should link to.
_RESET_PATH = re.compile(
    r"(?i)(?:reset|forgot|recover|change)[-_]?(?:your[-_]?)?(?:pass(?:word)?|pwd|credentials?)|"
    r"pass(?:word)?[-_/]?(?:reset|recover|change)|/reset[-_/]|magic[-_]?link|/verify[-_/?]|/activate|/confirm"
)
_TOKEN_PARAM = re.compile(
    r"(?i)[?&#;](?:token|reset_token|resettoken|otp|code|sig|signature|auth|ticket)=[^&\s#\"'<>]{6,}"
)
_PATH_PART = re.compile(r"[/=]([A-Za-z0-9_-]{16,})")
_HOST = re.compile(r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(?![\w-])", re.I)
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![:\w])(?:f[cd][0-9a-f]{2}|fe80):[0-9a-f:]{2,}(?![:\w])", re.I)

# A plain-text test of the lower-cased post before the webhook pattern (most posts have none).
_WEBHOOK_HINTS = ("discord", "webhook", "logic.azure", "chat.googleapis", "zapier", "/hooks/")
# gitleaks rule ids -> postguard's kinds (the rest are API_TOKEN)
_VENDORED_KIND = {
    "aws-access-token": "AWS_ACCESS_KEY",
    "gcp-api-key": "GOOGLE_API_KEY",
    "slack-webhook-url": "SLACK_WEBHOOK",
    "microsoft-teams-webhook": "WEBHOOK",
    "jwt": "JWT",
    "jwt-base64": "JWT",
    "private-key": "PRIVATE_KEY",
    "generic-api-key": "GENERIC_SECRET",
    "curl-auth-user": "PASSWORD",
    "stripe-access-token": "STRIPE_KEY",
}
_VENDORED_PREFIX = (("github-", "GITHUB_TOKEN"), ("slack-", "SLACK_TOKEN"))
# Segments of the source read for random-looking tokens with no key name before them: attribute
# values and link targets hold public IDs and hashes too often to be worth it.
_LONE_TOKEN_KINDS = frozenset({"prose", "code", "comment", "front_matter", "other"})
_WHERE = {"code": "in a code block", "comment": "in a comment", "front_matter": "in the front matter",
          "link": "in a link target", "tag": "in the page markup"}


def vendored_kind(rule_id: str) -> str:
    """postguard's kind for a vendored gitleaks rule."""
    if rule_id in _VENDORED_KIND:
        return _VENDORED_KIND[rule_id]
    for prefix, kind in _VENDORED_PREFIX:
        if rule_id.startswith(prefix):
            return kind
    return "API_TOKEN"


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
        # Prose is read folded (look-alike letters undone), the hidden source as written; both
        # land in original offsets, where overlaps between them are resolved once.
        hits: list[_Detection] = []
        for entity, a, b, rule in self._detect(parsed.text, "prose", parsed.urls):
            hits.append((entity, *parsed.span(a, b), rule, "prose"))
        for seg in parsed.source.hidden():
            for entity, a, b, rule in self._detect(seg.text, seg.kind):
                hits.append((entity, seg.start + a, seg.start + b, rule, seg.kind))
        for link in parsed.links:
            for entity, a, b in self._url_kinds(link.url, 0):
                if (a, b) == (0, len(link.url)):
                    hits.append((entity, link.start, link.end, "", "link"))
        for entity, a, b, rule, where in _resolve(hits):
            yield self._finding(parsed, entity, a, b, rule, where)

    def _finding(self, parsed: "ParsedPost", entity: str, a: int, b: int, rule: str, where: str):
        kind = KINDS[entity]
        excerpt = parsed.original[a:b]
        message = _MESSAGES.get(entity, f"This looks like a {kind.label}; it must not be posted.")
        if rule and entity in ("API_TOKEN", "GENERIC_SECRET"):
            message = f"This looks like a credential (gitleaks rule {rule}); revoke it and never post it."
        if where in _WHERE:
            message += f" It is {_WHERE[where]}: hidden from the preview, but anyone can read the source."
        return parsed.original_finding(
            a,
            b,
            rule_id=f"secret.{entity.lower()}",
            category="secret",
            severity=self.severity[entity],
            message=message,
            suggestion=redact(entity, excerpt),
            score=0.9,
            entity=entity,
        )

    def detect(self, text: str) -> list[tuple[str, int, int]]:
        """Every secret span ``(entity, start, end)`` in ``text``, overlaps resolved."""
        return [(e, a, b) for e, a, b, _ in self._detect(text, "prose")]

    def _detect(
        self, text: str, where: str, urls: "list[tuple[int, int]] | None" = None
    ) -> list[tuple[str, int, int, str]]:
        """``(entity, start, end, gitleaks rule id or "")`` for ``text``, overlaps resolved.

        ``urls`` are the URL spans of ``text`` when known (``ParsedPost.urls``); found otherwise.
        """
        hits: list[tuple[str, int, int, str]] = []
        for hit in default_rules().find(text):
            hits.append((vendored_kind(hit.rule.id), hit.start, hit.end, hit.rule.id))
        hits.extend(("PRIVATE_KEY", m.start(), m.end(), "") for m in _PRIVATE_KEY.finditer(text))
        low = text.lower()
        if "://" in text and any(k in low for k in _WEBHOOK_HINTS):
            hits.extend(("WEBHOOK", m.start(), m.end(), "") for m in _WEBHOOKS.finditer(text))
        hits.extend(("AWS_SECRET_KEY", m.start(1), m.end(1), "") for m in _AWS_SECRET.finditer(text))
        if "GOCSPX-" in text or "ya29." in text:
            hits.extend(("API_TOKEN", m.start(), m.end(), "") for m in _GOOGLE_OAUTH.finditer(text))
        if "uthori" in low:
            for m in _AUTH_HEADER.finditer(text):
                if not PLACEHOLDER.match(m.group(1)) and re.search(r"\d", m.group(1)):
                    hits.append(("GENERIC_SECRET", m.start(1), m.end(1), ""))
        for m in _ASSIGNED_SECRET.finditer(text):
            value = m.group(1).rstrip(".")
            if _looks_random(value, self.min_entropy - 0.5):
                hits.append(("GENERIC_SECRET", m.start(1), m.start(1) + len(value), ""))
        if where in _LONE_TOKEN_KINDS:
            for m in _LONE_TOKEN.finditer(text):
                if (
                    _looks_random(m.group(), self.min_entropy + 0.5)
                    and not inside_url(text, m.start())
                    and not _PUBLIC_KEY_PREFIX.match(m.group())
                    and not _PUBLIC_BLOB.search(text, max(0, m.start() - 24), m.start())
                ):
                    hits.append(("GENERIC_SECRET", m.start(), m.end(), ""))
        hits.extend(("PASSWORD", a, b, "") for a, b in find_passwords(text, low))
        if where not in ("tag", "link"):
            for m in _OTP.finditer(text):
                if _NOT_OTP.search(text, max(0, m.start() - 12), m.start() + 5) is None and not re.fullmatch(
                    r"(?:19|20)\d\d", m.group(1)
                ):
                    hits.append(("OTP_CODE", m.start(1), m.end(1), ""))
        for a, b in find_urls(text, any_host=True) if urls is None else urls:
            hits.extend((e, ua, ub, "") for e, ua, ub in self._url_kinds(text[a:b], a))
        for m in _HOST.finditer(text):
            if self._internal(m.group()) and not inside_url(text, m.start()) and "@" not in text[max(0, m.start() - 1) : m.start()]:
                hits.append(("INTERNAL_HOST", m.start(), m.end(), ""))
        for m in _IPV4.finditer(text):
            if _private_ip(m.group()):
                hits.append(("PRIVATE_IP", m.start(), m.end(), ""))
        for m in _IPV6.finditer(text):
            if _private_ip(m.group()):
                hits.append(("PRIVATE_IP", m.start(), m.end(), ""))
        if self.ticket is not None:
            hits.extend(("TICKET_REF", m.start(), m.end(), "") for m in self.ticket.finditer(text))
        hits = [h for h in hits if h[0] in self.enabled and h[2] > h[1]]
        return _resolve(hits)

    def _url_kinds(self, url: str, offset: int) -> list[tuple[str, int, int]]:
        out = []
        if _TOKEN_PARAM.search(url) or (
            (m := _RESET_PATH.search(url))
            and any(_looks_random(p, self.min_entropy - 0.5) for p in _PATH_PART.findall(url, m.start()))
        ):
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
    "API_TOKEN": "This looks like an API token or key; revoke it and never post it.",
    "WEBHOOK": "This is a webhook URL; anyone who has it can post as the integration. Regenerate it.",
}

_PRIORITY = {"PRIVATE_KEY": 0, "SLACK_WEBHOOK": 1, "WEBHOOK": 1, "RESET_LINK": 1.5, "INTERNAL_HOST": 2,
             "GENERIC_SECRET": 4, "PASSWORD": 3, "OTP_CODE": 3, "PRIVATE_IP": 3, "TICKET_REF": 3}

_Detection = tuple  # (entity, start, end, *details): details ride along, untouched


def _resolve(hits: list) -> list:
    """The hits that do not overlap a stronger one, in text order."""
    # provider keys (priority 2) beat the generic entropy rule on the same span
    order = sorted(set(hits), key=lambda h: (_PRIORITY.get(h[0], 2), -(h[2] - h[1]), h[0], h[1], h[3:]))
    # The kept spans never overlap, so sorted by start they are sorted by end too: only the last
    # one starting before a hit ends can overlap it (5,555 IP addresses in 50,000 characters:
    # 5.1 s when every kept span was compared).
    spans: list[tuple[int, int]] = []
    kept: list = []
    for h in order:
        i = bisect.bisect_left(spans, (h[2],)) - 1
        if i < 0 or not (h[1] < spans[i][1] and spans[i][0] < h[2]):
            bisect.insort(spans, (h[1], h[2]))
            kept.append(h)
    return sorted(kept, key=lambda h: (h[1], h[2]))


def redact(entity: str, excerpt: str) -> str:
    """Digits of codes masked; keys, passwords, links and hosts replaced by a label."""
    if entity == "OTP_CODE":
        return re.sub(r"\d", "•", excerpt)
    return f"[{KINDS[entity].label} removed]"


def _looks_random(value: str, min_entropy: float) -> bool:
    if len(value) < 16 or value.isalpha() or value.isdigit():
        return False
    if not (re.search(r"[A-Za-z]", value) and re.search(r"\d", value)):
        return False
    if re.fullmatch(r"[0-9a-f-]+", value) and min_entropy > 3.0:  # hex hashes, UUIDs: need context
        return False
    return shannon_entropy(value) >= min_entropy


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
