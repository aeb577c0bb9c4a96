"""Every shipped rule's embedded examples, one test each (the same code as `postguard rules test`)."""

from __future__ import annotations

import pytest

from postguard.checks.policy.loader import builtin_packs, builtin_rules_dir, load_pack
from postguard.checks.policy.selftest import run_example

PACKS = ("inclusive", "servicedesk", "social", "style")


def _cases():
    for pack in builtin_packs():
        for rule in load_pack(builtin_rules_dir() / pack, selftest=False).rules:
            for ex in rule.examples:
                kind = "flag" if ex.flag else "pass"
                yield pytest.param(rule, ex, id=f"{rule.id}:{kind}:{ex.line}")


@pytest.mark.parametrize(("rule", "example"), list(_cases()))
def test_shipped_example(rule, example):
    result = run_example(rule, example)
    assert result.ok, "\n".join([f"{result.where} {rule.id}", *result.diff()])


def test_the_four_packs_ship_with_readmes():
    assert set(PACKS) <= set(builtin_packs())
    for pack in PACKS:
        readme = (builtin_rules_dir() / pack / "README.md").read_text(encoding="utf-8")
        assert "off" in readme and "severity" in readme


@pytest.mark.parametrize("pack", PACKS)
def test_every_rule_has_flag_and_pass_examples_and_a_description(pack):
    rules = load_pack(builtin_rules_dir() / pack, selftest=False).rules
    assert rules
    for rule in rules:
        assert any(e.flag for e in rule.examples), rule.id
        assert any(not e.flag for e in rule.examples), rule.id
        assert rule.description, rule.id
