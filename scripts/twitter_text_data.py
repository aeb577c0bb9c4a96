"""Regenerate postguard's twitter-text data files from the published npm packages.

    npm install --prefix /tmp/tt twitter-text@3.1.0
    python scripts/twitter_text_data.py /tmp/tt/node_modules

Writes ``src/postguard/data/twitter_tlds.txt`` (the TLDs twitter-text's URL extraction accepts,
from its ``tld_lib.yml``) and ``src/postguard/data/twemoji_regex.txt`` (twemoji-parser's emoji
pattern, which twitter-text v3 uses to count an emoji sequence as one unit), rewritten from UTF-16
surrogate pairs to code points so Python's ``re`` can use it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "postguard" / "data"

_DUMP = r"""
const g = require('twitter-text/dist/regexp/validGTLD');
const c = require('twitter-text/dist/regexp/validCCTLD');
const e = require('twemoji-parser/dist/lib/regex').default;
console.log(JSON.stringify({gtld: g.source, cctld: c.source, emoji: e.source,
  twitterText: require('twitter-text/package.json').version,
  twemojiParser: require('twemoji-parser/package.json').version}));
"""


def tlds(source: str) -> list[str]:
    """The alternatives of twitter-text's ``(?:(?:a|b|...)(?=...))`` TLD pattern."""
    m = re.fullmatch(r"\(\?:\(\?:(.*)\)\(\?=\[\^0-9a-zA-Z@\+-\]\|\$\)\)", source)
    if m is None:
        raise SystemExit(f"unexpected TLD pattern shape: {source[:60]}...")
    return m.group(1).split("|")


def code_points(source: str) -> str:
    """Rewrite ``\\uD83D\\uDE00`` and ``\\uD83C[\\uDFFB-\\uDFFF]`` as code points."""

    def pair(hi: int, lo: int) -> str:
        return f"\\U{0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00):08x}"

    def repl(m: re.Match[str]) -> str:
        hi = int(m.group(1), 16)
        if m.group(2):
            return pair(hi, int(m.group(2), 16))
        items = re.findall(r"\\u(d[c-f][0-9a-f]{2})(?:-\\u(d[c-f][0-9a-f]{2}))?", m.group(3))
        if "".join(f"\\u{a}" + (f"-\\u{b}" if b else "") for a, b in items) != m.group(3):
            raise SystemExit(f"unexpected class after a high surrogate: [{m.group(3)}]")
        return "[" + "".join(pair(hi, int(a, 16)) + (f"-{pair(hi, int(b, 16))}" if b else "") for a, b in items) + "]"

    out = re.sub(r"\\u(d[89ab][0-9a-f]{2})(?:\\u(d[c-f][0-9a-f]{2})|\[([^\]]*)\])", repl, source)
    if re.search(r"\\ud[89a-f][0-9a-f]{2}", out):
        raise SystemExit("a surrogate escape was left unconverted")
    re.compile(out)
    return out


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        raise SystemExit(__doc__)
    node_modules = Path(args[0])
    raw = subprocess.run(
        ["node", "-e", _DUMP], cwd=node_modules.parent, check=True, capture_output=True, text=True
    ).stdout
    d = json.loads(raw)
    names = tlds(d["gtld"]) + tlds(d["cctld"])
    header = (
        f"# TLDs that twitter-text {d['twitterText']} accepts in a URL without a scheme (generic, then\n"
        "# country-code), from twitter-text's conformance/tld_lib.yml, one a line.\n"
        "# Copyright 2018 Twitter, Inc. Licensed under the Apache License, Version 2.0.\n"
        "# Regenerate with scripts/twitter_text_data.py.\n"
    )
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "twitter_tlds.txt").write_text(header + "\n".join(names) + "\n", encoding="utf-8")
    header = (
        f"# twemoji-parser {d['twemojiParser']} emoji pattern (used by twitter-text {d['twitterText']} to\n"
        "# count an emoji sequence as one unit), surrogate pairs rewritten as code points.\n"
        "# Copyright Twitter Inc. Licensed under the MIT licence: Permission is hereby granted, free of\n"
        "# charge, to any person obtaining a copy of this software and associated documentation files (the\n"
        "# \"Software\"), to deal in the Software without restriction, including without limitation the rights\n"
        "# to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software,\n"
        "# and to permit persons to whom the Software is furnished to do so, subject to the following\n"
        "# conditions: The above copyright notice and this permission notice shall be included in all copies\n"
        "# or substantial portions of the Software. THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF\n"
        "# ANY KIND, EXPRESS OR IMPLIED.\n"
        "# Regenerate with scripts/twitter_text_data.py. The pattern is the last line.\n"
    )
    (DATA / "twemoji_regex.txt").write_text(header + code_points(d["emoji"]) + "\n", encoding="utf-8")
    print(f"{len(names)} TLDs; emoji pattern {len(code_points(d['emoji']))} characters")


if __name__ == "__main__":
    main()
