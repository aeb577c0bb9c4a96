"""Which words make a post toxic: a per-word score, so a toxicity finding points at the words.

``scripts/train_models.py`` fits it on toxic_spans train (SemEval-2021 Task 5) and writes
``toxic_spans.npz``: a logistic regression over each word's share of toxic-span occurrences in
training (a lexicon), its frequency there, the toxicity head's own unigram and character n-gram
weights for it (so a word the lexicon never saw still scores), whether the profanity list matches
it, its lexicon value times that frequency, the same share for its stem (``stem``: "stupid",
"stupidly" and "stupidity" pool their counts), and its neighbours' lexicon values. The word's own
part is cached. (The post's toxicity as a feature learnt a negative weight, every training post
being toxic, and flagged calm posts.)

Which words a finding covers is a second, small regression over that score and the post's top word
score (``in_span``): how toxic a word must be to join the span depends on how toxic the post's
worst word is, so one strong insult is pointed at alone and a post of milder words gets more of them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import regex

from postguard.models import TextModel, load_text_model
from postguard.models.textmodel import shipped_arrays

SPANS_FILE = "toxic_spans.npz"
WORD = regex.compile(r"\w+(?:['’]\w+)*", regex.V1)
FEATURES = ("lexicon_logit", "log_count", "profane", "word_weight", "char_weight", "short", "lexicon_x_count",
            "stem_lexicon", "previous_lexicon", "next_lexicon")
WORD_FEATURES = 8  # the first eight belong to the word alone
# The lexicon value of the word before the first and after the last (none there).
EDGE = -5.0
# A crude suffix stripper, enough to pool a word's inflections; words of four letters or fewer are kept.
SUFFIX = regex.compile(r"(?:'s|s|es|ed|ing|ly|er|ers|ity|ness)$")
# The lexicon's smoothing: (in-span + PRIOR) / (seen + 1).
PRIOR = 0.1


def lexicon_logit(in_span: float, seen: float) -> float:
    rate = (in_span + PRIOR) / (seen + 1.0)
    return math.log(rate / (1.0 - rate + 1e-6) + 1e-6)


def stem(word: str) -> str:
    """``word`` (lower-cased) without its inflectional suffix, the key of the stem lexicon."""
    return SUFFIX.sub("", word) if len(word) > 4 else word


def context(lexicon_logits: np.ndarray) -> np.ndarray:
    """The last two features for a post's words: the lexicon values of the words either side."""
    n = len(lexicon_logits)
    # (filled in place, not with np.r_ and column_stack: 12.8 -> 2.4 µs a call, the same array)
    out = np.full((n, 2), EDGE, dtype=lexicon_logits.dtype)
    out[1:, 0] = lexicon_logits[:-1]
    out[:-1, 1] = lexicon_logits[1:]
    return out


def word_features(
    model: TextModel, word: str, lexicon: dict[str, tuple[float, float]], stems: dict[str, float], head: int
) -> list[float]:
    """The word-alone features of one lower-cased word, ``profane`` 0 (the caller sets it)."""
    logit, logn = lexicon.get(word, (lexicon_logit(0, 0), 0.0))
    fz = model.featurizer
    i = fz.words.get(word)
    w = float(model.w_word[i, head]) if i is not None else 0.0
    ids = list(fz._char_ids(word))
    c = 0.0
    if ids:
        v = fz.char_idf[ids].astype(np.float64)
        c = float(v @ model.w_char[ids, head].astype(np.float64) / np.linalg.norm(v))
    # lexicon x count: a share seen in many posts is worth more than one seen once (train out-of-fold
    # char-F1 0.608 -> 0.610 with it).
    # The stem's share: train out-of-fold char-F1 0.617 -> 0.623 with it.
    return [logit, logn, 0.0, w, c, float(len(word) <= 2), logit * logn, stems.get(stem(word), lexicon_logit(0, 0))]


