"""Post: what the author wrote, untouched, plus where it is going."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Format = Literal["plain", "markdown", "html"]
FORMATS: tuple[str, ...] = ("plain", "markdown", "html")


class PostMetadata(BaseModel):
    """Optional facts about the post that some rules use."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    account: str | None = Field(default=None, description="The account or author posting it.")
    scheduled_at: datetime | None = Field(
        default=None, description="When the post will be published, if scheduled."
    )

    @field_validator("scheduled_at", mode="before")
    @classmethod
    def _not_a_number(cls, value: object) -> object:
        # pydantic would read a number as Unix time; the documented form is an ISO 8601 string
        if isinstance(value, (int, float)):
            raise ValueError("scheduled_at must be an ISO 8601 date-time string, not a number")
        return value


class Post(BaseModel):
    """The author's draft exactly as given; postguard never changes it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    format: Format = "plain"
    platform: str = "generic"
    metadata: PostMetadata = Field(default_factory=PostMetadata)
