"""The learned gate sends the sentences that could name someone or somewhere, and few others.

The slow tests measure its recall against the recogniser on whole tweets it never saw, and retrain
it from ``../shared/data`` to check the shipped figures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from postguard.ner_gate import NerGate, bucket, load_gate, name_like, sentences, token_features, word_lists
from postguard.ner_windows import GATED, _reason, windows
from postguard.nlp import load_nlp, parse, parse_many

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("POSTGUARD_DATA", ROOT.parent / "shared" / "data"))


def _sent(text: str) -> bool:
    return bool(windows(load_nlp().make_doc(text), GATED))


@pytest.mark.parametrize(
    "text",
    [
        "the printers are back. Priya Shah fixed them in Leeds yesterday.",
        "Sam rang from the helpdesk about the outage.",
        "Thanks to Dr Okafor for the quick fix",
        "wifi is down across Manchester this morning",
        "Is there a better song on this list? Lamovec and Morales were engineers.",
    ],
)
def test_a_sentence_naming_someone_or_somewhere_goes(text):
    assert _sent(text)


# Each of these sends the whole text to the recogniser under the broad reason, which fires on a
# capitalised word past the first or an all-caps one; the recogniser finds nothing in any of them.
SKIPPED = [
    "THE SERVICE IS DOWN",
    "So I went to the shop. My dog is fine.",
    "We are looking into it. The network should be back soon.",
    "Please RESTART your laptop and try again.",
    "lol SO true",
]


@pytest.mark.parametrize("text", SKIPPED)
def test_a_sentence_with_no_name_or_place_is_skipped_where_the_broad_reason_sent_it(text):
    doc = load_nlp().make_doc(text)
    assert windows(doc), "the broad reason sends it"
    assert any(_reason(doc, a, b) for a, b in sentences(doc))
    assert not _sent(text)
    assert not [e for e in load_nlp()(text).ents if e.label_ in GATED]


def test_skipped_sentences_leave_the_doc_without_entities_and_offsets_exact():
    text = "THE SERVICE IS DOWN. We are looking into it. Then Priya Shah rang from Leeds."
    (doc,) = parse_many([text], labels=GATED)
    assert doc.text == text
    (a, b), = windows(load_nlp().make_doc(text), GATED)
    assert a > 0
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("Priya Shah", "PERSON") in ents
    for e in doc.ents:
        assert text[e.start_char : e.end_char] == e.text
        assert e.start >= a and e.end <= b
    assert all(t.ent_iob_ in ("O", "B", "I") for t in doc)


def test_other_labels_take_the_broad_reason():
    text = "The Senate meets today."
    doc = load_nlp().make_doc(text)
    assert not windows(doc, GATED) and not windows(doc, {"PERSON"})
    assert windows(doc, {"PERSON", "ORG"}) == windows(doc) == windows(doc, None)
    (gated,) = parse_many([text], labels=GATED)
    (broad,) = parse_many([text], labels={"ORG", "PERSON"})
    assert gated.ents == ()
    assert [e.label_ for e in broad.ents if e.text == "Senate"] == ["ORG"]
    assert [(e.start_char, e.end_char, e.label_) for e in broad.ents] == [
        (e.start_char, e.end_char, e.label_) for e in parse(text).ents
    ]


def test_scores_add_up_the_features_training_reads():
    gate = load_gate()
    lists = word_lists()
    text = "@user So sorry. Dr Okafor and Jo are in #Leeds, see https://x.org today!! 🙈"
    doc = load_nlp().make_doc(text)
    for a, b in sentences(doc):
        features = token_features(doc, a, b, lists)
        expected = [sum(gate.weights[bucket(f, gate.bits)] for f in fs) for fs in features]
        assert list(gate.scores(doc, a, b)) == pytest.approx(expected, abs=1e-9)


def test_the_cache_is_bounded_and_gives_the_same_scores(monkeypatch):
    import postguard.ner_gate as ng

    card = json.loads((resources.files("postguard.models") / ng.CARD_FILE).read_text())
    with (resources.files("postguard.models") / ng.MODEL_FILE).open("rb") as fh:
        weights = np.load(fh)["weights"]
    monkeypatch.setattr(ng, "_CACHED", 4)
    small = NerGate(weights, card["bits"], card["threshold"])
    doc = load_nlp().make_doc("Priya Shah fixed the printers in Leeds, thanks to the whole team there")
    assert list(small.scores(doc, 0, len(doc))) == pytest.approx(list(load_gate().scores(doc, 0, len(doc))))
    assert len(small._words) <= 4


def _tweets(rel: str, limit: int) -> list[str]:
    import csv

    with (DATA / rel).open(encoding="utf-8", newline="") as fh:
        return [row["text"] for row, _ in zip(csv.DictReader(fh), range(limit))]


@pytest.mark.slow
def test_recall_against_the_recogniser_on_whole_held_out_tweets():
    if not (DATA / "tweeteval_offensive" / "validation.csv").is_file():
        pytest.skip(f"data not found at {DATA} (set POSTGUARD_DATA to the shared data folder)")
    tweets = _tweets("tweeteval_offensive/validation.csv", 1000)
    nlp = load_nlp()
    teacher = list(nlp.get_pipe("ner").pipe(nlp.make_doc(t) for t in tweets))
    gated = parse_many(tweets, labels=GATED)

    def names(doc):
        return {(e.start_char, e.end_char, e.label_) for e in doc.ents
                if e.label_ in GATED and name_like(e.text)}

    wanted = [names(d) for d in teacher]
    found = sum(len(w & names(g)) for w, g in zip(wanted, gated)) / sum(map(len, wanted))
    sent = sum(1 for d in teacher if windows(d, GATED)) / len(tweets)
    broad = sum(1 for d in teacher if windows(d)) / len(tweets)
    # measured: 98.3 % of the name-like entities, 62.3 % of the tweets sent (the broad reason: 98.3 %, 77.6 %)
    assert found >= 0.975
    assert sent <= 0.66 and sent < broad - 0.1


@pytest.mark.slow
def test_training_reproduces_the_shipped_gate(tmp_path: Path) -> None:
    if not (DATA / "semeval_sentiment" / "train.csv").is_file():
        pytest.skip(f"training data not found at {DATA} (set POSTGUARD_DATA to the shared data folder)")
    pytest.importorskip("sklearn", reason="training needs scikit-learn (pip install postguard[train])")
    script = ROOT / "scripts" / "train_ner_gate.py"
    subprocess.run(
        [sys.executable, str(script), "--data", str(DATA), "--out", str(tmp_path)],
        check=True,
        timeout=900,
    )
    folder = resources.files("postguard.models")
    shipped = json.loads((folder / "ner_gate.json").read_text())
    fresh = json.loads((tmp_path / "ner_gate.json").read_text())
    with (folder / "ner_gate.npz").open("rb") as fh:
        shipped_weights = np.load(fh)["weights"].astype(np.float64)
    fresh_weights = np.load(tmp_path / "ner_gate.npz")["weights"].astype(np.float64)
    for key in ("data", "tweets", "labels", "bits", "c", "target_recall"):
        assert fresh[key] == shipped[key], key
    if fresh["libraries"] == shipped["libraries"]:
        assert fresh["held_out_figures"] == shipped["held_out_figures"]
        assert fresh["threshold"] == pytest.approx(shipped["threshold"], abs=1e-3)
        assert np.abs(fresh_weights - shipped_weights).max() < 1e-2
    else:
        # another numpy or scikit-learn: L-BFGS stops a little elsewhere; hold the figures
        for key, value in shipped["held_out_figures"].items():
            assert fresh["held_out_figures"][key] == pytest.approx(value, abs=0.01), key
        assert np.corrcoef(fresh_weights, shipped_weights)[0, 1] > 0.99
