"""The run-splitting tokenizer: exact text and offsets, spaCy's own tokens for ordinary text, linear time."""

from __future__ import annotations

import contextlib
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postguard.nlp import load_nlp
from postguard.tokenizer import CHUNK, LONG_RUN, chunks


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _assert_exact(doc, text: str) -> None:
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text
    for ent in doc.ents:
        assert text[ent.start_char : ent.end_char] == ent.text


@pytest.mark.parametrize(
    "text",
    [
        "Email jane.doe@example.com about the outage at https://status.example.ac.uk/incidents/42 now.",
        "Sorry!!! The wifi is down :( again... we're on it 👍🏽",
        "Line one\n\nLine two\t tabbed  double  spaced ",
        "https://example.org/" + "a/" * 20,  # a long URL within LONG_RUN stays one token
    ],
)
def test_ordinary_text_gets_spacys_own_tokens(nlp, text):
    own = nlp.tokenizer.tokenizer(text)
    doc = nlp.make_doc(text)
    assert [(t.text, t.whitespace_) for t in doc] == [(t.text, t.whitespace_) for t in own]


@pytest.mark.parametrize(
    "text",
    [
        "Before " + "(" * 500 + "x" + ")" * 500 + " after",
        "😀" * 300 + " Jane Smith lives in Leeds " + "&" * 200,
        "  " + "!?" * 200 + "\n\n" + "https://example.org/" + "segment/" * 40 + "  end",
        "[" * 100 + "x](" + "]" * 100,
        "a" * 1000,
    ],
)
def test_long_runs_keep_the_text_and_every_offset(nlp, text):
    doc = nlp(text)
    _assert_exact(doc, text)
    assert max(len(t) for t in doc) <= max(CHUNK, max(len(w) for w in text.split()) if len(text.split()) else 0)


def test_words_around_a_long_run_are_tokenized_as_usual(nlp):
    text = "Call Jane Smith now " + "😀" * 200 + " then email jane@example.com."
    words = [t.text for t in nlp.make_doc(text)]
    assert words[:4] == ["Call", "Jane", "Smith", "now"]
    assert words[-4:] == ["then", "email", "jane@example.com", "."]


def test_chunks_cover_the_run_and_cut_after_symbols():
    run = "https://example.org/" + "/".join(["segment"] * 30)
    parts = chunks(run)
    assert "".join(parts) == run
    assert all(len(p) <= CHUNK for p in parts)
    assert all(p.endswith("/") for p in parts[:-1])  # words are not cut in two
    assert chunks("x" * (LONG_RUN + 1)) == ["x" * CHUNK, "x" * CHUNK, "x"]


def _seconds(nlp, text: str) -> float:
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        nlp.make_doc(text)
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize("alphabet", ["😀😁😂🤣😃", '([{‹"', "&", "[]", "!?.,;:", "a."])
def test_a_run_at_the_maximum_length_tokenizes_in_linear_time(nlp, alphabet):
    rng = random.Random(7)  # random: a repeated text would be answered from spaCy's token cache
    small = "".join(rng.choice(alphabet) for _ in range(5_000))
    large = "".join(rng.choice(alphabet) for _ in range(50_000))
    # spaCy alone: 4,000 emoji take about 3 s and 50,000 over ten minutes (quadratic); split,
    # 50,000 take about 0.1 s. Ten times the text may take at most 30 times as long (linear: 10).
    t_small, t_large = _seconds(nlp, small), _seconds(nlp, large)
    assert t_large < 5
    assert t_large < 30 * max(t_small, 0.02)


_RUNS = st.lists(st.sampled_from(list("😀([{‹\"&*_|`<>!?.,@#a1 \n\u200d") + ["a.b", "x" * 70]), max_size=600).map("".join)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_RUNS)
def test_any_text_keeps_its_offsets(text):
    _assert_exact(load_nlp()(text), text)


# Words no model vocabulary holds, with prefixes and suffixes (the tokenizer's cached path) and in a
# long run (the run-splitting path).
_UNSEEN = "(grumplewhatsit) zyxquorbled, #flimflarbs!! " + "qwertzuiopflarb." * 6 + " done"


def test_a_word_first_seen_in_a_memory_zone_tokenizes_the_same_after_it(nlp):
    before = len(nlp.vocab.strings)
    with nlp.memory_zone():
        inside = [(t.text, t.idx, t.whitespace_) for t in nlp(_UNSEEN)]
        assert "zyxquorbled" in nlp.vocab.strings
    # the zone's strings are gone (so nothing may point at them) ...
    assert "zyxquorbled" not in nlp.vocab.strings
    assert len(nlp.vocab.strings) == before
    # ... and the same words, met again, make the same Doc
    for _ in range(2):
        doc = nlp(_UNSEEN)
        _assert_exact(doc, _UNSEEN)
        assert [(t.text, t.idx, t.whitespace_) for t in doc] == inside
        assert [t.lex.text for t in doc] == [t.text for t in doc]


class _ZonedTokenizer:
    """A tokenizer with its own memory zone, which records that it was entered."""

    def __init__(self, inner):
        self.inner, self.zones = inner, []

    def __call__(self, text):
        return self.inner(text)

    @contextlib.contextmanager
    def memory_zone(self, mem=None):
        self.zones.append(mem)
        yield mem


def test_the_wrapper_enters_the_wrapped_tokenizers_memory_zone(nlp):
    from postguard.tokenizer import RunSplittingTokenizer

    inner = _ZonedTokenizer(nlp.tokenizer.tokenizer)
    wrapper = RunSplittingTokenizer(inner, nlp.vocab)
    with nlp.vocab.memory_zone() as mem, wrapper.memory_zone(mem) as zone:
        assert [t.text for t in wrapper("a (word)")] == ["a", "(", "word", ")"]
    assert inner.zones == [mem] and zone is mem
