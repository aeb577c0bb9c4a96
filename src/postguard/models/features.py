"""How a text becomes features: tokens, n-grams, style and lexicon counts, WordPiece ids, and the
featurizer shared by training and run time."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

import numpy as np
import regex

# URLs, mentions, postguard's own redactions ("[email removed]", digits masked as "••••42"),
# hashtags, words (with inner apostrophes), emoji, runs of ! or ?, other symbols.
_TOKEN = regex.compile(
    r"(?P<url>https?://\S+|www\.\S+)"
    r"|(?P<redacted>\[[\p{L} ]{1,40} removed\]|•[•\w]*(?:[-. /]{1,2}•[•\w]*)*(?:[-. /]{1,2}\d+\b)?)"
    r"|(?P<user>@\w+)"
    r"|#(?P<tag>\w+)"
    r"|(?P<word>\w+(?:['’]\w+)*)"
    r"|(?P<emoji>\p{Extended_Pictographic})"
    r"|(?P<bang>[!?]+)"
    r"|(?P<sym>[^\s\w\p{Extended_Pictographic}])",
    regex.V1,
)
_ELONGATED = regex.compile(r"(.)\1{2,}")
_NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")
NEGATORS = frozenset(
    ["not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot", "without", "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "won't", "wouldn't", "can't", "couldn't", "shouldn't", "hasn't", "haven't", "hadn't", "ain't", "isnt", "arent", "wasnt", "dont", "doesnt", "didnt", "wont", "wouldnt", "cant", "couldnt", "shouldnt", "hasnt", "havent", "aint"]
)
STYLE_FEATURES = ("caps_words", "caps_ratio", "exclaims", "questions", "elongated", "tokens", "urls", "users")
LEXICON_FEATURES = ("pos_sum", "neg_sum", "pos_max", "neg_max", "pos_n", "neg_n", "compound")

# Per-word caches, least recently used out: social text keeps inventing words, so an unbounded
# cache grows with the archive. Sizes from benchmarks/caches.py (20,000 tweets; hit rate, the CPU
# the misses cost a tweet, memory full), against the 65,536 / 200,000 entries before:
#   words          16,384: 0.897 hits, 12 us a tweet (11 before),  3.4 MB (6.9 at 32,768)
#   char n-grams    8,192: 0.936 hits, 49 us a tweet (33 before),  8.9 MB (1.1 kB an entry)
#   wordpieces      8,192: 0.921 hits,  6 us a tweet (4 before),   1.8 MB
WORD_CACHE = 16_384
CHAR_CACHE = 8_192
PIECE_CACHE = 8_192


@functools.lru_cache(maxsize=WORD_CACHE)
def _word(w: str) -> str:
    w = w.lower().replace("’", "'")
    return "<num>" if _NUMBER.fullmatch(w) else _ELONGATED.sub(r"\1\1", w)


def tokens(text: str) -> list[str]:
    """Lower-cased tokens: URLs, mentions, numbers and postguard's redactions become placeholders,
    elongations shrink."""
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "word" or kind == "tag":
            out.append(_word(m.group(kind)))
        elif kind == "url":
            out.append("<url>")
        elif kind == "user":
            out.append("<user>")
        elif kind == "redacted":  # a placeholder carries no tone: a token no n-gram or vector knows
            out.append("<redacted>")
        elif kind == "bang":
            out.append("!!" if "!" in m.group() and len(m.group()) > 1 else m.group()[0])
        else:
            out.append(m.group())
    return out


def word_ngrams(toks: Sequence[str]) -> set[str]:
    grams = set(toks)
    grams.update(a + " " + b for a, b in pairwise(toks))
    return grams


def char_ngrams(toks: Sequence[str], lo: int = 3, hi: int = 5) -> set[str]:
    grams: set[str] = set()
    for t in toks:
        if t[0] == "<" or len(t) < 2:
            continue
        p = " " + t + " "
        n = len(p)
        for k in range(lo, hi + 1):
            for i in range(n - k + 1):
                grams.add(p[i : i + k])
    return grams


_ELONGATED_FAST = re.compile(r"(.)\1\1")


def style(text: str, toks: Sequence[str]) -> list[float]:
    caps = sum(1 for w in text.split() if len(w) > 1 and w.isupper())
    letters = sum(map(str.isalpha, text))
    upper = sum(map(str.isupper, text))
    return [
        math.log1p(caps),
        upper / letters if letters else 0.0,
        math.log1p(text.count("!")),
        math.log1p(text.count("?")),
        math.log1p(len(_ELONGATED_FAST.findall(text))),
        math.log1p(len(toks)),
        float("<url>" in toks),
        math.log1p(toks.count("<user>")),
    ]


def lexicon_sums(toks: Sequence[str], lexicon: Mapping[str, float]) -> list[float]:
    """VADER-style valence sums with a simple negation flip over the three preceding tokens."""
    pos = neg = pmax = nmax = 0.0
    npos = nneg = 0
    for i, t in enumerate(toks):
        v = lexicon.get(t)
        if v is None:
            continue
        if any(p in NEGATORS for p in toks[max(0, i - 3) : i]):
            v *= -0.74
        if v > 0:
            pos += v
            npos += 1
            pmax = max(pmax, v)
        else:
            neg -= v
            nneg += 1
            nmax = max(nmax, -v)
    s = pos - neg
    return [pos, neg, pmax, nmax, math.log1p(npos), math.log1p(nneg), s / math.sqrt(s * s + 15)]


_PIECE_SPLIT = regex.compile(r"[\p{L}\p{N}\p{M}_]+|\S")


@functools.lru_cache(maxsize=4096)
def _without_accents(ch: str) -> str:
    # One character at a time: NFD of a whole word sorts its combining marks, quadratic in a run
    # of them (20,000 marks: 1.4 s). The marks are dropped anyway and starters never move, so
    # the result is the same.
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


def wordpieces(tok: str, pieces: Mapping[str, int], longest: int = 100) -> list[int]:
    """The ids of ``tok`` in an uncased BERT WordPiece vocabulary: letters and digits split from
    punctuation, accents dropped, each run matched greedily longest-first (``##`` inside a word).
    A run the vocabulary cannot spell is skipped, as are placeholders (``<url>``). ``longest``, the
    longest piece's length, bounds each search (same pieces, fewer lookups on long words)."""
    if tok[0] == "<" and tok[-1] == ">":
        return []
    if not tok.isascii():
        tok = "".join(map(_without_accents, tok))
    ids: list[int] = []
    for run in _PIECE_SPLIT.findall(tok):
        if len(run) > 100:  # BERT's own limit: longer words are [UNK]
            continue
        out: list[int] = []
        start, n = 0, len(run)
        while start < n:
            end = min(n, start + longest)
            while end > start:
                i = pieces.get(run[start:end] if start == 0 else "##" + run[start:end])
                if i is not None:
                    out.append(i)
                    break
                end -= 1
            else:
                out = []  # unspellable: [UNK] in BERT, nothing here
                break
            start = end
        ids.extend(out)
    return ids


@dataclass
class Features:
    """A batch of texts as three sparse blocks (CSR parts) and one dense block."""

    word_idx: np.ndarray
    word_val: np.ndarray
    word_ptr: np.ndarray
    char_idx: np.ndarray
    char_val: np.ndarray
    char_ptr: np.ndarray
    dense: np.ndarray  # raw, before standardisation
    # Wordpieces, each 1/count: a row times a per-piece table is the mean over the text's pieces.
    piece_idx: np.ndarray
    piece_val: np.ndarray
    piece_ptr: np.ndarray

    def __len__(self) -> int:
        return len(self.word_ptr) - 1


def _block(rows: list[list[int]], idf: np.ndarray):
    """CSR parts of TF-IDF (binary tf) rows, each L2-normalised."""
    ptr_a = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=ptr_a[1:])
    idx_a = np.array(list(chain.from_iterable(rows)), dtype=np.int32)
    val = idf[idx_a].astype(np.float32)
    if len(val):
        owner = np.repeat(np.arange(len(rows)), np.diff(ptr_a))
        norms = np.sqrt(np.bincount(owner, weights=val * val, minlength=len(rows)))
        val /= norms[owner].astype(np.float32)
    return idx_a, val, ptr_a


