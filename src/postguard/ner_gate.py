"""The learned gate: which sentences could hold a PERSON, GPE, LOC or FAC for spaCy's recogniser.

A logistic regression over hashed features of each token and its neighbours (the word, its shape,
its suffix, whether it is a given name, surname, place, common word or stop word, and the words
either side), trained by ``scripts/train_ner_gate.py`` with the recogniser on the whole text as the
teacher. A sentence goes to the recogniser when one of its tokens scores at least the threshold,
chosen for recall on held-out tweets. The model is linear in its features, so each word's share of
a score is cached: a token costs three dictionary look-ups and two additions.
"""

from __future__ import annotations

import functools
import json
import re
import zlib
from collections.abc import Iterator
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

MODEL_FILE = "ner_gate.npz"
CARD_FILE = "ner_gate.json"
#: the recogniser's labels the gate is taught (what the pii check and the shipped rule packs read)
LABELS = ("PERSON", "GPE", "LOC", "FAC")
_NOT_A_NAME = re.compile(r"[@#/\\]|://|\d")


def name_like(text: str) -> bool:
    """Whether an entity could be someone's name or a place: a letter, and no handle, hashtag,
    digit or link (the recogniser calls "@user @user" a PERSON; no check keeps it). The gate is
    taught these only."""
    return any(c.isalpha() for c in text) and not _NOT_A_NAME.search(text)


def shape(word: str) -> str:
    """A coarse class of how ``word`` is written."""
    first = word[:1]
    if first in "@#":
        return first
    if "://" in word or word.startswith("www."):
        return "url"
    if first.isdigit():
        return "d"
    if not first.isalpha():
        return "p"
    if word.islower():
        return "x"
    if word.isupper():
        return "X" if len(word) > 1 else "X1"
    return "Xx" if first.isupper() else "xX"


def word_features(word: str, lists: tuple) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Features of ``word``: its own, its own at a sentence start, its own past it, and those it gives
    the token after it and the token before it."""
    first_names, surnames, places, common, stop = lists
    s = shape(word)
    core = word.lstrip("@#")
    lower = core.lower()
    title = core.title()
    flags = "".join(
        c if hit else "-"
        for c, hit in (
            ("f", title in first_names),
            ("s", title in surnames),
            ("p", lower in places),
            ("c", lower in common),
            ("w", lower in stop),
        )
    )
    own = ["b", "w=" + lower, "s=" + s, "k=" + s + flags, "x3=" + s + lower[-3:]]
    own += [s + c for c in flags if c != "-"]
    start = ["i" + s, "ik=" + s + flags]
    later = ["m" + s, "mk=" + s + flags]
    before = ["p=" + lower, "ps=" + s]  # what this word tells the token after it
    after = ["n=" + lower, "ns=" + s]  # and the token before it
    return own, start, later, before, after


def bucket(feature: str, bits: int) -> int:
    """The hashed index of ``feature`` (crc32: the same in every process and Python version)."""
    return zlib.crc32(feature.encode("utf-8")) & ((1 << bits) - 1)


def sentences(doc: "Doc") -> Iterator[tuple[int, int]]:
    """Token ranges of ``doc``'s sentences: up to each end mark or line break."""
    start = 0
    n = len(doc)
    for t in doc:
        w = t.text
        if w in _END or "\n" in w or t.i == n - 1:
            yield start, t.i + 1
            start = t.i + 1


_END = frozenset(".!?…")


def word_lists() -> tuple:
    """The lists the features read: given names, surnames, places, common words, stop words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from postguard.checks.pii.lists import common_words, name_lists, place_names

    first, last = name_lists()
    return first, last, place_names(), common_words(), STOP_WORDS


def token_features(doc: "Doc", start: int, end: int, lists: tuple) -> list[list[str]]:
    """Each token's features in ``doc[start:end]``: what ``NerGate.scores`` adds up (for training)."""
    out = []
    initial = True
    n = len(doc)
    for i in range(start, end):
        w = doc[i].text
        own, at_start, later, _, _ = word_features(w, lists)
        f = own + (at_start if initial else later)
        if initial and w[:1].isalpha():
            initial = False
        if i > 0:
            f += word_features(doc[i - 1].text, lists)[3]
        if i + 1 < n:
            f += word_features(doc[i + 1].text, lists)[4]
        out.append(f)
    return out


class NerGate:
    """Scores tokens; ``sends`` says whether a sentence goes to the recogniser."""

    def __init__(self, weights, bits: int, threshold: float) -> None:
        # (a numpy array's own tolist: 2 ms, against 40 ms one float at a time)
        self.weights = weights.tolist() if hasattr(weights, "tolist") else [float(w) for w in weights]
        self.bits = bits
        #: the logit a token must reach for its sentence to go
        self.threshold = threshold
        self.lists = word_lists()
        # each word's share of a score, cleared when full (a dict look-up is about a third of an
        # lru_cache call, and these run for every token; 16,384 words hold about 4 MB)
        self._words: dict[str, tuple[float, float, float, float]] = {}

    def _sum(self, features: list[str]) -> float:
        w, bits = self.weights, self.bits
        return sum(w[bucket(f, bits)] for f in features)

    def _word(self, word: str) -> tuple[float, float, float, float]:
        own, start, later, before, after = word_features(word, self.lists)
        base = self._sum(own)
        if len(self._words) >= _CACHED:
            self._words.clear()
        out = (base + self._sum(start), base + self._sum(later), self._sum(before), self._sum(after))
        self._words[word] = out
        return out

    def scores(self, doc: "Doc", start: int, end: int) -> Iterator[float]:
        """The logit of each token of ``doc[start:end]`` being inside one of the gated entities."""
        lo, hi = max(0, start - 1), min(len(doc), end + 1)
        texts = [t.text for t in doc[lo:hi]]
        words = self._words
        initial = True
        for i in range(start - lo, end - lo):
            w = texts[i]
            mine = words.get(w) or self._word(w)
            s = mine[0] if initial else mine[1]
            if initial and w[:1].isalpha():
                initial = False
            if i > 0:
                s += (words.get(texts[i - 1]) or self._word(texts[i - 1]))[2]
            if i + 1 < len(texts):
                s += (words.get(texts[i + 1]) or self._word(texts[i + 1]))[3]
            yield s

    def sends(self, doc: "Doc", start: int, end: int) -> bool:
        """Whether ``doc[start:end]`` could hold a gated entity."""
        threshold = self.threshold
        return any(s >= threshold for s in self.scores(doc, start, end))


_CACHED = 16384


@functools.lru_cache(maxsize=1)
def load_gate() -> NerGate:
    """The shipped gate, loaded once."""
    import numpy as np

    folder = resources.files("postguard.models")
    card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
    with (folder / MODEL_FILE).open("rb") as fh:
        weights = np.load(fh)["weights"]
    return NerGate(weights, card["bits"], card["threshold"])
