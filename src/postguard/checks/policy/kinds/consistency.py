"""``consistency``: one spelling per post ("colour" and "color" both used), as Vale's ``consistency``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields

FIELDS = {"either": "mapping of one form -> the other (RE2 patterns); a post should use only one"}
PLACEHOLDERS: tuple[str, ...] = ()
IGNORECASE = True


class ConsistencyMatcher:
    def __init__(self, pairs: list[tuple[Any, Any]]) -> None:
        self.pairs = pairs

    def find(self, target: Target) -> Iterator[RuleHit]:
        text = target.text
        for one, other in self.pairs:
            a = [m.span() for m in one.finditer(text) if m.end() > m.start()]
            if not a:
                continue
            b = [m.span() for m in other.finditer(text) if m.end() > m.start()]
            if not b:
                continue
            # The form used first sets the post's spelling; the other one is the inconsistency.
            for s, e in b if a[0] < b[0] else a:
                yield RuleHit(s, e)


def build(f: Fields) -> ConsistencyMatcher:
    either = f.mapping("either")
    if not either:
        raise f.error("kind", "a consistency rule needs 'either' (one form: the other form)")
    ignorecase = f.flag("ignorecase", IGNORECASE)
    return ConsistencyMatcher(
        [(f.re2("either", str(k), ignorecase=ignorecase), f.re2("either", str(v), ignorecase=ignorecase)) for k, v in either.items()]
    )