class Featurizer:
    """Turns texts into :class:`Features`; the same code serves training and run time."""

    def __init__(
        self,
        words: Sequence[str],
        word_idf: np.ndarray,
        chars: Sequence[str],
        char_idf: np.ndarray,
        emb_words: Sequence[str],
        emb_rows: np.ndarray,
        emb: np.ndarray,
        lexicon: Mapping[str, float],
        pieces: Sequence[str] = (),
    ) -> None:
        self.words = {w: i for i, w in enumerate(words)}
        self.word_idf = np.asarray(word_idf, dtype=np.float32)
        self.chars = {c: i for i, c in enumerate(chars)}
        self.char_idf = np.asarray(char_idf, dtype=np.float32)
        self.emb_index = {w: int(r) for w, r in zip(emb_words, emb_rows)}
        self.emb = np.asarray(emb, dtype=np.float32)
        self.lexicon = dict(lexicon)
        self.pieces = {p: i for i, p in enumerate(pieces)}
        self._longest_piece = max((len(p.removeprefix("##")) for p in self.pieces), default=0)
        # one cache per featurizer (training builds several), bounded
        self._char_ids = functools.lru_cache(maxsize=CHAR_CACHE)(self._char_ids_of)
        self._piece_ids = functools.lru_cache(maxsize=PIECE_CACHE)(self._piece_ids_of)

    @property
    def dense_size(self) -> int:
        return self.emb.shape[1] + len(LEXICON_FEATURES) + len(STYLE_FEATURES)

    def _char_ids_of(self, tok: str) -> frozenset[int]:
        get = self.chars.get
        return frozenset(i for i in map(get, char_ngrams((tok,))) if i is not None)

    def _piece_ids_of(self, tok: str) -> list[int]:
        return wordpieces(tok, self.pieces, self._longest_piece)

    def _piece_block(self, toks: Sequence[Sequence[str]]):
        rows = [list(chain.from_iterable(map(self._piece_ids, t))) if self.pieces else [] for t in toks]
        ptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=ptr[1:])
        idx = np.array(list(chain.from_iterable(rows)), dtype=np.int32)
        counts = np.diff(ptr)
        val = np.repeat(1.0 / np.maximum(counts, 1), counts).astype(np.float32)
        return idx, val, ptr

    def transform(self, texts: Sequence[str]) -> Features:
        toks = [tokens(t) for t in texts]
        wget = self.words.get
        word_rows = [sorted({i for i in map(wget, word_ngrams(t)) if i is not None}) for t in toks]
        char_rows = [sorted(frozenset().union(*map(self._char_ids, t))) if t else [] for t in toks]
        w_idx, w_val, w_ptr = _block(word_rows, self.word_idf)
        c_idx, c_val, c_ptr = _block(char_rows, self.char_idf)
        dim = self.emb.shape[1]
        dense = np.zeros((len(texts), self.dense_size), dtype=np.float32)
        rows: list[int] = []
        owner: list[int] = []
        get = self.emb_index.get
        for i, (text, ts) in enumerate(zip(texts, toks)):
            for t in ts:
                r = get(t)
                if r is not None:
                    rows.append(r)
                    owner.append(i)
            dense[i, dim:] = lexicon_sums(ts, self.lexicon) + style(text, ts)
        if rows:
            dense[:, :dim] = _segment_sums(self.emb[np.asarray(rows)], np.asarray(owner), len(texts))
            counts = np.bincount(np.asarray(owner), minlength=len(texts)).astype(np.float32)
            dense[:, :dim] /= np.maximum(counts, 1.0)[:, None]
        return Features(w_idx, w_val, w_ptr, c_idx, c_val, c_ptr, dense, *self._piece_block(toks))


