"""Hit, one detection before it becomes a Finding, and the clean-up of hits: trimming, handles, overlaps."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Hit:
    """One detection in ``parsed.text`` offsets before it becomes a Finding."""

    entity: str
    start: int
    end: int
    score: float
    rule: str = ""  # sub-type for org ID patterns (e.g. STUDENT_ID)
    label: str = ""  # what the finding calls it, where the context says ("student ID")


def trim(text: str, h: Hit) -> Hit:
    start, end = h.start, h.end
    while start < end and not text[start].isalnum() and text[start] not in "+(":
        start += 1
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ").":
        end -= 1
    if end > start and text[end - 1] == "." and h.entity not in ("STREET_ADDRESS",):
        end -= 1
    if (start, end) == (h.start, h.end):
        return h
    return replace(h, start=start, end=end)


def in_handle(text: str, h: Hit) -> bool:
    """@handles are public identifiers (policy rules deal with mentions), never PII."""
    if h.entity in ("EMAIL_ADDRESS",):
        return False
    i = h.start
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    marks = "@" if h.entity == "LOCATION" else "@#"
    return i > 0 and text[i - 1] in marks and (i < 2 or not text[i - 2].isalnum())


def resolve(hits: list[Hit], priority: Mapping[str, float]) -> list[Hit]:
    """Keep the most specific, then longest, then most confident hit where spans overlap."""
    order = sorted(hits, key=lambda h: (priority.get(h.rule or h.entity, 5), -(h.end - h.start), -h.score))
    kept: list[Hit] = []
    # The kept spans never overlap, so ordered by (start, end) their ends are ordered too: the one
    # kept span that can overlap a hit is the first that ends after the hit starts. (Comparing each
    # hit with every kept one took 0.16 s of 25,000 characters of e-mail addresses.)
    starts: list[int] = []
    ends: list[int] = []
    for h in order:
        i = bisect.bisect_right(ends, h.start)
        if i < len(starts) and starts[i] < h.end:
            continue
        j = _insert_at(starts, ends, h)
        starts.insert(j, h.start)
        ends.insert(j, h.end)
        kept.append(h)
    return sorted((h for h in kept if h.entity != "URL"), key=lambda h: (h.start, h.end))


def _insert_at(starts: list[int], ends: list[int], h: Hit) -> int:
    """Where ``h`` goes among kept spans ordered by (start, end)."""
    j = bisect.bisect_right(starts, h.start)
    while j > 0 and starts[j - 1] == h.start and ends[j - 1] > h.end:
        j -= 1
    return j
