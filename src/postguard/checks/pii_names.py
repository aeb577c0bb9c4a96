"""Names and places in social text: a CRF over the shared spaCy tokens, trained on real tweets.

spaCy's small model was trained on edited news text; on tweets it misses lower-case and one-word
names and calls hashtags, shouting and common words people. This tagger reads the same Doc (no
second parse) and adds what social text needs: word shape, spaCy's own tag and entity, given-name,
surname, place and common-word gazetteers, and the neighbouring tokens. It is trained by
``scripts/train_pii_names.py`` on the training splits of the Broad Twitter Corpus and WNUT-17
(both CC BY 4.0: Derczynski et al. 2016; Derczynski et al. 2017) and ships as
``postguard/models/pii_names.crfsuite``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

MODEL = "pii_names.crfsuite"
LABELS = {"PER": "PERSON", "LOC": "LOCATION"}


@functools.lru_cache(maxsize=65536)
def _shape(word: str) -> str:
    out = []
    for ch in word[:12]:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


class Featurizer:
    """Token features for the CRF; identical at training and at check time."""

    def __init__(
        self,
        first: frozenset[str],
        last: frozenset[str],
        places: frozenset[str],
        is_common: Callable[[str], bool],
    ) -> None:
        self.first, self.last, self.places, self.is_common = first, last, places, is_common

    def _base(self, doc: "Doc") -> list[list[str]]:
        out = []
        first, last, places, is_common = self.first, self.last, self.places, self.is_common
        prev = ""
        for t in doc:
            w = t.text
            lw = t.lower_
            title = w.title()
            f = ["w=" + lw, "sh=" + _shape(w), "tag=" + t.tag_]
            if t.ent_type_:
                f.append("ent=" + t.ent_iob_ + t.ent_type_)
            if title in first:
                f.append("first")
            if title in last:
                f.append("last")
            if lw in places:
                f.append("place")
            if w.isalpha() and is_common(lw):
                f.append("common")
            if prev in ("@", "#"):
                f.append("after" + prev)
            out.append(f)
            prev = w
        return out

    def features(self, doc: "Doc") -> list[list[str]]:
        base = self._base(doc)
        n = len(base)
        items = []
        for i, t in enumerate(doc):
            w = t.text
            f = ["bias", *base[i], "s3=" + w[-3:].lower(), "p2=" + w[:2].lower()]
            if i == 0 or doc[i - 1].is_sent_end or doc[i - 1].text in ".!?:\n":
                f.append("BOS")
            for off in (-2, -1, 1, 2):
                j = i + off
                if 0 <= j < n:
                    tag = f"{off}:"
                    f.extend(tag + x for x in base[j] if not x.startswith("sh=") or off in (-1, 1))
                else:
                    f.append(f"{off}:pad")
            items.append(f)
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

    def __init__(self, featurizer: Featurizer, model_path: str | None = None) -> None:
        import pycrfsuite

        self.featurizer = featurizer
        self.tagger = pycrfsuite.Tagger()
        if model_path is None:
            model_path = str(resources.files("postguard") / "models" / MODEL)
        self.tagger.open(model_path)

    def spans(self, doc: "Doc") -> list[tuple[int, int, str]]:
        if len(doc) == 0:
            return []
        tags = self.tagger.tag(self.featurizer.features(doc))
        out = []
        for s, e, label in spans_from_bio(tags):
            if label in LABELS:
                out.append((doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), LABELS[label]))
        return out


def model_available() -> bool:
    return (resources.files("postguard") / "models" / MODEL).is_file()
