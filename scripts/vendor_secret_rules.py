"""Vendor gitleaks' default rules into the package as RE2-safe data.

    python scripts/vendor_secret_rules.py /path/to/secret_rules [--out src/postguard/data]

Reads ``gitleaks.toml`` and ``LICENSE-gitleaks`` from the given folder and writes
``secret_rules.json`` (the rules postguard uses, each pattern compiled under google-re2, plus the
skipped ones with the reason) and ``LICENSE-gitleaks.txt`` beside it. Prints how many translate.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tomllib
from pathlib import Path

import re2

ROOT = Path(__file__).resolve().parent.parent

# gitleaks ends most assignment rules with this group: the value must be followed by a quote,
# space, ";", an escaped newline or the end of the text. In a post the value is as often followed
# by the sentence's full stop, comma or closing bracket, and a line ends where a code block's line
# does, so the translation adds those and reads "$" per line. "!" and "?" stay out: they end
# passwords as often as sentences, and the password rules own those.
_TAIL = r"""(?:[\x60'"\s;]|\\[nr]|$)"""
_POST_TAIL = r"""(?:[\x60'"\s;,.)\]]|\\[nr]|$)"""


def translate(rule: dict) -> tuple[dict | None, str]:
    """The vendored form of one gitleaks rule, or ``None`` and why it is skipped."""
    if "regex" not in rule:
        return None, "matches file names only (no pattern for text)"
    if "path" in rule:
        return None, f"gitleaks tries it only on files named like {rule['path']!r}; a post has no file name"
    pattern = rule["regex"]
    notes = []
    if _TAIL in pattern:
        pattern = pattern.replace(_TAIL, _POST_TAIL)
        notes.append("tail")
    pattern = "(?m)" + pattern
    try:
        compiled = re2.compile(pattern)
    except re2.error as exc:
        return None, f"does not compile under RE2: {exc}"
    group = int(rule.get("secretGroup", 1 if compiled.groups >= 1 else 0))
    allow: list[dict] = []
    for a in rule.get("allowlists", ()):
        if "paths" in a:
            continue  # file-name allowlists (and the AND-conditions built on them) cannot apply
        regexes = []
        for rx in a.get("regexes", ()):
            try:
                re2.compile(rx)
            except re2.error as exc:
                return None, f"an allowlist pattern does not compile under RE2: {exc}"
            regexes.append(rx)
        target = a.get("regexTarget", "secret")
        if regexes:
            allow.append({"target": target, "regexes": regexes})
        if a.get("stopwords"):
            allow.append({"target": "stopwords", "words": [w.lower() for w in a["stopwords"]]})
    return {
        "id": rule["id"],
        "description": rule["description"],
        "regex": pattern,
        "group": group,
        "entropy": rule.get("entropy", 0),
        "keywords": [k.lower() for k in rule.get("keywords", ())],
        "allow": allow,
        "translated": notes,
    }, ""


def vendor(source: Path, out: Path) -> dict:
    """Write the vendored rules and licence into ``out``; return the summary."""
    config = tomllib.loads((source / "gitleaks.toml").read_text(encoding="utf-8"))
    rules, skipped = [], []
    for rule in config["rules"]:
        kept, why = translate(rule)
        if kept is None:
            skipped.append({"id": rule["id"], "reason": why})
        else:
            rules.append(kept)
    glob = config.get("allowlist", {})
    data = {
        "source": "gitleaks default configuration (config/gitleaks.toml), MIT licence: LICENSE-gitleaks.txt",
        "min_version": config.get("minVersion", ""),
        "global_allow": {
            "regexes": [rx for rx in glob.get("regexes", ()) if _compiles(rx)],
            "stopwords": [w.lower() for w in glob.get("stopwords", ())],
        },
        "rules": rules,
        "skipped": skipped,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "secret_rules.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copyfile(source / "LICENSE-gitleaks", out / "LICENSE-gitleaks.txt")
    return {"rules": len(config["rules"]), "vendored": len(rules), "skipped": skipped}


def _compiles(rx: str) -> bool:
    try:
        re2.compile(rx)
    except re2.error:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="folder holding gitleaks.toml and LICENSE-gitleaks")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "postguard" / "data")
    args = ap.parse_args(argv)
    summary = vendor(args.source, args.out)
    print(f"{summary['vendored']} of {summary['rules']} gitleaks rules vendored (RE2-safe); skipped:")
    for s in summary["skipped"]:
        print(f"  {s['id']}: {s['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
