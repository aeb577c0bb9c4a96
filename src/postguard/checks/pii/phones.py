"""Phone numbers for the countries an organisation works in, read by libphonenumber.

A national number ("0113 496 0123", "415-555-0199", "087 123 4567") is valid in at most one of the
policy's regions: each candidate is read in every region and scored by the first that validates it.
International ``+`` numbers are read as written. Reserved fictional ranges (Ofcom's drama numbers,
North America's 555-01xx) are still someone's number in a draft. Freephone, shared-cost and
non-geographic lines (0800, 0300, 0845, 1-800) are an organisation's published lines, not a
person's, and are left out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

#: Ofcom's drama mobile range, 07700 900000-900999, which libphonenumber calls invalid
_DRAMA_MOBILE = re.compile(r"(?:\+?44|0)7700900\d{3}")


@functools.lru_cache(maxsize=1)
def _organisation_types() -> frozenset[int]:
    from phonenumbers import PhoneNumberType as T

    return frozenset({T.TOLL_FREE, T.SHARED_COST, T.UAN, T.PREMIUM_RATE})


def _read(raw: str, regions: Sequence[str]):
    """The number as read in the first region that validates it (or as written, for ``+``), else None."""
    import phonenumbers

    international = raw.lstrip("( ").startswith(("+", "00"))
    digits = _NON_DIGIT.sub("", raw.split("x")[0].split("ext")[0])
    for region in regions:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number):
            continue
        # a national number is written as it is dialled there: "345-899-3560" is North American,
        # not 0345 899 3560 without its 0
        national = _NON_DIGIT.sub("", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
        if international or national == digits or national.lstrip("1") == digits.lstrip("1"):
            return number
    return None


_NON_DIGIT = re.compile(r"\D")
_DIGIT_RUN = re.compile(r"\d[\d\s().\-/]{5,}\d")



def organisation_line(raw: str, regions: Sequence[str]) -> bool:
    """True for freephone, shared-cost and non-geographic numbers (an organisation's lines)."""
    import phonenumbers

    number = _read(raw, regions)
    return number is not None and phonenumbers.number_type(number) in _organisation_types()


def phone_numbers(text: str, regions: Sequence[str]) -> list[tuple[int, int, float]]:
    """(start, end, score) of every number libphonenumber finds in any of ``regions``."""
    if not any(len(_NON_DIGIT.sub("", m.group())) >= 7 for m in _DIGIT_RUN.finditer(text)):
        return []  # no run of seven digits: most posts, and the matchers cost ~100 us a region
    import phonenumbers

    found: dict[tuple[int, int], str] = {}
    for region in regions:
        for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            found.setdefault((m.start, m.end), m.raw_string)
    out = []
    for (start, end), raw in found.items():
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 7:
            continue
        number = _read(raw, regions)
        if number is not None:
            if phonenumbers.number_type(number) in _organisation_types():
                continue
            score = 0.75
        elif _DRAMA_MOBILE.fullmatch(digits if not raw.lstrip().startswith("+") else "+" + digits):
            score = 0.75
        else:
            score = 0.45
        if raw.startswith("+"):
            score += 0.1
        out.append((start, end, min(score, 1.0)))
    return out
