"""Pattern anchors: what every match must contain, and the hostility grammar skipping patterns by them."""

from __future__ import annotations

import sys

import pytest
import regex

from postguard.anchors import anchors


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bshut\s+up\b", ("shut",)),  # the longer of two required words
        (r"(?:please\s+)?(?:stop|quit)\s+it\b", ("quit", "stop")),  # optional parts require nothing
        (r"\bdon'?t\s+care\b", ("care",)),
        (r"\b(?:google\s+it|lmgtfy)\b", ("google", "lmgtfy")),  # one from each branch
        (r"(?:abc)+d", ("abc",)),  # a repeat of at least one requires its body
        (r"(?:wait\s+)*", None),
        (r"[a-z]+\d", None),  # classes only
        (r"\bfoo\b|\w+\d", None),  # a branch without an anchor of its own
        (r"(?<=\bnot\s)ours", ("ours",)),  # look-arounds are not part of the match
        (r"(?i:STOP)", ("stop",)),  # case-folded
    ],
)
def test_anchors(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert anchors(pattern) == expected


def test_every_match_holds_an_anchor_in_the_case_folded_text() -> None:
    # Random texts built from the anchors' own words and filler, in any case: each match of a
    # pattern has one of its anchors in the folded text.
    import random

    from postguard.checks.hostility import _PATTERNS

    rng = random.Random(5)
    words = sorted({w for _, _, needs in _PATTERNS for w in needs or ()}) + ["you", "we", ",", "!", "@kim"]
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        text = rng.choice((str.upper, str.title, str.lower))(text)
        folded = text.casefold()
        for _, pattern, needs in _PATTERNS:
            if needs is not None and pattern.search(text):
                assert any(w in folded for w in needs), (pattern.pattern, text)


def test_case_folding_never_hides_an_anchor() -> None:
    """Each character the patterns match for an anchor's letter (simple case folding) full-folds to it."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    from postguard.checks.hostility import _PATTERNS

    letters = {ch for _, _, needs in _PATTERNS for word in needs or () for ch in word}
    assert letters  # (the grammar has anchors)
    for ch in sorted(letters):
        for m in regex.finditer("(?-f)" + regex.escape(ch), every, regex.IGNORECASE | regex.V1):
            assert ch in m.group().casefold(), (ch, hex(ord(m.group())))


def test_the_hostility_grammar_finds_the_same_with_and_without_anchors(monkeypatch) -> None:
    import csv
    from pathlib import Path

    from postguard.checks import hostility

    path = Path(__file__).resolve().parent / "data" / "hostile_replies.tsv"
    with path.open(newline="", encoding="utf-8") as fh:
        texts = [t for row in csv.DictReader(fh, delimiter="\t") for t in (row["hostile"], row["calm"])]
    texts += [t.upper() for t in texts] + [t.title() for t in texts]
    with_anchors = [list(hostility.find_hostility(t)) for t in texts]
    monkeypatch.setattr(hostility, "_PATTERNS", [(s, p, None) for s, p, _ in hostility._PATTERNS])
    without = [list(hostility.find_hostility(t)) for t in texts]
    assert with_anchors == without
    assert sum(map(len, without)) > 200


def test_a_pattern_only_the_regex_module_reads_has_no_anchors_and_always_runs() -> None:
    assert anchors(r"\p{Lu}+\s+stop") is None
