"""``pattern``: regular expressions run with RE2, so no rule can backtrack catastrophically."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.segments import SEGMENTS, segments
from postguard.checks.policy.spec import Fields

FIELDS = {
    "pattern": "an RE2 regular expression",
    "patterns": "several RE2 regular expressions (any may match)",
    "group": "flag this capture group's span instead of the whole match (default 0)",
    "exceptions": "matches that are exactly one of these (RE2, whole match) are not flagged",
    "segment": "line or sentence: match within each one, not across (default: the whole text)",
}
PLACEHOLDERS: tuple[str, ...] = ()
IGNORECASE = False


class PatternMatcher:
    def __init__(self, regexes: list[Any], group: int, exceptions: Any = None, segment: str | None = None) -> None:
        self.regexes = regexes
        self.group = group
        self.exceptions = exceptions
        self.segment = segment

    def find(self, target: Target) -> Iterator[RuleHit]:
        text = target.text
        parts = segments(text, self.segment) if self.segment else [(0, len(text))]
        for a, b in parts:
            piece = text[a:b] if self.segment else text
            for regex in self.regexes:
                for m in regex.finditer(piece):
                    s, e = m.span(self.group)
                    if s >= 0 and e > s and not (self.exceptions and self.exceptions.fullmatch(piece[s:e])):
                        yield RuleHit(a + s, a + e)


def build(f: Fields) -> PatternMatcher:
    sources = f.texts("patterns") + ([f.text("pattern")] if "pattern" in f else [])
    if not sources:
        raise f.error("kind", "a pattern rule needs 'pattern' or 'patterns'")
    ignorecase = f.flag("ignorecase", IGNORECASE)
    key = "pattern" if "pattern" in f else "patterns"
    regexes = [f.re2(key, p, ignorecase=ignorecase) for p in sources]  # type: ignore[arg-type]
    group = f.integer("group", 0) or 0
    for r in regexes:
        if group > r.groups:
            raise f.error("group", f"group {group} does not exist; the pattern has {r.groups} group(s)")
    exceptions = f.texts("exceptions")
    except_re = f.re2("exceptions", "|".join(f"(?:{x})" for x in exceptions), ignorecase=ignorecase) if exceptions else None
    segment = f.choice("segment", SEGMENTS, "") if "segment" in f else None
    return PatternMatcher(regexes, group, except_re, segment)
