"""What a caller's Report keeps of what the checks found, and the anger recall it gives.

Runs every check of the default policy on TweetEval emotion validation, once through the engine
(the ``Report`` a caller gets) and once check by check, and prints per rule how many findings the
checks made and how many the reports hold (merged duplicates count as kept: their rule is named in
``also_found_by``), then anger recall and precision from ``tone.anger`` in the reports.

    python benchmarks/report_kept.py --data ../shared/data [--limit 2000]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv)

    from postguard import Checker
    from postguard.engine import _attach_docs
    from postguard.findings import Finding
    from postguard.parsing import parse
    from postguard.post import Post

    with (args.data / "tweeteval_emotion" / "validation.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if args.limit:
        rows = rows[: args.limit]
    texts = [r["text"] for r in rows]
    angry = [r["label_name"] == "anger" for r in rows]

    checker = Checker()
    reports = checker.check_many(texts)
    effective = checker.policy.for_platform("generic")
    parsed = [parse(Post(text=t)) for t in texts]
    _attach_docs(parsed)
    found: Counter[str] = Counter()
    for check in checker.checks_for(checker.policy, "generic"):
        for outputs in check.run_many(parsed):
            for out in outputs:
                if not isinstance(out, Finding):
                    continue
                if effective.severity_for(out) is not None and not effective.allows(out):
                    found[out.rule_id] += 1
    kept: Counter[str] = Counter()
    for rep in reports:
        for f in rep.findings:
            kept[f.rule_id] += 1
            for other in getattr(f, "also_found_by", ()):
                kept[other] += 1

    print(f"tweeteval_emotion validation: {len(texts)} tweets, {sum(angry)} angry")
    print(f"{'rule':32s} {'found':>6s} {'in report':>9s}")
    for rule, n in found.most_common():
        print(f"{rule:32s} {n:6d} {kept[rule]:9d}")
    print(f"findings kept: {sum(kept[r] for r in found)}/{sum(found.values())}")
    flagged = [any(f.rule_id == "tone.anger" for f in rep.findings) for rep in reports]
    tp = sum(a and b for a, b in zip(angry, flagged))
    recall = tp / max(sum(angry), 1)
    precision = tp / max(sum(flagged), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"anger from the report: recall {recall:.3f} precision {precision:.3f} F1 {f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
