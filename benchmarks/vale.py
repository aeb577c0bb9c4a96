"""Vale styles: how much of each style loads, how its own test suite fares, and what it costs a tweet.

For every style folder under ``--styles`` (default: the vendored suites in tests/data/vale, each
``<Style>/<Style>/*.yml`` with ``features/`` and ``fixtures/``):

1. rules loaded, of them translated (a lookaround run as RE2 plus anchored checks), and skipped
   (with the reasons, counted);
2. the style's own suite: alerts found / expected (recall), extra findings, and precision, on
   (file, line, rule), plus how many found alerts also agree on the column; alerts of scenarios
   whose fixture folder is missing ("no-fixture"), and expected alerts past the end of their
   fixture file ("stale": fixture and feature from different versions) are counted apart and
   left out;
3. the time the loaded style adds to the ``policy`` check per tweet (broad_twitter_corpus
   validation), as the median of per-tweet bests of three, against the same check with no packs.

Target: pooled recall and precision >= 0.90, every style loading, <= 0.5 ms a tweet per style.

    python benchmarks/vale.py --data ../shared/data [--styles DIR] [--limit 2000]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import warnings
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
STYLES = HERE.parent / "tests" / "data" / "vale"
TARGET_MS = 0.5


def style_dirs(root: Path) -> list[tuple[str, Path, Path]]:
    """``(name, suite root, rule folder)`` for each style under ``root``."""
    out = []
    for suite in sorted(p for p in root.iterdir() if p.is_dir()):
        for rules in sorted(p for p in suite.iterdir() if p.is_dir() and p.name not in ("features", "fixtures")):
            if any(rules.glob("*.yml")):
                out.append((rules.name, suite, rules))
    return out


def _per_tweet_ms(check, parsed) -> float:
    times = []
    for p in parsed:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            list(check.run(p))
            best = min(best, (time.perf_counter() - t) * 1000)
        times.append(best)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--styles", type=Path, default=STYLES)
    ap.add_argument("--limit", type=int, default=2000)
    args = ap.parse_args(argv)

    from postguard.checks.policy import PolicyCheck
    from postguard.checks.policy.vale import load_vale_style
    from postguard.checks.policy.vale_suite import run_suite
    from postguard.parsing import parse
    from postguard.policy import Policy
    from postguard.post import Post

    path = args.data / "broad_twitter_corpus" / "validation.jsonl"
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh][: args.limit]
    parsed = [parse(Post(text=x, platform="x")) for x in texts]
    baseline = PolicyCheck({"packs": []}, Policy(name="bench"))
    base_ms = _per_tweet_ms(baseline, parsed)

    print(f"{'style':<12} {'loaded':>6} {'transl':>6} {'skipped':>7}  {'found/expected':>14} {'recall':>6} "
          f"{'extra':>5} {'prec':>5} {'cols':>5} {'no-fixture':>10} {'stale':>5} {'ms/tweet':>8}")
    pooled = Counter()
    all_loaded = True
    reasons: Counter[str] = Counter()
    for name, suite, rules in style_dirs(args.styles):
        pack = load_vale_style(rules)
        skipped = [n for n in pack.skipped if ": skipped: " in n]
        for note in skipped:
            reasons[re.sub(r"'[^']*'", "'…'", note.split(": skipped: ", 1)[1])[:90]] += 1
        outcomes = run_suite(suite, pack)
        ran = [o for o in outcomes if o.ran]
        expected = sum(o.expected for o in ran)
        stale = sum(len(o.stale) for o in ran)
        matched = sum(o.matched for o in ran)
        extra = sum(len(o.extra) for o in ran)
        cols = sum(o.columns_agree for o in ran)
        no_fixture = sum(len(o.scenario.expected) for o in outcomes if not o.ran)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check = PolicyCheck({"packs": [], "vale": [str(rules)]}, Policy(name="bench"))
        cost = _per_tweet_ms(check, parsed) - base_ms
        all_loaded &= bool(pack.rules)
        pooled.update(expected=expected, matched=matched, extra=extra, cols=cols, no_fixture=no_fixture, stale=stale)
        recall = matched / expected if expected else float("nan")
        precision = matched / (matched + extra) if matched + extra else float("nan")
        print(f"{name:<12} {len(pack.rules):>6} {len(pack.translated):>6} {len(skipped):>7}  "
              f"{f'{matched}/{expected}':>14} {recall:>6.2f} {extra:>5} {precision:>5.2f} {cols:>5} "
              f"{no_fixture:>10} {stale:>5} {cost:>8.3f}")
    m, e, x = pooled["matched"], pooled["expected"], pooled["extra"]
    recall = m / e if e else float("nan")
    precision = m / (m + x) if m + x else float("nan")
    print(f"{'pooled':<12} {'':>6} {'':>6} {'':>7}  {f'{m}/{e}':>14} {recall:>6.2f} {x:>5} {precision:>5.2f} "
          f"{pooled['cols']:>5} {pooled['no_fixture']:>10} {pooled['stale']:>5}")
    print(f"baseline policy check with no packs: {base_ms:.3f} ms a tweet (median of per-tweet bests of 3, {len(parsed)} tweets)")
    for reason, n in reasons.most_common():
        print(f"  skipped x{n}: {reason}")
    ok = all_loaded and recall >= 0.9 and precision >= 0.9
    print(f"every style loads: {all_loaded}; recall >= 0.90 and precision >= 0.90: {recall >= 0.9 and precision >= 0.9}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
