"""Names and places in social text: a CRF over the shared spaCy tokens, trained on real tweets.

spaCy's small model was trained on edited news text; on tweets it misses lower-case and one-word
names and calls hashtags, shouting and common words people. This tagger reads the same Doc (no
second parse) and adds what social text needs: word shape, spaCy's own entity, given-name,
surname, place and common-word gazetteers, and the neighbouring tokens. It is trained by
``scripts/train_pii_names.py`` on the training splits of the Broad Twitter Corpus and WNUT-17
(both CC BY 4.0: Derczynski et al. 2016; Derczynski et al. 2017) and ships as
``postguard/models/pii_names.crfsuite``.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

MODEL = "pii_names.crfsuite"
LABELS = {"PER": "PERSON", "LOC": "LOCATION"}
# Words whose features are kept: a miss costs about 1 us (set lookups), so a small cache does; 4,096
# hold 0.79 of 20,000 tweets' lookups in 1.5 MB (benchmarks/caches.py). Social text keeps inventing
# words: the cache is emptied when full.
CACHE_SIZE = 4_096


@functools.lru_cache(maxsize=CACHE_SIZE)
def _shape(word: str) -> str:
    out = []
    for ch in word[:12]:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


class NameFeaturizer:
    """Token features for the CRF; identical at training and at check time."""

    def __init__(
        self,
        first: frozenset[str],
        last: frozenset[str],
        places: frozenset[str],
        is_common: Callable[[str], bool],
    ) -> None:
        self.first, self.last, self.places, self.is_common = first, last, places, is_common

    def _base(self, doc: "Doc") -> tuple[list[list[str]], list[list[str]]]:
        """Per token: all its own features, and the subset its far neighbours see (no shape)."""
        full, near = [], []
        word = self._word
        prev = ""
        for t in doc:
            w = t.text
            own, shape = word(w)
            f = [own[0]]
            if t.ent_type_:
                f.append("ent=" + t.ent_iob_ + t.ent_type_)
            f.extend(own[1:])
            if prev in ("@", "#"):
                f.append("after" + prev)
            near.append(f)
            full.append([*f, shape])
            prev = w
        return full, near

    def _word(self, w: str) -> tuple[tuple[str, ...], str]:
        """A word's own features (the same for every occurrence), looked up once per word."""
        cache = self.__dict__.setdefault("_cache", {})
        got = cache.get(w)
        if got is None:
            lw = w.lower()
            title = w.title()
            own = ["w=" + lw]
            if title in self.first:
                own.append("first")
            if title in self.last:
                own.append("last")
            if lw in self.places:
                own.append("place")
            if w.isalpha() and self.is_common(lw):
                own.append("common")
            got = (tuple(own), "sh=" + _shape(w))
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            cache[w] = got
        return got

    def features(self, doc: "Doc") -> list[list[str]]:
        """One list of feature names per token (each worth 1.0); a neighbour's carry its offset
        ("-1:w=the"). Plain strings, not nested dicts: crfsuite reads them about a third faster."""
        full, near = self._base(doc)
        n = len(full)
        items = []
        for i, t in enumerate(doc):
            w = t.text
            item = ["bias", *full[i], "s3=" + w[-3:].lower(), "p2=" + w[:2].lower()]
            if i == 0 or doc[i - 1].is_sent_end or doc[i - 1].text in ".!?:\n":
                item.append("BOS")
            item += ["-2:" + x for x in near[i - 2]] if i >= 2 else ["-2:pad"]
            item += ["-1:" + x for x in full[i - 1]] if i >= 1 else ["-1:pad"]
            item += ["1:" + x for x in full[i + 1]] if i + 1 < n else ["1:pad"]
            item += ["2:" + x for x in near[i + 2]] if i + 2 < n else ["2:pad"]
            items.append(item)
        return items


def spans_from_bio(tags: list[str]) -> Iterator[tuple[int, int, str]]:
    """(start token, end token, label) for each B-/I- run."""
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and label == tag[2:]:
            continue
        if label is not None:
            yield start, i, label  # type: ignore[misc]
            start, label = None, None
        if tag != "O":
            start, label = i, tag[2:]


class NameTagger:
    """Loads the shipped CRF once; ``spans(doc)`` gives (start_char, end_char, PERSON|LOCATION)."""

    def __init__(self, featurizer: NameFeaturizer, model_path: str | None = None) -> None:
        self.featurizer = featurizer
        if model_path is None:
            model_path = str(resources.files("postguard") / "models" / MODEL)
        self.model_path = model_path
        self._local = threading.local()
        self.labels = [lab for lab in self._tagger().labels() if lab != "O"]

    def _tagger(self):
        """One crfsuite tagger per thread: tagging keeps state between ``set`` and ``marginal``."""
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            import pycrfsuite

            tagger = pycrfsuite.Tagger()
            tagger.open(self.model_path)
            self._local.tagger = tagger
        return tagger

    def spans(self, doc: "Doc", threshold: float = 0.5) -> list[tuple[int, int, str]]:
        """Tokens whose probability of being part of a name/place is at least ``threshold``
        (from the CRF's marginals; 0.5 is close to the Viterbi path, lower finds more)."""
        if len(doc) == 0:
            return []
        tagger = self._tagger()
        tagger.set(self.featurizer.features(doc))
        tags = tagger.tag()
        if threshold < 0.5:
            labels = self.labels
            for i, tag in enumerate(tags):
                if tag == "O" and 1.0 - tagger.marginal("O", i) >= threshold:
                    best = max(labels, key=lambda lab: tagger.marginal(lab, i))
                    prev = tags[i - 1] if i else "O"
                    kind = best[2:]
                    tags[i] = ("I-" if prev != "O" and prev[2:] == kind else "B-") + kind
        out = []
        for s, e, label in spans_from_bio(tags):
            if label in LABELS:
                out.append((doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), LABELS[label]))
        return out


def model_available() -> bool:
    return (resources.files("postguard") / "models" / MODEL).is_file()
