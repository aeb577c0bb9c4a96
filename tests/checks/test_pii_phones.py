"""Phone numbers read in the organisation's regions: validation per region, fictional ranges,
an organisation's freephone and non-geographic lines."""

from __future__ import annotations

import pytest

from postguard.checks.pii.phones import organisation_line, phone_numbers

REGIONS = ("GB", "US", "IE")


def numbers(text: str, regions=REGIONS) -> list[tuple[str, float]]:
    return [(text[a:b], score) for a, b, score in phone_numbers(text, regions)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("ring 0113 496 0123", "0113 496 0123"),  # GB (Ofcom drama range, valid to libphonenumber)
        ("Call Jane on 07700900123 about her appeal", "07700900123"),  # GB drama mobile: still a number
        ("or 415-555-0199 after six", "415-555-0199"),  # US 555-01xx: still a number
        ("her mobile 087 123 4567", "087 123 4567"),  # IE
        ("+44 7911 123456", "+44 7911 123456"),
        ("+49 30 901820", "+49 30 901820"),  # international numbers are always read
    ],
)
def test_valid_in_one_of_the_regions(text, number):
    found = numbers(text)
    assert (number, pytest.approx(found[0][1])) in found and found[0][1] >= 0.75


def test_a_national_number_needs_its_region():
    assert numbers("her mobile 087 123 4567", ("GB",))[0][1] < 0.5
    assert numbers("her mobile 087 123 4567", ("IE",))[0][1] >= 0.75


@pytest.mark.parametrize(
    "text", ["Please call 1-800-956-4442", "Freephone 0800 123 4567", "ring 0300 123 4567", "1800 123 456"]
)
def test_freephone_and_non_geographic_lines_are_the_organisations(text):
    assert numbers(text) == []


def test_organisation_line():
    assert organisation_line("0800 123 4567", REGIONS)
    assert not organisation_line("07911 123456", REGIONS)
