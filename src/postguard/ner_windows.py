"""Where spaCy's entity recogniser runs: around the sentences that could name someone or somewhere.

The recogniser is most of the shared parse (on the 11 KB blog post of ``benchmarks/speed.py``, 91 of
its 95 ms of CPU), yet most sentences give it nothing to find. It runs on the sentences with a
reason — a capitalised word past the first, a first word that is no common English word or is a
given name or a place, a lower-case word that is a given name (and no common word) or a place —
with eight tokens of context either side, overlapping windows merged, all windows of a batch in
one ``pipe``; the other tokens are outside any entity. Measured on the PII sets (micro-F1 synth /
BTC / WNUT-17, ``benchmarks/pii_quality.py``) and the parse's CPU (tweeteval tweets batched / the
blog post), beside the recogniser on every token:

    every token                          0.882 / 0.681 / 0.645    0.89 / 91 ms
    these windows                        0.882 / 0.681 / 0.642    0.81 / 39 ms
    sentences alone, no margin           0.877 / 0.683 / 0.631    0.72 / 18 ms
    none (the name CRF and lists alone)  0.862 / 0.616 / 0.596    0.06 / 3 ms
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.pipeline import EntityRecognizer
    from spacy.tokens import Doc

#: tokens of context given to the recogniser either side of a sentence with a reason
MARGIN = 8
_END = frozenset(".!?…")


def windows(doc: "Doc") -> list[tuple[int, int]]:
    """Token ranges of ``doc`` the recogniser reads, in order, not overlapping."""
    out: list[tuple[int, int]] = []
    start = 0
    for t in doc:
        if t.text in _END or "\n" in t.text or t.i == len(doc) - 1:
            end = t.i + 1
            if _reason(doc, start, end):
                a, b = max(0, start - MARGIN), min(len(doc), end + MARGIN)
                if out and out[-1][1] >= a:
                    a = out.pop()[0]
                out.append((a, b))
            start = end
    return out


def _reason(doc: "Doc", start: int, end: int) -> bool:
    from postguard.checks.pii.lists import common_words, name_lists, place_names

    first, common, places = name_lists()[0], common_words(), place_names()
    initial = True
    for t in doc[start:end]:
        w = t.text
        if not w[:1].isalpha():
            continue
        if w.islower():
            if (w.title() in first and w not in common) or w in places:
                return True
        elif w[:1].isupper():
            lower = w.lower()
            if not initial or lower not in common or w.title() in first or lower in places:
                return True
        initial = False
    return False


def recognise(docs: Sequence["Doc"], ner: "EntityRecognizer", batch_size: int = 64) -> None:
    """Set the entities of ``docs`` (made without the recogniser) from their windows."""
    from spacy.tokens import Span

    jobs = [(doc, a, b) for doc in docs for a, b in windows(doc)]
    whole = {id(doc) for doc, a, b in jobs if a == 0 and b == len(doc)}
    found: dict[int, list[Span]] = {}
    # a Doc read whole goes to the recogniser itself, which sets its entities; a window, as a copy
    pieces = ner.pipe((doc if id(doc) in whole else doc[a:b].as_doc() for doc, a, b in jobs), batch_size=batch_size)
    for (doc, a, _), piece in zip(jobs, pieces):
        if id(doc) not in whole:
            found.setdefault(id(doc), []).extend(Span(doc, a + e.start, a + e.end, label=e.label) for e in piece.ents)
    for doc in docs:
        if id(doc) not in whole:
            doc.set_ents(found.get(id(doc), []), default="outside")
