"""Where spaCy's entity recogniser runs: around the sentences that could name someone or somewhere.

The recogniser is most of the shared parse (on the 11 KB blog post of ``benchmarks/speed.py``, 91 of
its 95 ms of CPU), yet most sentences give it nothing to find. It runs on the sentences with a
reason, with eight tokens of context either side, overlapping windows merged, all windows of a
batch in one ``pipe``; the other tokens are outside any entity. When the checks read only PERSON,
GPE, LOC and FAC (the pii check, the shipped rule packs), the reason is the learned gate
(``ner_gate``); when any asks for another label (an ``entity`` rule for ORG, a check that does not
say), it is the broad one: a capitalised word past the first, a first word that is no common
English word or is a given name or a place, a lower-case word that is a given name (and no common
word) or a place. Measured on the PII sets (micro-F1 synth / BTC / WNUT-17,
``benchmarks/pii_quality.py``) and on 1,000 tweeteval_offensive validation tweets
(``benchmarks/ner_gate.py``: tweets and tokens sent; recall of the recogniser's own
PERSON/GPE/LOC/FAC on the whole text, all / name-like; the parse's CPU per tweet, batched, same
run), beside the recogniser on every token:

    every token                          0.882 / 0.681 / 0.645   100.0 / 100.0 %  100.0 / 100.0 %  0.72 ms
    the broad reason                     0.882 / 0.681 / 0.642    77.6 /  80.4 %   94.7 /  98.3 %  0.64 ms
    refined rules (no stop word or       0.882 / 0.681 / 0.641    71.0 /  71.1 %   92.8 /  96.6 %  0.57 ms
      all-caps common word alone)
    the learned gate (shipped)           0.882 / 0.681 / 0.647    62.3 /  63.8 %   91.6 /  98.3 %  0.48 ms
    none (the name CRF and lists alone)  0.862 / 0.616 / 0.596       0 /     0 %

Earlier, for the broad reason: each sentence alone, no margin, 0.877 / 0.683 / 0.631.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from postguard.ner_gate import LABELS, sentences

if TYPE_CHECKING:
    from spacy.pipeline import EntityRecognizer
    from spacy.tokens import Doc

#: tokens of context given to the recogniser either side of a sentence with a reason
MARGIN = 8
#: the labels the learned gate (``ner_gate``) is trained for; asking for any other takes the broad reason
GATED = frozenset(LABELS)


def windows(doc: "Doc", labels: Collection[str] | None = None) -> list[tuple[int, int]]:
    """Token ranges of ``doc`` the recogniser reads, in order, not overlapping: around the sentences
    that could hold an entity of ``labels`` (None: any label spaCy knows)."""
    if labels is not None and GATED.issuperset(labels):
        from postguard.ner_gate import load_gate

        reason = load_gate().sends
    else:
        reason = _reason
    out: list[tuple[int, int]] = []
    for start, end in sentences(doc):
        if reason(doc, start, end):
            a, b = max(0, start - MARGIN), min(len(doc), end + MARGIN)
            if out and out[-1][1] >= a:
                a = out.pop()[0]
            out.append((a, b))
    return out


def _reason(doc: "Doc", start: int, end: int) -> bool:
    """The broad reason: a capitalised word past the first, an uncommon or name-like first word, a
    lower-case given name or place."""
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


def recognise(
    docs: Sequence["Doc"],
    ner: "EntityRecognizer",
    batch_size: int = 64,
    labels: Collection[str] | None = None,
) -> None:
    """Set the entities of ``docs`` (made without the recogniser) from their windows for ``labels``."""
    from spacy.tokens import Span

    jobs = [(doc, a, b) for doc in docs for a, b in windows(doc, labels)]
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