def _segment_sums(values: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Sum the rows of ``values`` per ``owner`` (sorted ascending) into ``n`` rows."""
    out = np.zeros((n, values.shape[1]), dtype=np.float32)
    if len(values):
        csum = np.cumsum(values, axis=0, dtype=np.float64)
        if owner[0] == owner[-1]:  # one text (owner is sorted), as each one-per-call check has
            out[owner[0]] = csum[-1]
            return out
        ends = np.ones(len(owner), dtype=bool)  # (not np.r_: 18.7 -> 16.6 µs a call, the same sums)
        np.not_equal(owner[1:], owner[:-1], out=ends[:-1])
        last = np.flatnonzero(ends)
        totals = csum[last]
        totals[1:] -= csum[last[:-1]]
        out[owner[last]] = totals
    return out


def sparse_dot(idx: np.ndarray, val: np.ndarray, ptr: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise ``X @ weights`` for a CSR block; ``weights`` is (features, heads)."""
    n = len(ptr) - 1
    if not len(idx):
        return np.zeros((n, weights.shape[1]), dtype=np.float32)
    owner = np.repeat(np.arange(n), np.diff(ptr)) if n > 1 else np.zeros(len(idx), dtype=np.intp)
    return _segment_sums(weights[idx] * val[:, None], owner, n)
