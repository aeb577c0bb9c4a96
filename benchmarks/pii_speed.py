"""PII + secrets speed: what the two checks add to a tweet beyond the shared parse.

Checks real tweets (broad_twitter_corpus validation) in batches through ``Checker.check_many`` with
only ``pii`` and ``secrets`` enabled, and reads the per-check timings every Report carries: the
shared spaCy parse (``nlp``) is reported apart, so ``pii + secrets`` is exactly the added cost.
Target: <= 1.5 ms per tweet.

    python benchmarks/pii_speed.py --data ../shared/data [--limit 1000] [--batch 64]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

TARGET_MS = 1.5


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args(argv)

    from postguard.engine import Checker
    from postguard.policy import load_policy

    path = args.data / "broad_twitter_corpus" / "validation.jsonl"
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh][: args.limit]

    base = load_policy()
    checks = {name: {**base.checks.get(name, {}), "enabled": True} for name in ("pii", "secrets")}
    checker = Checker(base.model_copy(update={"checks": checks}))
    checker.check_many(texts[:32])  # warm up caches and the pipeline

    per: dict[str, list[float]] = {"nlp": [], "pii": [], "secrets": []}
    t = time.perf_counter()
    for i in range(0, len(texts), args.batch):
        for report in checker.check_many(texts[i : i + args.batch]):
            for k in per:
                per[k].append(report.timings_ms.get(k, 0.0))
    wall = (time.perf_counter() - t) * 1000 / len(texts)

    added = [p + s for p, s in zip(per["pii"], per["secrets"])]
    mean = statistics.fmean(added)
    print(f"{len(texts)} tweets, batches of {args.batch}; ms per tweet:")
    print(f"  shared parse (nlp)  {statistics.fmean(per['nlp']):.3f}")
    print(f"  pii                 {statistics.fmean(per['pii']):.3f}")
    print(f"  secrets             {statistics.fmean(per['secrets']):.3f}")
    print(f"  pii + secrets       {mean:.3f}  (target <= {TARGET_MS}; {mean / TARGET_MS:.2f}x of budget)")
    print(f"  end to end          {wall:.3f}")
    return 0 if mean <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
