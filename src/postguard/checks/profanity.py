"""Profanity: a graded word list matched whole-word through disguises.

The matcher reads a *skeleton* of the checkable text: the same length, lower-cased, leetspeak and
look-alike letters mapped to plain ones (``sh1t``, ``@ss``, ``ѕһіт``, ``ꜰᴜᴄᴋ``), so every skeleton
position is a position of ``ParsedPost.text`` and spans map back to the author's original through
the offset map. On the skeleton it finds whole words and lets them through four disguises:
repeated letters (``fuuuck``), letters split by separators (``f.u.c.k``, ``f u c k``, ``sh-it``),
masks (``f*ck``, ``a**hole``) and inflections (``bastards``). Matching is whole-word, so
Scunthorpe, Penistone and cocktail are never reached; an allow list covers the few place names,
surnames and words that a suffix, a separator or a repeated letter would otherwise reach.

Other checks reuse the matches: ``parsed.profanity`` (or ``profanity_in(parsed)``) is the shipped
list's matches, made once per post; ``find_profanity(text)`` matches any string with the shipped list.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from itertools import product
from typing import TYPE_CHECKING, Any

import yaml

from postguard.checks.base import BaseCheck, Output
from postguard.errors import PolicyError, one_of
from postguard.findings import Severity
from postguard.lookalikes import LOOKALIKES
from postguard.platforms.urls import find_urls

if TYPE_CHECKING:
    from postguard.parsing import ParsedPost
    from postguard.policy import Policy

__all__ = [
    "GRADES",
    "Lexicon",
    "Match",
    "ProfanityCheck",
    "ProfanityMatcher",
    "default_lexicon",
    "default_matcher",
    "find_profanity",
    "profanity_in",
    "skeleton",
]

GRADES = ("mild", "strong", "slur")
SEVERITIES = {"mild": Severity.INFO, "strong": Severity.WARNING, "slur": Severity.BLOCK}
_RANK = {"mild": 0, "strong": 1, "slur": 2}
_MESSAGES = {
    "mild": "Mild profanity ({word}): fine among friends, out of place on an official account.",
    "strong": "Strong profanity ({word}): most audiences will find this offensive.",
    "slur": "A slur ({word}): it demeans a group of people and must not be posted.",
}
_DISGUISED = " Disguising it does not hide it, and reads as deliberate."
CONFIG_KEYS = ("words", "remove", "allow", "allow_phrases", "suggest")
SUGGEST = ("milder", "mask", "none")

# ------------------------------------------------------------------------------------------
# The skeleton: one character for one character.

_AMBIGUOUS = "\x01"  # 1, ! or | between letters: i or l. ParsedPost.text never holds \x01.
_MARK = "\x02"  # a combining mark left after NFKC (f̶u̶c̶k̶, zalgo): part of the word, not a letter
_COMBINING = ((0x0300, 0x036F), (0x0483, 0x0489), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
              (0xFE20, 0xFE2F))
_LEET = {"0": "o", "1": _AMBIGUOUS, "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
         "@": "a", "$": "s", "€": "e"}
_SMALL_CAPS = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ"


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    for cp in range(0xC0, 0x250):  # Latin letters with accents -> the plain letter
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base.isascii() and base.isalpha():
            table[cp] = base.lower()
    for src, dst in LOOKALIKES.items():
        table[ord(src)] = dst.lower()
        if len(src.upper()) == 1:
            table.setdefault(ord(src.upper()), dst.lower())
    for i, c in enumerate(_SMALL_CAPS):
        table[ord(c)] = "abcdefghijklmnopqrstuvwxyz"[i]
    for first in (0x1F150, 0x1F170, 0x1F1E6):  # negative circled, negative squared, regional
        for i in range(26):
            table[first + i] = chr(ord("a") + i)
    for src, dst in _LEET.items():
        table[ord(src)] = dst
    for first, last in _COMBINING:  # strike-through and zalgo marks stay inside the word
        for cp in range(first, last + 1):
            table[cp] = _MARK
    # Identity entries keep str.translate from raising KeyError on every other character.
    for cp in [*range(0x250), *range(0x2000, 0x2070)]:
        table.setdefault(cp, chr(cp))
    return table


_FOLD = _fold_table()
_LETTER = r"a-z\x01"
_BANG = re.compile(rf"(?<=[{_LETTER}*])[!|]+(?=[{_LETTER}*+])")
_PLUS = re.compile(rf"(?<=[{_LETTER}])\+(?!\+)")
_TOKEN = re.compile(rf"[{_LETTER}*{_MARK}]+")
# Single letters split by separators: f.u.c.k, f u c k, f-u-c-k, f*u*c*k
_UNIT = rf"[{_LETTER}](?![{_LETTER}])"
_SPACED = re.compile(rf"(?<![{_LETTER}]){_UNIT}(?:[ \t._\-/·•~*:]{{1,3}}{_UNIT}){{2,}}")
# Longer pieces joined by one separator: sh-it, fu.ck, mother-fucker (and cock-tail, allowed)
_JOINED = re.compile(rf"[{_LETTER}*{_MARK}]+(?:[._\-][{_LETTER}*{_MARK}]+)+")
_JOINT = re.compile(rf"[{_LETTER}*][._\-][{_LETTER}*]")
_REPEAT = re.compile(r"(.)\1+")
_CODE = re.compile(r"[A-Za-z]?\d+|\d+[A-Za-z]?")
_SUFFIXES = ("s", "es", "ed", "er", "ers", "ing", "in", "y")
_VOWELS = frozenset("aeiouy")
_TOKEN_CACHE_SIZE = 50_000
_LONGEST = 60  # letters one spaced word may take, held letters included
_LOOSE = str.maketrans({"l": "i", _AMBIGUOUS: "i", "v": "u"})


def skeleton(text: str) -> str:
    """``text`` lower-cased with leetspeak and look-alikes read as letters; same length."""
    s = text.translate(_FOLD)
    if "!" in s or "|" in s:
        s = _BANG.sub(lambda m: _AMBIGUOUS * len(m.group()), s)
    if "+" in s:
        s = _PLUS.sub("t", s)
    return s


def _readings(token: str) -> list[str]:
    """Each way of reading the ambiguous characters (1 ! |) of a skeleton token."""
    n = token.count(_AMBIGUOUS)
    if not n:
        return [token]
    if n > 3:
        return [token.replace(_AMBIGUOUS, "i"), token.replace(_AMBIGUOUS, "l")]
    parts = token.split(_AMBIGUOUS)
    out = []
    for letters in product("il", repeat=n):
        out.append(parts[0] + "".join(c + p for c, p in zip(letters, parts[1:])))
    return out


def _runs(word: str) -> tuple[tuple[str, int], ...]:
    out: list[tuple[str, int]] = []
    for c in word:
        if out and out[-1][0] == c:
            out[-1] = (c, out[-1][1] + 1)
        else:
            out.append((c, 1))
    return tuple(out)


def _stretches(token: str, runs: tuple[tuple[str, int], ...]) -> bool:
    """True when ``token`` is the word with letters held (fuuuck, shiiit), not another word: a
    doubled consonant (assess for asses) or a doubled vowel in a short word (woop, noob) is."""
    mine = _runs(token)
    if len(mine) != len(runs):
        return False
    for (c, n), (wc, wn) in zip(mine, runs):
        if c != wc or n < wn:
            return False
        if n > wn and n < 3 and (c not in _VOWELS or len(token) < 5):
            return False
    return True


# ------------------------------------------------------------------------------------------
# The word list


@dataclass(frozen=True, slots=True)
class Match:
    """A listed word found in a text: ``[start, end)`` are offsets into the text searched."""

    start: int
    end: int
    word: str  # the listed word, as in the word list ("fuck", "son of a bitch")
    grade: str  # mild | strong | slur
    disguised: bool  # spelt otherwise than the listed word (leet, separators, masks, repeats)

    @property
    def severity(self) -> Severity:
        return SEVERITIES[self.grade]


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
            key = _entry_key(str(word))
            if grade == "off" or grade is False:  # YAML reads a bare off as False
                words.pop(key, None)
            elif grade in GRADES:
                words[key] = grade
            else:
                allowed = (*GRADES, "off")
                raise PolicyError(f"checks.profanity.words[{word!r}]: grade {one_of(grade, allowed)}")
        for word in _string_list(config, "remove"):
            words.pop(_entry_key(word), None)
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


def _entry_key(word: str) -> str:
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
            words.setdefault(_entry_key(str(w)), grade)
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


# ------------------------------------------------------------------------------------------
# The matcher


class ProfanityMatcher:
    """Finds a lexicon's words in text, whole-word, through disguises. Build once, reuse."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._grade: dict[str, str] = {}  # compact skeleton form -> grade
        self._display: dict[str, str] = {}  # compact form -> listed word
        self._by_key: dict[str, list[tuple[str, tuple[tuple[str, int], ...]]]] = {}
        self._by_shape: dict[tuple[int, str], list[str]] = {}
        multi: list[tuple[str, str]] = []
        order = sorted(
            enumerate(lexicon.words.items()), key=lambda item: (-_RANK[item[1][1]], item[0])
        )
        for _, (word, grade) in order:
            compact = re.sub(r"[^a-z]", "", skeleton(word).replace(_AMBIGUOUS, "i"))
            if " " in word:
                multi.append((compact, word))
            if not compact or compact in self._grade:
                continue
            self._grade[compact] = grade
            self._display[compact] = word
            self._by_key.setdefault(_REPEAT.sub(r"\1", compact), []).append((compact, _runs(compact)))
            self._by_shape.setdefault((len(compact), compact[0]), []).append(compact)
        # masks (f*ck, b***er) read as the most common word that fits, then in list order
        first = {_entry_key(w): i for i, w in enumerate(lexicon.mask_first)}
        for words in self._by_shape.values():
            words.sort(key=lambda w: first.get(self._display[w], len(first)))
        self._multi_words: list[str] = [c for c, _ in multi]
        # the regex runs only when a phrase's first and last words are both in the text
        self._multi_ends = {(skeleton(w.split()[0]), skeleton(w.split()[-1])) for _, w in multi}
        self._multi_firsts = frozenset(a for a, _ in self._multi_ends)
        self._multi = (
            re.compile(
                rf"(?<![{_LETTER}])(?:"
                + "|".join(f"(?P<m{i}>{_phrase_pattern(w)})" for i, (_, w) in enumerate(multi))
                + rf")(?![{_LETTER}])"
            )
            if multi
            else None
        )
        # compound fragments follow their word: a policy that removes or regrades "fuck" does too
        self._inner = {_REPEAT.sub(r"\1", k): k for k in lexicon.inner if k in self._grade}
        self._prefix = {_REPEAT.sub(r"\1", k): k for k in lexicon.prefix if k in self._grade}
        self._token_words: dict[str, str | None] = {}
        # Listed words (and their inflections) with i/l/1 and u/v merged and letters collapsed,
        # and all their prefixes: spaced runs of letters are walked against these.
        self._loose_words = {
            _REPEAT.sub(r"\1", (w + suffix).translate(_LOOSE))
            for w in self._grade
            for suffix in ("", *_SUFFIXES)
        }
        self._loose_prefixes = {k[:n] for k in self._loose_words for n in range(1, len(k) + 1)}
        self._hit_tokens: set[str] = set()
        self._phrases = (
            re.compile("|".join(f"(?:{p})" for p in lexicon.allow_phrases), re.IGNORECASE)
            if lexicon.allow_phrases
            else None
        )

    # -------------------------------------------------------------- public

    def find(self, text: str, urls: "list[tuple[int, int]] | None" = None) -> list[Match]:
        """Listed words in ``text``, left to right, never overlapping, none inside a URL.

        ``urls`` are the URL spans of ``text`` when known (``ParsedPost.urls``); found otherwise.
        """
        skel = skeleton(text)
        found: list[tuple[int, int, str, bool]] = []  # start, end, compact word, disguised
        # Allowed compounds (cock-tail) and links: a link's random path (bit.ly/2fUcK) is not
        # prose, and link rules judge addresses. A bare domain without a path stays prose, as
        # fu.ck and sh.it have TLDs.
        spans = find_urls(text, any_host=True) if urls is None else urls
        blocked = [(a, b) for a, b in spans if _is_link(text, a, b)]

        tokens = set(_TOKEN.findall(skel))
        if self._multi is not None and not self._multi_firsts.isdisjoint(tokens) and any(
            a in tokens and b in tokens for a, b in self._multi_ends
        ):
            for m in self._multi.finditer(skel):
                word = self._multi_words[int(m.lastgroup[1:])]  # type: ignore[index]
                found.append((m.start(), m.end(), word, True))

        if ("." in skel or "-" in skel or "_" in skel) and _JOINT.search(skel):
            for m in _JOINED.finditer(skel):
                pieces = re.split(r"[._\-]", m.group().replace(_MARK, ""))
                if max(len(p) for p in pieces) < 2:
                    continue  # all single letters: the spaced-letter pass reads these
                joined = "".join(pieces)
                raw = re.sub(r"[._\-]", "", text[m.start() : m.end()]).lower()
                if joined in self.lexicon.allow or raw in self.lexicon.allow:
                    blocked.append((m.start(), m.end()))
                    continue
                # compounds (jeezuz.fucking.christ) are left to the token pass, for a tight span
                word = self._lookup(joined.strip("*"), compounds=False)
                if word is not None:
                    found.append((m.start(), m.end(), word, True))

        for m in _SPACED.finditer(skel):
            found.extend(self._spaced(m.group(), m.start()))

        # Whole tokens: each distinct token is read once per matcher (a bounded cache), and only
        # the few that spell a listed word are located.
        words = self._token_words
        unseen = tokens.difference(words)
        if unseen:
            if len(words) + len(unseen) > _TOKEN_CACHE_SIZE:
                words.clear()
                self._hit_tokens.clear()
            for token in unseen:
                word = words[token] = self._token_word(token)
                if word is not None:
                    self._hit_tokens.add(token)
        hits = tokens & self._hit_tokens
        if hits:
            for m in _TOKEN.finditer(skel):
                token = m.group()
                if token not in hits:
                    continue
                word = words[token]
                core = token.strip("*")
                start = m.start() + len(token) - len(token.lstrip("*"))
                end = start + len(core)
                if _MARK in core:
                    core = core.replace(_MARK, "")
                if self._spared(text, start, end, core, word):
                    continue
                disguised = "*" in core or text[start:end].lower() != core or not core.startswith(word)
                found.append((start, end, word, disguised))

        if not found:
            return []
        return self._resolve(text, found, blocked)

    def suggestion(self, match: Match, excerpt: str, style: str = "milder") -> str | None:
        """A milder word where one exists (``style="milder"``), else the word masked: f***."""
        if style == "none":
            return None
        milder = (self.lexicon.milder or {}).get(match.word) if style == "milder" else None
        out = milder or _mask(match.word)
        letters = [c for c in excerpt if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters):
            return out.upper()
        if letters and letters[0].isupper():
            return out[:1].upper() + out[1:]
        return out

    # -------------------------------------------------------------- matching

    def _token_word(self, token: str) -> str | None:
        """The listed word a skeleton token spells: plain, held, inflected or masked."""
        core = token.replace(_MARK, "").strip("*")
        if len(core) < 2:
            return None
        if "*" in core:
            # a mask (f*ck), or markup stars inside a word (**fuck**ing)
            return self._masked(core) or self._lookup(core.replace("*", ""))
        return self._lookup(core)

    def _lookup(self, token: str, compounds: bool = True) -> str | None:
        """The listed word ``token`` spells, read every way; ``None`` when it spells none."""
        for reading in _readings(token):
            word = self._word(reading, compounds)
            if word is not None:
                return word
        if "v" in token:  # fvck, cvnt: v for u
            return self._lookup(token.replace("v", "u"), compounds)
        return None

    def _word(self, r: str, compounds: bool = True) -> str | None:
        key = _REPEAT.sub(r"\1", r)
        for word, runs in self._by_key.get(key, ()):
            if _stretches(r, runs):
                return word
        for suffix in _SUFFIXES:
            if r.endswith(suffix) and len(r) - len(suffix) >= 4:
                stem = r[: -len(suffix)]
                if suffix == "s" and stem[-1] == "s":
                    continue  # assess is not asses + s
                if len(stem) < 5 and suffix != "s":
                    continue  # spicy, spaces, cocked, damning: short stems take only a plural
                for word, runs in self._by_key.get(_REPEAT.sub(r"\1", stem), ()):
                    if _stretches(stem, runs) and word not in self._multi_words:
                        return word
        if not compounds:
            return None
        for frag, word in self._inner.items():
            if frag in key:
                return word
        for frag, word in self._prefix.items():
            if key.startswith(frag):
                return word
        return None

    def _masked(self, token: str) -> str | None:
        """The listed word a mask such as f*ck or a**hole stands for (earliest listed wins)."""
        visible = len(token) - token.count("*")
        if visible < 2 or token[0] == "*" or len(token) - visible > visible + 1:
            return None
        for word in self._by_shape.get((len(token), token[0]), ()):
            if all(t == "*" or t == w or (t == _AMBIGUOUS and w in "il") for t, w in zip(token, word)):
                return word
        return None

    def _spaced(self, run: str, offset: int) -> list[tuple[int, int, str, bool]]:
        """Listed words spelt by consecutive letters of a spaced run (f . u . c . k), leftmost
        longest first. Walks a prefix set, so a long run of letters costs linear time."""
        at = [offset + i for i, c in enumerate(run) if c.isalpha() or c == _AMBIGUOUS]
        chars = "".join(run[p - offset] for p in at)
        loose = chars.translate(_LOOSE)
        n, i, out = len(chars), 0, []
        while i <= n - 3:
            key, best = "", None
            for j in range(i, min(n, i + _LONGEST)):
                c = loose[j]
                if not key or key[-1] != c:
                    key += c
                    if key not in self._loose_prefixes:
                        break
                if j - i >= 2 and key in self._loose_words:
                    word = self._lookup(chars[i : j + 1], compounds=False)
                    if word is not None:
                        best = (j + 1, word)
            if best is None:
                i += 1
                continue
            out.append((at[i], at[best[0] - 1] + 1, best[1], True))
            i = best[0]
        return out

    def _cached(self, token: str) -> str | None:
        """``_token_word`` through the matcher's bounded cache."""
        words = self._token_words
        if token in words:
            return words[token]
        if len(words) >= _TOKEN_CACHE_SIZE:
            words.clear()
            self._hit_tokens.clear()
        word = words[token] = self._token_word(token)
        if word is not None:
            self._hit_tokens.add(token)
        return word

    def _spared(self, text: str, start: int, end: int, token: str, word: str) -> bool:
        """True for a token the allow list, a name or an acronym keeps out of the findings."""
        raw = text[start:end]
        lower = raw.lower()
        lex = self.lexicon
        if lower in lex.allow or token in lex.allow:
            return True
        if len(raw) > 1 and raw[0].isupper() and raw[1:].islower() and word in lex.names:
            return True
        if raw.rstrip("s").isupper() and word in lex.acronyms:
            return True
        # 455, A55 (a road), B52 are numbers and codes; $h173 and 5h17 are leetspeak
        return _CODE.fullmatch(raw) is not None

    def _resolve(
        self, text: str, found: list[tuple[int, int, str, bool]], blocked: list[tuple[int, int]]
    ) -> list[Match]:
        phrases = [(m.start(), m.end()) for m in self._phrases.finditer(text)] if self._phrases else []
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        if blocked:
            blocked = _merged(blocked)
        out: list[Match] = []
        last_end = -1
        b = p = 0  # both span lists are sorted and non-overlapping: walk them alongside
        for start, end, word, disguised in found:
            if start < last_end:
                continue
            while b < len(blocked) and blocked[b][1] <= start:
                b += 1
            if b < len(blocked) and blocked[b][0] <= start and end <= blocked[b][1]:
                continue
            while p < len(phrases) and phrases[p][1] <= start:
                p += 1
            if p < len(phrases) and phrases[p][0] < end:
                continue
            out.append(Match(start, end, self._display[word], self._grade[word], disguised))
            last_end = end
        return out


