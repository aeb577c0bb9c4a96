"""Policy speed: all shipped rule packs on tweets and on a ~10 KB post, and RE2's linear time.

1. Tweets (broad_twitter_corpus validation): time of the ``policy`` check with all four packs,
   (a) with the shared spaCy Doc already attached, as when any other check needs it, and
   (b) alone, where an entity rule parses a post lazily only when its context words occur.
   Target: <= 0.5 ms per tweet for all packs together.
2. One ~10 KB Markdown post made of tweets.
3. The pathological pattern ``(a+)+$`` over ``"a" * n + "b"``: RE2 (what ``pattern`` rules run
   on) grows linearly with n; Python's backtracking ``re`` doubles with every extra character.

    python benchmarks/policy_speed.py --data ../shared/data [--limit 2000]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

TARGET_MS = 0.5
PATHOLOGICAL = r"(a+)+$"


def _time(fn, repeat: int = 3) -> float:
    """Least CPU time of ``repeat`` runs, in ms (the machine may be shared)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, (time.process_time() - t) * 1000)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--limit", type=int, default=2000)
    args = ap.parse_args(argv)

    from postguard.checks.policy import PolicyCheck
    from postguard.checks.policy.spec import compile_re2
    from postguard.nlp import load_nlp
    from postguard.parsing import parse
    from postguard.policy import Policy
    from postguard.post import Post

    path = args.data / "broad_twitter_corpus" / "validation.jsonl"
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh][: args.limit]

    t = time.perf_counter()
    check = PolicyCheck({"packs": ["social", "servicedesk", "inclusive", "style"]}, Policy(name="bench"))
    load_s = time.perf_counter() - t
    print(f"loaded {len(check.rules)} rules from {len(check.packs)} packs (compiled + self-tested) in {load_s:.2f} s")

    # (a) Doc attached beforehand, as the engine does when any enabled check needs it.
    nlp = load_nlp()
    parsed = [parse(Post(text=x, platform="x")) for x in texts]
    for p, doc in zip(parsed, nlp.pipe([p.text for p in parsed], batch_size=64)):
        p.set_doc(doc)
    check.run_many(parsed[:50])  # warm up
    # Each tweet timed three times, keeping the fastest: the machine is shared, and a run that
    # another process interrupted measures that process, not the rules.
    per_post: list[float] = []
    n_findings = 0
    t_all = time.perf_counter()
    for p in parsed:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            found = list(check.run(p))
            best = min(best, (time.perf_counter() - t) * 1000)
        per_post.append(best)
        n_findings += len(found)
    wall = (time.perf_counter() - t_all) * 1000 / (3 * len(parsed))
    cpu0 = time.process_time()
    check.run_many(parsed)
    cpu = (time.process_time() - cpu0) * 1000 / len(parsed)
    mean = statistics.fmean(per_post)
    p95 = sorted(per_post)[int(len(per_post) * 0.95)]
    print(f"\n{len(texts)} tweets, all packs; ms per tweet (fastest of 3 runs each):")
    print(f"  with the shared Doc attached   mean {mean:.3f}  median {statistics.median(per_post):.3f}  p95 {p95:.3f}"
          f"  (target <= {TARGET_MS}; {mean / TARGET_MS:.2f}x of budget)")
    print(f"  one pass, CPU time             mean {cpu:.3f}   (wall time of every run, interruptions included: {wall:.3f})")
    print(f"  findings                       {n_findings} ({n_findings / len(texts):.2f} per tweet)")

    # (b) Policy check alone: entity rules parse lazily only where a context word occurs.
    fresh = [parse(Post(text=x, platform="x")) for x in texts]
    cpu0 = time.process_time()
    check.run_many(fresh)
    alone = (time.process_time() - cpu0) * 1000 / len(fresh)
    lazily = sum(p.has_doc for p in fresh)
    print(f"  policy check alone (lazy Doc)  mean {alone:.3f}   (CPU time; {lazily} of {len(fresh)} tweets needed a parse)")

    # 2. A ~10 KB post.
    body, i = [], 0
    while sum(len(s) + 2 for s in body) < 10_000:
        body.append(texts[i % len(texts)])
        i += 1
    long_text = "# Weekly round-up\n\n" + "\n\n".join(body)
    long_parsed = parse(Post(text=long_text, format="markdown", platform="blog"))
    long_parsed.set_doc(nlp(long_parsed.text))
    long_findings = len(list(check.run(long_parsed)))
    long_ms = _time(lambda: list(check.run(long_parsed)), repeat=5)
    print(f"\n~10 KB post ({len(long_text):,} chars, markdown, Doc attached): {long_ms:.2f} ms"
          f" ({long_ms / (len(long_text) / 1000):.3f} ms per KB; {long_findings} findings)")

    # 3. Pathological pattern: RE2 linear, Python re exponential.
    print(f"\npathological pattern {PATHOLOGICAL!r} over 'a' * n + 'b':")
    re2_times: dict[str, dict[int, float]] = {}
    # RE2 runs an end-anchored pattern backwards from the end, so also time an unanchored
    # variant that must read the whole input.
    for label, source in ((PATHOLOGICAL, PATHOLOGICAL), ("(a+)+c (reads every character)", r"(a+)+c")):
        pat = compile_re2(source)
        re2_times[label] = {}
        print(f"  RE2 {label}")
        for n in (10_000, 100_000, 1_000_000):
            s = "a" * n + "b"
            re2_times[label][n] = ms = _time(lambda: pat.search(s))
            print(f"    n = {n:>9,}  {ms:9.3f} ms  ({ms / n * 1e6:.2f} ns per char)")
    print("  Python re (backtracking)")
    py_pat = re.compile(PATHOLOGICAL)
    py_times = {}
    for n in (16, 18, 20, 22):
        s = "a" * n + "b"
        py_times[n] = _time(lambda: py_pat.search(s), repeat=1)
        print(f"    n = {n:>9,}  {py_times[n]:9.3f} ms")
    full = re2_times["(a+)+c (reads every character)"]
    print(f"  Python re: x{py_times[22] / py_times[20]:.1f} per 2 extra characters (exponential); "
          f"n = 22 took {py_times[22]:.0f} ms")
    print(f"  RE2: x{full[1_000_000] / full[100_000]:.1f} from n = 100,000 to 1,000,000 (linear is x10); "
          f"n = 1,000,000 took {full[1_000_000]:.1f} ms, {py_times[22] / full[1_000_000]:.0f}x less than "
          f"Python re on 22 characters")
    return 0 if mean <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
