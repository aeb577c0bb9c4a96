"""The organisation's own things: IT services and policy terms, role mailboxes, greeted names."""

from __future__ import annotations

import pytest

from postguard.checks.pii.organisation import OrganisationTerms, addressed, is_role_mailbox


@pytest.mark.parametrize(
    "address",
    ["servicedesk@example.ac.uk", "helpdesk@x.org", "it-support@x.org", "noreply@x.org", "no-reply@x.org",
     "info@news.example.org", "reportphish@wellsfargo.com", "abuse@chase.com", "IT.ServiceDesk@x.ac.uk",
     "do_not_reply2@x.com", "library@x.ac.uk"],
)
def test_role_mailboxes(address):
    assert is_role_mailbox(address)


@pytest.mark.parametrize(
    "address", ["jane.doe@example.co.uk", "sarah.connor@gmail.com", "jo@example.com", "priya.patel2@x.org",
                "itsme.mark@x.com"]
)
def test_personal_mailboxes(address):
    assert not is_role_mailbox(address)


def test_the_policys_own_mailboxes():
    assert is_role_mailbox("library-ask@x.ac.uk", ["library-ask"])
    assert not is_role_mailbox("ask-jo@x.ac.uk", ["library-ask"])


def test_terms_match_whole_words_longest_first():
    terms = OrganisationTerms(["the Arts Tower", "Estates"])
    text = "Microsoft Teams and Guest Wi-Fi are down; Estates are in the Arts Tower. Steams no."
    got = [text[a:b] for a, b in terms.spans(text)]
    assert got == ["Microsoft Teams", "Guest Wi-Fi", "Estates", "Arts Tower"]
    assert terms.covers(text, text.index("the Arts"), text.index(" Tower") + 6, terms.spans(text))
    assert not terms.covers("Teams Jones", 0, 11, terms.spans("Teams Jones"))


@pytest.mark.parametrize(
    ("text", "name", "greeted"),
    [
        ("Hi Sam, your laptop is ready", "Sam", True),
        ("Thanks Priya!", "Priya", True),
        ("Thanks for reaching out, Sal. You can stay updated", "Sal", True),
        ("Hello Fernando", "Fernando", True),
        ("Sam failed his resit", "Sam", False),
        ("Hi Sam Jones, welcome", "Sam", False),
        ("We met Sam today", "Sam", False),
    ],
)
def test_addressed(text, name, greeted):
    start = text.index(name)
    assert addressed(text, start, start + len(name)) is greeted
