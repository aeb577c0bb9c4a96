"""Scores for posts and their sentences, computed once per post and shared by the toxicity and tone
checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import regex

from postguard.models.textmodel import TextModel

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost

_SENTENCE_END = regex.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, trimmed of surrounding spaces."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        end = m.start() if m else len(text)
        seg = text[pos:end]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            spans.append((pos + lead, pos + len(seg.rstrip())))
        if m:
            pos = m.end()
    return spans


def post_scores(model: TextModel, parsed: Sequence[ParsedPost]) -> list[dict[str, float]]:
    """Every head's score for each post, computed once per post for all checks, batch-vectorised."""
    todo = [p for p in parsed if not p.computed("scores")]
    if todo:
        probs = model.predict([p.text for p in todo])
        for i, p in enumerate(todo):
            p.scores = {h: float(v[i]) for h, v in probs.items()}
    return [p.scores for p in parsed]


def sentence_scores(model: TextModel, parsed: ParsedPost) -> list[tuple[int, int, dict[str, float]]]:
    """Each sentence of ``parsed.text`` with its scores (cached; a one-sentence post reuses its own)."""
    return score_sentences(model, [parsed])[0]


def score_sentences(
    model: TextModel, parsed: Sequence[ParsedPost]
) -> list[list[tuple[int, int, dict[str, float]]]]:
    """:func:`sentence_scores` for a batch: every uncached sentence goes through one model pass."""
    pending: list[tuple[ParsedPost, list[tuple[int, int]]]] = []
    for p in parsed:
        if p.computed("sentence_scores"):
            continue
        spans = sentences(p.text)
        if len(spans) <= 1:
            whole = post_scores(model, [p])[0]
            p.sentence_scores = [(a, b, whole) for a, b in spans]
        else:
            pending.append((p, spans))
    if pending:
        probs = model.predict([p.text[a:b] for p, spans in pending for a, b in spans])
        i = 0
        for p, spans in pending:
            rows = []
            for a, b in spans:
                rows.append((a, b, {h: float(v[i]) for h, v in probs.items()}))
                i += 1
            p.sentence_scores = rows
    return [p.sentence_scores for p in parsed]
