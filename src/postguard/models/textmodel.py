"""The linear heads over the featurizer, and the shipped model file they load from."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from importlib import resources

import numpy as np

from postguard.errors import ModelError
from postguard.models.features import Features, Featurizer, sparse_dot

MODEL_FILE = "textmodel.npz"


class TextModel:
    """All heads (toxicity, anger, negative, sarcasm, ...) over one featurizer."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        def text_list(key: str) -> list[str]:
            raw = bytes(arrays[key]).decode("utf-8")
            return raw.split("\n") if raw else []

        self.heads: list[str] = text_list("heads")
        lex_words = text_list("lexicon_words")
        self.featurizer = Featurizer(
            text_list("words"),
            arrays["word_idf"],
            text_list("chars"),
            arrays["char_idf"],
            text_list("emb_words"),
            arrays["emb_rows"],
            arrays["emb"].astype(np.float32) * arrays["emb_scale"].astype(np.float32)[:, None],
            dict(zip(lex_words, arrays["lexicon_values"].astype(float))),
            text_list("pieces") if "pieces" in arrays else (),
        )
        self.w_word = arrays["w_word"].astype(np.float32)  # (words, heads)
        self.w_char = arrays["w_char"].astype(np.float32)
        self.w_dense = arrays["w_dense"].astype(np.float32)  # (dense, heads)
        # Per-wordpiece head scores: a mean-pooled embedding block times the heads' weights, folded
        # into one table at training time (both are linear), so no embedding ships.
        n_pieces = len(self.featurizer.pieces)
        self.w_piece = arrays["w_piece"].astype(np.float32) if n_pieces else np.zeros((0, len(self.heads)), np.float32)
        self.dense_mean = arrays["dense_mean"].astype(np.float32)
        self.dense_std = arrays["dense_std"].astype(np.float32)
        self.bias = arrays["bias"].astype(np.float32)  # already shifted to the tuned threshold
        # Heads stacked over other heads' logits (e.g. negative over anger and sadness).
        self.stack_w = arrays["stack_w"].astype(np.float32)  # (heads, heads)
        # Gated heads: a head's probability is capped by its gates' (anger needs `emotional` and
        # `negative` too); gates[i, j] = 1 when head j gates head i.
        gates = arrays["gates"] if "gates" in arrays else np.zeros((len(self.heads),) * 2)
        self.gates = [(i, np.flatnonzero(row)) for i, row in enumerate(gates) if row.any()]

    def logits(self, feats: Features) -> np.ndarray:
        dense = (feats.dense - self.dense_mean) / self.dense_std
        z = (
            sparse_dot(feats.word_idx, feats.word_val, feats.word_ptr, self.w_word)
            + sparse_dot(feats.char_idx, feats.char_val, feats.char_ptr, self.w_char)
            + dense @ self.w_dense
            + sparse_dot(feats.piece_idx, feats.piece_val, feats.piece_ptr, self.w_piece)
            + self.bias
        )
        # Stacked heads read the base heads' logits (zero columns for base heads).
        return z + z @ self.stack_w

    def predict(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Probability per head for each text (0.5 = the tuned operating point)."""
        if not texts:
            return {h: np.zeros(0, dtype=np.float32) for h in self.heads}
        z = self.logits(self.featurizer.transform(texts))
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        for i, g in self.gates:
            p[:, i] = np.minimum(p[:, i], p[:, g].min(axis=1))
        return {h: p[:, i] for i, h in enumerate(self.heads)}


def shipped_arrays(name: str, what: str) -> dict[str, np.ndarray]:
    """The arrays of ``name``, a numpy file shipped beside this module (``what`` names it in errors)."""
    path = resources.files("postguard.models") / name
    try:
        with path.open("rb") as fh, np.load(fh, allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}
    except (OSError, ValueError, KeyError) as exc:  # pragma: no cover - a broken install
        raise ModelError(f"cannot load the shipped {what} {name}: {exc}") from exc


@functools.lru_cache(maxsize=1)
def load_text_model() -> TextModel:
    """The model shipped inside the package (loaded once, offline)."""
    return TextModel(shipped_arrays(MODEL_FILE, "text model"))
