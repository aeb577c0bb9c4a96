"""The profanity check: ``profanity.mild`` (info), ``profanity.strong`` (warning), ``profanity.slur`` (block)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from postguard.checks.base import BaseCheck, Output
from postguard.checks.profanity.lexicon import default_lexicon
from postguard.checks.profanity.matcher import Match, ProfanityMatcher, default_matcher, mask
from postguard.errors import PolicyError, one_of

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost
    from postguard.policy import Policy

_MESSAGES = {
    "mild": "Mild profanity ({word}): fine among friends, out of place on an official account.",
    "strong": "Strong profanity ({word}): most audiences will find this offensive.",
    "slur": "A slur ({word}): it demeans a group of people and must not be posted.",
}
_DISGUISED = " Disguising it does not hide it, and reads as deliberate."
SUGGEST = ("milder", "mask", "none")


def profanity_in(parsed: "ParsedPost") -> list[Match]:
    """The shipped list's matches in ``parsed.text`` (the ``parsed.profanity`` view, made once)."""
    return parsed.profanity


class ProfanityCheck(BaseCheck):
    """``profanity.mild`` (info), ``profanity.strong`` (warning), ``profanity.slur`` (block)."""

    name = "profanity"
    needs_doc = False
    category = "profanity"

    def __init__(self, config: Mapping[str, Any], policy: "Policy") -> None:
        super().__init__(config, policy)
        lexicon = default_lexicon()
        self.suggest = config.get("suggest", "milder")
        if self.suggest not in SUGGEST:
            raise PolicyError(f"checks.profanity.suggest {one_of(self.suggest, SUGGEST)}")
        settings = {k: v for k, v in config.items() if k != "suggest"}
        self.matcher = ProfanityMatcher(lexicon.with_config(settings)) if settings else default_matcher()

    def run(self, parsed: "ParsedPost") -> Iterable[Output]:
        # The shipped list's matches are a view other checks share; a configured list is the check's own.
        matches = (
            parsed.profanity if self.matcher is default_matcher() else self.matcher.find(parsed.text, parsed.urls)
        )
        for m in matches:
            excerpt = parsed.text[m.start : m.end]
            ostart, oend = parsed.span(m.start, m.end)
            disguised = m.disguised or parsed.original[ostart:oend] != excerpt
            yield parsed.finding(
                m.start,
                m.end,
                rule_id=f"profanity.{m.grade}",
                category="profanity",
                severity=m.severity,
                message=_MESSAGES[m.grade].format(word=mask(m.word)) + (_DISGUISED if disguised else ""),
                suggestion=self.matcher.suggestion(m, excerpt, self.suggest),
                score=0.9 if disguised else 1.0,
            )
