"""The entity recogniser runs only around sentences that could name someone or somewhere."""

from __future__ import annotations

import pytest

from postguard.ner_windows import MARGIN, windows
from postguard.nlp import load_nlp, parse, parse_many

QUIET = "the library opens late today because of the works on the road. "


def _ents(doc):
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


@pytest.mark.parametrize(
    "text",
    [
        "the printers are back. Priya Shah fixed them in Leeds yesterday.",
        "thanks to priya and the team in leeds for sorting it",
        "Sam rang from the helpdesk about the outage.",
        "Is there a better song on this list? Lamovec and Morales were engineers.",
    ],
)
def test_a_sentence_with_a_reason_gets_the_entities_of_the_whole_pipeline(text):
    nlp = load_nlp()
    assert windows(nlp.make_doc(text))
    assert _ents(parse(text)) == _ents(nlp(text))


def test_sentences_without_a_reason_are_not_read():
    text = QUIET * 5 + "Then Priya Shah came round. " + QUIET * 5
    doc = parse(text)
    (a, b), = windows(doc)
    name = next(t.i for t in doc if t.text == "Priya")
    assert a <= name - MARGIN and b - a < len(doc) / 3
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == ["Priya Shah"]
    assert all(t.ent_iob_ in ("O", "B", "I") for t in doc)  # every token annotated, as spaCy would
    assert not windows(load_nlp().make_doc(QUIET * 3))
    assert parse(QUIET * 3).ents == ()


def test_parse_many_is_parse_one_at_a_time():
    texts = [QUIET, "Priya Shah is in Leeds.", "", "call sam on monday", QUIET + "Jo Bloggs rang."]
    assert [_ents(d) for d in parse_many(texts)] == [_ents(parse(t)) for t in texts]
    assert [d.text for d in parse_many(texts)] == texts
