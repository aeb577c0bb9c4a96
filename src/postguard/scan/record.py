"""PublishedPost: one post read back from an archive or export, with where and when it appeared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from postguard.post import Post


@dataclass(frozen=True)
class PublishedPost:
    """A post as an export holds it; ``text`` is what is checked, and every offset points into it."""

    id: str  # stable across runs: the platform's own id, URI or GUID, else the file path (and row)
    text: str
    format: str  # plain, markdown or html
    platform: str  # a postguard platform name: x, mastodon, bluesky, wordpress, generic ...
    source: str  # the file it came from (``archive.zip!data/tweets.js`` for a member of a zip)
    date: datetime | None = None
    url: str | None = None
    status: str = "published"  # or draft, private, pending, unlisted, followers, direct ...
    title: str | None = None
    offset: int = 0  # where ``text`` starts in its source file (a Markdown file's front matter)

    def to_post(self) -> Post:
        """The draft the checker reads."""
        return Post(text=self.text, format=self.format, platform=self.platform)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, the date as ISO 8601."""
        out = dict(vars(self))  # every field, in order; each a str, int or date (asdict deep-copies: 11 µs)
        out["date"] = self.date.isoformat() if self.date else None
        return out
