import textwrap

import pytest

from postguard import PolicyError, load_policy
from postguard.findings import Finding
from postguard.policy import builtin_policies


def write(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def finding(rule_id="pii.email", category="pii", excerpt="help@uni.ac.uk"):
    return Finding(
        rule_id=rule_id, category=category, severity="warning", start=0, end=len(excerpt),
        excerpt=excerpt, message="m",
    )


def test_default_policy_ships_with_the_package():
    pol = load_policy()
    assert pol.name == "default"
    assert "default" in builtin_policies()
    assert pol.enabled_checks("x")["platform"] == {}
    assert load_policy("default") is pol


def test_a_policy_extends_another_and_merges_mappings(tmp_path):
    write(tmp_path, "base.yaml", """
        name: base
        checks:
          platform: {enabled: true, severity: block}
        severity: {profanity: info}
        """)
    child = write(tmp_path, "child.yaml", """
        extends: base.yaml
        checks:
          platform: {severity: warning}
        severity: {tone: off}
        allowlist:
          - value: "0113 343 3000"
          - pattern: "[a-z]+@uni\\\\.ac\\\\.uk"
        """)
    pol = load_policy(child)
    assert pol.name == "child"
    assert pol.checks["platform"] == {"enabled": True, "severity": "warning"}
    assert pol.severity == {"profanity": "info", "tone": "off"}
    assert pol.allows(finding(excerpt="01133433000"))
    assert pol.allows(finding(excerpt="help@uni.ac.uk"))
    assert not pol.allows(finding(excerpt="jane@example.com"))
    assert not pol.allows(finding(category="profanity", excerpt="help@uni.ac.uk"))


def test_extends_a_builtin_by_name(tmp_path):
    pol = load_policy(write(tmp_path, "mine.yaml", "extends: default\nmax_text_length: 500\n"))
    assert pol.max_text_length == 500
    assert "platform" in pol.checks


def test_platform_profiles_merge_over_the_base(tmp_path):
    pol = load_policy(write(tmp_path, "p.yaml", """
        checks: {platform: {}}
        severity: {platform: warning}
        platforms:
          mastodon: {limit: 1000, severity: {platform: block}}
        """))
    masto = pol.for_platform("mastodon")
    assert masto.checks["platform"]["limits"] == {"mastodon": 1000}
    assert masto.severity["platform"] == "block"
    assert pol.for_platform("x") is pol


def test_a_profile_may_use_a_platform_alias(tmp_path):
    pol = load_policy(write(tmp_path, "p.yaml", "platforms:\n  twitter: {severity: {tone: off}}\n"))
    assert pol.for_platform("x").severity == {"tone": "off"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("checks: [a, b", r"bad\.yaml:1:\d+: invalid YAML"),
        ("- just\n- a list\n", "a policy must be a mapping"),
        ("colour: red\n", "colour: Extra inputs are not permitted .*top-level keys: name, description"),
        ("severity: {profanity: loud}\n", "severity.profanity: Input should be 'info', 'warning', 'block' or 'off'"),
        ("allowlist: [{value: a, pattern: b}]\n", "exactly one of 'value' or 'pattern'"),
        ("allowlist: [{pattern: '(unclosed'}]\n", "invalid pattern"),
        ("checks: {pii: 3}\n", "must be a mapping or true/false"),
        ("extends: bad.yaml\n", "'extends' forms a cycle"),
        ("extends: nonexistent-builtin\n", "'nonexistent-builtin' is not one of: default"),
        ("max_text_length: 0\n", "max_text_length"),
    ],
)
def test_invalid_policies_are_refused_with_a_clear_message(tmp_path, body, message):
    path = write(tmp_path, "bad.yaml", body)
    with pytest.raises(PolicyError, match=message):
        load_policy(path)


def test_missing_policy_file(tmp_path):
    with pytest.raises(PolicyError, match="does not exist .*built-in policies: default"):
        load_policy(tmp_path / "nope.yaml")
