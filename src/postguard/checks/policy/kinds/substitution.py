"""``substitution``: a wrong form and the preferred one, offered as the suggestion."""

from __future__ import annotations

from collections.abc import Iterator

from postguard.checks.policy.kinds.phrase import phrase_pattern
from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.segments import SEGMENTS, segments
from postguard.checks.policy.spec import Fields

FIELDS = {
    "swap": "mapping of wrong form -> preferred form",
    "preferred": "the one preferred form (with 'variants')",
    "variants": "wrong forms replaced by 'preferred'",
    "regex": "true: 'swap' keys are RE2 patterns (as in Vale); default false (literal phrases)",
    "segment": "with regex: line or sentence, match within each one (default: the whole text)",
}
PLACEHOLDERS: tuple[str, ...] = ()
IGNORECASE = True


def _key(s: str) -> str:
    return " ".join(s.split()).casefold()


def _match_case(found: str, replacement: str) -> str:
    """Capitalise the replacement when the author capitalised the word it replaces."""
    if found[:1].isupper() and replacement[:1].islower() and not found.isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class LiteralSwap:
    def __init__(self, swap: dict[str, str], ignorecase: bool) -> None:
        self.regex = phrase_pattern(swap, ignorecase=ignorecase)
        self.swap = {_key(k) if ignorecase else " ".join(k.split()): v for k, v in swap.items()}
        self.ignorecase = ignorecase

    def find(self, target: Target) -> Iterator[RuleHit]:
        for m in self.regex.finditer(target.text):
            found = m.group()
            key = _key(found) if self.ignorecase else " ".join(found.split())
            replacement = self.swap.get(key)
            if replacement is None or replacement == found:
                continue
            yield RuleHit(m.start(), m.end(), suggestion=_match_case(found, replacement) if self.ignorecase else replacement)


class PatternSwap:
    def __init__(self, pairs: list[tuple[object, str]], segment: str | None = None) -> None:
        self.pairs = pairs
        self.segment = segment

    def find(self, target: Target) -> Iterator[RuleHit]:
        text = target.text
        parts = segments(text, self.segment) if self.segment else [(0, len(text))]
        for a, b in parts:
            piece = text[a:b] if self.segment else text
            for regex, replacement in self.pairs:
                for m in regex.finditer(piece):  # type: ignore[attr-defined]
                    if m.group() != replacement and m.end() > m.start():
                        yield RuleHit(a + m.start(), a + m.end(), suggestion=replacement)


def build(f: Fields) -> LiteralSwap | PatternSwap:
    swap = {str(k): str(v) for k, v in f.mapping("swap").items()}
    preferred = f.text("preferred")
    variants = f.texts("variants")
    if preferred is not None:
        swap.update({v: preferred for v in variants if v.strip()})
    elif variants:
        raise f.error("variants", "'variants' needs 'preferred'")
    if not swap and "swap" not in f and "preferred" not in f:
        raise f.error("kind", "a substitution rule needs 'swap' (wrong: preferred) or 'preferred' and 'variants'")
    ignorecase = f.flag("ignorecase", IGNORECASE)
    if f.flag("regex", False):
        segment = f.choice("segment", SEGMENTS, "") if "segment" in f else None
        return PatternSwap([(f.re2("swap", k, ignorecase=ignorecase), v) for k, v in swap.items()], segment)
    return LiteralSwap(swap, ignorecase)
