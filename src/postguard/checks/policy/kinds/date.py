"""``date``: relative dates against the post's scheduled time, and embargoes.

``mode: relative`` — "tomorrow", "this Friday", "next week" mean something else once a
scheduled post goes out on another day. With ``metadata.scheduled_at`` set and a day other
than today, such words are flagged, with the date the author meant as the suggestion.
Without a scheduled time nothing is flagged.

``mode: embargo`` — terms under embargo (``embargoes: [{terms: [...], until: <date-time>}]``,
usually from the policy's settings) are flagged when the post would go out before the
embargo lifts (at its scheduled time, else now).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

from postguard.checks.policy.kinds.phrase import PhraseSet, phrase_pattern
from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields

FIELDS = {
    "mode": "relative | embargo (required)",
    "embargoes": "for mode embargo: [{terms: [...], until: 2026-06-01T09:00:00Z}]",
}
PLACEHOLDERS = ("date", "until", "published")
IGNORECASE = True
MODES = ("embargo", "relative")

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
              "tomorrow": 1, "tomorrow morning": 1, "tomorrow afternoon": 1, "tomorrow evening": 1,
              "tomorrow night": 1, "yesterday": -1, "last night": -1}
_WEEK_WORDS = {"this week": 0, "this weekend": 0, "next week": 1, "next weekend": 1, "last week": -1}
_RELATIVE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted({**_DAY_WORDS, **_WEEK_WORDS}, key=len, reverse=True))
    # "every Friday" and "Good Friday" are not relative to the day of reading
    + r"|(?<!every )(?<!each )(?<!good )(?:(?:this|next|on|last)\s+)?(?:" + "|".join(_WEEKDAYS) + r")"
    + r")(?!\w)",
    re.IGNORECASE,
)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _long(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B}"


def _resolve(words: str, day: date) -> tuple[date, bool]:
    """The date ``words`` means when read on ``day``; the flag is True for a whole week."""
    if words in _DAY_WORDS:
        return day + timedelta(days=_DAY_WORDS[words]), False
    if words in _WEEK_WORDS:
        return day - timedelta(days=day.weekday()) + timedelta(weeks=_WEEK_WORDS[words]), True
    *qualifier, name = words.split()
    ahead = (_WEEKDAYS.index(name) - day.weekday()) % 7
    if qualifier == ["next"] and ahead == 0:
        ahead = 7
    if qualifier == ["last"]:
        ahead = -((day.weekday() - _WEEKDAYS.index(name)) % 7 or 7)
    return day + timedelta(days=ahead), False


class RelativeMatcher:
    """Flags words whose meaning on the publication day differs from their meaning today."""

    def find(self, target: Target) -> Iterator[RuleHit]:
        scheduled = target.parsed.post.metadata.scheduled_at
        if scheduled is None:
            return
        scheduled = _aware(scheduled)
        now = target.clock().astimezone(scheduled.tzinfo)
        today, published = now.date(), scheduled.date()
        if published == today:
            return
        for m in _RELATIVE.finditer(target.text):
            words = " ".join(m.group().lower().split())
            meant, week = _resolve(words, today)
            if _resolve(words, published)[0] == meant:
                continue
            values = {"published": _long(published)}
            if week:
                yield RuleHit(m.start(), m.end(), values={**values, "date": f"the week of {_long(meant)}"})
            else:
                yield RuleHit(m.start(), m.end(), suggestion=f"on {_long(meant)}", values={**values, "date": _long(meant)})


class EmbargoMatcher:
    def __init__(self, embargoes: list[tuple[PhraseSet, datetime]]) -> None:
        self.embargoes = embargoes

    def find(self, target: Target) -> Iterator[RuleHit]:
        scheduled = target.parsed.post.metadata.scheduled_at
        when = _aware(scheduled) if scheduled is not None else target.clock()
        for regex, until in self.embargoes:
            if when >= until:
                continue
            for m in regex.finditer(target.text):
                yield RuleHit(m.start(), m.end(), values={"until": f"{until:%Y-%m-%d %H:%M %Z}".strip(), "published": f"{when:%Y-%m-%d %H:%M %Z}".strip()})


def _embargoes(f: Fields) -> list[tuple[PhraseSet, datetime]]:
    raw = f.raw("embargoes") or []
    if not isinstance(raw, list):
        raise f.error("embargoes", "'embargoes' must be a list of {terms: [...], until: <date-time>}")
    out = []
    for item in raw:
        if not isinstance(item, dict) or "terms" not in item or "until" not in item:
            raise f.error("embargoes", "each embargo is {terms: [...], until: <date-time>}")
        terms = item["terms"] if isinstance(item["terms"], list) else [item["terms"]]
        until = item["until"]
        if isinstance(until, str):
            try:
                until = datetime.fromisoformat(until.replace("Z", "+00:00"))
            except ValueError:
                raise f.error("embargoes", f"until {until!r} is not an ISO date-time") from None
        elif isinstance(until, date) and not isinstance(until, datetime):
            until = datetime(until.year, until.month, until.day)
        if not isinstance(until, datetime):
            raise f.error("embargoes", f"until {until!r} is not an ISO date-time")
        out.append((phrase_pattern([str(t) for t in terms], ignorecase=f.flag("ignorecase", IGNORECASE)), _aware(until)))
    return out


def build(f: Fields) -> Any:
    mode = f.choice("mode", MODES)
    if mode == "relative":
        return RelativeMatcher()
    return EmbargoMatcher(_embargoes(f))
