#!/usr/bin/env python
"""Train the gate that picks the sentences spaCy's entity recogniser reads (``postguard/ner_gate.py``).

    python scripts/train_ner_gate.py --data ../shared/data --out src/postguard/models/

Reads unlabelled tweets from training splits only (semeval_sentiment/train.csv,
tweeteval_offensive/train.csv, tweeteval_hate/train.csv), runs postguard's own spaCy recogniser on
each whole text as the teacher, and labels each token 1 when it is inside a PERSON, GPE, LOC or FAC
entity that could be a name or a place (a letter, no handle, hashtag, digit or link: the recogniser
also calls "@user @user" and "n't" such entities; taught those too, the gate sent 85 % of the
tweeteval_offensive validation tweets to keep 99 % of all the entities, taught names alone 62 % to
keep 98.3 % of the name-like ones). Every fifth tweet is held out; a logistic regression
(scikit-learn, L-BFGS, deterministic) over the hashed features of the other tokens is fitted, its
weights rounded to float16, and the threshold set to the highest that sends ``--recall`` of the
held-out sentences holding such an entity. Writes ``ner_gate.npz`` (the weights) and
``ner_gate.json`` (data, settings, figures).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from array import array
from pathlib import Path

SETS = ("semeval_sentiment/train.csv", "tweeteval_offensive/train.csv", "tweeteval_hate/train.csv")
BITS = 15
C = 1.0
RECALL = 0.99
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def load_tweets(data: Path) -> list[str]:
    """The tweets of the training splits, in file order (semeval's ``\\uXXXX`` escapes decoded)."""
    texts: list[str] = []
    for rel in SETS:
        with (data / rel).open(encoding="utf-8", newline="") as fh:
            rows = csv.DictReader(fh)
            texts += [_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), row["text"]) for row in rows]
    return texts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("src/postguard/models"))
    ap.add_argument("--bits", type=int, default=BITS)
    ap.add_argument("--c", type=float, default=C)
    ap.add_argument("--recall", type=float, default=RECALL)
    ap.add_argument("--limit", type=int, default=0, help="first N tweets only (for a quick try)")
    args = ap.parse_args(argv)

    import numpy as np
    import scipy.sparse as sp
    import sklearn
    from sklearn.linear_model import LogisticRegression

    from postguard.ner_gate import (
        CARD_FILE, LABELS, MODEL_FILE, bucket, name_like, sentences, token_features, word_lists,
    )
    from postguard.nlp import load_nlp

    t0 = time.time()
    texts = load_tweets(args.data)
    if args.limit:
        texts = texts[: args.limit]
    nlp = load_nlp()
    ner = nlp.get_pipe("ner")
    lists = word_lists()

    # per token: its hashed features (one CSR row), its label, its sentence
    indices = array("i")
    indptr = array("q", [0])
    labels: list[int] = []
    sent_of_row: list[int] = []
    held: list[bool] = []
    sent_positive: list[bool] = []
    # the teacher streams: 68,000 Docs held at once took gigabytes
    for k, doc in enumerate(ner.pipe((nlp.make_doc(t) for t in texts), batch_size=256)):
        inside = np.zeros(len(doc), dtype=bool)
        for e in doc.ents:
            if e.label_ in LABELS and name_like(e.text):
                inside[e.start : e.end] = True
        for a, b in sentences(doc):
            sid = len(sent_positive)
            sent_positive.append(bool(inside[a:b].any()))
            held.append(k % 5 == 0)
            for i, f in zip(range(a, b), token_features(doc, a, b, lists)):
                indices.extend(bucket(x, args.bits) for x in f)
                indptr.append(len(indices))
                labels.append(int(inside[i]))
                sent_of_row.append(sid)
    X = sp.csr_matrix(
        (
            np.ones(len(indices), dtype=np.float64),
            np.frombuffer(indices, dtype=np.int32),
            np.frombuffer(indptr, dtype=np.int64),
        ),
        shape=(len(labels), 1 << args.bits),
    )
    X.sum_duplicates()  # two features in one bucket count twice, as NerGate.scores adds them
    y = np.array(labels)
    sent_of_row_a = np.array(sent_of_row)
    held_a = np.array(held)
    test_rows = held_a[sent_of_row_a]
    took = time.time() - t0
    print(f"features: {X.shape[0]} tokens, {int(y.sum())} inside an entity ({took:.0f} s)", file=sys.stderr)

    model = LogisticRegression(C=args.c, fit_intercept=False, max_iter=2000, solver="lbfgs")
    model.fit(X[~test_rows], y[~test_rows])
    weights = model.coef_[0].astype(np.float16)
    logits = X[test_rows] @ weights.astype(np.float64)

    # a held-out sentence's score is its highest token's
    sent_ids = sent_of_row_a[test_rows]
    n_sent = len(sent_positive)
    best = np.full(n_sent, -np.inf)
    np.maximum.at(best, sent_ids, logits)
    tested = held_a
    positive = np.array(sent_positive) & tested
    pos_scores = np.sort(best[positive])
    cut = pos_scores[int(np.floor((1 - args.recall) * len(pos_scores)))]
    threshold = float(cut)
    sent = (best >= threshold) & tested
    tokens_per_sent = np.bincount(sent_ids, minlength=n_sent)
    figures = {
        "sentences": int(tested.sum()),
        "sentences_with_entity": int(positive.sum()),
        "recall": round(float((sent & positive).sum() / positive.sum()), 4),
        "sentences_sent": round(float(sent.sum() / tested.sum()), 4),
        "tokens_sent": round(float(tokens_per_sent[sent].sum() / tokens_per_sent[tested].sum()), 4),
    }
    card = {
        "data": list(SETS),
        "tweets": len(texts),
        "held_out": "every fifth tweet",
        "labels": list(LABELS),
        "bits": args.bits,
        "c": args.c,
        "target_recall": args.recall,
        "threshold": threshold,  # a logit
        "held_out_figures": figures,
        "libraries": {"numpy": np.__version__, "scikit-learn": sklearn.__version__},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / MODEL_FILE, weights=weights)
    (args.out / CARD_FILE).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(card, indent=2))
    print(f"done in {time.time() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
