"""``occurrence``: a count limit (at most 3 hashtags, at most 5 mentions, ...)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from postguard.checks.policy.kinds.phrase import phrase_pattern
from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields

FIELDS = {
    "token": "an RE2 pattern for what is counted",
    "phrases": "literal words or phrases counted instead of 'token'",
    "max": "how many are allowed (required); every one after that is flagged",
    "scope": "text (default) or sentence: where the count starts again",
}
PLACEHOLDERS = ("count", "max")
IGNORECASE = False
_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)|\n\s*\n")


class OccurrenceMatcher:
    def __init__(self, regex: Any, limit: int, per_sentence: bool) -> None:
        self.regex = regex
        self.limit = limit
        self.per_sentence = per_sentence

    def find(self, target: Target) -> Iterator[RuleHit]:
        text = target.text
        spans = [m.span() for m in self.regex.finditer(text) if m.end() > m.start()]
        if len(spans) <= self.limit:
            return
        groups = [spans]
        if self.per_sentence:
            ends = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text) + 1]
            groups, i = [[] for _ in ends], 0
            for s, e in spans:
                while s >= ends[i]:
                    i += 1
                groups[i].append((s, e))
        for group in groups:
            if len(group) > self.limit:
                values = {"count": len(group), "max": self.limit}
                for s, e in group[self.limit :]:
                    yield RuleHit(s, e, values=values)


def build(f: Fields) -> OccurrenceMatcher:
    limit = f.integer("max")
    if limit is None:
        raise f.error("kind", "an occurrence rule needs 'max' (how many are allowed)")
    ignorecase = f.flag("ignorecase", IGNORECASE)
    if "token" in f:
        regex: Any = f.re2("token", f.text("token") or "", ignorecase=ignorecase)
    elif "phrases" in f:
        regex = phrase_pattern(f.texts("phrases"), ignorecase=ignorecase)
    else:
        raise f.error("kind", "an occurrence rule needs 'token' (an RE2 pattern) or 'phrases'")
    per_sentence = f.choice("scope", ("sentence", "text"), "text") == "sentence"
    return OccurrenceMatcher(regex, limit, per_sentence)
