"""The secrets check: each pattern with a realistic true example and a near miss, link targets in
markup, severities, configuration, and redaction round trips."""

from __future__ import annotations

import pytest
from helpers import assert_spans_exact

from postguard.checks.secrets import SecretsCheck, shannon_entropy
from postguard.engine import Checker
from postguard.errors import PolicyError
from postguard.findings import Severity
from postguard.policy import Policy, load_policy


def _policy(**secrets) -> Policy:
    base = load_policy()
    conf = {**base.checks["secrets"], **secrets, "enabled": True}
    return base.model_copy(update={"checks": {"secrets": conf}, "severity": {}, "allowlist": ()})


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(_policy(internal_domains=["intranet.example.ac.uk"]))


def found(checker: Checker, text: str, fmt: str = "plain") -> list[tuple[str, str]]:
    report = checker.check(text, format=fmt)
    assert_spans_exact(text, report.findings)
    return [(f.entity, f.excerpt) for f in report.findings if f.category == "secret"]


# Realistic values, assembled so this file itself does not look like it leaks credentials.
GHP = "ghp_" + "R8x2Lq0ZpT4mV7nK1cW9yB3hJ6dF5sA2eG0u"
SLACK = "xoxb-" + "2940153860-5512340987123-" + "Zq8TnR2xLmV4pK7cW1yB9hJd"
GOOGLE = "AIza" + "SyB3x9Lq0ZpT4mV7nK1cW9yB3hJ6dF5sA2e"
STRIPE = "sk_live_" + "51H8xQ2Lq0ZpT4mV7nK1cW9yB"
AWS_ID = "AKIA" + "QX4MZ7RL2VNBT6PW"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzq8Tn2LmVx"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvIn0"
    + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
PEM = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----"
TOKEN = "9fQ2xLm" + "T4vR8kN1pZ7cW3yB6hJ0dG5s"

TRUE = [
    ("PASSWORD", "the guest wifi password is Tr0ub4dor&3 this week", "Tr0ub4dor&3"),
    ("PASSWORD", "your new pw is hunter2024 - change it on login", "hunter2024"),
    ("PASSWORD", 'Password: "correct horse"', "correct horse"),
    ("AWS_ACCESS_KEY", f"deploy with {AWS_ID} tonight", AWS_ID),
    ("AWS_SECRET_KEY", f"aws_secret_access_key = {AWS_SECRET}", AWS_SECRET),
    ("GITHUB_TOKEN", f"use token {GHP} for the runner", GHP),
    ("SLACK_TOKEN", f"bot token {SLACK}", SLACK),
    ("SLACK_WEBHOOK", "post to https://hooks.slack.com/services/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",
     "https://hooks.slack.com/services/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"),
    ("GOOGLE_API_KEY", f"maps key {GOOGLE} in the app", GOOGLE),
    ("STRIPE_KEY", f"payments: {STRIPE}", STRIPE),
    ("JWT", f"Authorization: Bearer {JWT}", JWT),
    ("PRIVATE_KEY", f"here is the key\n{PEM}\nthanks", PEM),
    ("GENERIC_SECRET", f"api_key={TOKEN}", TOKEN),
    ("GENERIC_SECRET", f"the client secret is {TOKEN}", TOKEN),
    ("OTP_CODE", "Your verification code is 482913. It expires in 10 minutes", "482913"),
    ("OTP_CODE", "2FA code: 731 204", "731 204"),
    ("RESET_LINK", "Reset here: https://id.example.com/reset-password?token=f83kd93kdl2", 
     "https://id.example.com/reset-password?token=f83kd93kdl2"),
    # a reset link without its scheme is found as X would link it (parsed.urls)
    ("RESET_LINK", "Reset at id.example.com/reset-password?token=f83kd93kdl2, then log in",
     "id.example.com/reset-password?token=f83kd93kdl2"),
    ("INTERNAL_HOST", "notes at www.wiki.internal/ops (VPN only)", "www.wiki.internal/ops"),
    ("INTERNAL_HOST", "the build server build01.corp is down", "build01.corp"),
    ("INTERNAL_HOST", "see http://wiki.internal/ops/runbook", "http://wiki.internal/ops/runbook"),
    ("INTERNAL_HOST", "staff portal is hr.intranet.example.ac.uk", "hr.intranet.example.ac.uk"),
    ("PRIVATE_IP", "SSH to 10.20.4.17 as admin", "10.20.4.17"),
    ("PRIVATE_IP", "printer at 192.168.1.20", "192.168.1.20"),
    ("TICKET_REF", "as logged in INC0012345 yesterday", "INC0012345"),
]


@pytest.mark.parametrize(("entity", "text", "excerpt"), TRUE, ids=[f"{r[0]}-{i}" for i, r in enumerate(TRUE)])
def test_finds_secret(checker, entity, text, excerpt):
    assert (entity, excerpt) in found(checker, text)


