"""Request and response bodies of the REST API (the Report itself is the library's model)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from postguard.platforms import platform_names
from postguard.post import PostMetadata
from postguard.report import Report

Platform = Literal[tuple(platform_names())]  # type: ignore[valid-type]
Offsets = Literal["python", "utf16"]
POLICY_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"


class CheckRequest(BaseModel):
    """One draft to check."""

    # extra="forbid": a misspelt field ("platfrom") is a 422 that names it, not silently ignored
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "Call me on 07700 900123, the launch is Friday!", "platform": "x"}]},
    )

    text: str = Field(description="The draft exactly as the author wrote it.")
    format: Literal["plain", "markdown", "html"] = "plain"
    platform: Platform = Field(default="generic", description="Where the post is going.")  # type: ignore[valid-type]
    policy: str | None = Field(
        default=None, pattern=POLICY_NAME, description="A policy name from GET /v1/policies; the default when omitted."
    )
    metadata: PostMetadata | None = None
    offsets: Offsets | None = Field(
        default=None,
        description="'utf16' gives start/end in UTF-16 code units (JavaScript string indices); "
        "default 'python' (code points).",
    )

    @field_validator("text")
    @classmethod
    def _encodable(cls, text: str) -> str:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"text has an unpaired surrogate at index {exc.start}") from None
        return text


class BatchRequest(BaseModel):
    """Several drafts, checked as one batch."""

    model_config = ConfigDict(extra="forbid")

    items: list[CheckRequest] = Field(description="At most 100 by default (the service's max_batch_items).")


class CheckResponse(Report):
    """The Report, with the id a decision about this check refers to."""

    check_id: str | None = Field(
        default=None,
        description="Send it back with POST /v1/decisions; absent when the decision log is off. "
        "It carries the findings' rule ids, never text.",
    )


class BatchResponse(BaseModel):
    reports: list[CheckResponse] = Field(description="One report per item, in order.")


class DecisionRequest(BaseModel):
    """What the author did after a check."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"check_id": "eyJpIjoi...", "outcome": "posted_anyway", "reason": "Public address"}]},
    )

    check_id: str = Field(min_length=1, max_length=8192, description="From the check's response.")
    outcome: Literal["edited", "posted_anyway", "cancelled", "posted_clean"]
    reason: str | None = Field(
        default=None, max_length=2000, description="Why the post went out anyway; stored, cut to 200 characters."
    )
    rule_ids: list[Annotated[str, Field(max_length=128)]] | None = Field(
        default=None, max_length=200, description="For 'edited': the rules whose findings went away (all when omitted).",
    )


class DecisionResponse(BaseModel):
    recorded: bool = Field(description="False when this check already had a decision (a retried send).")


class PostAnyway(BaseModel):
    allowed_on_block: bool
    require_reason: bool
    reasons: list[str]


class PolicyInfo(BaseModel):
    name: str
    description: str
    post_anyway: PostAnyway


class PoliciesResponse(BaseModel):
    policies: list[PolicyInfo]
    default: str = Field(description="The policy used when a request names none.")


class RuleInfo(BaseModel):
    id: str = Field(description="The rule_id its findings carry, e.g. 'policy.social.embargo'.")
    kind: str | None = None
    category: str | None = None
    severity: str | None = None
    description: str | None = None
    pack: str | None = None
    link: str | None = None
    platforms: list[str] = Field(default_factory=list, description="Empty: every platform.")


class RulesResponse(BaseModel):
    policy: str
    rules: list[RuleInfo]


class PlatformInfo(BaseModel):
    name: str
    label: str
    limit: int | None = Field(description="Length limit as the platform counts it; null when none.")
    aliases: list[str]


class PlatformsResponse(BaseModel):
    platforms: list[PlatformInfo]


class Health(BaseModel):
    status: Literal["ok", "loading", "failed"]
    version: str
    checks: list[str] = Field(default_factory=list, description="Checks the default policy runs.")
    message: str | None = None
