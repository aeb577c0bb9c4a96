"""Decision: rules once each, acted only for edited, reasons cut and tidied."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from postguard.decisions import Decision
from postguard.decisions.record import REASON_MAX
from postguard.findings import Finding, Severity
from postguard.report import Report

FINDINGS = [("pii.email", "pii", "block"), ("tone.anger", "tone", "warning"), ("pii.email", "pii", "block")]


@pytest.mark.parametrize(
    "outcome, rule_ids, acted",
    [
        ("edited", ["pii.email"], {"pii.email"}),
        ("edited", None, {"pii.email", "tone.anger"}),
        ("edited", [], set()),
        ("posted_anyway", ["pii.email"], set()),
        ("cancelled", None, set()),
    ],
)
def test_rules_are_kept_once_and_acted_only_when_edited_away(outcome, rule_ids, acted):
    d = Decision.from_findings(FINDINGS, rule_ids=rule_ids, check_id="c1", outcome=outcome)
    assert [r.rule_id for r in d.rules] == ["pii.email", "tone.anger"]
    assert {r.rule_id for r in d.rules if r.acted} == acted


def test_reason_is_tidied_and_cut():
    d = Decision(check_id="c", outcome="posted_anyway", reason="  public\n  address  " + "x" * 500)
    assert d.reason.startswith("public address ")
    assert len(d.reason) == REASON_MAX
    assert Decision(check_id="c", outcome="posted_anyway", reason="   ").reason is None


def test_unknown_outcome_is_refused():
    with pytest.raises(ValidationError):
        Decision(check_id="c", outcome="deleted")


def test_from_report_keeps_no_text():
    text = "Mail jane@example.org now"
    finding = Finding(
        rule_id="pii.email", category="pii", severity=Severity.BLOCK, start=5, end=21,
        excerpt=text[5:21], message="An email address", suggestion="[email]",
    )
    report = Report(findings=(finding,), policy="default", platform="x")
    d = Decision.from_report(report, "posted_anyway", "c9", reason="it is public")
    assert (d.platform, d.policy, d.verdict) == ("x", "default", "block")
    dumped = d.model_dump_json()
    assert "jane@example.org" not in dumped and "[email]" not in dumped


def test_public_names_are_pinned():
    import postguard.decisions as decisions

    assert decisions.__all__ == ["OUTCOMES", "Decision", "DecisionLog", "DecisionRule", "Outcome", "Stats"]
    assert all(hasattr(decisions, name) for name in decisions.__all__)
