"""``entity``: a personal-data entity near a context (a PERSON near "grade" or "diagnosis").

Entities come from the shared spaCy Doc (``parsed.doc.ents``, read only when the context is
present) and from a few built-in detectors, so a rule never depends on which checks ran before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from postguard.checks.policy.kinds.phrase import PhraseSet, phrase_pattern
from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields
from postguard.errors import one_of

FIELDS = {
    "entities": "entity types flagged, e.g. [PERSON] (required)",
    "context": "words or phrases that must be near the entity",
    "context_entities": "entity types that must be near instead (e.g. TICKET near PERSON)",
    "window": "how near, in characters (default 80)",
    "ticket_pattern": "RE2 pattern for the TICKET entity (default: INC/REQ/CHG/RITM + digits)",
}
PLACEHOLDERS = ("entity",)
IGNORECASE = True

SPACY_LABELS = (
    "CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP",
    "ORDINAL", "ORG", "PERCENT", "PERSON", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART",
)
_DETECTORS: dict[str, re.Pattern[str]] = {
    "EMAIL_ADDRESS": re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "PHONE_NUMBER": re.compile(r"(?<![\w+])(?:\+\d{1,3}[ -]?)?(?:\(0?\d{2,5}\)|0?\d{2,5})[ -]?\d{3,4}[ -]?\d{3,4}(?!\w)"),
    "IP_ADDRESS": re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])"),
    # A title before a capitalised name catches what a small NER model misses ("Mrs Okafor").
    "PERSON": re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+[A-Z]\w*(?:[-'][A-Z]\w*)*(?:\s+[A-Z]\w*(?:[-'][A-Z]\w*)*)?"),
}
_NOT_A_NAME = re.compile(r"[@#/\\]|://|\d")
DEFAULT_TICKET = r"\b(?:INC|REQ|CHG|RITM|PRB|TASK)[-#]?\d{5,10}\b"
BUILTIN = tuple(sorted(set(_DETECTORS) | {"TICKET"}))


class EntityMatcher:
    def __init__(
        self, wanted: set[str], context: PhraseSet | None, near: set[str], window: int, ticket: Any
    ) -> None:
        self.wanted = wanted
        self.context = context
        self.near = near
        self.window = window
        self.ticket = ticket

    def _entities(self, target: Target, labels: set[str]) -> list[tuple[str, int, int]]:
        """``(label, start, end)`` in original offsets."""
        parsed = target.parsed
        found: list[tuple[str, int, int]] = []
        for label in labels:
            key = ("entity", label, self.ticket.pattern if label == "TICKET" else None)
            if key not in target.memo:
                spans: list[tuple[str, int, int]] = []
                detector = self.ticket if label == "TICKET" else _DETECTORS.get(label)
                if detector is not None:
                    spans += [(label, *parsed.span(*m.span())) for m in detector.finditer(parsed.text)]
                if label in SPACY_LABELS:
                    for ent in parsed.doc.ents:
                        # A small model calls handles and links names on social text; they are not.
                        if ent.label_ == label and not _NOT_A_NAME.search(ent.text):
                            end = ent.end_char - 2 if ent.text.endswith(("'s", "\u2019s")) else ent.end_char
                            spans.append((label, *parsed.span(ent.start_char, end)))
                target.memo[key] = _dedupe(spans)
            found += target.memo[key]
        return found

    def find(self, target: Target) -> Iterator[RuleHit]:
        # Cheapest evidence first: context words, then the flagged entities, then nearby ones,
        # so the Doc is only read when a rule could still fire.
        parsed = target.parsed
        anchors: list[tuple[int, int]] = []
        if self.context is not None:
            anchors = [parsed.span(*m.span()) for m in self.context.finditer(parsed.text)]
            if not anchors:
                return
        found = self._entities(target, self.wanted)
        if not found:
            return
        if self.near:
            anchors += [(s, e) for _, s, e in self._entities(target, self.near)]
        for label, s, e in found:
            if any(_gap(s, e, a, b) <= self.window and not (a == s and b == e) for a, b in anchors):
                yield RuleHit(s, e, original=True, values={"entity": label})


def _gap(s: int, e: int, a: int, b: int) -> int:
    return max(0, a - e, s - b)


def _dedupe(spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Drop spans inside a longer one of the same label."""
    spans = sorted(set(spans), key=lambda t: (t[1], -(t[2] - t[1])))
    out: list[tuple[str, int, int]] = []
    for label, s, e in spans:
        if out and out[-1][1] <= s and e <= out[-1][2]:
            continue
        out.append((label, s, e))
    return out


def build(f: Fields) -> EntityMatcher:
    allowed = set(SPACY_LABELS) | set(BUILTIN)
    wanted = f.texts("entities", required=True)
    near = f.texts("context_entities")
    for key, names in (("entities", wanted), ("context_entities", near)):
        for name in names:
            if name not in allowed:
                raise f.error(key, f"entity {one_of(name, allowed)}")
    context_words = f.texts("context")
    if not context_words and not near:
        raise f.error("entities", "an entity rule needs 'context' (words) or 'context_entities'")
    context = phrase_pattern(context_words, ignorecase=f.flag("ignorecase", IGNORECASE)) if context_words else None
    ticket = f.re2("ticket_pattern", f.text("ticket_pattern", DEFAULT_TICKET) or DEFAULT_TICKET)
    window = f.integer("window", 80) or 0
    return EntityMatcher(set(wanted), context, set(near), window, ticket)
