"""Hostile replies: the grammar alone, and what a caller's Report says about paired hostile and calm
replies (``tests/data/hostile_replies.tsv``; every fourth pair was held out while it was written)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers import assert_spans_exact

import postguard
from postguard.checks.hostility import STANCES, find_hostility
from postguard.findings import Severity

PAIRS_FILE = Path(__file__).resolve().parents[1] / "data" / "hostile_replies.tsv"
# What a reply is judged on: how it speaks to the person (the other checks judge other things).
TONE_CATEGORIES = ("tone", "toxicity", "profanity")


def read_pairs() -> list[dict[str, str]]:
    with PAIRS_FILE.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [{**r, "split": "held-out" if i % 4 == 3 else "dev"} for i, r in enumerate(rows)]


def flagged(report: postguard.Report) -> bool:
    """A tone, toxicity or profanity finding at warning or above: the reply would be stopped."""
    return any(f.category in TONE_CATEGORIES and f.severity >= Severity.WARNING for f in report.findings)


def test_the_pairs_cover_the_brief() -> None:
    pairs = read_pairs()
    assert len(pairs) >= 100
    assert {r["kind"] for r in pairs} == {"dismiss", "belittle", "sarcasm", "insult", "stop", "shout"}
    assert len({r["hostile"] for r in pairs}) == len({r["calm"] for r in pairs}) == len(pairs)


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, float]]:
    pairs = read_pairs()
    hostile = postguard.Checker().check_many([r["hostile"] for r in pairs])
    calm = postguard.Checker().check_many([r["calm"] for r in pairs])
    out: dict[str, dict[str, float]] = {}
    for split in ("dev", "held-out", "all"):
        idx = [i for i, r in enumerate(pairs) if split in ("all", r["split"])]
        out[split] = {
            "caught": sum(flagged(hostile[i]) for i in idx) / len(idx),
            "calm_flagged": sum(flagged(calm[i]) for i in idx) / len(idx),
        }
    for reports, texts in ((hostile, [r["hostile"] for r in pairs]), (calm, [r["calm"] for r in pairs])):
        for report, text in zip(reports, texts):
            assert_spans_exact(text, report.findings)
    return out


def test_hostile_replies_caught_and_calm_twins_left_alone(measured) -> None:
    print({k: {m: round(v, 3) for m, v in figures.items()} for k, figures in measured.items()})
    assert measured["all"]["caught"] >= 0.90
    assert measured["all"]["calm_flagged"] <= 0.03


def test_held_out_pairs_hold_up(measured) -> None:
    assert measured["held-out"]["caught"] >= 0.90
    assert measured["held-out"]["calm_flagged"] <= 0.03


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@dave_p Maybe read the instructions next time instead of tweeting us.", "belittle"),
        ("@kim_l Honestly, how hard is it to plug in a cable?", "belittle"),
        ("@al_t Classic lecturer, breaks it and then emails us at 4:59pm on a Friday.", "belittle"),
        ("@bea_s We don't do hand-holding. The guide is on the website.", "dismiss"),
        ("@jo Not our problem, ask your department.", "dismiss"),
        ("@jo Google it.", "dismiss"),
        ("@jo Well done, you've locked yourself out again.", "sarcasm"),
        ("@jo Don't be so dense.", "insult"),
        ("@jo Stop tweeting us.", "stop"),
        ("@jo WE ARE NOT OPEN ON SUNDAYS.", "shout"),
        ("Can't you read?", "belittle"),
        ("@jo Locked out again? Maybe write your password down.", "belittle"),
    ],
)
def test_each_stance(text: str, expected: str) -> None:
    stances = {stance for _, _, stance in find_hostility(text)}
    assert expected in stances and stances <= set(STANCES)


@pytest.mark.parametrize(
    "text",
    [
        "Forgotten it? Reset it yourself at https://password.example.org/reset any time.",
        "@jo Oh no, sorry to hear that! Could you DM us the error?",
        "Please stop by the desk in the library if you need a hand.",
        "@jo It's not your fault at all; the page was down for everyone.",
        "@jo Our engineers are working on it and we'll update by 3pm.",
        "Be sure to STAY ON CAMPUS today for the open day!",
        "@jo Could you share your system details (OS, CPU, RAM, GPU)?",
        "@jo If you'd like, we can call you back this afternoon.",
        "@jo Next time you visit, ask at the front desk for a loan laptop.",
    ],
)
def test_calm_replies_draw_nothing(text: str) -> None:
    assert list(find_hostility(text)) == []


def test_spans_point_at_the_phrase() -> None:
    text = "@jo Thanks. Not our problem, though; ask your department."
    ((a, b, stance),) = list(find_hostility(text))
    assert (text[a:b], stance) == ("Not our problem", "dismiss")