def _is_link(text: str, start: int, end: int) -> bool:
    """Whether the URL at ``[start, end)`` has a scheme, ``www.`` or a path."""
    return text.find("/", start, end) >= 0 or text[start : start + 4].lower() == "www."


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _phrase_pattern(phrase: str) -> str:
    """A multi-word entry as a skeleton pattern: any separators, held letters, 1 for i or l."""
    parts = []
    for part in phrase.split():
        letters = "".join(
            f"[{c}{_AMBIGUOUS}]+" if c in "il" else f"{re.escape(c)}+" for c in skeleton(part)
        )
        parts.append(letters)
    return r"[\s\-_.]+".join(parts)


def _mask(word: str) -> str:
    """f***, son of a b****: first letter kept, the other letters starred, spaces kept."""
    out = []
    for i, c in enumerate(word):
        out.append(c if i == 0 or not c.isalpha() else "*")
    return "".join(out)


# ------------------------------------------------------------------------------------------
# Public helpers and the check


@functools.cache
def default_matcher() -> ProfanityMatcher:
    """A matcher over the shipped list, built once."""
    return ProfanityMatcher(default_lexicon())


def find_profanity(text: str) -> list[Match]:
    """Listed words in ``text`` (offsets into ``text``), using the shipped list."""
    return default_matcher().find(text)