@dataclass(frozen=True, eq=False)
class SpanModel:
    """Per-word toxicity: ``score(word, profane)`` is the probability the word is in a toxic span."""

    lexicon: dict[str, tuple[float, float]] = field(repr=False)
    stems: dict[str, float] = field(repr=False)  # a stem's lexicon value
    coef: np.ndarray
    intercept: float
    threshold: float  # a word at or above it is part of the span
    alone: float  # a word at or above it is a finding even when the post scores below threshold
    pick: np.ndarray  # in_span's weights: the word's score logit, the post's top one, the intercept
    model: TextModel = field(repr=False)

    @functools.cached_property
    def _head(self) -> int:
        return self.model.heads.index("toxicity")

    # 16,384 words: 0.888 hits on 20,000 tweets, 55 us a tweet in misses (49 at 65,536), 3.8 MB
    # (benchmarks/caches.py)
    @functools.lru_cache(maxsize=16_384)  # noqa: B019 - one model, loaded once
    def _base(self, word: str) -> tuple[float, float]:
        """The word-alone part of the logit, and the word's lexicon value (its neighbours read it)."""
        f = word_features(self.model, word, self.lexicon, self.stems, self._head)
        return float(np.dot(self.coef[:WORD_FEATURES], f)) + self.intercept, f[0]

    def post_score(self, word_score: float) -> float:
        """A word's score on the post scale: ``alone`` maps to 0.5 (the tuned operating point), 1 to 1."""
        return min(1.0, max(0.0, 1.0 - 0.5 * (1.0 - word_score) / (1.0 - self.alone)))

    def words(self, text: str, profane: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, float]]:
        """``(start, end, score)`` of every word in ``text``."""
        spans, z, lex = [], [], []
        for m in WORD.finditer(text):
            a, b = m.span()
            base, lg = self._base(m.group().lower().replace("’", "'"))
            if any(s < b and a < e for s, e in profane):
                base += self.coef[2]
            spans.append((a, b))
            z.append(base)
            lex.append(lg)
        if not spans:
            return []
        logits = np.asarray(z) + context(np.asarray(lex)) @ self.coef[WORD_FEATURES:]
        probs = 1.0 / (1.0 + np.exp(-logits))
        return [(a, b, float(q)) for (a, b), q in zip(spans, probs)]

    def in_span(self, words: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
        """``words`` (from ``words``) rescored in their post: the chance each is in the span, which
        ``threshold`` applies to."""
        if not words:
            return []
        z = logit(np.array([s for _, _, s in words]))
        probs = 1.0 / (1.0 + np.exp(-(self.pick[0] * z + self.pick[1] * z.max() + self.pick[2])))
        return [(a, b, float(q)) for (a, b, _), q in zip(words, probs)]


def logit(p: np.ndarray) -> np.ndarray:
    """Word scores back on the logit scale (clipped: a score of 0 or 1 would be infinite)."""
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def phrases(text: str, words: Sequence[tuple[int, int, float]], threshold: float) -> list[tuple[int, int, float]]:
    """Runs of words at or above ``threshold`` joined across spaces (``fucking idiots``), with
    their top score; none above it: the top word alone."""
    picked = [w for w in words if w[2] >= threshold] or ([max(words, key=lambda w: w[2])] if words else [])
    out: list[tuple[int, int, float]] = []
    for a, b, s in picked:
        if out and not text[out[-1][1] : a].strip():
            out[-1] = (out[-1][0], b, max(out[-1][2], s))
        else:
            out.append((a, b, s))
    return out


@functools.lru_cache(maxsize=1)
def load_span_model() -> SpanModel:
    """The per-word model shipped inside the package (loaded once, offline)."""
    arrays = shipped_arrays(SPANS_FILE, "span model")
    words = bytes(arrays["words"]).decode("utf-8").split("\n")
    lex = arrays["lexicon"].astype(np.float64)
    stems = bytes(arrays["stems"]).decode("utf-8").split("\n")
    return SpanModel(
        lexicon={w: (float(a), float(b)) for w, (a, b) in zip(words, lex)},
        stems=dict(zip(stems, arrays["stem_lexicon"].astype(np.float64).tolist())),
        coef=arrays["coef"].astype(np.float64),
        intercept=float(arrays["intercept"]),
        threshold=float(arrays["threshold"]),
        alone=float(arrays["alone"]),
        pick=arrays["pick"].astype(np.float64),
        model=load_text_model(),
    )
