"""SARIF 2.1.0 for code-review tools: one result per finding, located by the post's source and id."""

from __future__ import annotations

import json
from pathlib import Path

from postguard import __version__
from postguard.scan.journal import read_journal
from postguard.scan.writers import json_text

_LEVEL = {"info": "note", "warning": "warning", "block": "error"}


def write_sarif(output: Path, journal: Path) -> None:
    """Streamed: the results are written as they are read, the rules (few) at the end."""
    rules: dict[str, dict] = {}
    with open(output, "w", encoding="utf-8") as out:
        # Offsets count code points, as Python indexes the file's text; said outright, since a
        # consumer otherwise counts UTF-16 code units and misses by one after each emoji.
        out.write('{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", '
                  '"runs": [{"columnKind": "unicodeCodePoints", "results": [')
        first = True
        for rec in read_journal(journal):
            p = rec["post"]
            for f in rec["findings"]:
                rules.setdefault(f["rule_id"], {"id": f["rule_id"], "properties": {"category": f["category"]},
                                                **({"helpUri": f["link"]} if f.get("link") else {})})
                region: dict = {"snippet": {"text": f["excerpt"]}}
                if p["format"] == "markdown":  # a file of its own: the offset is a place in it
                    region.update(charOffset=p["offset"] + f["start"], charLength=f["end"] - f["start"])
                result = {
                    "ruleId": f["rule_id"],
                    "level": _LEVEL[f["severity"]],
                    "message": {"text": f["message"]},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {"uri": p["source"]},
                            "region": region,
                        },
                        "logicalLocations": [{"name": p["id"], "kind": "post"}],
                    }],
                    "partialFingerprints": {"postguard/v1": f"{p['id']}:{f['id']}"},
                    "properties": {"postId": p["id"], "url": p["url"], "date": p["date"]},
                }
                out.write(("" if first else ",\n") + json_text(result))
                first = False
        tool = {"driver": {"name": "postguard", "version": __version__, "rules": list(rules.values())}}
        out.write('], "tool": ' + json.dumps(tool) + "}]}\n")
