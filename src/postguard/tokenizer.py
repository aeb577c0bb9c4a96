"""spaCy's tokenizer in linear time: long runs without spaces are cut before it sees them.

spaCy strips a prefix or suffix from a whitespace-free run one at a time, searching the rest of
the run each time, so a run of punctuation, brackets or emoji costs the square of its length
(1,000 / 2,000 emoji: 0.17 / 0.70 s) and holds the GIL throughout. Runs longer than
``LONG_RUN`` characters are cut into chunks of at most ``CHUNK`` characters; a chunk that is
mostly letters and digits (a long URL, a compound) is still tokenized by spaCy, and one that is
mostly symbols becomes one token, which also keeps the entity recogniser's work (about 0.16 ms a
token) in proportion to the words rather than to the characters. The Doc's text is the input,
character for character, so every offset stays exact.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

#: Whitespace-free runs up to this length go to spaCy whole (a long URL fits).
LONG_RUN = 64
#: The most characters of a long run spaCy's tokenizer sees at once.
CHUNK = 32
#: A chunk with more symbols than this is one token rather than one token per symbol.
MAX_SYMBOLS = 4

_LONG = re.compile(r"\S{%d,}" % (LONG_RUN + 1))
_SYMBOL = re.compile(r"[^\w\s]")
# Cut after a symbol where one is near the chunk's end, so words stay whole.
_CUT = re.compile(r"[^\w\s](?=[\w])")


class RunSplittingTokenizer:
    """Wraps a spaCy tokenizer; texts without a long run go to it unchanged."""

    def __init__(self, tokenizer: Callable[[str], "Doc"], vocab: "Vocab") -> None:
        self.tokenizer = tokenizer
        self.vocab = vocab

    def __call__(self, text: str) -> "Doc":
        if _LONG.search(text) is None:
            return self.tokenizer(text)
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for m in _LONG.finditer(text):
            self._add(text[pos : m.start()], words, spaces)
            for chunk in chunks(m.group()):
                if len(_SYMBOL.findall(chunk)) > MAX_SYMBOLS:
                    words.append(chunk)
                    spaces.append(False)
                else:
                    self._add(chunk, words, spaces)
            pos = m.end()
            # the space after a run belongs to its last token, as spaCy's own tokenizer has it
            if text.startswith(" ", pos):
                spaces[-1] = True
                pos += 1
        self._add(text[pos:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    @contextlib.contextmanager
    def memory_zone(self, mem: object = None) -> Iterator[object]:
        """The wrapped tokenizer's memory zone, when it has one (``Language.memory_zone`` asks us)."""
        # spaCy's Language enters a tokenizer's zone only if the tokenizer has one: without this,
        # a tokenizer that caches words seen in a zone would keep pointers to lexemes freed at its
        # end. spaCy 3.8's own tokenizer has none and caches nothing while the vocab is in a zone.
        inner = getattr(self.tokenizer, "memory_zone", None)
        if inner is None:
            yield mem
            return
        with inner(mem) as zone:
            yield zone

    def _add(self, text: str, words: list[str], spaces: list[bool]) -> None:
        if text:
            for token in self.tokenizer(text):
                words.append(token.text)
                spaces.append(bool(token.whitespace_))


def chunks(run: str) -> list[str]:
    """``run`` in pieces of at most ``CHUNK`` characters, cut after a symbol when one is close."""
    out = []
    pos, n = 0, len(run)
    while n - pos > CHUNK:
        end = pos + CHUNK
        cut = None
        for m in _CUT.finditer(run, pos + CHUNK // 2, end):
            cut = m.end()
        out.append(run[pos : cut or end])
        pos = cut or end
    out.append(run[pos:])
    return out
