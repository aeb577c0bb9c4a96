"""``phrase``: any of a list of words or phrases, word-boundary aware, on the normalised text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from postguard.checks.policy.rule import RuleHit, Target
from postguard.checks.policy.spec import Fields

FIELDS = {"phrases": "words or phrases to flag (required)"}
PLACEHOLDERS: tuple[str, ...] = ()
IGNORECASE = True


_WORD = r"\p{L}\p{N}_"


class PhraseSet:
    """Literal phrases matched with RE2 (one DFA pass, whatever the number of phrases).

    RE2 has no lookbehind, so a phrase that starts with a letter, digit or underscore consumes
    the character before it (outside the captured span); the end is checked here instead of
    being consumed, so back-to-back phrases are all found. Spaces match any run of spaces.
    """

    def __init__(self, phrases: Iterable[str], *, ignorecase: bool = True) -> None:
        from postguard.checks.policy.spec import compile_re2

        bounded: list[str] = []
        free: list[str] = []
        for p in sorted({" ".join(p.split()) for p in phrases if p.strip()}, key=len, reverse=True):
            body = r"[\s\p{Z}]+".join(_escape(w) for w in p.split())
            (bounded if _is_word(p[0]) else free).append(body)
        alts = []
        if bounded:
            alts.append(rf"(?:^|[^{_WORD}])(" + "|".join(bounded) + ")")
        if free:
            alts.append("(" + "|".join(free) + ")")
        self.regex = compile_re2("|".join(alts), ignorecase=ignorecase) if alts else None
        self.n_groups = len(alts)

    def finditer(self, text: str) -> Iterator["Found"]:
        if self.regex is None:
            return
        n = len(text)
        for m in self.regex.finditer(text):
            s, e = m.span(1)
            if s < 0:
                s, e = m.span(2)
            if e < n and _is_word(text[e - 1]) and _is_word(text[e]):
                continue  # "ad" inside "ads"
            yield Found(text, s, e)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class Found:
    """A phrase match with the small part of ``re.Match`` the kinds use."""

    __slots__ = ("_text", "_start", "_end")

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def span(self) -> tuple[int, int]:
        return self._start, self._end

    def group(self) -> str:
        return self._text[self._start : self._end]


def _escape(word: str) -> str:
    return "".join(ch if ch.isalnum() or ch == "_" else "\\" + ch if ch.isascii() else ch for ch in word)


def phrase_pattern(phrases: Iterable[str], *, ignorecase: bool = True) -> PhraseSet:
    """The phrases as one matcher (``finditer`` like a compiled pattern)."""
    return PhraseSet(phrases, ignorecase=ignorecase)


class PhraseMatcher:
    def __init__(self, regex: PhraseSet) -> None:
        self.regex = regex

    def find(self, target: Target) -> Iterator[RuleHit]:
        for m in self.regex.finditer(target.text):
            yield RuleHit(m.start(), m.end())


def build(f: Fields) -> PhraseMatcher:
    phrases = f.texts("phrases", required=True)
    return PhraseMatcher(phrase_pattern(phrases, ignorecase=f.flag("ignorecase", IGNORECASE)))