NEAR_MISSES = [
    ("password talk without a password", "Forgot your password? Use the password manager"),
    ("a plain word after 'password is'", "the password is secure and the password is long"),
    ("AWS example prefix too short", "AKIA1234 is not a key"),
    ("GitHub prefix without a token", "ghp_ is the prefix GitHub uses"),
    ("Slack-ish words", "xoxb is a Slack prefix; xox-b-1 is not a token"),
    ("Google-ish prefix", "AIza is how Google keys start"),
    ("Stripe publishable key is public", "pk_live_51H8xQ2Lq0ZpT4mV7nK1cW9yB"),
    ("not a JWT", "eyJ is base64 for {\""),
    ("a public key block", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqh\n-----END PUBLIC KEY-----"),
    ("a long ordinary word", "Pneumonoultramicroscopicsilicovolcanoconiosis is a word"),
    ("a hex commit hash", "fixed in 3f786850e387550fdab836ed7e6dc881de23001b"),
    ("a UUID", "event id 123e4567-e89b-12d3-a456-426614174000"),
    ("a year next to 'code'", "The 2024 code of conduct"),
    ("a promo code is not an OTP", "Use code SAVE20 at checkout"),
    ("a zip code is not an OTP", "my zip code is 35350"),
    ("a module code is not an OTP", "module code 5012 starts in week 3"),
    ("an ordinary link", "Read more at https://www.example.com/news/2024/open-day"),
    ("a public host", "visit www.leeds.ac.uk or example.com"),
    ("a public IP", "Google DNS is 8.8.8.8"),
    ("a documentation IP", "e.g. 192.0.2.10 in the docs"),
    ("loopback", "served on 127.0.0.1:8000"),
    ("ticket-ish words", "INC is short for incorporated; INC123 is too short"),
    ("an email on a corporate-looking domain", "write to jo@acme.com"),
]


@pytest.mark.parametrize(("why", "text"), NEAR_MISSES, ids=[r[0] for r in NEAR_MISSES])
def test_near_misses(checker, why, text):
    assert found(checker, text) == []


def test_link_targets_in_markup_are_checked(checker):
    md = "Handy: [reset it here](https://id.example.com/reset-password?token=f83kd93kdl2) or [wiki](http://wiki.corp/x)"
    hits = found(checker, md, "markdown")
    assert ("RESET_LINK", "https://id.example.com/reset-password?token=f83kd93kdl2") in hits
    assert ("INTERNAL_HOST", "http://wiki.corp/x") in hits
    html = '<p>See <a href="https://hr.intranet.example.ac.uk/pay">payroll</a></p>'
    assert found(checker, html, "html") == [("INTERNAL_HOST", "https://hr.intranet.example.ac.uk/pay")]


def test_severities_block_by_default_and_come_from_the_policy(checker):
    report = checker.check(f"token {GHP} and INC0012345")
    assert {f.entity: f.severity for f in report.findings} == {
        "GITHUB_TOKEN": Severity.BLOCK,
        "TICKET_REF": Severity.WARNING,
    }
    strict = Checker(_policy(severity={"TICKET_REF": "block"}))
    assert strict.check("see INC0012345").verdict == "block"


def test_ticket_pattern_from_policy():
    checker = Checker(_policy(ticket_pattern=r"\bHD-\d{5}\b"))
    assert found(checker, "see HD-12345, not INC0012345") == [("TICKET_REF", "HD-12345")]


@pytest.mark.parametrize(
    "text",
    [
        f"Our new wifi password is Tr0ub4dor&3, code 482913, token {GHP}",
        "Logs on 10.0.0.5 and build01.corp, ticket INC0012345",
        f"Bearer {JWT}\n{PEM}",
    ],
)
def test_redaction_round_trip(checker, text):
    report = checker.check(text)
    assert report.findings and all(f.suggestion for f in report.findings)
    redacted = report.apply_suggestions(text)
    for f in report.findings:
        assert f.excerpt not in redacted
    assert found(checker, redacted) == []


def test_otp_redaction_masks_digits(checker):
    report = checker.check("Your verification code is 482913")
    assert report.apply_suggestions("Your verification code is 482913") == "Your verification code is ••••••"


def test_entropy():
    assert shannon_entropy("aaaa") == 0
    assert shannon_entropy(TOKEN) > 4


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"colour": 1}, "unknown setting"),
        ({"severity": {"NOPE": "block"}}, "severity"),
        ({"severity": {"JWT": "loud"}}, "severity.JWT"),
        ({"ticket_pattern": "("}, "ticket_pattern"),
        ({"internal_domains": "corp"}, "internal_domains"),
        ({"rules": ["JWT", "MAGIC"]}, "rules"),
    ],
)
def test_bad_config_is_a_policy_error(config, message):
    with pytest.raises(PolicyError, match=message):
        SecretsCheck(config, load_policy())


def _resolved_by_comparing_all(hits):
    """_resolve as it was when every kept hit was compared: the reference."""
    from postguard.checks.secrets import _PRIORITY

    order = sorted(set(hits), key=lambda h: (_PRIORITY.get(h[0], 2), -(h[2] - h[1]), h[0], h[1], h[3:]))
    kept = []
    for h in order:
        if not any(h[1] < k[2] and k[1] < h[2] for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: (h[1], h[2]))


def test_overlaps_resolved_as_comparing_every_kept_hit():
    """Random hits, empty and nested ones included: the same hits kept as the all-pairs reference."""
    import random

    from postguard.checks.secrets import _resolve

    rng = random.Random(11)
    entities = ["PASSWORD", "PRIVATE_IP", "GENERIC_SECRET", "PRIVATE_KEY", "API_TOKEN"]
    for _ in range(500):
        hits = []
        for _ in range(rng.randint(1, 15)):
            start = rng.randint(0, 50)
            hits.append((rng.choice(entities), start, start + rng.choice([0, 1, 3, 8, 20]), ""))
        assert _resolve(hits) == _resolved_by_comparing_all(hits)


def test_a_post_of_many_addresses_is_checked_in_linear_time(checker):
    """50,000 characters of private IP addresses take about four times as long as 12,500, not sixteen."""
    import time

    def seconds(n):
        text = ("10.0.0.1 " * (n // 9 + 1))[:n]
        best = float("inf")
        for _ in range(2):
            t = time.perf_counter()
            report = checker.check(text)
            best = min(best, time.perf_counter() - t)
        assert len(report.findings) > n // 10
        return best

    # 0.10 -> 0.44 s for the check alone; 0.2 -> 5.1 s when every kept span was compared.
    assert seconds(50_000) / seconds(12_500) < 9
