"""Flat memory: a long stream of posts full of new words leaves spaCy's vocabulary and every word cache
bounded; reports made in a memory zone are whole; zones never nest or overlap between threads."""

from __future__ import annotations

import itertools
import json
import os
import random
import threading

import pytest

from postguard import Checker
from postguard.memory import batch_zone
from postguard.nlp import load_nlp

_ONSETS = ["b", "br", "d", "f", "g", "gl", "k", "kr", "m", "n", "p", "pl", "s", "st", "t", "tr", "v", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou"]
WORDS = 16  # new words a post


def unseen_words(seed: int = 7):
    """Word-like strings no vocabulary holds (``zoutrabek``), each once."""
    rng = random.Random(seed)
    for i in itertools.count():
        stem = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(3))
        yield f"{stem}{'kqxj'[i % 4]}{i:x}"


def posts(n: int, seed: int = 7):
    """``n`` short posts, each with sixteen words never seen before (names, hashtags, plain words)."""
    words = unseen_words(seed)
    for _ in range(n):
        w = [next(words) for _ in range(WORDS)]
        yield (f"{w[0].title()} {w[1].title()} says the {w[2]} in {w[3].title()} is down again, "
               f"#{w[4]} @{w[5]} what a {w[6]} {w[7]}!! {w[8]} {w[9]}, {w[10]} {w[11].upper()} "
               f"{w[12]}... {w[13]} {w[14]} {w[15]}")


def _caches() -> dict[str, tuple[int, int]]:
    """Each per-word cache's (entries now, bound)."""
    from postguard.checks.pii import tagger
    from postguard.checks.pii.lists import name_featurizer
    from postguard.models import features, spans
    from postguard.models.textmodel import load_text_model

    featurizer = load_text_model().featurizer
    lru = {
        "text model: words": features._word,
        "text model: char n-grams": featurizer._char_ids,
        "text model: wordpieces": featurizer._piece_ids,
        "names tagger: shapes": tagger._shape,
        "span model: words": spans.SpanModel._base,
    }
    sizes = {name: (f.cache_info().currsize, f.cache_info().maxsize) for name, f in lru.items()}
    sizes["names tagger: words"] = (len(name_featurizer().__dict__.get("_cache", {})), tagger.CACHE_SIZE)
    return sizes

@pytest.fixture(scope="module")
def checker():
    return Checker()


@pytest.fixture
def zones_now(monkeypatch):
    """Zones from the next batch on, whatever spaCy has kept so far."""
    import postguard.memory

    monkeypatch.setattr(postguard.memory, "KEEP_STRINGS", 0)


def test_a_long_stream_of_new_words_leaves_the_vocabulary_and_the_caches_bounded(checker, tmp_path, zones_now):
    from postguard.scan import scan

    nlp = load_nlp()
    n = 1100
    archive = tmp_path / "posts.jsonl"
    archive.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(posts(50))),
                       encoding="utf-8")
    # one batch first: whatever is loaded on first use is in place before counting
    list(scan(archive, checker=checker, platform="x", batch_size=50))
    # (len(vocab) counts every lexeme ever made, freed or not: the index is counted instead)
    strings, lexemes = len(nlp.vocab.strings), sum(1 for _ in nlp.vocab)
    other = tmp_path / "more.jsonl"
    archive.rename(other)
    other.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(posts(n, seed=8))),
                     encoding="utf-8")
    reports = [report for _, report in scan(other, checker=checker, platform="x", batch_size=50)]
    assert len(reports) == n
    # 17,600 new words went through: spaCy kept none of them
    assert len(nlp.vocab.strings) - strings < 50
    assert sum(1 for _ in nlp.vocab) - lexemes < 50
    assert not any(w in nlp.vocab.strings or w in nlp.vocab for w in itertools.islice(unseen_words(8), 100))
    for name, (size, bound) in _caches().items():
        assert size <= bound, name
        assert bound < WORDS * n, f"{name}: its bound ({bound:,}) is not below the words sent ({WORDS * n:,})"


