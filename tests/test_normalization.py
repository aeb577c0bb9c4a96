import pytest

from postguard.markup import Piece
from postguard.normalization import fold


def folded(text: str) -> str:
    return fold(text, [Piece(0, len(text))])[0]


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("plain ascii", "plain ascii"),
        ("f\u200bu\u200cc\u200dk", "fuck"),  # zero-width characters removed
        ("\u202eevil\u202c", "evil"),  # bidi overrides removed
        ("𝐛𝐨𝐥𝐝 𝘪𝘵𝘢𝘭𝘪𝘤 𝓼𝓬𝓻𝓲𝓹𝓽", "bold italic script"),  # mathematical letters
        ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("ѕhіt", "shit"),  # Cyrillic look-alikes inside a Latin word
        ("Москва", "Москва"),  # a genuinely Cyrillic word is left alone
        ("ﬁne", "fine"),  # ligature expands
        ("soft\u00adhyphen", "softhyphen"),
        ("bell\x07char", "bell char"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("caf\u00e9 na\u00efve", "caf\u00e9 na\u00efve"),
        ("emoji 👍🏽 ok", "emoji 👍🏽 ok"),
    ],
)
def test_fold(original, expected):
    assert folded(original) == expected


@pytest.mark.parametrize(
    ("original", "needle", "expected_excerpt"),
    [
        ("say f\u200bu\u200bc\u200bk now", "fuck", "f\u200bu\u200bc\u200bk"),
        ("a 𝐟𝐮𝐜𝐤 b", "fuck", "𝐟𝐮𝐜𝐤"),
        ("x ﬁne y", "fine", "ﬁne"),
        ("\u202eevil\u202c twin", "evil", "evil"),
    ],
)
def test_offsets_map_back_to_the_original(original, needle, expected_excerpt):
    text, offsets = fold(original, [Piece(0, len(original))])
    i = text.index(needle)
    start, end = offsets.span(i, i + len(needle))
    assert original[start:end] == expected_excerpt
