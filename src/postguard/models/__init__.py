"""The shipped text models: one featurizer shared by training and run time (`features`), linear heads
over it (`textmodel`) and the per-post scores the checks share (`scoring`).

``scripts/train_models.py`` fits the heads and writes ``textmodel.npz`` beside this file. Run time
needs only numpy: texts become word n-grams, character n-grams (both TF-IDF weighted and
L2-normalised), a mean word vector (distilled from spaCy's medium English vectors), VADER lexicon
sums, a few style counts and WordPiece ids (scored by a per-piece table distilled from
all-MiniLM-L6-v2's token embeddings); each head is a logistic regression over them, its bias
shifted so that 0.5 is the operating point tuned on validation data.
"""

from postguard.models.features import (
    LEXICON_FEATURES,
    NEGATORS,
    STYLE_FEATURES,
    Features,
    Featurizer,
    char_ngrams,
    lexicon_sums,
    style,
    tokens,
    word_ngrams,
    wordpieces,
)
from postguard.models.scoring import post_scores, score_sentences, sentence_scores, sentences
from postguard.models.textmodel import MODEL_FILE, TextModel, load_text_model

__all__ = [
    "LEXICON_FEATURES", "MODEL_FILE", "NEGATORS", "STYLE_FEATURES", "Features", "Featurizer", "TextModel",
    "char_ngrams", "lexicon_sums", "load_text_model", "post_scores", "score_sentences", "sentence_scores",
    "sentences", "style", "tokens", "word_ngrams", "wordpieces",
]
