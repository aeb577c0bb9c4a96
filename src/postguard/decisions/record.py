"""Decision: one check's outcome, with the findings' rule ids and never the post's text."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from postguard.report import Report

Outcome = Literal["edited", "posted_anyway", "cancelled", "posted_clean"]
OUTCOMES: tuple[str, ...] = ("edited", "posted_anyway", "cancelled", "posted_clean")
#: Outcomes of a post that was held (the author saw a warning before it went out).
HELD: tuple[str, ...] = ("edited", "posted_anyway", "cancelled")
#: Longest reason kept, in characters; longer reasons are cut (a reason is a choice, not a draft).
REASON_MAX = 200


class DecisionRule(BaseModel):
    """One rule that fired on the check, and whether the author acted on it."""

    model_config = ConfigDict(frozen=True)

    rule_id: str = Field(max_length=128)
    category: str = Field(max_length=32)
    severity: str = Field(max_length=16)
    #: For ``edited``: the finding went away before posting.
    acted: bool = False


class Decision(BaseModel):
    """What the author did after a check; every field is safe to keep."""

    model_config = ConfigDict(frozen=True)

    check_id: str = Field(min_length=1, max_length=64)
    outcome: Outcome
    platform: str = Field(default="generic", max_length=32)
    policy: str = Field(default="default", max_length=64)
    verdict: Literal["pass", "warn", "block"] = "pass"
    rules: tuple[DecisionRule, ...] = ()
    reason: str | None = None
    #: A pseudonymous key for who decided (a keyed hash), never a name.
    user_key: str = Field(default="", max_length=64)
    #: Unix seconds (UTC).
    at: int = Field(default_factory=lambda: int(time.time()))

    @field_validator("reason")
    @classmethod
    def _short_reason(cls, reason: str | None) -> str | None:
        if reason is None:
            return None
        reason = " ".join(reason.split())[:REASON_MAX]
        return reason or None

    @classmethod
    def from_findings(
        cls,
        findings: Iterable[tuple[str, str, str]],
        *,
        rule_ids: Iterable[str] | None = None,
        **fields: object,
    ) -> Decision:
        """A decision over ``(rule_id, category, severity)`` triples; ``rule_ids``: those acted on.

        For ``edited`` without ``rule_ids`` every rule counts as acted on.
        """
        acted = None if rule_ids is None else set(rule_ids)
        outcome = fields.get("outcome")
        seen: dict[str, DecisionRule] = {}
        for rule_id, category, severity in findings:
            if rule_id not in seen:  # one row per rule, however often it fired in the post
                on = outcome == "edited" and (acted is None or rule_id in acted)
                seen[rule_id] = DecisionRule(rule_id=rule_id, category=category, severity=severity, acted=on)
        return cls(rules=tuple(seen.values()), **fields)  # type: ignore[arg-type]

    @classmethod
    def from_report(
        cls,
        report: Report,
        outcome: Outcome,
        check_id: str,
        *,
        reason: str | None = None,
        rule_ids: Iterable[str] | None = None,
        user_key: str = "",
    ) -> Decision:
        """The decision for a Report checked in this process (publishing tools)."""
        return cls.from_findings(
            ((f.rule_id, f.category, f.severity.value) for f in report.findings),
            rule_ids=rule_ids,
            check_id=check_id,
            outcome=outcome,
            platform=report.platform,
            policy=report.policy,
            verdict=report.verdict,
            reason=reason,
            user_key=user_key,
        )
