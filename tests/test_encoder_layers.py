"""The numpy all-MiniLM-L6-v2 encoder behind benchmarks/encoder_layers.py: BERT's tokenizer, the layers, pooling."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


minilm = load("minilm")

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "!", ",", "'", "t", "can", "un", "##aff", "##able",
         "cafe", "$", "3", "中", "#", "fail", "@", "user", "_", "1"]


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Hello, WORLD!!", ["hello", ",", "world", "!", "!"]),
        ("can't", ["can", "'", "t"]),  # every ASCII non-alphanumeric is punctuation to BERT
        ("unaffable", ["un", "##aff", "##able"]),
        ("Café", ["cafe"]),  # lower-cased, accents dropped
        ("unaffablex hello", ["[UNK]", "hello"]),  # a word it cannot spell is one [UNK]
        ("$3 #fail @user_1", ["$", "3", "#", "fail", "@", "user", "_", "1"]),
        ("hello中world", ["hello", "中", "world"]),  # CJK characters stand alone
        ("hello\x00\u200bworld\tworld", ["[UNK]", "world"]),  # NUL dropped; U+200B is a format char, dropped
        ("a" * 101, ["[UNK]"]),  # over 100 characters
    ],
)
def test_tokenizer_splits_like_bert_uncased(text, pieces):
    tok = minilm.Tokenizer(VOCAB)
    assert [VOCAB[i] for i in tok.encode(text)] == ["[CLS]", *pieces, "[SEP]"]


def test_tokenizer_cuts_long_texts_to_the_models_limit():
    ids = minilm.Tokenizer(VOCAB, max_tokens=8).encode("hello " * 20)
    assert len(ids) == 8 and VOCAB[ids[0]] == "[CLS]" and VOCAB[ids[-1]] == "[SEP]"


def random_tensors(layers: int = 2, rows: int = len(VOCAB), seed: int = 0) -> dict[str, np.ndarray]:
    """Tensors of all-MiniLM-L6-v2's names and shapes, random values."""
    rng = np.random.default_rng(seed)
    h, f = minilm.HIDDEN, 4 * minilm.HIDDEN
    shapes = {"embeddings.word_embeddings.weight": (rows, h), "embeddings.position_embeddings.weight": (512, h),
              "embeddings.token_type_embeddings.weight": (2, h), "embeddings.LayerNorm.weight": (h,),
              "embeddings.LayerNorm.bias": (h,)}
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for n in ("query", "key", "value"):
            shapes[p + f"attention.self.{n}.weight"], shapes[p + f"attention.self.{n}.bias"] = (h, h), (h,)
        shapes.update({p + "attention.output.dense.weight": (h, h), p + "attention.output.dense.bias": (h,),
                       p + "attention.output.LayerNorm.weight": (h,), p + "attention.output.LayerNorm.bias": (h,),
                       p + "intermediate.dense.weight": (f, h), p + "intermediate.dense.bias": (f,),
                       p + "output.dense.weight": (h, f), p + "output.dense.bias": (h,),
                       p + "output.LayerNorm.weight": (h,), p + "output.LayerNorm.bias": (h,)})
    return {k: (rng.standard_normal(s) * (0.05 if len(s) == 2 else 1.0)).astype(np.float32) for k, s in shapes.items()}


def test_pooled_states_have_one_row_per_layer_and_text_and_are_deterministic():
    enc = minilm.Encoder(random_tensors(), layers=2)
    tok = minilm.Tokenizer(VOCAB)
    texts = ["hello world", "can't fail, @user_1!", "cafe"]
    a = minilm.embed(enc, tok, texts)
    assert a.shape == (3, 3, minilm.HIDDEN) and a.dtype == np.float32 and np.isfinite(a).all()
    assert np.array_equal(a, minilm.embed(enc, tok, texts))
    assert not np.allclose(a[1], a[2])  # each layer changes the states


def test_padding_does_not_change_a_texts_pooled_state():
    """A short text pooled alone and in a batch padded to a longer one: the mask keeps padding out."""
    enc = minilm.Encoder(random_tensors(), layers=2)
    tok = minilm.Tokenizer(VOCAB)
    short, long = tok.encode("hello world"), tok.encode("hello world " * 10)
    alone = [s[0] for s in enc.pooled([short])]
    together = [s[0] for s in enc.pooled([short, long])]
    for x, y in zip(alone, together, strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(("how", "tolerance"), [("float32", 0.0), ("float16", 1e-3), ("int8", 1e-2)])
def test_quantised_weights_stay_close(how, tolerance):
    w = np.random.default_rng(1).standard_normal((64, 384)).astype(np.float32)
    q = minilm.quantised(w, how)
    assert q.dtype == np.float32 and q.shape == w.shape
    assert np.abs(q - w).max() <= tolerance * np.abs(w).max(axis=1).max()


def test_quantised_rejects_an_unknown_type():
    with pytest.raises(ValueError, match="one of float32, float16, int8"):
        minilm.quantised(np.zeros((2, 2), np.float32), "int4")


@pytest.mark.slow
def test_the_real_model_gives_the_published_sentence_similarities():
    """sentence-transformers' documented cosine similarities for all-MiniLM-L6-v2 (docs, "Semantic Textual
    Similarity"), to 0.001: the tokenizer, all six layers, pooling and the tanh GELU together."""
    vocab, tensors = minilm.read_wheel(minilm.find_wheel())
    tok, enc = minilm.Tokenizer(vocab), minilm.Encoder(tensors)
    a = ["The new movie is awesome", "The cat sits outside", "A man is playing guitar"]
    b = ["The dog plays in the garden", "The new movie is so great", "A woman watches TV"]
    e = minilm.sentence_embeddings(minilm.embed(enc, tok, a + b)[minilm.LAYERS])
    published = [[0.0543, 0.8939, -0.0502], [0.2838, -0.0029, 0.1310], [0.2277, -0.0136, -0.0327]]
    np.testing.assert_allclose(e[:3] @ e[3:].T, published, atol=1e-3)
    c = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    e = minilm.sentence_embeddings(minilm.embed(enc, tok, c)[minilm.LAYERS])
    np.testing.assert_allclose(e @ e.T, [[1, 0.6660, 0.1046], [0.6660, 1, 0.1411], [0.1046, 0.1411, 1]], atol=1e-3)
    assert [vocab[i] for i in tok.encode("Héllo, can't!")] == ["[CLS]", "hello", ",", "can", "'", "t", "!", "[SEP]"]
