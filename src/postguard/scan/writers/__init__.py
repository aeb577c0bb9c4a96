"""Report writers: the journal of flagged posts as JSONL or CSV (one row per finding), SARIF or HTML."""

from __future__ import annotations

import json
from pathlib import Path

from postguard.errors import InputError, one_of
from postguard.scan.journal import Totals

WRITERS = (".html", ".jsonl", ".csv", ".sarif")


def write_report(output: Path, journal: Path, totals: Totals, meta: dict) -> None:
    """Write ``output`` in the format its suffix names."""
    suffix = output.suffix.lower()
    if suffix in (".html", ".htm"):
        from postguard.scan.writers.html import write_html

        write_html(output, journal, totals, meta)
    elif suffix in (".jsonl", ".csv"):
        from postguard.scan.writers.rows import write_rows

        write_rows(output, journal)
    elif suffix in (".sarif", ".json"):
        from postguard.scan.writers.sarif import write_sarif

        write_sarif(output, journal)
    else:
        raise InputError(f"output suffix {one_of(suffix, WRITERS)}")


def check_output(output: Path) -> None:
    """Refuse an output whose format is unknown before the scan starts, not after."""
    if output.suffix.lower() not in (*WRITERS, ".htm", ".json"):
        raise InputError(f"--output suffix {one_of(output.suffix or '(none)', WRITERS)}")
    if not output.parent.is_dir():
        raise InputError(f"--output {output}: no such folder {str(output.parent)!r}")


def json_text(value: object) -> str:
    """``value`` as JSON with its characters as they are, unless UTF-8 cannot hold them."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, as a JSON export may hold: written as an escape
        return json.dumps(value)
    return text
