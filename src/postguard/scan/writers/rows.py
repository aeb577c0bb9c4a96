"""One row per finding with its post's id, as JSONL or CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from postguard.scan.journal import read_journal
from postguard.scan.writers import json_text

COLUMNS = (
    "post_id", "source", "platform", "date", "url", "status", "rule_id", "category", "severity",
    "start", "end", "excerpt", "message", "suggestion", "entity", "score",
)


def rows(journal: Path) -> Iterator[dict[str, Any]]:
    """Each finding of each flagged post, flat; ``start``/``end`` point into the post's text."""
    for rec in read_journal(journal):
        p = rec["post"]
        for f in rec["findings"]:
            yield {
                "post_id": p["id"], "source": p["source"], "platform": p["platform"], "date": p["date"],
                "url": p["url"], "status": p["status"], **{k: f.get(k) for k in COLUMNS[6:]},
            }


def write_rows(output: Path, journal: Path) -> None:
    # A lone surrogate (from a JSON export) is written as \\udXXX in a CSV cell, as an escape in JSON.
    with open(output, "w", encoding="utf-8", errors="backslashreplace", newline="") as out:
        if output.suffix.lower() == ".csv":
            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows(journal))
        else:
            for row in rows(journal):
                out.write(json_text(row) + "\n")
