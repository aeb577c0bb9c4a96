"""Assertion helpers shared by the tests (import as ``from helpers import ...``)."""

from __future__ import annotations

from collections.abc import Iterable

from postguard.findings import Finding


def assert_spans_exact(text: str, findings: Iterable[Finding]) -> None:
    """Every finding points at exactly its excerpt in the ORIGINAL text."""
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text), f
        assert text[f.start : f.end] == f.excerpt, f


def spans(findings: Iterable[Finding], rule_prefix: str = "") -> list[tuple[str, str]]:
    """(rule_id, excerpt) pairs, for table-driven assertions."""
    return [(f.rule_id, f.excerpt) for f in findings if f.rule_id.startswith(rule_prefix)]
