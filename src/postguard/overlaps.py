"""Findings that overlap: duplicates of one concept merged, the rest grouped for display.

Two findings are duplicates when they name the same ``entity`` (a rule's ``entity:`` says which
built-in concept it repeats, e.g. PASSWORD) over nearly the same words: the shorter span lies at
least half inside the longer. Two policy rules (two style guides, say) offering the same fix for
exactly the same words are duplicates too. Anything else that overlaps is kept and shown as one
group: anger and negativity over one sentence stay two findings, whatever their fixes.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from postguard.findings import Finding, Severity

# Built-in detectors know their subject better than a general policy rule matching the same words.
_CATEGORY_RANK = {"secret": 6, "pii": 5, "profanity": 4, "toxicity": 3, "tone": 2, "policy": 1, "platform": 0}


class Group(BaseModel):
    """Findings whose spans overlap: one highlight over ``start..end``, several reasons."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(description="Start of the union of the findings' spans (original text).")
    end: int = Field(description="End of the union of the findings' spans (exclusive).")
    severity: Severity = Field(description="The highest severity among the findings.")
    findings: tuple[str, ...] = Field(description="Ids of the findings, most severe first.")


def priority(f: Finding) -> tuple[int, int, int]:
    """Which duplicate speaks for the merged one: severity, then detector, then the narrower span."""
    return (f.severity.rank, _CATEGORY_RANK.get(f.category, 0), -(f.end - f.start))


def is_duplicate(a: Finding, b: Finding) -> bool:
    """One entity over nearly the same words, one rule twice at one span, or one policy fix twice."""
    if a.rule_id == b.rule_id:
        return (a.start, a.end) == (b.start, b.end)
    if a.category == b.category == "policy" and a.suggestion is not None and _same_fix(a, b):
        return True
    if a.entity is None or a.entity != b.entity:
        return False
    shorter = min(a.end - a.start, b.end - b.start)
    overlap = min(a.end, b.end) - max(a.start, b.start)
    if shorter == 0:
        return (a.start, a.end) == (b.start, b.end)
    return overlap * 2 >= shorter


def _same_fix(a: Finding, b: Finding) -> bool:
    return (a.start, a.end, a.suggestion) == (b.start, b.end, b.suggestion)


def merge_duplicates(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per concept and place; the one kept lists the other rules in ``also_found_by``."""
    out: list[Finding] = []
    # Only findings of one entity (or one rule) can be duplicates: compare within those, so a long
    # post with many findings stays linear in practice.
    same_rule: dict[tuple[str, int, int], int] = {}
    same_entity: dict[str, SpanIndex] = {}
    same_fix: dict[tuple[int, int, str], int] = {}
    for f in sorted(findings, key=priority, reverse=True):
        match = same_rule.get((f.rule_id, f.start, f.end))
        if match is None and f.category == "policy" and f.suggestion is not None:
            match = same_fix.get((f.start, f.end, f.suggestion))
        if match is None and f.entity is not None:
            near = same_entity[f.entity].near(f.start, f.end) if f.entity in same_entity else ()
            match = next((i for i in near if is_duplicate(out[i], f)), None)
        if match is None:
            same_rule[(f.rule_id, f.start, f.end)] = len(out)
            if f.category == "policy" and f.suggestion is not None:
                same_fix.setdefault((f.start, f.end, f.suggestion), len(out))
            if f.entity is not None:
                same_entity.setdefault(f.entity, SpanIndex()).add(f.start, f.end, len(out))
            out.append(f)
            continue
        kept = out[match]
        others = (*kept.also_found_by, f.rule_id, *f.also_found_by)
        also = tuple(dict.fromkeys(r for r in others if r != kept.rule_id))
        update: dict[str, object] = {"also_found_by": also}
        if kept.link is None and f.link is not None:
            update["link"] = f.link  # the organisation's policy clause stays one click away
        out[match] = kept.model_copy(update=update)
    return out


class SpanIndex:
    """Spans by start, each with a number, to find those that may overlap a span or share its point."""

    def __init__(self) -> None:
        self.starts: list[tuple[int, int]] = []  # (start, number)
        self.longest = 0

    def add(self, start: int, end: int, number: int) -> None:
        bisect.insort(self.starts, (start, number))
        self.longest = max(self.longest, end - start)

    def near(self, start: int, end: int) -> list[int]:
        """Numbers, in order, of the spans starting between ``start - longest`` and ``end``."""
        # Any span overlapping ``start..end`` starts there, so a long post compares each span with
        # its neighbours only (5,000 IP addresses in one post: 7.6 s when every one was compared,
        # 0.05 s).
        lo = bisect.bisect_left(self.starts, (start - self.longest,))
        hi = bisect.bisect_right(self.starts, (end, math.inf))
        return sorted(n for _, n in self.starts[lo:hi])


def group(findings: Sequence[Finding]) -> list[Group]:
    """Findings in runs of overlapping spans, in text order (an empty span joins a span it falls inside)."""
    groups: list[list[Finding]] = []
    end = -1
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        last = groups[-1] if groups else None
        if last is not None and (f.start < end or (f.start == f.end == last[-1].start == last[-1].end)):
            last.append(f)
            end = max(end, f.end)
        else:
            groups.append([f])
            end = f.end
    out = []
    for members in groups:
        members.sort(key=lambda f: (-f.severity.rank, f.start, f.end, f.rule_id))
        out.append(
            Group(
                start=min(f.start for f in members),
                end=max(f.end for f in members),
                severity=members[0].severity,
                findings=tuple(f.id for f in members),
            )
        )
    return out
