"""Adversarial shapes at the 50,000-character maximum: the worst check time, and the issue's repros.

Each shape (runs of each Unicode category, nested brackets, entities, emphasis markers, table
pipes, long words, long URLs, ...) is checked once as plain text, and those aimed at the readers
as Markdown and HTML too, with the default policy; the line printed is the slowest, next to
ordinary prose of the same length measured in the same run (the baseline the ratio is against).

    python benchmarks/adversarial.py [--data IGNORED] [--length 50000] [--formats plain,markdown,html]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from collections.abc import Callable

MAX_LENGTH = 50_000
_EMOJI = "😀😁😂🤣😃😄😅😆😉😊👍🏽"
_PROSE = (
    "The library is closed on Monday for maintenance. Email the service desk if your login "
    "fails, and please be patient with the team while we fix the wifi in the north building. "
)


def _categories() -> dict[str, str]:
    """Up to 200 assigned characters of each Unicode general category (not surrogates)."""
    found: dict[str, list[str]] = {}
    for cp in range(0x20, 0x30000):
        cat = unicodedata.category(chr(cp))
        if cat not in ("Cs", "Co", "Cn") and len(found.setdefault(cat, [])) < 200:
            found[cat].append(chr(cp))
    return {cat: "".join(chars) for cat, chars in sorted(found.items())}


def shapes(n: int = MAX_LENGTH, seed: int = 0) -> dict[str, str]:
    """Every adversarial shape, ``n`` characters long (random where it says so, from ``seed``).

    The first ones are runs of each Unicode general category; ``MARKUP_SHAPES`` are the rest.
    """
    rng = random.Random(seed)

    def rand(chars: str, k: int) -> str:
        return "".join(rng.choice(chars) for _ in range(k))

    def fill(unit: str | Callable[[], str]) -> str:
        parts, size = [], 0
        while size < n:
            part = unit() if callable(unit) else unit
            parts.append(part)
            size += len(part)
        return "".join(parts)[:n]

    out: dict[str, str] = {}
    categories = _categories()
    for cat, chars in categories.items():
        out[f"run {cat}"] = rand(chars, n)
    # one character a token: the most tokens a text can have (the entity recogniser's worst case)
    every = "".join(categories.values())
    out["spaced, every category"] = fill(lambda: rng.choice(every) + " ")
    half = n // 2
    out.update(
        {
            "emoji": rand(_EMOJI, n),
            "brackets": rand('([{‹"', n),
            "nested ()": "(" * half + ")" * (n - half),
            "nested []": "[" * half + "]" * (n - half),
            "markdown link": "[" * (half - 2) + "x](" + "]" * (n - half - 1),
            "links": fill("[x]("),
            "images": fill("!["),
            "entities": fill("&amp;"),
            "broken entities": fill("&#"),
            "emphasis *": "*" * n,
            "emphasis _": "_" * n,
            "emphasis *a": fill("*a"),
            "emphasis _a": fill("_a "),
            "emphasis **": fill("**a "),
            "strikethrough": fill("~~a"),
            "table pipes": "|" * n,
            "table": fill("| a " * 50 + "|\n"),
            "backticks": "`" * n,
            "code spans": fill("`a"),
            "fences": fill("```\n"),
            "angle brackets": "<" * n,
            "open tags": fill("<a href='"),
            "comments": fill("<!--"),
            "backslashes": "\\" * n,
            "quotes >": fill("> "),
            "bullets": fill("- "),
            "lines": fill("a\n"),
            "long word": "a" * n,
            "digits": "1" * n,
            "spaced digits": fill("1 "),
            "dashed digits": fill("0-"),
            "long url": "https://" + fill("a.")[: n - 8],
            "long url path": "https://example.org/" + fill("a/")[: n - 20],
            "email-like": fill("a.")[: n - 12] + "@example.com",
            "at-dots": fill("@a."),
            # every one a result presidio's context enhancer reads the words before
            "e-mail addresses": fill("jo.bloggs@example.com, "),
            "phone numbers": fill("call 0113 496 0123 or "),
            "hex": rand("0123456789abcdef", n),
            "base64": rand("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", n),
            "key=": fill("key="),
            "mixed script": rand("aа", n),
            "zero-width joins": rand("a\u200d", n),
            "spaced capitals": fill("A "),
            "front matter": "---\ntitle: " + "a" * (n - 16) + "\n---\n",
            "prose": fill(_PROSE),
        }
    )
    return {name: text[:n] for name, text in out.items()}


def markup_shapes(catalogue: dict[str, str]) -> dict[str, str]:
    """The shapes that are not a run of one Unicode category (the ones aimed at the readers)."""
    return {name: text for name, text in catalogue.items() if not name.startswith("run ")}


def repros() -> dict[str, str]:
    """The inputs of the issue that stalled the service, random each time as they were sent."""
    rng = random.Random()
    return {
        "emoji x 8,000": "".join(rng.choice(_EMOJI[:10]) for _ in range(8000)),
        "([{‹\" x 8,000": "".join(rng.choice('([{‹"') for _ in range(8000)),
        "&amp; x 9,000 (html)": "&amp;" * 9000,
        "[ x 24,000 x]( ] x 24,000 (markdown)": "[" * 24000 + "x](" + "]" * 24000,
    }


def time_check(checker, text: str, fmt: str) -> tuple[float, dict[str, float]]:
    """Seconds for one check of ``text``, and the report's milliseconds per stage."""
    t0 = time.perf_counter()
    report = checker.check(text, format=fmt)
    return time.perf_counter() - t0, dict(report.timings_ms)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="unused: the inputs are generated")
    ap.add_argument("--length", type=int, default=MAX_LENGTH)
    ap.add_argument("--formats", default="plain,markdown,html")
    args = ap.parse_args(argv)

    from postguard.engine import Checker

    checker = Checker()
    checker.check("warm up: jane@example.com", format="plain")
    catalogue = shapes(args.length)
    baseline, _ = time_check(checker, catalogue["prose"], "plain")
    worst = (0.0, "", "", {})
    for fmt in args.formats.split(","):
        # Markdown and HTML get the shapes aimed at their readers; plain text gets every shape
        for name, text in (catalogue if fmt == "plain" else markup_shapes(catalogue)).items():
            seconds, stages = time_check(checker, text, fmt)
            if seconds > worst[0]:
                worst = (seconds, name, fmt, stages)
    seconds, name, fmt, stages = worst
    slowest = max(stages, key=stages.get) if stages else "?"
    print(f"{len(catalogue)} shapes x {args.formats} at {args.length:,} characters")
    print(f"prose baseline: {baseline:.2f} s")
    print(
        f"worst adversarial shape: {seconds:.2f} s ({seconds / baseline:.1f}x prose) "
        f"for {name!r} as {fmt}; slowest stage {slowest} {stages.get(slowest, 0) / 1000:.2f} s"
    )
    for name, text in repros().items():
        fmt = "html" if "html" in name else "markdown" if "markdown" in name else "plain"
        seconds, _ = time_check(checker, text, fmt)
        print(f"repro {name}: {seconds:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
