"""Identifiers named by their context, without any id_patterns: each cue, and the near misses."""

from __future__ import annotations

import pytest

from postguard.checks.pii.ids import identifiers

FOUND = [
    ("Student number 20231187 still owes the library £12.", "20231187", "student ID"),
    ("student ID 20231187", "20231187", "student ID"),
    ("my student no. is 20231187", "20231187", "student ID"),
    ("Staff ID E123456", "E123456", "staff ID"),
    ("employee number: 00451", "00451", "staff ID"),
    ("payroll no 778812 was paid twice", "778812", "staff ID"),
    ("Candidate 4471 in the exam hall was caught with notes.", "4471", "ID number"),
    ("exam candidate number 0123-4471", "0123-4471", "candidate number"),
    ("matric 2012345X", "2012345X", "matriculation number"),
    ("Matriculation number 2012345", "2012345", "matriculation number"),
    ("her case number is C-2024-0117", "C-2024-0117", "case number"),
    ("claim ref CLM88123", "CLM88123", "case number"),
    ("NI number QQ123456C", "QQ123456C", "national ID"),
    ("applicant ID 5512345", "5512345", "ID number"),
    ("library card number 2100045678", "2100045678", "ID number"),
]


@pytest.mark.parametrize(("text", "code", "label"), FOUND)
def test_a_code_after_its_cue_is_an_identifier(text, code, label):
    assert [(text[a:b], lab) for a, b, lab in identifiers(text)] == [(code, label)]


NEAR_MISSES = [
    "Student numbers rose 12% in 2024",  # a count, not a code
    "Staff ID cards are ready at reception",  # no digits
    "Candidate 2025 intake opens in May",  # a year after the bare word
    "Candidates must arrive by 09:30",
    "student 12 of 40",  # too few digits
    "In case 2024 goes badly, we have a plan",  # "case" needs number/ref
    "Staff meeting at 14:00 in room 101",
    "The student union opens at 9",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_are_not_identifiers(text):
    assert identifiers(text) == []
