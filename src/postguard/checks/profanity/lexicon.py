"""The graded word list (``postguard/wordlists/profanity.yaml``) and a policy's changes to it."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import yaml

from postguard.errors import PolicyError, one_of
from postguard.findings import Severity

GRADES = ("mild", "strong", "slur")
SEVERITIES = {"mild": Severity.INFO, "strong": Severity.WARNING, "slur": Severity.BLOCK}
RANK = {"mild": 0, "strong": 1, "slur": 2}
CONFIG_KEYS = ("words", "remove", "allow", "allow_phrases", "suggest")


@dataclass(frozen=True)
class Lexicon:
    """A graded word list and its exceptions, as data."""

    words: dict[str, str]  # word -> grade, in priority order
    names: frozenset[str] = frozenset()
    acronyms: frozenset[str] = frozenset()
    allow: frozenset[str] = frozenset()
    allow_phrases: tuple[str, ...] = ()
    milder: dict[str, str] | None = None
    inner: tuple[str, ...] = ()  # a word found inside any token (dumbfuck, fuckthis)
    prefix: tuple[str, ...] = ()  # a word found at the start of any token (cuntish)
    excluded: frozenset[str] = frozenset()
    mask_first: tuple[str, ...] = ()

    def with_config(self, config: Mapping[str, Any]) -> "Lexicon":
        """This lexicon changed by a policy's ``checks.profanity`` settings."""
        unknown = sorted(set(config) - set(CONFIG_KEYS))
        if unknown:
            raise PolicyError(f"checks.profanity: setting {one_of(unknown[0], CONFIG_KEYS)}")
        words = dict(self.words)
        changes = config.get("words") or {}
        if not isinstance(changes, Mapping):
            raise PolicyError("checks.profanity.words must map words to a grade: mild, strong, slur or off")
        for word, grade in changes.items():
            key = entry_key(str(word))
            if grade == "off" or grade is False:  # YAML reads a bare off as False
                words.pop(key, None)
            elif grade in GRADES:
                words[key] = grade
            else:
                allowed = (*GRADES, "off")
                raise PolicyError(f"checks.profanity.words[{word!r}]: grade {one_of(grade, allowed)}")
        for word in _string_list(config, "remove"):
            words.pop(entry_key(word), None)
        allowed = _string_list(config, "allow")
        allow = self.allow | {w.lower() for w in allowed if w.isalpha()}
        # a name of several words (Dick Turpin, Cock-a-doodle) is allowed as a literal phrase
        literal = tuple(re.escape(w) for w in allowed if not w.isalpha())
        phrases = self.allow_phrases + literal + tuple(_string_list(config, "allow_phrases"))
        for p in phrases:
            try:
                re.compile(p)
            except re.error as exc:
                raise PolicyError(f"checks.profanity.allow_phrases: invalid pattern {p!r}: {exc}") from None
        return replace(self, words=words, allow=allow, allow_phrases=phrases)


def _string_list(config: Mapping[str, Any], key: str) -> list[str]:
    value = config.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"checks.profanity.{key} must be a list of strings")
    return value


def entry_key(word: str) -> str:
    """How a listed word is stored: lower case, separators as single spaces, wildcards dropped."""
    return " ".join(re.split(r"[\s_]+", word.strip().lower().replace("*", "")))


@functools.cache
def default_lexicon() -> Lexicon:
    """The shipped list (``postguard/wordlists/profanity.yaml``)."""
    ref = resources.files("postguard") / "wordlists" / "profanity.yaml"
    data = yaml.safe_load(ref.read_text(encoding="utf-8"))
    words: dict[str, str] = {}
    for grade in GRADES:
        for w in data.get(grade) or []:
            words.setdefault(entry_key(str(w)), grade)
    return Lexicon(
        words=words,
        names=frozenset(data.get("names") or ()),
        acronyms=frozenset(data.get("acronyms") or ()),
        allow=frozenset(w.lower() for w in data.get("allow") or ()),
        allow_phrases=tuple(data.get("allow_phrases") or ()),
        milder=dict(data.get("milder") or {}),
        inner=tuple(data.get("inner") or ()),
        prefix=tuple(data.get("prefix") or ()),
        excluded=frozenset(str(w).lower() for w in data.get("excluded") or ()),
        mask_first=tuple(data.get("mask_first") or ()),
    )

