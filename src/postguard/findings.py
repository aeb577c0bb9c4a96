"""Finding and its vocabulary: categories and severities."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

Category = Literal["pii", "secret", "profanity", "toxicity", "tone", "policy", "platform"]
CATEGORIES: tuple[str, ...] = ("pii", "secret", "profanity", "toxicity", "tone", "policy", "platform")


class Severity(str, Enum):
    """How much a finding matters; ordered ``info < warning < block``."""

    INFO = "info"
    WARNING = "warning"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:  # pragma: no branch - total order over 3 values
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.BLOCK: 2}


class Finding(BaseModel):
    """One thing in a draft that could hurt the author, the people in it or the organisation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str = Field(description="What fired, e.g. 'pii.email', 'policy.social.embargo'.")
    category: Category = Field(description="The family the rule belongs to.")
    severity: Severity = Field(description="info < warning < block.")
    start: Annotated[int, Field(ge=0)] = Field(description="Start offset into the ORIGINAL text.")
    end: Annotated[int, Field(ge=0)] = Field(description="End offset (exclusive) into the ORIGINAL text.")
    excerpt: str = Field(description="Exactly text[start:end].")
    message: str = Field(description="Why this matters, for the author.")
    suggestion: str | None = Field(default=None, description="Replacement text for the span.")
    link: str | None = Field(default=None, description="Where the policy or rule is explained.")
    score: float | None = Field(default=None, ge=0.0, le=1.0, description="Confidence, 0..1.")
    entity: str | None = Field(
        default=None, description="For PII and secrets: the type, e.g. EMAIL_ADDRESS, UK_NINO."
    )
    also_found_by: tuple[str, ...] = Field(
        default=(), description="Other rules that found the same thing here, merged into this finding."
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_computed_id(cls, data: Any) -> Any:
        # ``id`` is derived; accept it back from JSON so reports round-trip.
        if isinstance(data, dict) and "id" in data:
            data = {k: v for k, v in data.items() if k != "id"}
        return data

    @model_validator(mode="after")
    def _span_is_ordered(self) -> "Finding":
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        if len(self.excerpt) != self.end - self.start:
            raise ValueError("excerpt length does not match the span")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        """Stable handle for choosing which suggestions to apply."""
        return f"{self.rule_id}@{self.start}-{self.end}"


class Score(BaseModel):
    """A named 0..1 score a check computed for the whole post (e.g. ``toxicity``)."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: float = Field(ge=0.0, le=1.0)
