"""Journal and Totals: what a scan has found so far, kept on disk so the report can be written (or the
scan resumed) without holding every post in memory.

A flagged post's journal line is written where it was checked (``flag``, the task a scan's workers
run), so the scan's own process only appends lines and adds up counts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from postguard.findings import Severity
from postguard.report import Report
from postguard.scan.record import PublishedPost

if TYPE_CHECKING:
    from postguard.engine import Checker
    from postguard.policy import Policy


def entry(post: PublishedPost, report: Report, minimum: Severity = Severity.INFO) -> dict[str, Any] | None:
    """A flagged post as one JSON-ready record (its findings at or above ``minimum``); None if clean."""
    findings = [f for f in report.findings if f.severity >= minimum]
    if not findings:
        return None
    shown = report.model_copy(update={"findings": tuple(findings)})
    return {
        "post": post.to_dict(),
        "verdict": shown.verdict,
        "findings": [f.model_dump(mode="json") for f in findings],
    }


class Flagged(NamedTuple):
    """A flagged post as its worker sends it back: compact, its journal line already written."""

    verdict: str
    line: str  # the journal's JSON line for it (no newline)
    tallies: tuple[tuple[str, str], ...]  # (category, severity) of each finding shown


def flag(
    checker: "Checker", policy: "Policy", posts: list[PublishedPost], minimum: Severity
) -> list[Flagged | None]:
    """Check ``posts``; for each, what the journal keeps of it, or None when nothing reaches ``minimum``."""
    reports = checker.run_posts([p.to_post() for p in posts], policy)
    out: list[Flagged | None] = []
    for post, report in zip(posts, reports):
        record = entry(post, report, minimum)
        if record is None:
            out.append(None)
            continue
        tallies = tuple((f["category"], f["severity"]) for f in record["findings"])
        out.append(Flagged(record["verdict"], json.dumps(record, ensure_ascii=True), tallies))
    return out


class Journal:
    """Flagged posts, one JSON line each, appended as the scan goes."""

    def __init__(self, path: Path, resume_at: int | None = None) -> None:
        self.path = path
        if resume_at is None:
            self._file = open(path, "w", encoding="utf-8")
        else:  # drop anything written after the last checkpoint
            self._file = open(path, "r+", encoding="utf-8")
            self._file.truncate(resume_at)
            self._file.seek(resume_at)

    def add(self, lines: list[str]) -> None:
        """Append a batch's lines in one write."""
        if lines:
            self._file.write("\n".join(lines) + "\n")

    def flush(self) -> int:
        """Write through to disk; the journal's length in bytes."""
        self._file.flush()
        return self._file.tell()

    def close(self) -> None:
        self._file.close()


def read_journal(path: Path) -> Iterator[dict[str, Any]]:
    """The journal's records, in scan order."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


@dataclass
class Totals:
    """Counts over the whole scan, for the summary and the report's charts."""

    posts: int = 0
    flagged: int = 0
    findings: int = 0
    read_errors: int = 0
    verdicts: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)
    severities: Counter = field(default_factory=Counter)
    posts_by_year: Counter = field(default_factory=Counter)
    flagged_by_year: Counter = field(default_factory=Counter)

    def add(self, post: PublishedPost, flagged: Flagged | None) -> None:
        year = str(post.date.year) if post.date else "undated"
        self.posts += 1
        self.posts_by_year[year] += 1
        if flagged is None:
            self.verdicts["pass"] += 1
            return
        self.flagged += 1
        self.flagged_by_year[year] += 1
        self.verdicts[flagged.verdict] += 1
        self.findings += len(flagged.tallies)
        for category, severity in flagged.tallies:
            self.categories[category] += 1
            self.severities[severity] += 1

    def to_dict(self) -> dict[str, Any]:
        return {k: dict(v) if isinstance(v, Counter) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Totals":
        return cls(**{k: Counter(v) if isinstance(v, dict) else v for k, v in data.items()})
