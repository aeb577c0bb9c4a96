"""Schema: invalid rule files are refused with file:line and what is allowed."""

from __future__ import annotations

import re

import pytest

from postguard.checks.policy.kinds import KINDS
from postguard.checks.policy.loader import load_pack, load_rule_file
from postguard.errors import RuleError

GOOD = """
kind: phrase
severity: warning
message: "'{match}' is not allowed"
phrases: [foo]
examples:
  flag: ["a [[foo]] b"]
  pass: ["a food b"]
"""


def refused(path) -> str:
    with pytest.raises(RuleError) as exc:
        load_rule_file(path)
    return str(exc.value)


def test_a_good_rule_loads_with_its_id(write_rule):
    rule = load_rule_file(write_rule("house", "no-foo", GOOD))
    assert (rule.id, rule.rule_id, rule.kind, rule.severity.value) == (
        "house.no-foo", "policy.house.no-foo", "phrase", "warning",
    )


def test_rule_without_message_is_refused(write_rule):
    path = write_rule("house", "no-message", GOOD.replace("message: \"'{match}' is not allowed\"\n", ""))
    msg = refused(path)
    assert msg.startswith(f"{path}:1: house.no-message: 'message' is required")


def test_rule_without_flag_example_is_refused(write_rule):
    path = write_rule("house", "no-flag", GOOD.replace('  flag: ["a [[foo]] b"]\n', ""))
    msg = refused(path)
    assert msg.startswith(f"{path}:5: house.no-flag: needs at least one 'flag' example")


def test_rule_without_pass_example_is_refused(write_rule):
    path = write_rule("house", "no-pass", GOOD.replace('  pass: ["a food b"]\n', ""))
    assert "needs at least one 'pass' example" in refused(path)


def test_flag_example_must_mark_its_span(write_rule):
    path = write_rule("house", "unmarked", GOOD.replace("a [[foo]] b", "a foo b"))
    assert refused(path).startswith(f"{path}:6: house.unmarked: a flag example marks the expected span")


def test_unknown_kind_lists_the_valid_kinds(write_rule):
    path = write_rule("house", "odd", GOOD.replace("kind: phrase", "kind: regexp"))
    msg = refused(path)
    assert msg.startswith(f"{path}:1: house.odd: kind 'regexp' is not one of: ")
    assert msg.endswith(", ".join(sorted(KINDS)))
    assert sorted(KINDS) == [
        "capitalization", "conditional", "consistency", "date", "entity", "link", "metric", "occurrence",
        "pattern", "phrase", "repetition", "sequence", "spelling", "styled", "substitution",
    ]


def test_missing_kind_lists_the_valid_kinds(write_rule):
    path = write_rule("house", "nokind", GOOD.replace("kind: phrase\n", ""))
    assert "'kind' is required (one of: capitalization, conditional, consistency, date" in refused(path)


@pytest.mark.parametrize(
    "pattern",
    [r"(?<=foo)bar", r"(a)\1", r"(?=x)y", r"[unclosed"],
    ids=["lookbehind", "backreference", "lookahead", "syntax"],
)
def test_pattern_re2_cannot_compile_is_refused_with_file_and_line(write_rule, pattern):
    text = f"""
    kind: pattern
    message: m
    pattern: '{pattern}'
    examples: {{flag: ["[[bar]]"], pass: ["x"]}}
    """
    path = write_rule("house", "bad-regex", text)
    msg = refused(path)
    assert msg.startswith(f"{path}:3: house.bad-regex: RE2 cannot compile the pattern")


def test_unknown_field_lists_the_allowed_fields(write_rule):
    path = write_rule("house", "typo", GOOD + "phrasez: [bar]\n")
    msg = refused(path)
    assert msg.startswith(f"{path}:8: house.typo: unknown field 'phrasez' for kind 'phrase' (allowed: ")
    assert "phrases" in msg and "examples" in msg


def test_bad_severity_lists_the_levels(write_rule):
    path = write_rule("house", "sev", GOOD.replace("severity: warning", "severity: error"))
    assert refused(path) == f"{path}:2: house.sev: severity 'error' is not one of: block, info, warning"


def test_unknown_message_placeholder_is_refused(write_rule):
    path = write_rule("house", "ph", GOOD.replace("'{match}' is not allowed", "{word} is not allowed"))
    assert "message placeholder {word} is not one of: {match}, {suggest}" in refused(path)


def test_unknown_setting_reference_is_refused(write_rule):
    path = write_rule("house", "ref", GOOD.replace("phrases: [foo]", "phrases: ${words}"))
    assert "${words} is not a setting of this rule" in refused(path)


def test_yaml_syntax_error_names_line_and_column(write_rule):
    path = write_rule("house", "broken", "kind: phrase\nmessage: [unclosed\n")
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: invalid YAML", refused(path))


def test_unknown_platform_is_refused(write_rule):
    path = write_rule("house", "plat", GOOD + "platforms: [myspace]\n")
    assert "platform 'myspace' is not one of: blog, bluesky" in refused(path)


def test_loading_a_pack_runs_examples_and_refuses_a_failing_rule_by_name(write_rule):
    path = write_rule("house", "wrong", GOOD.replace('pass: ["a food b"]', 'pass: ["a foo b"]'))
    with pytest.raises(RuleError) as exc:
        load_pack(path.parent)
    msg = str(exc.value)
    assert msg.startswith(f"{path}:7: rule house.wrong: pass example 'a foo b' failed (+ 2-5 'foo')")
    assert "postguard rules test" in msg


def test_pack_ids_come_from_the_path(write_rule):
    write_rule("house", "no-foo", GOOD)
    write_rule("house", "no-bar", GOOD.replace("foo", "bar"))
    pack = load_pack(write_rule("house", "no-baz", GOOD.replace("foo", "baz")).parent)
    assert [r.id for r in pack.rules] == ["house.no-bar", "house.no-baz", "house.no-foo"]


@pytest.mark.parametrize(
    ("example", "message"),
    [
        ("{text: '[[foo]]', format: rtf}", "example format 'rtf' is not one of: html, markdown, plain"),
        ("{text: '[[foo]]', platform: myspace}", "example platform 'myspace' is not one of: blog, bluesky"),
        ("{text: '[[foo]]', settings: {words: [foo]}}", "example setting 'words' is not a setting of this rule (the rule declares none; declare it"),
        ("{text: '[[foo]]', when: now}", "example field 'when' is not one of: format, now, platform, scheduled_at, settings, text"),
        ("{text: '[[foo]]', now: yesterday}", "'yesterday' is not an ISO date-time"),
    ],
)
def test_invalid_examples_are_refused(write_rule, example, message):
    path = write_rule("house", "ex", GOOD.replace('flag: ["a [[foo]] b"]', f"flag: [{example}]"))
    msg = refused(path)
    assert msg.startswith(f"{path}:6: house.ex: ") and message in msg
