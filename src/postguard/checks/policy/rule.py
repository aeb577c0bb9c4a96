"""Run time: a compiled ``Rule``, the ``Target`` post it runs over, and the ``RuleHit`` a kind finds."""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from postguard.checks.policy.spec import Example, LineDict
from postguard.findings import Finding, Severity

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost


class RuleHit(NamedTuple):
    """A match found by a kind: a span of ``parsed.text`` (or of the original when ``original``)."""

    start: int
    end: int
    original: bool = False
    suggestion: str | None = None
    values: Mapping[str, Any] | None = None  # extra message placeholders, e.g. {count}


class Target:
    """One post as rules see it, with derived data made once and shared by every rule."""

    __slots__ = ("parsed", "now", "memo", "_urls", "_blocks")

    def __init__(self, parsed: "ParsedPost", now: datetime | None = None) -> None:
        self.parsed = parsed
        self.now = now
        #: Work shared between rules of the same kind for this post (e.g. entity spans).
        self.memo: dict[Any, Any] = {}
        self._urls: list[tuple[str, int, int, bool]] | None = None
        self._blocks: dict[str, list[tuple[int, int]]] | None = None

    @property
    def text(self) -> str:
        return self.parsed.text

    @property
    def blocks(self) -> dict[str, list[tuple[int, int]]]:
        """Markdown headings, list items, code and paragraphs, as original spans (none for plain text)."""
        if self._blocks is None:
            from postguard.checks.policy.blocks import SCOPES, markdown_blocks

            post = self.parsed.post
            self._blocks = markdown_blocks(post.text) if post.format == "markdown" else {s: [] for s in SCOPES}
        return self._blocks

    def clock(self) -> datetime:
        return self.now or datetime.now(timezone.utc)

    @property
    def urls(self) -> list[tuple[str, int, int, bool]]:
        """``(url, start, end, original)`` for URLs in the prose and link targets in markup."""
        if self._urls is None:
            text = self.parsed.text
            found = [(text[s:e], s, e, False) for s, e in self.parsed.urls]
            found += [(link.url, link.start, link.end, True) for link in self.parsed.links]
            self._urls = found
        return self._urls


class Matcher(Protocol):
    """What a kind builds from a rule's fields: finds hits in one post."""

    def find(self, target: Target) -> Iterable[RuleHit]: ...


# ---------------------------------------------------------------------------------------------
# A compiled rule


@dataclass
class Rule:
    """A loaded, compiled rule: ``find`` turns a post into findings."""

    id: str
    kind: str
    severity: Severity
    message: str
    matcher: Matcher
    source: str
    line: int = 1
    description: str = ""
    link: str | None = None
    suggest: str | None = None
    entity: str | None = None
    platforms: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    data: LineDict | None = field(default=None, repr=False)
    pack: str = ""
    within: tuple[str, ...] = ()

    @property
    def rule_id(self) -> str:
        return f"policy.{self.id}"

    def applies_to(self, platform: str) -> bool:
        return not self.platforms or platform in self.platforms

    def find(self, target: Target) -> Iterator[Finding]:
        parsed = target.parsed
        if not self.applies_to(parsed.post.platform):
            return
        original = parsed.original
        for hit in self.matcher.find(target):
            start, end = (hit.start, hit.end) if hit.original else parsed.span(hit.start, hit.end)
            if self.within and not self._inside(target, start, end):
                continue
            excerpt = original[start:end]
            suggestion = hit.suggestion if hit.suggestion is not None else self.suggest
            values = {"match": excerpt, "suggest": suggestion or "", **(hit.values or {})}
            yield Finding(
                rule_id=self.rule_id,
                category="policy",
                severity=self.severity,
                start=start,
                end=end,
                excerpt=excerpt,
                message=_Formatter().vformat(self.message, (), values),
                suggestion=suggestion,
                link=self.link,
                entity=self.entity,
            )


    def _inside(self, target: Target, start: int, end: int) -> bool:
        from postguard.checks.policy.blocks import inside

        blocks = target.blocks
        return any(inside(blocks[scope], start, end) for scope in self.within)


class _Formatter(string.Formatter):
    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        return kwargs.get(key, "{" + str(key) + "}")
