"""The context enhancer: presidio's boosts, exactly, from lemmas made only near the results."""

from __future__ import annotations

import pytest

from postguard.checks.pii import PiiCheck
from postguard.checks.pii.context import LazyLemmas
from postguard.nlp import lemmatize, parse
from postguard.policy import load_policy

FILLER = "The weather was fine and the library opened late because of the works on the road. "

TEXTS = [
    "Call me on 0113 496 0123 tonight",
    "My mobile: 07700 900123, or ring the desk 0113 496 0999",
    "My NHS number is 943 476 5919, my phone 07700 900123",
    "She rang him at 0113 496 0123 after the meeting",
    "The postcode is LS2 9JT and the address is on the letter",
    "Patient 943 476 5919 was seen at the hospital",
    "e-mail jane.doe@example.co.uk or mail bob@example.org",
    FILLER * 40 + "my phone number is 07700 900123 and " + FILLER * 40 + "contact 0113 496 0123",
    " ".join(f"jo{i}@example.com" for i in range(300)),
    " ".join(f"call 0113 496 0{i:03d} or" for i in range(120)),
    "0113 496 0123 is the number",
    "tel:01134960123 and fax: 0113 496 0124",
]


@pytest.fixture(scope="module")
def check() -> PiiCheck:
    policy = load_policy()
    return PiiCheck({k: v for k, v in policy.checks["pii"].items() if k != "enabled"}, policy)


def _results(check: PiiCheck, text: str, *, presidio: bool):
    """(entity, start, end, score) from the analyzer, with presidio's own enhancer over the whole
    lemmatized Doc when ``presidio``."""
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    analyzer = check.analyzer
    doc = parse(text)
    ner, _ = check.names.entities(doc)
    artifacts = analyzer.nlp_engine.artifacts(doc, ner)
    saved = analyzer.context_aware_enhancer
    if presidio:
        lemmas = [t.lemma_ for t in lemmatize(doc)]
        artifacts.lemmas = lemmas
        artifacts.keywords = artifacts.set_keywords(analyzer.nlp_engine, lemmas, "en")
        analyzer.context_aware_enhancer = LemmaContextAwareEnhancer()
    try:
        results = analyzer.analyze(text, "en", entities=check._possible(text), nlp_artifacts=artifacts)
    finally:
        analyzer.context_aware_enhancer = saved
    return sorted((r.entity_type, r.start, r.end, round(r.score, 9)) for r in results)


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_the_same_results_and_scores_as_presidios_enhancer(check, text):
    ours = _results(check, text, presidio=False)
    assert ours == _results(check, text, presidio=True)
    assert ours  # every text has something to boost


def test_some_results_are_boosted(check):
    """The comparison above is not vacuous: context words raise scores."""
    plain = dict(((e, a, b), s) for e, a, b, s in _results(check, "0113 496 0123 is the number", presidio=False))
    cued = dict(((e, a, b), s) for e, a, b, s in _results(check, "She rang him at 0113 496 0123", presidio=False))
    assert max(cued.values()) > max(plain.values())


def test_lemmas_are_made_only_near_the_results(check):
    text = FILLER * 60 + "my phone number is 07700 900123 and " + FILLER * 60
    doc = parse(text)
    lemmas = LazyLemmas(doc)
    index = next(t.i for t in doc if t.text == "07700")
    lemmas.prepare([index], 14, 4)
    made = [i for i, lemma in enumerate(lemmas.lemmas) if lemma is not None]
    assert made and len(made) < len(doc) / 10
    assert min(made) <= index - 14 and max(made) >= index + 4
    whole = [t.lemma_ for t in lemmatize(parse(text))]
    assert all(lemmas[i] == whole[i] for i in range(len(doc)))  # and any other is made when read
