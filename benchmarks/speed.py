"""Speed: the full ``Checker`` check in process beside presidio's default AnalyzerEngine, same texts, same run.

Texts: tweets from tweeteval_offensive validation (``--tweets``, default 500) checked for X, and a
~10 KB Markdown blog post generated here from a fixed seed, checked for the blog. Each is timed
one text per call (``Checker.check``) and batched (``Checker.check_many``); presidio runs
``AnalyzerEngine.analyze(text, language="en")`` on the same texts (and its BatchAnalyzerEngine for
the batched rows). Printed: median and p95 milliseconds per text, the ratio postguard / presidio,
and postguard's per-check breakdown (``Report.timings_ms``).

presidio's default engine is built as its docs show, except that it gets the small English spaCy
pipeline postguard ships (its default, en_core_web_lg, would be downloaded) and that its e-mail
recognizer's tldextract reads the bundled public-suffix snapshot. Sockets are refused for the whole
run, so nothing can fetch.

    python benchmarks/speed.py --data /work/shared/data [--tweets 500] [--blog-repeat 10]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import random
import socket
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

BLOG_BYTES = 10 * 1024


# --------------------------------------------------------------------------------------------
# Texts


def load_tweets(data: Path, limit: int) -> list[str]:
    path = data / "tweeteval_offensive" / "validation.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [row["text"] for row, _ in zip(csv.DictReader(fh), range(limit))]


_WORDS = (
    "community library volunteers weekend programme families workshop digital skills council funding "
    "residents park garden project local schools children reading summer event partners charity "
    "support services training open day museum exhibition history city centre transport cycling "
    "walking health wellbeing team staff update news report plans consultation feedback survey "
    "results thanks everyone together future sustainable energy homes housing repairs recycling"
).split()


def blog_post(size: int = BLOG_BYTES, seed: int = 7) -> str:
    """A Markdown post of about ``size`` bytes: headings, prose, lists, links, code, contact details."""
    rng = random.Random(seed)

    def sentence() -> str:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 18))]
        return " ".join(words).capitalize() + rng.choice([".", ".", ".", "!", "?"])

    parts = ["# Our year in the community\n", f"_Posted by the communications team, {rng.randint(1, 28)} May 2024_\n"]
    section = 0
    while len("\n".join(parts).encode("utf-8")) < size:
        section += 1
        parts.append(f"## {sentence().rstrip('.!?')}\n")
        for _ in range(rng.randint(2, 3)):
            parts.append(" ".join(sentence() for _ in range(rng.randint(3, 5))) + "\n")
        kind = section % 4
        if kind == 0:
            parts.append("\n".join(f"- **{rng.choice(_WORDS).title()}**: {sentence()}" for _ in range(4)) + "\n")
        elif kind == 1:
            parts.append(
                f"Read the [full report](https://example.org/reports/{section}) or see "
                f"`docs/{rng.choice(_WORDS)}.md` for details. Questions: contact@example.org or "
                f"0113 496 0{rng.randint(100, 999)}.\n"
            )
        elif kind == 2:
            parts.append("```python\nfor event in events:\n    print(event.title, event.date)\n```\n")
        else:
            parts.append(f"> {sentence()} {sentence()}\n")
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# Timing


@contextlib.contextmanager
def no_network() -> Iterator[None]:
    """Refuse every socket connection while the benchmark runs."""

    def refuse(*args, **kwargs):
        raise OSError("speed benchmark: network access refused")

    saved = socket.socket.connect, socket.socket.connect_ex, socket.create_connection
    socket.socket.connect = socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection = saved  # type: ignore[method-assign]


def per_call(fn: Callable[[str], object], texts: Sequence[str]) -> list[float]:
    """Milliseconds of ``fn(text)`` for each text."""
    out = []
    for t in texts:
        t0 = time.perf_counter()
        fn(t)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def per_batch(fn: Callable[[list[str]], object], texts: Sequence[str], batch: int) -> list[float]:
    """Milliseconds per text of ``fn(batch)``, one figure per batch."""
    out = []
    for i in range(0, len(texts), batch):
        chunk = list(texts[i : i + batch])
        t0 = time.perf_counter()
        fn(chunk)
        out.append((time.perf_counter() - t0) * 1000 / len(chunk))
    return out


def stats(ms: list[float]) -> tuple[float, float]:
    return float(np.median(ms)), float(np.percentile(ms, 95))


def presidio_engine():
    """presidio's default AnalyzerEngine (default recognizers), offline."""
    from types import SimpleNamespace

    import tldextract
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    from postguard.nlp import model_name

    bundled = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)
    email_recognizer.tldextract = SimpleNamespace(extract=bundled)
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model_name()}]}
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine())
    return analyzer, BatchAnalyzerEngine(analyzer_engine=analyzer)


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--tweets", type=int, default=500, help="tweets to time (default 500)")
    ap.add_argument("--batch", type=int, default=50, help="tweets per check_many batch (default 50)")
    ap.add_argument("--blog-repeat", type=int, default=10, help="timed checks of the blog post (default 10)")
    ap.add_argument("--policy", default=None, help="policy name or file (default: the default policy)")
    ap.add_argument("--no-baseline", action="store_true", help="skip presidio")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    tweets = load_tweets(args.data, args.tweets)
    blog = blog_post()
    with no_network():
        from postguard import Checker, __version__

        t0 = time.perf_counter()
        checker = Checker(policy=args.policy)
        build_s = time.perf_counter() - t0
        checks = [c.name for c in checker.checks_for(checker.policy, "x")]
        print(
            f"speed: postguard {__version__}, policy {checker.policy.name!r} (checks: {', '.join(checks)}); "
            f"Checker built in {build_s:.1f} s"
        )
        print(f"texts: {len(tweets)} tweets (tweeteval_offensive validation), one {len(blog.encode()):,}-byte Markdown post")

        def pg_one(platform: str, fmt: str) -> Callable[[str], object]:
            return lambda t: checker.check(t, platform=platform, format=fmt)

        def pg_many(platform: str, fmt: str) -> Callable[[list[str]], object]:
            return lambda ts: checker.check_many(ts, platform=platform, format=fmt)

        blog_batch = 4
        blogs = [blog] * (blog_batch * max(1, args.blog_repeat // blog_batch))
        per_call(pg_one("x", "plain"), tweets[:5])  # warm up (lazy models, caches)
        per_call(pg_one("blog", "markdown"), [blog])
        rows: dict[str, tuple[list[float], list[float] | None]] = {
            f"tweets, one per call ({len(tweets)})": (per_call(pg_one("x", "plain"), tweets), None),
            f"tweets, check_many by {args.batch}": (per_batch(pg_many("x", "plain"), tweets, args.batch), None),
            f"blog post, one per call ({args.blog_repeat})": (
                per_call(pg_one("blog", "markdown"), [blog] * args.blog_repeat), None),
            f"blog post, check_many by {blog_batch}": (per_batch(pg_many("blog", "markdown"), blogs, blog_batch), None),
        }
        breakdown = {
            "tweets, one per call": [checker.check(t, platform="x").timings_ms for t in tweets[:100]],
            "tweets, check_many": [r.timings_ms for r in checker.check_many(tweets, platform="x")],
            "blog post, one per call": [
                checker.check(blog, platform="blog", format="markdown").timings_ms for _ in range(3)
            ],
        }

        if not args.no_baseline:
            analyzer, batch_analyzer = presidio_engine()
            one = lambda t: analyzer.analyze(t, language="en")  # noqa: E731
            many = lambda ts: list(batch_analyzer.analyze_iterator(ts, language="en", batch_size=len(ts)))  # noqa: E731
            per_call(one, tweets[:5] + [blog])
            keys = list(rows)
            baselines = [
                per_call(one, tweets),
                per_batch(many, tweets, args.batch),
                per_call(one, [blog] * args.blog_repeat),
                per_batch(many, blogs, blog_batch),
            ]
            for key, base in zip(keys, baselines):
                rows[key] = (rows[key][0], base)

    print()
    print(f"{'ms per text':34} {'postguard median':>16} {'p95':>8} {'presidio median':>16} {'p95':>8} {'ratio':>7}")
    for label, (ours, theirs) in rows.items():
        om, op = stats(ours)
        line = f"{label:34} {om:16.3f} {op:8.3f}"
        if theirs:
            tm, tp = stats(theirs)
            line += f" {tm:16.3f} {tp:8.3f} {om / tm:6.2f}x"
        print(line)
    if not args.no_baseline:
        print("ratio = postguard median / presidio median (below 1: postguard is faster, though it runs every check)")
    for name, timings in breakdown.items():
        keys = sorted({k for t in timings for k in t}, key=lambda k: -statistics.median(t.get(k, 0.0) for t in timings))
        parts = [f"{k} {statistics.median(t.get(k, 0.0) for t in timings):.3f}" for k in keys]
        print(f"per-check median ms, {name}: " + ", ".join(parts))
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
