"""Calm official posts: how many a caller's Report would hold, and which rules hold them.

Reads customer_care/dev.jsonl (`official: true`: what brands' support accounts post) and checks each
post with the default policy through ``Checker.check_many``. Prints the warn-or-block rate, the
rate without the model checks (toxicity, tone: the rules and detectors alone), and the rules that
warn or block, most frequent first, with one example each when ``--examples`` is given.

    python benchmarks/calm_posts.py --data ../shared/data [--platform x] [--examples] [--rules-only]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

MODEL_CATEGORIES = ("toxicity", "tone")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--examples", action="store_true", help="print one post per rule (post text is shown)")
    ap.add_argument("--rules-only", action="store_true", help="switch off the model checks (toxicity, tone)")
    # generic by default: the set's links were rewritten to long web.archive.org addresses and its
    # text keeps "&amp;", so X's length count says more about the archive than about the post.
    ap.add_argument("--platform", default="generic")
    args = ap.parse_args(argv)

    from postguard import Checker
    from postguard.policy import load_policy

    with (args.data / "customer_care" / "dev.jsonl").open(encoding="utf-8") as fh:
        posts = [json.loads(line) for line in fh]
    texts = [p["text"] for p in posts if p.get("official")]

    policy = load_policy(None)
    if args.rules_only:
        checks = {k: ({**v, "enabled": False} if k in MODEL_CATEGORIES else v) for k, v in policy.checks.items()}
        policy = policy.model_copy(update={"checks": checks, "name": "default-rules-only"})
    reports = Checker(policy).check_many(texts, platform=args.platform)

    held = [r.verdict != "pass" for r in reports]
    by_rules = [
        any(f.severity.rank >= 1 and f.category not in MODEL_CATEGORIES for f in r.findings) for r in reports
    ]
    rules: Counter[str] = Counter()
    example: dict[str, str] = {}
    for text, r in zip(texts, reports):
        for rule in {f.rule_id for f in r.findings if f.severity.rank >= 1}:
            rules[rule] += 1
            example.setdefault(rule, text)
    n = len(texts)
    print(f"official posts: {n} (policy {policy.name}, platform {args.platform})")
    print(f"warn-or-block rate: {sum(held) / n:.1%} ({sum(held)})")
    print(f"warn-or-block by rules and detectors (not toxicity/tone): {sum(by_rules) / n:.1%} ({sum(by_rules)})")
    print("posts held, by rule:")
    for rule, count in rules.most_common():
        line = f"  {count:4d}  {rule}"
        if args.examples:
            line += f"   e.g. {example[rule][:110]!r}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
