"""Leaks: the secrets check beside detect-secrets on the leaks suite and on calm posts, same run.

The leaks suite is the table in ``tests/checks/test_leaks.py``: every kind of credential in plain
text and hidden in Markdown and HTML, link targets, 31 password phrasings (recall: the secret
found with its whole span), and calm near-misses (any finding is a false alarm). detect-secrets
1.5 scans each post as a file with its default plugins and filters; a secret counts as found when
one of its reported values covers it. Calm posts (``--data``): customer-care and broad-corpus
tweets; a post with any secret finding is a false alarm.

    python benchmarks/leaks_quality.py [--data ../shared/data] [--calm 3000]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def suite():
    """The leaks suite's tables, read from the test module."""
    sys.path.insert(0, str(ROOT / "tests"))
    spec = importlib.util.spec_from_file_location("test_leaks", ROOT / "tests" / "checks" / "test_leaks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    leaks = [tuple(p.values[:3]) for p in mod._cases()] + [tuple(c[:3]) for c in mod.LINKED]
    leaks += [("plain", text, secret) for text, secret in mod.PHRASINGS if secret]
    leaks += [tuple(c) for c in mod.SNIPPETS]
    calm = list(mod.NEAR_MISSES) + [("plain", text) for text, secret in mod.PHRASINGS if not secret]
    return leaks, calm


def postguard_scanner():
    from postguard.engine import Checker

    checker = Checker()

    def scan(fmt: str, text: str) -> list[str]:
        return [f.excerpt for f in checker.check(text, format=fmt).findings if f.category == "secret"]

    return scan


def detect_secrets_scanner():
    from detect_secrets import SecretsCollection
    from detect_secrets.settings import default_settings

    suffix = {"plain": ".txt", "markdown": ".md", "html": ".html"}

    def scan(fmt: str, text: str) -> list[str]:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "post" + suffix[fmt])
            Path(path).write_text(text, encoding="utf-8")
            found = SecretsCollection()
            with default_settings():
                found.scan_file(path)
            return [s.secret_value or "" for f in found.files for s in found[f]]

    return scan


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--calm", type=int, default=3000, help="calm tweets from each corpus (0: none)")
    args = ap.parse_args(argv)
    leaks, near = suite()
    calm: list[tuple[str, str]] = []
    for name in ("customer_care/dev.jsonl", "broad_twitter_corpus/validation.jsonl"):
        path = args.data / name
        if args.calm and path.exists():
            with path.open(encoding="utf-8") as fh:
                calm += [("plain", json.loads(line)["text"]) for line in fh][: args.calm]

    print(f"{len(leaks)} leaks, {len(near)} near-misses, {len(calm)} calm tweets")
    print(f"{'':16s} {'leaks found':>12s} {'whole span':>11s} {'near-miss alarms':>17s} {'calm alarms':>12s}")
    for name, make in (("postguard", postguard_scanner), ("detect-secrets", detect_secrets_scanner)):
        scan = make()
        found = whole = 0
        for fmt, text, secret in leaks:
            values = scan(fmt, text)
            found += any(secret in v or (v and v in secret) for v in values)
            whole += any(secret in v for v in values)
        alarms = sum(bool(scan(fmt, text)) for fmt, text in near)
        calm_alarms = sum(bool(scan(fmt, text)) for fmt, text in calm)
        print(f"{name:16s} {found / len(leaks):12.1%} {whole / len(leaks):11.1%} "
              f"{alarms:>10d} of {len(near):<4d} {calm_alarms:>6d} of {len(calm)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
