"""The platform check: findings that say how far over the limit a post is and where it is cut."""

from __future__ import annotations

import textwrap

import pytest
from helpers import assert_spans_exact

from postguard import Checker
from postguard.errors import PolicyError
from postguard.findings import Severity
from postguard.policy import load_policy


@pytest.fixture(scope="module")
def checker():
    return Checker(policy=load_policy_text("checks: {platform: {}}"))


def load_policy_text(body: str, tmp=None):
    import tempfile
    from pathlib import Path

    folder = Path(tmp or tempfile.mkdtemp())
    path = folder / "policy.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return load_policy(path)


def length_findings(report):
    return [f for f in report.findings if f.rule_id == "platform.length"]


@pytest.mark.parametrize(
    ("platform", "text", "cut", "message"),
    [
        ("x", "x" * 290, 280, "X (Twitter) allows 280 weighted characters; this post has 290 (10 over). "
         "The cut falls at line 1, column 281"),
        ("twitter", "\u6545" * 150, 140, "this post has 300 (20 over)"),
        ("x", "Line one\n" + "y" * 280, 280, "this post has 289 (9 over). The cut falls at line 2, column 272"),
        ("x", "a" * 270 + " https://example.com/one", 271, "this post has 294 (14 over)"),
        ("mastodon", "z" * 505, 500, "Mastodon allows 500 characters; this post has 505 (5 over)"),
        ("linkedin", "w" * 3010, 3000, "LinkedIn allows 3,000 characters; this post has 3,010 (10 over)"),
        ("bluesky", "v" * 301, 300, "Bluesky allows 300 graphemes; this post has 301 (1 over)"),
    ],
)
def test_over_the_limit(checker, platform, text, cut, message):
    report = checker.check(text, platform=platform)
    [finding] = length_findings(report)
    assert_spans_exact(text, report.findings)
    assert (finding.start, finding.end) == (cut, len(text))
    assert finding.category == "platform"
    assert finding.severity == Severity.WARNING
    assert message in finding.message
    assert "would not fit" in finding.message
    assert report.verdict == "warn"


@pytest.mark.parametrize(
    ("platform", "text"),
    [
        ("x", "x" * 280),
        ("x", "https://example.com/" + "p" * 400),  # one URL is 23 whatever its length
        ("mastodon", "m" * 500),
        ("bluesky", "\U0001F44D\U0001F3FD" * 300),
        ("linkedin", "l" * 3000),
        ("blog", "b" * 50_000),
        ("generic", "g" * 50_000),
    ],
)
def test_within_the_limit(checker, platform, text):
    assert length_findings(checker.check(text, platform=platform)) == []


def test_bluesky_reports_both_counts_when_both_are_over(checker):
    text = "\u00e9" * 1600  # 1600 graphemes, 3200 bytes
    findings = length_findings(checker.check(text, platform="bluesky"))
    assert [(f.start, f.message.split(";")[0]) for f in findings] == [
        (300, "Bluesky allows 300 graphemes"),
        (1500, "Bluesky allows 3,000 bytes (UTF-8)"),
    ]


def test_cut_points_into_the_original_markdown(checker):
    text = "# Title\n\n" + "Some *emphasis* and a [link](https://example.com/page). " * 6
    report = checker.check(text, format="markdown", platform="x")
    [finding] = length_findings(report)
    assert_spans_exact(text, report.findings)
    assert finding.end == len(text)


def test_mastodon_instance_limit_from_the_policy(tmp_path):
    policy = load_policy_text(
        """
        extends: default
        platforms:
          mastodon: {limit: 1000}
        """,
        tmp_path,
    )
    instance = Checker(policy=policy)
    assert length_findings(instance.check("m" * 900, platform="mastodon")) == []
    [finding] = length_findings(instance.check("m" * 1001, platform="mastodon"))
    assert finding.start == 1000
    assert "allows 1,000 characters; this post has 1,001 (1 over)" in finding.message
    # other platforms keep their own limit
    assert length_findings(instance.check("m" * 900, platform="x"))


def test_severity_is_configurable(tmp_path):
    policy = load_policy_text("checks: {platform: {severity: block}}", tmp_path)
    report = Checker(policy=policy).check("x" * 300, platform="x")
    assert report.verdict == "block"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("{limits: {mastodon: 0}}", "limits.mastodon must be a positive integer"),
        ("{limits: {mastodon: many}}", "limits.mastodon must be a positive integer"),
        ("{limits: {myspace: 10}}", "'myspace' is not one of: bluesky, linkedin, mastodon, x"),
        ("{limits: {blog: 10}}", "'blog' has no length limit"),
        ("{limits: [1, 2]}", "must map platform names to positive integers"),
        ("{severity: loud}", "'loud' is not one of: block, info, warning"),
        ("{limit: 10}", "unknown setting 'limit' is not one of: limits, severity"),
    ],
)
def test_invalid_config(tmp_path, config, message):
    policy = load_policy_text(f"checks: {{platform: {config}}}", tmp_path)
    with pytest.raises(PolicyError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Checker(policy=policy, platform="x")
