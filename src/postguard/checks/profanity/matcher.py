"""The matcher: a lexicon's words found whole-word in the skeleton, through disguises.

On the skeleton it finds whole words and lets them through four disguises: repeated letters
(``fuuuck``), letters split by separators (``f.u.c.k``, ``f u c k``, ``sh-it``), masks (``f*ck``,
``a**hole``) and inflections (``bastards``). Matching is whole-word, so Scunthorpe, Penistone and
cocktail are never reached; an allow list covers the few place names, surnames and words that a
suffix, a separator or a repeated letter would otherwise reach. URLs are not prose.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from postguard.checks.profanity.folding import AMBIGUOUS, LETTER, MARK, readings, skeleton
from postguard.checks.profanity.lexicon import RANK, SEVERITIES, Lexicon, default_lexicon, entry_key
from postguard.findings import Severity
from postguard.platforms.urls import find_urls

_TOKEN = re.compile(rf"[{LETTER}*{MARK}]+")
# Single letters split by separators: f.u.c.k, f u c k, f-u-c-k, f*u*c*k
_UNIT = rf"[{LETTER}](?![{LETTER}])"
_SPACED = re.compile(rf"(?<![{LETTER}]){_UNIT}(?:[ \t._\-/·•~*:]{{1,3}}{_UNIT}){{2,}}")
# Longer pieces joined by one separator: sh-it, fu.ck, mother-fucker (and cock-tail, allowed)
_JOINED = re.compile(rf"[{LETTER}*{MARK}]+(?:[._\-][{LETTER}*{MARK}]+)+")
_JOINT = re.compile(rf"[{LETTER}*][._\-][{LETTER}*]")
_REPEAT = re.compile(r"(.)\1+")
_CODE = re.compile(r"[A-Za-z]?\d+|\d+[A-Za-z]?")
_SUFFIXES = ("s", "es", "ed", "er", "ers", "ing", "in", "y")
_VOWELS = frozenset("aeiouy")
_TOKEN_CACHE_SIZE = 50_000
_LONGEST = 60  # letters one spaced word may take, held letters included
_LOOSE = str.maketrans({"l": "i", AMBIGUOUS: "i", "v": "u"})


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
            enumerate(lexicon.words.items()), key=lambda item: (-RANK[item[1][1]], item[0])
        )
        for _, (word, grade) in order:
            compact = re.sub(r"[^a-z]", "", skeleton(word).replace(AMBIGUOUS, "i"))
            if " " in word:
                multi.append((compact, word))
            if not compact or compact in self._grade:
                continue
            self._grade[compact] = grade
            self._display[compact] = word
            self._by_key.setdefault(_REPEAT.sub(r"\1", compact), []).append((compact, _runs(compact)))
            self._by_shape.setdefault((len(compact), compact[0]), []).append(compact)
        # masks (f*ck, b***er) read as the most common word that fits, then in list order
        first = {entry_key(w): i for i, w in enumerate(lexicon.mask_first)}
        for words in self._by_shape.values():
            words.sort(key=lambda w: first.get(self._display[w], len(first)))
        self._multi_words: list[str] = [c for c, _ in multi]
        # the regex runs only when a phrase's first and last words are both in the text
        self._multi_ends = {(skeleton(w.split()[0]), skeleton(w.split()[-1])) for _, w in multi}
        self._multi_firsts = frozenset(a for a, _ in self._multi_ends)
        self._multi = (
            re.compile(
                rf"(?<![{LETTER}])(?:"
                + "|".join(f"(?P<m{i}>{_phrase_pattern(w)})" for i, (_, w) in enumerate(multi))
                + rf")(?![{LETTER}])"
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
                pieces = re.split(r"[._\-]", m.group().replace(MARK, ""))
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
                if MARK in core:
                    core = core.replace(MARK, "")
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
        out = milder or mask(match.word)
        letters = [c for c in excerpt if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters):
            return out.upper()
        if letters and letters[0].isupper():
            return out[:1].upper() + out[1:]
        return out

    # -------------------------------------------------------------- matching

    def _token_word(self, token: str) -> str | None:
        """The listed word a skeleton token spells: plain, held, inflected or masked."""
        core = token.replace(MARK, "").strip("*")
        if len(core) < 2:
            return None
        if "*" in core:
            # a mask (f*ck), or markup stars inside a word (**fuck**ing)
            return self._masked(core) or self._lookup(core.replace("*", ""))
        return self._lookup(core)

    def _lookup(self, token: str, compounds: bool = True) -> str | None:
        """The listed word ``token`` spells, read every way; ``None`` when it spells none."""
        for reading in readings(token):
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
            if all(t == "*" or t == w or (t == AMBIGUOUS and w in "il") for t, w in zip(token, word)):
                return word
        return None

    def _spaced(self, run: str, offset: int) -> list[tuple[int, int, str, bool]]:
        """Listed words spelt by consecutive letters of a spaced run (f . u . c . k), leftmost
        longest first. Walks a prefix set, so a long run of letters costs linear time."""
        at = [offset + i for i, c in enumerate(run) if c.isalpha() or c == AMBIGUOUS]
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
            f"[{c}{AMBIGUOUS}]+" if c in "il" else f"{re.escape(c)}+" for c in skeleton(part)
        )
        parts.append(letters)
    return r"[\s\-_.]+".join(parts)


def mask(word: str) -> str:
    """f***, son of a b****: first letter kept, the other letters starred, spaces kept."""
    out = []
    for i, c in enumerate(word):
        out.append(c if i == 0 or not c.isalpha() else "*")
    return "".join(out)



@functools.cache
def default_matcher() -> ProfanityMatcher:
    """A matcher over the shipped list, built once."""
    return ProfanityMatcher(default_lexicon())


def find_profanity(text: str) -> list[Match]:
    """Listed words in ``text`` (offsets into ``text``), using the shipped list."""
    return default_matcher().find(text)

