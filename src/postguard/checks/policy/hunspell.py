"""A Hunspell dictionary (``.dic`` + ``.aff``) read for lookups: is this word spelled right?

Enough of Hunspell for English dictionaries such as Debian's ``hunspell-en-us``: stems with their
affix flags, prefix and suffix rules with their conditions, and prefix + suffix combinations
where both allow it. Words are checked as written, then as lower case when capitalised or in
capitals (a sentence start, a heading). Compounding rules (used by en_US only for ordinals such
as ``21st``) are not read; words with digits are not checked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

#: Where Debian's hunspell-* packages put their dictionaries.
SYSTEM_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"))


@dataclass(frozen=True)
class Affix:
    flag: str
    strip: str
    add: str
    condition: re.Pattern[str]
    cross: bool


class Dictionary:
    """Stems and affix rules of one Hunspell dictionary."""

    def __init__(self, dic: Path) -> None:
        self.path = dic
        aff = dic.with_suffix(".aff")
        self.prefixes: dict[str, list[Affix]] = {}
        self.suffixes: dict[str, list[Affix]] = {}
        self.flag_long = False
        self._read_aff(aff.read_text(encoding="utf-8", errors="replace"))
        self.longest_prefix = max(map(len, self.prefixes), default=0)
        self.longest_suffix = max(map(len, self.suffixes), default=0)
        self.words: dict[str, str] = {}
        lines = dic.read_text(encoding="utf-8", errors="replace").splitlines()
        for line in lines[1:]:
            word, _, flags = line.strip().partition("/")
            if word:
                self.words[word] = self.words.get(word, "") + flags.split()[0] if flags else self.words.get(word, "")

    def _read_aff(self, text: str) -> None:
        groups: dict[tuple[str, str], bool] = {}
        for raw in text.splitlines():
            parts = raw.split()
            if len(parts) >= 4 and parts[0] in ("PFX", "SFX") and (parts[0], parts[1]) in groups:
                kind, flag, strip, add, cond = parts[0], parts[1], parts[2], parts[3], parts[4] if len(parts) > 4 else "."
                strip = "" if strip == "0" else strip
                add = "" if add == "0" else add.split("/")[0]
                pattern = re.compile(f"^{cond}" if kind == "PFX" else f"{cond}$")
                affix = Affix(flag, strip, add, pattern, groups[(kind, flag)])
                (self.prefixes if kind == "PFX" else self.suffixes).setdefault(add, []).append(affix)
            elif len(parts) >= 4 and parts[0] in ("PFX", "SFX"):
                groups[(parts[0], parts[1])] = parts[2] == "Y"
            elif parts[:1] == ["FLAG"] and parts[1:2] == ["long"]:
                self.flag_long = True

    def _has(self, stem: str, flag: str) -> bool:
        flags = self.words.get(stem)
        return flags is not None and flag in flags

    def _suffixed(self, word: str, needs_cross: bool = False, prefix_flag: str | None = None) -> bool:
        # Only endings as long as some suffix's text can match: a long word is not sliced at every letter.
        for n in range(max(1, len(word) - self.longest_suffix), len(word) + 1):
            for affix in self.suffixes.get(word[n:], ()):
                if needs_cross and not affix.cross:
                    continue
                stem = word[:n] + affix.strip
                if stem and affix.condition.search(stem) and self._has(stem, affix.flag):
                    if prefix_flag is None or self._has(stem, prefix_flag):
                        return True
        return False

    def known(self, word: str) -> bool:
        """True when ``word`` (or its lower case, for a capitalised word) is in the dictionary."""
        forms = [word]
        if word[:1].isupper():
            forms.append(word.lower())
            if word.isupper():
                forms.append(word[:1] + word[1:].lower())
        return any(self._known(w) for w in forms)

    def _known(self, word: str) -> bool:
        if word in self.words:
            return True
        if self._suffixed(word):
            return True
        for n in range(1, min(len(word), self.longest_prefix + 1)):
            for affix in self.prefixes.get(word[:n], ()):
                rest = affix.strip + word[n:]
                if not affix.condition.search(rest):
                    continue
                if self._has(rest, affix.flag):
                    return True
                if affix.cross and self._suffixed(rest, needs_cross=True, prefix_flag=affix.flag):
                    return True
        return False


def find_dictionary(name: str) -> Path | None:
    """``name`` as a path to a ``.dic``, or a dictionary name (``en_US``) in the system folders."""
    path = Path(name)
    if path.suffix == ".dic" and path.is_file():
        return path
    for folder in SYSTEM_DIRS:
        candidate = folder / f"{name}.dic"
        if candidate.is_file() and candidate.with_suffix(".aff").is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=8)
def load_dictionary(path: str) -> Dictionary:
    """Read a dictionary once per process (about 0.1 s for en_US)."""
    return Dictionary(Path(path))
