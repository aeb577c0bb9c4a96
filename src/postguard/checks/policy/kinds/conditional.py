"""``conditional``: if ``first`` matches, ``second`` must match too.

"sponsored" needs "#ad"; an acronym needs its expansion. When both patterns have a capture
group, the groups must agree: ``first`` captures the acronym, ``second`` the acronym it
expands, and only acronyms never expanded are flagged (as Vale's ``conditional``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields

FIELDS = {
    "first": "RE2 pattern that creates the obligation (flagged when unmet)",
    "second": "RE2 pattern that must also match somewhere in the post",
    "exceptions": "values of first's group (or matches) that need nothing",
}
PLACEHOLDERS: tuple[str, ...] = ()
IGNORECASE = False


class ConditionalMatcher:
    def __init__(self, first: Any, second: Any, exceptions: set[str]) -> None:
        self.first = first
        self.second = second
        self.exceptions = exceptions
        self.by_group = first.groups >= 1 and second.groups >= 1

    def find(self, target: Target) -> Iterator[RuleHit]:
        text = target.text
        firsts = [m for m in self.first.finditer(text) if m.end() > m.start()]
        if not firsts:
            return
        if not self.by_group:
            if self.second.search(text) is None:
                for m in firsts:
                    if m.group() not in self.exceptions:
                        yield RuleHit(m.start(), m.end())
            return
        met = {m.group(1) for m in self.second.finditer(text)}
        for m in firsts:
            key = m.group(1)
            if key is not None and key not in met and key not in self.exceptions:
                yield RuleHit(*m.span(1))


def build(f: Fields) -> ConditionalMatcher:
    ignorecase = f.flag("ignorecase", IGNORECASE)
    first = f.re2("first", f.text("first", required=True) or "", ignorecase=ignorecase)
    second = f.re2("second", f.text("second", required=True) or "", ignorecase=ignorecase)
    return ConditionalMatcher(first, second, set(f.texts("exceptions")))
