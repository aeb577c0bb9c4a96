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

    python benchmarks/speed.py --data ../shared/data [--tweets 500] [--blog-repeat 10]
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


def _timed(fn: Callable, arg: object) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn(arg)
    return (time.perf_counter() - t0) * 1000, result


def per_call(fn: Callable[[str], object], texts: Sequence[str]) -> list[float]:
    """Milliseconds of ``fn(text)`` for each text."""
    return [_timed(fn, t)[0] for t in texts]


Runner = Callable[[list[str]], list[object]]


def compare(ours: Runner, theirs: Runner | None, texts: Sequence[str], batch: int) -> tuple[list, list, list]:
    """Milliseconds per text for ``ours`` and ``theirs`` on the same batches, taking turns batch by
    batch so both see the same machine load; also our results."""
    mine, other, results = [], [], []
    for i in range(0, len(texts), batch):
        chunk = list(texts[i : i + batch])
        ms, res = _timed(ours, chunk)
        mine.append(ms / len(chunk))
        results.extend(res)  # type: ignore[arg-type]
        if theirs is not None:
            other.append(_timed(theirs, chunk)[0] / len(chunk))
    return mine, other, results


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
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
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

        def pg(platform: str, fmt: str, batched: bool) -> Runner:
            if batched:
                return lambda ts: checker.check_many(ts, platform=platform, format=fmt)
            return lambda ts: [checker.check(ts[0], platform=platform, format=fmt)]

        one = many = None
        if not args.no_baseline:
            analyzer, batch_analyzer = presidio_engine()
            one = lambda ts: [analyzer.analyze(ts[0], language="en")]  # noqa: E731
            many = lambda ts: list(batch_analyzer.analyze_iterator(ts, language="en", batch_size=len(ts)))  # noqa: E731
            for t in tweets[:5] + [blog]:  # warm up
                one([t])
        for t in tweets[:5]:  # warm up (lazy models, caches)
            pg("x", "plain", False)([t])
        pg("blog", "markdown", False)([blog])

        blog_batch = 4
        blogs = [blog] * (blog_batch * max(1, args.blog_repeat // blog_batch))
        plan = [
            (f"tweets, one per call ({len(tweets)})", pg("x", "plain", False), one, tweets, 1),
            (f"tweets, check_many by {args.batch}", pg("x", "plain", True), many, tweets, args.batch),
            (f"blog post, one per call ({args.blog_repeat})", pg("blog", "markdown", False), one,
             [blog] * args.blog_repeat, 1),
            (f"blog post, check_many by {blog_batch}", pg("blog", "markdown", True), many, blogs, blog_batch),
        ]
        rows: dict[str, tuple[list[float], list[float]]] = {}
        breakdown: dict[str, list[dict[str, float]]] = {}
        for label, ours, theirs, texts, batch in plan:
            mine, other, reports = compare(ours, theirs, texts, batch)
            rows[label] = (mine, other)
            breakdown[label] = [r.timings_ms for r in reports]  # type: ignore[attr-defined]

        # Throughput with both cores: check_many by 50 on 2 processes (kept between calls), beside
        # presidio one text per call in this one process, taking turns batch by batch.
        checker.check_many(tweets[: args.batch], platform="x", processes=2)  # start the workers
        both, alone = 0.0, 0.0
        for i in range(0, len(tweets), args.batch):
            chunk = tweets[i : i + args.batch]
            both += _timed(lambda ts: checker.check_many(ts, platform="x", processes=2), chunk)[0]
            if one is not None:
                alone += sum(_timed(one, [t])[0] for t in chunk)
        checker.close()
        rates = (len(tweets) * 1000 / both, len(tweets) * 1000 / alone if alone else 0.0)

        from postguard.platforms import twitter_length

        long_post = (" ".join(tweets))[:360]
        measure = {
            "tweets": [min(per_call(twitter_length, [t] * 5)) for t in tweets],
            "a 360-character post": [min(per_call(twitter_length, [long_post] * 5)) for _ in range(50)],
        }

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
        print("ratio = postguard median / presidio median; postguard runs every enabled check, presidio its PII "
              "recognizers only. The two take turns text by text (batch by batch), so both see the same load.")
    line = f"tweets/s, check_many by {args.batch} on 2 processes: {rates[0]:.0f}"
    if rates[1]:
        line += f"; presidio one per call in 1 process: {rates[1]:.0f}; ratio {rates[0] / rates[1]:.1f}x"
    print(line)
    for name, timings in breakdown.items():
        keys = sorted({k for t in timings for k in t}, key=lambda k: -statistics.median(t.get(k, 0.0) for t in timings))
        parts = [f"{k} {statistics.median(t.get(k, 0.0) for t in timings):.3f}" for k in keys]
        print(f"per-check median ms, {name}: " + ", ".join(parts))
    for name, ms in measure.items():
        m, p = stats(ms)
        print(f"X weighted length alone (twitter-text v3), {name}: median {m * 1000:.1f} us, p95 {p * 1000:.1f} us")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
