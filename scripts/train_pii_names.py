#!/usr/bin/env python
"""Train the pii check's name/place CRF from the shared tweet corpora (training splits only).

    python scripts/train_pii_names.py --data ../shared/data --out src/postguard/models/

Reads broad_twitter_corpus/train.jsonl (PER, LOC; @-mention spans are taught as O, since handles
are not personal data) and wnut17_emerging_entities/train.jsonl (person, location), parses each
text with postguard's own spaCy pipeline (the Doc the check sees at run time), labels tokens BIO
from the character spans, and trains a CRF (python-crfsuite, L-BFGS, deterministic). Writes
``pii_names.crfsuite`` and ``pii_names.json`` (data, sizes, settings). Validation splits are left
for ``benchmarks/pii_quality.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

SETS = (
    ("broad_twitter_corpus/train.jsonl", {"PER": "PER", "LOC": "LOC"}),
    ("wnut17_emerging_entities/train.jsonl", {"person": "PER", "location": "LOC"}),
)
PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 150, "feature.possible_transitions": True}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("src/postguard/models"))
    ap.add_argument("--c1", type=float, default=PARAMS["c1"])
    ap.add_argument("--c2", type=float, default=PARAMS["c2"])
    args = ap.parse_args(argv)
    PARAMS.update(c1=args.c1, c2=args.c2)

    import pycrfsuite

    from postguard.checks.pii import name_featurizer
    from postguard.nlp import load_nlp

    nlp = load_nlp()
    featurizer = name_featurizer()
    trainer = pycrfsuite.Trainer(verbose=False)
    counts = {}
    t0 = time.time()
    for rel, mapping in SETS:
        rows = [json.loads(line) for line in (args.data / rel).open(encoding="utf-8")]
        n_spans = 0
        for row, doc in zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=256)):
            tags = ["O"] * len(doc)
            for s in row["spans"]:
                label = mapping.get(s["label"])
                if label is None or s.get("is_mention"):
                    continue
                span = doc.char_span(s["start"], s["end"], alignment_mode="expand")
                if span is None or len(span) == 0:
                    continue
                tags[span.start] = "B-" + label
                for k in range(span.start + 1, span.end):
                    tags[k] = "I-" + label
                n_spans += 1
            trainer.append(featurizer.features(doc), tags)
        counts[rel] = {"texts": len(rows), "spans": n_spans}
        print(f"{rel}: {len(rows)} texts, {n_spans} spans", file=sys.stderr)
    trainer.set_params(PARAMS)
    args.out.mkdir(parents=True, exist_ok=True)
    model = args.out / "pii_names.crfsuite"
    trainer.train(str(model))
    meta = {
        "model": model.name,
        "trained_on": counts,
        "licences": "Broad Twitter Corpus CC BY 4.0 (Derczynski, Bontcheva, Roberts 2016); "
        "WNUT-17 CC BY 4.0 (Derczynski, Nichols, van Erp, Limsopatham 2017)",
        "params": PARAMS,
        "seconds": round(time.time() - t0, 1),
        "size_bytes": model.stat().st_size,
    }
    (args.out / "pii_names.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
