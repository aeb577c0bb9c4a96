"""``capitalization``: a heading (or the whole text) in title, sentence, lower or upper case.

As Vale's ``capitalization``: ``match`` is ``$title``, ``$sentence``, ``$lower``, ``$upper`` or an
RE2 pattern the text must match whole; ``exceptions`` are words (or phrases) written as listed;
after a word ending in one of the ``indicators`` (such as ``:``) the next word may be capitalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields

FIELDS = {
    "match": "$title, $sentence, $lower, $upper or an RE2 pattern the text must match whole",
    "style": "title case style: AP (default) or Chicago",
    "exceptions": "words or phrases that keep their own case",
    "indicators": "characters that end a word after which a capital may follow (default ':')",
    "threshold": "the share of words that must follow the case (default 0.8, as Vale)",
    "prefix": "RE2 pattern removed from the start before checking (e.g. a numbering)",
}
PLACEHOLDERS: tuple[str, ...] = ()
IGNORECASE = False
# Short words AP and Chicago keep lower case inside a title.
_SMALL = {
    "a", "an", "and", "as", "at", "but", "by", "en", "for", "if", "in", "nor", "of", "on", "or",
    "per", "the", "to", "v", "v.", "vs", "vs.", "via", "from", "into", "with", "up", "out", "off",
}
_CHICAGO_EXTRA = {"about", "over", "under", "after", "before", "between", "through", "without"}
_WORD = re.compile(r"\S+")


def _letters(word: str) -> str:
    return "".join(ch for ch in word if ch.isalpha())


class CapitalizationMatcher:
    def __init__(self, mode: str, regex: object, exceptions: list[str], indicators: tuple[str, ...],
                 threshold: float, prefix: object, chicago: bool) -> None:
        self.mode = mode
        self.regex = regex
        self.exceptions = exceptions
        self.indicators = indicators
        self.threshold = threshold
        self.prefix = prefix
        self.small = _SMALL | (_CHICAGO_EXTRA if chicago else set())

    def find(self, target: Target) -> Iterator[RuleHit]:
        blocks = target.blocks["heading"]
        # Outside Markdown the whole text is the one block (a tweet has no headings).
        spans = blocks if target.parsed.post.format == "markdown" else [(0, len(target.parsed.original))]
        original = target.parsed.original
        for start, end in spans:
            text = original[start:end]
            if self.prefix is not None:
                m = self.prefix.match(text)  # type: ignore[attr-defined]
                if m:
                    text, start = text[m.end():], start + m.end()
            if text.strip() and not self.ok(text):
                yield RuleHit(start, start + len(text), original=True)

    def ok(self, text: str) -> bool:
        if self.mode == "$upper":
            return text == text.upper()
        if self.mode == "$lower":
            return text == text.lower()
        if self.mode not in ("$title", "$sentence"):
            return self.regex.fullmatch(text) is not None  # type: ignore[attr-defined]
        masked = text
        for phrase in self.exceptions:
            masked = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", lambda m: "\0" * len(m.group()), masked)
        words = [(m.group(), text[m.start():m.end()]) for m in _WORD.finditer(masked)]
        good = total = 0
        after_indicator = False
        for i, (masked_word, word) in enumerate(words):
            letters = _letters(word)
            if "\0" in masked_word or not letters:
                after_indicator = word.endswith(self.indicators)
                continue
            total += 1
            first = letters[0]
            acronym = len(letters) > 1 and letters.isupper()
            if self.mode == "$sentence":
                if i == 0 or after_indicator:
                    good += first.isupper() or acronym or (after_indicator and first.islower())
                else:
                    good += first.islower() or acronym or not first.isalpha()
            else:
                small = word.lower().strip(".,:;!?") in self.small and 0 < i < len(words) - 1
                good += (first.islower() if small else first.isupper()) or acronym
            after_indicator = word.endswith(self.indicators)
        return total == 0 or good / total >= self.threshold


def build(f: Fields) -> CapitalizationMatcher:
    mode = f.text("match") or "$title"
    regex = None
    if mode not in ("$title", "$sentence", "$lower", "$upper"):
        regex = f.re2("match", mode)
    prefix_text = f.text("prefix")
    prefix = f.re2("prefix", prefix_text) if prefix_text else None
    threshold = f.raw("threshold", 0.8)
    if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        raise f.error("threshold", f"'threshold' must be a number from 0 to 1, not {threshold!r}")
    style = f.choice("style", ("AP", "Chicago"), "AP")
    indicators = tuple(f.texts("indicators")) or (":",)
    return CapitalizationMatcher(mode, regex, f.texts("exceptions"), indicators, float(threshold), prefix, style == "Chicago")
