"""find_passwords on its own: the value's span, whole with its own punctuation, not the sentence's."""

from __future__ import annotations

import pytest

from postguard.checks.passwords import find_passwords, inside_url, password_like


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your password is Winter2024!", ["Winter2024!"]),
        ("The password is Hunter2.", ["Hunter2"]),
        ("Wi-Fi: UniGuest (password: Maple-Harbour-42)", ["Maple-Harbour-42"]),
        ("Server=sql01;User Id=sa;Password=Hunter2Secret;Database=lib", ["Hunter2Secret"]),
        ("https://kiosk.example.org/login?password=Hunter2Secret&user=admin", ["Hunter2Secret"]),
        ("password: ${DB_PASSWORD}", []),
        ("The password is case-sensitive.", []),
        ("Contact:jo.bloggs@uni.ac.uk", []),
        ("ftp://backup:Gr8Lakes2024@files.example.org", ["Gr8Lakes2024"]),
        ("$pw = ConvertTo-SecureString 'Hunter2Secret' -AsPlainText -Force", ["Hunter2Secret"]),
        # A link on the line before is not the word the pair stands in.
        ("Status: https://status.example.ac.uk\nlogin: admin/Hunter2!", ["Hunter2!"]),
        ("https://status.example.ac.uk\tlogin: admin/Hunter2!", ["Hunter2!"]),
    ],
)
def test_spans(text, expected):
    assert sorted({text[a:b] for a, b in find_passwords(text, text.lower())}) == expected


@pytest.mark.parametrize(
    ("value", "strict", "expected"),
    [("Otter-Lantern-7", True, True), ("StaffEvent", False, True), ("StaffEvent", True, False),
     ("secure", False, False), ("10:30", True, False), ("1234", True, False), ("changeme", False, False)],
)
def test_password_like(value, strict, expected):
    assert password_like(value, strict=strict) is expected


@pytest.mark.parametrize(
    ("text", "i", "expected"),
    [("see https://a.example/x/login", 22, True), ("https://a.example\nlogin", 18, False),
     ("www.example.org/login", 16, True), ("a\twww.example.org/login", 18, True), ("plain login", 6, False)],
)
def test_inside_url(text, i, expected):
    assert inside_url(text, i) is expected
