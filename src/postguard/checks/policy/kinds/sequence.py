"""``sequence``: a run of words by text and part-of-speech tag ("MD be VBN"), as Vale's ``sequence``.

Each of ``tokens`` is ``{pattern: RE2 on the word, tag: RE2 on its Penn Treebank tag, negate:
true, skip: n}``; a match is consecutive words (``skip`` lets up to n words come before that
one) within a sentence. Tags come from the shared spaCy parse, whose tagger runs only for a post
where every plain ``pattern`` of the rule occurs: most posts never need it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields

FIELDS = {"tokens": "the sequence: a list of {pattern, tag, negate, skip}"}
PLACEHOLDERS: tuple[str, ...] = ()
IGNORECASE = True
_END = {".", "!", "?"}


@dataclass(frozen=True)
class Step:
    pattern: Any  # compiled RE2, or None
    tag: Any
    negate: bool
    skip: int

    def accepts(self, text: str, tag: str) -> bool:
        ok = (self.pattern is None or self.pattern.fullmatch(text) is not None) and (
            self.tag is None or self.tag.fullmatch(tag) is not None
        )
        return ok != self.negate


class SequenceMatcher:
    def __init__(self, steps: list[Step], gates: list[Any]) -> None:
        self.steps = steps
        self.gates = gates

    def find(self, target: Target) -> Iterator[RuleHit]:
        text = target.text
        if any(g.search(text) is None for g in self.gates):
            return
        from postguard.nlp import lemmatize

        doc = lemmatize(target.parsed.doc)
        words = [(t.idx, t.idx + len(t.text), t.text, t.tag_) for t in doc if not t.is_space]
        i = 0
        while i < len(words):
            end = self._match(words, i, 0)
            if end is None:
                i += 1
                continue
            yield RuleHit(words[i][0], words[end][1])
            i = end + 1

    def _match(self, words: list[tuple[int, int, str, str]], i: int, k: int) -> int | None:
        """Index of the last word when steps[k:] match from word i, else None."""
        step = self.steps[k]
        for j in range(i, min(len(words), i + step.skip + 1)):
            if j > i and words[j - 1][2] in _END:
                return None
            if step.accepts(words[j][2], words[j][3]):
                if k + 1 == len(self.steps):
                    return j
                if words[j][2] in _END:
                    return None
                found = self._match(words, j + 1, k + 1)
                if found is not None:
                    return found
            if k == 0:
                break  # the first step anchors the match at word i
        return None


def build(f: Fields) -> SequenceMatcher:
    raw = f.raw("tokens")
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        raise f.error("tokens", "'tokens' must be a list of {pattern, tag, negate, skip}")
    ignorecase = f.flag("ignorecase", IGNORECASE)
    steps, gates = [], []
    for t in raw:
        unknown = set(t) - {"pattern", "tag", "negate", "skip"}
        if unknown:
            raise f.error("tokens", f"a sequence token has only pattern, tag, negate and skip, not {sorted(unknown)[0]!r}")
        pattern = f.re2("tokens", str(t["pattern"]), ignorecase=ignorecase) if t.get("pattern") else None
        tag = f.re2("tokens", str(t["tag"])) if t.get("tag") else None
        if pattern is None and tag is None:
            raise f.error("tokens", "a sequence token needs 'pattern' or 'tag'")
        negate = bool(t.get("negate", False))
        skip = t.get("skip", 0)
        if not isinstance(skip, int) or skip < 0:
            raise f.error("tokens", f"'skip' must be a whole number >= 0, not {skip!r}")
        steps.append(Step(pattern, tag, negate, skip))
        if pattern is not None and not negate:
            gates.append(f.re2("tokens", rf"\b(?:{t['pattern']})\b", ignorecase=ignorecase))
    return SequenceMatcher(steps, gates)