def test_reports_made_in_a_zone_are_whole_after_it(checker, monkeypatch, zones_now):
    import contextlib

    import postguard.memory

    texts = [
        "Email Zoutrabek Plaimoun at zoutrabek.plaimoun@example.com about his appeal",
        "Glaistrek Vounaper from Krabidon has failed his exams again, what an idiot",
        "Call 07700 900123, #glorpfest is down again!!",
    ] * 4
    zoned = checker.check_many(texts, platform="x")
    strings = len(load_nlp().vocab.strings)
    monkeypatch.setattr(postguard.memory, "batch_zone", contextlib.nullcontext)
    plain = checker.check_many(texts, platform="x")
    assert len(load_nlp().vocab.strings) > strings  # without a zone the new words stay
    for text, a, b in zip(texts, zoned, plain):
        assert a.model_dump(exclude={"timings_ms"}) == b.model_dump(exclude={"timings_ms"})
        assert a.findings, text
        for f in a.findings:
            assert text[f.start : f.end] == f.excerpt
    assert {f.category for r in zoned for f in r.findings} >= {"pii"}


def test_spacy_keeps_the_first_words_up_to_its_budget_then_frees_new_ones(checker, monkeypatch):
    import postguard.memory

    nlp = load_nlp()
    checker.check("warm", platform="x")
    kept = len(nlp.vocab.strings) - postguard.memory._first
    monkeypatch.setattr(postguard.memory, "KEEP_STRINGS", kept + 500)
    stream = posts(200, seed=12)
    batches = iter(lambda: list(itertools.islice(stream, 50)), [])
    checker.check_many(next(batches), platform="x")  # under the budget: kept (800 new words)
    grown = len(nlp.vocab.strings) - postguard.memory._first
    assert grown > kept + 500
    for batch in batches:  # over it: freed
        checker.check_many(batch, platform="x")
        assert len(nlp.vocab.strings) - postguard.memory._first == grown


def test_zones_never_nest_and_batches_that_waited_run_together(zones_now):
    nlp = load_nlp()
    opened, release, seen = threading.Event(), threading.Event(), {}

    def first():
        with batch_zone() as zoned:
            seen["first"] = (zoned, nlp.vocab.in_memory_zone)
            with batch_zone() as inner:  # nested in its own zone: the same zone, still open after
                seen["nested"] = inner
            seen["after nested"] = nlp.vocab.in_memory_zone
            opened.set()
            release.wait(10)

    def later(name):
        with batch_zone() as zoned:
            seen[name] = zoned
            both.wait(10)  # both run at once, so neither may have a zone

    both = threading.Barrier(2)
    a = threading.Thread(target=first)
    a.start()
    assert opened.wait(10)
    waiting = [threading.Thread(target=later, args=(name,)) for name in ("b", "c")]
    for t in waiting:
        t.start()
    waiting[0].join(0.3)
    assert waiting[0].is_alive() and "b" not in seen  # waits while the zone is open
    release.set()
    for t in (a, *waiting):
        t.join(10)
        assert not t.is_alive()
    assert seen == {"first": (True, True), "nested": True, "after nested": True, "b": False, "c": False}
    assert not nlp.vocab.in_memory_zone
    with batch_zone() as alone:  # alone again: a zone
        assert alone and nlp.vocab.in_memory_zone


def test_threads_checking_at_once_get_the_reports_one_thread_gets(checker, zones_now):
    texts = list(itertools.islice(posts(40, seed=9), 40))
    expected = [r.model_dump(exclude={"timings_ms"}) for r in checker.check_many(texts, platform="x")]
    got: dict[int, list] = {}

    def run(i):
        got[i] = [r.model_dump(exclude={"timings_ms"}) for r in checker.check_many(texts, platform="x")]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [got[i] for i in range(3)] == [expected] * 3
    assert not load_nlp().vocab.in_memory_zone


def _rss_kb() -> int:
    with open(f"/proc/{os.getpid()}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads RSS from /proc")
def test_rss_stays_flat_over_thousands_of_posts_of_new_words(checker):
    # with the shipped budget: the strings spaCy keeps are made within the first 2,000 posts
    stream = posts(8_000, seed=11)
    batches = iter(lambda: list(itertools.islice(stream, 50)), [])
    for _ in range(40):  # 2,000 posts: the caches fill
        checker.check_many(next(batches), platform="x")
    start = _rss_kb()
    for batch in batches:  # 6,000 posts, 96,000 new words
        checker.check_many(batch, platform="x")
    # measured: 191 MB more before the zones and bounded caches, 10 MB after (allocator slack)
    assert _rss_kb() - start < 60_000