def profanity_in(parsed: "ParsedPost") -> list[Match]:
    """The shipped list's matches in ``parsed.text`` (the ``parsed.profanity`` view, made once)."""
    return parsed.profanity


class ProfanityCheck(BaseCheck):
    """``profanity.mild`` (info), ``profanity.strong`` (warning), ``profanity.slur`` (block)."""

    name = "profanity"
    needs_doc = False
    category = "profanity"

    def __init__(self, config: Mapping[str, Any], policy: "Policy") -> None:
        super().__init__(config, policy)
        lexicon = default_lexicon()
        self.suggest = config.get("suggest", "milder")
        if self.suggest not in SUGGEST:
            raise PolicyError(f"checks.profanity.suggest {one_of(self.suggest, SUGGEST)}")
        settings = {k: v for k, v in config.items() if k != "suggest"}
        self.matcher = ProfanityMatcher(lexicon.with_config(settings)) if settings else default_matcher()

    def run(self, parsed: "ParsedPost") -> Iterable[Output]:
        # The shipped list's matches are a view other checks share; a configured list is the check's own.
        matches = (
            parsed.profanity if self.matcher is default_matcher() else self.matcher.find(parsed.text, parsed.urls)
        )
        for m in matches:
            excerpt = parsed.text[m.start : m.end]
            ostart, oend = parsed.span(m.start, m.end)
            disguised = m.disguised or parsed.original[ostart:oend] != excerpt
            yield parsed.finding(
                m.start,
                m.end,
                rule_id=f"profanity.{m.grade}",
                category="profanity",
                severity=m.severity,
                message=_MESSAGES[m.grade].format(word=_mask(m.word)) + (_DISGUISED if disguised else ""),
                suggestion=self.matcher.suggestion(m, excerpt, self.suggest),
                score=0.9 if disguised else 1.0,
            )
