"""What belongs to the organisation, not to a person: its services, names, buildings and mailboxes.

A service desk's posts name the tools it runs (Teams, Moodle, Eduroam, Guest Wi-Fi), its own
departments and buildings (Estates, the Arts Tower) and its shared mailboxes (servicedesk@,
noreply@); none of them is personal data. The IT services ship in ``postguard/data/it_services.txt``;
the policy's ``organisation:`` adds the organisation's own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources

#: words a shared mailbox's local part is made of ("it-support", "reportphish", "no_reply")
ROLE_WORDS = frozenset(
    "abuse accessibility accommodation accounts admin administrator admissions advice alerts alumni "
    "apply billing bookings care careers cert comms communications complaints compliance contact "
    "contactus csirt customer customers data desk digital do donotreply dpo enquiries enquiry estates "
    "events exams facilities feedback finance foi hello help helpdesk helpline hostmaster hr ict "
    "incident incidents info information inquiries it its jobs legal library mail mailer marketing "
    "media network news newsletter noc noreply no not notifications office online orders payroll "
    "phish phishing postmaster press privacy protection recruitment registry report reception reply "
    "research reservations sales security service servicedesk services soc social spam staff "
    "student students studentservices support systems team timetabling union web webmaster welcome".split()
)


def is_role_mailbox(address: str, extra: Iterable[str] = ()) -> bool:
    """True when the address's local part is made only of role words (or is one of ``extra``)."""
    local = address.partition("@")[0].lower()
    if local in {e.lower() for e in extra}:
        return True
    parts = [p for p in re.split(r"[._+\-\d]+", local) if p]
    return bool(parts) and all(_made_of_role_words(p) for p in parts)


@functools.lru_cache(maxsize=4096)
def _made_of_role_words(word: str) -> bool:
    """Whether ``word`` splits into role words ("reportphish" -> report + phish)."""
    ok = [True] + [False] * len(word)
    for end in range(2, len(word) + 1):
        ok[end] = any(ok[start] and word[start:end] in ROLE_WORDS for start in range(0, end - 1))
    return ok[len(word)]


_TOKEN = re.compile(r"[^\W_](?:[\w.:&+'’-]*[\w+])?")


def _words(term: str) -> tuple[str, ...]:
    return tuple(m.group().lower() for m in _TOKEN.finditer(term))


class OrganisationTerms:
    """Finds the shipped IT services and the organisation's own terms in a post, word by word."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        by_first: dict[str, set[tuple[str, ...]]] = {}
        for term in (*_it_services(), *extra):
            words = _words(term)
            if words and words[0] == "the" and len(words) > 1:
                words = words[1:]  # "the Arts Tower": the article is matched either way
            if words:
                by_first.setdefault(words[0], set()).add(words)
        # longest first, so "Microsoft Teams" wins over "Teams"
        self.by_first = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}
        self.vocabulary = frozenset(w for terms in by_first.values() for words in terms for w in words)

    def holds(self, text: str, start: int, end: int) -> bool:
        """True when every word of ``text[start:end]`` but "the" is part of one of the terms."""
        words = [m.group().lower() for m in _TOKEN.finditer(text, start, end)]
        if not words or any(w not in self.vocabulary and w != "the" for w in words):
            return False  # the common case, decided without reading the rest of the post
        lo, hi = max(0, start - 60), min(len(text), end + 60)
        spans = [(a + lo, b + lo) for a, b in self.spans(text[lo:hi])]
        return self.covers(text, start, end, spans)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every term in ``text``."""
        tokens = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]
        words = [t[2] for t in tokens]
        out = []
        i = 0
        while i < len(tokens):
            n = next((len(w) for w in self.by_first.get(words[i], ()) if tuple(words[i : i + len(w)]) == w), 0)
            if n:
                out.append((tokens[i][0], tokens[i + n - 1][1]))
                i += n
            else:
                i += 1
        return out

    @staticmethod
    def covers(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
        """True when the terms in ``spans`` cover every word of ``text[start:end]`` but "the"."""
        for m in _TOKEN.finditer(text, start, end):
            if m.group().lower() == "the":
                continue
            if not any(a <= m.start() and m.end() <= b for a, b in spans):
                return False
        return True


@functools.lru_cache(maxsize=1)
def _it_services() -> tuple[str, ...]:
    """The shipped gazetteer of IT services and products (``postguard/data/it_services.txt``)."""
    raw = (resources.files("postguard") / "data" / "it_services.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#"))


#: before a one-word name: the greeting or thanks it is addressed with ("Hi Sam", "Thanks Priya")
_GREETING_BEFORE = re.compile(
    r"(?i:(?:^|[\s,.!?(])(?:hi|hiya|hello|hey|dear|morning|good\s+(?:morning|afternoon|evening)|evening|"
    r"afternoon|thanks|thank\s+you|thankyou|thx|ty|cheers|welcome|congrats|congratulations|sorry|ok|okay|"
    r"great|glad|happy)[\s,]*)$"
)
#: after a one-word name: the end of a vocative ("..., Sal." / "Hi Sam, ..." / "Thanks Priya!")
_VOCATIVE_AFTER = re.compile(r"^\s*(?:[,!.?:;)]|$|\n|[-–—]\s)")
_VOCATIVE_BEFORE = re.compile(r",\s*$")


def addressed(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is the one name a post greets or thanks ("Hi Sam,", ", Sal.")."""
    if not text[start:end].isalpha():
        return False
    after = text[end : end + 3]
    if not _VOCATIVE_AFTER.match(after):
        return False
    before = text[max(0, start - 40) : start]
    return _GREETING_BEFORE.search(before) is not None or _VOCATIVE_BEFORE.search(before) is not None
