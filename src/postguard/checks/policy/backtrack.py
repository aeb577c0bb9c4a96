"""Patterns only a backtracking engine runs, under a time budget: a policy's explicit choice.

RE2 stays the default. A policy may let Vale rules that RE2 cannot run, even with lookarounds
translated (``lookaround``), run with the ``regex`` module (backtracking, lookarounds anywhere,
backreferences) for at most ``backtrack_ms`` per post and rule; past it the rule gives nothing
for that post. The engine checks the clock as it goes, so a run may overshoot the budget: 50 ms
asked stopped ``(a|aa)+$`` over 61 characters after about 0.15 s here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class BacktrackRegex:
    """A compiled backtracking pattern with the parts of RE2's interface the rule kinds read."""

    def __init__(self, pattern: str, *, ignorecase: bool, budget_ms: float) -> None:
        import regex

        self.regex = regex.compile(pattern, regex.V0 | (regex.IGNORECASE if ignorecase else 0))
        self.pattern = pattern
        self.groups = self.regex.groups
        self.budget = budget_ms / 1000
        #: Posts on which the budget ran out (the rule gave nothing for them).
        self.timeouts = 0

    def finditer(self, text: str) -> Iterator[Any]:
        try:
            found = list(self.regex.finditer(text, timeout=self.budget))
        except TimeoutError:
            self.timeouts += 1
            found = []
        return iter(found)

    def search(self, text: str) -> Any:
        return next(self.finditer(text), None)

    def fullmatch(self, text: str) -> Any:
        try:
            return self.regex.fullmatch(text, timeout=self.budget)
        except TimeoutError:
            self.timeouts += 1
            return None
