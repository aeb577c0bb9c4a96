"""presidio wiring: an AnalyzerEngine over postguard's recognizers, fed the shared Doc, never parsing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from postguard.checks.pii.context import context_enhancer
from postguard.checks.pii.recognizers import build_recognizers

if TYPE_CHECKING:
    from spacy.tokens import Doc


def build_analyzer(regions: Sequence[str], id_patterns: Sequence[Mapping[str, Any]]):
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    engine = SharedDocNlpEngine()
    registry = RecognizerRegistry(recognizers=build_recognizers(regions, id_patterns), supported_languages=["en"])
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=["en"],
        context_aware_enhancer=context_enhancer(registry.recognizers),
    )


def _shared_doc_engine_class():
    from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine

    class _Engine(SpacyNlpEngine):
        """presidio's spaCy engine over postguard's pipeline; it never parses text itself."""

        def __init__(self) -> None:
            from postguard.nlp import model_name

            super().__init__(models=[{"lang_code": "en", "model_name": model_name()}])

        def load(self) -> None:
            from postguard.nlp import load_nlp

            self.nlp = {"en": load_nlp()}

        def process_text(self, text: str, language: str) -> NlpArtifacts:
            raise RuntimeError("postguard hands presidio the shared parse; it must not parse again")

        def artifacts(self, doc: "Doc", spans: "Sequence[tuple[int, int, str]]" = ()) -> NlpArtifacts:
            """presidio's view of the shared Doc; ``spans`` (char offsets, label) replace doc.ents.

            Lemmas (and the keywords made from them) are left empty: the shared pipeline makes
            them only on demand, and the context enhancer (``context``) makes those it reads.
            """
            ents = [e for e in (doc.char_span(a, b, label=label) for a, b, label in spans) if e is not None]
            return NlpArtifacts(
                entities=ents,
                tokens=doc,
                tokens_indices=[t.idx for t in doc],
                lemmas=[],
                nlp_engine=self,
                language="en",
            )

    return _Engine




def SharedDocNlpEngine():
    return _shared_doc_engine_class()()

