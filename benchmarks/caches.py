"""Word caches: hit rate and memory by size, from the words a stream of real tweets sends each cache.

Every per-word cache a check keeps (the text model's word, character n-gram and WordPiece caches,
the names tagger's word and shape caches, the span model's word scores) is fed by the same tweets,
checked in batches of 50 with the default policy, as ``postguard scan`` checks them. The keys each
cache was asked for are recorded in order, then replayed through an LRU and a clear-when-full cache
of each size, so one run compares every size. Printed per cache: distinct keys, bytes per entry
(measured on the run's own entries), and per size the hit rate of both kinds and the memory full.

    python benchmarks/caches.py ../shared/data/semeval_sentiment/train.csv [--tweets 20000]
        [--sizes 1024,4096,16384,65536]
"""

from __future__ import annotations

import argparse
import csv
import functools
import sys
import time
import tracemalloc
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path


def lru_hits(keys: list[Hashable], size: int) -> float:
    """The hit rate of an LRU cache of ``size`` entries over ``keys``."""
    cache: OrderedDict = OrderedDict()
    hits = 0
    for k in keys:
        if k in cache:
            hits += 1
            cache.move_to_end(k)
        else:
            cache[k] = None
            if len(cache) > size:
                cache.popitem(last=False)
    return hits / max(len(keys), 1)


def clear_hits(keys: list[Hashable], size: int) -> float:
    """The hit rate of a dict emptied whenever it holds ``size`` entries."""
    cache: set = set()
    hits = 0
    for k in keys:
        if k in cache:
            hits += 1
        else:
            if len(cache) >= size:
                cache.clear()
            cache.add(k)
    return hits / max(len(keys), 1)


def miss_us(make: Callable[[Hashable], object], keys: list[Hashable]) -> float:
    """Microseconds ``make`` takes for one key (a miss), over up to 5,000 distinct keys."""
    sample = list(dict.fromkeys(keys))[:5000]
    t = time.perf_counter()
    for k in sample:
        make(k)
    return (time.perf_counter() - t) * 1e6 / max(len(sample), 1)


def entry_bytes(make: Callable[[Hashable], object], keys: list[Hashable], overhead: int) -> float:
    """Bytes per cache entry: the values ``make`` builds for ``keys``, measured by tracemalloc, plus
    the key's own string and the cache's ``overhead`` per entry."""
    sample = list(dict.fromkeys(keys))[:5000]
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    held = [(str(k) + "", make(k)) for k in sample]  # a fresh key copy, as the cache holds one
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del held
    return used / max(len(sample), 1) + overhead


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tweets", type=Path, help="semeval_sentiment/train.csv (a 'text' column)")
    ap.add_argument("--tweets", dest="limit", type=int, default=20_000)
    ap.add_argument("--sizes", default="1024,4096,16384,65536")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with args.tweets.open(encoding="utf-8", newline="") as f:
        texts = [row["text"] for _, row in zip(range(args.limit), csv.DictReader(f))]

    from postguard.checks.pii import tagger
    from postguard.engine import Checker
    from postguard.models import features, spans
    from postguard.models.textmodel import load_text_model

    checker = Checker()
    featurizer = load_text_model().featurizer
    span_model = spans.load_span_model()
    seen: dict[str, list[Hashable]] = {}

    def recorder(name: str, fn: Callable, key: Callable = lambda *a: a[-1]) -> Callable:
        log = seen.setdefault(name, [])

        @functools.wraps(fn)
        def wrapped(*a):
            log.append(key(*a))
            return fn(*a)

        return wrapped

    # The caches' own functions, uncached, each behind a recorder (the caches are off while recording,
    # so every call reaches the recorder).
    features._word = recorder("text model: words", features._word.__wrapped__)
    featurizer._char_ids = recorder("text model: char n-grams", featurizer._char_ids_of)
    featurizer._piece_ids = recorder("text model: wordpieces", featurizer._piece_ids_of)
    tagger._shape = recorder("names tagger: shapes", tagger._shape.__wrapped__)
    base = spans.SpanModel._base.__wrapped__
    spans.SpanModel._base = recorder("span model: words", base)
    from postguard.checks.pii.lists import name_featurizer

    name_featurizer = name_featurizer()
    word_of = tagger.NameFeaturizer._word

    def name_word(self, w):
        seen.setdefault("names tagger: words", []).append(w)
        self.__dict__["_cache"] = {}  # uncached while recording
        return word_of(self, w)

    tagger.NameFeaturizer._word = name_word

    for i in range(0, len(texts), 50):
        checker.check_many(texts[i : i + 50], platform="x")

    makers: dict[str, tuple[Callable, int]] = {
        # lru_cache: about 100 bytes a node and its table slot; a dict: about 100 bytes a slot at 2/3 full
        "text model: words": (features._word.__wrapped__, 100),
        "text model: char n-grams": (featurizer._char_ids_of, 100),
        "text model: wordpieces": (featurizer._piece_ids_of, 100),
        "names tagger: shapes": (tagger._shape.__wrapped__, 100),
        "span model: words": (lambda w: base(span_model, w), 100),
    }
    makers["names tagger: words"] = (lambda w: word_of(name_featurizer, w), 100)
    print(f"{len(texts):,} tweets from {args.tweets.name}, checked for x with the default policy")
    print("per size: hit rate of an LRU / of a clear-when-full dict, the CPU its misses cost per tweet "
          "(LRU, microseconds), and its memory full (MB)")
    print(f"{'cache':<26}{'lookups':>9}{'distinct':>9}{'B/entry':>8}{'us/miss':>8}" +
          "".join(f"{f'{s:,}: LRU / clear / us / MB':>34}" for s in sizes))
    for name, keys in seen.items():
        make, overhead = makers[name]
        per, cost = entry_bytes(make, keys, overhead), miss_us(make, keys)
        cols = ""
        for s in sizes:
            lru = lru_hits(keys, s)
            spent = (1 - lru) * len(keys) * cost / len(texts)
            cols += f"{lru:>12.3f} /{clear_hits(keys, s):>6.3f} /{spent:>5.0f} /{per * min(s, len(set(keys))) / 1e6:>5.1f}"
        print(f"{name:<26}{len(keys):>9,}{len(set(keys)):>9,}{per:>8.0f}{cost:>8.2f}{cols}", flush=True)

if __name__ == "__main__":
    sys.exit(main())
