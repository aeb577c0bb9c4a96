"""``repetition``: the same word twice in a row ("the the"), as Vale's ``repetition``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields

FIELDS = {
    "token": "RE2 pattern for one token (default: a run of non-spaces)",
    "alpha": "true: only tokens made of letters count",
    "max": "how many repeats are allowed before one is flagged (default 0)",
}
PLACEHOLDERS = ("word",)
IGNORECASE = True


class RepetitionMatcher:
    def __init__(self, regex: Any, alpha: bool, limit: int, ignorecase: bool) -> None:
        self.regex = regex
        self.alpha = alpha
        self.limit = limit
        self.ignorecase = ignorecase

    def find(self, target: Target) -> Iterator[RuleHit]:
        text = target.text
        prev, prev_start, count = "", -1, 0
        for m in self.regex.finditer(text):
            word = m.group().strip()
            same = word and (word.casefold() == prev.casefold() if self.ignorecase else word == prev)
            if same and (not self.alpha or word.isalpha()):
                count += 1
                # A repeat across a line break is two lines of a list or a verse, not a slip.
                if count > self.limit and "\n" not in text[prev_start : m.end()]:
                    yield RuleHit(prev_start, m.end(), values={"word": word})
                    count = 0
            else:
                count = 0
            prev, prev_start = word, m.start()


def build(f: Fields) -> RepetitionMatcher:
    ignorecase = f.flag("ignorecase", IGNORECASE)
    regex = f.re2("token", f.text("token") or r"[^\s]+", ignorecase=ignorecase)
    return RepetitionMatcher(regex, f.flag("alpha", False), f.integer("max", 0) or 0, ignorecase)
