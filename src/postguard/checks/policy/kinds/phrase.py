"""``phrase``: any of a list of words or phrases, word-boundary aware, on the normalised text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from postguard.checks.policy.spec import Fields, Hit, Target

FIELDS = {"phrases": "words or phrases to flag (required)"}
PLACEHOLDERS: tuple[str, ...] = ()
IGNORECASE = True


def phrase_pattern(phrases: Iterable[str], *, ignorecase: bool = True) -> re.Pattern[str]:
    """One alternation of literal phrases; a word edge needs a word boundary, spaces match any run.

    Literals escaped into a single alternation cannot backtrack catastrophically, so Python's
    ``re`` is used here for its Unicode-aware lookbehind.
    """
    alts = []
    for p in sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in p.split())
        left = r"(?<!\w)" if re.match(r"\w", p) else ""
        right = r"(?!\w)" if re.search(r"\w$", p) else ""
        alts.append(f"{left}{body}{right}")
    if not alts:
        return re.compile(r"(?!x)x")
    return re.compile("|".join(alts), re.IGNORECASE if ignorecase else 0)


class PhraseMatcher:
    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex

    def find(self, target: Target) -> Iterator[Hit]:
        for m in self.regex.finditer(target.text):
            yield Hit(m.start(), m.end())


def build(f: Fields) -> PhraseMatcher:
    phrases = f.texts("phrases", required=True)
    return PhraseMatcher(phrase_pattern(phrases, ignorecase=f.flag("ignorecase", IGNORECASE)))
