"""Rules test themselves: every flag example must give exactly its marked spans, every pass
example nothing. ``check_rule`` refuses a failing rule at load; ``run_examples`` backs
``postguard rules test``.
"""

from __future__ import annotations

from dataclasses import dataclass

from postguard.checks.policy.rule import Rule, Target
from postguard.checks.policy.spec import Example
from postguard.errors import RuleError
from postguard.findings import Finding
from postguard.parsing import parse
from postguard.platforms import get_platform
from postguard.post import Post, PostMetadata

Span = tuple[int, int]


@dataclass(frozen=True)
class ExampleResult:
    """One example run: the spans it expects and the findings the rule produced."""

    rule: Rule
    example: Example
    findings: tuple[Finding, ...]

    @property
    def expected(self) -> list[Span]:
        return sorted(set(self.example.spans))

    @property
    def actual(self) -> list[Span]:
        return sorted({(f.start, f.end) for f in self.findings})

    @property
    def ok(self) -> bool:
        return self.expected == self.actual

    @property
    def where(self) -> str:
        return f"{self.rule.source}:{self.example.line}"

    def diff(self) -> list[str]:
        """Lines ``- span`` (expected, not found) and ``+ span`` (found, not expected)."""
        text = self.example.text
        expected, actual = set(self.expected), set(self.actual)
        lines = [f"- {s}-{e} {text[s:e]!r}" for s, e in sorted(expected - actual)]
        lines += [f"+ {s}-{e} {text[s:e]!r}" for s, e in sorted(actual - expected)]
        return lines


def run_example(rule: Rule, example: Example) -> ExampleResult:
    if example.settings:
        from postguard.checks.policy.loader import build_rule

        assert rule.data is not None
        rule = build_rule(rule.data, rule.source, rule.id, settings={**rule.settings, **example.settings})
    post = Post(
        text=example.text,
        format=example.format,  # type: ignore[arg-type]
        platform=get_platform(example.platform).name,
        metadata=PostMetadata(scheduled_at=example.scheduled_at),
    )
    findings = tuple(rule.find(Target(parse(post), now=example.now)))
    return ExampleResult(rule, example, findings)


def run_examples(rule: Rule) -> list[ExampleResult]:
    """Run every embedded example of ``rule``."""
    return [run_example(rule, ex) for ex in rule.examples]


def check_rule(rule: Rule) -> None:
    """Refuse ``rule`` (RuleError naming it) when any of its examples fails."""
    failed = [r for r in run_examples(rule) if not r.ok]
    if failed:
        first = failed[0]
        kind = "flag" if first.example.flag else "pass"
        raise RuleError(
            f"{first.where}: rule {rule.id}: {kind} example {first.example.text!r} failed "
            f"({'; '.join(first.diff())}); {len(failed)} of {len(rule.examples)} examples fail "
            f"(run 'postguard rules test {rule.source}')"
        )
