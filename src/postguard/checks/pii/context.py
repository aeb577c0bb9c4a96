"""Context words: presidio's lemma context enhancer, linear in the text and lemmatizing only near results.

presidio's ``LemmaContextAwareEnhancer`` wants the lemmas of the whole text, deep-copies every result,
finds each result's token by scanning from the first token and tests each lemma against a list of
every keyword: on an 11 KB post with a phone number in it, lemmatizing the post was 55 ms of the
check's 81, and 25,000 characters of e-mail addresses took 0.7 s in the enhancer alone. Here the
token is found by bisection, keywords are judged one lemma at a time, and lemmas are made for the
tokens the windows read, a chunk at a time, with enough neighbours for the tagger to see what it
sees in the whole text (its CNN reads four tokens either side). The boosts are presidio's own.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: tokens lemmatized at a time past the windows prepared, and the neighbours given on each side
_CHUNK = 64
_MARGIN = 16


class LazyLemmas:
    """The lemmas of ``doc``'s tokens, made on first use, a chunk of tokens at a time."""

    def __init__(self, doc: "Doc") -> None:
        self.doc = doc
        self.lemmas: list[str | None] = [None] * len(doc)
        self.keywords: dict[int, str | None] = {}

    def __len__(self) -> int:
        return len(self.lemmas)

    def __getitem__(self, i: int) -> str:
        lemma = self.lemmas[i]
        if lemma is None:
            start = i - i % _CHUNK
            self._fill([(start, min(start + _CHUNK, len(self.lemmas)))])
            lemma = self.lemmas[i]
        return lemma  # type: ignore[return-value]

    def prepare(self, around: Sequence[int], before: int, after: int) -> None:
        """Lemmatize in one batch the tokens the windows around ``around`` will most likely read
        (overlapping windows merged); any other token is lemmatized when read."""
        windows: list[list[int]] = []
        for i in sorted(around):
            a, b = max(0, i - before), min(len(self), i + after + 1)
            if windows and a <= windows[-1][1] + 2 * _MARGIN:
                windows[-1][1] = max(windows[-1][1], b)
            else:
                windows.append([a, b])
        self._fill([(a, b) for a, b in windows])

    def _fill(self, windows: Sequence[tuple[int, int]]) -> None:
        from postguard.nlp import lemmatize_windows

        for (a, b), lemmas in zip(windows, lemmatize_windows(self.doc, windows, _MARGIN)):
            self.lemmas[a:b] = lemmas


def context_enhancer(recognizers: Sequence[Any]):
    """presidio's lemma context enhancer over lazy lemmas, given only the results it can boost
    (NER results, most of them on social text, have no context words and pass untouched)."""
    from presidio_analyzer import RecognizerResult
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer, LemmaContextAwareEnhancer

    with_context = {r.id for r in recognizers if r.context}
    key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
    boosted = RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY

    class _Enhancer(LemmaContextAwareEnhancer):
        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
            boostable = [r for r in raw_results if (r.recognition_metadata or {}).get(key) in with_context]
            if not boostable:
                return raw_results
            rest = [r for r in raw_results if (r.recognition_metadata or {}).get(key) not in with_context]
            by_id = {r.id: r for r in recognizers}
            doc = nlp_artifacts.tokens
            ends = [t.idx + len(t) for t in doc]
            lemmas = LazyLemmas(doc)
            engine = nlp_artifacts.nlp_engine
            extra = [w.lower() for w in context or ()]
            # The results are this call's own (presidio deep-copies them only to leave the caller's
            # list alone), so they are boosted in place.
            indices = [bisect.bisect_right(ends, r.start) for r in boostable]
            # a window reads back past stop words and punctuation: about twice its keywords
            lemmas.prepare([i for i in indices if i < len(ends)], 2 * self.context_prefix_count + 4,
                           2 * self.context_suffix_count + 4)
            for result, index in zip(boostable, indices) if len(doc) else ():  # presidio: no tokens, no context
                recognizer = by_id.get(result.recognition_metadata[key])
                if recognizer is None or not recognizer.context or result.recognition_metadata.get(boosted):
                    continue
                # (index: presidio's token, the first one ending after the result's start)
                if index == len(ends):
                    raise ValueError(f"no token at {result.start}: the Doc is not of this text")
                words = set(self._window(index, self.context_prefix_count, -1, lemmas, engine))
                words.update(self._window(index, self.context_suffix_count, 1, lemmas, engine))
                word = self._find_supportive_word_in_context(
                    [*words, *extra], recognizer.context, self.context_matching_mode
                )
                if word:
                    result.score = min(max(result.score + self.context_similarity_factor,
                                           self.min_score_with_context_similarity), ContextAwareEnhancer.MAX_SCORE)
                    result.analysis_explanation.set_supportive_context_word(word)
                    result.analysis_explanation.set_improved_score(result.score)
            return rest + boostable

        @staticmethod
        def _window(index: int, n: int, step: int, lemmas: LazyLemmas, engine: Any) -> list[str]:
            """presidio's ``_add_n_words``: up to ``n + 1`` keyword lemmas from ``index`` on."""
            out: list[str] = []
            i, remaining = index, n + 1
            while 0 <= i < len(lemmas) and remaining > 0:
                keyword = lemmas.keywords.get(i, "")
                if keyword == "":
                    keyword = lemmas.keywords[i] = _keyword(lemmas[i], engine)
                if keyword is not None:
                    out.append(keyword)
                    remaining -= 1
                i += step
            return out

    return _Enhancer()


def _keyword(lemma: str, engine: Any) -> str | None:
    """The lower-cased lemma if presidio counts it as a keyword (``NlpArtifacts.set_keywords``):
    not a stop word, not punctuation, not "be"; one with a colon is split there, so never itself."""
    lower = lemma.lower()
    if (":" in lower or lemma in ("-PRON-", "be") or engine.is_stopword(lemma, "en")
            or engine.is_punct(lemma, "en")):
        return None
    return lower
