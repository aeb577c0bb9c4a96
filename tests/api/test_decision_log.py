"""Check ids: signed, read back to the check's rules, refused when altered, foreign or too old."""

from __future__ import annotations

import time

import pytest

from postguard.api.decision_log import MAX_AGE_S, CheckIds
from postguard.api.errors import ApiError
from postguard.findings import Finding, Severity
from postguard.report import Report

TEXT = "Mail jane@example.org now, idiot"
REPORT = Report(
    findings=(
        Finding(rule_id="pii.email", category="pii", severity=Severity.BLOCK, start=5, end=21, excerpt=TEXT[5:21],
                message="m", suggestion="[email]"),
        Finding(rule_id="pii.email", category="pii", severity=Severity.BLOCK, start=5, end=21, excerpt=TEXT[5:21],
                message="m"),
        Finding(rule_id="toxicity.insult", category="toxicity", severity=Severity.WARNING, start=27, end=32,
                excerpt=TEXT[27:32], message="m"),
    ),
    platform="mastodon", policy="default",
)


def test_a_check_id_reads_back_to_its_check():
    ids = CheckIds(b"s" * 32)
    token = ids.issue(REPORT)
    assert "jane" not in token and "idiot" not in token
    d = ids.read(token, "edited", rule_ids=["pii.email"], reason=None, user_key="u")
    assert (d.platform, d.policy, d.verdict, d.outcome) == ("mastodon", "default", "block", "edited")
    assert [(r.rule_id, r.category, r.severity, r.acted) for r in d.rules] == [
        ("pii.email", "pii", "block", True), ("toxicity.insult", "toxicity", "warning", False)
    ]
    assert len(d.check_id) == 16
    assert ids.issue(REPORT) != token  # every check its own id


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
    lambda t: "x" + t,
    lambda t: t.split(".")[0],
    lambda t: "é." + t.split(".")[1],
])
def test_altered_ids_are_refused(mangle):
    ids = CheckIds(b"s" * 32)
    with pytest.raises(ApiError) as exc:
        ids.read(mangle(ids.issue(REPORT)), "cancelled")
    assert (exc.value.status, exc.value.code) == (404, "unknown_check_id")


def test_another_services_or_old_ids_are_refused(monkeypatch):
    token = CheckIds(b"a" * 32).issue(REPORT)
    with pytest.raises(ApiError):
        CheckIds(b"b" * 32).read(token, "cancelled")
    ours = CheckIds(b"a" * 32)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + MAX_AGE_S + 5)
    with pytest.raises(ApiError) as exc:
        ours.read(token, "cancelled")
    assert "older than" in exc.value.message
